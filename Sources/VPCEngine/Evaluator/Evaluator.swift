import VPCModel

/// The one implementation of vpcsim's hop semantics (docs/semantics.md): evaluates one concrete flow,
/// request then response, over a compiled `DataPlane`. Generic over the recorder, so the same code
/// produces full traces (`TraceRecorder`) and bare verdicts (`NoRecorder`, compiled away).
public struct Evaluator: Sendable {
    public let plane: DataPlane

    public init(_ plane: DataPlane) { self.plane = plane }

    /// The port a NAT gateway (or a load balancer's new connection) uses for a client's (address, port):
    /// deterministic, inside 1024–65535 (docs/semantics.md §5.3).
    @inlinable
    public static func natPort(_ address: UInt32, _ port: UInt16) -> UInt16 {
        UInt16(truncatingIfNeeded: 1024 &+ ((UInt64(address) << 16 | UInt64(port)) % 64512))
    }

    public func evaluate(_ flow: Flow) -> Verdict {
        var recorder = NoRecorder()
        return evaluate(flow, recorder: &recorder)
    }

    public func trace(_ flow: Flow) -> (Verdict, [TraceEvent]) {
        var recorder = TraceRecorder()
        let verdict = evaluate(flow, recorder: &recorder)
        return (verdict, recorder.events)
    }

    public func evaluate<R: EvaluationRecorder>(_ flow: Flow, recorder: inout R) -> Verdict {
        evaluate(flow, firstHop: nil, recorder: &recorder)
    }

    /// Same as `evaluate(_:recorder:)`, with the first hop's lookups (the destination's owner in the
    /// source's VPC and the route in the source subnet's table) already done — by the BatchEvaluator,
    /// in lock step for many flows. `firstHop` must hold exactly what the walk would look up: the owner
    /// of `flow.destination` in the source's VPC and the source subnet's route for it.
    public func evaluate<R: EvaluationRecorder>(_ flow: Flow, firstHop: FirstHop?, recorder: inout R) -> Verdict {
        var walk = Walk(flow: flow)
        walk.firstHop = firstHop
        let start = Packet(source: 0, destination: flow.destination, sourcePort: flow.hasPortsValue.0,
                           destinationPort: flow.hasPortsValue.1, ipProtocol: flow.ipProtocol,
                           icmpType: flow.ipProtocol == 1 ? flow.icmpType : 0, icmpCode: flow.ipProtocol == 1 ? flow.icmpCode : 0)
        if R.isRecording { recorder.record(.direction(.request)) }
        let outcome: Outcome
        if flow.isFromInternet {
            outcome = startFromInternet(flow, start, &walk, &recorder)
        } else if flow.isFromOnPrem {
            outcome = startFromOnPrem(flow, start, &walk, &recorder)
        } else {
            switch startFromInterface(flow, start, &walk, &recorder) {
            case .finished(let verdict): return verdict
            case .walked(let result): outcome = result
            }
        }
        guard case .arrived(let arrival) = outcome else {
            if case .dropped(let drop) = outcome {
                if R.isRecording { recorder.record(.dropped(drop.reason, kind: drop.kind, entity: drop.entity, packet: drop.packet)) }
                return drop.verdict(.request)
            }
            return Verdict(reachable: false)
        }
        var verdict = Verdict(reachable: false, delivered: arrival.place, translatedSource: arrival.packet.source,
                              translatedSourcePort: arrival.packet.sourcePort)
        if R.isRecording { recorder.record(.delivered(arrival.place, packet: arrival.packet)) }

        // §8 the response.
        guard let response = Self.response(to: arrival.packet) else {
            verdict.reachable = true
            return verdict
        }
        walk.startResponse()
        if R.isRecording { recorder.record(.direction(.response)) }
        let back: Outcome
        switch arrival.origin {
        case .interface(let responder):
            back = forward(response, fromSubnet: plane.interfaces[Int(responder)].subnet, &walk, &recorder)
        case .publicSide(let gateway):
            let owner = plane.publicOwner(of: response.destination)
            back = owner == noIndex
                ? .dropped(Drop(.igwPrivateIPAssociationForIngress, .internetGateway, gateway, response))
                : internetGatewayInbound(to: owner, response, &walk, &recorder)
        case .gatewayEndpoint(let endpoint):
            back = enterVPC(plane.endpoints[Int(endpoint)].vpc, response, dropAt: (.vpcEndpoint, endpoint), &walk, &recorder)
        case .onPrem(let network):
            // On-premises routing is taken to send the response back over the network's edge (§8).
            back = enterFromOnPrem(network, response, &walk, &recorder)
        }
        switch back {
        case .dropped(let drop):
            verdict.reason = drop.reason
            verdict.dropKind = drop.kind
            verdict.dropEntity = drop.entity
            verdict.direction = .response
            if R.isRecording { recorder.record(.dropped(drop.reason, kind: drop.kind, entity: drop.entity, packet: drop.packet)) }
        case .arrived(let returned):
            verdict.reachable = true
            if R.isRecording { recorder.record(.returned(packet: returned.packet)) }
        }
        return verdict
    }

    // MARK: - §4 start

    enum Start { case finished(Verdict), walked(Outcome) }

