/// Everything that can go wrong writing or reading captures. Each case carries what a user needs to
/// fix it; `description` is the message the command line prints.
public enum CaptureError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The output file name ends neither in `.pcap` nor in `.pcapng`.
    case unsupportedFormat(path: String)
    /// `pcap_compile` rejected a BPF expression; `message` is `pcap_geterr`'s text.
    case invalidFilter(expression: String, message: String)
    /// The file could not be created or opened.
    case cannotOpen(path: String, message: String)
    /// Writing failed part way (disk full, I/O error).
    case writeFailed(path: String, message: String)
    /// The file is not a capture, or is corrupt or truncated. `packet` is the 1-based number of the
    /// record that failed and `offset` its byte offset in the file, when known.
    case unreadable(path: String, packet: Int?, offset: Int64?, message: String)
    /// The input is not a regular file or is larger than vpcsim reads (`InputLimits`).
    case refused(path: String, message: String, hint: String)
    /// A timestamp does not fit the capture format (classic pcap: unsigned 32-bit seconds, until 2106).
    case timestampOutOfRange(path: String, packet: Int, timestamp: UInt64, message: String)
    /// The simulated flow cannot be synthesized as given.
    case invalidFlow(String)

    public var description: String {
        switch self {
        case .unsupportedFormat(let path):
            return "\(path): error: unknown capture format; "
                + "hint: name the file *.pcap (classic libpcap) or *.pcapng (with interface names and packet comments)"
        case .invalidFilter(let expression, let message):
            return "error: invalid capture filter '\(expression)': \(message); "
                + "hint: use tcpdump/BPF syntax, e.g. 'tcp port 443 and host 10.0.1.5'"
        case .cannotOpen(let path, let message):
            return "\(path): error: cannot open: \(message); hint: check that the folder exists and is writable/readable"
        case .writeFailed(let path, let message):
            return "\(path): error: write failed: \(message); hint: check free disk space and permissions"
        case .unreadable(let path, let packet, let offset, let message):
            var location = path
            if let packet { location += ": packet \(packet)" }
            if let offset { location += " (byte offset \(offset))" }
            return "\(location): error: \(message); hint: the file is not a pcap/pcapng capture, or it is truncated or corrupt"
        case .refused(let path, let message, let hint):
            return "\(path): error: \(message); hint: \(hint)"
        case .timestampOutOfRange(let path, let packet, _, let message):
            return "\(path): packet \(packet): error: \(message); hint: write the capture as .pcapng (64-bit timestamps) or start the flows earlier"
        case .invalidFlow(let message):
            return "error: cannot synthesize packets: \(message)"
        }
    }
}
