import VPCModel

/// An independent, deliberately naive implementation of docs/semantics.md, to compare the Evaluator
/// against. Every lookup is a linear scan over the model's arrays and nothing is precompiled or
/// cached: the point is that it is obviously right, not fast. Section numbers in comments refer to
/// docs/semantics.md. It must never read or import the Evaluator.
public struct NaiveOracle {
    public let network: Network

    public init(network: Network) { self.network = network }

    /// §5.3: the deterministic NAT (and LB) source-port remap into 1024…65535.
    public static func natPort(_ address: IPv4Address, _ port: UInt16) -> UInt16 {
        UInt16(1024 + ((UInt64(address.value) << 16 | UInt64(port)) % 64512))
    }

    public func evaluate(_ flow: OracleFlow) -> OracleVerdict {
        if let onPrem = flow.onPremNetwork { return evaluateFromOnPrem(flow, networkIndex: onPrem) }
        if let client = flow.externalSource { return evaluateFromInternet(flow, client: client) }
        // §4 steps 1–2: who may start a flow at all.
        guard let source = network.interfaces.first(where: { $0.id == flow.sourceInterfaceID }),
              network.subnets.contains(where: { $0.id == source.subnetID }),
              let sourceIP = source.primaryIP
        else { return .dropped(.noSourceOrDestination, at: .interface, flow.sourceInterfaceID, .request) }
        switch source.owner {
        case .endpoint(let id): return .dropped(.vpceIntraVPCTraffic, at: .vpcEndpoint, id, .request)
        case .natGateway(let id): return .dropped(.ngwCannotInitiate, at: .natGateway, id, .request)
        default: break
        }
        // §4 step 3: loopback never reaches the wire.
        if source.privateIPs.contains(flow.destination) { return .delivered(to: source.id, source: sourceIP) }

        let packet = Packet(source: sourceIP, destination: flow.destination, ipProtocol: flow.ipProtocol,
                            sourcePort: flow.sourcePort, destinationPort: flow.destinationPort,
                            icmpType: flow.icmpType, icmpCode: flow.icmpCode)
        var request = Walk(network: network, direction: .request, source: source, originalDestination: flow.destination,
                           originalSourcePort: flow.sourcePort)
        // §4 step 4, then §5.
        guard request.securityGroupsAllow(source, packet, egress: true) else {
            return .dropped(.eniSGRulesMismatch, at: .interface, source.id, .request)
        }
        let arrival: Arrival
        switch request.forward(packet, fromSubnet: source.subnetID) {
        case .dropped(let drop): return drop.verdict(.request)
        case .arrived(let value): arrival = value
        }

        return respond(to: arrival, of: flow, from: source, request: request)
    }

    /// §4b: a client on the internet at public address `client` (E) sends to `flow.destination` (D).
    func evaluateFromInternet(_ flow: OracleFlow, client: IPv4Address) -> OracleVerdict {
        // 1. The internet addresses public IPs only: D must be some interface's public IP.
        guard let owner = network.interfaces.first(where: { $0.publicIP == flow.destination }) else {
            return .dropped(.noRouteToDestination, at: .internet, "internet", .request)
        }
        // 2. In through the owner's VPC's internet gateway (§5.7), then arrival (§6). The source stays E.
        let packet = Packet(source: client, destination: flow.destination, ipProtocol: flow.ipProtocol,
                            sourcePort: flow.sourcePort, destinationPort: flow.destinationPort,
                            icmpType: flow.icmpType, icmpCode: flow.icmpCode)
        var request = Walk(network: network, direction: .request, source: nil, originalDestination: flow.destination,
                           originalSourcePort: flow.sourcePort, externalSource: client)
        switch request.internetGatewayInbound(to: owner, packet) {
        case .dropped(let drop): return drop.verdict(.request)
        case .arrived(let arrival):
            // 3. The response, judged back on the internet by §4b step 3 (see internetGatewayOutbound).
            return respond(to: arrival, of: flow, from: nil, request: request)
        }
    }

    /// §4c: a host at address E (`flow.externalSource`) of on-premises network number `networkIndex`
    /// sends to `flow.destination`. It enters AWS through the network's edge (§5.11); no security group
    /// applies before the edge.
    func evaluateFromOnPrem(_ flow: OracleFlow, networkIndex: Int) -> OracleVerdict {
        // Not in the contract: a flow naming no on-premises network of the model, or no address E, has no source.
        guard network.onPremNetworks.indices.contains(networkIndex), let client = flow.externalSource else {
            return .dropped(.noSourceOrDestination, at: .onPrem, "\(networkIndex)", .request)
        }
        let packet = Packet(source: client, destination: flow.destination, ipProtocol: flow.ipProtocol,
                            sourcePort: flow.sourcePort, destinationPort: flow.destinationPort,
                            icmpType: flow.icmpType, icmpCode: flow.icmpCode)
        var request = Walk(network: network, direction: .request, source: nil, originalDestination: flow.destination,
                           originalSourcePort: flow.sourcePort, externalSource: client, onPremSource: networkIndex)
        // §4c: an on-premises address is no group member; nothing to preserve.
        request.groupsPreserved = false
        switch request.enterFromOnPrem(networkIndex, packet) {
        case .dropped(let drop): return drop.verdict(.request)
        case .arrived(let arrival):
            // The response must come back to this network (§8 rule 5, see deliverOnPrem).
            return respond(to: arrival, of: flow, from: nil, request: request)
        }
    }

