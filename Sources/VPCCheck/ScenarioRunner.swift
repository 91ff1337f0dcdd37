import Foundation
import VPCModel

/// Runs scenario files: loads each topology, applies the faults, asks the evaluator every check and
/// traffic entry, and judges the answers against the expectations.
///
/// Input problems (a bad scenario, an unknown name, an unreadable topology) are collected over every
/// file and thrown together as one `InputError` (exit code 2); failing checks are results (exit code 1).
public struct ScenarioRunner<Evaluator: ScenarioEvaluator> {
    public typealias TopologyLoading = (TopologyReference) throws(InputError) -> Network

    let evaluator: Evaluator
    let loadTopology: TopologyLoading

    public init(evaluator: Evaluator, loadTopology: @escaping TopologyLoading = ScenarioTopology.load) {
        self.evaluator = evaluator
        self.loadTopology = loadTopology
    }

    /// Parses every file first (so that one run reports every input error), then runs them in order.
    public func run(files: [String]) throws(InputError) -> [ScenarioReport] {
        var diagnostics: [Diagnostic] = []
        var scenarios: [Scenario] = []
        for file in files {
            do { scenarios.append(try ScenarioParser.parse(path: file)) } catch { diagnostics += error.diagnostics }
        }
        if !diagnostics.isEmpty { throw InputError(diagnostics) }
        var state = RunState()
        var reports: [ScenarioReport] = []
        for scenario in scenarios {
            if let report = run(scenario, state: &state) { reports.append(report) }
        }
        if !state.diagnostics.isEmpty { throw InputError(state.diagnostics) }
        return reports
    }

    public func run(_ scenario: Scenario) throws(InputError) -> ScenarioReport {
        var state = RunState()
        let report = run(scenario, state: &state)
        guard let report, state.diagnostics.isEmpty else { throw InputError(state.diagnostics) }
        return report
    }

    struct RunState {
        var diagnostics: [Diagnostic] = []
        var topologies: [TopologyReference: Network] = [:]
    }

    /// Networks and prepared networks of one scenario, keyed by the faults applied (their descriptions).
    struct Variants {
        var networks: [[String]: Network] = [:]
        var prepared: [[String]: Evaluator.Prepared] = [:]
    }

    private func run(_ scenario: Scenario, state: inout RunState) -> ScenarioReport? {
        let base: Network
        do {
            if let cached = state.topologies[scenario.topology] {
                base = cached
            } else {
                base = try loadTopology(scenario.topology)
                state.topologies[scenario.topology] = base
            }
        } catch {
            state.diagnostics += error.diagnostics
            return nil
        }
        let start = errorCount(state)
        state.diagnostics += NameCheck.via(scenario.checks, in: base)
        var variants = Variants()
        guard let scenarioNetwork = network(base, faults: scenario.faults, variants: &variants, state: &state) else { return nil }

        var checks: [CheckResult] = []
        for check in scenario.checks {
            let clock = ContinuousClock()
            let started = clock.now
            let faults = scenario.faults + check.faults
            guard let network = network(scenarioNetwork, faults: faults, extra: check.faults, variants: &variants, state: &state),
                  let prepared = prepared(network, faults: faults, at: check.location, variants: &variants, state: &state)
            else { continue }
            let outcome: CheckOutcome
            do {
                outcome = try evaluator.reachability(check.query, in: prepared)
            } catch {
                let location = error.field == .from ? check.fromLocation : (error.field == .to ? check.toLocation : check.location)
                state.diagnostics.append(Diagnostic(.error, at: location, "check '\(check.name)': \(error.message)", hint: error.hint))
                continue
            }
            var translated: Set<IPv4Address>?
            if let written = check.translatedTo {
                switch NameCheck.addresses(of: written, in: network) {
                case .success(let addresses): translated = addresses
                case .failure(let error):
                    state.diagnostics += error.diagnostics
                    continue
                }
            }
            let (passed, explanation) = Judge.judge(check, outcome, translatedTo: translated)
            let seconds = Self.seconds(clock.now - started)
            checks.append(CheckResult(check: check, passed: passed, explanation: explanation, outcome: outcome,
                                      network: network, faults: faults, seconds: seconds))
        }

        var traffic: [TrafficResult] = []
        for entry in scenario.traffic {
            let clock = ContinuousClock()
            let started = clock.now
            guard let prepared = prepared(scenarioNetwork, faults: scenario.faults, at: entry.location, variants: &variants, state: &state) else { continue }
            do {
                let outcomes = try evaluator.replay(entry.query, in: prepared)
                traffic.append(Self.judge(entry, outcomes, seconds: Self.seconds(clock.now - started)))
            } catch {
                state.diagnostics.append(Diagnostic(.error, at: entry.location, "traffic '\(entry.name)': \(error.message)", hint: error.hint))
            }
        }
        guard errorCount(state) == start else { return nil }
        return ScenarioReport(scenario: scenario, checks: checks, traffic: traffic)
    }