    func startFromInterface<R: EvaluationRecorder>(_ flow: Flow, _ start: Packet, _ walk: inout Walk, _ recorder: inout R) -> Start {
        let source = flow.source
        guard Int(source) < plane.interfaces.count else {
            return .finished(dropVerdict(.noSourceOrDestination, .interface, source, start, &recorder))
        }
        let eni = plane.interfaces[Int(source)]
        guard eni.subnet != noIndex, !eni.addresses.isEmpty else {
            return .finished(dropVerdict(.noSourceOrDestination, .interface, source, start, &recorder))
        }
        var packet = start
        packet.source = eni.primaryIP
        switch eni.owner {
        case .endpoint: return .finished(dropVerdict(.vpceIntraVPCTraffic, .vpcEndpoint, eni.ownerIndex, packet, &recorder))
        case .natGateway: return .finished(dropVerdict(.ngwCannotInitiate, .natGateway, eni.ownerIndex, packet, &recorder))
        default: break
        }
        // Loopback: addressed to one of its own IPs.
        if holds(source, packet.destination) {
            if R.isRecording { recorder.record(.source(interface: source, packet: packet, egress: .notReached)) }
            return .finished(Verdict(reachable: true, delivered: .interface(source), translatedSource: packet.source,
                                     translatedSourcePort: packet.sourcePort))
        }
        let egress = securityGroups(of: source, packet, egress: true)
        if R.isRecording { recorder.record(.source(interface: source, packet: packet, egress: egress)) }
        if case .denied = egress {
            return .finished(dropVerdict(.eniSGRulesMismatch, .interface, source, packet, &recorder))
        }
        return .walked(forward(packet, fromSubnet: eni.subnet, &walk, &recorder))
    }

    /// A flow from the internet can only address a public IP that an interface holds; it enters
    /// through that interface's VPC's internet gateway (docs/semantics.md §4b).
    func startFromInternet<R: EvaluationRecorder>(_ flow: Flow, _ start: Packet, _ walk: inout Walk, _ recorder: inout R) -> Outcome {
        var packet = start
        packet.source = flow.externalSource
        if R.isRecording { recorder.record(.externalSource(packet: packet)) }
        let owner = plane.publicOwner(of: packet.destination)
        guard owner != noIndex else { return .dropped(Drop(.noRouteToDestination, .internet, 0, packet)) }
        return internetGatewayInbound(to: owner, packet, &walk, &recorder)
    }

    /// A flow from an on-premises network enters AWS over the network's edge (docs/semantics.md §4c).
    func startFromOnPrem<R: EvaluationRecorder>(_ flow: Flow, _ start: Packet, _ walk: inout Walk, _ recorder: inout R) -> Outcome {
        var packet = start
        packet.source = flow.externalSource
        packet.groupIdentity = false
        let network = flow.onPremNetwork
        guard Int(network) < plane.onPremNetworks.count else { return .dropped(Drop(.noSourceOrDestination, .onPrem, network, packet)) }
        if R.isRecording { recorder.record(.fromOnPrem(network: network, packet: packet)) }
        return enterFromOnPrem(network, packet, &walk, &recorder)
    }

    /// Into AWS from on-premises network `network`, through its VPN connection or Direct Connect
    /// gateway (docs/semantics.md §5.11).
    func enterFromOnPrem<R: EvaluationRecorder>(_ network: UInt32, _ packet: Packet, _ walk: inout Walk, _ recorder: inout R) -> Outcome {
        let site = plane.onPremNetworks[Int(network)]
        guard site.edge != noIndex else { return .dropped(Drop(.noRouteToDestination, .onPrem, network, packet)) }
        if site.edgeIsVPN {
            let connection = plane.vpnConnections[Int(site.edge)]
            if !connection.toTransitGateway { return enterThroughVPNGateway(connection.gateway, packet, &walk, &recorder) }
            guard connection.gateway != noIndex, connection.attachment != noIndex else {
                return .dropped(Drop(.noRouteToDestination, .vpnConnection, site.edge, packet))
            }
            return transitGateway(connection.gateway, from: connection.attachment, zone: noIndex, packet, &walk, &recorder)
        }
        let gateway = plane.directConnectGateways[Int(site.edge)]
        for m in gateway.vpnGateways.indices {
            let vgw = plane.directConnectMembers[m]
            let vpc = plane.vpnGateways[Int(vgw)]
            if vpc != noIndex && plane.isInVPCCIDRs(packet.destination, vpc: vpc) { return enterThroughVPNGateway(vgw, packet, &walk, &recorder) }
        }
        for m in gateway.transitGateways.indices {
            let tgw = plane.directConnectMembers[m]
            for a in plane.transitGateways[Int(tgw)].attachments.indices
            where plane.tgwAttachments[a].kind == .directConnect && plane.tgwAttachments[a].resource == site.edge {
                return transitGateway(tgw, from: UInt32(a), zone: noIndex, packet, &walk, &recorder)
            }
        }
        return .dropped(Drop(.noRouteToDestination, .directConnectGateway, site.edge, packet))
    }

    /// Traffic from a virtual private gateway is routed by the VPC's local route (§5.11).
    func enterThroughVPNGateway<R: EvaluationRecorder>(_ gateway: UInt32, _ packet: Packet, _ walk: inout Walk, _ recorder: inout R) -> Outcome {
        let vpc = gateway == noIndex ? noIndex : plane.vpnGateways[Int(gateway)]
        guard vpc != noIndex else { return .dropped(Drop(.noPossibleDestination, .vpnGateway, gateway, packet)) }
        if R.isRecording { recorder.record(.vpnGateway(gateway: gateway, packet: packet)) }
        return enterVPC(vpc, packet, dropAt: (.vpnGateway, gateway), &walk, &recorder)
    }

    /// Out through virtual private gateway `gateway` to the on-premises network behind it (§5.10).
    func vpnGatewayOutbound<R: EvaluationRecorder>(_ gateway: UInt32, _ packet: Packet, _ walk: inout Walk, _ recorder: inout R) -> Outcome {
        if R.isRecording { recorder.record(.vpnGateway(gateway: gateway, packet: packet)) }
        let network = plane.onPremNetwork(holding: packet.destination, vpnGateway: gateway)
        guard network != noIndex else { return .dropped(Drop(.noPossibleDestination, .vpnGateway, gateway, packet)) }
        return deliverOnPrem(network, packet, walk)
    }