    /// §8: the response of a delivered request, with its own walk that knows what the request left
    /// behind: the NAT translations (rule 3), the appliances it passed (rule 7) and the attachment
    /// subnets it left transit gateways by (§5.6 step 5, appliance mode). `source` is nil for a flow
    /// from the internet (§4b step 3) or from on-premises (§4c).
    func respond(to arrival: Arrival, of flow: OracleFlow, from source: NetworkInterface?, request: Walk) -> OracleVerdict {
        guard let response = Walk.response(to: arrival.packet) else {
            return .delivered(to: arrival.finalDestination, source: arrival.packet.source)
        }
        var back = Walk(network: network, direction: .response, source: source, originalDestination: flow.destination,
                        originalSourcePort: flow.sourcePort, externalSource: flow.externalSource, onPremSource: flow.onPremNetwork)
        back.natRecords = request.natRecords
        back.requestTraversed = request.traversed
        back.requestTGWExits = request.tgwExits
        let outcome: Outcome
        switch arrival.origin {
        case .interface(let responder):
            outcome = back.forward(response, fromSubnet: responder.subnetID)
        case .publicSide(let igwID):
            if let owner = network.interfaces.first(where: { $0.publicIP == response.destination }) {
                outcome = back.internetGatewayInbound(to: owner, response)
            } else {
                outcome = .dropped(Drop(.igwPrivateIPAssociationForIngress, .internetGateway, igwID))
            }
        case .gatewayEndpoint(let endpoint):
            outcome = back.enterVPC(endpoint.vpcID, response, dropAt: (.vpcEndpoint, endpoint.id))
        case .onPrem(let index):
            // On-premises routing sends the response back over the network's edge.
            outcome = back.enterFromOnPrem(index, response)
        }
        switch outcome {
        case .dropped(let drop):
            return drop.verdict(.response, finalDestination: arrival.finalDestination, translatedSource: arrival.packet.source)
        case .arrived:
            return .delivered(to: arrival.finalDestination, source: arrival.packet.source)
        }
    }

    /// §7: the LB→target flows that follow a flow delivered to a load balancer interface; empty
    /// when the flow is not delivered to one. The query layer composes these; tests use them too.
    public func loadBalancerLegs(of flow: OracleFlow) -> [OracleFlow] {
        let verdict = evaluate(flow)
        guard let delivered = verdict.finalDestination, let client = verdict.translatedSource,
              let lbInterface = network.interfaces.first(where: { $0.id == delivered }),
              case .loadBalancer(let lbID) = lbInterface.owner,
              let lb = network.loadBalancers.first(where: { $0.id == lbID }),
              let listener = lb.listeners.first(where: {
                  Walk.listenerProtocols($0.listenerProtocol).contains(flow.ipProtocol) && $0.port == flow.destinationPort
              }),
              let group = network.targetGroups.first(where: { $0.id == listener.targetGroupID })
        else { return [] }
        let upper = group.targetProtocol.uppercased()
        let legProtocol: UInt8 = upper == "UDP" ? 17 : (upper == "TCP_UDP" ? flow.ipProtocol : 6)
        var legs: [OracleFlow] = []
        for target in group.targets {
            let address: IPv4Address?
            var zone: String?
            switch target {
            case .interface(let id):
                let targetInterface = network.interfaces.first { $0.id == id }
                address = targetInterface?.primaryIP
                zone = network.subnets.first { $0.id == targetInterface?.subnetID }?.availabilityZone
            case .ip(let ip):
                address = ip
                zone = network.subnets.first { $0.vpcID == lb.vpcID && $0.cidr.contains(ip) }?.availabilityZone
            }
            guard let address else { continue }
            let sameZone = lb.interfaceIDs.first { id in
                let subnetID = network.interfaces.first { $0.id == id }?.subnetID
                return zone != nil && network.subnets.first { $0.id == subnetID }?.availabilityZone == zone
            }
            guard let legSource = sameZone ?? lb.interfaceIDs.first else { continue }
            legs.append(OracleFlow(sourceInterfaceID: legSource, destination: address, ipProtocol: legProtocol,
                                   sourcePort: NaiveOracle.natPort(client, flow.sourcePort), destinationPort: group.port))
        }
        return legs
    }
}

// The walk's vocabulary, nested so that it cannot collide with names the Evaluator's tests define
// in the same test module.
extension NaiveOracle {
    /// A packet as it is on the wire at one point of the walk.
    struct Packet: Equatable {
        var source: IPv4Address
        var destination: IPv4Address
        var ipProtocol: UInt8
        var sourcePort: UInt16
        var destinationPort: UInt16
        var icmpType: UInt8
        var icmpCode: UInt8

        var hasPorts: Bool { ipProtocol == 6 || ipProtocol == 17 }
    }

    struct Drop {
        var reason: OracleReason
        var kind: OracleHopKind
        var entity: String

        init(_ reason: OracleReason, _ kind: OracleHopKind, _ entity: String) { self.reason = reason; self.kind = kind; self.entity = entity }

        func verdict(_ direction: OracleDirection, finalDestination: String? = nil, translatedSource: IPv4Address? = nil) -> OracleVerdict {
            .dropped(reason, at: kind, entity, direction, finalDestination: finalDestination, translatedSource: translatedSource)
        }
    }

    /// Where the response of a delivered request starts (§8 "Start").
    enum ResponseOrigin {
        case interface(NetworkInterface)
        case publicSide(igwID: String)
        case gatewayEndpoint(VPCEndpoint)
        /// Delivered to the on-premises network with this index in `Network.onPremNetworks`.
        case onPrem(Int)
    }

    struct Arrival {
        var finalDestination: String
        /// The packet as it was delivered (for a response: as it reached the source).
        var packet: Packet
        var origin: ResponseOrigin
    }

    enum Outcome {
        case dropped(Drop)
        case arrived(Arrival)
    }

    /// What a NAT gateway remembers of a request so that it can reverse the translation (§5.3 step 3).
    struct NATRecord {
        var natID: String
        var originalSource: IPv4Address
        var originalPort: UInt16
    }

    /// The attachment subnet a request left a transit gateway by (§5.6 step 5): appliance mode sends
    /// the response the same way.
    struct TGWExit {
        var tgwID: String
        var attachmentID: String
        var subnetID: String
    }

