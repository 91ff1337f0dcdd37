import Foundation

/// How much vpcsim reads from one input, in one place. The limits are far above any real input
/// (AWS's describe-* output of a 100,000-interface account is a few hundred MiB) and exist so that
/// a wrong path (`/dev/zero`, a FIFO, a disk image) is refused instead of filling memory.
public enum InputLimits {
    /// The largest file vpcsim reads: topology YAML/JSON, AWS describe-* JSON, scenario files, flow
    /// logs and pcap/pcapng captures (1 GiB).
    public static let maximumFileSize: Int64 = 1 << 30
    /// The longest line of a line-based input (VPC Flow Log records; 64 KiB, about 300 times an AWS
    /// default-format record).
    public static let maximumLineLength = 64 * 1024
}

/// Opens inputs for every reader of vpcsim: only regular files, at most `InputLimits.maximumFileSize`
/// bytes, checked before anything is read (a FIFO or a device never blocks or grows a read).
public enum InputFile {
    /// What the file at `path` is, when it is not a regular file: "a FIFO", "a directory", …
    static func kind(of mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a file"
        }
    }

    /// "1.5 GiB", "300 MiB", for messages about sizes.
    public static func describeSize(_ bytes: Int64) -> String {
        let gib = Double(bytes) / Double(1 << 30)
        if gib >= 1 { return String(format: "%.1f GiB", gib) }
        return "\(bytes / (1 << 20)) MiB"
    }

    /// The error for `path`, or nil when it is a regular file vpcsim may read. `what` names the
    /// input in messages ("the topology", "the flow log"). Follows symbolic links.
    public static func problem(_ path: String, what: String, maximumSize: Int64 = InputLimits.maximumFileSize,
                               missingHint: String = "check the path") -> Diagnostic? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = errno
            if reason == ENOENT || reason == ENOTDIR {
                return Diagnostic(.error, at: nil, file: path, "no such file", hint: missingHint)
            }
            return Diagnostic(.error, at: nil, file: path, "cannot be read: \(String(cString: strerror(reason)))",
                              hint: "check the path and its permissions")
        }
        return problem(path, info: info, what: what, maximumSize: maximumSize)
    }

    static func problem(_ path: String, info: stat, what: String, maximumSize: Int64) -> Diagnostic? {
        if let kind = kind(of: info.st_mode) {
            return Diagnostic(.error, at: nil, file: path, "\(what) is not a regular file (it is \(kind))",
                              hint: "vpcsim reads \(what) from a regular file only (a FIFO or device could block or never end); save a stream to a file first")
        }
        if Int64(info.st_size) > maximumSize {
            return Diagnostic(.error, at: nil, file: path,
                              "\(what) is \(describeSize(Int64(info.st_size))), more than the \(describeSize(maximumSize)) vpcsim reads",
                              hint: "check that this is the right file; split a larger input into several files")
        }
        return nil
    }

    /// The bytes of the regular file at `path` (at most `maximumSize`). The file is opened without
    /// blocking and checked on the open descriptor, so a FIFO swapped in after a check is refused too.
    public static func read(_ path: String, what: String, maximumSize: Int64 = InputLimits.maximumFileSize,
                            missingHint: String = "check the path") throws(InputError) -> [UInt8] {
        if let problem = problem(path, what: what, maximumSize: maximumSize, missingHint: missingHint) { throw InputError(problem) }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw InputError(Diagnostic(.error, at: nil, file: path, "cannot be read: \(String(cString: strerror(errno)))",
                                        hint: "check the path and its permissions"))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw InputError(Diagnostic(.error, at: nil, file: path, "cannot be read: \(String(cString: strerror(errno)))"))
        }
        if let problem = problem(path, info: info, what: what, maximumSize: maximumSize) { throw InputError(problem) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(Diagnostic(.error, at: nil, file: path, "read failed: \(String(cString: strerror(errno)))"))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            // The file grew while it was read.
            if Int64(bytes.count) > maximumSize {
                throw InputError(Diagnostic(.error, at: nil, file: path, "\(what) is larger than the \(describeSize(maximumSize)) vpcsim reads",
                                            hint: "check that this is the right file; split a larger input into several files"))
            }
        }
        return bytes
    }

    /// The file as UTF-8 text (see `read`); invalid UTF-8 is an error.
    public static func readText(_ path: String, what: String, maximumSize: Int64 = InputLimits.maximumFileSize,
                                missingHint: String = "check the path") throws(InputError) -> String {
        let bytes = try read(path, what: what, maximumSize: maximumSize, missingHint: missingHint)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError(Diagnostic(.error, at: nil, file: path, "cannot be read as UTF-8 text",
                                        hint: nil))
        }
        return text
    }
}
