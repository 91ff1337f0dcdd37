import VPCModel

// The generator's optional additions (`RandomNetwork.Options`): transit gateway hubs as AWS networks
// build them, and hybrid edges with on-premises networks. They run on a finished base network and
// draw from the same generator, only when their option is on.

extension RandomNetwork {
    /// The id prefix of the hub transit gateways the `transit` option adds (base networks have none).
    public static let hubPrefix = "tgw-hub-"

    /// Interfaces of other VPCs attached to the same hub transit gateway as `source`'s VPC (not NAT
    /// gateways'): destinations whose path crosses the hub. Empty in base networks.
    static func acrossHub(_ network: Network, from source: NetworkInterface) -> [NetworkInterface] {
        let vpcOf = { (eni: NetworkInterface) in network.subnets.first { $0.id == eni.subnetID }?.vpcID ?? "" }
        let home = vpcOf(source)
        let hubs = network.transitGateways.filter { $0.id.hasPrefix(hubPrefix) }
        let members = Set(hubs.filter { $0.attachments.contains { $0.vpcID == home } }.flatMap { $0.attachments.compactMap(\.vpcID) })
        return network.interfaces.filter { eni in
            if case .natGateway = eni.owner { return false }
            let vpc = vpcOf(eni)
            return vpc != home && members.contains(vpc)
        }
    }

    /// Every range on the far side of a hybrid edge: on-premises CIDRs, VPN static routes and BGP
    /// prefixes, Direct Connect prefixes (some of which no on-premises network holds).
    public static func onPremRanges(_ network: Network) -> [CIDR] {
        var ranges: [CIDR] = []
        for range in network.onPremNetworks.flatMap(\.cidrs) + network.vpnConnections.flatMap(\.prefixes)
            + network.directConnectGateways.flatMap(\.prefixes) where !ranges.contains(range) {
            ranges.append(range)
        }
        return ranges
    }

    /// Flows that start in an on-premises network (§4c): from an address of the network (now and then
    /// one of another network, or outside all of them) to interfaces' private IPs (mostly in the VPCs its
    /// edge leads to) and public IPs, the internet, VPC ranges, NAT gateways and other on-premises
    /// addresses. Empty without on-premises networks.
    public static func randomOnPremFlows(_ network: Network, count: Int, rng: inout SplitMix64) -> [OracleFlow] {
        guard !network.onPremNetworks.isEmpty else { return [] }
        let privateIPs = network.interfaces.filter {
            if case .natGateway = $0.owner { return false }
            return true
        }.flatMap(\.privateIPs)
        let publicIPs = network.interfaces.compactMap(\.publicIP)
        let vpcRanges = network.vpcs.flatMap(\.cidrs)
        let farRanges = onPremRanges(network)
        var flows: [OracleFlow] = []
        for _ in 0..<count {
            let index = rng.int(0...(network.onPremNetworks.count - 1))
            let home = network.onPremNetworks[index]
            let client: IPv4Address
            switch rng.int(0...99) {
            case 0..<85: client = rng.anyOf(home.cidrs).map { host(in: $0, &rng) } ?? IPv4Address(192, 168, 0, 9)
            case 85..<95: client = rng.anyOf(farRanges).map { host(in: $0, &rng) } ?? IPv4Address(192, 168, 0, 9)
            default: client = randomPublic(&rng)
            }
            let near = nearInterfaces(network, home).flatMap(\.privateIPs)
            let destination: IPv4Address
            switch rng.int(0...99) {
            case 0..<30: destination = rng.anyOf(near) ?? rng.anyOf(privateIPs) ?? IPv4Address(10, 0, 0, 9)
            case 30..<50: destination = rng.anyOf(privateIPs) ?? IPv4Address(10, 0, 0, 9)
            case 50..<58: destination = rng.anyOf(publicIPs) ?? randomPublic(&rng)
            case 58..<68: destination = rng.chance(0.5) ? IPv4Address(8, 8, 8, 8) : randomPublic(&rng)
            case 68..<80: destination = rng.anyOf(vpcRanges).map { host(in: $0, &rng) } ?? IPv4Address(10, 0, 0, 1)
            case 80..<90: destination = rng.anyOf(farRanges).map { host(in: $0, &rng) } ?? IPv4Address(192, 168, 0, 1)
            default: destination = rng.anyOf(network.natGateways)?.privateIP ?? rng.anyOf(privateIPs) ?? IPv4Address(10, 0, 0, 9)
            }
            let protocolRoll = rng.int(0...99)
            let ipProtocol: UInt8 = protocolRoll < 50 ? 6 : (protocolRoll < 72 ? 17 : (protocolRoll < 92 ? 1 : (rng.anyOf([47, 50, 132]) ?? 47)))
            let destinationPort = rng.chance(0.85) ? (rng.anyOf(edgePorts) ?? 443) : UInt16(rng.int(0...65535))
            let sourcePorts: [UInt16] = [1024, 32768, 40000, 60999, 61000, 65535]
            let sourcePort = rng.chance(0.8) ? (rng.anyOf(sourcePorts) ?? 40000) : UInt16(rng.int(0...65535))
            let hasPorts = ipProtocol == 6 || ipProtocol == 17
            flows.append(.fromOnPrem(index, client, to: destination, ipProtocol: ipProtocol,
                                     sourcePort: hasPorts ? sourcePort : 0, destinationPort: hasPorts ? destinationPort : 0,
                                     icmpType: ipProtocol == 1 ? (rng.anyOf([8, 8, 8, 0, 3, 13]) ?? 8) : 0,
                                     icmpCode: ipProtocol == 1 ? (rng.anyOf([0, 0, 1]) ?? 0) : 0))
        }
        return flows
    }
}

