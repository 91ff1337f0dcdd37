import VPCModel

/// Turns the Evaluator's events into named hops and a located block with the rule that decided
/// (or the rule that is missing). Names come from the model, looked up once per event.
public struct TraceBuilder {
    let plane: DataPlane
    var network: Network { plane.network }

    public init(_ plane: DataPlane) { self.plane = plane }

    /// The trace of one evaluated flow.
    public func build(flow: Flow, verdict: Verdict, events: [TraceEvent], sourceName: String, destinationName: String) -> FlowTrace {
        var request: [Hop] = [], response: [Hop] = []
        var direction = Direction.request
        var block: Block?
        var lastSG: (interface: UInt32, egress: Bool)?
        var lastACL: TraceEvent?
        var lastRoute: TraceEvent?
        var lastTransit: TraceEvent?
        var firstPacket: Packet?
        func add(_ hop: Hop) { if direction == .request { request.append(hop) } else { response.append(hop) } }

        for event in events {
            switch event {
            case .direction(let d):
                direction = d
            case .source(let i, let packet, let egress):
                firstPacket = packet
                lastSG = (i, true)
                add(hop(.interface, i, "sends \(describe(packet)); \(describe(egress, egress: true))"))
            case .externalSource(let packet):
                firstPacket = packet
                add(Hop(kind: .internet, id: "internet", name: "internet", detail: "sends \(describe(packet))"))
            case .sameSubnet(let subnet, _):
                add(hop(.subnet, subnet, "same subnet: delivered directly, no route lookup and no network ACL"))
            case .route(_, let table, let route, let packet):
                lastRoute = event
                lastTransit = nil
                add(hop(.routeTable, table, "\(describeRoute(table: table, route: route)) (for \(IPv4Address(packet.destination)))"))
            case .networkACL(let subnet, let acl, let egress, let entry, let allowed, _):
                lastACL = event
                let rule = describeACL(acl: acl, entry: entry, egress: egress)
                add(hop(.subnet, subnet, "\(egress ? "leaving" : "entering"): \(rule) → \(allowed ? "allow" : "deny")"))
            case .internetGateway(let gateway, let outbound, let before, let after):
                let change = outbound ? "source \(IPv4Address(before.source)) → \(IPv4Address(after.source))"
                                      : "destination \(IPv4Address(before.destination)) → \(IPv4Address(after.destination))"
                var h = hop(.internetGateway, gateway, "1:1 NAT, \(change)")
                h.translation = outbound ? Translation(before: endpoint(before.source, before.sourcePort, before),
                                                       after: endpoint(after.source, after.sourcePort, after))
                                         : Translation(before: endpoint(before.destination, before.destinationPort, before),
                                                       after: endpoint(after.destination, after.destinationPort, after))
                add(h)
            case .natGateway(let gateway, let before, let after, let reverse):
                let t = reverse ? Translation(before: endpoint(before.destination, before.destinationPort, before),
                                              after: endpoint(after.destination, after.destinationPort, after))
                                : Translation(before: endpoint(before.source, before.sourcePort, before),
                                              after: endpoint(after.source, after.sourcePort, after))
                var h = hop(.natGateway, gateway, reverse ? "reverse translation, destination \(t.before) → \(t.after)" : "SNAT \(t.before) → \(t.after)")
                h.translation = t
                add(h)
            case .gatewayEndpoint(let e, _):
                add(hop(.vpcEndpoint, e, "gateway endpoint for \(network.endpoints[Int(e)].service)"))
            case .peering(let c, let into, _):
                add(hop(.peering, c, "into \(vpcName(into))"))
            case .transitGateway(let g, let from, let route, let exit, _):
                lastTransit = event
                add(hop(.transitGateway, g, describeTGWRoute(from: from, route: route, exit: exit)))
            case .vpnGateway(let g, _):
                add(hop(.vpnGateway, g, "virtual private gateway\(plane.vpnGateways[Int(g)] == noIndex ? "" : " of \(vpcName(plane.vpnGateways[Int(g)]))")"))
            case .fromOnPrem(let n, let packet):
                firstPacket = packet
                add(hop(.onPrem, n, "sends \(describe(packet))"))
            case .appliance(let i, _, let ingress, let egress):
                lastSG = (i, ingress == .denied ? false : true)
                add(hop(.interface, i, "appliance (route target): \(describe(ingress, egress: false)); \(describe(egress, egress: true))"))
            case .arrive(let i, let packet, let ingress):
                lastSG = (i, false)
                let what = direction == .request ? "receives \(describe(packet)); \(describe(ingress, egress: false))"
                                                 : "response arrives back: \(describe(packet))"
                add(hop(.interface, i, what))
            case .listener(let lb, let l):
                add(hop(.loadBalancer, lb, describeListener(lb: lb, listener: l)))
            case .delivered(let delivery, let packet):
                switch delivery {
                case .internet:
                    add(Hop(kind: .internet, id: "internet", name: "internet", detail: "delivered to \(IPv4Address(packet.destination)) from \(endpoint(packet.source, packet.sourcePort, packet))"))
                case .service(let s):
                    add(hop(.service, s, "delivered to \(plane.name(of: .service, s)) at \(IPv4Address(packet.destination))"))
                case .interfaceEndpoint(let e, _):
                    let name = network.endpoints[Int(e)].service
                    add(Hop(kind: .service, id: name, name: name, detail: "delivered to \(name) through its interface endpoint"))
                case .onPrem(let n):
                    add(hop(.onPrem, n, "delivered to \(IPv4Address(packet.destination)) on premises, from \(endpoint(packet.source, packet.sourcePort, packet))"))
                case .interface, .none:
                    break
                }
            case .returned:
                break
            case .dropped(let reason, let kind, let entity, let packet):
                var at = hop(kind, entity, "dropped: \(reason.code)")
                if kind == .routeTable && entity == noIndex {
                    at = Hop(kind: .routeTable, id: "", name: "(none)", detail: "the subnet has no route table")
                }
                let rule = explain(reason, kind: kind, entity: entity, packet: packet, lastSG: lastSG, lastACL: lastACL, lastRoute: lastRoute,
                                   lastTransit: lastTransit)
                block = Block(reason: reason, direction: direction, at: at, rule: rule)
                // Dropped where the last hop already stands: say so on that hop rather than repeat it.
                let hops = direction == .request ? request : response
                if let last = hops.last, last.kind == at.kind, last.id == at.id {
                    if direction == .request { request[request.count - 1].detail += "; dropped: \(reason.code)" }
                    else { response[response.count - 1].detail += "; dropped: \(reason.code)" }
                } else {
                    add(at)
                }
            }
        }
        return FlowTrace(source: sourceName, destination: destinationName,
                         packet: firstPacket.map(describe) ?? "\(IPv4Address(flow.destination))",
                         reachable: verdict.reachable, deliveredTo: plane.destinationID(verdict.delivered),
                         request: request, response: response, block: block, targetLeg: nil)
    }