    /// One direction of one flow: the state that §5 carries from hop to hop.
    struct Walk {
        let network: Network
        let direction: OracleDirection
        /// The source interface; nil for a flow from the internet (§4b) or from on-premises (§4c).
        let source: NetworkInterface?
        let originalDestination: IPv4Address
        let originalSourcePort: UInt16
        /// The client E of a flow from the internet (§4b) or from on-premises (§4c); nil otherwise.
        let externalSource: IPv4Address?
        /// The index of the on-premises network a §4c flow starts in; nil otherwise.
        let onPremSource: Int?
        var natRecords: [NATRecord] = []
        /// NAT gateways, appliances and transit gateway entries passed in this direction, as "nat:ID",
        /// "eni:ID" and "tgw:ID/ATTACHMENT" (§5.3, §5.8, §5.6 step 1).
        var traversed: [String] = []
        /// The response only: what the request passed (§8 rule 7 reads the appliances in it).
        var requestTraversed: [String] = []
        /// The attachment subnets this direction left transit gateways by (§5.6 step 5).
        var tgwExits: [TGWExit] = []
        /// The response only: the request's `tgwExits` (appliance mode).
        var requestTGWExits: [TGWExit] = []
        /// False once the packet crossed an appliance, or a transit gateway without security-group
        /// referencing (§3, group references).
        var groupsPreserved = true
        /// The internet gateway the packet last left by, for the response's start and its drop location.
        var lastEgressIGW: String?

        init(network: Network, direction: OracleDirection, source: NetworkInterface?, originalDestination: IPv4Address,
             originalSourcePort: UInt16, externalSource: IPv4Address? = nil, onPremSource: Int? = nil) {
            self.network = network; self.direction = direction; self.source = source
            self.originalDestination = originalDestination; self.originalSourcePort = originalSourcePort
            self.externalSource = externalSource; self.onPremSource = onPremSource
        }

        // MARK: - §8 start

        /// The response packet, or nil for ICMP types that have no reply (reachable once delivered).
        static func response(to delivered: Packet) -> Packet? {
            var reply = Packet(source: delivered.destination, destination: delivered.source, ipProtocol: delivered.ipProtocol,
                               sourcePort: delivered.destinationPort, destinationPort: delivered.sourcePort, icmpType: 0, icmpCode: 0)
            if delivered.ipProtocol == 1 {
                switch delivered.icmpType {
                case 8: reply.icmpType = 0
                case 13: reply.icmpType = 14
                case 15: reply.icmpType = 16
                case 17: reply.icmpType = 18
                default: return nil
                }
            }
            return reply
        }

        // MARK: - §3 lookups, all linear scans

        func subnet(_ id: String) -> Subnet? { network.subnets.first { $0.id == id } }
        func vpc(_ id: String) -> VPC? { network.vpcs.first { $0.id == id } }
        func interface(_ id: String) -> NetworkInterface? { network.interfaces.first { $0.id == id } }

        func vpcOfInterface(_ interface: NetworkInterface) -> String? { subnet(interface.subnetID)?.vpcID }

        func owner(of address: IPv4Address, inVPC vpcID: String) -> NetworkInterface? {
            network.interfaces.first { candidate in
                candidate.privateIPs.contains(address) && subnet(candidate.subnetID)?.vpcID == vpcID
            }
        }

        func routeTable(of subnet: Subnet) -> RouteTable? {
            if let id = subnet.routeTableID, let explicit = network.routeTables.first(where: { $0.id == id }) { return explicit }
            return network.routeTables.first { $0.vpcID == subnet.vpcID && $0.isMain }
        }

        func networkACL(of subnet: Subnet) -> NetworkACL? {
            if let id = subnet.networkACLID, let explicit = network.networkACLs.first(where: { $0.id == id }) { return explicit }
            return network.networkACLs.first { $0.vpcID == subnet.vpcID && $0.isDefault }
        }

        /// §3 protocol/port match, shared by SG rules and ACL entries.
        static func protocolAndPortsMatch(_ ruleProtocol: IPProtocol, _ ports: PortRange, _ icmp: ICMPMatch, _ packet: Packet) -> Bool {
            if ruleProtocol.isAll { return true }
            guard ruleProtocol.number == Int16(packet.ipProtocol) else { return false }
            if packet.hasPorts { return ports.contains(packet.destinationPort) }
            if packet.ipProtocol == 1 { return icmp.matches(type: packet.icmpType, code: packet.icmpCode) }
            return true
        }

        func peerMatches(_ peer: SecurityGroupRule.Peer, _ address: IPv4Address, egress: Bool) -> Bool {
            switch peer {
            case .cidr(let cidr):
                return cidr.contains(address)
            case .prefixList(let id):
                return network.prefixLists.first { $0.id == id }?.cidrs.contains { $0.contains(address) } ?? false
            case .securityGroup(let groupID):
                if !egress && !groupsPreserved { return false }
                return network.interfaces.contains { $0.securityGroupIDs.contains(groupID) && $0.privateIPs.contains(address) }
            }
        }

        /// §3: the union of the interface's groups; an interface without groups is not filtered.
        func securityGroupsAllow(_ interface: NetworkInterface, _ packet: Packet, egress: Bool) -> Bool {
            if interface.securityGroupIDs.isEmpty { return true }
            let address = egress ? packet.destination : packet.source
            for groupID in interface.securityGroupIDs {
                guard let group = network.securityGroups.first(where: { $0.id == groupID }) else { continue }
                for rule in egress ? group.egress : group.ingress
                where Walk.protocolAndPortsMatch(rule.ipProtocol, rule.ports, rule.icmp, packet)
                    && peerMatches(rule.peer, address, egress: egress) {
                    return true
                }
            }
            return false
        }

