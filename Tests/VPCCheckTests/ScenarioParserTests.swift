import Testing
import VPCCheck
import VPCModel

@Suite struct ScenarioParserTests {
    static let example = """
    topology: ../seeds/000-lambda-endpoints.yaml   # relative to this file
    faults:
      - az-outage: us-east-1a
      - remove: NAT-GW-B
    checks:
      - name: internal lambdas stay off the internet
        from: Lambda-Internal
        to: internet
        expect: unreachable
      - name: scrapers get out through NAT
        from: Lambda-Internet
        to: internet
        protocol: tcp
        port: 443
        expect: reachable
        via: [NAT-GW-A]
    """

    @Test func theDocumentedShapeParses() throws {
        let scenario = try ScenarioParser.parse(yaml: Self.example, file: "Fixtures/scenarios/example.yaml")
        guard case .path(let path, let written) = scenario.topology else {
            Issue.record("expected a topology path, got \(scenario.topology)")
            return
        }
        #expect(path == "Fixtures/seeds/000-lambda-endpoints.yaml")
        #expect(written.value == "../seeds/000-lambda-endpoints.yaml")
        #expect(written.location.line == 1)
        #expect(scenario.name == "example")
        #expect(scenario.faults.map(\.description) == ["az-outage us-east-1a", "remove NAT-GW-B"])
        #expect(scenario.faults.map(\.location.line) == [3, 4])
        #expect(scenario.checks.count == 2)
        let first = scenario.checks[0], second = scenario.checks[1]
        #expect(first.name == "internal lambdas stay off the internet")
        #expect(first.query == CheckQuery(from: "Lambda-Internal", to: "internet"))
        #expect(first.expect == .unreachable)
        #expect(first.location == SourceLocation(file: "Fixtures/scenarios/example.yaml", line: 6, column: 5))
        #expect(first.fromLocation.line == 7 && first.toLocation.line == 8)
        #expect(second.query == CheckQuery(from: "Lambda-Internet", to: "internet", ipProtocol: .tcp, ports: PortRange(port: 443)))
        #expect(second.expect == .reachable)
        #expect(second.via.map(\.value) == ["NAT-GW-A"])
        #expect(second.location.line == 10)
    }

    @Test func noTopologyMeansTheDefaultNetwork() throws {
        let scenario = try ScenarioParser.parse(yaml: "checks:\n  - {from: a, to: b, expect: reachable}\n", file: "s.yaml")
        #expect(scenario.topology == .embeddedDefault)
        #expect(scenario.checks.first?.name == "a -> b all traffic")
    }

    @Test func everyCheckOption() throws {
        let yaml = """
        checks:
          - name: range
            from: Lambda-Internet@private-a
            to: 10.0.12.0/24
            protocol: udp
            port: 1024-65535
            expect: partial
            reason: enI_sg_rules_mismatch
            translated_to: NAT-GW-A
            note: half of it
            faults:
              - route: {table: private-a, destination: 0.0.0.0/0, action: blackhole}
              - sg-rule: {group: lambda-internet, direction: egress, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
          - {name: gre, from: a, to: b, protocol: 47, expect: unreachable, reason: PROTOCOL_RESTRICTION}
          - {name: ping, from: a, to: b, protocol: icmp, icmp: {type: 8, code: 0}, expect: reachable}
          - {name: everything, from: a, to: b, protocol: all, expect: reachable, via: "NAT-GW-A, IGW"}
          - {name: port alone means tcp, from: a, to: b, port: 22, expect: unreachable}
          - {name: by index, from: a, to: b, expect: reachable, faults: [{sg-rule: {group: g, direction: ingress, index: 2}}]}
        """
        let checks = try ScenarioParser.parse(yaml: yaml, file: "s.yaml").checks
        #expect(checks.count == 6)
        let range = checks[0]
        #expect(range.query.ipProtocol == .udp)
        #expect(range.query.ports == PortRange(1024, 65535))
        #expect(range.query.packets == "udp/1024-65535")
        #expect(range.expect == .partial)
        #expect(range.reason?.value == "ENI_SG_RULES_MISMATCH")
        #expect(range.translatedTo?.value == "NAT-GW-A")
        #expect(range.note == "half of it")
        #expect(range.faults.count == 2)
        guard case .route(let route)? = range.faults.first?.kind, case .securityGroupRule(let rule)? = range.faults.last?.kind else {
            Issue.record("wrong fault kinds: \(range.faults)")
            return
        }
        #expect(route.table.value == "private-a" && route.destination.value == "0.0.0.0/0" && route.action == .blackhole)
        #expect(rule.direction == .egress && rule.ipProtocol == .tcp && rule.ports == PortRange(port: 443) && rule.peer == .cidr(.any))
        #expect(checks[1].query.ipProtocol == IPProtocol(number: 47))
        #expect(checks[2].query.icmp == ICMPMatch(type: 8, code: 0))
        #expect(checks[3].query.ipProtocol == nil)
        #expect(checks[3].via.map(\.value) == ["NAT-GW-A", "IGW"])
        #expect(checks[4].query.ipProtocol == .tcp && checks[4].query.ports == PortRange(port: 22))
        guard case .securityGroupRule(let byIndex)? = checks[5].faults.first?.kind else {
            Issue.record("expected an sg-rule fault")
            return
        }
        #expect(byIndex.index?.value == 2 && byIndex.direction == .ingress)
    }