    // MARK: - Descriptions

    func hop(_ kind: HopKind, _ index: UInt32, _ detail: String) -> Hop {
        Hop(kind: kind, id: plane.id(of: kind, index), name: plane.name(of: kind, index), detail: detail)
    }

    func vpcName(_ vpc: UInt32) -> String {
        Int(vpc) < network.vpcs.count ? "\(network.vpcs[Int(vpc)].name) (\(network.vpcs[Int(vpc)].id))" : "a VPC that is gone"
    }

    public static func protocolName(_ number: UInt8) -> String {
        switch number {
        case 6: return "tcp"
        case 17: return "udp"
        case 1: return "icmp"
        default: return "protocol \(number)"
        }
    }

    func endpoint(_ address: UInt32, _ port: UInt16, _ packet: Packet) -> String {
        packet.hasPorts ? "\(IPv4Address(address)):\(port)" : "\(IPv4Address(address))"
    }

    func describe(_ packet: Packet) -> String {
        let name = Self.protocolName(packet.ipProtocol)
        if packet.ipProtocol == 1 {
            return "icmp type \(packet.icmpType) code \(packet.icmpCode) \(IPv4Address(packet.source)) → \(IPv4Address(packet.destination))"
        }
        return "\(name) \(endpoint(packet.source, packet.sourcePort, packet)) → \(endpoint(packet.destination, packet.destinationPort, packet))"
    }

    func groupLabel(_ group: UInt32) -> String {
        Int(group) < network.securityGroups.count ? "\(network.securityGroups[Int(group)].id) (\(network.securityGroups[Int(group)].name))" : "an unknown group"
    }

    func describe(_ decision: SecurityGroupDecision, egress: Bool) -> String {
        switch decision {
        case .allowed(let group, let rule):
            let compiled = plane.securityGroupRules[Int(rule)]
            let sg = network.securityGroups[Int(group)]
            let model = egress ? sg.egress[Int(compiled.modelIndex)] : sg.ingress[Int(compiled.modelIndex)]
            return "\(egress ? "egress" : "ingress") allowed by \(groupLabel(group)) rule \(describe(model, egress: egress))"
        case .denied: return "\(egress ? "egress" : "ingress") denied by its security groups"
        case .notFiltered: return "no security groups"
        case .stateful: return "security groups not evaluated (stateful)"
        case .notReached: return "security groups not reached"
        }
    }

    func ruleProtocol(_ ipProtocol: IPProtocol, _ ports: PortRange, _ icmp: ICMPMatch) -> String {
        if ipProtocol.isAll { return "all traffic" }
        if ipProtocol.hasPorts { return "\(ipProtocol.name) \(ports.isAll ? "all ports" : ports.description)" }
        if ipProtocol == .icmp { return icmp.isAny ? "icmp (all)" : "icmp \(icmp)" }
        return "protocol \(ipProtocol.name)"
    }