extension RandomNetwork {
    /// The interfaces (not NAT gateways') of the VPCs an on-premises network's edge leads to: its virtual
    /// private gateways' VPCs, or the VPCs attached to its transit gateways.
    static func nearInterfaces(_ network: Network, _ onPrem: OnPremNetwork) -> [NetworkInterface] {
        var gateways: [String] = [], tgws: [String] = []
        switch onPrem.via {
        case .vpnConnection(let id):
            switch network.vpnConnections.first(where: { $0.id == id })?.gateway {
            case .vpnGateway(let gateway): gateways = [gateway]
            case .transitGateway(let tgw): tgws = [tgw]
            case nil: break
            }
        case .directConnectGateway(let id):
            let dx = network.directConnectGateways.first { $0.id == id }
            gateways = dx?.vpnGatewayIDs ?? []
            tgws = dx?.transitGatewayIDs ?? []
        }
        let vpcIDs = network.vpnGateways.filter { gateways.contains($0.id) }.compactMap(\.vpcID)
            + network.transitGateways.filter { tgws.contains($0.id) }.flatMap { $0.attachments.compactMap(\.vpcID) }
        return network.interfaces.filter { eni in
            if case .natGateway = eni.owner { return false }
            return vpcIDs.contains(network.subnets.first { $0.id == eni.subnetID }?.vpcID ?? "")
        }
    }
}

extension RandomNetwork.Builder {
    /// What an attachment is for, which decides the table it is usually associated with.
    enum AttachmentRole { case spoke, egress, inspection, edge, peering }

    static func range(_ text: String) -> CIDR {
        guard let cidr = CIDR(text) else { preconditionFailure("bad CIDR \(text)") }
        return cidr
    }

    // MARK: Small pieces

    /// Adds `route` to table `tableID`, replacing a route of the same destination and origin (one per table).
    mutating func setRoute(_ route: Route, inTable tableID: String) {
        guard let index = network.routeTables.firstIndex(where: { $0.id == tableID }) else { return }
        network.routeTables[index].routes.removeAll { $0.destination == route.destination && $0.origin == route.origin }
        network.routeTables[index].routes.append(route)
    }

    /// A VPC of the additions with its default ACL (mostly allow-all) and one security group.
    mutating func addVPC(_ id: String, _ cidr: CIDR, region: String, groupIngress: [SecurityGroupRule]) -> VPC {
        let vpc = VPC(id: id, name: id, region: region, cidrs: [cidr])
        network.vpcs.append(vpc)
        let allowAll = rng.chance(0.75)
        network.networkACLs.append(NetworkACL(id: "acl-\(id)-default", name: "acl-\(id)-default", vpcID: id, isDefault: true,
                                              ingress: allowAll ? NetworkACL.allowAllEntries() : randomACLEntries(),
                                              egress: allowAll ? NetworkACL.allowAllEntries() : randomACLEntries()))
        network.securityGroups.append(SecurityGroup(id: "sg-\(id)-0", name: "sg-\(id)-0", vpcID: id, ingress: groupIngress))
        return vpc
    }

