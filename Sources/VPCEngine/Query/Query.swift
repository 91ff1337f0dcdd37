import VPCModel

/// A reachability question: from A to B, optionally on one protocol and port range. `nil` protocol
/// means every packet (the Planner covers every protocol, port and address).
public struct Query: Sendable, Hashable {
    public var from: String
    public var to: String
    public var ipProtocol: IPProtocol?
    public var ports: PortRange?

    public init(from: String, to: String, ipProtocol: IPProtocol? = nil, ports: PortRange? = nil) {
        self.from = from; self.to = to; self.ipProtocol = ipProtocol; self.ports = ports
    }
}

/// Which end of a question an error is about.
public enum EndpointSide: String, Sendable, Hashable {
    case from, to
}

/// A question vpcsim cannot answer as asked. Typed, so that a consumer (the scenario runner, the
/// diff) acts on the case, never on the wording.
public enum QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No endpoint of the network has that name, id or address.
    case unknownEndpoint(String, side: EndpointSide, suggestion: String)
    /// The name exists but stands for no interface to send from (e.g. every one is gone in an AZ outage).
    case noInterface(String)
    /// A source IP or CIDR that no interface holds and that is not public.
    case noInterfaceHolds(String, isCIDR: Bool)
    case invalidCIDR(String, problem: String, side: EndpointSide)
    /// An AWS service cannot open connections into a VPC.
    case serviceIsNotASource(String)
    case bothEndsInternet
    /// A port was given for a protocol without ports.
    case protocolHasNoPorts(String)
    case traceNeedsProtocol
    case traceNeedsPort(String)
    /// Anything else about how the question was written (a sentence that does not parse, an option
    /// value); the message says what.
    case invalidQuestion(String, hint: String?)

    /// A malformed question or option value.
    public init(_ message: String, hint: String? = nil) { self = .invalidQuestion(message, hint: hint) }

    /// The end of the question the error is about, when it is about one.
    public var side: EndpointSide? {
        switch self {
        case .unknownEndpoint(_, let side, _), .invalidCIDR(_, _, let side): return side
        case .noInterface, .noInterfaceHolds, .serviceIsNotASource: return .from
        case .bothEndsInternet: return .to
        case .protocolHasNoPorts, .traceNeedsProtocol, .traceNeedsPort, .invalidQuestion: return nil
        }
    }

    public var message: String {
        switch self {
        case .unknownEndpoint(let name, _, _): return "unknown endpoint '\(name)'"
        case .noInterface(let name): return "'\(name)' stands for no interface"
        case .noInterfaceHolds(let text, let isCIDR): return isCIDR ? "no interface has an address in \(text)" : "no interface holds \(text)"
        case .invalidCIDR(let text, let problem, _): return "'\(text)' is not a valid CIDR: \(problem)"
        case .serviceIsNotASource(let service):
            return "\(service) is an AWS service: it cannot open connections into a VPC (VPCE_INTRA_VPC_TRAFFIC)"
        case .bothEndsInternet: return "both ends are the internet"
        case .protocolHasNoPorts(let name): return "\(name) has no ports"
        case .traceNeedsProtocol: return "a trace needs one protocol"
        case .traceNeedsPort(let name): return "a \(name) trace needs a port"
        case .invalidQuestion(let message, _): return message
        }
    }

    public var hint: String? {
        switch self {
        case .unknownEndpoint(_, _, let suggestion): return suggestion
        case .noInterface: return "a workload, group or subnet needs at least one interface to send from"
        case .noInterfaceHolds(_, let isCIDR):
            return isCIDR ? "a source CIDR must contain interfaces of the network, or be public"
                          : "a source must be an interface of the network, or a public address on the internet"
        case .invalidCIDR: return "write it like 10.0.0.0/16"
        case .serviceIsNotASource(let service): return "ask the other way round: --from WORKLOAD --to \(service)"
        case .bothEndsInternet: return "one end must be in the network"
        case .protocolHasNoPorts: return "drop --port, or use tcp or udp"
        case .traceNeedsProtocol: return "add --proto tcp|udp|icmp|NUMBER"
        case .traceNeedsPort: return "add --port N"
        case .invalidQuestion(_, let hint): return hint
        }
    }

    public var description: String { "error: \(message)" + (hint.map { "\nhint: \($0)" } ?? "") }
}
