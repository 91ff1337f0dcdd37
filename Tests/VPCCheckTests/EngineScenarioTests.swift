import Foundation
import Testing
import VPCCheck
import VPCModel

/// The seed scenarios run through the real query engine (`EngineEvaluator`).
@Suite struct EngineScenarioTests {
    @Test(arguments: SeedScenarioTests.files)
    func everyCheckPassesWithTheEngine(file: String) throws {
        let reports = try ScenarioRunner(evaluator: EngineEvaluator()).run(files: [Repository.path(file)])
        let report = try #require(reports.first)
        #expect(!report.checks.isEmpty)
        for check in report.checks where !check.passed {
            Issue.record("\(check.check.location) \(check.check.name):\n\(check.explanation)")
        }
    }

    /// The hub-and-spoke example's intended reachability, an AZ outage and a removed appliance
    /// (issue #15): every check passes on the real engine.
    @Test func hubAndSpokeChecksPass() throws {
        let reports = try ScenarioRunner(evaluator: EngineEvaluator()).run(files: [Repository.path("Fixtures/examples/hub-and-spoke.checks.yaml")])
        let report = try #require(reports.first)
        #expect(report.checks.count == 9)
        for check in report.checks where !check.passed {
            Issue.record("\(check.check.location) \(check.check.name):\n\(check.explanation)")
        }
    }

    @Test func aWrongExpectationIsExplainedWithTheRealPathAndReason() throws {
        let yaml = """
        topology: \(Repository.path("Fixtures/seeds/000-lambda-endpoints.yaml"))
        checks:
          - name: internal lambdas reach the internet
            from: Lambda-Internal
            to: internet
            protocol: tcp
            port: 443
            expect: reachable
          - name: scrapers do not get out
            from: Lambda-Internet@private-a
            to: internet
            protocol: tcp
            port: 443
            expect: unreachable
        """
        let scenario = try ScenarioParser.parse(yaml: yaml, file: "wrong.yaml")
        let report = try ScenarioRunner(evaluator: EngineEvaluator()).run(scenario)
        #expect(report.checks.map(\.passed) == [false, false])
        let blocked = try #require(report.checks.first).explanation
        #expect(blocked.contains("ENI_SG_RULES_MISMATCH"), "\(blocked)")
        let leaking = try #require(report.checks.last).explanation
        #expect(leaking.contains("NAT-GW-A") && leaking.contains("IGW"), "\(leaking)")
    }

    @Test func unknownNamesAreInputErrorsAtTheirField() throws {
        let yaml = """
        topology: \(Repository.path("Fixtures/seeds/000-lambda-endpoints.yaml"))
        checks:
          - name: typo
            from: Lambda-Internl
            to: internet
            expect: unreachable
        """
        let scenario = try ScenarioParser.parse(yaml: yaml, file: "typo.yaml")
        let error = try #require(inputError { () throws(InputError) in try ScenarioRunner(evaluator: EngineEvaluator()).run(scenario) })
        let diagnostic = try #require(error.diagnostics.first)
        #expect(diagnostic.description.contains("typo.yaml:4:"), "\(diagnostic)")
        #expect(diagnostic.description.contains("Lambda-Internal"), "\(diagnostic)")
    }

    @Test func inlineFlowsReplayThroughTheEngine() throws {
        let network = try Repository.seed("000-lambda-endpoints")
        let engine = try EngineEvaluator().prepare(network)
        let out = try EngineEvaluator().replay(.flow(FlowSpec(from: "Lambda-Internet@private-a", to: "internet", ipProtocol: .tcp, port: 443)), in: engine)
        #expect(!out.isEmpty && out.allSatisfy { $0.action == .accept })
        let blocked = try EngineEvaluator().replay(.flow(FlowSpec(from: "Lambda-Internal", to: "internet", ipProtocol: .tcp, port: 443)), in: engine)
        #expect(!blocked.isEmpty && blocked.allSatisfy { $0.action == .reject })
        #expect(blocked.first?.explanation.contains("ENI_SG_RULES_MISMATCH") == true)
    }
}
