// Typed builders for the frames vpcsim writes: Ethernet II / IPv4 / TCP, UDP or ICMP echo, with
// every checksum computed, so Wireshark's checksum validation passes.

public struct TCPFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
    public static let urg = TCPFlags(rawValue: 0x20)
}

public struct EthernetHeader: Sendable, Hashable {
    public static let length = 14
    public static let ipv4: UInt16 = 0x0800
    public var destination: MACAddress
    public var source: MACAddress
    public var etherType: UInt16

    public init(destination: MACAddress, source: MACAddress, etherType: UInt16 = EthernetHeader.ipv4) {
        self.destination = destination
        self.source = source
        self.etherType = etherType
    }

    func append(to buffer: inout [UInt8]) {
        buffer.appendMAC(destination)
        buffer.appendMAC(source)
        buffer.appendBigEndian(etherType)
    }
}

/// IPv4 without options. Don't-fragment is set as Linux does for TCP and path-MTU-discovering UDP.
public struct IPv4Header: Sendable, Hashable {
    public static let length = 20
    public var identification: UInt16
    public var timeToLive: UInt8
    public var protocolNumber: UInt8
    public var source: UInt32
    public var destination: UInt32
    public var dontFragment: Bool

    public init(
        identification: UInt16, timeToLive: UInt8 = 64, protocolNumber: UInt8,
        source: UInt32, destination: UInt32, dontFragment: Bool = true
    ) {
        self.identification = identification
        self.timeToLive = timeToLive
        self.protocolNumber = protocolNumber
        self.source = source
        self.destination = destination
        self.dontFragment = dontFragment
    }
}

public struct TCPHeader: Sendable, Hashable {
    /// What Linux puts on a SYN and a SYN-ACK without timestamps: MSS 1460, NOP, NOP, SACK permitted,
    /// NOP, window scale 7. Both ends send them, so Wireshark knows the scale of every later window.
    public static let handshakeOptions: [UInt8] = [2, 4, 0x05, 0xB4, 1, 1, 4, 2, 1, 3, 3, 7]
    public static let windowScaleShift: UInt8 = 7

    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var sequenceNumber: UInt32
    public var acknowledgementNumber: UInt32
    public var flags: TCPFlags
    /// The raw 16-bit window field (scaled by the peer's shift after the handshake).
    public var window: UInt16
    /// Raw option bytes; length must be a multiple of 4 (pad with NOP = 1).
    public var options: [UInt8]

    public init(
        sourcePort: UInt16, destinationPort: UInt16, sequenceNumber: UInt32, acknowledgementNumber: UInt32,
        flags: TCPFlags, window: UInt16, options: [UInt8] = []
    ) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.sequenceNumber = sequenceNumber
        self.acknowledgementNumber = acknowledgementNumber
        self.flags = flags
        self.window = window
        self.options = options
    }

    var length: Int { 20 + options.count }
}

public struct UDPHeader: Sendable, Hashable {
    public static let length = 8
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public init(sourcePort: UInt16, destinationPort: UInt16) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
    }
}

public struct ICMPEchoHeader: Sendable, Hashable {
    public static let length = 8
    public var isReply: Bool
    public var identifier: UInt16
    public var sequenceNumber: UInt16
    public init(isReply: Bool, identifier: UInt16, sequenceNumber: UInt16) {
        self.isReply = isReply
        self.identifier = identifier
        self.sequenceNumber = sequenceNumber
    }
}

public enum TransportHeader: Sendable, Hashable {
    case tcp(TCPHeader)
    case udp(UDPHeader)
    case icmpEcho(ICMPEchoHeader)

    var protocolNumber: UInt8 {
        switch self {
        case .tcp: 6
        case .udp: 17
        case .icmpEcho: 1
        }
    }

    var length: Int {
        switch self {
        case .tcp(let tcp): tcp.length
        case .udp: UDPHeader.length
        case .icmpEcho: ICMPEchoHeader.length
        }
    }
}