    mutating func addSubnet(_ id: String, _ vpc: VPC, _ cidr: CIDR, zone: String, table: String?) -> Subnet {
        let subnet = Subnet(id: id, name: id, vpcID: vpc.id, cidr: cidr, availabilityZone: zone, routeTableID: table)
        network.subnets.append(subnet)
        return subnet
    }

    /// A route table with the VPC's local route(s) first.
    mutating func addTable(_ id: String, _ vpc: VPC, main: Bool = false, _ routes: [Route]) {
        network.routeTables.append(RouteTable(id: id, name: id, vpcID: vpc.id, isMain: main,
                                              routes: vpc.cidrs.map { Route(destination: .cidr($0), target: .local) } + routes))
    }

    /// An own ACL (random entries) on `subnetIDs`, now and then: ACLs on attachment subnets.
    mutating func maybeACL(_ id: String, _ vpc: VPC, on subnetIDs: [String], probability: Double) {
        guard rarely(probability) else { return }
        network.networkACLs.append(NetworkACL(id: id, name: id, vpcID: vpc.id, isDefault: false,
                                              ingress: randomACLEntries(), egress: randomACLEntries()))
        for index in network.subnets.indices where subnetIDs.contains(network.subnets[index].id) {
            network.subnets[index].networkACLID = id
        }
    }

    mutating func addPublicNAT(_ id: String, in subnet: Subnet) {
        let privateIP = allocate(in: subnet), eip = allocatePublic()
        network.interfaces.append(NetworkInterface(id: "eni-\(id)", name: "eni-\(id)", subnetID: subnet.id, privateIPs: [privateIP],
                                                   publicIP: eip, publicIPIsElastic: true, securityGroupIDs: [],
                                                   sourceDestCheck: false, owner: .natGateway(id)))
        network.natGateways.append(NATGateway(id: id, name: id, subnetID: subnet.id, connectivity: .public, privateIP: privateIP,
                                              elasticIP: eip, interfaceID: "eni-\(id)"))
    }

    mutating func addInstance(_ id: String, in subnet: Subnet, publicIP: Bool = false, sourceDestCheck: Bool = true) {
        network.interfaces.append(NetworkInterface(id: id, name: id, subnetID: subnet.id, privateIPs: [allocate(in: subnet)],
                                                   publicIP: publicIP ? allocatePublic() : nil, securityGroupIDs: ["sg-\(subnet.vpcID)-0"],
                                                   sourceDestCheck: sourceDestCheck))
    }

    /// One subnet per AZ the VPC uses, each AZ kept with probability `keep` (at least one): attachment
    /// subnets that cover only some AZs.
    mutating func attachmentSubnets(of vpc: VPC, keep: Double) -> [String] {
        var zones: Set<String> = []
        var chosen: [String] = []
        for subnet in subnets(of: vpc) where zones.insert(subnet.availabilityZone).inserted {
            if rng.chance(keep) { chosen.append(subnet.id) }
        }
        if chosen.isEmpty, let first = subnets(of: vpc).first { chosen = [first.id] }
        return chosen
    }

    /// A rule set for the additions' groups: mostly open to the private ranges, sometimes random.
    mutating func additionGroupIngress(_ vpc: VPC?) -> [SecurityGroupRule] {
        if rng.chance(0.75) {
            let broad: [CIDR] = [.any, Self.range("10.0.0.0/8"), Self.range("192.168.0.0/16")]
            return [SecurityGroupRule(ipProtocol: rng.chance(0.8) ? .all : .tcp, peer: .cidr(rng.anyOf(broad) ?? .any))]
        }
        guard let vpc else { return [] }
        return (0..<rng.int(1...3)).map { _ in randomSGRule(for: vpc) }
    }

    /// In a tidy hub (drawn per network) the choices that make paths work are all made the working way:
    /// associations and propagations by role, default routes, open inspection appliances, no extra
    /// blackholes or ACLs. Untidy hubs draw each of them. Both kinds keep attachment subnets in only some AZs.
    mutating func usually(_ probability: Double) -> Bool { tidyTransit || rng.chance(probability) }
    mutating func rarely(_ probability: Double) -> Bool { !tidyTransit && rng.chance(probability) }

    // MARK: The hub