    func describe(_ rule: SecurityGroupRule, egress: Bool) -> String {
        let peer: String
        switch rule.peer {
        case .cidr(let cidr): peer = cidr.description
        case .prefixList(let id): peer = "prefix list \(id)\(network.prefixLists.first { $0.id == id }.map { " (\($0.name))" } ?? " (unknown: matches nothing)")"
        case .securityGroup(let id):
            peer = network.securityGroups.first { $0.id == id }.map { "\($0.id) (\($0.name))" } ?? "\(id) (unknown: matches nothing)"
        }
        return "\(ruleProtocol(rule.ipProtocol, rule.ports, rule.icmp)) \(egress ? "to" : "from") \(peer)"
    }

    func describeACL(acl: UInt32, entry: UInt32, egress: Bool) -> String {
        guard acl != noIndex else { return "no network ACL (allow all)" }
        let model = network.networkACLs[Int(acl)]
        let label = "network ACL \(model.id) (\(model.name)) \(egress ? "outbound" : "inbound")"
        guard entry != noIndex else { return "\(label): no rule matches, * deny" }
        let compiled = plane.aclEntries[Int(entry)]
        let e = (egress ? model.egress : model.ingress)[Int(compiled.modelIndex)]
        return "\(label) rule \(e.ruleNumber) \(e.action.rawValue) \(ruleProtocol(e.ipProtocol, e.ports, e.icmp)) \(egress ? "to" : "from") \(e.cidr)"
    }

    func describeRoute(table: UInt32, route: UInt32) -> String {
        let compiled = plane.routes[Int(route)]
        if compiled.modelIndex == noIndex {
            let prefix = IPv4Address(compiled.propagated.network).description + "/\(compiled.propagated.mask.nonzeroBitCount)"
            return "route \(prefix) → \(plane.id(of: .vpnGateway, compiled.targetIndex)), propagated"
        }
        let model = network.routeTables[Int(table)].routes[Int(compiled.modelIndex)]
        let target: String
        switch model.target {
        case .local: target = "local"
        case .blackhole: target = "blackhole"
        default:
            let id = model.target.id ?? ""
            let name = network.displayName(of: id)
            target = name == id ? id : "\(id) (\(name))"
        }
        let origin = model.origin == .propagated ? ", propagated" : ""
        let state = model.isBlackhole && model.target != .blackhole ? " [blackhole]" : ""
        return "route \(model.destination) → \(target)\(origin)\(state)"
    }

    func describeTGWRoute(from: UInt32, route: UInt32, exit: UInt32) -> String {
        let ingress = plane.tgwAttachments[Int(from)]
        let tgw = network.transitGateways[Int(ingress.gateway)]
        let entered = "from \(tgw.attachments[Int(ingress.modelIndex)].name)"
        guard ingress.routeTable != noIndex else { return "\(entered): the attachment is associated with no route table" }
        let table = tgw.routeTables[Int(plane.tgwRouteTables[Int(ingress.routeTable)].modelIndex)]
        guard route != noIndex else { return "\(entered), table \(table.name): no route" }
        let compiled = plane.tgwRoutes[Int(route)]
        let prefix = IPv4Address(compiled.propagated.network).description + "/\(compiled.propagated.mask.nonzeroBitCount)"
        let target = exit == noIndex ? "blackhole" : tgw.attachments.indices.contains(Int(plane.tgwAttachments[Int(exit)].modelIndex))
            ? attachmentLabel(exit) : "gone attachment"
        let kind: String
        if compiled.modelRoute == noIndex { kind = ", propagated" }
        else if case .prefixList(let id) = table.routes[Int(compiled.modelRoute)].destination { kind = " (prefix list \(id))" }
        else { kind = table.routes[Int(compiled.modelRoute)].propagated ? ", propagated" : "" }
        return "\(entered), table \(table.name): route \(prefix) → \(target)\(kind)"
    }

    /// An attachment by what it attaches: `vpc-… (name)`, `VPN …`, `peer …`.
    func attachmentLabel(_ attachment: UInt32) -> String {
        let compiled = plane.tgwAttachments[Int(attachment)]
        let model = network.transitGateways[Int(compiled.gateway)].attachments[Int(compiled.modelIndex)]
        switch model.resource {
        case .vpc(let id): return "\(model.id) (\(network.displayName(of: id)))"
        case .vpn(let id): return "\(model.id) (VPN \(network.displayName(of: id)))"
        case .directConnect(let id): return "\(model.id) (Direct Connect \(network.displayName(of: id)))"
        case .peering(let id): return "\(model.id) (peer \(network.displayName(of: id)))"
        }
    }

