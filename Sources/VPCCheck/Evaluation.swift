import VPCEngine
import VPCModel

/// The evaluation step the scenario runner needs; the query engine (VPCEngine's Planner and Evaluator)
/// implements it. VPCCheck holds no semantics of its own: it only compares what this returns with what
/// a scenario expects.
public protocol ScenarioEvaluator {
    /// A network made ready for questions (e.g. a compiled data plane). The runner prepares each distinct
    /// network (topology + faults) once and asks every check that uses it.
    associatedtype Prepared

    func prepare(_ network: Network) throws(CheckQueryError) -> Prepared

    /// Answers "can `query.from` reach `query.to`" for the packets the query covers.
    func reachability(_ query: CheckQuery, in prepared: Prepared) throws(CheckQueryError) -> CheckOutcome

    /// Evaluates replayed traffic: one outcome per flow (one inline flow, every packet of a capture,
    /// every record of a flow log).
    func replay(_ traffic: TrafficQuery, in prepared: Prepared) throws(CheckQueryError) -> [FlowOutcome]
}

/// A question the evaluator cannot answer because of what the scenario wrote (an unknown endpoint name,
/// an unreadable capture). The runner reports it at the line of the offending field; exit code 2.
public struct CheckQueryError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Field: String, Sendable, Hashable {
        case from, to, traffic, network
    }

    public var field: Field
    public var message: String
    public var hint: String?

    public init(_ field: Field, _ message: String, hint: String? = nil) {
        self.field = field; self.message = message; self.hint = hint
    }

    public var description: String { message }
}

/// The one verdict as scenario files spell it (docs/semantics.md §12).
public enum Reachability: String, Sendable, Hashable, CaseIterable {
    /// `yes`: every source reaches (request delivered and response back) on something asked about
    /// (with `ports: all`: on every packet asked about).
    case reachable
    /// `no`: no packet asked about gets through from any source.
    case unreachable
    /// `partly`: something gets through, but not from every source (or, with `ports: all`, not everything).
    case partial

    public init(_ status: ConnectionStatus) {
        switch status {
        case .yes: self = .reachable
        case .partly: self = .partial
        case .no: self = .unreachable
        }
    }
}

/// A point on a path, named as users write it in `via:` (`NAT-GW-A`, `IGW`, `secretsmanager@private-a`).
public struct Hop: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// The AWS id (`nat-…`, `igw-…`, `eni-…`); `via:` matches either.
    public var id: String
    /// A hop kind of docs/semantics.md §2: `interface`, `subnet`, `nat-gateway`, `internet-gateway`, ….
    public var kind: String

    public init(name: String, id: String, kind: String) { self.name = name; self.id = id; self.kind = kind }

    public var description: String { name }

    func matches(_ written: String) -> Bool {
        written.lowercased() == name.lowercased() || written.lowercased() == id.lowercased()
    }
}

/// The answer for one source interface (to one destination, when the engine distinguishes them).
public struct PathVerdict: Sendable, Hashable {
    /// The source as users write it (`Lambda-Internet@private-a`, `internet`).
    public var source: String
    public var destination: String
    /// For this source: `partial` when some of the packets the query covers get through.
    public var reachability: Reachability
    /// The path of what gets through; for what is blocked, the hops up to and including the block.
    public var hops: [Hop]
    /// Reason codes of what is blocked (docs/semantics.md §9); empty when everything gets through.
    public var reasons: [String]
    /// The source address as the destination sees it (after NAT), when the request is delivered.
    public var translatedSource: IPv4Address?
    /// One or two sentences: the path taken, and for what is blocked, where and by what rule.
    public var explanation: String

    public init(source: String, destination: String, reachability: Reachability, hops: [Hop] = [], reasons: [String] = [],
                translatedSource: IPv4Address? = nil, explanation: String) {
        self.source = source; self.destination = destination; self.reachability = reachability; self.hops = hops
        self.reasons = reasons; self.translatedSource = translatedSource; self.explanation = explanation
    }
}

/// The evaluator's answer to a check's query.
public struct CheckOutcome: Sendable, Hashable {
    /// One per source interface (or per source/destination pair). Empty: nothing to send from
    /// (e.g. every interface of the source is gone in an AZ outage), which counts as unreachable.
    public var verdicts: [PathVerdict]
    /// Said when there are no verdicts (why nothing was evaluated), or as a summary.
    public var note: String?
    /// The verdict as the engine decided it (docs/semantics.md §12); nil: derived from the verdicts.
    public var decided: Reachability?

    public init(verdicts: [PathVerdict], note: String? = nil, decided: Reachability? = nil) {
        self.verdicts = verdicts; self.note = note; self.decided = decided
    }

    /// The engine's verdict when it gave one; otherwise reachable when every verdict is, unreachable
    /// when none gets anything through, partial otherwise.
    public var reachability: Reachability {
        if let decided { return decided }
        if verdicts.isEmpty { return .unreachable }
        if verdicts.allSatisfy({ $0.reachability == .reachable }) { return .reachable }
        if verdicts.allSatisfy({ $0.reachability == .unreachable }) { return .unreachable }
        return .partial
    }
}

/// What happened to one replayed flow.
public struct FlowOutcome: Sendable, Hashable {
    /// The flow as a person reads it: `10.0.11.20:40123 -> 52.216.0.10:443 tcp`.
    public var flow: String
    public var action: FlowAction
    /// For flow-log records: the action the log recorded (the expected outcome).
    public var logged: FlowAction?
    /// Where the flow came from: `capture.pcap packet 12`, `flows.log line 40`.
    public var origin: String?
    public var explanation: String

    public init(flow: String, action: FlowAction, logged: FlowAction? = nil, origin: String? = nil, explanation: String) {
        self.flow = flow; self.action = action; self.logged = logged; self.origin = origin; self.explanation = explanation
    }
}
