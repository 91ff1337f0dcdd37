import ArgumentParser
import Foundation
import VPCCapture
import VPCCheck
import VPCModel

/// `vpcsim check SCENARIO…`: runs scenario files (docs/scenarios.md) against the query engine.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Runs scenario files: reachability checks (with what-if faults) and replayed traffic, for CI.",
        discussion: """
        Prints one line per check and traffic entry (PASS/FAIL; under a failure, what actually happens) and a summary. \
        With GITHUB_ACTIONS=true, failures are also printed as ::error annotations on the check's line. \
        Exit codes: 0 every check passed, 1 a check failed, 2 bad usage or bad input (every error located as file:line:column). \
        See docs/scenarios.md for the file format.
        """
    )

    @Argument(help: "Scenario files (YAML or JSON).")
    var files: [String] = []

    @Option(name: .customLong("junit"), help: ArgumentHelp("Also write the results as JUnit XML to this file.", valueName: "FILE"))
    var junit: String?

    @Option(name: .customLong("pcap-dir"),
            help: ArgumentHelp("Write a pcapng of the simulated packets of every failing check to this folder (DIR/SCENARIO-CHECK.pcapng).",
                               valueName: "DIR"))
    var pcapDir: String?

    func run() throws {
        guard !files.isEmpty else {
            Terminal.error("error: no scenario files given")
            Terminal.error("usage: vpcsim check SCENARIO.yaml… [--junit FILE] [--pcap-dir DIR]")
            throw ExitCode(2)
        }
        let inputs = Self.inputs(of: files)
        let outputs = [junit.map { NamedPath(path: $0, role: "--junit") }, pcapDir.map { NamedPath(path: $0, role: "--pcap-dir") }].compactMap { $0 }
        try OutputPaths.check(outputs: outputs, inputs: inputs)
        let reports: [ScenarioReport]
        do throws(InputError) {
            reports = try ScenarioRunner(evaluator: EngineEvaluator()).run(files: files)
        } catch {
            Terminal.error(error.description)
            let count = error.diagnostics.filter { $0.severity == .error }.count
            Terminal.error("\(count) error\(count == 1 ? "" : "s")")
            throw ExitCode(2)
        }
        // The captures' names are known only once the checks have run; they are checked before any output.
        var captures: [FailureCaptures.Planned] = []
        if let pcapDir {
            do throws(CaptureError) { captures = try FailureCaptures.plan(reports, in: pcapDir) } catch {
                Terminal.error(error.description)
                throw ExitCode(2)
            }
            try OutputPaths.check(outputs: outputs + captures.map { NamedPath(path: $0.path, role: "the --pcap-dir capture", option: "--pcap-dir") }, inputs: inputs)
        }
        print(TextReporter.render(reports), terminator: "")
        if GitHubAnnotations.enabled() {
            for line in GitHubAnnotations.annotations(reports) { print(line) }
        }
        if let junit {
            do {
                try Data(JUnitWriter.xml(reports, timestamp: Date()).utf8).write(to: URL(fileURLWithPath: junit))
            } catch {
                Terminal.error("error: cannot write the JUnit report to \(junit): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        if let pcapDir {
            do throws(CaptureError) {
                for file in try FailureCaptures.write(captures, to: pcapDir) {
                    Terminal.error("wrote \(file.packets) packet\(file.packets == 1 ? "" : "s") of \(file.flows) flow\(file.flows == 1 ? "" : "s") to \(file.path)")
                }
            } catch {
                Terminal.error(error.description)
                throw ExitCode(2)
            }
        }
        let code = CheckExitCode.of(reports)
        if code != .passed { throw ExitCode(code.rawValue) }
    }

    /// What the scenarios read: the files, their topologies and the traffic they replay. A file that
    /// does not parse counts only itself; the run then stops on its errors before writing anything.
    static func inputs(of files: [String]) -> [NamedPath] {
        files.flatMap { file -> [NamedPath] in
            var inputs = [NamedPath(path: file, role: "the scenario file")]
            guard let scenario = try? ScenarioParser.parse(path: file) else { return inputs }
            if case .path(let topology, _) = scenario.topology { inputs.append(NamedPath(path: topology, role: "the topology of \(file)")) }
            for entry in scenario.traffic {
                switch entry.query {
                case .flow: break
                case .pcap(let path, _): inputs.append(NamedPath(path: path, role: "a capture \(file) replays"))
                case .flowLogs(let path): inputs.append(NamedPath(path: path, role: "a flow log \(file) replays"))
                }
            }
            return inputs
        }
    }
}