        /// §3: lowest rule number first, first match decides, nothing matching is denied.
        func networkACLAllows(_ subnet: Subnet, _ packet: Packet, egress: Bool) -> Bool {
            guard let acl = networkACL(of: subnet) else { return true }
            let address = egress ? packet.destination : packet.source
            let entries = (egress ? acl.egress : acl.ingress).sorted { $0.ruleNumber < $1.ruleNumber }
            for entry in entries where Walk.protocolAndPortsMatch(entry.ipProtocol, entry.ports, entry.icmp, packet) && entry.cidr.contains(address) {
                return entry.action == .allow
            }
            return false
        }

        /// §3 route lookup: longest prefix, then static CIDR < prefix list < propagated, then table order;
        /// §5.10: after the table's own routes, the prefixes its virtual private gateways propagate
        /// (Direct Connect 3 < VPN static 4 < VPN BGP 5), as routes to the gateway.
        func lookup(_ table: RouteTable, _ destination: IPv4Address) -> Route? {
            var best: (length: Int, rank: Int, route: Route)?
            var routes: [(route: Route, rank: Int?)] = table.routes.map { ($0, nil) }
            for gatewayID in table.propagatingGatewayIDs {
                for dx in network.directConnectGateways where dx.vpnGatewayIDs.contains(gatewayID) {
                    for prefix in dx.prefixes {
                        routes.append((Route(destination: .cidr(prefix), target: .vpnGateway(gatewayID), origin: .propagated), 3))
                    }
                }
                for connection in network.vpnConnections where connection.gateway == .vpnGateway(gatewayID) {
                    for prefix in connection.staticRoutes {
                        routes.append((Route(destination: .cidr(prefix), target: .vpnGateway(gatewayID), origin: .propagated), 4))
                    }
                    for prefix in connection.bgpPrefixes {
                        routes.append((Route(destination: .cidr(prefix), target: .vpnGateway(gatewayID), origin: .propagated), 5))
                    }
                }
            }
            let localCIDRs = table.routes.compactMap { route -> CIDR? in
                if route.target == .local, case .cidr(let cidr) = route.destination { return cidr }
                return nil
            }
            for (route, propagatedRank) in routes {
                // §3: a propagated route inside a local route's CIDR never applies, however specific.
                if route.origin == .propagated || propagatedRank != nil, case .cidr(let cidr) = route.destination,
                   localCIDRs.contains(where: { $0.contains(cidr.network) && $0.length <= cidr.length }) { continue }
                var lengths: [Int] = []
                var rank = 0
                switch route.destination {
                case .cidr(let cidr):
                    if cidr.contains(destination) { lengths.append(Int(cidr.length)) }
                case .prefixList(let id):
                    rank = 1
                    for entry in network.prefixLists.first(where: { $0.id == id })?.cidrs ?? [] where entry.contains(destination) {
                        lengths.append(Int(entry.length))
                    }
                }
                if route.origin == .propagated { rank = 2 }
                if let propagatedRank { rank = propagatedRank }
                for length in lengths {
                    if let current = best, length < current.length || (length == current.length && rank >= current.rank) { continue }
                    best = (length, rank, route)
                }
            }
            return best?.route
        }

        // MARK: - §5.1 forwarding

        enum NextHop {
            case local(NetworkInterface)
            case internetGateway(InternetGateway)
            case natGateway(NATGateway)
            case appliance(NetworkInterface)
            case gatewayEndpoint(VPCEndpoint)
            case peering(PeeringConnection, peerVPC: VPC)
            /// The gateway, the VPC's attachment A, and A's subnet T in the sender's AZ (A's interface is there).
            case transitGateway(TransitGateway, TransitGateway.Attachment, Subnet)
            case vpnGateway(VPNGateway)
        }