    /// Delivered to an on-premises network: the request ends there; a response must be the one its
    /// on-premises client waits for (§8 rule 5).
    func deliverOnPrem(_ network: UInt32, _ packet: Packet, _ walk: Walk) -> Outcome {
        guard walk.direction == .response else {
            return .arrived(Arrival(place: .onPrem(network), packet: packet, origin: .onPrem(network)))
        }
        let flow = walk.flow
        let matches = flow.isFromOnPrem && flow.onPremNetwork == network && packet.destination == flow.externalSource
            && packet.source == flow.destination && (!packet.hasPorts || packet.destinationPort == flow.sourcePort)
        return matches ? .arrived(Arrival(place: .onPrem(network), packet: packet, origin: .onPrem(network)))
                       : .dropped(Drop(.responsePathMismatch, .onPrem, network, packet))
    }

    func dropVerdict<R: EvaluationRecorder>(_ reason: Reason, _ kind: HopKind, _ entity: UInt32, _ packet: Packet,
                                            _ recorder: inout R) -> Verdict {
        if R.isRecording { recorder.record(.dropped(reason, kind: kind, entity: entity, packet: packet)) }
        return Verdict(reachable: false, reason: reason, dropKind: kind, dropEntity: entity, direction: .request)
    }

    // MARK: - §5.1 forwarding

    enum NextHop {
        case local(UInt32)
        case internetGateway(UInt32)
        case natGateway(UInt32)
        case appliance(UInt32)
        case gatewayEndpoint(UInt32)
        case peering(UInt32, peer: UInt32)
        case transitGateway(UInt32, attachment: UInt32, zone: UInt32)
        case vpnGateway(UInt32)
    }

    func forward<R: EvaluationRecorder>(_ packet: Packet, fromSubnet subnetIndex: UInt32, _ walk: inout Walk, _ recorder: inout R) -> Outcome {
        let subnet = plane.subnets[Int(subnetIndex)]
        let vpc = subnet.vpc
        // The request's first hop may come with its lookups done (BatchEvaluator's lock step).
        let prepared = walk.takeFirstHop()
        // 1. Same subnet: delivered without route lookup or ACL.
        let localOwner = prepared?.localOwner ?? plane.owner(of: packet.destination, inVPC: vpc)
        if localOwner != noIndex && plane.interfaces[Int(localOwner)].subnet == subnetIndex {
            if R.isRecording { recorder.record(.sameSubnet(subnet: subnetIndex, packet: packet)) }
            return arrive(at: localOwner, packet, &walk, &recorder)
        }
        // 2. Route lookup.
        let table = subnet.routeTable
        guard table != noIndex else { return .dropped(Drop(.noRouteToDestination, .routeTable, noIndex, packet)) }
        let compiledTable = plane.routeTables[Int(table)]
        let found: UInt32?
        if let prepared {
            found = prepared.route == RouteTrie.noRoute ? nil : prepared.route
        } else {
            found = plane.routeLookup.route(table: table, destination: packet.destination)
        }
        guard let local = found else {
            return .dropped(Drop(.noRouteToDestination, .routeTable, table, packet))
        }
        let routeIndex = compiledTable.routes.lower &+ local
        let route = plane.routes[Int(routeIndex)]
        if R.isRecording { recorder.record(.route(subnet: subnetIndex, table: table, route: routeIndex, packet: packet)) }
        let badState = Outcome.dropped(Drop(.badStateRoute, .routeTable, table, packet))
        if route.isBlackhole || route.target == .blackhole { return badState }

        // 3. Resolve the target.
        let next: NextHop
        var nextSubnet = noIndex
        // Toward a transit gateway attachment both ACLs apply, also inside one subnet (tgw-nacls).
        var bothACLs = false
        let t = route.targetIndex
        switch route.target {
        case .blackhole:
            return badState
        case .local:
            guard localOwner != noIndex else { return .dropped(Drop(.noPossibleDestination, .routeTable, table, packet)) }
            next = .local(localOwner)
            nextSubnet = plane.interfaces[Int(localOwner)].subnet
        case .internetGateway:
            guard plane.internetGateways[Int(t)] == vpc else { return badState }
            next = .internetGateway(t)
        case .natGateway:
            let nat = plane.natGateways[Int(t)]
            guard nat.subnet != noIndex, plane.subnets[Int(nat.subnet)].vpc == vpc else { return badState }
            next = .natGateway(t)
            nextSubnet = nat.subnet
        case .networkInterface:
            let eni = plane.interfaces[Int(t)]
            guard eni.vpc == vpc else { return badState }
            if eni.owner == .natGateway {
                let nat = plane.natGateways[Int(eni.ownerIndex)]
                next = .natGateway(eni.ownerIndex)
                nextSubnet = nat.subnet
            } else {
                next = .appliance(t)
                nextSubnet = eni.subnet
            }
        case .gatewayEndpoint:
            let endpoint = plane.endpoints[Int(t)]
            guard endpoint.isGateway, endpoint.vpc == vpc else { return badState }
            next = .gatewayEndpoint(t)
        case .peering:
            let (requester, accepter) = plane.peerings[Int(t)]
            let peer = requester == vpc ? accepter : (accepter == vpc ? requester : noIndex)
            guard vpc != noIndex, peer != noIndex else { return badState }
            next = .peering(t, peer: peer)
        case .transitGateway:
            let attachment = plane.attachment(ofVPC: vpc, on: t)
            guard attachment != noIndex else { return badState }
            // Resources in an AZ without an attachment subnet cannot reach the gateway.
            // https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
            let attachmentSubnet = self.subnet(of: attachment, inZone: subnet.zone)
            guard attachmentSubnet != noIndex else { return .dropped(Drop(.tgwAttachmentNotInAZ, .transitGateway, t, packet)) }
            next = .transitGateway(t, attachment: attachment, zone: subnet.zone)
            nextSubnet = attachmentSubnet
            bothACLs = true
        case .vpnGateway:
            guard plane.vpnGateways[Int(t)] == vpc else { return badState }
            next = .vpnGateway(t)
        }
        // 4./5. Network ACLs: leaving X (unless the next hop is in X), entering Y.
        if nextSubnet != subnetIndex || bothACLs {
            if !networkACLAllows(subnetIndex, packet, egress: true, &recorder) {
                return .dropped(Drop(.subnetACLRestriction, .subnet, subnetIndex, packet))
            }
            if nextSubnet != noIndex && !networkACLAllows(nextSubnet, packet, egress: false, &recorder) {
                return .dropped(Drop(.subnetACLRestriction, .subnet, nextSubnet, packet))
            }
        }
        // 6. Hand over.
        switch next {
        case .local(let owner): return arrive(at: owner, packet, &walk, &recorder)
        case .internetGateway(let gateway): return internetGatewayOutbound(gateway, vpc: vpc, packet, &walk, &recorder)
        case .natGateway(let nat):
            // §8 rule 4: a response routed into a NAT gateway would be translated as a new connection.
            if walk.direction == .response { return .dropped(Drop(.responsePathMismatch, .natGateway, nat, packet)) }
            return natGateway(nat, packet, &walk, &recorder)
        case .appliance(let eni): return appliance(eni, packet, &walk, &recorder)
        case .gatewayEndpoint(let endpoint): return gatewayEndpoint(endpoint, packet, direction: walk.direction, &recorder)
        case .peering(let connection, let peer): return peering(connection, into: peer, packet, &walk, &recorder)
        case .transitGateway(let gateway, let attachment, let zone):
            return transitGateway(gateway, from: attachment, zone: zone, packet, &walk, &recorder)
        case .vpnGateway(let gateway): return vpnGatewayOutbound(gateway, packet, &walk, &recorder)
        }
    }

