import CPcap

/// A compiled BPF expression (`--filter 'tcp port 443'`), applied to frames vpcsim writes or reads.
/// A class because it owns the C program that `pcap_freecode` must release exactly once; the
/// program is immutable after compilation, so sharing it across threads is safe.
public final class PacketFilter: @unchecked Sendable {
    public let expression: String
    private let program: UnsafeMutablePointer<bpf_program>

    /// For `pcap_offline_filter` in the reader.
    var programPointer: UnsafePointer<bpf_program> { UnsafePointer(program) }

    /// Link type of the frames the filter will see.
    public enum LinkType: Int32, Sendable {
        case ethernet = 1  // DLT_EN10MB
        case raw = 12  // DLT_RAW
        case linuxCooked = 113  // DLT_LINUX_SLL
        case linuxCooked2 = 276  // DLT_LINUX_SLL2
    }

    /// Compiles `expression` for Ethernet frames (what vpcsim writes).
    public convenience init(_ expression: String) throws(CaptureError) {
        try self.init(expression, linkType: Int32(LinkType.ethernet.rawValue))
    }

    /// Compiles `expression` for the given DLT, on a dead handle: no device is opened.
    public convenience init(_ expression: String, linkType: Int32) throws(CaptureError) {
        guard let handle = pcap_open_dead(linkType, 65535) else {
            throw .invalidFilter(expression: expression, message: "libpcap could not create a handle for link type \(linkType)")
        }
        defer { pcap_close(handle) }
        try self.init(expression: expression, handle: handle)
    }

    /// Compiles against an open handle (a file being read), so the link type matches it.
    init(expression: String, handle: OpaquePointer) throws(CaptureError) {
        self.expression = expression
        let program = UnsafeMutablePointer<bpf_program>.allocate(capacity: 1)
        program.initialize(to: bpf_program())
        let status = pcap_compile(handle, program, expression, 1, PCAP_NETMASK_UNKNOWN)
        guard status == 0 else {
            let message = pcap_geterr(handle).map { String(cString: $0) } ?? "syntax error"
            program.deinitialize(count: 1)
            program.deallocate()
            throw .invalidFilter(expression: expression, message: message)
        }
        self.program = program
    }

    deinit {
        pcap_freecode(program)
        program.deinitialize(count: 1)
        program.deallocate()
    }

    /// Whether the frame passes the filter. `frame` is the captured bytes; `originalLength` the
    /// length on the wire (the same for everything vpcsim writes).
    public func matches(_ frame: UnsafeRawBufferPointer, originalLength: Int? = nil) -> Bool {
        guard let base = frame.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        var header = pcap_pkthdr()
        header.caplen = UInt32(truncatingIfNeeded: frame.count)
        header.len = UInt32(truncatingIfNeeded: originalLength ?? frame.count)
        return pcap_offline_filter(program, &header, base) != 0
    }

    public func matches(_ frame: [UInt8]) -> Bool {
        frame.withUnsafeBytes { matches($0) }
    }
}