    /// A hub transit gateway in the first VPC's region: the region's VPCs as spokes (attachment subnets in
    /// some of their AZs), often an egress VPC and an inspection VPC, 1–3 route tables with varied
    /// associations, propagations and routes, the spokes' default routes to the hub, and sometimes a
    /// peering with a transit gateway in the other region.
    mutating func makeTransitHub() {
        guard let region = network.vpcs.first?.region, rng.chance(0.9) else { return }
        tidyTransit = rng.chance(0.4)
        let hubID = RandomNetwork.hubPrefix + region
        let spokes = network.vpcs.filter { $0.region == region && usually(0.9) }
        var attachments: [(TransitGateway.Attachment, AttachmentRole)] = spokes.map { spoke in
            (TransitGateway.Attachment(id: "tgw-attach-hub-\(spoke.id)", vpcID: spoke.id, subnetIDs: attachmentSubnets(of: spoke, keep: 0.7)), .spoke)
        }
        var egressID: String?, inspectionID: String?
        if rng.chance(0.6) {
            let attachment = makeEgressVPC(region: region, hubID: hubID, spokes: spokes)
            egressID = attachment.id
            attachments.append((attachment, .egress))
        }
        if rng.chance(0.5) {
            let attachment = makeInspectionVPC(region: region, hubID: hubID)
            inspectionID = attachment.id
            attachments.append((attachment, .inspection))
        }
        // Inspection needs the spokes' table apart from the one their CIDRs propagate into (else traffic bypasses it).
        let tableCount = inspectionID == nil || rng.chance(0.15) ? rng.int(1...3) : rng.int(2...3)
        let tableNames = ["spokes", "shared", "firewall"]
        var tables = (0..<tableCount).map { TransitGateway.RouteTable(id: "tgw-rtb-hub-\(region)-\(tableNames[$0])", name: "hub-\(tableNames[$0])") }
        associateAndPropagate(&attachments, tables: tables)
        // Routes: the spokes' table sends everything to inspection or egress; the others to egress.
        let spokeRanges = spokes.flatMap(\.cidrs)
        for index in tables.indices {
            var routes: [TransitGateway.Route] = []
            let defaultTarget = index == 0 ? (inspectionID ?? egressID) : (egressID ?? inspectionID)
            let associated = attachments.filter { $0.0.routeTableID == tables[index].id }.map(\.1)
            let wantsDefault: Bool
            if tidyTransit {
                // The spokes' table, and the one the inspection VPC (not the egress VPC) sends from, when there is an egress.
                wantsDefault = index == 0 || (egressID != nil && associated.contains(.inspection) && !associated.contains(.egress))
            } else {
                wantsDefault = rng.chance(index == 0 ? 0.85 : 0.6)
            }
            if let defaultTarget, wantsDefault { routes.append(.init(destination: .any, attachmentID: defaultTarget)) }
            if rarely(0.25) {
                let hole = rng.chance(0.5) ? (rng.anyOf(spokeRanges) ?? Self.range("10.0.0.0/8")) : Self.range("10.0.0.0/8")
                routes.append(.init(destination: hole, attachmentID: nil))
            }
            if rarely(0.3), let listID = customerLists[region] {
                routes.append(.init(destination: .prefixList(listID), attachmentID: rng.chance(0.3) ? nil : rng.anyOf(attachments)?.0.id))
            }
            if rarely(0.25), let range = rng.anyOf(spokeRanges) {
                routes.append(.init(destination: range, attachmentID: rng.anyOf(attachments)?.0.id))
            }
            if rarely(0.1), let attachment = rng.anyOf(attachments)?.0, let vpcID = attachment.vpcID,
               let range = network.vpcs.first(where: { $0.id == vpcID })?.cidrs.first {
                routes.append(.init(destination: range, attachmentID: attachment.id, propagated: true))
            }
            tables[index].routes = routes
        }
        network.transitGateways.append(TransitGateway(id: hubID, name: hubID, region: region, attachments: attachments.map(\.0),
                                                      routeTables: tables, securityGroupReferencing: rng.chance(0.3)))
        // The spokes route to the hub: their default route, the private aggregate, other spokes.
        for spoke in spokes {
            for table in network.routeTables where table.vpcID == spoke.id {
                if usually(0.8) { setRoute(Route(destination: .cidr(.any), target: .transitGateway(hubID)), inTable: table.id) }
                if rng.chance(0.4) { setRoute(Route(destination: .cidr(Self.range("10.0.0.0/8")), target: .transitGateway(hubID)), inTable: table.id) }
                for other in spokes where other.id != spoke.id && rng.chance(0.3) {
                    for range in other.cidrs { setRoute(Route(destination: .cidr(range), target: .transitGateway(hubID)), inTable: table.id) }
                }
            }
        }
        // Groups that admit the other spokes (base groups name 10.0.0.0/8 only now and then).
        admit(Self.range("10.0.0.0/8"), inGroupsOf: spokes.map(\.id))
        if rng.chance(0.45), let remoteRegion = RandomNetwork.regions.first(where: { $0 != region }) {
            makeTransitPeering(hubID: hubID, region: region, remoteRegion: remoteRegion, spokes: spokes)
        }
    }