    @Test func trafficForms() throws {
        let yaml = """
        traffic:
          - {from: Lambda-Internet@private-a, to: 1.1.1.1, protocol: tcp, port: 443, source_port: 40000, expect: accept}
          - {name: ping, from: Fargate@private-b, to: 10.0.11.5, protocol: icmp, expect: reject}
          - {pcap: captures/app.pcapng, interface: Lambda-Internet@private-a, expect: reject}
          - {pcap: ../x.pcap, interface: eni-0123}
          - flow_logs: logs/flows.log
        """
        let scenario = try ScenarioParser.parse(yaml: yaml, file: "ci/scenarios/t.yaml")
        #expect(scenario.checks.isEmpty)
        let traffic = scenario.traffic
        #expect(traffic.count == 5)
        #expect(traffic[0].query == .flow(FlowSpec(from: "Lambda-Internet@private-a", to: "1.1.1.1", ipProtocol: .tcp, port: 443, sourcePort: 40000)))
        #expect(traffic[0].expect == .accept)
        #expect(traffic[0].name == "Lambda-Internet@private-a -> 1.1.1.1 tcp/443 from port 40000")
        #expect(traffic[1].name == "ping" && traffic[1].expect == .reject)
        #expect(traffic[1].query == .flow(FlowSpec(from: "Fargate@private-b", to: "10.0.11.5", ipProtocol: .icmp)))
        #expect(traffic[2].query == .pcap(path: "ci/scenarios/captures/app.pcapng", interface: "Lambda-Internet@private-a"))
        #expect(traffic[2].expect == .reject)
        #expect(traffic[3].query == .pcap(path: "ci/x.pcap", interface: "eni-0123") && traffic[3].expect == .accept)
        #expect(traffic[4].query == .flowLogs(path: "ci/scenarios/logs/flows.log") && traffic[4].expect == nil)
        #expect(traffic.map(\.location.line) == [2, 3, 4, 5, 6])
    }

    @Test func pathsResolveAgainstTheScenarioFolder() {
        #expect(ScenarioParser.resolve("../seeds/a.yaml", from: "Fixtures/scenarios/s.yaml") == "Fixtures/seeds/a.yaml")
        #expect(ScenarioParser.resolve("a.yaml", from: "s.yaml") == "a.yaml")
        #expect(ScenarioParser.resolve("./x/../a.yaml", from: "/tmp/ci/s.yaml") == "/tmp/ci/a.yaml")
        #expect(ScenarioParser.resolve("/abs/a.yaml", from: "Fixtures/s.yaml") == "/abs/a.yaml")
        #expect(ScenarioParser.resolve("../../a.yaml", from: "s.yaml") == "../../a.yaml")
    }

