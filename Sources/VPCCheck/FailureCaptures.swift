import Foundation
import VPCCapture
import VPCEngine
import VPCModel

/// `vpcsim check --pcap-dir DIR`: a pcapng of the simulated packets of every failing check, on the
/// network the check ran on (with its faults), so the failure can be opened in Wireshark.
///
/// One representative flow per failing source: for a source that should reach but does not get
/// everything through, a blocked packet class's flow; for one that should not reach but does, an
/// allowed path's; otherwise (a `via`, `reason` or `translated_to` that does not hold) the first of
/// either. When no single verdict has the wrong reachability, every source counts as failing.
public enum FailureCaptures {
    /// A written capture.
    public struct Written: Sendable, Hashable {
        public var path: String
        public var packets: Int
        public var flows: Int
    }

    /// The engine of the check's network and the flows to capture for it (empty when the check has
    /// nothing to send, e.g. every source interface is gone).
    public static func flows(for result: CheckResult) -> (engine: QueryEngine, flows: [RepresentativeFlow]) {
        let engine = QueryEngine(network: result.network)
        guard let answer = try? engine.answer(EngineEvaluator.engineQuery(result.check.query)) else { return (engine, []) }
        let expect = result.check.expect
        let everyPacket = result.check.query.everyPacket
        let verdicts = answer.sources.map { ($0, EngineEvaluator.verdict(for: $0, in: answer, everyPacket: everyPacket)) }
        var failing = verdicts.filter { $0.1.reachability != expect }
        if expect == .partial || failing.isEmpty { failing = verdicts }
        var flows: [RepresentativeFlow] = []
        for (source, verdict) in failing {
            let allowed = answer.allowed.filter { $0.sources.names.contains(source.name) }.compactMap(\.representative)
            let blocked = answer.blocked.filter { $0.sources.names.contains(source.name) }.compactMap(\.representative)
            let preferred = expect == .reachable && verdict.reachability != .reachable ? blocked + allowed : allowed + blocked
            // A flow whose protocol cannot be put on the wire is of no use in a capture.
            if let flow = preferred.first(where: { EngineCapture.wireProtocol(of: $0.flow) != nil }) ?? preferred.first,
               !flows.contains(flow) {
                flows.append(flow)
            }
        }
        return (engine, flows)
    }

    /// `lambda-egress-scrapers-get-out-through-NAT.pcapng`: letters, digits, `.`, `_` and `-` kept,
    /// every other run of characters one `-`.
    public static func fileName(scenario: String, check: String) -> String {
        func sanitized(_ text: String) -> String {
            var out = ""
            for scalar in text.unicodeScalars {
                let keep = scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
                if keep { out.unicodeScalars.append(scalar) } else if !out.hasSuffix("-") { out += "-" }
            }
            let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "-."))
            return trimmed.isEmpty ? "check" : trimmed
        }
        return "\(sanitized(scenario))-\(sanitized(check)).pcapng"
    }

    /// A capture to write: where, and the simulated flows it holds.
    public struct Planned: Sendable {
        public var path: String
        public var flows: [SimulatedFlow]
    }

    /// The captures `write` would write, named but not written, so that a caller can check the
    /// names (e.g. against its inputs) first. Names that collide get `-2`, `-3`, … Checks with no
    /// flow that can be put on the wire are left out.
    public static func plan(_ reports: [ScenarioReport], in directory: String) throws(CaptureError) -> [Planned] {
        var planned: [Planned] = []
        var used: Set<String> = []
        for report in reports {
            for result in report.checks where !result.passed {
                let (engine, representatives) = flows(for: result)
                let simulated = try EngineCapture(engine: engine).simulatedFlows(representatives)
                guard !simulated.flows.isEmpty else { continue }
                let base = fileName(scenario: report.scenario.name, check: result.check.name)
                var name = base
                var counter = 2
                while used.contains(name.lowercased()) {
                    name = "\(base.dropLast(".pcapng".count))-\(counter).pcapng"
                    counter += 1
                }
                used.insert(name.lowercased())
                planned.append(Planned(path: URL(fileURLWithPath: directory).appendingPathComponent(name).path, flows: simulated.flows))
            }
        }
        return planned
    }

    /// Writes the planned captures into `directory` (created when needed, only when there is one).
    public static func write(_ planned: [Planned], to directory: String) throws(CaptureError) -> [Written] {
        guard !planned.isEmpty else { return [] }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotOpen(path: directory, message: error.localizedDescription)
        }
        var written: [Written] = []
        for capture in planned {
            let packets = try PacketCapture(flows: capture.flows).write(to: capture.path)
            written.append(Written(path: capture.path, packets: packets, flows: capture.flows.count))
        }
        return written
    }
}
