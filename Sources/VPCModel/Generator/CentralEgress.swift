/// AWS's centralized egress and inspection on a hub (`vpcsim generate --peering hub --central-egress`):
/// an inspection VPC with an appliance per AZ (appliance mode on its attachment) and an egress VPC
/// with a NAT gateway per AZ behind an internet gateway. Spoke private tables send the internet to
/// the hub; the hub sends spoke traffic through the appliances, then to another spoke, or to the
/// egress VPC; traffic back from the egress VPC goes through the appliances again.
/// https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/centralized-egress-to-internet.html
enum CentralEgress {
    static let egressCIDR = CIDR("100.64.0.0/16")!
    static let inspectionCIDR = CIDR("100.65.0.0/16")!

    static func apply(to network: inout Network, region: String) {
        guard let hubIndex = network.transitGateways.indices.first else { return }
        let hubID = network.transitGateways[hubIndex].id
        // The AZs the spokes attach in, in name order.
        let attached = Set(network.transitGateways[hubIndex].attachments.flatMap(\.subnetIDs))
        let zones = Array(Set(network.subnets.filter { attached.contains($0.id) }.map(\.availabilityZone))).sorted()
        guard !zones.isEmpty else { return }

        // Spokes: private tables (a default route to a NAT gateway, or none) send the internet to the hub.
        for t in network.routeTables.indices where !network.routeTables[t].isMain {
            let routes = network.routeTables[t].routes
            let toInternet = routes.firstIndex { $0.destination == .cidr(.any) }
            if let i = toInternet {
                if case .natGateway = routes[i].target { network.routeTables[t].routes[i].target = .transitGateway(hubID) }
            } else {
                network.routeTables[t].routes.append(Route(destination: .cidr(.any), target: .transitGateway(hubID)))
            }
        }

        let egress = addVPC(&network, name: "egress", cidr: egressCIDR, region: region)
        let inspection = addVPC(&network, name: "inspection", cidr: inspectionCIDR, region: region)
        let igwID = StableID.make("igw", "egress-igw")
        network.internetGateways.append(InternetGateway(id: igwID, name: "egress-igw", vpcID: egress))
        let firewallGroup = StableID.make("sg", "inspection:firewall")
        network.securityGroups.append(SecurityGroup(id: firewallGroup, name: "firewall", vpcID: inspection,
                                                    description: "appliances inspect whatever the hub sends",
                                                    ingress: [SecurityGroupRule(ipProtocol: .all, peer: .cidr(.any))]))
        let publicTable = addTable(&network, "egress-public", vpc: egress,
                                   [Route(destination: .cidr(.any), target: .internetGateway(igwID)),
                                    Route(destination: .cidr(CIDR("10.0.0.0/8")!), target: .transitGateway(hubID))])
        let firewallTable = addTable(&network, "inspection-fw", vpc: inspection, [Route(destination: .cidr(.any), target: .transitGateway(hubID))])
        var egressAttachmentSubnets: [String] = [], inspectionAttachmentSubnets: [String] = []
        var nextPublicOctet: UInt32 = 1
        for (z, zone) in zones.enumerated() {
            let letter = String(zone.suffix(1))
            // Egress: a public subnet with the NAT gateway, an attachment subnet routing to it.
            let publicSubnet = addSubnet(&network, "egress-public-\(letter)", vpc: egress, cidr: CIDR(masking: IPv4Address(egressCIDR.network.value + UInt32(z + 1) << 8), length: 24),
                                         zone: zone, table: publicTable)
            let natName = "egress-nat-\(letter)"
            let natID = StableID.make("nat", natName)
            let natAddress = IPv4Address(egressCIDR.network.value + UInt32(z + 1) << 8 + 4)
            // Elastic IPs from 44.192.255.0/24 (AWS us-east-1 space), apart from the generator's 54.144.0.0/12.
            let eip = IPv4Address(0x2CC0_FF00 + nextPublicOctet)
            nextPublicOctet += 1
            let eniID = StableID.make("eni", "nat:\(natName)")
            network.interfaces.append(NetworkInterface(id: eniID, name: "\(natName)@egress-public-\(letter)", subnetID: publicSubnet, privateIPs: [natAddress],
                                                       publicIP: eip, publicIPIsElastic: true, securityGroupIDs: [], sourceDestCheck: false,
                                                       owner: .natGateway(natID), description: "Interface for NAT Gateway \(natID)"))
            network.natGateways.append(NATGateway(id: natID, name: natName, subnetID: publicSubnet, connectivity: .public,
                                                  privateIP: natAddress, elasticIP: eip, interfaceID: eniID))
            let egressTable = addTable(&network, "egress-tgw-\(letter)", vpc: egress, [Route(destination: .cidr(.any), target: .natGateway(natID))])
            egressAttachmentSubnets.append(addSubnet(&network, "egress-tgw-\(letter)", vpc: egress,
                                                     cidr: CIDR(masking: IPv4Address(egressCIDR.network.value + UInt32(z) << 4), length: 28),
                                                     zone: zone, table: egressTable))
            // Inspection: an appliance subnet, an attachment subnet routing to that AZ's appliance.
            let firewallSubnet = addSubnet(&network, "inspection-fw-\(letter)", vpc: inspection,
                                           cidr: CIDR(masking: IPv4Address(inspectionCIDR.network.value + UInt32(z + 1) << 8), length: 24),
                                           zone: zone, table: firewallTable)
            let applianceID = StableID.make("eni", "firewall-\(letter)")
            network.interfaces.append(NetworkInterface(id: applianceID, name: "firewall-\(letter)", subnetID: firewallSubnet,
                                                       privateIPs: [IPv4Address(inspectionCIDR.network.value + UInt32(z + 1) << 8 + 4)],
                                                       securityGroupIDs: [firewallGroup], sourceDestCheck: false))
            let inspectionTable = addTable(&network, "inspection-tgw-\(letter)", vpc: inspection,
                                           [Route(destination: .cidr(.any), target: .networkInterface(applianceID))])
            inspectionAttachmentSubnets.append(addSubnet(&network, "inspection-tgw-\(letter)", vpc: inspection,
                                                         cidr: CIDR(masking: IPv4Address(inspectionCIDR.network.value + UInt32(z) << 4), length: 28),
                                                         zone: zone, table: inspectionTable))
        }

        // The hub's tables: spokes → appliances; appliances → spokes (propagated) or egress; egress → appliances.
        var hub = network.transitGateways[hubIndex]
        let spokesTable = hub.routeTables.first?.id ?? TransitGateway.defaultTableID(of: hubID)
        let inspectionID = StableID.make("tgw-attach", "\(hub.name):inspection")
        let egressID = StableID.make("tgw-attach", "\(hub.name):egress")
        let firewallTableID = StableID.make("tgw-rtb", "\(hub.name):firewall")
        let returnTableID = StableID.make("tgw-rtb", "\(hub.name):return")
        hub.routeTables = [
            TransitGateway.RouteTable(id: spokesTable, name: hub.routeTables.first?.name ?? "\(hub.name)-default",
                                      routes: [TransitGateway.Route(destination: .any, attachmentID: inspectionID)]),
            TransitGateway.RouteTable(id: firewallTableID, name: "firewall", routes: [TransitGateway.Route(destination: .any, attachmentID: egressID)]),
            TransitGateway.RouteTable(id: returnTableID, name: "return",
                                      routes: [TransitGateway.Route(destination: CIDR("10.0.0.0/8")!, attachmentID: inspectionID)]),
        ]
        for a in hub.attachments.indices {
            hub.attachments[a].routeTableID = spokesTable
            hub.attachments[a].propagatesTo = [firewallTableID]
        }
        hub.attachments.append(TransitGateway.Attachment(id: inspectionID, vpcID: inspection, subnetIDs: inspectionAttachmentSubnets, name: "inspection",
                                                         applianceMode: true, routeTableID: firewallTableID, propagatesTo: []))
        hub.attachments.append(TransitGateway.Attachment(id: egressID, vpcID: egress, subnetIDs: egressAttachmentSubnets, name: "egress",
                                                         routeTableID: returnTableID, propagatesTo: []))
        network.transitGateways[hubIndex] = hub
    }

