import Testing
import VPCCheck
import VPCModel

@Suite struct RunnerTests {
    static let seed001 = "topology: ../seeds/001-omnigen.yaml\n"
    static let file = Repository.path("Fixtures/scenarios/runner-test.yaml")

    static func parse(_ yaml: String) throws -> Scenario { try ScenarioParser.parse(yaml: yaml, file: file) }

    static func verdict(_ source: String, _ reachability: Reachability, hops: [Hop] = [], reasons: [String] = [],
                        translated: String? = nil, explanation: String = "") -> PathVerdict {
        PathVerdict(source: source, destination: "internet", reachability: reachability, hops: hops, reasons: reasons,
                    translatedSource: translated.flatMap { IPv4Address($0) }, explanation: explanation)
    }

    @Test func faultsReachTheEvaluatorPerScenarioAndPerCheck() throws {
        let scenario = try Self.parse(Self.seed001 + """
        checks:
          - {name: before, from: Lambda-Generator, to: internet, expect: reachable}
          - name: after the outage
            from: Lambda-Generator
            to: internet
            expect: unreachable
            faults: [{az-outage: us-east-1a}]
          - {name: wrong, from: ECS, to: internet, expect: unreachable}
        """)
        let report = try ScenarioRunner(evaluator: FakeEvaluator()).run(scenario)
        #expect(report.checks.map(\.passed) == [true, true, false])
        #expect(report.checks[1].outcome.verdicts.isEmpty)
        #expect(report.checks[1].network.natGateways.isEmpty)
        #expect(report.checks[1].faults.map(\.description) == ["az-outage us-east-1a"])
        #expect(report.checks[0].network.natGateways.count == 1)
        let wrong = report.checks[2]
        #expect(wrong.explanation.hasPrefix("expected unreachable, but the only source gets through:"))
        #expect(wrong.explanation.contains("ECS@private-a -> internet: reachable via ECS@private-a: fake: delivered"))
        #expect(CheckExitCode.of([report]) == .failed)
    }

    @Test func expectationsAreJudgedPathByPath() throws {
        let network = try Repository.seed("001-omnigen")
        let nat = try #require(network.natGateways.first)
        let natAddress = try #require(nat.elasticIP).description
        func hops(_ source: String) -> [Hop] {
            [Hop(name: source, id: "eni-\(source)", kind: "interface"), Hop(name: "NAT", id: nat.id, kind: "nat-gateway"),
             Hop(name: "IGW", id: "igw-1", kind: "internet-gateway")]
        }
        let scenario = try Self.parse(Self.seed001 + """
        checks:
          - {name: all reach, from: a, to: internet, expect: reachable}
          - {name: partial fails reachable, from: b, to: internet, expect: reachable}
          - {name: partial fails unreachable, from: b, to: internet, expect: unreachable}
          - {name: partial holds partial, from: b, to: internet, expect: partial, reason: ENI_SG_RULES_MISMATCH}
          - {name: via in order, from: a, to: internet, expect: reachable, via: [NAT, IGW]}
          - {name: via out of order, from: a, to: internet, expect: reachable, via: [IGW, NAT]}
          - {name: via by id, from: a, to: internet, expect: reachable, via: [\(nat.id)]}
          - {name: wrong reason, from: c, to: internet, expect: unreachable, reason: NO_ROUTE_TO_DESTINATION}
          - {name: translated by NAT name, from: a, to: internet, expect: reachable, translated_to: NAT}
          - {name: translated by address, from: a, to: internet, expect: reachable, translated_to: 198.51.100.7}
        """)
        var evaluator = FakeEvaluator()
        evaluator.answers["a -> internet all traffic"] = CheckOutcome(verdicts: [
            Self.verdict("a@1", .reachable, hops: hops("a@1"), translated: natAddress),
            Self.verdict("a@2", .reachable, hops: hops("a@2"), translated: natAddress),
        ])
        evaluator.answers["b -> internet all traffic"] = CheckOutcome(verdicts: [
            Self.verdict("b@1", .reachable, hops: hops("b@1")),
            Self.verdict("b@2", .unreachable, hops: Array(hops("b@2").prefix(1)), reasons: ["ENI_SG_RULES_MISMATCH"], explanation: "blocked by b-sg egress"),
        ])
        evaluator.answers["c -> internet all traffic"] = CheckOutcome(verdicts: [
            Self.verdict("c@1", .unreachable, reasons: ["ENI_SG_RULES_MISMATCH"], explanation: "blocked by c-sg egress"),
        ])
        let report = try ScenarioRunner(evaluator: evaluator).run(scenario)
        let results = Dictionary(uniqueKeysWithValues: report.checks.map { ($0.check.name, $0) })
        #expect(results["all reach"]?.passed == true)
        #expect(results["partial fails reachable"]?.passed == false)
        #expect(results["partial fails reachable"]?.explanation.contains("1 of 2 sources does not reach") == true)
        #expect(results["partial fails reachable"]?.explanation.contains("b@2 -> internet: unreachable: blocked by b-sg egress") == true)
        #expect(results["partial fails unreachable"]?.passed == false)
        #expect(results["partial fails unreachable"]?.explanation.contains("1 of 2 sources gets through") == true)
        #expect(results["partial holds partial"]?.passed == true)
        #expect(results["via in order"]?.passed == true)
        #expect(results["via out of order"]?.passed == false)
        #expect(results["via out of order"]?.explanation.contains("a@1 does not pass IGW, NAT in this order; its path: a@1 -> NAT -> IGW") == true)
        #expect(results["via by id"]?.passed == true)
        #expect(results["wrong reason"]?.passed == false)
        #expect(results["wrong reason"]?.explanation.contains("blocked with ENI_SG_RULES_MISMATCH, not NO_ROUTE_TO_DESTINATION") == true)
        #expect(results["translated by NAT name"]?.passed == true)
        #expect(results["translated by address"]?.passed == false)
        #expect(results["translated by address"]?.explanation.contains("arrives as \(natAddress), not as 198.51.100.7") == true)
    }

