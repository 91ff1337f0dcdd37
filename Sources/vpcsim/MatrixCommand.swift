import ArgumentParser
import Foundation
import VPCEngine
import VPCModel

enum MatrixFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
}

/// `vpcsim matrix`: who reaches whom, on which protocols and ports, for every pair of sources and
/// destinations (docs/matrix.md).
struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Who reaches whom: every pair of workloads, load balancers, services and the internet, on which protocols and ports.",
        discussion: """
        Rows are sources, columns destinations. Without --from, the rows are every workload and the internet; \
        without --to, the columns are every workload, every load balancer, every service the network has an \
        endpoint for, and the internet. --from/--to take comma-separated endpoints as 'vpcsim query' does: names, \
        ids, security groups, subnets, IPs, CIDRs, service names, internet. Every pair is answered over every \
        protocol, port and address, as 'vpcsim query --from A --to B' would answer it (docs/matrix.md).

        Text: a grid (✓ reaches, ~ partly: some sources only, · nothing gets through, - n/a), the columns' \
        legend, what gets through for each pair that reaches, totals and the time taken. CSV: one row per \
        (from, to, protocol, ports). JSON: docs/json.md. A progress bar goes to stderr when it is a terminal \
        and the run takes more than half a second.

        Examples:
          vpcsim matrix
          vpcsim matrix --from Fargate,Lambda-Internal --to internet,secretsmanager,s3
          vpcsim matrix --topology Fixtures/seeds/001-omnigen.yaml --format csv > reach.csv
          vpcsim matrix --format json | jq -r '.pairs[] | select(.status == "yes") | "\\(.from) → \\(.to): \\(.summary)"'

        Exit codes: 0 computed (whatever it shows), 2 bad usage, bad input or an unknown endpoint.
        """
    )

    @OptionGroup var network: NetworkArguments

    @Option(help: ArgumentHelp("Sources, comma-separated (default: every workload and the internet).", valueName: "SET"))
    var from: String?

    @Option(help: ArgumentHelp("Destinations, comma-separated (default: workloads, load balancers, endpoint services, the internet).",
                               valueName: "SET"))
    var to: String?

    @Option(help: ArgumentHelp("Output format: text, json (docs/json.md) or csv.", valueName: "FORMAT"))
    var format: MatrixFormat = .text

    @Option(help: ArgumentHelp("Threads evaluating flows (default: every core).", valueName: "N"))
    var jobs: Int?

    /// Seconds before the progress bar shows (tests set 0 to see it on a short run).
    @Option(name: .customLong("progress-after"), help: .hidden)
    var progressAfter: Double = 0.5

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    /// `a, b,c` → [a, b, c]; nil keeps the default set.
    static func names(_ set: String?, option: String) throws(QueryError) -> [String]? {
        guard let set else { return nil }
        let names = set.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if names.isEmpty { throw QueryError("\(option) names no endpoint", hint: "give comma-separated names, e.g. \(option) Fargate,internet") }
        return names
    }

    func run() throws {
        let engine = QueryEngine(network: try loadTopology(network.network).network)
        let rows: [MatrixEndpoint], columns: [MatrixEndpoint]
        do {
            rows = try engine.matrixEndpoints(try Self.names(from, option: "--from"), asSource: true)
            columns = try engine.matrixEndpoints(try Self.names(to, option: "--to"), asSource: false)
        } catch {
            throw usageFailure(error)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let bar = ProgressBar(enabled: isatty(STDERR_FILENO) == 1, after: progressAfter, clock: clock, start: start)
        let matrix = engine.matrix(from: rows, to: columns, jobs: jobs, progress: bar.enabled ? { bar.show($0) } : nil)
        bar.clear()
        let elapsed = start.duration(to: clock.now)
        switch format {
        case .text:
            let threads = jobs ?? BatchEvaluator.activeCores
            write(MatrixText(matrix, style: .forStandardOutput, seconds: Self.seconds(elapsed), threads: threads).render())
        case .json: write(try JSONOutput.encode(matrix))
        case .csv: write(MatrixCSV.render(matrix))
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// `[#######-------] 12/80 pairs, 1,234,567 flows, 0.8 s` on stderr (the bar fills by flows judged),
/// redrawn in place at most ten times a second, only on a terminal and only once the run has taken
/// `after` seconds; `clear` erases it so that nothing of it stays in the scrollback.
final class ProgressBar {
    let enabled: Bool
    let after: Double
    let clock: ContinuousClock
    let start: ContinuousClock.Instant
    var shown = false
    var lastDraw: ContinuousClock.Instant?

    init(enabled: Bool, after: Double, clock: ContinuousClock, start: ContinuousClock.Instant) {
        self.enabled = enabled; self.after = after; self.clock = clock; self.start = start
    }

    func show(_ progress: MatrixProgress) {
        guard enabled else { return }
        let now = clock.now
        let elapsed = MatrixCommand.seconds(start.duration(to: now))
        guard elapsed >= after else { return }
        if let lastDraw, MatrixCommand.seconds(lastDraw.duration(to: now)) < 0.1, progress.pairsDone < progress.pairs { return }
        lastDraw = now
        let width = 30
        let filled = min(width, Int((Double(width) * progress.fraction).rounded(.down)))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = "\r[\(bar)] \(progress.pairsDone)/\(progress.pairs) pairs, \(MatrixText.count(progress.flows)) flows, "
            + String(format: "%.1f s", elapsed) + "\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
        shown = true
    }

    func clear() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