    // MARK: - §5.2 / §5.7 internet gateway

    func internetGatewayOutbound<R: EvaluationRecorder>(_ gateway: UInt32, vpc: UInt32, _ packet: Packet, _ walk: inout Walk,
                                                        _ recorder: inout R) -> Outcome {
        guard IPv4Address(packet.destination).isPublic else {
            return .dropped(Drop(.igwDestinationNotPublic, .internetGateway, gateway, packet))
        }
        let owner = plane.owner(of: packet.source, inVPC: vpc)
        guard owner != noIndex, plane.interfaces[Int(owner)].primaryIP == packet.source, plane.interfaces[Int(owner)].hasPublicIP else {
            return .dropped(Drop(.igwPublicIPAssociationForEgress, .internetGateway, gateway, packet))
        }
        var outside = packet
        outside.source = plane.interfaces[Int(owner)].publicIP
        if R.isRecording { recorder.record(.internetGateway(gateway: gateway, outbound: true, before: packet, after: outside)) }
        // The public side: another interface's public IP, a known service, or the internet.
        let publicOwner = plane.publicOwner(of: outside.destination)
        if publicOwner != noIndex { return internetGatewayInbound(to: publicOwner, outside, &walk, &recorder) }
        let service = plane.service(containing: outside.destination)
        if walk.direction == .response {
            if service == noIndex, walk.flow.isFromInternet { return returnedToInternet(outside, walk) }
            return service == noIndex
                ? .dropped(Drop(.responsePathMismatch, .internet, 0, outside))
                : .dropped(Drop(.responsePathMismatch, .service, service, outside))
        }
        return .arrived(Arrival(place: service == noIndex ? .internet : .service(service), packet: outside, origin: .publicSide(gateway)))
    }

    /// §8 rule 6 for a flow from the internet: the response must come back from the address the
    /// request was sent to, to the client's port.
    func returnedToInternet(_ packet: Packet, _ walk: Walk) -> Outcome {
        let flow = walk.flow
        let matches = packet.destination == flow.externalSource && packet.source == flow.destination
            && (!packet.hasPorts || packet.destinationPort == flow.sourcePort)
        return matches ? .arrived(Arrival(place: .internet, packet: packet, origin: .publicSide(noIndex)))
                       : .dropped(Drop(.responsePathMismatch, .internet, 0, packet))
    }

    func internetGatewayInbound<R: EvaluationRecorder>(to owner: UInt32, _ packet: Packet, _ walk: inout Walk,
                                                       _ recorder: inout R) -> Outcome {
        let eni = plane.interfaces[Int(owner)]
        guard eni.vpc != noIndex, plane.vpcs[Int(eni.vpc)].internetGateway != noIndex else {
            return .dropped(Drop(.noPossibleDestination, .internet, 0, packet))
        }
        var inside = packet
        inside.destination = eni.primaryIP
        if R.isRecording {
            recorder.record(.internetGateway(gateway: plane.vpcs[Int(eni.vpc)].internetGateway, outbound: false, before: packet, after: inside))
        }
        guard networkACLAllows(eni.subnet, inside, egress: false, &recorder) else {
            return .dropped(Drop(.subnetACLRestriction, .subnet, eni.subnet, inside))
        }
        return arrive(at: owner, inside, &walk, &recorder)
    }

    // MARK: - §5.3 NAT gateway

    func natGateway<R: EvaluationRecorder>(_ nat: UInt32, _ packet: Packet, _ walk: inout Walk, _ recorder: inout R) -> Outcome {
        guard walk.visit(.natGateway, nat) else { return .dropped(Drop(.routingLoop, .natGateway, nat, packet)) }
        guard packet.ipProtocol == 6 || packet.ipProtocol == 17 || packet.ipProtocol == 1 else {
            return .dropped(Drop(.protocolRestriction, .natGateway, nat, packet))
        }
        let gateway = plane.natGateways[Int(nat)]
        var translated = packet
        translated.source = gateway.privateIP
        if packet.hasPorts { translated.sourcePort = Self.natPort(packet.source, packet.sourcePort) }
        walk.remember(NATTranslation(nat: nat, originalSource: packet.source, originalPort: packet.sourcePort))
        if R.isRecording { recorder.record(.natGateway(gateway: nat, before: packet, after: translated, reverse: false)) }
        return forward(translated, fromSubnet: gateway.subnet, &walk, &recorder)
    }