    /// Associations (mostly the table of the attachment's role, sometimes another, rarely none) and
    /// propagations (spokes mostly into the non-spoke tables; the rest now and then anywhere).
    mutating func associateAndPropagate(_ attachments: inout [(TransitGateway.Attachment, AttachmentRole)], tables: [TransitGateway.RouteTable]) {
        let last = tables.count - 1
        for index in attachments.indices {
            let role = attachments[index].1
            let preferred: Int
            switch role {
            case .spoke, .peering: preferred = 0
            case .egress, .edge: preferred = min(1, last)
            case .inspection: preferred = min(2, last)
            }
            if rarely(0.05) {
                attachments[index].0.routeTableID = nil
            } else {
                attachments[index].0.routeTableID = tables[usually(0.8) ? preferred : rng.int(0...last)].id
            }
            attachments[index].0.propagatesTo = tables.indices.filter { table in
                switch role {
                case .spoke: return tidyTransit ? tables.count == 1 || table != 0 : rng.chance(tables.count == 1 ? 0.85 : (table == 0 ? 0.25 : 0.85))
                case .peering: return rng.chance(0.15)
                default: return rng.chance(table == 0 ? 0.6 : 0.4)
                }
            }.map { tables[$0].id }
        }
    }

    /// Centralized egress: attachment subnets whose table sends 0.0.0.0/0 to a NAT gateway in the same
    /// AZ (or AZ a's), public subnets whose table sends 0.0.0.0/0 to the internet gateway and the spokes'
    /// CIDRs back to the hub.
    mutating func makeEgressVPC(region: String, hubID: String, spokes: [VPC]) -> TransitGateway.Attachment {
        let vpc = addVPC("vpc-egress", Self.range("10.20.0.0/16"), region: region, groupIngress: additionGroupIngress(nil))
        network.internetGateways.append(InternetGateway(id: "igw-egress", name: "igw-egress", vpcID: vpc.id))
        addTable("rtb-vpc-egress-main", vpc, main: true, [])
        var publicRoutes = [Route(destination: .cidr(.any), target: .internetGateway("igw-egress"))]
        for range in spokes.flatMap(\.cidrs) where usually(0.9) {
            publicRoutes.append(Route(destination: .cidr(range), target: .transitGateway(hubID)))
        }
        addTable("rtb-vpc-egress-public", vpc, publicRoutes)
        let letters = rng.chance(0.5) ? ["a", "b"] : ["a"]
        var attachmentSubnets: [String] = []
        var nats: [String] = []
        for (offset, letter) in letters.enumerated() {
            let zone = region + letter
            let publicSubnet = addSubnet("subnet-egress-public-\(letter)", vpc, CIDR(masking: IPv4Address(10, 20, UInt8(10 + offset), 0), length: 24),
                                         zone: zone, table: "rtb-vpc-egress-public")
            if nats.isEmpty || rng.chance(0.6) {
                addPublicNAT("nat-egress-\(letter)", in: publicSubnet)
                nats.append("nat-egress-\(letter)")
            }
            if rng.chance(0.3) { addInstance("eni-egress-bastion-\(letter)", in: publicSubnet, publicIP: true) }
            let tableID = "rtb-vpc-egress-tgw-\(letter)"
            addTable(tableID, vpc, [Route(destination: .cidr(.any), target: .natGateway(nats.last ?? "nat-egress-a"))])
            let attachmentSubnet = addSubnet("subnet-egress-tgw-\(letter)", vpc, CIDR(masking: IPv4Address(10, 20, UInt8(offset), 0), length: 24),
                                             zone: zone, table: tableID)
            attachmentSubnets.append(attachmentSubnet.id)
        }
        maybeACL("acl-vpc-egress-tgw", vpc, on: attachmentSubnets, probability: 0.3)
        return TransitGateway.Attachment(id: "tgw-attach-hub-vpc-egress", vpcID: vpc.id, subnetIDs: attachmentSubnets)
    }

