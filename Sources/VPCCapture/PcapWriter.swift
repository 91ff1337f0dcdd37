import CPcap

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes classic pcap through libpcap itself (`pcap_dump`), with nanosecond timestamps, so the
/// file is exactly what tcpdump would write. Noncopyable: it owns the open dump file, which is
/// closed once, by `close()` or, failing that, when the writer goes away.
public struct PcapWriter: ~Copyable {
    public let path: String
    private var handle: OpaquePointer?
    private var dumper: OpaquePointer?
    // Visible to inlinable `write`: the per-packet path is inlined into the caller's loop.
    /// `pcap_dump` takes the dumper as its `u_char *user` argument.
    @usableFromInline var user: UnsafeMutablePointer<UInt8>?
    @usableFromInline let filter: PacketFilter?
    @usableFromInline var written = 0

    /// The latest time classic pcap holds, in nanoseconds since the Unix epoch: its record header
    /// stores unsigned 32-bit seconds (2106-02-07 06:28:15 UTC) and the nanoseconds below them.
    public static let maximumTimestamp: UInt64 = UInt64(UInt32.max) * 1_000_000_000 + 999_999_999

    /// Frames written so far (after the filter).
    public var packetsWritten: Int { written }

    /// Creates (or truncates) `path`. `filter`, if given, keeps only matching frames.
    public init(path: String, filter: PacketFilter? = nil) throws(CaptureError) {
        self.path = path
        self.filter = filter
        guard
            let handle = pcap_open_dead_with_tstamp_precision(
                Int32(PacketFilter.LinkType.ethernet.rawValue), 65535, UInt32(PCAP_TSTAMP_PRECISION_NANO))
        else {
            throw .cannotOpen(path: path, message: "libpcap could not create an Ethernet handle")
        }
        guard let dumper = pcap_dump_open(handle, path) else {
            let message = pcap_geterr(handle).map { String(cString: $0) } ?? "pcap_dump_open failed"
            pcap_close(handle)
            throw .cannotOpen(path: path, message: message)
        }
        self.handle = handle
        self.dumper = dumper
        self.user = UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self)
    }

    /// Appends one frame. `timestamp` is in nanoseconds since the Unix epoch.
    @inlinable
    public mutating func write(timestamp: UInt64, frame: UnsafeRawBufferPointer) {
        guard let user, let bytes = frame.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        if let filter, !filter.matches(frame) { return }
        var header = pcap_pkthdr()
        header.ts.tv_sec = Int(truncatingIfNeeded: timestamp / 1_000_000_000)
        // With a nanosecond-precision handle, libpcap stores tv_usec as nanoseconds.
        header.ts.tv_usec = Int(truncatingIfNeeded: timestamp % 1_000_000_000)
        header.caplen = UInt32(truncatingIfNeeded: frame.count)
        header.len = header.caplen
        pcap_dump(user, &header, bytes)
        written += 1
    }

    @inlinable
    public mutating func write(timestamp: UInt64, frame: [UInt8]) {
        frame.withUnsafeBytes { write(timestamp: timestamp, frame: $0) }
    }

    @inlinable
    public mutating func write(_ packet: CapturedPacket) {
        packet.frame.withUnsafeBytes { write(timestamp: packet.timestamp, frame: $0) }
    }

    /// Flushes and closes the file, reporting an I/O error that `pcap_dump` could not.
    public consuming func close() throws(CaptureError) {
        var failure: String?
        if let dumper {
            if pcap_dump_flush(dumper) != 0 {
                failure = String(cString: strerror(errno))
            } else if let file = pcap_dump_file(dumper), ferror(file) != 0 {
                failure = "I/O error"
            }
            pcap_dump_close(dumper)
        }
        if let handle { pcap_close(handle) }
        dumper = nil
        handle = nil
        user = nil
        if let failure { throw .writeFailed(path: path, message: failure) }
    }

    deinit {
        if let dumper { pcap_dump_close(dumper) }
        if let handle { pcap_close(handle) }
    }
}
