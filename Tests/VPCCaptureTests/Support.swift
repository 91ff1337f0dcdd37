import Foundation
import Testing
import VPCCapture

struct TSharkMissing: Error, CustomStringConvertible {
    var description: String {
        "tshark not found on PATH. These tests check vpcsim's captures with the real Wireshark dissectors; "
            + "install it with `Scripts/install-deps --test` (Debian/Ubuntu package `tshark`)."
    }
}

/// Runs the real tshark. Its exit status says nothing about expert info, so callers count lines.
enum TShark {
    /// The checksum-validating, expert-aware filter: a clean file prints nothing.
    static let problemFilter =
        "ip.checksum.status != 1 || tcp.checksum.status != 1 || _ws.expert.severity >= warning || _ws.malformed"
    static let checksumOptions = [
        "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
    ]

    /// Expert severities as Wireshark encodes them in `_ws.expert.severity`.
    static let comment = 0x0010_0000
    static let chat = 0x0020_0000
    static let note = 0x0040_0000
    static let warning = 0x0060_0000

    static func executable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/tshark"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TSharkMissing()
    }

    /// stdout of `tshark -r file <arguments>`, split into non-empty lines.
    static func lines(_ file: String, _ arguments: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = ["-r", file] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    /// Frames that fail a checksum, carry a warning or error, or are malformed.
    static func problems(_ file: String) throws -> [String] {
        try lines(file, checksumOptions + ["-Y", problemFilter])
    }

    /// Tab-separated fields (`-T fields -e …`) of the frames matching `filter` (all if nil).
    static func fields(_ file: String, _ names: [String], filter: String? = nil) throws -> [[String]] {
        var arguments = checksumOptions + ["-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"]
        for name in names { arguments += ["-e", name] }
        if let filter { arguments += ["-Y", filter] }
        return try lines(file, arguments).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }
}

/// A fresh folder under the system temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-capture-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url.path)
}

func fileBytes(_ path: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: path))
}
