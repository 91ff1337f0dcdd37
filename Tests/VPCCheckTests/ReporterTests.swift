import Foundation
import Testing
import VPCCheck
import VPCModel

@Suite struct ReporterTests {
    static let tricky = "say \"hi\" & <bye>\n'100%' a:b,c\ttab\r\u{1}end"

    /// Two scenario files, one with a failing check whose name and explanation hold every character XML
    /// and the workflow-command syntax treat specially.
    static func reports() throws -> [ScenarioReport] {
        let first = try ScenarioParser.parse(yaml: """
        name: <seed & "one">
        topology: ../seeds/001-omnigen.yaml
        faults: [{az-outage: us-east-1b}]
        checks:
          - {name: ok, from: ECS, to: internet, expect: reachable}
          - name: "fails: <&> \\"quoted\\" 100%, really"
            from: tricky
            to: internet
            expect: reachable
        traffic:
          - {name: flows, from: ECS, to: 1.1.1.1, port: 443, expect: accept}
        """, file: Repository.path("Fixtures/scenarios/reporter-test.yaml"))
        let second = try ScenarioParser.parse(yaml: "checks:\n  - {name: default network, from: Fargate, to: internet, expect: reachable}\n",
                                              file: Repository.path("Fixtures/scenarios/second.yaml"))
        var evaluator = FakeEvaluator()
        evaluator.answers["tricky -> internet all traffic"] = CheckOutcome(verdicts: [
            PathVerdict(source: "tricky@a", destination: "internet", reachability: .unreachable, reasons: ["ENI_SG_RULES_MISMATCH"], explanation: tricky),
        ])
        if let flow = first.traffic.first?.query {
            evaluator.traffic[flow] = [FlowOutcome(flow: "f", action: .accept, explanation: "ok")]
        }
        let runner = ScenarioRunner(evaluator: evaluator)
        return [try runner.run(first), try runner.run(second)]
    }

    func temporaryFile(_ name: String, _ contents: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-\(UUID().uuidString)-\(name)")
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func xpath(_ file: String, _ expression: String) throws -> String {
        // xmllint ends what it prints with a line break of its own.
        let output = try run(["xmllint", "--xpath", expression, file]).output
        return output.hasSuffix("\n") ? String(output.dropLast()) : output
    }

    @Test func junitValidatesAgainstTheSchemaAndKeepsEveryCharacter() throws {
        let reports = try Self.reports()
        #expect(reports.map(\.passed) == [false, true])
        let xml = JUnitWriter.xml(reports, timestamp: Date(timeIntervalSince1970: 1_700_000_000))
        let file = try temporaryFile("report.xml", xml)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let validation = try run(["xmllint", "--noout", "--schema", Repository.path("Tests/junit.xsd"), file])
        #expect(validation.status == 0, "xmllint (from libxml2-utils: Scripts/install-deps --test) says:\n\(validation.output)\n\(xml)")
        #expect(validation.output.contains("validates"))

        #expect(try xpath(file, "count(/testsuites/testsuite)") == "2")
        #expect(try xpath(file, "string(/testsuites/@tests)") == "4")
        #expect(try xpath(file, "string(/testsuites/@failures)") == "1")
        #expect(try xpath(file, "string(/testsuites/testsuite[1]/@name)") == "<seed & \"one\">")
        #expect(try xpath(file, "string(/testsuites/testsuite[1]/@timestamp)") == "2023-11-14T22:13:20")
        #expect(try xpath(file, "string(/testsuites/testsuite[1]/properties/property[@name='fault']/@value)") == "az-outage us-east-1b")
        #expect(try xpath(file, "count(/testsuites/testsuite[1]/testcase)") == "3")
        #expect(try xpath(file, "count(//testcase[failure])") == "1")
        let failing = "/testsuites/testsuite[1]/testcase[2]"
        #expect(try xpath(file, "string(\(failing)/@name)") == "fails: <&> \"quoted\" 100%, really")
        let report = try #require(reports.first?.checks.last)
        // The message attribute is the explanation's first line; the element holds location and all of it.
        #expect(try xpath(file, "string(\(failing)/failure/@message)") == report.explanation.split(separator: "\n").first.map(String.init))
        let body = try xpath(file, "string(\(failing)/failure)")
        #expect(body == "\(report.check.location): \(report.check.name)\n\(report.explanation.replacingOccurrences(of: "\u{1}", with: "\u{FFFD}"))")
        #expect(body.contains("say \"hi\" & <bye>\n'100%' a:b,c\ttab\r"))
    }

    @Test func junitTimeHasTheSchemaFormat() throws {
        let xml = JUnitWriter.xml(try Self.reports())
        let times = xml.components(separatedBy: "time=\"").dropFirst().compactMap { $0.split(separator: "\"").first }
        #expect(!times.isEmpty)
        for time in times { #expect(time.wholeMatch(of: /[0-9]+\.[0-9]{3}/) != nil, "\(time)") }
    }

    @Test func githubAnnotationsEscapeDataAndProperties() {
        #expect(GitHubAnnotations.data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b")
        #expect(GitHubAnnotations.property("a:b,c%\n") == "a%3Ab%2Cc%25%0A")
        #expect(GitHubAnnotations.error(file: "ci/s.yaml", line: 12, column: 5, title: "vpcsim: a, b", message: "line 1\nline 2")
                == "::error file=ci/s.yaml,line=12,col=5,title=vpcsim%3A a%2C b::line 1%0Aline 2")
        #expect(GitHubAnnotations.enabled(environment: ["GITHUB_ACTIONS": "true"]))
        #expect(!GitHubAnnotations.enabled(environment: ["CI": "true"]))
    }

    @Test func githubAnnotationsPointAtTheFailingCheck() throws {
        let annotations = GitHubAnnotations.annotations(try Self.reports())
        #expect(annotations.count == 1)
        let file = GitHubAnnotations.property(Repository.path("Fixtures/scenarios/reporter-test.yaml"))
        let annotation = try #require(annotations.first)
        #expect(annotation.hasPrefix("::error file=\(file),line=6,col=5,title=vpcsim check failed%3A fails%3A <&> \"quoted\" 100%25%2C really::expected reachable, but "))
        #expect(!annotation.contains("\n") && !annotation.contains("\r"))
    }
}