        mutating func forward(_ packet: Packet, fromSubnet subnetID: String) -> Outcome {
            guard let here = subnet(subnetID) else { return .dropped(Drop(.noSourceOrDestination, .subnet, subnetID)) }
            // 1. Same subnet: not routed, not filtered by the ACL.
            if let neighbour = network.interfaces.first(where: { $0.subnetID == here.id && $0.privateIPs.contains(packet.destination) }) {
                return arrive(at: neighbour, packet)
            }
            // 2. Route lookup.
            guard let table = routeTable(of: here) else { return .dropped(Drop(.noRouteToDestination, .routeTable, "")) }
            guard let route = lookup(table, packet.destination) else { return .dropped(Drop(.noRouteToDestination, .routeTable, table.id)) }
            if route.isBlackhole || route.target == .blackhole { return .dropped(Drop(.badStateRoute, .routeTable, table.id)) }
            // 3. Resolve the target; a target that is gone makes the route a blackhole.
            let badState = Outcome.dropped(Drop(.badStateRoute, .routeTable, table.id))
            let vpcID = here.vpcID
            let next: NextHop
            switch route.target {
            case .blackhole:
                return badState
            case .local:
                guard let owner = owner(of: packet.destination, inVPC: vpcID) else {
                    return .dropped(Drop(.noPossibleDestination, .routeTable, table.id))
                }
                next = .local(owner)
            case .internetGateway(let id):
                guard let igw = network.internetGateways.first(where: { $0.id == id }), igw.vpcID == vpcID else { return badState }
                next = .internetGateway(igw)
            case .natGateway(let id):
                guard let nat = network.natGateways.first(where: { $0.id == id }), subnet(nat.subnetID)?.vpcID == vpcID else { return badState }
                next = .natGateway(nat)
            case .networkInterface(let id):
                guard let eni = interface(id), vpcOfInterface(eni) == vpcID else { return badState }
                if case .natGateway(let natID) = eni.owner {
                    guard let nat = network.natGateways.first(where: { $0.id == natID }), subnet(nat.subnetID)?.vpcID == vpcID else { return badState }
                    next = .natGateway(nat)
                } else {
                    next = .appliance(eni)
                }
            case .gatewayEndpoint(let id):
                guard let endpoint = network.endpoints.first(where: { $0.id == id }), endpoint.kind == .gateway, endpoint.vpcID == vpcID
                else { return badState }
                next = .gatewayEndpoint(endpoint)
            case .peering(let id):
                guard let peering = network.peerings.first(where: { $0.id == id }), let peerID = peering.peer(of: vpcID),
                      let peerVPC = vpc(peerID) else { return badState }
                next = .peering(peering, peerVPC: peerVPC)
            case .transitGateway(let id):
                guard let tgw = network.transitGateways.first(where: { $0.id == id }),
                      let attachment = tgw.attachments.first(where: { $0.vpcID == vpcID }) else { return badState }
                // The gateway is reached through the attachment's interface in the sender's AZ only.
                let zoneSubnet = attachment.subnetIDs.compactMap { subnet($0) }.first { $0.availabilityZone == here.availabilityZone }
                guard let zoneSubnet else { return .dropped(Drop(.tgwAttachmentNotInAZ, .transitGateway, tgw.id)) }
                next = .transitGateway(tgw, attachment, zoneSubnet)
            case .vpnGateway(let id):
                guard let gateway = network.vpnGateways.first(where: { $0.id == id }), gateway.vpcID == vpcID else { return badState }
                next = .vpnGateway(gateway)
            }
            // 4–5. ACLs at the subnet boundaries the packet crosses.
            let nextSubnetID: String?
            switch next {
            case .local(let eni), .appliance(let eni): nextSubnetID = eni.subnetID
            case .natGateway(let nat): nextSubnetID = nat.subnetID
            case .transitGateway(_, _, let attachmentSubnet): nextSubnetID = attachmentSubnet.id
            default: nextSubnetID = nil
            }
            if case .transitGateway(_, _, let attachmentSubnet) = next {
                // To an attachment interface both ACLs apply, even when it is in X itself.
                guard networkACLAllows(here, packet, egress: true) else { return .dropped(Drop(.subnetACLRestriction, .subnet, here.id)) }
                guard networkACLAllows(attachmentSubnet, packet, egress: false) else {
                    return .dropped(Drop(.subnetACLRestriction, .subnet, attachmentSubnet.id))
                }
            } else if nextSubnetID != here.id {
                guard networkACLAllows(here, packet, egress: true) else { return .dropped(Drop(.subnetACLRestriction, .subnet, here.id)) }
                if let nextSubnetID, let nextSubnet = subnet(nextSubnetID) {
                    guard networkACLAllows(nextSubnet, packet, egress: false) else {
                        return .dropped(Drop(.subnetACLRestriction, .subnet, nextSubnet.id))
                    }
                }
            }
            // 6. Hand over.
            switch next {
            case .local(let owner): return arrive(at: owner, packet)
            case .internetGateway(let igw): return internetGatewayOutbound(igw, vpcID: vpcID, packet)
            case .natGateway(let nat): return natGateway(nat, packet)
            case .appliance(let eni): return appliance(eni, packet)
            case .gatewayEndpoint(let endpoint): return gatewayEndpoint(endpoint, packet)
            case .peering(let connection, let peerVPC): return peering(connection, into: peerVPC, packet)
            case .transitGateway(let tgw, let attachment, let attachmentSubnet):
                return transitGateway(tgw, from: attachment, zone: attachmentSubnet.availabilityZone, packet)
            case .vpnGateway(let gateway): return vpnGateway(gateway, packet)
            }
        }

        // MARK: - §5.2 and §5.7 internet gateway

        mutating func internetGatewayOutbound(_ igw: InternetGateway, vpcID: String, _ packet: Packet) -> Outcome {
            guard packet.destination.isPublic else { return .dropped(Drop(.igwDestinationNotPublic, .internetGateway, igw.id)) }
            guard let mapped = network.interfaces.first(where: { $0.primaryIP == packet.source && self.vpcOfInterface($0) == vpcID }),
                  let publicIP = mapped.publicIP
            else { return .dropped(Drop(.igwPublicIPAssociationForEgress, .internetGateway, igw.id)) }
            var outside = packet
            outside.source = publicIP
            lastEgressIGW = igw.id
            // The public side: another interface's public IP, a known service, or the internet.
            if let owner = network.interfaces.first(where: { $0.publicIP == outside.destination }) {
                return internetGatewayInbound(to: owner, outside)
            }
            if let service = network.services.first(where: { $0.addresses.contains { $0.contains(outside.destination) } }) {
                if direction == .response { return .dropped(Drop(.responsePathMismatch, .service, service.name)) }
                return .arrived(Arrival(finalDestination: "service:\(service.name)", packet: outside, origin: .publicSide(igwID: igw.id)))
            }
            if direction == .response {
                // §4b step 3: back on the internet, the response of a flow from the internet must
                // retrace it exactly: to E, from D, to the client's port. Any other response is lost here (§8 rule 5),
                // including that of a flow from on-premises.
                if onPremSource == nil, let client = externalSource, outside.destination == client, outside.source == originalDestination,
                   !outside.hasPorts || outside.destinationPort == originalSourcePort {
                    return .arrived(Arrival(finalDestination: "internet", packet: outside, origin: .publicSide(igwID: igw.id)))
                }
                return .dropped(Drop(.responsePathMismatch, .internet, "internet"))
            }
            return .arrived(Arrival(finalDestination: "internet", packet: outside, origin: .publicSide(igwID: igw.id)))
        }

        mutating func internetGatewayInbound(to owner: NetworkInterface, _ packet: Packet) -> Outcome {
            guard let ownerSubnet = subnet(owner.subnetID),
                  network.internetGateways.contains(where: { $0.vpcID == ownerSubnet.vpcID }),
                  let privateIP = owner.primaryIP
            else { return .dropped(Drop(.noPossibleDestination, .internet, "internet")) }
            var inside = packet
            inside.destination = privateIP
            guard networkACLAllows(ownerSubnet, inside, egress: false) else { return .dropped(Drop(.subnetACLRestriction, .subnet, ownerSubnet.id)) }
            return arrive(at: owner, inside)
        }