    // MARK: - §5.4 gateway endpoint, §5.5 peering, §5.6 transit gateway, §5.9 entering a VPC

    func gatewayEndpoint<R: EvaluationRecorder>(_ endpoint: UInt32, _ packet: Packet, direction: Direction, _ recorder: inout R) -> Outcome {
        if R.isRecording { recorder.record(.gatewayEndpoint(endpoint: endpoint, packet: packet)) }
        guard packet.ipProtocol == 6 else { return .dropped(Drop(.vpceGatewayProtocolRestriction, .vpcEndpoint, endpoint, packet)) }
        let service = plane.endpoints[Int(endpoint)].service
        guard plane.service(service, answersOn: packet.destination) else {
            return .dropped(Drop(.noPossibleDestination, .vpcEndpoint, endpoint, packet))
        }
        // A response routed here (its client's address lies in the service's range) ends at the
        // service, not at the client: §8 rule 5.
        if direction == .response { return .dropped(Drop(.responsePathMismatch, .service, service, packet)) }
        return .arrived(Arrival(place: .service(service), packet: packet, origin: .gatewayEndpoint(endpoint)))
    }

    func peering<R: EvaluationRecorder>(_ connection: UInt32, into peer: UInt32, _ packet: Packet, _ walk: inout Walk,
                                        _ recorder: inout R) -> Outcome {
        if R.isRecording { recorder.record(.peering(connection: connection, into: peer, packet: packet)) }
        guard plane.isInVPCCIDRs(packet.destination, vpc: peer) else {
            return .dropped(Drop(.pcxRequiresAddressInVPCCIDR, .peering, connection, packet))
        }
        return enterVPC(peer, packet, dropAt: (.peering, connection), &walk, &recorder)
    }

    /// §5.6: into transit gateway `gateway` from attachment `from` (global index), which entered in
    /// zone `zone` (noIndex for VPN, Direct Connect and peering attachments).
    func transitGateway<R: EvaluationRecorder>(_ gateway: UInt32, from ingress: UInt32, zone: UInt32, _ packet: Packet,
                                               _ walk: inout Walk, _ recorder: inout R) -> Outcome {
        guard walk.visit(.transitGateway, ingress) else { return .dropped(Drop(.routingLoop, .transitGateway, gateway, packet)) }
        let table = plane.tgwAttachments[Int(ingress)].routeTable
        guard table != noIndex else {
            if R.isRecording { recorder.record(.transitGateway(gateway: gateway, from: ingress, route: noIndex, exit: noIndex, packet: packet)) }
            return .dropped(Drop(.noRouteToDestination, .transitGateway, gateway, packet))
        }
        let compiledTable = plane.tgwRouteTables[Int(table)]
        guard let local = plane.routeLookup.route(table: compiledTable.trie, destination: packet.destination) else {
            if R.isRecording { recorder.record(.transitGateway(gateway: gateway, from: ingress, route: noIndex, exit: noIndex, packet: packet)) }
            return .dropped(Drop(.noRouteToDestination, .transitGateway, gateway, packet))
        }
        let routeIndex = compiledTable.routes.lower &+ local
        let exit = plane.tgwRoutes[Int(routeIndex)].attachment
        if R.isRecording { recorder.record(.transitGateway(gateway: gateway, from: ingress, route: routeIndex, exit: exit, packet: packet)) }
        guard exit != noIndex, plane.tgwAttachments[Int(exit)].resource != noIndex else {
            return .dropped(Drop(.tgwRTBBadStateRoute, .transitGateway, gateway, packet))
        }
        let leaving = plane.tgwAttachments[Int(exit)]
        var inside = packet
        if !plane.transitGateways[Int(gateway)].securityGroupReferencing { inside.groupIdentity = false }
        switch leaving.kind {
        case .vpc:
            // Appliance mode keeps both directions on the interface the request used; otherwise the
            // gateway stays in the zone the packet came from when it can.
            var exitSubnet = noIndex
            if leaving.applianceMode && walk.direction == .response { exitSubnet = walk.applianceExit(of: exit, in: plane) }
            if exitSubnet == noIndex { exitSubnet = subnet(of: exit, inZone: zone) }
            if exitSubnet == noIndex, !leaving.subnets.isEmpty { exitSubnet = plane.tgwAttachmentSubnets[Int(leaving.subnets.lower)] }
            // An attachment without subnets has no interface in any AZ to leave by.
            guard exitSubnet != noIndex else { return .dropped(Drop(.tgwAttachmentNotInAZ, .transitGateway, gateway, inside)) }
            if leaving.applianceMode && walk.direction == .request { walk.rememberApplianceExit(exit, subnet: exitSubnet) }
            // Out of the attachment's interface: a point in that subnet (transit through the VPC).
            return forward(inside, fromSubnet: exitSubnet, &walk, &recorder)
        case .vpn:
            let network = plane.onPremNetwork(holding: inside.destination, vpn: leaving.resource)
            guard network != noIndex else { return .dropped(Drop(.noPossibleDestination, .vpnConnection, leaving.resource, inside)) }
            return deliverOnPrem(network, inside, walk)
        case .directConnect:
            let network = plane.onPremNetwork(holding: inside.destination, directConnect: leaving.resource)
            guard network != noIndex else { return .dropped(Drop(.noPossibleDestination, .directConnectGateway, leaving.resource, inside)) }
            return deliverOnPrem(network, inside, walk)
        case .peering:
            let peer = leaving.resource
            // Security-group referencing does not cross a peering attachment.
            inside.groupIdentity = false
            for a in plane.transitGateways[Int(peer)].attachments.indices
            where plane.tgwAttachments[a].kind == .peering && plane.tgwAttachments[a].resource == gateway {
                return transitGateway(peer, from: UInt32(a), zone: noIndex, inside, &walk, &recorder)
            }
            return .dropped(Drop(.tgwRTBBadStateRoute, .transitGateway, gateway, inside))
        }
    }