    /// Inspection: in AZs a and b an attachment subnet whose table sends 0.0.0.0/0 to that AZ's appliance
    /// (sometimes the other AZ's), and an appliance subnet whose (main) table sends 0.0.0.0/0 back to the hub.
    mutating func makeInspectionVPC(region: String, hubID: String) -> TransitGateway.Attachment {
        let vpc = addVPC("vpc-inspection", Self.range("10.21.0.0/16"), region: region, groupIngress: [])
        let ingress: [SecurityGroupRule] = usually(0.8) ? [SecurityGroupRule(ipProtocol: .all, peer: .cidr(.any))]
            : (0..<rng.int(1...3)).map { _ in randomSGRule(for: vpc) }
        if let index = network.securityGroups.firstIndex(where: { $0.id == "sg-\(vpc.id)-0" }) { network.securityGroups[index].ingress = ingress }
        addTable("rtb-vpc-inspection-main", vpc, main: true, [Route(destination: .cidr(.any), target: .transitGateway(hubID))])
        let letters = ["a", "b"]
        var appliances: [String] = []
        var applianceSubnets: [String] = []
        for (offset, letter) in letters.enumerated() {
            let subnet = addSubnet("subnet-inspection-fw-\(letter)", vpc, CIDR(masking: IPv4Address(10, 21, UInt8(10 + offset), 0), length: 24),
                                   zone: region + letter, table: nil)
            addInstance("eni-fw-\(letter)", in: subnet, sourceDestCheck: rarely(0.1))
            appliances.append("eni-fw-\(letter)")
            applianceSubnets.append(subnet.id)
        }
        var attachmentSubnets: [String] = []
        for (offset, letter) in letters.enumerated() {
            let tableID = "rtb-vpc-inspection-tgw-\(letter)"
            let appliance = usually(0.85) ? appliances[offset] : appliances[1 - offset]
            addTable(tableID, vpc, [Route(destination: .cidr(.any), target: .networkInterface(appliance))])
            let subnet = addSubnet("subnet-inspection-tgw-\(letter)", vpc, CIDR(masking: IPv4Address(10, 21, UInt8(offset), 0), length: 24),
                                   zone: region + letter, table: tableID)
            attachmentSubnets.append(subnet.id)
        }
        maybeACL("acl-vpc-inspection-tgw", vpc, on: attachmentSubnets, probability: 0.3)
        maybeACL("acl-vpc-inspection-fw", vpc, on: applianceSubnets, probability: 0.2)
        return TransitGateway.Attachment(id: "tgw-attach-hub-vpc-inspection", vpcID: vpc.id, subnetIDs: attachmentSubnets,
                                         applianceMode: rng.chance(0.5))
    }

