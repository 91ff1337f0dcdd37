import Foundation
import Testing

/// `vpcsim diff` and `vpcsim replay`: exit codes 0/1/2 and what they print.
@Suite struct DiffReplayCommandTests {
    static let seed000 = "Fixtures/seeds/000-lambda-endpoints.yaml"

    func temporary(_ name: String, _ text: String? = nil) throws -> URL { try CLI.temporaryFile(name, text) }

    @Test func diffExitCodes() throws {
        let same = try CLI.run(["diff", Self.seed000, Self.seed000])
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        #expect(same.stdout.contains(": 0 of "))

        let changed = try CLI.run(["diff", Self.seed000, "--fault", "remove=NAT-GW-B"])
        #expect(changed.status == 1, "\(changed.stderr)")
        #expect(changed.stdout.contains("CHANGED  Lambda-Internet -> internet  (yes -> partly)"), "\(changed.stdout)")
        #expect(changed.stdout.contains("  - tcp/443 from Lambda-Internet@private-b no longer reaches internet\n"))
        #expect(changed.stdout.contains("was: gets through: Lambda-Internet@private-b → NAT-GW-B → IGW → internet"))
        #expect(changed.stdout.contains("now: blocked: BAD_STATE_ROUTE at private-b"))
        #expect(!changed.stdout.contains("from Lambda-Internet@private-a"))

        let allowed = try CLI.run(["diff", Self.seed000, "--fault", "remove=NAT-GW-B", "--allow-changes", "--format", "json"])
        #expect(allowed.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(allowed.stdout.utf8)) as? [String: Any]
        let result = json?["result"] as? [String: Any]
        #expect((result?["changes"] as? [Any])?.isEmpty == false)

        for bad in [["diff", Self.seed000, "--fault", "remove=NAT-GW-Z"], ["diff", Self.seed000, "--fault", "bogus=1"],
                    ["diff", Self.seed000], ["diff", "/nonexistent.yaml", Self.seed000]] {
            let result = try CLI.run(bad)
            #expect(result.status == 2, "\(bad): \(result.stderr)")
            #expect(!result.stderr.isEmpty)
        }
    }

    static let log = """
    version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
    2 123456789012 eni-c0ea899db29c896c5 10.0.11.11 8.8.8.8 40000 443 6 10 840 1700000000 1700000060 ACCEPT OK
    2 123456789012 eni-c0ea899db29c896c5 8.8.8.8 10.0.11.11 443 40000 6 10 4000 1700000000 1700000060 ACCEPT OK
    2 123456789012 eni-10fabfd7dd9988501 10.0.11.12 8.8.8.8 40001 443 6 3 180 1700000000 1700000060 REJECT OK
    2 123456789012 eni-df1210d7dbd3b54f6 10.0.11.11 10.0.11.14 40002 443 6 5 400 1700000000 1700000060 ACCEPT OK
    2 123456789012 eni-a3267a2949878ced4 - - - - - - - 1700000000 1700000060 - NODATA
    2 123456789012 eni-0000000000000000 10.9.9.9 8.8.8.8 40000 443 6 10 840 1700000000 1700000060 ACCEPT OK

    """

    @Test("replay of /dev/zero or a FIFO is refused at once with exit 2 (no hang, no growth)")
    func replayRefusesNonRegularFiles() throws {
        let device = try CLI.run(["replay", "--flow-logs", "/dev/zero"])
        #expect(device.status == 2)
        #expect(device.stderr.hasPrefix("/dev/zero: error: the flow log is not a regular file (it is a character device)\n  hint: "))
        let fifo = NSTemporaryDirectory() + "vpcsim-cli-fifo-\(UUID().uuidString)"
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        let topology = try CLI.run(["validate", fifo])
        #expect(topology.status == 2)
        #expect(topology.stderr.hasPrefix("\(fifo): error: the topology is not a regular file (it is a FIFO)\n  hint: "))
    }

    @Test func replayExitCodes() throws {
        let good = try temporary("good.log", Self.log)
        defer { try? FileManager.default.removeItem(at: good) }
        let ok = try CLI.run(["replay", "--flow-logs", good.path, "--topology", Self.seed000])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("6 records: 4 agree, 0 disagree, 2 skipped"), "\(ok.stdout)")
        #expect(ok.stdout.contains("skipped 1: interface not in the network"))

        let planted = try temporary("bad.log", Self.log.replacingOccurrences(of: "180 1700000000 1700000060 REJECT", with: "180 1700000000 1700000060 ACCEPT"))
        defer { try? FileManager.default.removeItem(at: planted) }
        let bad = try CLI.run(["replay", "--flow-logs", planted.path])
        #expect(bad.status == 1, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stdout.contains("DISAGREE  \(planted.path):4"), "\(bad.stdout)")
        #expect(bad.stdout.contains("ENI_SG_RULES_MISMATCH"))
        #expect(bad.stdout.contains("3 agree, 1 disagree"))

        let broken = try temporary("broken.log", "2 123456789012 eni-x 10.0.0.1 10.0.0.2 1 2 6 1 1 5 4 ACCEPT OK\n")
        defer { try? FileManager.default.removeItem(at: broken) }
        let malformed = try CLI.run(["replay", "--flow-logs", broken.path])
        #expect(malformed.status == 2)
        #expect(malformed.stderr.contains("\(broken.path):1:"), "\(malformed.stderr)")

        #expect(try CLI.run(["replay"]).status == 2)
        #expect(try CLI.run(["replay", "--flow-logs", "/nonexistent.log"]).status == 2)
    }
}
