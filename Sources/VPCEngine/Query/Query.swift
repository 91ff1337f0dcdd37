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

/// A question vpcsim cannot answer as asked: an unknown endpoint, an impossible combination.
public struct QueryError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var hint: String?

    public init(_ message: String, hint: String? = nil) { self.message = message; self.hint = hint }

    public var description: String { "error: \(message)" + (hint.map { "\nhint: \($0)" } ?? "") }
}