    /// The attachment's subnet in `zone`, or noIndex.
    func subnet(of attachment: UInt32, inZone zone: UInt32) -> UInt32 {
        guard zone != noIndex else { return noIndex }
        for s in plane.tgwAttachments[Int(attachment)].subnets.indices where plane.subnets[Int(plane.tgwAttachmentSubnets[s])].zone == zone {
            return plane.tgwAttachmentSubnets[s]
        }
        return noIndex
    }

    func enterVPC<R: EvaluationRecorder>(_ vpc: UInt32, _ packet: Packet, dropAt: (HopKind, UInt32), _ walk: inout Walk,
                                         _ recorder: inout R) -> Outcome {
        let owner = vpc == noIndex ? noIndex : plane.owner(of: packet.destination, inVPC: vpc)
        guard owner != noIndex else { return .dropped(Drop(.noPossibleDestination, dropAt.0, dropAt.1, packet)) }
        let subnet = plane.interfaces[Int(owner)].subnet
        guard networkACLAllows(subnet, packet, egress: false, &recorder) else {
            return .dropped(Drop(.subnetACLRestriction, .subnet, subnet, packet))
        }
        return arrive(at: owner, packet, &walk, &recorder)
    }

    // MARK: - §5.8 appliance

    func appliance<R: EvaluationRecorder>(_ eniIndex: UInt32, _ packet: Packet, _ walk: inout Walk, _ recorder: inout R) -> Outcome {
        // §8 rule 7: a stateful appliance (and its groups' connection tracking) never saw this
        // connection — the asymmetric path a transit gateway takes across AZs without appliance mode.
        if walk.direction == .response && !walk.requestPassed(appliance: eniIndex) {
            return .dropped(Drop(.responsePathMismatch, .interface, eniIndex, packet))
        }
        guard walk.visit(.interface, eniIndex) else { return .dropped(Drop(.routingLoop, .interface, eniIndex, packet)) }
        let eni = plane.interfaces[Int(eniIndex)]
        if eni.sourceDestCheck && !holds(eniIndex, packet.destination) {
            if R.isRecording { recorder.record(.appliance(interface: eniIndex, packet: packet, ingress: .notReached, egress: .notReached)) }
            return .dropped(Drop(.eniSourceDestCheckRestriction, .interface, eniIndex, packet))
        }
        var ingress = SecurityGroupDecision.stateful, egress = SecurityGroupDecision.stateful
        if walk.direction == .request {
            ingress = securityGroups(of: eniIndex, packet, egress: false)
            egress = ingress == .denied ? .notReached : securityGroups(of: eniIndex, packet, egress: true)
        }
        if R.isRecording { recorder.record(.appliance(interface: eniIndex, packet: packet, ingress: ingress, egress: egress)) }
        if ingress == .denied || egress == .denied { return .dropped(Drop(.eniSGRulesMismatch, .interface, eniIndex, packet)) }
        var forwarded = packet
        forwarded.groupIdentity = false
        return forward(forwarded, fromSubnet: eni.subnet, &walk, &recorder)
    }

    func holds(_ eni: UInt32, _ address: UInt32) -> Bool {
        for a in plane.interfaces[Int(eni)].addresses.indices where plane.interfaceAddresses[a] == address { return true }
        return false
    }

    // MARK: - §6 arrival (request) and §8 rules 3, 5, 6 (response)

    func arrive<R: EvaluationRecorder>(at eniIndex: UInt32, _ packet: Packet, _ walk: inout Walk, _ recorder: inout R) -> Outcome {
        let eni = plane.interfaces[Int(eniIndex)]
        if walk.direction == .response { return arriveResponse(at: eniIndex, eni, packet, &walk, &recorder) }
        if eni.owner == .natGateway { return .dropped(Drop(.natGatewayUnsolicitedInbound, .natGateway, eni.ownerIndex, packet)) }
        let ingress = securityGroups(of: eniIndex, packet, egress: false)
        if R.isRecording { recorder.record(.arrive(interface: eniIndex, packet: packet, ingress: ingress)) }
        if ingress == .denied { return .dropped(Drop(.eniSGRulesMismatch, .interface, eniIndex, packet)) }
        switch eni.owner {
        case .endpoint:
            guard packet.ipProtocol == 6 else { return .dropped(Drop(.protocolRestriction, .vpcEndpoint, eni.ownerIndex, packet)) }
            return .arrived(Arrival(place: .interfaceEndpoint(endpoint: eni.ownerIndex, interface: eniIndex), packet: packet,
                                    origin: .interface(eniIndex)))
        case .loadBalancer:
            let listeners = plane.loadBalancers[Int(eni.ownerIndex)].listeners
            guard let l = listeners.indices.first(where: {
                plane.listeners[$0].accepts(ipProtocol: packet.ipProtocol, port: packet.destinationPort)
            }) else {
                return .dropped(Drop(.elbv2ListenersMismatch, .loadBalancer, eni.ownerIndex, packet))
            }
            if R.isRecording { recorder.record(.listener(loadBalancer: eni.ownerIndex, listener: UInt32(l))) }
            return .arrived(Arrival(place: .interface(eniIndex), packet: packet, origin: .interface(eniIndex)))
        default:
            return .arrived(Arrival(place: .interface(eniIndex), packet: packet, origin: .interface(eniIndex)))
        }
    }

