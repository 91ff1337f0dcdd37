import Foundation
import Testing

/// `--pcap`, `--filter`, `--flow-logs`, `--capture-start` on `trace` and `query`.
@Suite struct CaptureCommandTests {
    static let natTrace = ["trace", "--from", "Lambda-Internet", "--to", "internet", "--proto", "tcp", "--port", "443"]

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-cli-capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// pcap magic (either byte order) or the pcapng section header block type.
    func magic(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(4))
    }

    @Test func tracePcapAndPcapngByExtension() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pcap = dir.appendingPathComponent("nat.pcap").path
        let pcapng = dir.appendingPathComponent("nat.pcapng").path
        let first = try CLI.run(Self.natTrace + ["--pcap", pcap])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("yes: delivered to internet"))
        #expect(first.stderr.contains("wrote "))
        #expect(try magic(pcap) == [0xD4, 0xC3, 0xB2, 0xA1] || magic(pcap) == [0x4D, 0x3C, 0xB2, 0xA1])
        let second = try CLI.run(Self.natTrace + ["--pcap", pcapng])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try magic(pcapng) == [0x0A, 0x0D, 0x0D, 0x0A])
        // Deterministic: a second run gives the same bytes.
        let again = dir.appendingPathComponent("again.pcapng").path
        #expect(try CLI.run(Self.natTrace + ["--pcap", again]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(contentsOf: URL(fileURLWithPath: pcapng)))
    }

    @Test func filterKeepsMatchingPacketsOnly() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let all = dir.appendingPathComponent("all.pcap").path
        let syn = dir.appendingPathComponent("syn.pcap").path
        #expect(try CLI.run(Self.natTrace + ["--pcap", all]).status == 0)
        let result = try CLI.run(Self.natTrace + ["--pcap", syn, "--filter", "tcp[tcpflags] == tcp-syn"])
        #expect(result.status == 0, "\(result.stderr)")
        let allSize = try Data(contentsOf: URL(fileURLWithPath: all)).count
        let synSize = try Data(contentsOf: URL(fileURLWithPath: syn)).count
        #expect(synSize > 24 && synSize < allSize)
    }

    @Test(arguments: [["--filter", "tcp port"], ["--filter", "nonsense((("]])
    func badFilterIsExit2(arguments: [String]) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.pcap").path
        let result = try CLI.run(Self.natTrace + ["--pcap", path] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains("invalid capture filter"))
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func unknownExtensionAndFilterWithoutPcapAreExit2() throws {
        let badName = try CLI.run(Self.natTrace + ["--pcap", "/tmp/x.cap"])
        #expect(badName.status == 2)
        #expect(badName.stderr.contains(".pcapng"))
        let noPcap = try CLI.run(Self.natTrace + ["--filter", "tcp"])
        #expect(noPcap.status == 2)
        #expect(noPcap.stderr.contains("--pcap"))
        let badTime = try CLI.run(Self.natTrace + ["--pcap", "/tmp/x.pcap", "--capture-start", "yesterday"])
        #expect(badTime.status == 2)
    }

    @Test func flowLogsAcceptAndReject() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let accepted = dir.appendingPathComponent("nat.log").path
        #expect(try CLI.run(Self.natTrace + ["--flow-logs", accepted, "--capture-start", "2026-03-01T12:00:00Z"]).status == 0)
        let lines = try String(contentsOfFile: accepted, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status")
        #expect(lines.count > 1)
        #expect(lines.dropFirst().allSatisfy { $0.hasSuffix(" ACCEPT OK") && $0.hasPrefix("2 ") })
        #expect(lines.count > 1 && lines[1].contains(" 1772366400 "))
        let rejected = dir.appendingPathComponent("internal.log").path
        let result = try CLI.run(["query", "can Lambda-Internal reach the internet on tcp/443", "--flow-logs", rejected,
                                  "--pcap", dir.appendingPathComponent("internal.pcapng").path])
        #expect(result.status == 0, "\(result.stderr)")
        let records = try String(contentsOfFile: rejected, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(!records.isEmpty)
        #expect(records.allSatisfy { $0.hasSuffix(" REJECT OK") && $0.contains(" 443 6 3 ") })
    }
}
