import Foundation
import Testing

/// Every command that reads one network takes it as PATH or --topology PATH (query: --topology only,
/// its argument is the sentence); both at once is exit 2; diff runs on the embedded default network.
@Suite struct NetworkArgumentTests {
    static let omnigen = "Fixtures/seeds/001-omnigen.yaml"

    /// A flow log of a seed 000 interface: it agrees there and is skipped on seed 001.
    static func flowLog() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-network-args-\(UUID().uuidString).log")
        try """
        version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
        2 123456789012 eni-c0ea899db29c896c5 10.0.11.11 8.8.8.8 40000 443 6 10 840 1700000000 1700000060 ACCEPT OK

        """.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// What a command prints (for `export aws`, the files it writes), run with `network` spliced in
    /// after the command's name.
    static func output(_ command: [String], _ rest: [String], network: [String]) throws -> (status: Int32, text: String, stderr: String) {
        if command == ["export", "aws"] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-network-args-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try CLI.run(command + network + ["-o", folder.path])
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? []
            let texts = try names.map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
            return (result.status, zip(names, texts).map { "\($0)\n\($1)" }.joined(separator: "\n"), result.stderr)
        }
        let result = try CLI.run(command + network + rest)
        return (result.status, result.stdout, result.stderr)
    }

    @Test func pathAndTopologyOptionMeanTheSameOnEveryCommand() throws {
        let log = try Self.flowLog()
        defer { try? FileManager.default.removeItem(at: log) }
        let commands: [([String], [String])] = [
            (["trace"], ["--from", "internet", "--to", "ALB", "--proto", "tcp", "--port", "443"]),
            (["matrix"], ["--format", "csv"]),
            (["replay"], ["--flow-logs", log.path]),
            (["show"], []),
            (["validate"], []),
            (["export", "aws"], []),
        ]
        for (command, rest) in commands {
            let positional = try Self.output(command, rest, network: [Self.omnigen])
            let option = try Self.output(command, rest, network: ["--topology", Self.omnigen])
            #expect(positional.status == 0, "\(command) PATH: \(positional.stderr)")
            #expect(!positional.text.isEmpty, "\(command)")
            #expect(positional.text == option.text, "\(command): PATH and --topology PATH differ")
            let seed000 = try Self.output(command, rest, network: [])
            #expect(seed000.text != positional.text, "\(command) ignored the network given")

            let both = try CLI.run(command + [Self.omnigen, "--topology", Self.omnigen] + rest + (command == ["export", "aws"] ? ["-o", "/nonexistent/x"] : []))
            #expect(both.status == 2, "\(command) with both: \(both.stderr)")
            #expect(both.stderr.contains("error: the network is given twice"), "\(command): \(both.stderr)")
            #expect(both.stderr.contains("hint: "))
            #expect(both.stdout.isEmpty)
        }
    }

    @Test func queryTakesTheNetworkAsTopologyOnly() throws {
        let sentence = "can internet reach ALB on tcp/443"
        let answer = try CLI.run(["query", "--topology", Self.omnigen, sentence])
        #expect(answer.status == 0, "\(answer.stderr)")
        #expect(answer.stdout.hasPrefix("yes"), "\(answer.stdout)")
        let positional = try CLI.run(["query", sentence, Self.omnigen])
        #expect(positional.status == 2, "the one positional argument is the sentence")
        let help = try CLI.run(["query", "--help"], environment: ["COLUMNS": "200"])
        #expect(help.stdout.contains("Only as --topology: the argument is the sentence"), "\(help.stdout)")
    }

    @Test func diffRunsOnTheDefaultNetwork() throws {
        let outage = try CLI.run(["diff", "--fault", "az-outage=us-east-1a"])
        #expect(outage.status == 1, "\(outage.stderr)")
        #expect(outage.stdout.contains("the default network -> the default network with az-outage=us-east-1a: "), "\(outage.stdout)")
        let nothing = try CLI.run(["diff"])
        #expect(nothing.status == 2)
        #expect(nothing.stderr.contains("nothing to compare"))
    }

    /// The `vpcsim diff …` lines under Examples in `vpcsim diff --help` at `columns` (a trailing `\`
    /// continues a line).
    static func diffExamples(columns: Int) throws -> [String] {
        let help = try CLI.run(["diff", "--help"], environment: ["COLUMNS": "\(columns)"])
        #expect(help.status == 0)
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let start = try #require(lines.firstIndex { $0.hasPrefix("Examples") })
        var examples: [String] = []
        var continued: String?
        for line in lines[(start + 1)...] {
            if line.isEmpty { break }
            guard continued != nil || line.hasPrefix("vpcsim diff") else { continue }
            let continues = line.hasSuffix("\\")
            let text = (continued.map { $0 + " " } ?? "") + (continues ? String(line.dropLast()).trimmingCharacters(in: .whitespaces) : line)
            if continues { continued = text } else { examples.append(text); continued = nil }
        }
        return examples
    }

    /// Each example, run by the shell from the package root as a user would paste it, compares (exit 0
    /// or 1) and prints no error; none is wrapped on an 80-column terminal.
    @Test func everyDiffHelpExampleRuns() throws {
        let examples = try Self.diffExamples(columns: 80)
        #expect(examples.count >= 6, "\(examples)")
        #expect(examples == (try Self.diffExamples(columns: 1000)), "an example is wrapped at 80 columns")
        for example in examples {
            let command = "'\(CLI.binary.path)'" + example.dropFirst("vpcsim".count)
            let result = try CLI.run(["-c", command], executable: URL(fileURLWithPath: "/bin/sh"))
            #expect(result.status == 0 || result.status == 1, "\(example): \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(example): \(result.stderr)")
            #expect(result.stdout.contains("pairs changed") || result.stdout.contains("\"changes\""), "\(example): \(result.stdout)")
        }
    }
}