    /// Each bad input: (YAML, line, column, words the message must contain, words the hint must contain;
    /// empty when the message itself lists the choices).
    static let mistakes: [(String, Int, Int, String, String)] = [
        ("checks:\n  - {from: a, to: b, exepct: reachable}\n", 2, 22, "unknown key 'exepct' in a check", "did you mean 'expect'?"),
        ("checks:\n  - {from: a, to: b}\n", 2, 5, "missing required key 'expect'", "expect"),
        ("checks:\n  - {from: a, to: b, expect: reachible}\n", 2, 30, "must be one of reachable, unreachable, partial", "did you mean 'reachable'?"),
        ("checks:\n  - {from: a, to: b, expect: unreachable, reason: ENI_SG_RULE_MISMATCH}\n", 2, 51, "not a reason code", "did you mean 'ENI_SG_RULES_MISMATCH'?"),
        ("checks:\n  - {from: a, to: b, expect: reachable, reason: NO_ROUTE_TO_DESTINATION}\n", 2, 49, "expects reachable", "remove 'reason'"),
        ("checks:\n  - {from: a, to: b, expect: unreachable, translated_to: 1.2.3.4}\n", 2, 58, "expects unreachable", "translated_to"),
        ("checks:\n  - {from: a, to: b, protocol: icmp, port: 443, expect: reachable}\n", 2, 44, "only meaningful for tcp and udp", "protocol: tcp"),
        ("checks:\n  - {from: a, to: b, protocol: tcp, port: 70000, expect: reachable}\n", 2, 43, "not a port or port range", "1024-65535"),
        ("checks:\n  - {from: a, to: b, protocol: gre, expect: reachable}\n", 2, 32, "'gre' is not a protocol", "a number"),
        ("checks:\n  - {name: x, from: a, to: b, expect: reachable}\n  - {name: X, from: a, to: c, expect: reachable}\n", 3, 5, "two checks are named 'X'", "own name"),
        ("faults:\n  - az-down: us-east-1a\nchecks: []\n", 2, 5, "unknown key 'az-down' in a fault", "az-outage"),
        ("faults:\n  - {az-outage: us-east-1a, remove: NAT}\nchecks: []\n", 2, 5, "exactly one kind", "own item"),
        ("faults:\n  - route: {table: t, destination: 0.0.0.0/0, action: drop}\nchecks: []\n", 2, 55, "must be one of remove, blackhole", ""),
        ("faults:\n  - sg-rule: {group: g, direction: egress}\nchecks: []\n", 2, 14, "must say which rule", "index"),
        ("faults:\n  - sg-rule: {group: g, direction: egres, index: 0}\nchecks: []\n", 2, 36, "must be one of ingress, egress", "did you mean 'egress'?"),
        ("traffic:\n  - {pcap: a.pcap}\n", 2, 5, "needs the 'interface'", "interface: NAME"),
        ("traffic:\n  - {flow_logs: a.log, expect: accept}\n", 2, 32, "'expect' does not apply", "remove 'expect'"),
        ("traffic:\n  - {from: a, to: b, protocol: tcp, expect: accept}\n", 2, 5, "needs a destination 'port'", "port: 443"),
        ("traffic:\n  - {from: a, to: b, protocol: tcp, port: 1-2, expect: accept}\n", 2, 43, "one destination port", "range"),
        ("traffic:\n  - {from: a, to: b, port: 443, expect: allow}\n", 2, 41, "must be one of accept, reject", ""),
        ("name: empty\n", 1, 1, "has no checks", "checks:"),
        ("checks:\n  - {from: a, to: b, expect: reachable\n", 3, 1, "invalid YAML", "indentation"),
    ]

    @Test(arguments: 0..<mistakes.count)
    func mistakesAreLocatedWithAHint(index: Int) {
        let (yaml, line, column, message, hint) = Self.mistakes[index]
        guard let error = inputError({ () throws(InputError) in try ScenarioParser.parse(yaml: yaml, file: "bad.yaml") }) else {
            Issue.record("accepted:\n\(yaml)")
            return
        }
        guard let diagnostic = error.diagnostics.first(where: { $0.message.contains(message) }) else {
            Issue.record("no error containing \"\(message)\"; got:\n\(error)")
            return
        }
        #expect(diagnostic.location == SourceLocation(file: "bad.yaml", line: line, column: column), "\(diagnostic)")
        if !hint.isEmpty { #expect(diagnostic.hint?.contains(hint) == true, "\(diagnostic)") }
        #expect(diagnostic.description.hasPrefix("bad.yaml:\(line):\(column): error: "))
    }

    @Test func everyErrorOfAFileIsReportedAtOnce() {
        let yaml = "checks:\n  - {from: a, expect: maybe}\n  - {from: a, to: b, expect: reachable, colour: red}\n"
        let error = inputError({ () throws(InputError) in try ScenarioParser.parse(yaml: yaml, file: "bad.yaml") })
        #expect(error?.diagnostics.map(\.location?.line) == [2, 2, 3])
    }

    @Test("blank 'via' entries and a blank 'reason' are located errors", arguments: [
        (#"via: ["\t"]"#, "'via' has a blank entry"), (#"via: ",""#, "'via' has a blank entry between its commas"),
        (#"via: "a,,b""#, "'via' has a blank entry between its commas"),
    ])
    func blankEntries(via: String, message: String) throws {
        let text = "checks:\n  - from: a\n    to: b\n    expect: reachable\n    \(via)\n"
        let error = #expect(throws: InputError.self) { try ScenarioParser.parse(yaml: text, file: "s.yaml") }
        #expect(error?.diagnostics.first?.message == message)
        #expect(error?.diagnostics.first?.location?.line == 5)
    }

    @Test func blankReason() throws {
        let text = "checks:\n  - from: a\n    to: b\n    expect: unreachable\n    reason: \" \"\n"
        let error = #expect(throws: InputError.self) { try ScenarioParser.parse(yaml: text, file: "s.yaml") }
        #expect(error?.diagnostics.first?.description.hasPrefix("s.yaml:5:13: error: 'reason' is blank") == true)
    }
}
