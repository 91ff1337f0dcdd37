import Foundation
import VPCModel

/// A file or folder a command reads or writes, with how the user named it (for the message).
struct NamedPath {
    var path: String
    /// `--pcap`, `the topology`, `the scenario file`, …
    var role: String
    /// For an output whose name the user did not write (a file in a folder): the option to change.
    var option: String?

    /// A command's topology as an input; nothing for the embedded default network.
    static func topology(_ path: String?) -> [NamedPath] {
        path.map { [NamedPath(path: $0, role: "the topology")] } ?? []
    }
}

/// Outputs never overwrite inputs: every command checks the files it will write against the files it
/// reads, and against each other, before it writes anything, so a slip such as `--pcap topology.yaml`
/// is a usage error (exit 2) rather than a lost network.
enum OutputPaths {
    /// The path as the file system will resolve it: symlinks followed, relative to the current folder,
    /// `.` and `..` gone. A path that does not exist yet is its nearest existing ancestor, resolved, plus
    /// the rest, so that `./new.pcap` and `new.pcap` (or a symlinked folder) compare equal.
    static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return resolvedAbsolute(absolute)
    }

    private static func resolvedAbsolute(_ path: String) -> String {
        if let real = realpath(path, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let parent = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        guard parent != path, !parent.isEmpty else { return (path as NSString).standardizingPath }
        let base = resolvedAbsolute(parent)
        switch name {
        case "", ".": return base
        case "..": return (base as NSString).deletingLastPathComponent
        default: return (base as NSString).appendingPathComponent(name)
        }
    }

    /// Exits 2 (error and hint on stderr) when an output names an input, or a file an input folder
    /// is read from (an AWS describe-* snapshot), or another output.
    static func check(outputs: [NamedPath], inputs: [NamedPath]) throws {
        var read: [(path: String, named: NamedPath)] = []
        for input in inputs {
            let path = resolved(input.path)
            read.append((path, input))
            if AWSImporter.isSnapshotFolder(path) {
                read += AWSImporter.snapshotFiles(in: path).map { (resolved($0), NamedPath(path: $0, role: "a file of \(input.role)")) }
            }
        }
        var written: [(path: String, named: NamedPath)] = []
        for output in outputs {
            let path = resolved(output.path)
            if let input = read.first(where: { $0.path == path }) {
                throw usageError("\(output.role) \(output.path) is \(input.named.role) (\(input.named.path)), which this command reads",
                                 hint: "choose another \(output.option ?? output.role); vpcsim never writes over its inputs")
            }
            if let other = written.first(where: { $0.path == path }) {
                throw usageError("\(other.named.role) and \(output.role) both name \(output.path)",
                                 hint: "give each output a file of its own")
            }
            written.append((path, output))
        }
    }
}
