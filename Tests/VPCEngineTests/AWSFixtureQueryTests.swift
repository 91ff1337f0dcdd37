import Foundation
import Testing
import VPCModel
import VPCEngine

/// The AWS fixtures' README facts that start on the internet, and the seed-000 round trip through
/// AWS JSON, answered by the QueryEngine.
@Suite("AWS fixtures: questions from the internet, and seed 000 through AWS JSON")
struct AWSFixtureQueryTests {
    static func engine(_ name: String) throws -> QueryEngine {
        QueryEngine(network: try AWSImporter.load(directory: fixturePath("Fixtures/aws/\(name)")).network)
    }

    static func tcp(_ port: UInt16) -> PortRange { PortRange(port: port) }

    @Test func internetSideOfPublicPrivateNAT() throws {
        let engine = try Self.engine("public-private-nat")
        // 3. A NAT gateway accepts no connection from the internet, on any port.
        let nat = try engine.answer(Query(from: "198.51.100.7", to: "52.4.118.23"))
        #expect(!nat.reachable && nat.allowed.isEmpty)
        #expect(Set(nat.blocked.map(\.reason.code)) == ["NAT_GATEWAY_UNSOLICITED_INBOUND"])
        // 4. The public instance answers on 80 and 443 through the IGW's 1:1 NAT.
        for port: UInt16 in [80, 443] {
            let web = try engine.answer(Query(from: "198.51.100.7", to: "54.173.22.160", ipProtocol: .tcp, ports: Self.tcp(port)))
            #expect(web.reachable, "tcp/\(port)")
            #expect(web.allowed.first?.hops.contains { $0.kind.name == "internet-gateway" } == true)
        }
        // 5. SSH only from 203.0.113.10.
        let denied = try engine.answer(Query(from: "198.51.100.7", to: "54.173.22.160", ipProtocol: .tcp, ports: Self.tcp(22)))
        #expect(!denied.reachable && denied.blocked.map(\.reason.code) == ["ENI_SG_RULES_MISMATCH"])
        let allowed = try engine.answer(Query(from: "203.0.113.10", to: "54.173.22.160", ipProtocol: .tcp, ports: Self.tcp(22)))
        #expect(allowed.reachable)
        // From the whole internet, SSH is open to one address only: partly.
        let anywhere = try engine.answer(Query(from: "internet", to: "54.173.22.160", ipProtocol: .tcp, ports: Self.tcp(22)))
        #expect(!anywhere.reachable && anywhere.partial)
        #expect(anywhere.allowed.flatMap(\.sources.labels) == ["internet 203.0.113.10/32"])
        // 7. The ALB forwards port 80 to the private instance on 8080; nothing listens on 443.
        let alb = try engine.answer(Query(from: "internet", to: "ppn-web-alb", ipProtocol: .tcp, ports: Self.tcp(80)))
        #expect(alb.reachable)
        let behind = try engine.answer(Query(from: "internet", to: "i-0e751e348f803bdd5", ipProtocol: .tcp, ports: Self.tcp(80)))
        #expect(behind.reachable && behind.allowed.allSatisfy { $0.via?.text.contains("8080") == true })
        let https = try engine.answer(Query(from: "internet", to: "ppn-web-alb", ipProtocol: .tcp, ports: Self.tcp(443)))
        #expect(!https.reachable && https.allowed.isEmpty)
    }

    /// Seed 000 written as describe-* JSON and read back answers every seed-000 question the same way.
    @Test func seed000ThroughAWSJSONAnswersTheSame() throws {
        let original = try TopologyLoader.loadDefault().network
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-seed000-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in AWSExporter.files(original) {
            try file.text.write(to: folder.appendingPathComponent(file.name), atomically: true, encoding: .utf8)
        }
        let reimported = try AWSImporter.load(directory: folder.path).network
        let before = QueryEngine(network: original), after = QueryEngine(network: reimported)
        let questions = SeedQuestion.all().filter { $0.seedFile.hasPrefix("000") && $0.fields["fault"] == nil }
        #expect(questions.count > 20)
        for question in questions {
            let a = try before.answer(question.query), b = try after.answer(question.query)
            #expect(a.reachable == b.reachable && a.partial == b.partial, "\(question)")
            #expect(Set(a.blocked.map(\.reason.code)) == Set(b.blocked.map(\.reason.code)), "\(question)")
            #expect(a.allowed.map { $0.hops.map(\.kind.name) } == b.allowed.map { $0.hops.map(\.kind.name) }, "\(question)")
        }
    }
}