    private func errorCount(_ state: RunState) -> Int { state.diagnostics.count }

    /// `base` with `extra` applied, cached under the description of every fault applied so far (`faults`).
    private func network(_ base: Network, faults: [Fault], extra: [Fault]? = nil, variants: inout Variants, state: inout RunState) -> Network? {
        let key = faults.map(\.description)
        if let cached = variants.networks[key] { return cached }
        do {
            let result = try FaultInjector.apply(extra ?? faults, to: base)
            variants.networks[key] = result
            return result
        } catch {
            state.diagnostics += error.diagnostics
            return nil
        }
    }

    private func prepared(_ network: Network, faults: [Fault], at location: SourceLocation, variants: inout Variants, state: inout RunState) -> Evaluator.Prepared? {
        let key = faults.map(\.description)
        if let cached = variants.prepared[key] { return cached }
        do {
            let prepared = try evaluator.prepare(network)
            variants.prepared[key] = prepared
            return prepared
        } catch {
            state.diagnostics.append(Diagnostic(.error, at: location, "cannot evaluate this network: \(error.message)", hint: error.hint))
            return nil
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Replayed traffic passes when every flow has its expected outcome (the entry's `expect`, or for a
    /// flow log each record's logged action) and there was at least one flow.
    static func judge(_ entry: TrafficEntry, _ outcomes: [FlowOutcome], seconds: Double) -> TrafficResult {
        var disagreements: [String] = []
        var agreed = 0
        for outcome in outcomes {
            let expected = entry.expect ?? outcome.logged
            if outcome.action == expected {
                agreed += 1
            } else {
                let origin = outcome.origin.map { "\($0): " } ?? ""
                let wanted = expected.map { "expected \($0.rawValue)" } ?? "no expected action recorded"
                disagreements.append("\(origin)\(outcome.flow): \(wanted), got \(outcome.action.rawValue): \(outcome.explanation)")
            }
        }
        let total = outcomes.count
        let passed = total > 0 && disagreements.isEmpty
        var explanation: String
        if total == 0 {
            explanation = "no flows to replay"
        } else if passed {
            explanation = "\(total) flow\(total == 1 ? "" : "s"), all as expected"
        } else {
            let shown = 10
            explanation = "\(disagreements.count) of \(total) flows disagree, \(agreed) agree:\n" + disagreements.prefix(shown).joined(separator: "\n")
            if disagreements.count > shown { explanation += "\n… and \(disagreements.count - shown) more" }
        }
        return TrafficResult(entry: entry, passed: passed, explanation: explanation, outcomes: outcomes,
                             agreed: agreed, disagreed: disagreements.count, seconds: seconds)
    }
}

/// How `ScenarioRunner` loads a scenario's network unless told otherwise.
public enum ScenarioTopology {
    /// Topology files through `TopologyLoader`; no `topology:` key means the embedded default network.
    public static func load(_ reference: TopologyReference) throws(InputError) -> Network {
        switch reference {
        case .embeddedDefault:
            return try TopologyLoader.loadDefault().network
        case .path(let path, let written):
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(Diagnostic(.error, at: written.location, "topology '\(written.value)' does not exist (looked for \(path))",
                                            hint: "the path is relative to the scenario file's folder"))
            }
            if isDirectory.boolValue {
                throw InputError(Diagnostic(.error, at: written.location, "topology '\(written.value)' is a folder",
                                            hint: "point at a topology YAML/JSON file"))
            }
            return try TopologyLoader.load(path: path).network
        }
    }
}
