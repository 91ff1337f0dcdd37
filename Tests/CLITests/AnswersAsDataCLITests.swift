import Foundation
import Testing

/// The cases a new user hit on a three-tier network (issue #14): query, matrix, check and diff say
/// the same thing about the same question, and the text reads right.
@Suite struct AnswersAsDataCLITests {
    static let threeTier = "Fixtures/examples/three-tier.yaml"

    func temporary(_ name: String, _ text: String? = nil) throws -> URL { try CLI.temporaryFile(name, text) }

    func json(_ result: CLI.Result) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(result.stdout)")
    }

    /// A scenario file for the three-tier network (or `topology`) with the given checks.
    func scenario(_ checks: String, topology: String = threeTier) throws -> URL {
        try temporary("checks.yaml", "topology: \(CLI.root.appendingPathComponent(topology).path)\nchecks:\n\(checks)\n")
    }

    /// Opening SSH to 0.0.0.0/0 on a bastion declared under `interfaces:` is a change diff sees, and
    /// says as a user reads it.
    @Test func diffSeesTheStandaloneBastionOpenedToTheInternet() throws {
        let original = try String(contentsOf: CLI.root.appendingPathComponent(Self.threeTier), encoding: .utf8)
        let opened = original.replacingOccurrences(of: "{protocol: tcp, ports: 22, cidr: 198.51.100.0/24}", with: "{protocol: tcp, ports: 22, cidr: 0.0.0.0/0}")
        #expect(opened != original)
        let file = try temporary("bastion-open.yaml", opened)
        defer { try? FileManager.default.removeItem(at: file) }
        let diff = try CLI.run(["diff", Self.threeTier, file.path])
        #expect(diff.status == 1, "\(diff.stdout)\(diff.stderr)")
        #expect(diff.stdout.contains("CHANGED  internet -> bastion  (partly -> yes)"), "\(diff.stdout)")
        #expect(diff.stdout.contains("  + tcp/22 from anywhere on the internet now reaches bastion (was 198.51.100.0/24)\n"), "\(diff.stdout)")
        #expect(diff.stdout.contains("was: blocked: ENI_SG_RULES_MISMATCH at bastion"), "\(diff.stdout)")
        #expect(diff.stdout.contains("now: gets through: internet → igw-main → bastion"), "\(diff.stdout)")
        // The workloads' default groups allow all egress: they gain SSH to the bastion too.
        #expect(diff.stdout.contains("+ tcp/22 from web-asg@app-a now reaches bastion"), "\(diff.stdout)")
        #expect(diff.stdout.hasSuffix("3 of 98 pairs changed\n"), "\(diff.stdout)")
        // An explanation is printed once for lines stopped by the same block.
        #expect(diff.stdout.components(separatedBy: "was: blocked").count - 1 == 3, "\(diff.stdout)")

        let data = try json(try CLI.run(["diff", Self.threeTier, file.path, "--format", "json", "--allow-changes"]))
        let changes = try #require((data["result"] as? [String: Any])?["changes"] as? [[String: Any]])
        let bastion = try #require(changes.first { $0["source"] as? String == "internet" && $0["destination"] as? String == "bastion" })
        #expect(bastion["old"] as? String == "partly" && bastion["new"] as? String == "yes")
        let line = try #require((bastion["lines"] as? [[String: Any]])?.first)
        #expect(line["kind"] as? String == "sources-changed")
        #expect(line["before"] as? [String] == ["198.51.100.0/24"])
        #expect((line["traffic"] as? [[String: String]])?.first == ["protocol": "tcp", "ports": "22"])

        // The same network against itself changes nothing.
        let same = try CLI.run(["diff", Self.threeTier, Self.threeTier])
        #expect(same.status == 0 && same.stdout.hasSuffix("0 of 98 pairs changed\n"), "\(same.stdout)")
    }

    /// What query answers `yes` passes `expect: reachable`, and the matrix shows the same status.
    @Test func queryMatrixAndCheckAgreeOnLambdaInternalToOpenSearch() throws {
        let query = try CLI.run(["query", "--from", "Lambda-Internal", "--to", "OpenSearch"])
        #expect(query.stdout.hasPrefix("yes, on tcp/443 only\n"), "\(query.stdout)")
        let matrix = try json(try CLI.run(["matrix", "--from", "Lambda-Internal", "--to", "OpenSearch", "--format", "json"]))
        #expect((matrix["pairs"] as? [[String: Any]])?.first?["status"] as? String == "yes")
        let file = try scenario("""
          - {name: reaches, from: Lambda-Internal, to: OpenSearch, expect: reachable}
          - {name: not every packet, from: Lambda-Internal, to: OpenSearch, ports: all, expect: partial, reason: ENI_SG_RULES_MISMATCH}
        """, topology: "Fixtures/seeds/000-lambda-endpoints.yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        let check = try CLI.run(["check", file.path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("2 passed, 0 failed"), "\(check.stdout)")
    }

    /// A NAT gateway not carrying GRE is a blocked class of a `yes`, not a failure; through the ALB
    /// the internet reaches the web tier, whose private addresses are no blocked path.
    @Test func natWithoutGREAndAWorkloadBehindAnALB() throws {
        let file = try scenario("""
          - {name: web tier gets out, from: web-asg, to: internet, expect: reachable, via: [igw-main]}
          - {name: web tier through the ALB, from: internet, to: web-asg, port: 443, expect: reachable, via: [ALB]}
          - {name: nothing else from the internet, from: internet, to: web-asg, port: 22, expect: unreachable, reason: NO_ROUTE_TO_DESTINATION}
        """)
        defer { try? FileManager.default.removeItem(at: file) }
        let check = try CLI.run(["check", file.path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        let out = try CLI.run(["query", "--topology", Self.threeTier, "--from", "web-asg", "--to", "internet"])
        #expect(out.stdout.hasPrefix("yes, on "), "\(out.stdout)")
        #expect(out.stdout.contains("PROTOCOL_RESTRICTION at NAT-GW-A"), "\(out.stdout)")

        let alb = try CLI.run(["query", "--topology", Self.threeTier, "--from", "internet", "--to", "web-asg", "--port", "443"])
        #expect(alb.stdout.hasPrefix("yes, on tcp/443\n"), "\(alb.stdout)")
        #expect(!alb.stdout.contains("Blocked"), "\(alb.stdout)")
        #expect(alb.stdout.contains("note: web-asg@app-a has no public IP: from the internet it is reached only through its load balancer"))
        // Every path listed to an interface ends at that interface.
        let lines = alb.stdout.split(separator: "\n").map(String.init)
        for (index, line) in lines.enumerated() where line.contains("tcp/443  to web-asg@") {
            let target = String(line.split(separator: " ").last ?? "")
            #expect(index + 1 < lines.count && lines[index + 1].hasSuffix("→ \(target)"), "\(line) / \(lines[index + 1])")
        }
    }

    /// A partial answer names what gets through and from where on its first line; every blocked class
    /// sits with its own explanation.
    @Test func partialTextReadsRight() throws {
        let ssh = try CLI.run(["query", "--topology", Self.threeTier, "can internet reach bastion on tcp/22"])
        let lines = ssh.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "partly: tcp/22 gets through from 198.51.100.0/24 only, not from the rest of the internet", "\(ssh.stdout)")
        #expect(lines.contains("  internet  partly    tcp/22 (from 198.51.100.0/24 only)"), "\(ssh.stdout)")
        #expect(lines.contains("          from internet 198.51.100.0/24"), "\(ssh.stdout)")
        #expect(lines.contains("          from the internet except 198.51.100.0/24"), "\(ssh.stdout)")
        let json = try json(try CLI.run(["query", "--topology", Self.threeTier, "can internet reach bastion on tcp/22", "--format", "json"]))
        #expect(json["status"] as? String == "partly")
        #expect((json["allowed"] as? [[String: Any]])?.first?["sources"] as? [String] == ["internet 198.51.100.0/24"])

        // Several blocked classes with one explanation: the classes on one line, the explanation under them.
        let opensearch = try CLI.run(["query", "--from", "Lambda-Internal", "--to", "OpenSearch"])
        let blocked = opensearch.stdout.components(separatedBy: "Blocked\n").last ?? ""
        let rows = blocked.split(separator: "\n").map(String.init)
        #expect(rows.first == "  tcp/0-442,444-65535, udp/all, icmp/echo, other", "\(opensearch.stdout)")
        #expect(rows.dropFirst().allSatisfy { $0.hasPrefix("           ") }, "\(opensearch.stdout)")
    }
}