    @Test func inputProblemsAreLocatedAndCollected() throws {
        let scenario = try Self.parse(Self.seed001 + """
        checks:
          - {name: unknown source, from: Lambda-Generater, to: internet, expect: reachable}
          - {name: via typo, from: ECS, to: internet, expect: reachable, via: [NAAT]}
          - {name: translated typo, from: ECS, to: internet, expect: reachable, translated_to: NTA}
          - {name: fault typo, from: ECS, to: internet, expect: reachable, faults: [{remove: NAT-GW}]}
        """)
        let error = inputError({ () throws(InputError) in try ScenarioRunner(evaluator: FakeEvaluator()).run(scenario) })
        let diagnostics = try #require(error?.diagnostics)
        let byLine = Dictionary(diagnostics.compactMap { d in d.location.map { ($0.line, d) } }, uniquingKeysWith: { first, _ in first })
        #expect(byLine[3]?.message == "check 'unknown source': 'Lambda-Generater' is not a known endpoint")
        #expect(byLine[3]?.location?.column == 34, "located at the 'from' value")
        #expect(byLine[4]?.message.contains("'via' names 'NAAT'") == true)
        #expect(byLine[4]?.hint == "did you mean 'NAT'?")
        #expect(byLine[5]?.message.contains("'translated_to' names 'NTA'") == true)
        #expect(byLine[6]?.message.contains("unknown 'NAT-GW'") == true)
        #expect(byLine[6]?.hint?.contains("known: NAT, s3") == true)
    }

    @Test func aMissingTopologyIsAnErrorAtTheTopologyLine() throws {
        let scenario = try Self.parse("name: x\ntopology: ../nowhere.yaml\nchecks: [{from: a, to: b, expect: reachable}]\n")
        let error = inputError({ () throws(InputError) in try ScenarioRunner(evaluator: FakeEvaluator()).run(scenario) })
        #expect(error?.diagnostics.first?.location?.line == 2)
        #expect(error?.diagnostics.first?.message.contains("does not exist") == true)
    }

    @Test func theDefaultNetworkIsUsedWithoutTopology() throws {
        let scenario = try Self.parse("checks:\n  - {from: Lambda-Internal, to: internet, expect: reachable}\n")
        let report = try ScenarioRunner(evaluator: FakeEvaluator()).run(scenario)
        #expect(report.checks.first?.outcome.verdicts.map(\.source) == ["Lambda-Internal@private-a", "Lambda-Internal@private-b"])
        #expect(CheckExitCode.of([report]) == .passed)
    }

    @Test func trafficIsCountedFlowByFlow() throws {
        let scenario = try Self.parse(Self.seed001 + """
        traffic:
          - {name: one flow, from: ECS, to: 1.1.1.1, protocol: tcp, port: 443, expect: accept}
          - {name: log, flow_logs: logs/flows.log}
          - {name: empty capture, pcap: empty.pcap, interface: ECS@private-a}
        """)
        var evaluator = FakeEvaluator()
        let flow = try #require(scenario.traffic.first?.query)
        evaluator.traffic[flow] = [FlowOutcome(flow: "10.0.10.5:40000 -> 1.1.1.1:443 tcp", action: .reject, explanation: "blocked at NAT")]
        evaluator.traffic[.flowLogs(path: Repository.path("Fixtures/scenarios/logs/flows.log"))] = [
            FlowOutcome(flow: "f1", action: .accept, logged: .accept, origin: "flows.log line 1", explanation: "ok"),
            FlowOutcome(flow: "f2", action: .reject, logged: .reject, origin: "flows.log line 2", explanation: "ok"),
            FlowOutcome(flow: "f3", action: .accept, logged: .reject, origin: "flows.log line 3", explanation: "delivered via NAT"),
        ]
        evaluator.traffic[.pcap(path: Repository.path("Fixtures/scenarios/empty.pcap"), interface: "ECS@private-a")] = []
        let report = try ScenarioRunner(evaluator: evaluator).run(scenario)
        #expect(report.traffic.map(\.passed) == [false, false, false])
        #expect(report.traffic[0].explanation.contains("expected accept, got reject: blocked at NAT"))
        #expect(report.traffic[1].agreed == 2 && report.traffic[1].disagreed == 1)
        #expect(report.traffic[1].explanation.hasPrefix("1 of 3 flows disagree, 2 agree:\nflows.log line 3: f3: expected reject, got accept"))
        #expect(report.traffic[2].explanation == "no flows to replay")
        #expect(report.cases.map(\.name) == ["one flow", "log", "empty capture"])
    }

    @Test func textReportHasOneLinePerCheckAndASummary() throws {
        let scenario = try Self.parse(Self.seed001 + """
        checks:
          - {name: ok, from: ECS, to: internet, expect: reachable}
          - {name: not ok, from: ECS, to: internet, expect: unreachable, note: the design says so}
        """)
        let report = try ScenarioRunner(evaluator: FakeEvaluator()).run(scenario)
        let text = TextReporter.render([report])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(Self.file) (\(Repository.path("Fixtures/seeds/001-omnigen.yaml")))")
        #expect(lines[1] == "  PASS  ok")
        #expect(lines[2] == "  FAIL  not ok  (\(Self.file):4:5)")
        #expect(lines[3] == "        expected unreachable, but the only source gets through:")
        #expect(lines.contains("        note: the design says so"))
        #expect(lines.last == "2 checks in 1 file: 1 passed, 1 failed")
    }
}
