import Foundation
import Testing

/// Runs the real `vpcsim` executable, built next to this test bundle.
enum CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = here.deletingLastPathComponent()
        // The test runner may live inside a .xctest bundle directory.
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "Contents" || directory.lastPathComponent == "MacOS" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("vpcsim")
    }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// A new file in the temporary folder named `vpcsim-UUID-NAME`, holding `text` when given: one
    /// place for every CLI suite's inputs.
    static func temporaryFile(_ name: String, _ text: String? = nil) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-\(UUID().uuidString)-\(name)")
        if let text { try text.write(to: url, atomically: true, encoding: .utf8) }
        return url
    }

    /// Runs vpcsim (or another `executable`, e.g. `script` to give vpcsim a terminal) from the package
    /// root, or from `directory` (to name files relative to it).
    static func run(_ arguments: [String], environment: [String: String] = [:], executable: URL? = nil, in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable ?? binary
        process.standardInput = FileHandle.nullDevice
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? root
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite struct CLITests {
    @Test func versionNamesVpcsimAndLibpcap() throws {
        let result = try CLI.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("vpcsim "))
        #expect(result.stdout.contains("libpcap version"))
    }

    @Test(arguments: ["000-lambda-endpoints", "001-omnigen", "002-multi-region-dr", "003-eks-fargate", "004-lang-portal"])
    func validateAcceptsTheSeeds(seed: String) throws {
        let result = try CLI.run(["validate", "Fixtures/seeds/\(seed).yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("ok: "))
    }

    @Test func validateRejectsABrokenFileWithLocatedErrors() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-broken-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        vpcs:
          - name: main
            region: us-east-1
            cidr: 10.0.0.0/16
            subnets:
              - {name: a, cidr: 10.0.1.0/24, az: us-east-1a, route_tabel: x}
              - {name: b, cidr: 10.1.1.0/24, az: us-east-1b}
        """.write(to: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file.path):6:54: error: unknown key 'route_tabel' in a subnet"))
        #expect(result.stderr.contains("hint: did you mean 'route_table'?"))
        #expect(result.stderr.contains("\(file.path):7:25: error: subnet 'b' CIDR 10.1.1.0/24 is not inside VPC 'main'"))
        #expect(result.stderr.contains("2 errors"))
    }

    @Test func missingFileAndBadUsageExitTwo() throws {
        let missing = try CLI.run(["validate", "no/such/file.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no/such/file.yaml: error: no such file"))
        let usage = try CLI.run(["validate"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("error: missing the topology to check"), "\(usage.stderr)")
        #expect(usage.stderr.contains("hint: vpcsim validate PATH (or --topology PATH)"))
        let unknown = try CLI.run(["frobnicate"])
        #expect(unknown.status == 2)
    }

    @Test func showReadsLikeTheSeedDocument() throws {
        let result = try CLI.run(["show", "Fixtures/seeds/001-omnigen.yaml"])
        #expect(result.status == 0)
        for expected in ["VPC omnigen-vpc", "10.0.1.0/24", "us-east-1b", "0.0.0.0/0    → internet gateway", "→ NAT gateway NAT",
                         "pl-63a5400a (com.amazonaws.us-east-1.s3)", "ALB-SG", "in   tcp/8080  from group ALB-SG",
                         "Load balancer ALB (application, internet-facing)", "HTTPS:443 → ECS-TG HTTP:8080", "ECS (fargate)"] {
            #expect(result.stdout.contains(expected), "missing: \(expected)")
        }
        let defaultNetwork = try CLI.run(["show"])
        #expect(defaultNetwork.status == 0)
        #expect(defaultNetwork.stdout.contains("Lambda-Internal"))
    }
}

/// `vpcsim query` and `vpcsim trace`: exit codes, hints, the JSON and Mermaid formats, colour rules,
/// and the seed 000 questions answered end to end.
@Suite struct QueryCLITests {
    static let question = "can Lambda-Internal reach the internet"

    func json(_ result: CLI.Result) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(result.stdout)")
    }

    @Test func unknownEndpointExitsTwoWithDidYouMean() throws {
        let result = try CLI.run(["query", "--from", "Lambda-Internl", "--to", "internet"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("error: "))
        #expect(result.stderr.contains("did you mean"), "\(result.stderr)")
        #expect(result.stderr.contains("Lambda-Internal"))
        #expect(result.stdout.isEmpty)
    }

    @Test func badSentenceExitsTwoWithTheAcceptedForms() throws {
        let result = try CLI.run(["query", "can Lambda-Internal see the internet"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("error: cannot read the question"))
        #expect(result.stderr.contains("hint: "))
        #expect(result.stderr.contains("can A reach B on tcp/443"))
        #expect(result.stderr.contains("A -> B:443"))
    }

    @Test func badUsageExitsTwo() throws {
        let format = try CLI.run(["query", Self.question, "--format", "yaml"])
        #expect(format.status == 2)
        #expect(format.stderr.contains("yaml"))
        let both = try CLI.run(["query", Self.question, "--from", "Fargate"])
        #expect(both.status == 2)
        let neither = try CLI.run(["query"])
        #expect(neither.status == 2)
        let icmpPort = try CLI.run(["query", "--from", "Fargate", "--to", "internet", "--proto", "icmp", "--port", "8"])
        #expect(icmpPort.status == 2)
        #expect(icmpPort.stderr.contains("icmp has no ports"))
        let traceFormat = try CLI.run(["trace", "--from", "Fargate", "--to", "internet", "--proto", "tcp", "--port", "443", "--format", "mermaid"])
        #expect(traceFormat.status == 2)
    }

    @Test func traceNeedsAPortForTCPAndUDPButNotICMP() throws {
        let tcp = try CLI.run(["trace", "--from", "Lambda-Internet", "--to", "internet", "--proto", "tcp"])
        #expect(tcp.status == 2)
        #expect(tcp.stderr.contains("needs a destination port"))
        #expect(tcp.stderr.contains("hint: add --port"))
        let range = try CLI.run(["trace", "--from", "Lambda-Internet", "--to", "internet", "--proto", "udp", "--port", "1-100"])
        #expect(range.status == 2)
        let missingProto = try CLI.run(["trace", "--from", "Lambda-Internet", "--to", "internet"])
        #expect(missingProto.status == 2)
        let icmp = try CLI.run(["trace", "--from", "Lambda-Internet", "--to", "internet", "--proto", "icmp"])
        #expect(icmp.status == 0, "\(icmp.stderr)")
        #expect(icmp.stdout.contains("Request"))
    }

    @Test func jsonHasTheDocumentedKeys() throws {
        for arguments in [["query", Self.question, "--format", "json"],
                          ["query", "--from", "Lambda-Internet", "--to", "internet", "--proto", "tcp", "--port", "443", "--format", "json"]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 0, "\(result.stderr)")
            let answer = try json(result)
            for key in ["from", "to", "reachable", "partial", "sources", "allowed", "blocked", "notes"] {
                #expect(answer[key] != nil, "missing \(key)")
            }
            #expect(answer["reachable"] is Bool)
            #expect(answer["partial"] is Bool)
            let allowed = try #require(answer["allowed"] as? [[String: Any]])
            let blocked = try #require(answer["blocked"] as? [[String: Any]])
            #expect(!(allowed.isEmpty && blocked.isEmpty))
            var hops: [[String: Any]] = []
            for path in allowed {
                for key in ["protocol", "ports", "destinations", "hops", "sources"] { #expect(path[key] != nil, "allowed[] missing \(key)") }
                hops += path["hops"] as? [[String: Any]] ?? []
            }
            for item in blocked {
                for key in ["protocol", "ports", "reason", "at", "rule", "summary", "direction"] { #expect(item[key] != nil, "blocked[] missing \(key)") }
                if let at = item["at"] as? [String: Any] { hops.append(at) }
            }
            #expect(!hops.isEmpty)
            for hop in hops {
                for key in ["id", "name", "kind", "detail"] { #expect(hop[key] is String, "hop missing \(key): \(hop)") }
            }
        }
    }

    @Test func jsonIsStable() throws {
        let first = try CLI.run(["query", Self.question, "--format", "json"])
        let second = try CLI.run(["query", Self.question, "--format", "json"])
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        let keys = first.stdout.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(keys == keys.sorted(), "top-level keys are sorted")
    }

    @Test func traceJSONIsAListOfFlowTraces() throws {
        let result = try CLI.run(["trace", "--from", "Lambda-Internet", "--to", "internet", "--proto", "tcp", "--port", "443", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let traces = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(!traces.isEmpty)
        for trace in traces {
            for key in ["source", "destination", "packet", "reachable", "request", "response"] { #expect(trace[key] != nil, "missing \(key)") }
        }
    }

    @Test func mermaidIsAFlowchart() throws {
        for question in [Self.question, "can Lambda-Internet reach the internet"] {
            let result = try CLI.run(["query", question, "--format", "mermaid"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.hasPrefix("flowchart LR\n"))
            #expect(result.stdout.contains("-->") || result.stdout.contains("-.->"))
            for line in result.stdout.split(separator: "\n").dropFirst() {
                #expect(line.hasPrefix("  "), "indented: \(line)")
            }
        }
        let blocked = try CLI.run(["query", Self.question, "--format", "mermaid"])
        #expect(blocked.stdout.contains("-.->|\"✖"))
        #expect(blocked.stdout.contains("ENI_SG_RULES_MISMATCH"))
    }

    @Test func noEscapeCodesWhenNotATerminal() throws {
        let piped = try CLI.run(["query", Self.question])
        #expect(piped.status == 0)
        #expect(!piped.stdout.contains("\u{1B}"))
        let trace = try CLI.run(["trace", "--from", "Lambda-Internet", "--to", "internet", "--proto", "tcp", "--port", "443"])
        #expect(!trace.stdout.contains("\u{1B}"))
    }

    /// Under a pseudo-terminal (util-linux `script`) the answer is coloured, unless NO_COLOR is set.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func colourOnlyOnATerminalAndNoColorHonoured() throws {
        func underTerminal(_ environment: [String: String]) throws -> String {
            let command = "'\(CLI.binary.path)' query '\(Self.question)'"
            return try CLI.run(["-qec", command, "/dev/null"], environment: ["NO_COLOR": "", "TERM": "xterm"].merging(environment) { _, new in new },
                               executable: URL(fileURLWithPath: "/usr/bin/script")).stdout
        }
        let coloured = try underTerminal([:])
        #expect(coloured.contains("\u{1B}["), "\(coloured)")
        let plain = try underTerminal(["NO_COLOR": "1"])
        #expect(plain.contains("ENI_SG_RULES_MISMATCH"))
        #expect(!plain.contains("\u{1B}["))
    }

    @Test func helpShowsExamples() throws {
        let query = try CLI.run(["query", "--help"])
        #expect(query.status == 0)
        #expect(query.stdout.contains("vpcsim query \"can Lambda-Internal reach the internet\""))
        let trace = try CLI.run(["trace", "--help"])
        #expect(trace.stdout.contains("--proto tcp --port 443"))
    }

    // MARK: - Seed 000, end to end

    @Test func lambdaInternalCannotReachTheInternet() throws {
        let result = try CLI.run(["query", Self.question])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("no") == true, "\(result.stdout)")
        #expect(result.stdout.contains("ENI_SG_RULES_MISMATCH"))
        #expect(result.stdout.contains("lambda-internal"), "names the security group")
        #expect(!result.stdout.contains("Allowed"))
        #expect(lines.count <= 14, "short:\n\(result.stdout)")
        let readme = try String(contentsOf: CLI.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("```\n" + result.stdout + "```"), "README shows this answer")
        let answer = try json(try CLI.run(["query", Self.question, "--format", "json"]))
        #expect(answer["reachable"] as? Bool == false)
        #expect(answer["partial"] as? Bool == false)
        #expect((answer["allowed"] as? [Any])?.isEmpty == true)
    }

    @Test func lambdaInternetReachesTheInternetThroughItsNATGateway() throws {
        let arguments = ["query", "--from", "Lambda-Internet", "--to", "internet", "--proto", "tcp", "--port", "443"]
        let text = try CLI.run(arguments)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("yes"), "\(text.stdout)")
        #expect(text.stdout.contains("NAT-GW-A") && text.stdout.contains("203.0.113.1"))
        let answer = try json(try CLI.run(arguments + ["--format", "json"]))
        #expect(answer["reachable"] as? Bool == true)
        let allowed = try #require(answer["allowed"] as? [[String: Any]])
        #expect(!allowed.isEmpty)
        let eip = ["NAT-GW-A": "203.0.113.1", "NAT-GW-B": "203.0.113.2"]
        for path in allowed {
            let hops = path["hops"] as? [[String: Any]] ?? []
            let nat = try #require(hops.first { $0["kind"] as? String == "nat-gateway" }, "no NAT gateway on \(path)")
            let natName = try #require(nat["name"] as? String)
            #expect(path["translatedSource"] as? String == eip[natName], "\(path)")
            // The NAT gateway of the source's own AZ.
            let source = hops.first?["name"] as? String ?? ""
            #expect(source.hasSuffix("private-a") == (natName == "NAT-GW-A"), "\(source) via \(natName)")
        }
    }

    /// Seed 000 with private-b's default route removed: Lambda-Internet works in one AZ only.
    @Test func oneZoneBrokenIsPartly() throws {
        let seed = try String(contentsOf: CLI.root.appendingPathComponent("Fixtures/seeds/000-lambda-endpoints.yaml"), encoding: .utf8)
        let broken = seed.replacingOccurrences(of: "{destination: 0.0.0.0/0, target: NAT-GW-B}", with: "{destination: 10.9.0.0/16, target: NAT-GW-B}")
        #expect(broken != seed)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-partly-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try broken.write(to: file, atomically: true, encoding: .utf8)
        let text = try CLI.run(["query", "--topology", file.path, "can Lambda-Internet reach the internet"])
        #expect(text.status == 0, "\(text.stderr)")
        // The first line names what gets through and from where, then what does not.
        #expect(text.stdout.hasPrefix("partly: tcp/443 gets through from Lambda-Internet@private-a in us-east-1a; nothing from Lambda-Internet@private-b in us-east-1b"),
                "\(text.stdout)")
        #expect(text.stdout.contains("NO_ROUTE_TO_DESTINATION at private-b"))
        let answer = try json(try CLI.run(["query", "--topology", file.path, "can Lambda-Internet reach the internet", "--format", "json"]))
        #expect(answer["reachable"] as? Bool == false)
        #expect(answer["partial"] as? Bool == true)
        let mermaid = try CLI.run(["query", "--topology", file.path, "can Lambda-Internet reach the internet", "--format", "mermaid"])
        #expect(mermaid.stdout.contains("%% vpcsim: can Lambda-Internet reach internet? partly"))
    }

    @Test func fargateReachesSecretsManagerThroughTheEndpointOfItsZone() throws {
        let result = try CLI.run(["query", "--from", "Fargate", "--to", "secretsmanager", "--proto", "tcp", "--port", "443", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let answer = try json(result)
        #expect(answer["reachable"] as? Bool == true)
        let allowed = try #require(answer["allowed"] as? [[String: Any]])
        #expect(!allowed.isEmpty)
        let endpointIP = ["private-a": "10.0.11.4", "private-b": "10.0.12.4"]
        for path in allowed {
            let hops = path["hops"] as? [[String: Any]] ?? []
            let source = hops.first?["name"] as? String ?? ""
            let zone = source.hasSuffix("private-a") ? "private-a" : "private-b"
            let other = zone == "private-a" ? "private-b" : "private-a"
            let text = String(decoding: try JSONSerialization.data(withJSONObject: path), as: UTF8.self)
            #expect(text.contains(endpointIP[zone] ?? "?"), "\(source): \(text)")
            #expect(!text.contains(endpointIP[other] ?? "?"), "\(source) crosses AZs: \(text)")
            #expect(!hops.contains { $0["kind"] as? String == "nat-gateway" || $0["kind"] as? String == "internet-gateway" })
        }
    }
}
