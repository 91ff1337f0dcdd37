import Foundation
import Testing

/// `vpcsim check` with the real engine: exit codes, explanations, JUnit, GitHub annotations.
@Suite struct CheckCommandTests {
    static let scenarios = ["000-lambda-endpoints", "001-omnigen", "002-multi-region-dr", "003-eks-fargate", "004-lang-portal"]
        .map { "Fixtures/scenarios/\($0).yaml" }

    func temporary(_ name: String, _ text: String? = nil) throws -> URL { try CLI.temporaryFile(name, text) }

    /// A scenario file on seed 000 with these checks (YAML list items, indented by two spaces).
    func seed000Scenario(_ name: String, _ checks: String) throws -> URL {
        let topology = CLI.root.appendingPathComponent("Fixtures/seeds/000-lambda-endpoints.yaml").path
        return try temporary(name, "topology: \(topology)\nchecks:\n\(checks)\n")
    }

    @Test func theSeedScenariosPassAndTheirJUnitValidates() throws {
        let junit = try temporary("report.xml")
        defer { try? FileManager.default.removeItem(at: junit) }
        let result = try CLI.run(["check"] + Self.scenarios + ["--junit", junit.path])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains(" 0 failed"), "\(result.stdout)")
        #expect(!result.stdout.contains("FAIL"))
        let xmllint = Process()
        xmllint.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        xmllint.arguments = ["xmllint", "--noout", "--schema", CLI.root.appendingPathComponent("Tests/junit.xsd").path, junit.path]
        let pipe = Pipe()
        xmllint.standardOutput = pipe
        xmllint.standardError = pipe
        try xmllint.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        xmllint.waitUntilExit()
        #expect(xmllint.terminationStatus == 0, "\(output)")
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"001-omnigen\""))
    }

    @Test func aWrongExpectationExitsOneAndExplainsTheRealPath() throws {
        let scenario = try seed000Scenario("wrong.yaml", """
          - name: internal lambdas stay off the internet
            from: Lambda-Internal
            to: internet
            expect: unreachable
          - name: scrapers cannot get out
            from: Lambda-Internet@private-a
            to: internet
            protocol: tcp
            port: 443
            expect: unreachable
          - name: fargate reaches s3
            from: Fargate
            to: s3
            protocol: tcp
            port: 443
            expect: reachable
        """)
        defer { try? FileManager.default.removeItem(at: scenario) }
        let junit = try temporary("wrong.xml")
        defer { try? FileManager.default.removeItem(at: junit) }
        let result = try CLI.run(["check", scenario.path, "--junit", junit.path], environment: ["GITHUB_ACTIONS": "true"])
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("PASS  internal lambdas stay off the internet"))
        #expect(result.stdout.contains("FAIL  scrapers cannot get out  (\(scenario.path):7:5)"), "\(result.stdout)")
        // The real path of the leak, and the real reason of the block.
        #expect(result.stdout.contains("NAT-GW-A -> ") && result.stdout.contains("IGW"), "\(result.stdout)")
        #expect(result.stdout.contains("ENI_SG_RULES_MISMATCH"), "\(result.stdout)")
        #expect(result.stdout.contains("3 checks in 1 file: 1 passed, 2 failed"))
        #expect(result.stdout.contains("::error file=\(scenario.path),line=7,col=5,title=vpcsim check failed%3A scrapers cannot get out::"))
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains("failures=\"2\""))
    }

    @Test func badInputExitsTwoWithLocatedErrors() throws {
        let scenario = try seed000Scenario("typo.yaml", """
          - name: typo
            from: Lambda-Internl
            to: internet
            expect: unreachable
        """)
        defer { try? FileManager.default.removeItem(at: scenario) }
        let result = try CLI.run(["check", scenario.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(scenario.path):4:"), "\(result.stderr)")
        #expect(result.stderr.contains("Lambda-Internal"))

        let none = try CLI.run(["check"])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no scenario files"))

        let missing = try CLI.run(["check", "/nonexistent/scenario.yaml"])
        #expect(missing.status == 2, "\(missing.stderr)")
    }

    @Test func pcapDirHoldsACaptureOfEveryFailingCheckThatTsharkReads() throws {
        let scenario = try seed000Scenario("pcap.yaml", """
          - {name: internal lambdas stay off the internet, from: Lambda-Internal, to: internet, expect: unreachable}
          - {name: "scrapers can't get out", from: Lambda-Internet, to: internet, protocol: tcp, port: 443, expect: unreachable}
          - {name: internal lambdas reach the internet, from: Lambda-Internal, to: internet, protocol: tcp, port: 443, expect: reachable}
        """)
        defer { try? FileManager.default.removeItem(at: scenario) }
        let folder = try temporary("captures")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run(["check", scenario.path, "--pcap-dir", folder.path])
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        let suite = scenario.deletingPathExtension().lastPathComponent
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["\(suite)-internal-lambdas-reach-the-internet.pcapng", "\(suite)-scrapers-can-t-get-out.pcapng"], "\(names)")
        for name in names {
            let path = folder.appendingPathComponent(name).path
            #expect(result.stderr.contains("to \(path)"), "\(result.stderr)")
            let tshark = try CLI.run(["tshark", "-r", path], executable: URL(fileURLWithPath: "/usr/bin/env"))
            #expect(tshark.status == 0, "\(tshark.stderr)")
            let packets = tshark.stdout.split(separator: "\n").count
            #expect(packets >= 1, "\(name): \(tshark.stdout)")
        }
        // Both interfaces of Lambda-Internet leak: one flow each.
        let leak = try CLI.run(["tshark", "-r", folder.appendingPathComponent(names[1]).path, "-T", "fields", "-e", "ip.src", "-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0"],
                               executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(Set(leak.stdout.split(separator: "\n")).count >= 2, "\(leak.stdout)")

        let passing = try temporary("passing")
        defer { try? FileManager.default.removeItem(at: passing) }
        let clean = try CLI.run(["check", Self.scenarios[0], "--pcap-dir", passing.path])
        #expect(clean.status == 0, "\(clean.stdout)\n\(clean.stderr)")
        #expect(!FileManager.default.fileExists(atPath: passing.path), "a passing run writes nothing")
        #expect(!clean.stderr.contains("wrote"))
    }
}
