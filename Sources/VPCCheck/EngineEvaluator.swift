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
            if case .noInterface = error {
                return CheckOutcome(verdicts: [], note: "'\(query.from)' has no interface left to send from", decided: .unreachable)
            }
            throw Self.checkError(error)
        }
        let verdicts = answer.sources.map { Self.verdict(for: $0, in: answer, everyPacket: query.everyPacket) }
        var note: String?
        if verdicts.isEmpty {
            note = answer.notes.isEmpty ? "nothing to send from \(query.from) to \(query.to)" : answer.notes.joined(separator: "; ")
        }
        return CheckOutcome(verdicts: verdicts, note: note, decided: Self.decided(answer, everyPacket: query.everyPacket))
    }

    /// The engine's verdict; with `ports: all`, `reachable` only when every source gets everything
    /// asked through (docs/semantics.md §12).
    static func decided(_ answer: Answer, everyPacket: Bool) -> Reachability {
        guard everyPacket, answer.status != .no else { return Reachability(answer.status) }
        return !answer.sources.isEmpty && answer.sources.allSatisfy(\.everything) ? .reachable : .partial
    }

    static func engineQuery(_ query: CheckQuery) -> Query {
        let ipProtocol = query.ipProtocol.flatMap { $0.isAll ? nil : $0 }
        let ports = ipProtocol?.hasPorts == true ? query.ports.flatMap { $0.isAll ? nil : $0 } : nil
        return Query(from: query.from, to: query.to, ipProtocol: ipProtocol, ports: ports)
    }

    /// The end of the query the engine's error is about, from the error's own case.
    static func checkError(_ error: QueryError) -> CheckQueryError {
        let field: CheckQueryError.Field
        switch error.side {
        case .from: field = .from
        case .to: field = .to
        case nil: field = .network
        }
        return CheckQueryError(field, error.message, hint: error.hint)
    }

    /// One source's verdict: the engine's, per source (with `ports: all`, reachable only when nothing
    /// asked is blocked from it), with its path and the reasons of what is blocked.
    static func verdict(for source: SourceResult, in answer: Answer, everyPacket: Bool = false) -> PathVerdict {
        let allowed = answer.allowed.filter { $0.sources.names.contains(source.name) }
        let blocked = answer.blocked.filter { $0.sources.names.contains(source.name) }
        let reachability: Reachability
        if source.allowed.isEmpty { reachability = .unreachable }
        else if everyPacket { reachability = source.everything ? .reachable : .partial }
        else { reachability = source.reachable ? .reachable : .partial }
        var reasons: [String] = []
        for item in blocked where !reasons.contains(item.reason.code) { reasons.append(item.reason.code) }

        let sourceHop = source.name == "internet" ? nil : Hop(name: source.name, id: source.id, kind: HopKind.interface.name)
        var hops: [Hop]
        var translated: IPv4Address?
        if let path = allowed.first {
            hops = path.hops.map { Hop(name: $0.name, id: $0.id, kind: $0.kind.name) }
            translated = path.translatedSource
        } else if let block = blocked.first {
            hops = [Hop(name: block.at.name, id: block.at.id, kind: block.at.kind.name)]
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
        if let via = first.via { text += " (\(via.text))" }
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
        var text = "\(packets(first.protocol, first.ports)) blocked (\(first.reason.code), \(first.direction.name)) at \(first.at.name)"
        if first.at.id != first.at.name && !first.at.id.isEmpty { text += " (\(first.at.id))" }
        text += ": \(first.rule)"
        if blocked.count > 1 {
            let others = blocked.dropFirst().map { "\(packets($0.protocol, $0.ports)) \($0.reason.code) at \($0.at.name)" }
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
            let mapped = Self.checkError(error)
            throw CheckQueryError(.traffic, "flow \(spec): \(mapped.message)", hint: mapped.hint)
        }
        if traces.isEmpty {
            return [FlowOutcome(flow: spec.description, action: .reject, explanation: "nothing to send: \(spec.from) has no interface left, or \(spec.to) no address")]
        }
        return traces.map { trace in
            let explanation: String
            if let block = trace.block {
                explanation = "\(trace.source) -> \(trace.destination): blocked (\(block.reason.code), \(block.direction.name)) at \(block.at.name): \(block.rule)"
            } else if trace.reachable {
                explanation = "\(trace.source) -> \(trace.destination): delivered via \(trace.request.map(\.name).joined(separator: " -> "))"
            } else {
                explanation = "\(trace.source) -> \(trace.destination): not delivered"
            }
            return FlowOutcome(flow: trace.packet, action: trace.reachable ? .accept : .reject, explanation: explanation)
        }
    }
}