        // MARK: - §5.3 NAT gateway

        mutating func natGateway(_ nat: NATGateway, _ packet: Packet) -> Outcome {
            if direction == .response { return .dropped(Drop(.responsePathMismatch, .natGateway, nat.id)) }
            if traversed.contains("nat:\(nat.id)") { return .dropped(Drop(.routingLoop, .natGateway, nat.id)) }
            traversed.append("nat:\(nat.id)")
            guard [6, 17, 1].contains(packet.ipProtocol) else { return .dropped(Drop(.protocolRestriction, .natGateway, nat.id)) }
            var translated = packet
            translated.source = nat.privateIP
            if packet.hasPorts { translated.sourcePort = NaiveOracle.natPort(packet.source, packet.sourcePort) }
            natRecords.append(NATRecord(natID: nat.id, originalSource: packet.source, originalPort: packet.sourcePort))
            return forward(translated, fromSubnet: nat.subnetID)
        }

        // MARK: - §5.4 gateway endpoint

        func gatewayEndpoint(_ endpoint: VPCEndpoint, _ packet: Packet) -> Outcome {
            guard packet.ipProtocol == 6 else { return .dropped(Drop(.vpceGatewayProtocolRestriction, .vpcEndpoint, endpoint.id)) }
            let region = vpc(endpoint.vpcID)?.region
            let service = network.services.first { $0.name == endpoint.service && $0.region == region }
                ?? network.services.first { $0.name == endpoint.service }
            guard let service, service.addresses.contains(where: { $0.contains(packet.destination) }) else {
                return .dropped(Drop(.noPossibleDestination, .vpcEndpoint, endpoint.id))
            }
            if direction == .response { return .dropped(Drop(.responsePathMismatch, .service, service.name)) }
            return .arrived(Arrival(finalDestination: "service:\(service.name)", packet: packet, origin: .gatewayEndpoint(endpoint)))
        }

        // MARK: - §5.5 peering, §5.9 entering a VPC, §5.6 transit gateway

        mutating func peering(_ peering: PeeringConnection, into peerVPC: VPC, _ packet: Packet) -> Outcome {
            guard peerVPC.cidrs.contains(where: { $0.contains(packet.destination) }) else {
                return .dropped(Drop(.pcxRequiresAddressInVPCCIDR, .peering, peering.id))
            }
            return enterVPC(peerVPC.id, packet, dropAt: (.peering, peering.id))
        }

        /// §5.6: the packet enters `tgw` from attachment `ingress`, in zone `zone` (VPC attachments) or none.
        mutating func transitGateway(_ tgw: TransitGateway, from ingress: TransitGateway.Attachment, zone: String?,
                                     _ packet: Packet) -> Outcome {
            let tgwID = tgw.id
            func drop(_ reason: OracleReason) -> Outcome { .dropped(Drop(reason, .transitGateway, tgwID)) }
            // 1. The same entry twice in one direction is a loop.
            let entry = "tgw:\(tgw.id)/\(ingress.id)"
            if traversed.contains(entry) { return drop(.routingLoop) }
            traversed.append(entry)
            // 2. The ingress attachment's associated table routes it.
            guard let tableID = ingress.routeTableID, let table = tgw.routeTables.first(where: { $0.id == tableID }) else {
                return drop(.noRouteToDestination)
            }
            // 3. Candidates in order: the table's routes, then the propagations in attachment order.
            var candidates: [(cidr: CIDR, rank: Int, attachmentID: String?)] = []
            for route in table.routes {
                switch route.destination {
                case .cidr(let cidr):
                    candidates.append((cidr, route.propagated ? 2 : 0, route.attachmentID))
                case .prefixList(let id):
                    for entry in network.prefixLists.first(where: { $0.id == id })?.cidrs ?? [] {
                        candidates.append((entry, route.propagated ? 2 : 1, route.attachmentID))
                    }
                }
            }
            for attachment in tgw.attachments where attachment.propagatesTo.contains(table.id) {
                switch attachment.resource {
                case .vpc(let vpcID):
                    for cidr in vpc(vpcID)?.cidrs ?? [] { candidates.append((cidr, 2, attachment.id)) }
                case .directConnect(let id):
                    for prefix in network.directConnectGateways.first(where: { $0.id == id })?.prefixes ?? [] {
                        candidates.append((prefix, 3, attachment.id))
                    }
                case .vpn(let id):
                    let connection = network.vpnConnections.first { $0.id == id }
                    // A VPN's static routes rank with the table's static routes (§5.6 step 3).
                    for prefix in connection?.staticRoutes ?? [] { candidates.append((prefix, 0, attachment.id)) }
                    for prefix in connection?.bgpPrefixes ?? [] { candidates.append((prefix, 5, attachment.id)) }
                case .peering:
                    break
                }
            }
            var best: (cidr: CIDR, rank: Int, attachmentID: String?)?
            for candidate in candidates where candidate.cidr.contains(packet.destination) {
                if let current = best, candidate.cidr.length < current.cidr.length
                    || (candidate.cidr.length == current.cidr.length && candidate.rank >= current.rank) { continue }
                best = candidate
            }
            guard let best else { return drop(.noRouteToDestination) }
            guard let exitID = best.attachmentID, let exit = tgw.attachments.first(where: { $0.id == exitID }) else {
                return drop(.tgwRTBBadStateRoute)
            }
            switch exit.resource {
            case .vpc(let id): if vpc(id) == nil { return drop(.tgwRTBBadStateRoute) }
            case .vpn(let id): if !network.vpnConnections.contains(where: { $0.id == id }) { return drop(.tgwRTBBadStateRoute) }
            case .directConnect(let id): if !network.directConnectGateways.contains(where: { $0.id == id }) { return drop(.tgwRTBBadStateRoute) }
            case .peering: break  // the peer gateway is looked up at the hand-over (step 5)
            }
            // 4. Group identity survives only with security-group referencing.
            if !tgw.securityGroupReferencing { groupsPreserved = false }
            // 5. Leave by the winning attachment.
            switch exit.resource {
            case .vpc:
                let subnets = exit.subnetIDs.compactMap { subnet($0) }
                var chosen: Subnet?
                if exit.applianceMode && direction == .response,
                   let used = requestTGWExits.first(where: { $0.tgwID == tgw.id && $0.attachmentID == exit.id }) {
                    chosen = subnet(used.subnetID)
                }
                if chosen == nil { chosen = subnets.first { $0.availabilityZone == zone } ?? subnets.first }
                // Not in the contract: an attachment without subnets has no interface to leave by.
                guard let chosen else { return drop(.tgwAttachmentNotInAZ) }
                tgwExits.append(TGWExit(tgwID: tgw.id, attachmentID: exit.id, subnetID: chosen.id))
                // Leave a point in that subnet (§5.1): same-subnet delivery, or its route table and ACLs.
                return forward(packet, fromSubnet: chosen.id)
            case .vpn(let id):
                for (index, onPrem) in network.onPremNetworks.enumerated()
                where onPrem.via == .vpnConnection(id) && onPrem.cidrs.contains(where: { $0.contains(packet.destination) }) {
                    return deliverOnPrem(index, packet)
                }
                return .dropped(Drop(.noPossibleDestination, .vpnConnection, id))
            case .directConnect(let id):
                for (index, onPrem) in network.onPremNetworks.enumerated()
                where onPrem.via == .directConnectGateway(id) && onPrem.cidrs.contains(where: { $0.contains(packet.destination) }) {
                    return deliverOnPrem(index, packet)
                }
                return .dropped(Drop(.noPossibleDestination, .directConnectGateway, id))
            case .peering(let peerID):
                guard let peer = network.transitGateways.first(where: { $0.id == peerID }),
                      let back = peer.attachments.first(where: { $0.resource == .peering(transitGatewayID: tgw.id) })
                else { return drop(.tgwRTBBadStateRoute) }
                // Security-group referencing does not cross a peering attachment (§5.6 step 5).
                groupsPreserved = false
                return transitGateway(peer, from: back, zone: nil, packet)
            }
        }

