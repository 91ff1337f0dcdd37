#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One interface of a pcapng file: a capture point.
public struct CaptureInterface: Sendable, Hashable {
    public var name: String
    public var description: String
    public var mac: MACAddress?

    public init(name: String, description: String = "", mac: MACAddress? = nil) {
        self.name = name
        self.description = description
        self.mac = mac
    }
}

/// Writes pcapng (libpcap 1.10 can read it but not write it): a Section Header Block, one Interface
/// Description Block per capture point (`if_name`, `if_description`, `if_MACaddr`, `if_tsresol` = 9
/// for nanoseconds) and an Enhanced Packet Block per frame with `opt_comment`s. Little-endian.
/// Blocks are assembled in a buffer and written in large chunks.
public struct PcapngWriter: ~Copyable {
    public let path: String
    public let interfaces: [CaptureInterface]
    private var file: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8] = []
    private let filter: PacketFilter?
    public private(set) var packetsWritten = 0
    private static let flushThreshold = 1 << 20
    static let maximumOptionLength = 65532

    static let sectionHeaderType: UInt32 = 0x0A0D_0D0A
    static let interfaceDescriptionType: UInt32 = 0x0000_0001
    static let enhancedPacketType: UInt32 = 0x0000_0006
    static let snapLength: UInt32 = 65535

    public init(
        path: String, interfaces: [CaptureInterface], filter: PacketFilter? = nil, application: String = "vpcsim"
    ) throws(CaptureError) {
        self.path = path
        self.interfaces = interfaces
        self.filter = filter
        guard let file = fopen(path, "wb") else {
            throw .cannotOpen(path: path, message: String(cString: strerror(errno)))
        }
        self.file = file
        buffer.reserveCapacity(Self.flushThreshold + 70_000)

        var options: [UInt8] = []
        Self.appendOption(&options, code: 4, string: application)  // shb_userappl
        var body: [UInt8] = []
        body.appendLittleEndian(UInt32(0x1A2B_3C4D))  // byte-order magic
        body.appendLittleEndian(UInt16(1))  // major
        body.appendLittleEndian(UInt16(0))  // minor
        body.appendLittleEndian(UInt32.max)  // section length unknown (-1), 64 bits
        body.appendLittleEndian(UInt32.max)
        Self.appendBlock(&buffer, type: Self.sectionHeaderType, body: body, options: options)

        for interface in interfaces {
            var options: [UInt8] = []
            Self.appendOption(&options, code: 2, string: interface.name)  // if_name
            if !interface.description.isEmpty {
                Self.appendOption(&options, code: 3, string: interface.description)  // if_description
            }
            if let mac = interface.mac {
                Self.appendOption(&options, code: 6, bytes: mac.octets)  // if_MACaddr
            }
            Self.appendOption(&options, code: 9, bytes: [9])  // if_tsresol: 10^-9 s
            var body: [UInt8] = []
            body.appendLittleEndian(UInt16(1))  // LINKTYPE_ETHERNET
            body.appendLittleEndian(UInt16(0))  // reserved
            body.appendLittleEndian(Self.snapLength)
            Self.appendBlock(&buffer, type: Self.interfaceDescriptionType, body: body, options: options)
        }
    }

    /// Appends one frame recorded on `interfaceIndex`; `comments` become `opt_comment` options.
    public mutating func write(
        timestamp: UInt64, interfaceIndex: Int, frame: UnsafeRawBufferPointer, comments: [String] = []
    ) throws(CaptureError) {
        guard interfaceIndex >= 0, interfaceIndex < interfaces.count else {
            throw .writeFailed(
                path: path,
                message: "packet for interface \(interfaceIndex), but the file declares \(interfaces.count) interfaces")
        }
        if let filter, !filter.matches(frame) { return }
        let padded = (frame.count + 3) & ~3
        var optionsLength = 0
        for comment in comments {
            optionsLength += 4 + ((min(comment.utf8.count, Self.maximumOptionLength) + 3) & ~3)
        }
        if optionsLength > 0 { optionsLength += 4 }  // opt_endofopt
        let total = 32 + padded + optionsLength
        buffer.appendLittleEndian(Self.enhancedPacketType)
        buffer.appendLittleEndian(UInt32(truncatingIfNeeded: total))
        buffer.appendLittleEndian(UInt32(truncatingIfNeeded: interfaceIndex))
        buffer.appendLittleEndian(UInt32(truncatingIfNeeded: timestamp >> 32))
        buffer.appendLittleEndian(UInt32(truncatingIfNeeded: timestamp))
        buffer.appendLittleEndian(UInt32(truncatingIfNeeded: frame.count))
        buffer.appendLittleEndian(UInt32(truncatingIfNeeded: frame.count))
        buffer.append(contentsOf: frame)
        for _ in frame.count..<padded { buffer.append(0) }
        if optionsLength > 0 {
            for comment in comments {
                Self.appendOption(&buffer, code: 1, string: comment)
            }
            buffer.appendLittleEndian(UInt32(0))
        }
        buffer.appendLittleEndian(UInt32(truncatingIfNeeded: total))
        packetsWritten += 1
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    public mutating func write(
        timestamp: UInt64, interfaceIndex: Int, frame: [UInt8], comments: [String] = []
    ) throws(CaptureError) {
        var failure: CaptureError?
        frame.withUnsafeBytes { bytes in
            do throws(CaptureError) {
                try write(timestamp: timestamp, interfaceIndex: interfaceIndex, frame: bytes, comments: comments)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    public mutating func write(_ packet: CapturedPacket) throws(CaptureError) {
        try write(
            timestamp: packet.timestamp, interfaceIndex: packet.interfaceIndex, frame: packet.frame,
            comments: packet.comments)
    }

    private mutating func flush() throws(CaptureError) {
        guard let file, !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        if written != buffer.count {
            throw .writeFailed(path: path, message: String(cString: strerror(errno)))
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file.
    public consuming func close() throws(CaptureError) {
        var failure: CaptureError?
        do { try flush() } catch { failure = error }
        if let file {
            if fclose(file) != 0, failure == nil {
                failure = .writeFailed(path: path, message: String(cString: strerror(errno)))
            }
        }
        file = nil
        if let failure { throw failure }
    }

    deinit {
        if let file {
            if !buffer.isEmpty {
                _ = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            }
            fclose(file)
        }
    }

    static func appendOption(_ buffer: inout [UInt8], code: UInt16, string: String) {
        appendOption(&buffer, code: code, bytes: Array(string.utf8))
    }

    static func appendOption(_ buffer: inout [UInt8], code: UInt16, bytes: [UInt8]) {
        // Option values are at most 65535 bytes; longer comments are cut rather than corrupting the block.
        let value = bytes.count > maximumOptionLength ? Array(bytes[0..<maximumOptionLength]) : bytes
        buffer.appendLittleEndian(code)
        buffer.appendLittleEndian(UInt16(value.count))
        buffer.append(contentsOf: value)
        for _ in 0..<((4 - value.count % 4) % 4) { buffer.append(0) }
    }

    static func appendBlock(_ buffer: inout [UInt8], type: UInt32, body: [UInt8], options: [UInt8]) {
        let optionsLength = options.isEmpty ? 0 : options.count + 4
        let total = 12 + body.count + optionsLength
        buffer.appendLittleEndian(type)
        buffer.appendLittleEndian(UInt32(total))
        buffer.append(contentsOf: body)
        if !options.isEmpty {
            buffer.append(contentsOf: options)
            buffer.appendLittleEndian(UInt32(0))  // opt_endofopt
        }
        buffer.appendLittleEndian(UInt32(total))
    }
}
