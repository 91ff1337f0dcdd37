import Foundation
import VPCEngine
import VPCModel

/// The reachability difference between two networks (or one network before and after faults): for
/// every (source, destination) pair, the query engine's answer over every packet on both sides, and
/// the protocol/port classes whose outcome changed. Endpoints are matched by name, so a network whose
/// AWS ids changed (re-created resources) compares equal when it behaves the same.
///
/// Sources: every workload interface (by interface name, e.g. `Lambda-Internet@private-b`) and
/// `internet`. Destinations: every workload (by name), `internet`, and every AWS service with an
/// endpoint or known public addresses. The outcome of a pair is the set of classes
/// `protocol/ports allowed` and `protocol/ports blocked (REASON)`; the path a class takes is shown in
/// the explanations but a different path with the same outcome is not a change.
public enum NetworkDiff {
    /// One protocol/port class of a pair's answer.
    public struct PacketClass: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
        /// `tcp/443`, `udp/all ports`, `all traffic`.
        public var packets: String
        /// nil: allowed; else the block's reason code.
        public var reason: String?

        public init(packets: String, reason: String?) { self.packets = packets; self.reason = reason }

        public var description: String { reason.map { "\(packets) blocked (\($0))" } ?? "\(packets) allowed" }

        public static func < (a: PacketClass, b: PacketClass) -> Bool { a.description < b.description }
    }

    /// What one side answers for a pair.
    public struct Outcome: Sendable, Hashable, Codable {
        /// `reachable`, `unreachable`, `partial`, or `absent` when the endpoint does not exist on this side
        /// (or has no interface left).
        public var reachability: String
        public var classes: [PacketClass]
        /// The path of what gets through and where the rest is blocked (as `vpcsim check` explains).
        public var explanation: String
        /// Per class (by its description): the path that carries it or the block that stops it.
        public var details: [String: String] = [:]

        public init(reachability: String, classes: [PacketClass], explanation: String) {
            self.reachability = reachability; self.classes = classes; self.explanation = explanation
        }

        /// Reason codes of the blocked classes, in order of first appearance.
        public var reasons: [String] {
            var seen: [String] = []
            for reason in classes.compactMap(\.reason) where !seen.contains(reason) { seen.append(reason) }
            return seen
        }

        var key: [PacketClass] { classes }
    }

    /// A pair whose outcome differs between the two networks.
    public struct Change: Sendable, Hashable, Codable {
        public var source: String
        public var destination: String
        public var old: Outcome
        public var new: Outcome
        /// Classes only the old network has (what was lost or changed) and only the new one has.
        public var removed: [PacketClass]
        public var added: [PacketClass]
    }

    public struct Result: Sendable, Hashable, Codable {
        /// How many (source, destination) pairs were compared.
        public var pairs: Int
        public var changes: [Change]
        /// Notes, e.g. endpoints present on one side only.
        public var notes: [String]
    }

    /// Sources and destinations to compare: the union of both networks' endpoints, by name.
    public static func endpoints(_ networks: [Network]) -> (sources: [String], destinations: [String]) {
        var sources: [String] = []
        var destinations: [String] = []
        func add(_ name: String, to list: inout [String]) {
            if !list.contains(where: { $0.lowercased() == name.lowercased() }) { list.append(name) }
        }
        for network in networks {
            for interface in network.interfaces {
                if case .workload = interface.owner { add(interface.name, to: &sources) }
            }
            for workload in network.workloads { add(workload.name, to: &destinations) }
        }
        add("internet", to: &sources)
        add("internet", to: &destinations)
        for network in networks {
            for service in network.services where !service.addresses.isEmpty { add(service.name, to: &destinations) }
            for endpoint in network.endpoints { add(endpoint.service, to: &destinations) }
        }
        return (sources, destinations)
    }

    /// Compares every pair on `old` and `new`.
    public static func compare(old: Network, new: Network) -> Result {
        let (sources, destinations) = endpoints([old, new])
        let oldEngine = QueryEngine(network: old)
        let newEngine = QueryEngine(network: new)
        var changes: [Change] = []
        var pairs = 0
        for source in sources {
            for destination in destinations {
                if source == "internet" && (destination == "internet" || isService(destination, old, new)) { continue }
                pairs += 1
                let before = outcome(source, destination, oldEngine)
                let after = outcome(source, destination, newEngine)
                guard before.key != after.key || before.reachability != after.reachability else { continue }
                let removed = before.classes.filter { !after.classes.contains($0) }
                let added = after.classes.filter { !before.classes.contains($0) }
                // Explain only what changed: the old side's vanished classes, the new side's new ones.
                var old = before, new = after
                old.explanation = Self.explain(removed, in: before)
                new.explanation = Self.explain(added, in: after)
                changes.append(Change(source: source, destination: destination, old: old, new: new, removed: removed, added: added))
            }
        }
        var notes: [String] = []
        let oldNames = Set(endpoints([old]).sources.map { $0.lowercased() })
        let newNames = Set(endpoints([new]).sources.map { $0.lowercased() })
        let gone = sources.filter { !newNames.contains($0.lowercased()) }
        let appeared = sources.filter { !oldNames.contains($0.lowercased()) }
        if !gone.isEmpty { notes.append("only in the old network: \(gone.joined(separator: ", "))") }
        if !appeared.isEmpty { notes.append("only in the new network: \(appeared.joined(separator: ", "))") }
        return Result(pairs: pairs, changes: changes, notes: notes)
    }

    static func explain(_ classes: [PacketClass], in outcome: Outcome) -> String {
        let lines = classes.compactMap { outcome.details[$0.description] }
        return lines.isEmpty ? outcome.explanation : lines.joined(separator: "; ")
    }

    static func isService(_ name: String, _ networks: Network...) -> Bool {
        networks.contains { network in
            network.services.contains { $0.name == name } || network.endpoints.contains { $0.service == name }
        }
    }

    /// One side's answer for a pair, reduced to its classes.
    static func outcome(_ source: String, _ destination: String, _ engine: QueryEngine) -> Outcome {
        let answer: Answer
        do {
            answer = try engine.answer(Query(from: source, to: destination))
        } catch {
            return Outcome(reachability: "absent", classes: [], explanation: error.message)
        }
        var classes: Set<PacketClass> = []
        var details: [String: String] = [:]
        func note(_ c: PacketClass, _ text: String) {
            classes.insert(c)
            details[c.description] = details[c.description].map { $0 + "; " + text } ?? text
        }
        for path in answer.allowed {
            let via = path.via.map { " via \($0)" } ?? ""
            let seen = path.translatedSource.map { ", arriving as \($0)" } ?? ""
            note(PacketClass(packets: EngineEvaluator.packets(path.protocol, path.ports), reason: nil),
                 "\(path.sources.joined(separator: ", ")): \(path.hops.filter { $0.kind != "subnet" && $0.kind != "route-table" }.map(\.name).joined(separator: " → "))\(via)\(seen)")
        }
        for block in answer.blocked {
            note(PacketClass(packets: EngineEvaluator.packets(block.protocol, block.ports), reason: block.reason),
                 "\(block.sources.joined(separator: ", ")): \(block.reason) at \(block.at.name) (\(block.at.id)): \(block.rule)")
        }
        let verdicts = answer.sources.map { EngineEvaluator.verdict(for: $0, in: answer) }
        let reachability: Reachability = CheckOutcome(verdicts: verdicts).reachability
        var explanation = verdicts.map(\.explanation).joined(separator: "; ")
        if verdicts.isEmpty || classes.isEmpty {
            explanation = answer.notes.isEmpty ? "nothing to send to \(destination)" : answer.notes.joined(separator: "; ")
            return Outcome(reachability: "absent", classes: [], explanation: explanation)
        }
        var result = Outcome(reachability: reachability.rawValue, classes: classes.sorted(), explanation: explanation)
        result.details = details
        return result
    }

    // MARK: - Faults written on the command line

    /// Parses `--fault` values with the scenario parser: `az-outage=us-east-1a`, `remove=NAT-GW-B`, or the
    /// scenario's YAML form (`route: {table: Private-RT-A, destination: 0.0.0.0/0, action: blackhole}`).
    public static func parseFaults(_ specs: [String]) throws(InputError) -> [Fault] {
        guard !specs.isEmpty else { return [] }
        var lines: [String] = []
        for spec in specs {
            var text = spec.trimmingCharacters(in: .whitespaces)
            // `kind=value` → `kind: value` when the kind comes before any ':' or '{'.
            if let equals = text.firstIndex(of: "="),
               !text[..<equals].contains(":"), !text[..<equals].contains("{") {
                text = text[..<equals].trimmingCharacters(in: .whitespaces) + ": " + text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            }
            lines.append("  - " + text)
        }
        let yaml = "faults:\n" + lines.joined(separator: "\n") + "\nchecks: []\n"
        do throws(InputError) {
            return try ScenarioParser.parse(yaml: yaml, file: "--fault").faults
        } catch {
            // Locate each problem at its option rather than at a line of the synthetic document.
            let diagnostics = error.diagnostics.map { diagnostic -> Diagnostic in
                let index = (diagnostic.location?.line ?? 2) - 2
                let spec = specs.indices.contains(index) ? specs[index] : specs.joined(separator: " ")
                return Diagnostic(diagnostic.severity, at: nil, file: "--fault '\(spec)'", diagnostic.message,
                                  hint: diagnostic.hint ?? "write --fault az-outage=ZONE, --fault remove=NAME, or a scenario fault in YAML")
            }
            throw InputError(diagnostics)
        }
    }
}
