import CPcap

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import VPCModel

/// One IPv4 packet decoded from a capture file.
public struct DecodedPacket: Sendable, Hashable {
    /// 1-based record number in the file (counting every record, filtered or not).
    public var number: Int
    /// Nanoseconds since the Unix epoch.
    public var timestamp: UInt64
    public var protocolNumber: UInt8
    /// Addresses and ports as in `PacketHeader`: for ICMP echo the ports carry the echo identifier
    /// (request: source, reply: destination); for other ICMP and other protocols they are 0.
    public var header: PacketHeader
    /// TCP flags, or nil for other protocols.
    public var tcpFlags: TCPFlags?
    /// ICMP type, or nil for other protocols.
    public var icmpType: UInt8?
    /// IPv4 total length: the byte count flow logs use.
    public var ipLength: Int

    public init(
        number: Int, timestamp: UInt64, protocolNumber: UInt8, header: PacketHeader, tcpFlags: TCPFlags?,
        icmpType: UInt8?, ipLength: Int
    ) {
        self.number = number
        self.timestamp = timestamp
        self.protocolNumber = protocolNumber
        self.header = header
        self.tcpFlags = tcpFlags
        self.icmpType = icmpType
        self.ipLength = ipLength
    }
}

/// A conversation seen in a capture: one per 5-tuple, in both directions together. A TCP
/// connection counts once, oriented from its SYN (the client is the SYN's sender).
public struct ObservedFlow: Sendable, Hashable {
    public var protocolNumber: UInt8
    /// Client → server.
    public var header: PacketHeader
    /// Nanoseconds since the Unix epoch.
    public var firstSeen: UInt64
    public var lastSeen: UInt64
    /// Packets and IPv4 bytes in both directions. A packet recorded at several capture points of
    /// one file counts once per record.
    public var packets: Int
    public var bytes: Int
    /// Client → server packets; the rest went the other way.
    public var requestPackets: Int
    /// A SYN was seen but never a SYN-ACK: the connection was not accepted (or its answer was lost).
    public var unansweredSYN: Bool
}

/// What a capture file holds.
public struct CaptureContents: Sendable, Hashable {
    /// Link type of the file (DLT_*): 1 Ethernet, 12 raw IP, 113/276 Linux cooked.
    public var linkType: Int32
    /// Records read (before any filter).
    public var records: Int
    /// IPv4 packets that matched the filter, in file order.
    public var packets: [DecodedPacket]
    /// Records that matched the filter but are not IPv4 (ARP, IPv6, unknown link types, later fragments).
    public var skipped: Int

    /// Conversations, in order of first appearance.
    public var flows: [ObservedFlow] { CaptureReader.flows(from: packets) }
}

/// Reads pcap and pcapng through libpcap.
public enum CaptureReader {
    enum LinkType {
        static let null: Int32 = 0
        static let ethernet: Int32 = 1
        static let raw: Int32 = 12
        static let rawOpenBSD: Int32 = 14
        static let loop: Int32 = 108
        static let linuxCooked: Int32 = 113
        static let ipv4: Int32 = 228
        static let linuxCooked2: Int32 = 276
    }