    static func addVPC(_ network: inout Network, name: String, cidr: CIDR, region: String) -> String {
        let id = StableID.make("vpc", name)
        network.vpcs.append(VPC(id: id, name: name, region: region, cidrs: [cidr]))
        network.routeTables.append(RouteTable(id: StableID.make("rtb", "\(name)#main"), name: "\(name)-main", vpcID: id, isMain: true,
                                              routes: [Route(destination: .cidr(cidr), target: .local)]))
        network.networkACLs.append(NetworkACL(id: StableID.make("acl", "\(name)#default"), name: "\(name)-default", vpcID: id, isDefault: true,
                                              ingress: NetworkACL.allowAllEntries(), egress: NetworkACL.allowAllEntries()))
        return id
    }

    static func addTable(_ network: inout Network, _ name: String, vpc: String, _ routes: [Route]) -> String {
        let id = StableID.make("rtb", name)
        let local = network.vpcs.first { $0.id == vpc }?.cidrs.map { Route(destination: .cidr($0), target: .local) } ?? []
        network.routeTables.append(RouteTable(id: id, name: name, vpcID: vpc, isMain: false, routes: local + routes))
        return id
    }

    static func addSubnet(_ network: inout Network, _ name: String, vpc: String, cidr: CIDR, zone: String, table: String) -> String {
        let id = StableID.make("subnet", name)
        network.subnets.append(Subnet(id: id, name: name, vpcID: vpc, cidr: cidr, availabilityZone: zone, routeTableID: table))
        return id
    }
}
