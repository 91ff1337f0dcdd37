import Foundation
import Testing

/// `vpcsim matrix`: the three formats on the default network, --from/--to, errors, and the
/// progress bar that shows only on a terminal.
@Suite struct MatrixCommandTests {
    /// The JSON schema of docs/json.md ("Matrix"), decoded strictly: a renamed or retyped field fails.
    struct Matrix: Decodable {
        struct Ports: Decodable { var `protocol`: String; var ports: String; var everySource: Bool }
        struct Source: Decodable { var name: String; var id: String; var zone: String?; var reachable: Bool; var summary: String }
        struct Pair: Decodable {
            var from: String; var to: String; var status: String; var reachable: Bool; var partial: Bool
            var summary: String; var allowed: [Ports]; var sources: [Source]; var notes: [String]
        }
        var sources: [String]
        var destinations: [String]
        var pairs: [Pair]
        var flows: Int
    }

    static let sources = ["Lambda-Internet", "Lambda-Internal", "Fargate", "OpenSearch", "internet"]

    @Test func textIsAGridWithLegendWhatGetsThroughAndTotals() throws {
        let result = try CLI.run(["matrix"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "no progress bar into a pipe: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("Who reaches whom") == true)
        for source in Self.sources { #expect(lines.contains { $0.hasPrefix("  \(source) ") }, "row \(source)") }
        // Lambda-Internal's row: nothing to the internet (the last column), the endpoints yes.
        let row = try #require(lines.first { $0.hasPrefix("  Lambda-Internal ") })
        #expect(row.hasSuffix("·"))
        #expect(row.contains("✓"))
        let internetRow = try #require(lines.first { $0.hasPrefix("  internet ") })
        #expect(internetRow.hasSuffix("-"), "the internet to itself is n/a")
        #expect(result.stdout.contains("✓ reaches   ~ partly"))
        #expect(lines.contains { $0.contains(" 1 Lambda-Internet") && $0.contains(" 2 Lambda-Internal") })
        #expect(lines.contains { $0.hasPrefix("  Lambda-Internet  tcp/443") && $0.hasSuffix(", internet") }, "\(result.stdout)")
        #expect(lines.contains { $0.contains("tcp/all udp/all icmp") && $0.hasSuffix("internet") })
        let total = try #require(lines.last)
        #expect(total.range(of: #"^70 pairs: 29 reach, 0 partly, 40 do not, 1 n/a — [0-9,]+ flows in ([0-9]+ ms|[0-9.]+ s) \(\d+ threads?\)$"#,
                            options: .regularExpression) != nil, "\(total)")
        #expect(!result.stdout.contains("\u{1B}"))
    }

    @Test func csvHasAHeaderAndOneRowPerPairProtocolAndPorts() throws {
        let result = try CLI.run(["matrix", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first == ["from", "to", "protocol", "ports", "reachable"])
        #expect(rows.allSatisfy { $0.count == 5 })
        let body = rows.dropFirst()
        #expect(body.contains(["Lambda-Internet", "internet", "tcp", "443", "yes"]))
        #expect(body.contains(["Lambda-Internal", "internet", "", "", "no"]))
        #expect(body.contains(["internet", "internet", "", "", "n/a"]))
        #expect(body.contains(["OpenSearch", "internet", "icmp", "echo", "yes"]))
        #expect(Set(body.map(\.[4])).isSubset(of: ["yes", "partly", "no", "n/a"]))
        // Every pair has at least one row.
        #expect(Set(body.map { "\($0[0])→\($0[1])" }).count == 70)
    }

    @Test func jsonDecodesAndIsStable() throws {
        let first = try CLI.run(["matrix", "--format", "json"])
        #expect(first.status == 0, "\(first.stderr)")
        let matrix = try JSONDecoder().decode(Matrix.self, from: Data(first.stdout.utf8))
        #expect(matrix.sources == Self.sources)
        #expect(matrix.destinations.count == 14 && matrix.destinations.last == "internet")
        #expect(matrix.pairs.count == matrix.sources.count * matrix.destinations.count)
        #expect(matrix.flows > 0)
        let pair = try #require(matrix.pairs.first { $0.from == "Lambda-Internet" && $0.to == "internet" })
        #expect(pair.status == "yes" && pair.reachable && !pair.partial && pair.summary == "tcp/443")
        #expect(pair.allowed.map { "\($0.protocol)/\($0.ports)/\($0.everySource)" } == ["tcp/443/true"])
        #expect(pair.sources.map(\.name) == ["Lambda-Internet@private-a", "Lambda-Internet@private-b"])
        // Row-major: pair i is (sources[i / columns], destinations[i % columns]).
        for (i, pair) in matrix.pairs.enumerated() {
            #expect(pair.from == matrix.sources[i / matrix.destinations.count] && pair.to == matrix.destinations[i % matrix.destinations.count])
        }
        let second = try CLI.run(["matrix", "--format", "json", "--jobs", "1"])
        #expect(first.stdout == second.stdout, "the same bytes whatever the thread count")
    }

    @Test func fromAndToChooseRowsAndColumns() throws {
        let result = try CLI.run(["matrix", "--from", "Fargate, lambda-internal", "--to", "internet,secretsmanager,10.0.11.14", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let matrix = try JSONDecoder().decode(Matrix.self, from: Data(result.stdout.utf8))
        #expect(matrix.sources == ["Fargate", "Lambda-Internal"])
        #expect(matrix.destinations == ["internet", "secretsmanager", "10.0.11.14"])
        #expect(matrix.pairs.map(\.status) == ["no", "yes", "no", "no", "yes", "yes"])
        let csv = try CLI.run(["matrix", "--from", "private-a", "--to", "OpenSearch", "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.contains("private-a,OpenSearch,tcp,443,partly"), "\(csv.stdout)")
    }

    @Test func unknownNamesAndBadUsageExitTwo() throws {
        let unknown = try CLI.run(["matrix", "--from", "Fargate,Lambda-Internl"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("error: unknown endpoint 'Lambda-Internl'"), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("hint: did you mean 'Lambda-Internal'?"))
        #expect(unknown.stdout.isEmpty)
        let unknownColumn = try CLI.run(["matrix", "--to", "secretsmanagr"])
        #expect(unknownColumn.status == 2)
        #expect(unknownColumn.stderr.contains("did you mean 'secretsmanager'"), "\(unknownColumn.stderr)")
        let service = try CLI.run(["matrix", "--from", "s3"])
        #expect(service.status == 2)
        #expect(service.stderr.contains("VPCE_INTRA_VPC_TRAFFIC"))
        let empty = try CLI.run(["matrix", "--from", " , "])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("--from names no endpoint"))
        let format = try CLI.run(["matrix", "--format", "yaml"])
        #expect(format.status == 2)
        #expect(format.stderr.contains("yaml"))
        let jobs = try CLI.run(["matrix", "--jobs", "0"])
        #expect(jobs.status == 2)
        let missing = try CLI.run(["matrix", "--topology", "no/such/file.yaml"])
        #expect(missing.status == 2)
    }

    /// The bar goes to a terminal only (util-linux `script` gives one); into a pipe, never.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func progressBarOnlyOnATerminal() throws {
        let command = "'\(CLI.binary.path)' matrix --format csv --progress-after 0 > /dev/null"
        let terminal = try CLI.run(["-qec", command, "/dev/null"], environment: ["TERM": "xterm"], executable: URL(fileURLWithPath: "/usr/bin/script"))
        #expect(terminal.status == 0)
        #expect(terminal.stdout.contains("70/70 pairs"), "\(terminal.stdout)")
        #expect(terminal.stdout.contains("\r"))
        let pipe = try CLI.run(["matrix", "--format", "csv", "--progress-after", "0"])
        #expect(pipe.status == 0)
        #expect(pipe.stderr.isEmpty)
    }

    @Test func helpShowsTheSymbolsAndExamples() throws {
        let help = try CLI.run(["matrix", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("vpcsim matrix --from Fargate,Lambda-Internal"))
        #expect(help.stdout.contains("~ partly"))
        #expect(!help.stdout.contains("progress-after"), "a testing knob, hidden")
    }
}