public enum PacketBuilder {
    /// A complete Ethernet II frame (no FCS, as captures show it) with correct IPv4 and transport
    /// checksums. `ip.protocolNumber` is taken from `transport`.
    public static func ethernetFrame(
        ethernet: EthernetHeader, ip: IPv4Header, transport: TransportHeader, payload: [UInt8]
    ) -> [UInt8] {
        let transportLength = transport.length + payload.count
        let ipLength = IPv4Header.length + transportLength
        var frame: [UInt8] = []
        frame.reserveCapacity(EthernetHeader.length + ipLength)
        ethernet.append(to: &frame)

        // IPv4
        let ipStart = frame.count
        frame.append(0x45)  // version 4, IHL 5
        frame.append(0)  // DSCP/ECN
        frame.appendBigEndian(UInt16(truncatingIfNeeded: ipLength))
        frame.appendBigEndian(ip.identification)
        frame.appendBigEndian(UInt16(ip.dontFragment ? 0x4000 : 0))
        frame.append(ip.timeToLive)
        frame.append(transport.protocolNumber)
        frame.appendBigEndian(UInt16(0))  // checksum, filled below
        frame.appendBigEndian(ip.source)
        frame.appendBigEndian(ip.destination)

        // Transport header
        let transportStart = frame.count
        let checksumOffset: Int
        switch transport {
        case .tcp(let tcp):
            frame.appendBigEndian(tcp.sourcePort)
            frame.appendBigEndian(tcp.destinationPort)
            frame.appendBigEndian(tcp.sequenceNumber)
            frame.appendBigEndian(tcp.acknowledgementNumber)
            frame.append(UInt8(truncatingIfNeeded: tcp.length / 4) << 4)
            frame.append(tcp.flags.rawValue)
            frame.appendBigEndian(tcp.window)
            frame.appendBigEndian(UInt16(0))  // checksum
            frame.appendBigEndian(UInt16(0))  // urgent pointer
            frame.append(contentsOf: tcp.options)
            checksumOffset = transportStart + 16
        case .udp(let udp):
            frame.appendBigEndian(udp.sourcePort)
            frame.appendBigEndian(udp.destinationPort)
            frame.appendBigEndian(UInt16(truncatingIfNeeded: transportLength))
            frame.appendBigEndian(UInt16(0))
            checksumOffset = transportStart + 6
        case .icmpEcho(let icmp):
            frame.append(icmp.isReply ? 0 : 8)
            frame.append(0)
            frame.appendBigEndian(UInt16(0))
            frame.appendBigEndian(icmp.identifier)
            frame.appendBigEndian(icmp.sequenceNumber)
            checksumOffset = transportStart + 2
        }
        frame.append(contentsOf: payload)

        let ipChecksum = InternetChecksum.checksum(frame, range: ipStart..<transportStart)
        frame[ipStart + 10] = UInt8(ipChecksum >> 8)
        frame[ipStart + 11] = UInt8(ipChecksum & 0xFF)

        var transportChecksum: UInt16
        switch transport {
        case .icmpEcho:
            transportChecksum = InternetChecksum.checksum(frame, range: transportStart..<frame.count)
        case .tcp, .udp:
            // Pseudo header: source, destination, zero, protocol, transport length.
            var sum = InternetChecksum.partialSum(frame, range: transportStart..<frame.count)
            sum &+= UInt64(ip.source >> 16) &+ UInt64(ip.source & 0xFFFF)
            sum &+= UInt64(ip.destination >> 16) &+ UInt64(ip.destination & 0xFFFF)
            sum &+= UInt64(transport.protocolNumber) &+ UInt64(transportLength)
            transportChecksum = InternetChecksum.fold(sum)
            // UDP sends an all-zero checksum as all ones (zero means "no checksum").
            if case .udp = transport, transportChecksum == 0 { transportChecksum = 0xFFFF }
        }
        frame[checksumOffset] = UInt8(transportChecksum >> 8)
        frame[checksumOffset + 1] = UInt8(transportChecksum & 0xFF)
        return frame
    }
}

/// The RFC 1071 one's-complement checksum used by IPv4, TCP, UDP and ICMP.
public enum InternetChecksum {
    /// The checksum to store in a header whose checksum field is zero in `bytes[range]`.
    public static func checksum(_ bytes: [UInt8], range: Range<Int>) -> UInt16 {
        fold(partialSum(bytes, range: range))
    }

    /// Sum of big-endian 16-bit words (an odd last byte is padded with zero), not yet folded.
    public static func partialSum(_ bytes: [UInt8], range: Range<Int>) -> UInt64 {
        bytes.withUnsafeBufferPointer { buffer in
            var sum: UInt64 = 0
            var i = range.lowerBound
            let end = range.upperBound
            while i + 1 < end {
                sum &+= UInt64(buffer[i]) << 8 | UInt64(buffer[i + 1])
                i += 2
            }
            if i < end { sum &+= UInt64(buffer[i]) << 8 }
            return sum
        }
    }

    /// Folds carries into 16 bits and complements.
    public static func fold(_ sum: UInt64) -> UInt16 {
        var s = sum
        while s >> 16 != 0 { s = (s & 0xFFFF) &+ (s >> 16) }
        return ~UInt16(truncatingIfNeeded: s)
    }
}

extension Array where Element == UInt8 {
    @inline(__always) mutating func appendBigEndian(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    @inline(__always) mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    @inline(__always) mutating func appendLittleEndian(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    @inline(__always) mutating func appendLittleEndian(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 24))
    }

    mutating func appendMAC(_ mac: MACAddress) {
        for shift in stride(from: 40, through: 0, by: -8) {
            append(UInt8(truncatingIfNeeded: mac.rawValue >> UInt64(shift)))
        }
    }
}