    /// A transit gateway in `remoteRegion` with a VPC of its own, peered with the hub: static routes both
    /// ways (peerings carry no propagations), sometimes missing.
    mutating func makeTransitPeering(hubID: String, region: String, remoteRegion: String, spokes: [VPC]) {
        let remoteID = RandomNetwork.hubPrefix + remoteRegion
        let vpc = addVPC("vpc-remote", Self.range("10.22.0.0/16"), region: remoteRegion, groupIngress: additionGroupIngress(nil))
        let target: CIDR = rng.chance(0.8) ? .any : Self.range("10.0.0.0/8")
        addTable("rtb-vpc-remote-main", vpc, main: true, [Route(destination: .cidr(target), target: .transitGateway(remoteID))])
        let appA = addSubnet("subnet-remote-app-a", vpc, Self.range("10.22.1.0/24"), zone: remoteRegion + "a", table: nil)
        let appB = addSubnet("subnet-remote-app-b", vpc, Self.range("10.22.2.0/24"), zone: remoteRegion + "b", table: nil)
        let attachmentSubnet = addSubnet("subnet-remote-tgw-a", vpc, Self.range("10.22.10.0/24"), zone: remoteRegion + "a", table: nil)
        addInstance("eni-remote-a", in: appA)
        if rng.chance(0.6) { addInstance("eni-remote-b", in: appB) }
        maybeACL("acl-vpc-remote-tgw", vpc, on: [attachmentSubnet.id], probability: 0.2)

        let hubPeer = "tgw-attach-peer-\(region)-\(remoteRegion)", remotePeer = "tgw-attach-peer-\(remoteRegion)-\(region)"
        let tableID = "tgw-rtb-remote-\(remoteRegion)"
        var remoteRoutes: [TransitGateway.Route] = []
        if rng.chance(0.3) {
            remoteRoutes.append(.init(destination: Self.range("10.0.0.0/8"), attachmentID: remotePeer))
        } else {
            for range in spokes.flatMap(\.cidrs) where rng.chance(0.85) { remoteRoutes.append(.init(destination: range, attachmentID: remotePeer)) }
        }
        network.transitGateways.append(TransitGateway(
            id: remoteID, name: remoteID, region: remoteRegion,
            attachments: [
                TransitGateway.Attachment(id: "tgw-attach-remote-vpc-remote", vpcID: vpc.id,
                                          subnetIDs: rng.chance(0.7) ? [attachmentSubnet.id] : [attachmentSubnet.id, appB.id],
                                          routeTableID: rng.chance(0.95) ? tableID : nil, propagatesTo: rng.chance(0.9) ? [tableID] : []),
                TransitGateway.Attachment(id: remotePeer, resource: .peering(transitGatewayID: hubID), routeTableID: rng.chance(0.95) ? tableID : nil),
            ],
            routeTables: [TransitGateway.RouteTable(id: tableID, name: "remote", routes: remoteRoutes)]))

        guard let hubIndex = network.transitGateways.firstIndex(where: { $0.id == hubID }) else { return }
        var hub = network.transitGateways[hubIndex]
        var peer = TransitGateway.Attachment(id: hubPeer, resource: .peering(transitGatewayID: remoteID))
        peer.routeTableID = rng.chance(0.95) ? hub.routeTables.first?.id : nil
        hub.attachments.append(peer)
        for index in hub.routeTables.indices where rng.chance(0.7) {
            hub.routeTables[index].routes.append(.init(destination: Self.range("10.22.0.0/16"), attachmentID: hubPeer))
        }
        network.transitGateways[hubIndex] = hub
    }

    // MARK: Hybrid edges

