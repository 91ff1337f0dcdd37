import Foundation
import Testing
import VPCCheck
import VPCModel

/// The scenario files generated from Fixtures/seeds/QUESTIONS.md.
@Suite struct SeedScenarioTests {
    static let files = Repository.seedNames.map { "Fixtures/scenarios/\($0).yaml" }

    /// Answers nothing: enough to make the runner load the topology, apply every fault and resolve
    /// every name it resolves itself (via, translated_to).
    struct Silent: ScenarioEvaluator {
        func prepare(_ network: Network) throws(CheckQueryError) -> Network { network }
        func reachability(_ query: CheckQuery, in network: Network) throws(CheckQueryError) -> CheckOutcome { CheckOutcome(verdicts: []) }
        func replay(_ traffic: TrafficQuery, in network: Network) throws(CheckQueryError) -> [FlowOutcome] { [] }
    }

    @Test(arguments: files)
    func parsesAndItsFaultsApply(file: String) throws {
        let scenario = try ScenarioParser.parse(path: Repository.path(file))
        #expect(!scenario.checks.isEmpty)
        guard case .path(let topology, _) = scenario.topology else {
            Issue.record("\(file) should name its seed")
            return
        }
        let seed = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        #expect(topology == Repository.path("Fixtures/seeds/\(seed).yaml"))
        let network = try TopologyLoader.load(path: topology).network
        for check in scenario.checks where !check.faults.isEmpty {
            let faulted = try FaultInjector.apply(check.faults, to: network)
            #expect(faulted != network, "\(check.name): the fault changes nothing")
            #expect(FaultInjector.referenceProblems(in: faulted).isEmpty)
        }
        let report = try ScenarioRunner(evaluator: Silent()).run(scenario)
        #expect(report.checks.count == scenario.checks.count)
    }

    @Test func everyQuestionBecameACheck() throws {
        let questions = try String(contentsOfFile: Repository.path("Fixtures/seeds/QUESTIONS.md"), encoding: .utf8)
            .split(separator: "\n").filter { $0.hasPrefix("- from: ") && !$0.hasPrefix("- from: A |") }
        let checks = try Self.files.flatMap { try ScenarioParser.parse(path: Repository.path($0)).checks }
        #expect(checks.count == questions.count)
        #expect(questions.count > 100)
        // Each question's fields survive: spot-check the expectations, reasons and faults against the text.
        #expect(checks.filter { $0.expect == .partial }.count == questions.filter { $0.contains("expect: partial") }.count)
        #expect(checks.filter { $0.reason != nil }.count == questions.filter { $0.contains("| reason: ") }.count)
        #expect(checks.filter { !$0.via.isEmpty }.count == questions.filter { $0.contains("| via: ") }.count)
        #expect(checks.filter { !$0.faults.isEmpty }.count == questions.filter { $0.contains("| fault: az-down") }.count)
        #expect(checks.filter { $0.note != nil }.count == questions.filter { $0.contains("| note: ") }.count)
    }

    @Test func theClaimsTheIssueNames() throws {
        let seed000 = try ScenarioParser.parse(path: Repository.path("Fixtures/scenarios/000-lambda-endpoints.yaml"))
        let noInternet = try #require(seed000.checks.first { $0.name == "Lambda Internal has no internet access" })
        #expect(noInternet.query == CheckQuery(from: "Lambda-Internal", to: "internet"))
        #expect(noInternet.expect == .unreachable && noInternet.reason?.value == "ENI_SG_RULES_MISMATCH")

        let seed001 = try ScenarioParser.parse(path: Repository.path("Fixtures/scenarios/001-omnigen.yaml"))
        let outage = seed001.checks.filter { $0.faults.map(\.description) == ["az-outage us-east-1a"] }
        #expect(outage.map(\.name) == [
            "AZ us-east-1a fails: internet -> ALB tcp/443",
            "AZ us-east-1a fails: ALB -> ECS tcp/8080",
            "AZ us-east-1a fails: Lambda-Generator -> internet tcp/443",
        ])
        #expect(outage.map(\.expect) == [.reachable, .unreachable, .unreachable])
        #expect(outage.first?.via.map(\.value) == ["IGW", "ALB@public-b"])
    }

    @Test func scenariosAreUpToDateWithTheQuestions() throws {
        let result = try run(["python3", Repository.path("Scripts/questions-to-scenarios"), "--check"])
        #expect(result.status == 0, "\(result.output)")
    }
}

@Suite struct DocumentationTests {
    /// The YAML blocks of docs/scenarios.md, in order.
    static func yamlBlocks() throws -> [String] {
        let text = try String(contentsOfFile: Repository.path("docs/scenarios.md"), encoding: .utf8)
        return text.components(separatedBy: "```yaml\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
    }

    @Test func theCompleteExampleParsesAndRunsOnItsSeed() throws {
        let example = try #require(try Self.yamlBlocks().first)
        let scenario = try ScenarioParser.parse(yaml: example, file: Repository.path("Fixtures/scenarios/docs-example.yaml"))
        #expect(scenario.checks.count == 3 && scenario.traffic.count == 3)
        #expect(scenario.topology.description == Repository.path("Fixtures/seeds/000-lambda-endpoints.yaml"))
        let report = try ScenarioRunner(evaluator: SeedScenarioTests.Silent()).run(scenario)
        let s3Check = try #require(report.checks.last)
        // The check's own fault removed the S3 gateway endpoint on top of the file's outage.
        #expect(s3Check.faults.map(\.description) == ["az-outage us-east-1b", "remove s3"])
        #expect(!s3Check.network.endpoints.contains { $0.name == "s3" })
        #expect(report.checks.first?.network.endpoints.contains { $0.name == "s3" } == true)
    }

    @Test func theFaultExamplesParse() throws {
        let faults = try #require(try Self.yamlBlocks().first { $0.hasPrefix("faults:") })
        let scenario = try ScenarioParser.parse(yaml: faults + "checks: [{from: a, to: b, expect: reachable}]\n", file: "faults.yaml")
        #expect(scenario.faults.map(\.description) == [
            "az-outage us-east-1a", "remove NAT-GW-B", "route private-a pl-63a5400a remove",
            "sg-rule lambda-internet egress #1", "sg-rule app ingress tcp ports 443 group alb",
        ])
    }
}