    func describeListener(lb: UInt32, listener: UInt32) -> String {
        let compiled = plane.listeners[Int(listener)]
        let model = network.loadBalancers[Int(lb)].listeners[Int(compiled.modelIndex)]
        let group = network.targetGroups.first { $0.id == model.targetGroupID }
        return "listener \(model.listenerProtocol):\(model.port) → target group \(group.map { "\($0.name) (\($0.targetProtocol):\($0.port))" } ?? model.targetGroupID)"
    }

    /// The rule behind a drop, or the rule that is missing.
    func explain(_ reason: Reason, kind: HopKind, entity: UInt32, packet: Packet, lastSG: (interface: UInt32, egress: Bool)?,
                 lastACL: TraceEvent?, lastRoute: TraceEvent?, lastTransit: TraceEvent? = nil) -> String {
        switch reason {
        case .tgwAttachmentNotInAZ:
            // Dropped leaving the gateway: the attachment it leaves by has no subnets.
            if case .transitGateway(_, _, _, let exit, _) = lastTransit, exit != noIndex {
                return "\(attachmentLabel(exit)) has no subnets: the transit gateway has no interface in that VPC to leave by"
            }
            guard case .route(let subnetIndex, _, _, _) = lastRoute, kind == .transitGateway else { return reason.summary }
            let subnet = network.subnets[Int(subnetIndex)]
            let tgw = network.transitGateways[Int(entity)]
            guard let attachment = tgw.attachment(forVPC: subnet.vpcID) else { return reason.summary }
            let zones = attachment.subnetIDs.compactMap { id in network.subnets.first { $0.id == id }?.availabilityZone }
            return "\(subnet.name) is in \(subnet.availabilityZone); the attachment \(attachment.id) of \(network.displayName(of: subnet.vpcID)) to \(tgw.name) "
                + (zones.isEmpty ? "has no subnets" : "has subnets in \(zones.joined(separator: ", ")) only")
                + ": add a subnet in \(subnet.availabilityZone) to the attachment"
        case .noRouteToDestination where kind == .transitGateway, .tgwRTBBadStateRoute:
            if case .transitGateway(_, let from, let route, let exit, _) = lastTransit {
                let text = describeTGWRoute(from: from, route: route, exit: exit)
                return reason == .tgwRTBBadStateRoute ? "\(text): the route is a blackhole or its attachment is gone" : "\(text) for \(IPv4Address(packet.destination))"
            }
            return reason.summary
        case .eniSGRulesMismatch:
            let eni = network.interfaces[Int(entity)]
            let egress = lastSG?.interface == entity ? (lastSG?.egress ?? false) : false
            let groups = eni.securityGroupIDs.compactMap { id in network.securityGroups.first { $0.id == id } }
            let rules = groups.map { group -> String in
                let list = egress ? group.egress : group.ingress
                let text = list.isEmpty ? "no \(egress ? "egress" : "ingress") rules" : list.map { describe($0, egress: egress) }.joined(separator: "; ")
                return "\(group.id) (\(group.name)) \(egress ? "egress" : "ingress"): \(text)"
            }
            return "no \(egress ? "egress" : "ingress") rule of \(eni.name) allows it — " + rules.joined(separator: " | ")
        case .subnetACLRestriction:
            if case .networkACL(_, let acl, let egress, let entry, _, _) = lastACL {
                return describeACL(acl: acl, entry: entry, egress: egress)
            }
            return reason.summary
        case .noRouteToDestination:
            if kind == .routeTable && entity != noIndex {
                return "\(network.routeTables[Int(entity)].id) (\(network.routeTables[Int(entity)].name)) has no route for \(IPv4Address(packet.destination))"
            }
            if kind == .internet { return "no interface in the network has the public address \(IPv4Address(packet.destination)); private addresses cannot be reached from the internet" }
            return "no route for \(IPv4Address(packet.destination))"
        case .badStateRoute:
            if case .route(_, let table, let route, _) = lastRoute {
                let compiled = plane.routes[Int(route)]
                let why = compiled.isBlackhole || compiled.target == .blackhole ? "its target is a blackhole (gone or never existed)" : "its target cannot be used from this VPC (detached, or in another VPC)"
                return "\(describeRoute(table: table, route: route)): \(why)"
            }
            return reason.summary
        case .igwPublicIPAssociationForEgress:
            return "source \(IPv4Address(packet.source)) is not the primary private IP of an interface with a public IP or Elastic IP"
        case .igwDestinationNotPublic:
            return "destination \(IPv4Address(packet.destination)) is not a public address"
        case .protocolRestriction, .vpceGatewayProtocolRestriction:
            return "\(Self.protocolName(packet.ipProtocol)) is not carried: \(reason.summary)"
        default:
            return reason.summary
        }
    }
}
