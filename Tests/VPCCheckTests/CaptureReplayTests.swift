import Foundation
import Testing
import VPCCapture
import VPCCheck
import VPCEngine
import VPCModel

/// `traffic: {pcap: FILE, interface: NAME}` on seed 000, with captures vpcsim itself writes
/// (`EngineCapture`, as `vpcsim trace --pcap` does).
@Suite struct CaptureReplayTests {
    static let interface = "Lambda-Internet@private-a"

    /// A temporary folder with a pcapng of the traced flows `from` → `to` for each (protocol, port).
    static func capture(_ network: Network, in folder: URL, name: String, _ flows: [(to: String, ipProtocol: IPProtocol, port: UInt16?)]) throws -> URL {
        let engine = QueryEngine(network: network)
        var representatives: [RepresentativeFlow] = []
        for flow in flows {
            let query = Query(from: Self.interface, to: flow.to, ipProtocol: flow.ipProtocol, ports: flow.port.map { PortRange(port: $0) })
            representatives += try engine.traceFlows(query).map(\.flow)
        }
        let simulated = try EngineCapture(engine: engine).simulatedFlows(representatives)
        #expect(simulated.skipped.isEmpty)
        let url = folder.appendingPathComponent(name)
        let written = try PacketCapture(flows: simulated.flows).write(to: url.path)
        #expect(written > 0)
        return url
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-capture-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aCaptureVpcsimWroteReplaysAtItsInterface() throws {
        let network = try Repository.seed("000-lambda-endpoints")
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try Self.capture(network, in: folder, name: "egress.pcapng", [("internet", .tcp, 443)])
        let engine = try EngineEvaluator().prepare(network)
        let result = try CaptureReplay.replay(path: url.path, interface: Self.interface, in: engine)
        // The file holds the source interface, the NAT gateway's two sides, the internet gateway's
        // two sides and the internet: only the conversation with the interface's address is replayed.
        #expect(result.conversations > 1)
        #expect(result.replayed.count == 1)
        let only = try #require(result.replayed.first)
        #expect(only.interfaceIsSource)
        #expect(only.action == .accept, "\(only.explanation)")
        #expect(only.description.hasSuffix("-> 8.8.8.8:443 tcp"), "\(only.description)")
        #expect(only.packet == 1)
        #expect(only.explanation.contains("NAT-GW-A"), "\(only.explanation)")
        #expect(!result.skipped.isEmpty)

        let outcomes = try EngineEvaluator().replay(.pcap(path: url.path, interface: Self.interface), in: engine)
        #expect(outcomes.map(\.action) == [.accept])
        #expect(outcomes.first?.origin == "\(url.path) packet 1")
    }

    @Test func aScenarioFindsThePlantedMismatch() throws {
        let network = try Repository.seed("000-lambda-endpoints")
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Self.capture(network, in: folder, name: "good.pcapng", [("internet", .tcp, 443)])
        // Planted: tcp/80 to the internet, which Lambda-Internet's security group does not allow out.
        _ = try Self.capture(network, in: folder, name: "mixed.pcapng", [("internet", .tcp, 443), ("internet", .tcp, 80)])
        let scenario = folder.appendingPathComponent("traffic.yaml")
        try """
        topology: \(Repository.path("Fixtures/seeds/000-lambda-endpoints.yaml"))
        traffic:
          - {name: good, pcap: good.pcapng, interface: \(Self.interface)}
          - {name: mixed, pcap: mixed.pcapng, interface: \(Self.interface), expect: accept}
          - {name: rejected, pcap: mixed.pcapng, interface: \(Self.interface), expect: reject}
        """.write(to: scenario, atomically: true, encoding: .utf8)
        let reports = try ScenarioRunner(evaluator: EngineEvaluator()).run(files: [scenario.path])
        let traffic = try #require(reports.first?.traffic)
        #expect(traffic.map(\.entry.name) == ["good", "mixed", "rejected"])
        #expect(traffic.map(\.passed) == [true, false, false])
        #expect(traffic.map(\.agreed) == [1, 1, 1])
        #expect(traffic.map(\.disagreed) == [0, 1, 1])
        let mixed = traffic[1].explanation
        #expect(mixed.contains("1 of 2 flows disagree, 1 agree"), "\(mixed)")
        #expect(mixed.contains(":80 tcp: expected accept, got reject"), "\(mixed)")
        #expect(mixed.contains("ENI_SG_RULES_MISMATCH"), "\(mixed)")
        #expect(mixed.contains("mixed.pcapng packet "), "\(mixed)")
    }

    @Test func unreadableCapturesAreLocatedInputErrors() throws {
        let network = try Repository.seed("000-lambda-endpoints")
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = try Self.capture(network, in: folder, name: "good.pcapng", [("internet", .tcp, 443)])
        let data = try Data(contentsOf: good)
        try data.prefix(data.count - 10).write(to: folder.appendingPathComponent("truncated.pcapng"))
        try Data("not a capture at all, just text\n".utf8).write(to: folder.appendingPathComponent("text.pcap"))
        let scenario = folder.appendingPathComponent("bad.yaml")
        try """
        topology: \(Repository.path("Fixtures/seeds/000-lambda-endpoints.yaml"))
        traffic:
          - {name: missing, pcap: missing.pcapng, interface: \(Self.interface)}
          - {name: truncated, pcap: truncated.pcapng, interface: \(Self.interface)}
          - {name: text, pcap: text.pcap, interface: \(Self.interface)}
          - {name: wrong interface, pcap: good.pcapng, interface: Lambda-Internal@private-a}
          - {name: unknown interface, pcap: good.pcapng, interface: Lamda-Internet@private-a}
        """.write(to: scenario, atomically: true, encoding: .utf8)
        let error = inputError { () throws(InputError) in try ScenarioRunner(evaluator: EngineEvaluator()).run(files: [scenario.path]) }
        let diagnostics = try #require(error?.diagnostics)
        #expect(diagnostics.map(\.location?.line) == [3, 4, 5, 6, 7], "\(diagnostics)")
        let messages = diagnostics.map(\.message)
        #expect(messages[0].contains("cannot read capture") && messages[0].contains("missing.pcapng"), "\(messages[0])")
        #expect(messages[1].contains("truncated.pcapng, packet ") && messages[1].contains("is unreadable"), "\(messages[1])")
        #expect(messages[2].contains("text.pcap") && messages[2].contains("is unreadable"), "\(messages[2])")
        #expect(messages[3].contains("has no conversation at Lambda-Internal@private-a"), "\(messages[3])")
        #expect(messages[4].contains("is not an interface of the network"), "\(messages[4])")
    }
}