    /// A VPN connection (and sometimes a Direct Connect gateway) to a virtual private gateway of one VPC,
    /// with route propagation or static routes; a VPN connection (and sometimes Direct Connect) attached
    /// to a transit gateway (the hub when there is one); the on-premises networks behind them.
    mutating func makeHybridEdges() {
        if rng.chance(0.6), let vpc = rng.anyOf(network.vpcs) {
            let gatewayID = "vgw-\(vpc.id)"
            let attached = rng.chance(0.9)
            network.vpnGateways.append(VPNGateway(id: gatewayID, name: gatewayID, vpcID: attached ? vpc.id : nil))
            network.customerGateways.append(CustomerGateway(id: "cgw-dc", name: "cgw-dc", ipAddress: IPv4Address(198, 51, 100, 10), asn: 65010))
            let dc = Self.range("192.168.0.0/20")
            let staticRoutes = rng.chance(0.6) ? [dc] : []
            var bgp: [CIDR] = staticRoutes.isEmpty || rng.chance(0.4)
                ? (rng.chance(0.5) ? [dc] : [Self.range("192.168.0.0/24"), Self.range("192.168.1.0/24")]) : []
            if rng.chance(0.25) { bgp.append(Self.range("192.168.64.0/20")) }  // advertised, but no network holds it
            network.vpnConnections.append(VPNConnection(id: "vpn-dc", name: "vpn-dc", customerGatewayID: "cgw-dc",
                                                        gateway: .vpnGateway(gatewayID), staticRoutes: staticRoutes, bgpPrefixes: bgp))
            network.onPremNetworks.append(OnPremNetwork(name: "dc", cidrs: [dc], via: .vpnConnection("vpn-dc")))
            for index in network.routeTables.indices where network.routeTables[index].vpcID == vpc.id {
                if attached && rng.chance(0.6) { network.routeTables[index].propagatingGatewayIDs = [gatewayID] }
                if rng.chance(attached ? 0.25 : 0.5) {
                    let id = network.routeTables[index].id
                    setRoute(Route(destination: .cidr(Self.range("192.168.0.0/16")), target: .vpnGateway(gatewayID)), inTable: id)
                }
            }
            if rng.chance(0.35) {
                network.directConnectGateways.append(DirectConnectGateway(id: "dxgw-dc2", name: "dxgw-dc2", vpnGatewayIDs: [gatewayID],
                                                                          prefixes: [Self.range("10.200.0.0/16")]))
                network.onPremNetworks.append(OnPremNetwork(name: "dc2", cidrs: [Self.range("10.200.0.0/16")], via: .directConnectGateway("dxgw-dc2")))
            }
            admit(Self.range("192.168.0.0/16"), inGroupsOf: [vpc.id])
        }
        let tgwIndex = network.transitGateways.firstIndex { $0.id.hasPrefix(RandomNetwork.hubPrefix) } ?? network.transitGateways.indices.first
        guard let tgwIndex, rng.chance(0.7) else { return }
        let tgwID = network.transitGateways[tgwIndex].id
        let tableIDs = network.transitGateways[tgwIndex].routeTables.map(\.id)
        let office = Self.range("192.168.16.0/20")
        network.customerGateways.append(CustomerGateway(id: "cgw-office", name: "cgw-office", ipAddress: IPv4Address(198, 51, 100, 20), asn: 65020))
        var bgp: [CIDR] = rng.chance(0.5) ? [office] : []
        if rng.chance(0.25) { bgp.append(Self.range("192.168.96.0/20")) }  // advertised, but no network holds it
        network.vpnConnections.append(VPNConnection(id: "vpn-office", name: "vpn-office", customerGatewayID: "cgw-office",
                                                    gateway: .transitGateway(tgwID), staticRoutes: bgp.isEmpty || rng.chance(0.4) ? [office] : [],
                                                    bgpPrefixes: bgp))
        network.onPremNetworks.append(OnPremNetwork(name: "office", cidrs: [office], via: .vpnConnection("vpn-office")))
        var edges = [TransitGateway.Attachment(id: "tgw-attach-vpn-office", resource: .vpn("vpn-office"))]
        var farRanges = [office]
        if rng.chance(0.4) {
            let dc3 = Self.range("10.201.0.0/16")
            network.directConnectGateways.append(DirectConnectGateway(id: "dxgw-dc3", name: "dxgw-dc3", transitGatewayIDs: [tgwID], prefixes: [dc3]))
            network.onPremNetworks.append(OnPremNetwork(name: "dc3", cidrs: [dc3], via: .directConnectGateway("dxgw-dc3")))
            edges.append(TransitGateway.Attachment(id: "tgw-attach-dx-dc3", resource: .directConnect("dxgw-dc3")))
            farRanges.append(dc3)
        }
        for index in edges.indices {
            edges[index].routeTableID = rng.chance(0.92) ? rng.anyOf(tableIDs) : nil
            edges[index].propagatesTo = rng.subset(tableIDs, probability: 0.7)
        }
        network.transitGateways[tgwIndex].attachments += edges
        for index in network.transitGateways[tgwIndex].routeTables.indices where rng.chance(0.2) {
            network.transitGateways[tgwIndex].routeTables[index].routes.append(.init(destination: office, attachmentID: rng.anyOf(edges)?.id))
        }
        // The attached VPCs' tables learn the far side through the gateway, now and then.
        let attachedVPCs = network.transitGateways[tgwIndex].attachments.compactMap(\.vpcID)
        for table in network.routeTables where attachedVPCs.contains(table.vpcID) {
            for range in farRanges where rng.chance(0.5) {
                setRoute(Route(destination: .cidr(range), target: .transitGateway(tgwID)), inTable: table.id)
            }
        }
        admit(office, inGroupsOf: attachedVPCs)
    }

    /// Some of the groups of `vpcIDs` admit `range`: on-premises networks, other spokes (base groups rarely name them).
    mutating func admit(_ range: CIDR, inGroupsOf vpcIDs: [String]) {
        for index in network.securityGroups.indices where vpcIDs.contains(network.securityGroups[index].vpcID) && usually(0.4) {
            network.securityGroups[index].ingress.append(SecurityGroupRule(ipProtocol: rng.chance(0.6) ? .all : .tcp, peer: .cidr(range)))
        }
    }
}