        // MARK: - §5.10 virtual private gateway, §5.11 on-premises networks

        /// §5.10: whether on-premises network `onPrem` lies behind virtual private gateway `gatewayID`.
        func isBehind(_ onPrem: OnPremNetwork, vpnGateway gatewayID: String) -> Bool {
            switch onPrem.via {
            case .vpnConnection(let id):
                return network.vpnConnections.first { $0.id == id }?.gateway == .vpnGateway(gatewayID)
            case .directConnectGateway(let id):
                return network.directConnectGateways.first { $0.id == id }?.vpnGatewayIDs.contains(gatewayID) ?? false
            }
        }

        /// §5.10: out of the VPC through virtual private gateway `gateway`, untranslated.
        mutating func vpnGateway(_ gateway: VPNGateway, _ packet: Packet) -> Outcome {
            for (index, onPrem) in network.onPremNetworks.enumerated()
            where isBehind(onPrem, vpnGateway: gateway.id) && onPrem.cidrs.contains(where: { $0.contains(packet.destination) }) {
                return deliverOnPrem(index, packet)
            }
            return .dropped(Drop(.noPossibleDestination, .vpnGateway, gateway.id))
        }

        /// Delivery to on-premises network number `index`; for a response, §8 rule 5.
        func deliverOnPrem(_ index: Int, _ packet: Packet) -> Outcome {
            let name = network.onPremNetworks[index].name
            let arrival = Outcome.arrived(Arrival(finalDestination: "on-prem:\(name)", packet: packet, origin: .onPrem(index)))
            guard direction == .response else { return arrival }
            // Back home only when this is the network the flow came from, to E, from the original
            // destination, to the client's port.
            if onPremSource == index, let client = externalSource, packet.destination == client, packet.source == originalDestination,
               !packet.hasPorts || packet.destinationPort == originalSourcePort {
                return arrival
            }
            return .dropped(Drop(.responsePathMismatch, .onPrem, name))
        }

        /// §5.11: into AWS from on-premises network number `index` through its edge (a request from it,
        /// or the response to a request it received).
        mutating func enterFromOnPrem(_ index: Int, _ packet: Packet) -> Outcome {
            switch network.onPremNetworks[index].via {
            case .vpnConnection(let id):
                // Not in the contract: an edge naming a connection the model does not have leads nowhere.
                guard let connection = network.vpnConnections.first(where: { $0.id == id }) else {
                    return .dropped(Drop(.noRouteToDestination, .vpnConnection, id))
                }
                switch connection.gateway {
                case .vpnGateway(let gatewayID):
                    return enterThroughVPNGateway(gatewayID, packet)
                case .transitGateway(let tgwID):
                    guard let tgw = network.transitGateways.first(where: { $0.id == tgwID }),
                          let attachment = tgw.attachments.first(where: { $0.resource == .vpn(id) })
                    else { return .dropped(Drop(.noRouteToDestination, .vpnConnection, id)) }
                    return transitGateway(tgw, from: attachment, zone: nil, packet)
                }
            case .directConnectGateway(let id):
                // Not in the contract: an edge naming a gateway the model does not have leads nowhere.
                guard let dx = network.directConnectGateways.first(where: { $0.id == id }) else {
                    return .dropped(Drop(.noRouteToDestination, .directConnectGateway, id))
                }
                for gatewayID in dx.vpnGatewayIDs {
                    guard let gateway = network.vpnGateways.first(where: { $0.id == gatewayID }), let vpcID = gateway.vpcID,
                          let attached = vpc(vpcID), attached.cidrs.contains(where: { $0.contains(packet.destination) })
                    else { continue }
                    return enterThroughVPNGateway(gatewayID, packet)
                }
                for tgwID in dx.transitGatewayIDs {
                    guard let tgw = network.transitGateways.first(where: { $0.id == tgwID }),
                          let attachment = tgw.attachments.first(where: { $0.resource == .directConnect(id) })
                    else { continue }
                    return transitGateway(tgw, from: attachment, zone: nil, packet)
                }
                return .dropped(Drop(.noRouteToDestination, .directConnectGateway, id))
            }
        }

