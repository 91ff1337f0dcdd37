import Foundation
import VPCCapture
import VPCEngine
import VPCModel

/// The real evaluator: VPCEngine's `QueryEngine` (Planner + Evaluator) behind the runner's
/// `ScenarioEvaluator` protocol. It only translates: check queries into engine queries, and the
/// engine's answers (per source interface: what gets through, on which path, what is blocked where)
/// into path verdicts the `Judge` compares with the expectations.
public struct EngineEvaluator: ScenarioEvaluator {
    public init() {}

    public func prepare(_ network: Network) throws(CheckQueryError) -> QueryEngine {
        QueryEngine(network: network)
    }

    // MARK: - Checks

    public func reachability(_ query: CheckQuery, in engine: QueryEngine) throws(CheckQueryError) -> CheckOutcome {
        let answer: Answer
        do {
            answer = try engine.answer(Self.engineQuery(query))
        } catch {
            // A name that exists but has lost every interface (an AZ outage): nothing is left to send from.
            if error.message.hasSuffix("stands for no interface") {
                return CheckOutcome(verdicts: [], note: "'\(query.from)' has no interface left to send from")
            }
            throw Self.checkError(error, query)
        }
        let verdicts = answer.sources.map { Self.verdict(for: $0, in: answer) }
        var note: String?
        if verdicts.isEmpty {
            note = answer.notes.isEmpty ? "nothing to send from \(query.from) to \(query.to)" : answer.notes.joined(separator: "; ")
        }
        return CheckOutcome(verdicts: verdicts, note: note)
    }

    static func engineQuery(_ query: CheckQuery) -> Query {
        let ipProtocol = query.ipProtocol.flatMap { $0.isAll ? nil : $0 }
        let ports = ipProtocol?.hasPorts == true ? query.ports.flatMap { $0.isAll ? nil : $0 } : nil
        return Query(from: query.from, to: query.to, ipProtocol: ipProtocol, ports: ports)
    }

    /// Which end of the query the engine's error is about: the one whose name the message quotes.
    static func checkError(_ error: QueryError, _ query: CheckQuery) -> CheckQueryError {
        func quoted(_ name: String) -> Bool {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            return error.message.contains("'\(trimmed)'") || error.message.contains(" \(trimmed) ") || error.message.hasSuffix(" \(trimmed)")
        }
        let field: CheckQueryError.Field
        if quoted(query.from) || error.message.contains("AWS service") { field = .from }
        else if quoted(query.to) || error.message.contains("both ends") { field = .to }
        else { field = .network }
        return CheckQueryError(field, error.message, hint: error.hint)
    }

    /// Entries of the answer that hold for one source. Internet sources appear as `internet 1.2.3.0/24, …`.
    static func belongs(_ names: [String], to source: SourceResult) -> Bool {
        if source.name == "internet" { return names.contains { $0 == "internet" || $0.hasPrefix("internet ") } }
        return names.contains(source.name)
    }

    static func verdict(for source: SourceResult, in answer: Answer) -> PathVerdict {
        let allowed = answer.allowed.filter { belongs($0.sources, to: source) }
        let blocked = answer.blocked.filter { belongs($0.sources, to: source) }
        let reachability: Reachability
        // The internet as a source is `reachable: false` when only some of its addresses get through:
        // with an allowed path, that is partial.
        if allowed.isEmpty {
            reachability = .unreachable
        } else if !source.reachable || !blocked.isEmpty || source.summary.hasSuffix("(from some addresses only)") {
            reachability = .partial
        } else {
            reachability = .reachable
        }
        var reasons: [String] = []
        for item in blocked where !reasons.contains(item.reason) { reasons.append(item.reason) }

        let sourceHop = source.name == "internet" ? nil : Hop(name: source.name, id: source.id, kind: "interface")
        var hops: [Hop]
        var translated: IPv4Address?
        if let path = allowed.first {
            hops = path.hops.map { Hop(name: $0.name, id: $0.id, kind: $0.kind) }
            translated = path.translatedSource.flatMap(Self.address)
        } else if let block = blocked.first {
            hops = [Hop(name: block.at.name, id: block.at.id, kind: block.at.kind)]
            if let sourceHop, sourceHop.id != block.at.id { hops.insert(sourceHop, at: 0) }
        } else {
            hops = sourceHop.map { [$0] } ?? []
        }

        var parts: [String] = []
        if !allowed.isEmpty { parts.append(describe(allowed)) }
        if !blocked.isEmpty { parts.append(describe(blocked)) }
        if parts.isEmpty { parts.append("nothing gets through (\(source.summary))") }
        let destination = allowed.first?.destinations.first ?? blocked.first?.destinations.first ?? answer.to
        return PathVerdict(source: source.name, destination: destination, reachability: reachability, hops: hops,
                           reasons: reasons, translatedSource: translated, explanation: parts.joined(separator: "; "))
    }

