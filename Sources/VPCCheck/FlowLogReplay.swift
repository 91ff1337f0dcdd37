import Foundation
import VPCCapture
import VPCEngine
import VPCModel

/// Replays VPC Flow Log records (default version-2 format) against the simulator: for each record,
/// the flow it describes is evaluated with the Evaluator, and the action AWS would log at the
/// record's interface is compared with the logged one. Disagreements are drift between the model and
/// the real network, or a misunderstood rule.
///
/// A record is read as a flow by the engine's `ObservationReader` (which end the interface is, whether
/// the record is the request or the response, who the other end is), the same reading a capture's
/// replay uses; the simulated action at the interface is `FlowLogRule`'s, the rule vpcsim's own flow
/// log writer follows. When the simulator says the record's packets never reach the interface, it
/// logs nothing there, which disagrees with any logged record: that counts as REJECT.
/// NODATA and SKIPDATA records, records without an interface or of one the network does not have, and
/// IPv6 records are skipped before that, and counted by reason with what the reader skips
/// (docs/diff-replay.md).
public enum FlowLogReplay {
    /// How a record was read.
    public enum Role: String, Sendable, Hashable, Codable {
        case requestSource = "request source"
        case requestDestination = "request destination"
        case responseSource = "response source"
        case responseDestination = "response destination"

        /// The role of the record's interface in the flow it was read as.
        init(_ seen: FlowAtInterface) {
            switch (seen.direction, seen.end) {
            case (.request, .client): self = .requestSource
            case (.request, .server): self = .requestDestination
            case (.response, .server): self = .responseSource
            case (.response, .client): self = .responseDestination
            }
        }
    }

    /// One replayed record.
    public struct Replayed: Sendable, Hashable {
        /// 1-based line in the file (or record number when parsed from text without lines).
        public var line: Int
        public var record: FlowLogRecord
        public var role: Role
        public var logged: FlowAction
        public var simulated: FlowAction
        /// For a disagreement: the simulated path or block; for an agreement, a short summary.
        public var explanation: String

        public var agrees: Bool { logged == simulated }

        /// `eni-0a1b 10.0.1.5:40000 -> 52.216.0.10:443 tcp`.
        public var flow: String {
            let r = record
            let proto = r.protocolNumber.map { IPProtocol(number: Int($0))?.name ?? String($0) } ?? "-"
            func end(_ address: FlowLogAddress?, _ port: UInt16?) -> String {
                let a = address?.description ?? "-"
                guard let port, r.protocolNumber == 6 || r.protocolNumber == 17 else { return a }
                return "\(a):\(port)"
            }
            return "\(r.interfaceID ?? "-") \(end(r.sourceAddress, r.sourcePort)) -> \(end(r.destinationAddress, r.destinationPort)) \(proto)"
        }
    }

    public struct Result: Sendable, Hashable {
        public var records: Int
        public var replayed: [Replayed]
        /// Skip reason → count, in order of first appearance.
        public var skipped: [(reason: SkipReason, count: Int)]

        public var agreed: Int { replayed.filter(\.agrees).count }
        public var disagreements: [Replayed] { replayed.filter { !$0.agrees } }
        public var skippedCount: Int { skipped.reduce(0) { $0 + $1.count } }

        public static func == (a: Result, b: Result) -> Bool {
            a.records == b.records && a.replayed == b.replayed && a.skipped.map(\.reason) == b.skipped.map(\.reason)
                && a.skipped.map(\.count) == b.skipped.map(\.count)
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(records); hasher.combine(replayed) }
    }

    /// Why a record is not replayed.
    public enum SkipReason: Sendable, Hashable, CustomStringConvertible {
        case noData
        case skipData
        case noInterface
        case unknownInterface
        case ipv6
        /// The record's traffic is not a flow to evaluate at its interface (the reader's reason).
        case notAFlow(ObservationSkip)

        public var description: String {
            switch self {
            case .noData: return "NODATA record (no traffic in the interval)"
            case .skipData: return "SKIPDATA record (AWS could not capture the interval)"
            case .noInterface: return "no interface-id"
            case .unknownInterface: return "interface not in the network"
            case .ipv6: return "IPv6 addresses are not modelled"
            case .notAFlow(let skip): return skip.description
            }
        }
    }

    /// Reads a flow log file: records with their line numbers. Malformed lines are `FlowLogError`s.
    public static func read(path: String) throws(FlowLogError) -> [(line: Int, record: FlowLogRecord)] {
        try FlowLog.readNumbered(path: path)
    }

    public static func replay(_ records: [FlowLogRecord], in engine: QueryEngine) -> Result {
        replay(records.enumerated().map { ($0.offset + 1, $0.element) }, in: engine)
    }