        /// §5.11: through virtual private gateway `gatewayID` into its VPC, by the VPC's local route (§5.9).
        mutating func enterThroughVPNGateway(_ gatewayID: String, _ packet: Packet) -> Outcome {
            guard let gateway = network.vpnGateways.first(where: { $0.id == gatewayID }), let vpcID = gateway.vpcID else {
                return .dropped(Drop(.noPossibleDestination, .vpnGateway, gatewayID))
            }
            return enterVPC(vpcID, packet, dropAt: (.vpnGateway, gatewayID))
        }

        mutating func enterVPC(_ vpcID: String, _ packet: Packet, dropAt: (OracleHopKind, String)) -> Outcome {
            guard let owner = owner(of: packet.destination, inVPC: vpcID), let ownerSubnet = subnet(owner.subnetID) else {
                return .dropped(Drop(.noPossibleDestination, dropAt.0, dropAt.1))
            }
            guard networkACLAllows(ownerSubnet, packet, egress: false) else { return .dropped(Drop(.subnetACLRestriction, .subnet, ownerSubnet.id)) }
            return arrive(at: owner, packet)
        }

        // MARK: - §5.8 appliance

        mutating func appliance(_ eni: NetworkInterface, _ packet: Packet) -> Outcome {
            // §8 rule 7: a stateful appliance never saw a connection whose request did not pass it.
            if direction == .response && !requestTraversed.contains("eni:\(eni.id)") {
                return .dropped(Drop(.responsePathMismatch, .interface, eni.id))
            }
            if traversed.contains("eni:\(eni.id)") { return .dropped(Drop(.routingLoop, .interface, eni.id)) }
            traversed.append("eni:\(eni.id)")
            if eni.sourceDestCheck && !eni.privateIPs.contains(packet.destination) {
                return .dropped(Drop(.eniSourceDestCheckRestriction, .interface, eni.id))
            }
            if direction == .request {
                guard securityGroupsAllow(eni, packet, egress: false), securityGroupsAllow(eni, packet, egress: true) else {
                    return .dropped(Drop(.eniSGRulesMismatch, .interface, eni.id))
                }
            }
            groupsPreserved = false
            return forward(packet, fromSubnet: eni.subnetID)
        }

        // MARK: - §6 and §8 arrival at an interface

        static func listenerProtocols(_ name: String) -> [UInt8] {
            switch name.uppercased() {
            case "UDP": return [17]
            case "TCP_UDP": return [6, 17]
            default: return [6]
            }
        }

        mutating func arrive(at interface: NetworkInterface, _ packet: Packet) -> Outcome {
            if direction == .response { return arriveResponse(at: interface, packet) }
            if case .natGateway(let natID) = interface.owner {
                return .dropped(Drop(.natGatewayUnsolicitedInbound, .natGateway, natID))
            }
            guard securityGroupsAllow(interface, packet, egress: false) else { return .dropped(Drop(.eniSGRulesMismatch, .interface, interface.id)) }
            switch interface.owner {
            case .endpoint(let id):
                guard let endpoint = network.endpoints.first(where: { $0.id == id }) else { break }
                guard packet.ipProtocol == 6 else { return .dropped(Drop(.protocolRestriction, .vpcEndpoint, endpoint.id)) }
                return .arrived(Arrival(finalDestination: "service:\(endpoint.service)", packet: packet, origin: .interface(interface)))
            case .loadBalancer(let id):
                guard let lb = network.loadBalancers.first(where: { $0.id == id }) else { break }
                let accepted = lb.listeners.contains {
                    Walk.listenerProtocols($0.listenerProtocol).contains(packet.ipProtocol) && packet.hasPorts && $0.port == packet.destinationPort
                }
                guard accepted else { return .dropped(Drop(.elbv2ListenersMismatch, .loadBalancer, lb.id)) }
            default:
                break
            }
            return .arrived(Arrival(finalDestination: interface.id, packet: packet, origin: .interface(interface)))
        }

        mutating func arriveResponse(at interface: NetworkInterface, _ packet: Packet) -> Outcome {
            if case .natGateway(let natID) = interface.owner {
                guard let record = natRecords.last(where: { $0.natID == natID }),
                      let nat = network.natGateways.first(where: { $0.id == natID })
                else { return .dropped(Drop(.natGatewayUnsolicitedInbound, .natGateway, natID)) }
                if traversed.contains("nat:\(natID)") { return .dropped(Drop(.routingLoop, .natGateway, natID)) }
                traversed.append("nat:\(natID)")
                var restored = packet
                restored.destination = record.originalSource
                if packet.hasPorts { restored.destinationPort = record.originalPort }
                return forward(restored, fromSubnet: nat.subnetID)
            }
            guard interface.id == source?.id,
                  packet.source == originalDestination,
                  !packet.hasPorts || packet.destinationPort == originalSourcePort
            else { return .dropped(Drop(.responsePathMismatch, .interface, interface.id)) }
            return .arrived(Arrival(finalDestination: interface.id, packet: packet, origin: .interface(interface)))
        }
    }
}
