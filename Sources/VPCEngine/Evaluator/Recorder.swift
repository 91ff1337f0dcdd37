/// What the Evaluator tells a recorder as it walks a flow. Indices refer to the DataPlane's arrays
/// (routes, ACL entries and SG rules by their global pool index), so recording costs no strings;
/// `Trace` turns events into named hops afterwards.
public enum TraceEvent: Sendable, Hashable {
    case direction(Direction)
    /// The flow leaves its source interface (request: after SG egress).
    case source(interface: UInt32, packet: Packet, egress: SecurityGroupDecision)
    /// A flow from the internet, entering at `packet.destination`.
    case externalSource(packet: Packet)
    /// Delivered inside one subnet: no route lookup, no network ACL.
    case sameSubnet(subnet: UInt32, packet: Packet)
    case route(subnet: UInt32, table: UInt32, route: UInt32, packet: Packet)
    /// `entry` is a global ACL entry index, or noIndex for the final `*` deny (or an allow-all default
    /// when `acl` is noIndex).
    case networkACL(subnet: UInt32, acl: UInt32, egress: Bool, entry: UInt32, allowed: Bool, packet: Packet)
    case internetGateway(gateway: UInt32, outbound: Bool, before: Packet, after: Packet)
    case natGateway(gateway: UInt32, before: Packet, after: Packet, reverse: Bool)
    case gatewayEndpoint(endpoint: UInt32, packet: Packet)
    case peering(connection: UInt32, into: UInt32, packet: Packet)
    /// Entered transit gateway `gateway` from attachment `from` (global indices); `route` is the
    /// global TGW route index that won (noIndex: none), `exit` the attachment it leaves by (noIndex: none).
    case transitGateway(gateway: UInt32, from: UInt32, route: UInt32, exit: UInt32, packet: Packet)
    case vpnGateway(gateway: UInt32, packet: Packet)
    /// Entering AWS from on-premises network `network` over its edge.
    case fromOnPrem(network: UInt32, packet: Packet)
    case appliance(interface: UInt32, packet: Packet, ingress: SecurityGroupDecision, egress: SecurityGroupDecision)
    /// The packet reaches an interface addressed to it (request: after SG ingress).
    case arrive(interface: UInt32, packet: Packet, ingress: SecurityGroupDecision)
    case listener(loadBalancer: UInt32, listener: UInt32)
    case delivered(Delivery, packet: Packet)
    /// The response is back at the flow's source.
    case returned(packet: Packet)
    case dropped(Reason, kind: HopKind, entity: UInt32, packet: Packet)
}

/// The result of checking a packet against the security groups of an interface.
public enum SecurityGroupDecision: Sendable, Hashable {
    /// Allowed by this group (DataPlane index) and rule (global rule index).
    case allowed(group: UInt32, rule: UInt32)
    case denied
    /// The interface has no security groups (NAT gateway ENIs, network load balancers without groups).
    case notFiltered
    /// Not evaluated: the response of an allowed flow is allowed (stateful).
    case stateful
    /// Not evaluated because the walk stopped earlier.
    case notReached
}

/// Receives the Evaluator's events. `isRecording` is a constant per type, so with `NoRecorder` the
/// specialised Evaluator builds no events at all.
public protocol EvaluationRecorder {
    static var isRecording: Bool { get }
    mutating func record(_ event: TraceEvent)
}

/// Records nothing: the batched and planner paths.
public struct NoRecorder: EvaluationRecorder {
    public static var isRecording: Bool { false }
    public init() {}
    @inlinable @inline(__always) public mutating func record(_ event: TraceEvent) {}
}

/// Records every event, for explanations, traces and packet captures.
public struct TraceRecorder: EvaluationRecorder {
    public static var isRecording: Bool { true }
    public private(set) var events: [TraceEvent] = []
    public init() {}
    public mutating func record(_ event: TraceEvent) { events.append(event) }
}
