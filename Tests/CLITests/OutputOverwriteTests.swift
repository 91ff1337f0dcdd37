import Foundation
import Testing

/// Outputs never overwrite inputs: an output option naming a file the same command reads (however it
/// is spelled: `./a`, `sub/../a`, a symlink), a file of an AWS folder it reads, or another output is
/// exit 2 with a hint, and nothing is written.
@Suite struct OutputsNeverOverwriteInputsTests {
    /// A scratch folder: seed 000 as `net.yaml` (and `link.yaml`, a symlink to it), a capture of
    /// Lambda-Internal's blocked egress `s-leak.pcapng`, a scenario `s.yaml` on them whose check
    /// `leak` fails (so `--pcap-dir .` would write `s-leak.pcapng`) and which replays that capture, an
    /// AWS folder `snap/`, and an empty folder `sub/`.
    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-overwrite-\(UUID().uuidString)")
        let files = FileManager.default
        try files.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try files.copyItem(at: CLI.root.appendingPathComponent("Fixtures/seeds/000-lambda-endpoints.yaml"), to: folder.appendingPathComponent("net.yaml"))
        try files.createSymbolicLink(atPath: folder.appendingPathComponent("link.yaml").path, withDestinationPath: "net.yaml")
        try files.copyItem(at: CLI.root.appendingPathComponent("Fixtures/aws/public-private-nat"), to: folder.appendingPathComponent("snap"))
        let capture = try CLI.run(["trace", "--from", "Lambda-Internal", "--to", "internet", "--proto", "tcp", "--port", "443", "--pcap", "s-leak.pcapng"],
                                  in: folder)
        #expect(capture.status == 0, "\(capture.stderr)")
        try """
        topology: net.yaml
        checks:
          - {name: leak, from: Lambda-Internal, to: internet, expect: reachable}
        traffic:
          - {pcap: s-leak.pcapng, interface: Lambda-Internal, expect: reject}

        """.write(to: folder.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    /// Every file and folder under `folder` with its bytes (a folder's are empty).
    static func contents(_ folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        guard let walk = FileManager.default.enumerator(atPath: folder.path) else { return result }
        for case let name as String in walk {
            let path = folder.appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            result[name] = isDirectory.boolValue ? Data() : try Data(contentsOf: URL(fileURLWithPath: path))
        }
        return result
    }

    static let trace = ["--from", "Lambda-Internet", "--to", "internet", "--proto", "tcp", "--port", "443"]
    static let question = "can Lambda-Internet reach the internet"

    /// The arguments (run in the scratch folder) and what the error says.
    static let cases: [([String], String)] = [
        (["trace", "net.yaml"] + trace + ["--pcap", "./net.yaml"], "--pcap ./net.yaml is the topology (net.yaml)"),
        (["trace", "--topology", "link.yaml"] + trace + ["--flow-logs", "net.yaml"], "--flow-logs net.yaml is the topology (link.yaml)"),
        (["query", "--topology", "net.yaml", question, "--flow-logs", "sub/../net.yaml"], "is the topology"),
        (["query", question, "--pcap", "x.pcapng", "--flow-logs", "./x.pcapng"], "--pcap and --flow-logs both name ./x.pcapng"),
        (["trace"] + trace + ["--pcap", "new/x.pcap", "--flow-logs", "new/../new/x.pcap"], "--pcap and --flow-logs both name"),
        (["check", "s.yaml", "--junit", "s.yaml"], "--junit s.yaml is the scenario file (s.yaml)"),
        (["check", "s.yaml", "--junit", "link.yaml"], "--junit link.yaml is the topology of s.yaml (net.yaml)"),
        (["check", "s.yaml", "--junit", "./s-leak.pcapng"], "is a capture s.yaml replays (s-leak.pcapng)"),
        (["check", "s.yaml", "--pcap-dir", "net.yaml"], "--pcap-dir net.yaml is the topology of s.yaml"),
        (["check", "s.yaml", "--junit", "out", "--pcap-dir", "out/"], "--junit and --pcap-dir both name out/"),
        (["check", "s.yaml", "--pcap-dir", "."], "s-leak.pcapng is a capture s.yaml replays"),
        (["check", "s.yaml", "--pcap-dir", "caps", "--junit", "caps/s-leak.pcapng"], "--junit and the --pcap-dir capture both name"),
        (["import", "aws", "snap", "-o", "snap/describe-vpcs.json"], "is a file of the imported folder"),
        (["export", "aws", "snap", "-o", "snap"], "-o snap is the topology (snap)"),
        (["export", "aws", "--topology", "snap/", "-o", "./snap"], "is the topology"),
    ]

    @Test(arguments: cases)
    func anOutputNamingAnInputOrAnotherOutputIsExitTwoAndWritesNothing(arguments: [String], message: String) throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try Self.contents(folder)
        let result = try CLI.run(arguments, in: folder)
        #expect(result.status == 2, "\(arguments): \(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("error: ") && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("hint: "), "\(result.stderr)")
        #expect(result.stdout.isEmpty, "\(arguments): nothing is answered either: \(result.stdout)")
        let after = try Self.contents(folder)
        #expect(after.keys.sorted() == before.keys.sorted(), "\(arguments) created or removed files")
        #expect(after == before, "\(arguments) changed a file")
    }

    /// The scratch scenario itself runs (its check fails, its traffic passes), and outputs of their own are written.
    @Test func distinctOutputsAreWritten() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let check = try CLI.run(["check", "s.yaml", "--junit", "report.xml", "--pcap-dir", "caps"], in: folder)
        #expect(check.status == 1, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("FAIL  leak"), "\(check.stdout)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("report.xml").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("caps/s-leak.pcapng").path))
        let trace = try CLI.run(["trace", "net.yaml"] + Self.trace + ["--pcap", "nat.pcapng", "--flow-logs", "nat.log"], in: folder)
        #expect(trace.status == 0, "\(trace.stderr)")
        let imported = try CLI.run(["import", "aws", "snap", "-o", "snap/topology.yaml"], in: folder)
        #expect(imported.status == 0, "a new file in the folder overwrites nothing: \(imported.stderr)")
    }
}
