/// The action a VPC Flow Log record carries.
public enum LoggedAction: String, Sendable, Hashable {
    case accept = "ACCEPT"
    case reject = "REJECT"
}

/// One interface's flow log view of one direction of a flow.
public struct FlowLogEntry: Sendable, Hashable {
    /// A DataPlane interface index.
    public var interface: UInt32
    public var direction: Direction
    public var action: LoggedAction

    public init(interface: UInt32, direction: Direction, action: LoggedAction) {
        self.interface = interface
        self.direction = direction
        self.action = action
    }
}

// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html ("Security group and network ACL rules": SG denies inbound → one REJECT record; NACL denies the response → ACCEPT request, REJECT response)
/// Which interfaces' VPC Flow Logs record an evaluated flow, and with which action: the one rule the
/// flow log writer (VPCCapture) and the flow log replay (VPCCheck) both follow.
///
/// Every interface the flow's packets reach logs them, each direction separately: the source (or the
/// responder, for the response) as it sends them, NAT gateway, appliance and load balancer interfaces
/// as they pass (also when the NAT gateway or appliance itself drops them), the destination as it
/// receives them. The action is ACCEPT, except at the one interface where a security group or
/// network ACL drops the packets: REJECT there — its own security group, or its subnet's network ACL
/// as the packets leave it or enter toward it. Drops that are not filters (no route, a blackhole, an
/// internet gateway without a public IP) are no REJECT anywhere; the packets are ACCEPT where they
/// were seen. Internet gateways, gateway endpoints and the internet have no flow logs.
public enum FlowLogRule {
    /// Whether a drop is one flow logs record as REJECT: only security groups and network ACLs are.
    public static func isLoggedAsReject(_ reason: Reason) -> Bool {
        reason == .eniSGRulesMismatch || reason == .subnetACLRestriction
    }

    /// Every interface whose flow log records the flow, in the order the packets reach them, one
    /// entry per interface and direction. `events` are the flow's trace (`Evaluator.trace`).
    public static func entries(of flow: Flow, events: [TraceEvent], in plane: DataPlane) -> [FlowLogEntry] {
        var walk = EventWalk(plane: plane)
        // The source logs its request as sent, even when the walk stops before it begins (a NAT
        // gateway or endpoint interface cannot start a flow; that is not a filter).
        if !flow.isFromInternet, Int(flow.source) < plane.interfaces.count { walk.saw(flow.source) }
        for event in events { walk.consume(event) }
        return walk.entries
    }

    /// The interface whose flow log records the flow's drop as REJECT, if a filter dropped it.
    public static func rejection(of flow: Flow, events: [TraceEvent], in plane: DataPlane) -> FlowLogEntry? {
        entries(of: flow, events: events, in: plane).first { $0.action == .reject }
    }

    /// What the flow log of `interface` records for the flow's request or response; nil when those
    /// packets never reach it.
    public static func action(at interface: UInt32, for direction: Direction, of flow: Flow, events: [TraceEvent],
                              in plane: DataPlane) -> LoggedAction? {
        entries(of: flow, events: events, in: plane).first { $0.interface == interface && $0.direction == direction }?.action
    }

    /// Follows a trace, keeping where the packet is.
    struct EventWalk {
        let plane: DataPlane
        var entries: [FlowLogEntry] = []
        var direction: Direction = .request
        /// The interface the packet is at, or leaving (noIndex outside any interface).
        var current: UInt32 = noIndex
        /// The interface the request was delivered to; it starts the response.
        var responder: UInt32 = noIndex
        /// The NAT gateway or appliance interface the current hop's route points at, which a network
        /// ACL denying entry keeps the packet from (noIndex: a local route, or no route this hop).
        var routeTarget: UInt32 = noIndex
        /// The last network ACL check: its subnet and whether the packet was leaving it.
        var lastACL: (subnet: UInt32, egress: Bool)?

        init(plane: DataPlane) { self.plane = plane }

        mutating func saw(_ interface: UInt32, action: LoggedAction = .accept) {
            current = interface
            guard Int(interface) < plane.interfaces.count else { return }
            if let i = entries.firstIndex(where: { $0.interface == interface && $0.direction == direction }) {
                if action == .reject { entries[i].action = .reject }
            } else {
                entries.append(FlowLogEntry(interface: interface, direction: direction, action: action))
            }
        }

        mutating func consume(_ event: TraceEvent) {
            switch event {
            case .direction(let d):
                direction = d
                routeTarget = noIndex
                if d == .response {
                    current = noIndex
                    if responder != noIndex { saw(responder) }
                }
            case .source(let i, _, _), .appliance(let i, _, _, _), .arrive(let i, _, _):
                routeTarget = noIndex
                saw(i)
            case .natGateway(let gateway, _, _, _):
                routeTarget = noIndex
                if Int(gateway) < plane.natGateways.count { saw(plane.natGateways[Int(gateway)].interface) }
            case .externalSource, .internetGateway, .gatewayEndpoint, .peering, .transitGateway, .vpnGateway, .fromOnPrem:
                current = noIndex
                routeTarget = noIndex
            case .route(_, _, let route, _):
                routeTarget = middlebox(of: route)
            case .networkACL(let subnet, _, let egress, _, _, _):
                lastACL = (subnet, egress)
            case .delivered(let place, _):
                switch place {
                case .interface(let i), .interfaceEndpoint(_, let i): responder = i
                default: responder = noIndex
                }
            case .dropped(let reason, let kind, let entity, let packet):
                if let interface = rejectingInterface(reason, kind, entity, packet) {
                    saw(interface, action: .reject)
                } else if direction == .request {
                    // Dropped by the NAT gateway or appliance it was sent to (a NAT gateway accepts
                    // no connection; a source/destination check): its interface still saw it.
                    if kind == .natGateway, Int(entity) < plane.natGateways.count { saw(plane.natGateways[Int(entity)].interface) }
                    if kind == .interface { saw(entity) }
                }
            case .sameSubnet, .listener, .returned:
                break
            }
        }

        /// The interface a NAT gateway or appliance route sends the packet to.
        func middlebox(of route: UInt32) -> UInt32 {
            guard Int(route) < plane.routes.count else { return noIndex }
            let compiled = plane.routes[Int(route)]
            switch compiled.target {
            case .natGateway:
                return Int(compiled.targetIndex) < plane.natGateways.count ? plane.natGateways[Int(compiled.targetIndex)].interface : noIndex
            case .networkInterface:
                return compiled.targetIndex
            default:
                return noIndex
            }
        }

        /// The interface whose security group dropped the packet, or whose subnet's network ACL did
        /// as the packet left it or came toward it.
        func rejectingInterface(_ reason: Reason, _ kind: HopKind, _ entity: UInt32, _ packet: Packet) -> UInt32? {
            guard FlowLogRule.isLoggedAsReject(reason) else { return nil }
            if kind == .interface { return entity }
            guard kind == .subnet, let acl = lastACL, acl.subnet == entity, Int(entity) < plane.subnets.count else { return nil }
            if acl.egress { return current == noIndex ? nil : current }
            func inSubnet(_ i: UInt32) -> Bool { Int(i) < plane.interfaces.count && plane.interfaces[Int(i)].subnet == entity }
            if inSubnet(routeTarget) { return routeTarget }
            let owner = plane.owner(of: packet.destination, inVPC: plane.subnets[Int(entity)].vpc)
            return inSubnet(owner) ? owner : nil
        }
    }
}