    /// Reads every record of `path`, keeping those that match `filter` (BPF, compiled for the
    /// file's link type). Errors say which record and byte offset failed when libpcap can tell.
    public static func read(path: String, filter: String? = nil) throws(CaptureError) -> CaptureContents {
        guard access(path, R_OK) == 0 else {
            throw .cannotOpen(path: path, message: String(cString: strerror(errno)))
        }
        // libpcap would block on a FIFO and read a device forever.
        if let problem = InputFile.problem(path, what: "the capture") {
            throw .refused(path: path, message: problem.message, hint: problem.hint ?? "")
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard
            let handle = pcap_open_offline_with_tstamp_precision(
                path, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errorBuffer)
        else {
            let message = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw .unreadable(path: path, packet: nil, offset: nil, message: message)
        }
        defer { pcap_close(handle) }

        let linkType = pcap_datalink(handle)
        var compiled: PacketFilter?
        if let filter { compiled = try PacketFilter(expression: filter, handle: handle) }
        let file = pcap_file(handle)

        var contents = CaptureContents(linkType: linkType, records: 0, packets: [], skipped: 0)
        var headerPointer: UnsafeMutablePointer<pcap_pkthdr>?
        var dataPointer: UnsafePointer<UInt8>?
        while true {
            let offset: Int64? = file.map { Int64(ftello($0)) }
            let status = pcap_next_ex(handle, &headerPointer, &dataPointer)
            if status == PCAP_ERROR_BREAK { break }  // end of file
            guard status == 1, let header = headerPointer, let data = dataPointer else {
                let message = pcap_geterr(handle).map { String(cString: $0) } ?? "read error \(status)"
                throw .unreadable(path: path, packet: contents.records + 1, offset: offset, message: message)
            }
            contents.records += 1
            let bytes = UnsafeRawBufferPointer(start: data, count: Int(header.pointee.caplen))
            if let compiled {
                var copy = header.pointee
                if pcap_offline_filter(compiled.programPointer, &copy, data) == 0 { continue }
            }
            let timestamp =
                UInt64(truncatingIfNeeded: header.pointee.ts.tv_sec) &* 1_000_000_000
                &+ UInt64(truncatingIfNeeded: header.pointee.ts.tv_usec)
            if let packet = decode(bytes, linkType: linkType, number: contents.records, timestamp: timestamp) {
                contents.packets.append(packet)
            } else {
                contents.skipped += 1
            }
        }
        return contents
    }

    /// Reads `path` and groups its packets into conversations.
    public static func readFlows(path: String, filter: String? = nil) throws(CaptureError) -> [ObservedFlow] {
        try read(path: path, filter: filter).flows
    }

    /// Decodes one record; nil when it is not an IPv4 packet this reader understands. Never traps
    /// on short or malformed input.
    public static func decode(
        _ bytes: UnsafeRawBufferPointer, linkType: Int32, number: Int = 0, timestamp: UInt64 = 0
    ) -> DecodedPacket? {
        var cursor = ByteCursor(bytes)
        switch linkType {
        case LinkType.ethernet:
            guard cursor.skip(12), var etherType = cursor.uint16() else { return nil }
            // 802.1Q / 802.1ad tags.
            while etherType == 0x8100 || etherType == 0x88A8 {
                guard cursor.skip(2), let inner = cursor.uint16() else { return nil }
                etherType = inner
            }
            guard etherType == 0x0800 else { return nil }
        case LinkType.raw, LinkType.rawOpenBSD, LinkType.ipv4:
            break
        case LinkType.linuxCooked:
            guard cursor.skip(14), cursor.uint16() == 0x0800 else { return nil }
        case LinkType.linuxCooked2:
            guard cursor.uint16() == 0x0800, cursor.skip(18) else { return nil }
        case LinkType.null, LinkType.loop:
            // A 4-byte address family, host order for NULL, network order for LOOP; AF_INET is 2.
            guard let family = cursor.bytes(4) else { return nil }
            guard family == [2, 0, 0, 0] || family == [0, 0, 0, 2] else { return nil }
        default:
            return nil
        }
        return decodeIPv4(&cursor, number: number, timestamp: timestamp)
    }

    static func decodeIPv4(_ cursor: inout ByteCursor, number: Int, timestamp: UInt64) -> DecodedPacket? {
        let ipStart = cursor.position
        guard let versionIHL = cursor.uint8(), versionIHL >> 4 == 4 else { return nil }
        let headerLength = Int(versionIHL & 0x0F) * 4
        guard headerLength >= 20, cursor.skip(1), let totalLength = cursor.uint16(), cursor.skip(2),
            let fragment = cursor.uint16(), cursor.skip(1), let protocolNumber = cursor.uint8(), cursor.skip(2),
            let source = cursor.uint32(), let destination = cursor.uint32()
        else { return nil }
        guard fragment & 0x1FFF == 0 else { return nil }  // a later fragment has no transport header
        cursor.position = ipStart + headerLength
        var packet = DecodedPacket(
            number: number, timestamp: timestamp, protocolNumber: protocolNumber,
            header: PacketHeader(sourceAddress: source, sourcePort: 0, destinationAddress: destination, destinationPort: 0),
            tcpFlags: nil, icmpType: nil, ipLength: Int(totalLength))
        switch protocolNumber {
        case 6:
            guard let sourcePort = cursor.uint16(), let destinationPort = cursor.uint16(), cursor.skip(9),
                let flags = cursor.uint8()
            else { return packet }
            packet.header.sourcePort = sourcePort
            packet.header.destinationPort = destinationPort
            packet.tcpFlags = TCPFlags(rawValue: flags & 0x3F)
        case 17:
            guard let sourcePort = cursor.uint16(), let destinationPort = cursor.uint16() else { return packet }
            packet.header.sourcePort = sourcePort
            packet.header.destinationPort = destinationPort
        case 1:
            guard let type = cursor.uint8() else { return packet }
            packet.icmpType = type
            if type == 8 || type == 0, cursor.skip(3), let identifier = cursor.uint16() {
                if type == 8 { packet.header.sourcePort = identifier } else { packet.header.destinationPort = identifier }
            }
        default:
            break
        }
        return packet
    }

    /// Groups packets into conversations (see `ObservedFlow`), in order of first appearance.
    public static func flows(from packets: [DecodedPacket]) -> [ObservedFlow] {
        struct Key: Hashable {
            var protocolNumber: UInt8
            var low: UInt64
            var high: UInt64
        }
        struct State {
            var flow: ObservedFlow
            /// How sure we are of the orientation: 2 SYN or echo request, 1 SYN-ACK or echo reply, 0 first packet.
            var confidence: Int
            var synSeen = false
            var synAckSeen = false
        }
        func endpoint(_ address: UInt32, _ port: UInt16) -> UInt64 { UInt64(address) << 16 | UInt64(port) }

        var index: [Key: Int] = [:]
        var states: [State] = []
        for packet in packets {
            let a = endpoint(packet.header.sourceAddress, packet.header.sourcePort)
            let b = endpoint(packet.header.destinationAddress, packet.header.destinationPort)
            let key = Key(protocolNumber: packet.protocolNumber, low: min(a, b), high: max(a, b))

            // What this packet says about who the client is.
            var confidence = 0
            var senderIsClient = true
            if let flags = packet.tcpFlags, flags.contains(.syn) {
                confidence = flags.contains(.ack) ? 1 : 2
                senderIsClient = !flags.contains(.ack)
            } else if let type = packet.icmpType, type == 8 || type == 0 {
                confidence = type == 8 ? 2 : 1
                senderIsClient = type == 8
            }
            let orientedHeader = senderIsClient ? packet.header : packet.header.reversed

            let slot: Int
            if let existing = index[key] {
                slot = existing
                if confidence > states[slot].confidence {
                    if states[slot].flow.header != orientedHeader {
                        states[slot].flow.header = orientedHeader
                        states[slot].flow.requestPackets = states[slot].flow.packets - states[slot].flow.requestPackets
                    }
                    states[slot].confidence = confidence
                }
            } else {
                slot = states.count
                index[key] = slot
                states.append(
                    State(
                        flow: ObservedFlow(
                            protocolNumber: packet.protocolNumber, header: orientedHeader,
                            firstSeen: packet.timestamp, lastSeen: packet.timestamp, packets: 0, bytes: 0,
                            requestPackets: 0, unansweredSYN: false),
                        confidence: confidence))
            }
            states[slot].flow.packets += 1
            states[slot].flow.bytes += packet.ipLength
            if packet.header == states[slot].flow.header { states[slot].flow.requestPackets += 1 }
            states[slot].flow.firstSeen = min(states[slot].flow.firstSeen, packet.timestamp)
            states[slot].flow.lastSeen = max(states[slot].flow.lastSeen, packet.timestamp)
            if let flags = packet.tcpFlags, flags.contains(.syn) {
                if flags.contains(.ack) { states[slot].synAckSeen = true } else { states[slot].synSeen = true }
            }
        }
        return states.map { state in
            var flow = state.flow
            flow.unansweredSYN = state.synSeen && !state.synAckSeen
            return flow
        }
    }
}

/// Bounds-checked big-endian reads: decoding never traps on truncated packets.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func skip(_ count: Int) -> Bool {
        guard position + count <= bytes.count else { return false }
        position += count
        return true
    }

    mutating func uint8() -> UInt8? {
        guard position < bytes.count else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uint16() -> UInt16? {
        guard position + 2 <= bytes.count else { return nil }
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    mutating func uint32() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        defer { position += 4 }
        return UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16 | UInt32(bytes[position + 2]) << 8
            | UInt32(bytes[position + 3])
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard position + count <= bytes.count else { return nil }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }
}
