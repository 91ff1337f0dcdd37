import ArgumentParser
import Foundation
import VPCCapture
import VPCCheck
import VPCEngine
import VPCModel

/// `vpcsim replay --flow-logs FILE`: compares each flow log record's ACCEPT/REJECT with what the
/// simulator says AWS would log at that interface (docs/diff-replay.md).
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replays VPC Flow Log records against the simulator and reports where the logged action disagrees.",
        discussion: """
        Reads the default (version 2) flow log format. Each record's flow is evaluated: at the record's interface \
        the simulator logs ACCEPT when the request passes (or, for a response record, the response gets back), \
        REJECT when it is dropped at or before that interface. NODATA/SKIPDATA records, IPv6 records and records \
        of interfaces the network does not have are skipped and counted.

        Exit codes: 0 every replayed record agrees, 1 some record disagrees, 2 bad usage or bad input.
        """
    )

    @Option(name: .customLong("flow-logs"), help: ArgumentHelp("A VPC Flow Logs file (version 2).", valueName: "FILE"))
    var flowLogs: String?

    @OptionGroup var network: NetworkArguments

    @Option(help: ArgumentHelp("How many disagreements to explain (default 10).", valueName: "N"))
    var show: Int = 10

    func run() throws {
        guard let flowLogs else {
            Terminal.error("error: no flow log given")
            Terminal.error("usage: vpcsim replay [PATH | --topology PATH] --flow-logs FILE [--show N]")
            throw ExitCode(2)
        }
        guard show >= 0 else {
            Terminal.error("error: --show must be 0 or more")
            throw ExitCode(2)
        }
        let engine = QueryEngine(network: try loadTopology(network.network).network)
        let records: [(line: Int, record: FlowLogRecord)]
        do throws(FlowLogError) {
            records = try FlowLogReplay.read(path: flowLogs)
        } catch {
            Terminal.error(error.description)
            Terminal.error("hint: vpcsim reads the default (version 2) format: \(FlowLogRecord.header)")
            throw ExitCode(2)
        }
        let result = FlowLogReplay.replay(records, in: engine)
        print(Self.text(result, file: flowLogs, show: show), terminator: "")
        if !result.disagreements.isEmpty { throw ExitCode(1) }
    }

    static func text(_ result: FlowLogReplay.Result, file: String, show: Int) -> String {
        var lines: [String] = []
        let disagreements = result.disagreements
        for item in disagreements.prefix(show) {
            lines.append("DISAGREE  \(file):\(item.line)  \(item.flow)  logged \(item.logged.rawValue.uppercased()), simulated \(item.simulated.rawValue.uppercased())")
            lines.append("    \(item.explanation)")
        }
        if disagreements.count > show { lines.append("… and \(disagreements.count - show) more disagreement\(disagreements.count - show == 1 ? "" : "s")") }
        lines.append("\(file): \(result.records) record\(result.records == 1 ? "" : "s"): \(result.agreed) agree, \(disagreements.count) disagree, \(result.skippedCount) skipped")
        for (reason, count) in result.skipped { lines.append("  skipped \(count): \(reason)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