    func arriveResponse<R: EvaluationRecorder>(at eniIndex: UInt32, _ eni: CompiledInterface, _ packet: Packet, _ walk: inout Walk,
                                               _ recorder: inout R) -> Outcome {
        if eni.owner == .natGateway {
            let nat = eni.ownerIndex
            guard let translation = walk.translation(by: nat) else {
                return .dropped(Drop(.natGatewayUnsolicitedInbound, .natGateway, nat, packet))
            }
            guard walk.visit(.natGateway, nat) else { return .dropped(Drop(.routingLoop, .natGateway, nat, packet)) }
            var restored = packet
            restored.destination = translation.originalSource
            if packet.hasPorts { restored.destinationPort = translation.originalPort }
            if R.isRecording { recorder.record(.natGateway(gateway: nat, before: packet, after: restored, reverse: true)) }
            return forward(restored, fromSubnet: plane.natGateways[Int(nat)].subnet, &walk, &recorder)
        }
        let flow = walk.flow
        guard !flow.isFromInternet, eniIndex == flow.source else {
            return .dropped(Drop(.responsePathMismatch, .interface, eniIndex, packet))
        }
        let matches = packet.source == flow.destination && (!packet.hasPorts || packet.destinationPort == flow.sourcePort)
        guard matches else { return .dropped(Drop(.responsePathMismatch, .interface, eniIndex, packet)) }
        if R.isRecording { recorder.record(.arrive(interface: eniIndex, packet: packet, ingress: .stateful)) }
        return .arrived(Arrival(place: .interface(eniIndex), packet: packet, origin: .interface(eniIndex)))
    }

    // MARK: - §8 response packet

    /// The response to a delivered request, or nil when the protocol has none (ICMP other than the
    /// query types: echo, timestamp, information, address mask).
    static func response(to delivered: Packet) -> Packet? {
        var reply = Packet(source: delivered.destination, destination: delivered.source, sourcePort: delivered.destinationPort,
                           destinationPort: delivered.sourcePort, ipProtocol: delivered.ipProtocol, icmpType: 0, icmpCode: 0,
                           groupIdentity: true)
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

    // MARK: - §3 matching

    /// Security groups of an interface (union; allow-only). Egress tests the destination address,
    /// ingress the source address; group references on ingress need preserved group identity.
    func securityGroups(of eniIndex: UInt32, _ packet: Packet, egress: Bool) -> SecurityGroupDecision {
        let groups = plane.interfaces[Int(eniIndex)].groups
        if groups.isEmpty { return .notFiltered }
        let address = egress ? packet.destination : packet.source
        for g in groups.indices {
            let group = plane.interfaceGroups[g]
            guard group != noIndex else { continue }
            let rules = egress ? plane.securityGroups[Int(group)].egress : plane.securityGroups[Int(group)].ingress
            for r in rules.indices {
                let rule = plane.securityGroupRules[r]
                guard protocolMatches(ruleProtocol: rule.ipProtocol, portLower: rule.portLower, portUpper: rule.portUpper,
                                      icmpType: rule.icmpType, icmpCode: rule.icmpCode, packet: packet) else { continue }
                let peerMatches: Bool
                switch rule.peer {
                case .cidr: peerMatches = rule.cidr.contains(address)
                case .prefixList: peerMatches = plane.prefixList(rule.peerIndex, contains: address)
                case .group: peerMatches = (egress || packet.groupIdentity) && plane.group(rule.peerIndex, hasMember: address)
                }
                if peerMatches { return .allowed(group: group, rule: UInt32(r)) }
            }
        }
        return .denied
    }

    /// The subnet's network ACL: first matching entry by rule number decides; no match denies.
    func networkACLAllows<R: EvaluationRecorder>(_ subnetIndex: UInt32, _ packet: Packet, egress: Bool, _ recorder: inout R) -> Bool {
        let acl = plane.subnets[Int(subnetIndex)].networkACL
        guard acl != noIndex else {
            if R.isRecording {
                recorder.record(.networkACL(subnet: subnetIndex, acl: noIndex, egress: egress, entry: noIndex, allowed: true, packet: packet))
            }
            return true
        }
        let entries = egress ? plane.networkACLs[Int(acl)].egress : plane.networkACLs[Int(acl)].ingress
        let address = egress ? packet.destination : packet.source
        for e in entries.indices {
            let entry = plane.aclEntries[e]
            guard protocolMatches(ruleProtocol: entry.ipProtocol, portLower: entry.portLower, portUpper: entry.portUpper,
                                  icmpType: entry.icmpType, icmpCode: entry.icmpCode, packet: packet),
                  entry.cidr.contains(address) else { continue }
            if R.isRecording {
                recorder.record(.networkACL(subnet: subnetIndex, acl: acl, egress: egress, entry: UInt32(e), allowed: entry.allow, packet: packet))
            }
            return entry.allow
        }
        if R.isRecording {
            recorder.record(.networkACL(subnet: subnetIndex, acl: acl, egress: egress, entry: noIndex, allowed: false, packet: packet))
        }
        return false
    }
}

// MARK: - Walk state

/// The two lookups of a flow's first hop from its source interface: the interface of the source's
/// VPC holding the destination (or noIndex) and the winning route of the source subnet's table
/// (table-local index, or `RouteTrie.noRoute`). Both are the memory-bound part of a walk on a large
/// network, so the BatchEvaluator does them for many flows at once.
public struct FirstHop: Sendable {
    public var localOwner: UInt32
    public var route: UInt32
    @inlinable public init(localOwner: UInt32, route: UInt32) { self.localOwner = localOwner; self.route = route }
}

extension Flow {
    /// (source port, destination port) as the packet carries them: zero unless TCP/UDP.
    @usableFromInline var hasPortsValue: (UInt16, UInt16) {
        ipProtocol == 6 || ipProtocol == 17 ? (sourcePort, destinationPort) : (0, 0)
    }
}

struct Drop {
    var reason: Reason
    var kind: HopKind
    var entity: UInt32
    var packet: Packet

