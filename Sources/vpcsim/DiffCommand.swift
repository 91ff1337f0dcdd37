import ArgumentParser
import Foundation
import VPCCheck
import VPCModel

/// `vpcsim diff OLD [NEW] [--fault SPEC]…`: every (source, destination, protocol/port class) whose
/// outcome differs between two networks, with both explanations (docs/diff-replay.md).
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compares the reachability of two networks (or one network with what-if faults): every pair whose outcome changed.",
        discussion: """
        OLD and NEW are topology files or folders of AWS describe-* JSON: 'vpcsim diff OLD NEW' compares two networks. \
        With --fault and no NEW, NEW is OLD with the faults applied (the faults apply to NEW either way); with --fault \
        and neither, OLD is the embedded default network (seed 000). Every matrix row and column of either network is \
        compared — workloads, standalone interfaces, load balancers, AWS services with an endpoint or known addresses, \
        the internet — matched by name: per source interface (the internet per address), exactly which protocols, ports \
        and addresses get through. Each change is one line per group of packets, with what happens to them before and \
        after (docs/diff-replay.md).

        Faults are the scenario file's faults (docs/scenarios.md): az-outage=ZONE, remove=NAME, or one in YAML.

        Examples (seed 000: the embedded default network, or its file in a vpcsim checkout):
          vpcsim diff --fault az-outage=us-east-1a
          vpcsim diff --fault remove=NAT-GW-B --allow-changes
          vpcsim diff --fault remove=s3 --format json
          vpcsim diff --fault \\
            'route: {table: private-a, destination: 0.0.0.0/0, action: blackhole}'
          vpcsim diff --fault \\
            'sg-rule: {group: lambda-internet, direction: egress, index: 1}'
          vpcsim diff Fixtures/seeds/000-lambda-endpoints.yaml --fault remove=s3

        Exit codes: 0 nothing changed (or --allow-changes), 1 something changed, 2 bad usage or bad input.
        """
    )

    @Argument(help: ArgumentHelp("The network before the change, a file or folder (default with --fault: the embedded default network).",
                                 valueName: "OLD"))
    var old: String?

    @Argument(help: ArgumentHelp("The network after the change (default with --fault: OLD).", valueName: "NEW"))
    var new: String?

    @Option(name: .customLong("fault"), help: ArgumentHelp("A what-if fault applied to NEW (repeatable).", valueName: "SPEC"))
    var faults: [String] = []

    @Flag(name: .customLong("allow-changes"), help: "Exit 0 even when something changed (report only).")
    var allowChanges = false

    @Option(help: ArgumentHelp("text or json.", valueName: "FORMAT"))
    var format: TraceFormat = .text

    func run() throws {
        guard new != nil || !faults.isEmpty else {
            Terminal.error("error: nothing to compare: give NEW, or --fault to compare OLD (default: the embedded network) with itself under faults")
            Terminal.error("usage: vpcsim diff OLD NEW | vpcsim diff [OLD] --fault az-outage=us-east-1a")
            throw ExitCode(2)
        }
        let before = try loadTopology(old).network
        var after = try new.map { try loadTopology($0).network } ?? before
        do throws(InputError) {
            after = try FaultInjector.apply(try NetworkDiff.parseFaults(faults), to: after)
        } catch {
            Terminal.error(error.description)
            throw ExitCode(2)
        }
        let result = NetworkDiff.compare(old: before, new: after)
        // Named as scenario reports name it when no file is given.
        let oldName = old ?? TopologyReference.embeddedDefault.description
        switch format {
        case .json:
            print(try JSONOutput.encode(DiffJSON(old: oldName, new: new ?? oldName, faults: faults, result: result)), terminator: "")
        case .text:
            print(Self.text(result, old: oldName, new: new ?? oldName, faults: faults), terminator: "")
        }
        if !result.changes.isEmpty && !allowChanges { throw ExitCode(1) }
    }

    static func text(_ result: NetworkDiff.Result, old: String, new: String, faults: [String]) -> String {
        var lines: [String] = []
        for change in result.changes {
            lines.append("CHANGED  \(change.source) -> \(change.destination)  (\(change.old) -> \(change.new))")
            for side in [change.old, change.new] {
                if case .absent(let why) = side { lines.append("  \(why)") }
            }
            // Lines stopped by the same block (before, for what is gained; now, for what is lost)
            // share one explanation, printed after them with the path of the first.
            var index = 0
            while index < change.lines.count {
                let key = Self.blockKey(change.lines[index])
                var end = index
                while end < change.lines.count, Self.blockKey(change.lines[end]) == key {
                    let line = change.lines[end]
                    lines.append("  \(line.kind == .lost ? "-" : "+") \(line.text)")
                    end += 1
                }
                let first = change.lines[index]
                lines.append("      was: \(NetworkDiff.story(first.was))")
                lines.append("      now: \(NetworkDiff.story(first.now))")
                index = end
            }
        }
        for note in result.notes { lines.append("note: \(note)") }
        let target = new + (faults.isEmpty ? "" : " with \(faults.joined(separator: ", "))")
        let count = result.changes.count
        lines.append("\(old) -> \(target): \(count) of \(result.pairs) pair\(result.pairs == 1 ? "" : "s") changed")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension DiffCommand {
    /// The blocks that explain a line (the side where it does not get through); paths are not compared.
    static func blockKey(_ line: NetworkDiff.Line) -> [String] {
        [line.was, line.now].map { side in
            if case .blocked(let block) = side { return NetworkDiff.story(.blocked(block)) }
            return "gets through"
        }
    }
}

/// `--format json` of `vpcsim diff`.
struct DiffJSON: Encodable {
    var old: String
    var new: String
    var faults: [String]
    var result: NetworkDiff.Result
}