    /// `1.2.3.4` or `1.2.3.4:5678`.
    static func address(_ text: String) -> IPv4Address? {
        IPv4Address(text) ?? text.split(separator: ":").first.flatMap { IPv4Address(String($0)) }
    }

    static func packets(_ ipProtocol: String, _ ports: String) -> String {
        switch ports {
        case "-", "echo": return ipProtocol
        case "all": return ipProtocol == "all" ? "all traffic" : "\(ipProtocol)/all ports"
        default: return "\(ipProtocol)/\(ports)"
        }
    }

    /// `tcp/443 gets through via A -> B -> C (arrives as 1.2.3.4)`, and how many other allowed paths there are.
    static func describe(_ allowed: [AllowedPath]) -> String {
        guard let first = allowed.first else { return "" }
        var text = "\(packets(first.protocol, first.ports)) gets through via \(first.hops.map(\.name).joined(separator: " -> "))"
        if let via = first.via { text += " (\(via))" }
        if let translated = first.translatedSource { text += ", arriving as \(translated)" }
        if allowed.count > 1 {
            let others = allowed.dropFirst().map { packets($0.protocol, $0.ports) }
            text += " (and \(allowed.count - 1) more allowed path\(allowed.count == 2 ? "" : "s"): \(unique(others).joined(separator: ", ")))"
        }
        return text
    }

    /// `tcp/80 blocked (ENI_SG_RULES_MISMATCH) at Lambda-SG (sg-…): rule`, and how many other blocks there are.
    static func describe(_ blocked: [BlockedClass]) -> String {
        guard let first = blocked.first else { return "" }
        var text = "\(packets(first.protocol, first.ports)) blocked (\(first.reason), \(first.direction)) at \(first.at.name)"
        if first.at.id != first.at.name && !first.at.id.isEmpty { text += " (\(first.at.id))" }
        text += ": \(first.rule)"
        if blocked.count > 1 {
            let others = blocked.dropFirst().map { "\(packets($0.protocol, $0.ports)) \($0.reason) at \($0.at.name)" }
            text += " (and \(blocked.count - 1) more: \(unique(others).prefix(4).joined(separator: ", "))\(blocked.count > 5 ? ", …" : ""))"
        }
        return text
    }

    static func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }

    // MARK: - Traffic

    public func replay(_ traffic: TrafficQuery, in engine: QueryEngine) throws(CheckQueryError) -> [FlowOutcome] {
        switch traffic {
        case .flow(let spec):
            return try replay(spec, in: engine)
        case .pcap(let path, let interface):
            return CaptureReplay.outcomes(try CaptureReplay.replay(path: path, interface: interface, in: engine), file: path)
        case .flowLogs(let path):
            let records: [(line: Int, record: FlowLogRecord)]
            do {
                records = try FlowLogReplay.read(path: path)
            } catch {
                throw CheckQueryError(.traffic, "flow log: \(error.description)",
                                      hint: "the default (version 2) format: \(FlowLogRecord.header)")
            }
            return FlowLogReplay.outcomes(FlowLogReplay.replay(records, in: engine), file: path)
        }
    }

    /// An inline flow: traced from every interface its source stands for to every address its
    /// destination stands for; accepted when the request is delivered and the response comes back.
    func replay(_ spec: FlowSpec, in engine: QueryEngine) throws(CheckQueryError) -> [FlowOutcome] {
        let ports = spec.ipProtocol.hasPorts ? spec.port.map { PortRange(port: $0) } : nil
        let query = Query(from: spec.from, to: spec.to, ipProtocol: spec.ipProtocol, ports: ports)
        let traces: [FlowTrace]
        do {
            traces = try engine.trace(query)
        } catch {
            let mapped = Self.checkError(error, CheckQuery(from: spec.from, to: spec.to))
            throw CheckQueryError(.traffic, "flow \(spec): \(mapped.message)", hint: mapped.hint)
        }
        if traces.isEmpty {
            return [FlowOutcome(flow: spec.description, action: .reject, explanation: "nothing to send: \(spec.from) has no interface left, or \(spec.to) no address")]
        }
        return traces.map { trace in
            let explanation: String
            if let block = trace.block {
                explanation = "\(trace.source) -> \(trace.destination): blocked (\(block.reason), \(block.direction)) at \(block.at.name): \(block.rule)"
            } else if trace.reachable {
                explanation = "\(trace.source) -> \(trace.destination): delivered via \(trace.request.map(\.name).joined(separator: " -> "))"
            } else {
                explanation = "\(trace.source) -> \(trace.destination): not delivered"
            }
            return FlowOutcome(flow: trace.packet, action: trace.reachable ? .accept : .reject, explanation: explanation)
        }
    }
}