    init(_ reason: Reason, _ kind: HopKind, _ entity: UInt32, _ packet: Packet) {
        self.reason = reason; self.kind = kind; self.entity = entity; self.packet = packet
    }

    func verdict(_ direction: Direction) -> Verdict {
        Verdict(reachable: false, reason: reason, dropKind: kind, dropEntity: entity, direction: direction)
    }
}

struct Arrival {
    enum Origin { case interface(UInt32), publicSide(UInt32), gatewayEndpoint(UInt32), onPrem(UInt32) }
    var place: Delivery
    var packet: Packet
    var origin: Origin
}

enum Outcome {
    case dropped(Drop)
    case arrived(Arrival)
}

struct NATTranslation {
    var nat: UInt32
    var originalSource: UInt32
    var originalPort: UInt16
}

/// Per-flow state: NAT gateways and appliances passed in the current direction (loop detection), and
/// the request's NAT translations (for the response). Eight inline slots each; more spill to an
/// array, which only a pathological chain of gateways needs.
struct Walk {
    let flow: Flow
    var direction = Direction.request
    /// The first hop's lookups, done ahead; used by the first `forward` only.
    var firstHop: FirstHop?
    private var visited = SIMD8<UInt32>(repeating: .max)
    private var visitedCount = 0
    private var visitedOverflow: [UInt32] = []
    private var translations: (NATTranslation?, NATTranslation?, NATTranslation?, NATTranslation?) = (nil, nil, nil, nil)
    private var translationOverflow: [NATTranslation] = []
    /// What the request passed, kept for the response (§8 rule 7).
    private var requestVisited = SIMD8<UInt32>(repeating: .max)
    private var requestVisitedCount = 0
    private var requestVisitedOverflow: [UInt32] = []

    init(flow: Flow) { self.flow = flow }

    mutating func takeFirstHop() -> FirstHop? {
        defer { firstHop = nil }
        return firstHop
    }

    mutating func startResponse() {
        direction = .response
        requestVisited = visited
        requestVisitedCount = visitedCount
        requestVisitedOverflow = visitedOverflow
        visited = SIMD8(repeating: .max)
        visitedCount = 0
        visitedOverflow.removeAll()
    }

    static func tag(_ kind: HopKind, _ index: UInt32) -> UInt32 {
        (kind == .natGateway ? 0x8000_0000 : (kind == .transitGateway ? 0x4000_0000 : 0)) | (index & 0x3FFF_FFFF)
    }

    /// Whether the request passed appliance interface `eni`.
    func requestPassed(appliance eni: UInt32) -> Bool {
        let tag = Self.tag(.interface, eni)
        for i in 0..<min(requestVisitedCount, 8) where requestVisited[i] == tag { return true }
        return requestVisitedOverflow.contains(tag)
    }

    /// Appliance-mode exits share the visited slots (kind bits 0xC…, the exit subnet): the walk stays
    /// as small as before, which the per-flow cost depends on.
    static let applianceExitTag: UInt32 = 0xC000_0000

    mutating func rememberApplianceExit(_ attachment: UInt32, subnet: UInt32) {
        let tag = Self.applianceExitTag | (subnet & 0x3FFF_FFFF)
        if visitedCount < 8 { visited[visitedCount] = tag } else { visitedOverflow.append(tag) }
        visitedCount += 1
    }

    /// The subnet the request first left by through appliance-mode attachment `attachment` (one of
    /// its subnets among the request's exits), or noIndex.
    func applianceExit(of attachment: UInt32, in plane: DataPlane) -> UInt32 {
        let subnets = plane.tgwAttachments[Int(attachment)].subnets
        func ours(_ tag: UInt32) -> UInt32? {
            guard tag & 0xC000_0000 == Self.applianceExitTag else { return nil }
            let subnet = tag & 0x3FFF_FFFF
            for s in subnets.indices where plane.tgwAttachmentSubnets[s] == subnet { return subnet }
            return nil
        }
        for i in 0..<min(requestVisitedCount, 8) { if let subnet = ours(requestVisited[i]) { return subnet } }
        for tag in requestVisitedOverflow { if let subnet = ours(tag) { return subnet } }
        return noIndex
    }

    /// Marks a NAT gateway, appliance or transit gateway attachment (entered from) as passed; false
    /// when it already was in this direction (a loop).
    mutating func visit(_ kind: HopKind, _ index: UInt32) -> Bool {
        let tag = Self.tag(kind, index)
        for i in 0..<min(visitedCount, 8) where visited[i] == tag { return false }
        if visitedOverflow.contains(tag) { return false }
        if visitedCount < 8 { visited[visitedCount] = tag } else { visitedOverflow.append(tag) }
        visitedCount += 1
        return true
    }

    mutating func remember(_ translation: NATTranslation) {
        if translations.0 == nil { translations.0 = translation }
        else if translations.1 == nil { translations.1 = translation }
        else if translations.2 == nil { translations.2 = translation }
        else if translations.3 == nil { translations.3 = translation }
        else { translationOverflow.append(translation) }
    }

    func translation(by nat: UInt32) -> NATTranslation? {
        // Checked slot by slot: no array is built on the per-flow path.
        if let t = translations.0, t.nat == nat { return t }
        if let t = translations.1, t.nat == nat { return t }
        if let t = translations.2, t.nat == nat { return t }
        if let t = translations.3, t.nat == nat { return t }
        return translationOverflow.first { $0.nat == nat }
    }
}