    public static func replay(_ records: [(line: Int, record: FlowLogRecord)], in engine: QueryEngine) -> Result {
        let network = engine.plane.network
        let reader = ObservationReader(engine.plane)
        var byID: [String: Int] = [:]
        for (index, interface) in network.interfaces.enumerated() where byID[interface.id] == nil { byID[interface.id] = index }
        var replayed: [Replayed] = []
        var skipped: [(reason: SkipReason, count: Int)] = []
        func skip(_ reason: SkipReason) {
            if let i = skipped.firstIndex(where: { $0.reason == reason }) { skipped[i].count += 1 } else { skipped.append((reason, 1)) }
        }
        for (line, record) in records {
            switch record.logStatus {
            case .noData: skip(.noData); continue
            case .skipData: skip(.skipData); continue
            case .ok: break
            }
            guard let interfaceID = record.interfaceID else { skip(.noInterface); continue }
            guard let index = byID[interfaceID] else { skip(.unknownInterface); continue }
            guard case .ipv4(let source)? = record.sourceAddress, case .ipv4(let destination)? = record.destinationAddress,
                  let ipProtocol = record.protocolNumber, let action = record.action
            else { skip(.ipv6); continue }
            let observation = TrafficObservation(sourceAddress: source, destinationAddress: destination, sourcePort: record.sourcePort ?? 0,
                                          destinationPort: record.destinationPort ?? 0, ipProtocol: ipProtocol, at: [UInt32(index)],
                                          orientation: .eitherWay)
            let seen: FlowAtInterface
            switch reader.read(observation) {
            case .skipped(let reason): skip(.notAFlow(reason)); continue
            case .flow(let flow): seen = flow
            }
            let role = Role(seen)
            let (verdict, events) = engine.evaluator.trace(seen.flow)
            let simulated = FlowLogRule.action(at: seen.interface, for: seen.direction, of: seen.flow, events: events, in: engine.plane)
            let logged: FlowAction = action == .accept ? .accept : .reject
            let simulatedAction: FlowAction = simulated == .accept ? .accept : .reject
            var item = Replayed(line: line, record: record, role: role, logged: logged, simulated: simulatedAction, explanation: "")
            item.explanation = logged == simulatedAction
                ? "\(role.rawValue): \(simulatedAction.rawValue)"
                : explain(seen.flow, verdict: verdict, events: events, role: role, simulated: simulatedAction,
                          interface: network.interfaces[index], engine: engine)
            replayed.append(item)
        }
        return Result(records: records.count, replayed: replayed, skipped: skipped)
    }

    /// The simulated story of the flow: where it was blocked and why, or the path it took.
    static func explain(_ flow: Flow, verdict: Verdict, events: [TraceEvent], role: Role, simulated: FlowAction,
                        interface: NetworkInterface, engine: QueryEngine) -> String {
        "as the \(role.rawValue) at \(interface.name) (\(interface.id)) the simulator logs \(simulated.rawValue.uppercased()): "
            + story(of: flow, verdict: verdict, events: events, in: engine)
    }

    /// `PACKET is blocked (REASON, direction) at HOP (id): rule`, or `… is delivered via A -> B and answered`,
    /// with the verdict it tells.
    static func story(of flow: Flow, in engine: QueryEngine) -> (verdict: Verdict, text: String) {
        let (verdict, events) = engine.evaluator.trace(flow)
        return (verdict, story(of: flow, verdict: verdict, events: events, in: engine))
    }

    static func story(of flow: Flow, verdict: Verdict, events: [TraceEvent], in engine: QueryEngine) -> String {
        let sourceName = flow.isFromInternet ? "internet" : engine.plane.name(of: .interface, flow.source)
        let trace = TraceBuilder(engine.plane).build(flow: flow, verdict: verdict, events: events, sourceName: sourceName,
                                                      destinationName: IPv4Address(flow.destination).description)
        var text = trace.packet
        if let block = trace.block {
            text += " is blocked (\(block.reason.code), \(block.direction.name)) at \(block.at.name)"
            if !block.at.id.isEmpty && block.at.id != block.at.name { text += " (\(block.at.id))" }
            text += ": \(block.rule)"
        } else if trace.reachable {
            text += " is delivered via \(trace.request.map(\.name).joined(separator: " -> ")) and answered"
        } else {
            text += " is not delivered"
        }
        return text
    }

    /// The replay as outcomes for a scenario's traffic entry (each compared with its logged action).
    public static func outcomes(_ result: Result, file: String) -> [FlowOutcome] {
        result.replayed.map { item in
            FlowOutcome(flow: item.flow, action: item.simulated, logged: item.logged, origin: "\(file):\(item.line)",
                        explanation: item.explanation)
        }
    }
}
