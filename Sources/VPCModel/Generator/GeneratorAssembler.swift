/// Turns the plan into a `Network`, in the order `TopologyBuilder` creates things from a file, so
/// that the file `TopologyWriter` writes loads back into an equal network.
struct GeneratorAssembler {
    let options: GeneratorOptions
    let plans: [VPCPlan]
    let layout: AddressLayout
    var rng: SplitMix64
    var network: Network
    /// Per VPC, its security groups in declaration order.
    var groups: [[GroupPlan]] = []
    /// Next address to hand out from `publicPool`, and from the loader's automatic pool (load balancers).
    var nextPublic: UInt32 = 1
    var nextAutoPublic = 0
    /// Next free host offset per subnet of the VPC being built.
    var nextHost: [UInt32] = []

    static let region = GeneratorOptions.region
    static let tgwName = "core-tgw"
    /// us-east-1 EC2 space, apart from every built-in AWS service range: where instances' public
    /// IPs and NAT gateways' Elastic IPs come from.
    static let publicPool = CIDR(masking: IPv4Address(54, 144, 0, 0), length: 12)
    static let allVPCs = CIDR(masking: IPv4Address(10, 0, 0, 0), length: 8)
    static let office = CIDR(masking: IPv4Address(198, 51, 100, 0), length: 24)
    static let onPremises = CIDR(masking: IPv4Address(192, 168, 0, 0), length: 16)
    static let blockedRange = CIDR(masking: IPv4Address(185, 220, 100, 0), length: 22)

    init(options: GeneratorOptions, plans: [VPCPlan], layout: AddressLayout, rng: SplitMix64) {
        self.options = options; self.plans = plans; self.layout = layout; self.rng = rng
        network = Network(name: "generated", description: options.commandLine)
        network.prefixLists = BuiltinData.embedded.prefixLists
        network.services = BuiltinData.embedded.services
    }

    // MARK: Addresses and ids

    func vpcCIDR(_ vpc: Int) -> CIDR {
        CIDR(masking: IPv4Address(Self.allVPCs.network.value | UInt32(vpc) << UInt32(32 - layout.vpcPrefix)), length: layout.vpcPrefix)
    }

    func subnetCIDR(_ vpc: Int, _ subnet: Int) -> CIDR {
        CIDR(masking: IPv4Address(vpcCIDR(vpc).network.value | UInt32(subnet) << UInt32(32 - layout.subnetPrefix)), length: layout.subnetPrefix)
    }

    func vpcID(_ vpc: Int) -> String { StableID.make("vpc", plans[vpc].name) }
    func subnetID(_ plan: VPCPlan, _ subnet: Int) -> String { StableID.make("subnet", plan.subnets[subnet].name) }
    func groupID(_ vpc: Int, _ role: GroupRole) -> String? { groups[vpc].first { $0.role == role }?.id }
    static func peeringName(_ a: VPCPlan, _ b: VPCPlan) -> String { "peer-\(a.label)-\(b.label)" }

    /// The lowest free host of the subnet (AWS reserves the first four); the layout sized every
    /// subnet for its interfaces, so one is always free.
    mutating func nextAddress(_ plan: VPCPlan, _ subnet: Int) -> IPv4Address {
        let host = nextHost[subnet]
        nextHost[subnet] += 1
        return IPv4Address(subnetCIDR(plan.index, subnet).network.value + host)
    }

    mutating func nextPublicAddress() -> IPv4Address {
        defer { nextPublic += 1 }
        return IPv4Address(Self.publicPool.network.value + nextPublic)
    }

    // MARK: Network

    mutating func assemble() -> Network {
        groups = plans.map { plan in
            plan.roles.map { role in GroupPlan(name: "\(role.rawValue)-sg-\(plan.label)", role: role, description: role.groupDescription) }
        }
        addCapacityGroups()
        for index in plans.indices { addBaseRules(index) }
        settleRuleCount()
        for plan in plans { build(plan) }
        connect()
        return network
    }

    mutating func build(_ plan: VPCPlan) {
        let vpcID = vpcID(plan.index)
        let cidr = vpcCIDR(plan.index)
        nextHost = Array(repeating: 4, count: plan.subnets.count)
        network.vpcs.append(VPC(id: vpcID, name: plan.name, region: Self.region, cidrs: [cidr]))
        let igwName = "\(plan.name)-igw"
        let igwID = StableID.make("igw", igwName)
        if plan.internet { network.internetGateways.append(InternetGateway(id: igwID, name: igwName, vpcID: vpcID)) }

        // Route tables: public (to the IGW), one private table per AZ (to that AZ's NAT gateway) or
        // one for the VPC, and the implied main table, which no subnet uses.
        var tables: [RouteTable] = []
        var tableOfSubnet: [Int] = []
        let publicTable = plan.internet ? 0 : nil
        if plan.internet {
            tables.append(RouteTable(id: StableID.make("rtb", "public-rt-\(plan.label)"), name: "public-rt-\(plan.label)", vpcID: vpcID, isMain: false,
                                     routes: [Route(destination: .cidr(.any), target: .internetGateway(igwID))]))
        }
        let firstPrivate = tables.count
        if plan.privateTier != nil {
            for zone in 0..<(plan.nat ? plan.zones : 1) {
                let name = plan.nat ? "private-rt-\(plan.label)-\(GeneratorPlanner.zoneLetter(zone))" : "private-rt-\(plan.label)"
                let natID = StableID.make("nat", natName(plan, zone))
                tables.append(RouteTable(id: StableID.make("rtb", name), name: name, vpcID: vpcID, isMain: false,
                                         routes: plan.nat ? [Route(destination: .cidr(.any), target: .natGateway(natID))] : []))
            }
        }
        let privateTables = Array(tables.indices.dropFirst(firstPrivate))
        tables.append(RouteTable(id: StableID.make("rtb", "\(plan.name)#main"), name: "\(plan.name)-main", vpcID: vpcID, isMain: true))
        for subnet in plan.subnets {
            let isPublic = plan.tiers[subnet.tier].isPublic
            tableOfSubnet.append(isPublic ? (publicTable ?? 0) : privateTables[plan.nat ? subnet.zone : 0])
        }
        for index in tables.indices { tables[index].routes += peerRoutes(plan) }

        // Network ACLs: the implied allow-all default, and ones with deny entries for public and data subnets.
        var aclOfTier: [String: String] = [:]
        if plan.publicACL { aclOfTier["public"] = addPublicACL(plan, vpcID: vpcID) }
        if plan.dataACL { aclOfTier["data"] = addDataACL(plan, vpcID: vpcID, cidr: cidr) }
        network.networkACLs.append(NetworkACL(id: StableID.make("acl", "\(plan.name)#default"), name: "\(plan.name)-default", vpcID: vpcID,
                                              isDefault: true, ingress: NetworkACL.allowAllEntries(), egress: NetworkACL.allowAllEntries()))

        for (index, subnet) in plan.subnets.enumerated() {
            let tier = plan.tiers[subnet.tier]
            network.subnets.append(Subnet(id: subnetID(plan, index), name: subnet.name, vpcID: vpcID, cidr: subnetCIDR(plan.index, index),
                                          availabilityZone: GeneratorPlanner.zoneName(subnet.zone), routeTableID: tables[tableOfSubnet[index]].id,
                                          networkACLID: aclOfTier[tier.name]))
        }
        for group in groups[plan.index] {
            network.securityGroups.append(SecurityGroup(id: group.id, name: group.name, vpcID: vpcID, description: group.description,
                                                        ingress: group.ingress, egress: group.egress))
        }

        addNATGateways(plan)
        let endpointRoutes = addEndpoints(plan, vpcID: vpcID, tableIDs: privateTables.map { tables[$0].id })
        let workloadInterfaces = addWorkloads(plan, vpcID: vpcID)
        addLoadBalancer(plan, vpcID: vpcID, workloadInterfaces: workloadInterfaces)

        // Gateway endpoints add their prefix-list routes after the written ones, as the loader does.
        for (tableID, route) in endpointRoutes {
            if let index = tables.firstIndex(where: { $0.id == tableID }) { tables[index].routes.append(route) }
        }
        for index in tables.indices { tables[index].routes.insert(Route(destination: .cidr(cidr), target: .local), at: 0) }
        network.routeTables += tables
    }

    /// Every table's routes to the other VPCs: each peer's CIDR through its peering connection (mesh),
    /// or all of 10.0.0.0/8 to the transit gateway (hub), where the local route still wins for the VPC itself.
    func peerRoutes(_ plan: VPCPlan) -> [Route] {
        switch options.peering {
        case .none: return []
        case .hub: return [Route(destination: .cidr(Self.allVPCs), target: .transitGateway(StableID.make("tgw", Self.tgwName)))]
        case .mesh:
            return plans.filter { $0.index != plan.index }.map { peer in
                let name = peer.index < plan.index ? Self.peeringName(peer, plan) : Self.peeringName(plan, peer)
                return Route(destination: .cidr(vpcCIDR(peer.index)), target: .peering(StableID.make("pcx", name)))
            }
        }
    }

    func natName(_ plan: VPCPlan, _ zone: Int) -> String { "nat-\(plan.label)-\(GeneratorPlanner.zoneLetter(zone))" }

    mutating func addPublicACL(_ plan: VPCPlan, vpcID: String) -> String {
        let name = "public-acl-\(plan.label)"
        let id = StableID.make("acl", name)
        let ingress = [
            NetworkACLEntry(ruleNumber: 50, action: .deny, ipProtocol: .all, cidr: Self.blockedRange),
            NetworkACLEntry(ruleNumber: 60, action: .deny, ipProtocol: .tcp, ports: PortRange(port: 3389), cidr: .any),
            NetworkACLEntry(ruleNumber: 100, action: .allow, ipProtocol: .all, cidr: .any),
        ]
        network.networkACLs.append(NetworkACL(id: id, name: name, vpcID: vpcID, isDefault: false, ingress: ingress,
                                              egress: NetworkACL.allowAllEntries()))
        return id
    }

    mutating func addDataACL(_ plan: VPCPlan, vpcID: String, cidr: CIDR) -> String {
        let name = "data-acl-\(plan.label)"
        let id = StableID.make("acl", name)
        let ingress = [
            NetworkACLEntry(ruleNumber: 90, action: .deny, ipProtocol: .tcp, ports: PortRange(port: 22), cidr: .any),
            NetworkACLEntry(ruleNumber: 95, action: .deny, ipProtocol: .tcp, ports: PortRange(port: 3389), cidr: .any),
            NetworkACLEntry(ruleNumber: 100, action: .allow, ipProtocol: .all, cidr: cidr),
            NetworkACLEntry(ruleNumber: 110, action: .allow, ipProtocol: .all, cidr: Self.allVPCs),
            // Responses to connections the data tier opens (through the NAT gateway, to AWS APIs).
            NetworkACLEntry(ruleNumber: 120, action: .allow, ipProtocol: .tcp, ports: .awsEphemeral, cidr: .any),
        ]
        network.networkACLs.append(NetworkACL(id: id, name: name, vpcID: vpcID, isDefault: false, ingress: ingress,
                                              egress: NetworkACL.allowAllEntries()))
        return id
    }

    mutating func addNATGateways(_ plan: VPCPlan) {
        guard plan.nat else { return }
        for zone in 0..<plan.zones {
            let subnet = plan.tiers[0].subnets[zone]
            let name = natName(plan, zone)
            let id = StableID.make("nat", name)
            let eniName = "\(name)@\(plan.subnets[subnet].name)"
            let eniID = StableID.make("eni", "nat:\(name)")
            let address = nextAddress(plan, subnet)
            let eip = nextPublicAddress()
            network.interfaces.append(NetworkInterface(id: eniID, name: eniName, subnetID: subnetID(plan, subnet), privateIPs: [address],
                                                       publicIP: eip, publicIPIsElastic: true, securityGroupIDs: [], sourceDestCheck: false,
                                                       owner: .natGateway(id), description: "Interface for NAT Gateway \(id)"))
            network.natGateways.append(NATGateway(id: id, name: name, subnetID: subnetID(plan, subnet), connectivity: .public,
                                                  privateIP: address, elasticIP: eip, interfaceID: eniID))
        }
    }

    /// Gateway endpoints (S3, DynamoDB) on the private tables, interface endpoints in the first
    /// private tier; returns the routes the gateway endpoints add, by table id.
    mutating func addEndpoints(_ plan: VPCPlan, vpcID: String, tableIDs: [String]) -> [(String, Route)] {
        var routes: [(String, Route)] = []
        for service in plan.gatewayEndpoints {
            let name = "\(service)-\(plan.label)"
            let id = StableID.make("vpce", name)
            network.endpoints.append(VPCEndpoint(id: id, name: name, vpcID: vpcID, kind: .gateway, service: service, routeTableIDs: tableIDs))
            let listID = network.services.first { $0.name == service && $0.region == Self.region }?.prefixListID
            for tableID in tableIDs {
                if let listID { routes.append((tableID, Route(destination: .prefixList(listID), target: .gatewayEndpoint(id)))) }
            }
        }
        guard let tier = plan.privateTier, let groupID = groupID(plan.index, .endpoints) else { return routes }
        let subnets = plan.tiers[tier].subnets
        for service in plan.interfaceEndpoints {
            let name = "\(service.replacingOccurrences(of: ".", with: "-"))-\(plan.label)"
            let id = StableID.make("vpce", name)
            var eniIDs: [String] = []
            for subnet in subnets {
                let eniName = "\(name)@\(plan.subnets[subnet].name)"
                let eniID = StableID.make("eni", "vpce:\(eniName)")
                network.interfaces.append(NetworkInterface(id: eniID, name: eniName, subnetID: subnetID(plan, subnet),
                                                           privateIPs: [nextAddress(plan, subnet)], securityGroupIDs: [groupID],
                                                           owner: .endpoint(id), description: "VPC Endpoint Interface \(id)"))
                eniIDs.append(eniID)
            }
            network.endpoints.append(VPCEndpoint(id: id, name: name, vpcID: vpcID, kind: .interface, service: service,
                                                 subnetIDs: subnets.map { subnetID(plan, $0) }, securityGroupIDs: [groupID], interfaceIDs: eniIDs))
        }
        return routes
    }

    func groupIDs(_ plan: VPCPlan, _ role: GroupRole) -> [String] {
        var ids = groupID(plan.index, role).map { [$0] } ?? []
        if [.app, .lambda, .batch].contains(role), let common = groupID(plan.index, .common) { ids.append(common) }
        return ids
    }

    /// Instances written as interfaces come first (the loader creates them before workloads' own
    /// interfaces), then every workload in order. Returns each planned workload's interface ids.
    mutating func addWorkloads(_ plan: VPCPlan, vpcID: String) -> [[String]] {
        var interfaceIDs: [[String]] = Array(repeating: [], count: plan.workloads.count)
        for (index, workload) in plan.workloads.enumerated() where workload.form != .workload {
            for (number, subnet) in workload.subnets.enumerated() {
                let name = workload.form == .fleet ? "\(workload.name)-\(number + 1)" : workload.name
                let id = StableID.make("eni", name)
                let owner: NetworkInterface.Owner = workload.form == .fleet ? .workload(StableID.make("wl", workload.name)) : .none
                network.interfaces.append(NetworkInterface(id: id, name: name, subnetID: subnetID(plan, subnet), privateIPs: [nextAddress(plan, subnet)],
                                                           publicIP: nextPublicAddress(), publicIPIsElastic: workload.form == .standalone,
                                                           securityGroupIDs: groupIDs(plan, workload.role), owner: owner,
                                                           instanceID: StableID.make("i", name)))
                interfaceIDs[index].append(id)
            }
        }
        for (index, workload) in plan.workloads.enumerated() where workload.form != .standalone {
            let id = StableID.make("wl", workload.name)
            if workload.form == .workload {
                let groups = groupIDs(plan, workload.role)
                for subnet in workload.subnets {
                    let name = "\(workload.name)@\(plan.subnets[subnet].name)"
                    let eniID = StableID.make("eni", "workload:\(name)")
                    network.interfaces.append(NetworkInterface(id: eniID, name: name, subnetID: subnetID(plan, subnet),
                                                               privateIPs: [nextAddress(plan, subnet)], securityGroupIDs: groups, owner: .workload(id)))
                    interfaceIDs[index].append(eniID)
                }
            }
            network.workloads.append(Workload(id: id, name: workload.name, kind: workload.kind, interfaceIDs: interfaceIDs[index]))
        }
        return interfaceIDs
    }

    /// An application load balancer with HTTPS and HTTP listeners in front of one service; an
    /// internet-facing one gets the public addresses the loader assigns automatically, in the same order.
    mutating func addLoadBalancer(_ plan: VPCPlan, vpcID: String, workloadInterfaces: [[String]]) {
        guard let balancer = plan.loadBalancer, plan.workloads.indices.contains(balancer.target) else { return }
        let targetIDs = workloadInterfaces[balancer.target]
        let groupName = "\(plan.workloads[balancer.target].name)-tg"
        let groupID = StableID.make("tg", groupName)
        network.targetGroups.append(TargetGroup(id: groupID, name: groupName, vpcID: vpcID, targetProtocol: "HTTP", port: 8080,
                                                targets: targetIDs.map { .interface($0) }))
        let name = "alb-\(plan.label)"
        let id = StableID.make("elb", name)
        let securityGroups = self.groupID(plan.index, .alb).map { [$0] } ?? []
        var eniIDs: [String] = []
        for subnet in balancer.subnets {
            let eniName = "\(name)@\(plan.subnets[subnet].name)"
            let eniID = StableID.make("eni", "elb:\(eniName)")
            var publicIP: IPv4Address?
            if balancer.internetFacing {
                publicIP = TopologyBuilder.autoPublicAddress(at: nextAutoPublic)
                nextAutoPublic += 1
            }
            network.interfaces.append(NetworkInterface(id: eniID, name: eniName, subnetID: subnetID(plan, subnet), privateIPs: [nextAddress(plan, subnet)],
                                                       publicIP: publicIP, securityGroupIDs: securityGroups, owner: .loadBalancer(id),
                                                       description: "ELB app/\(name)"))
            eniIDs.append(eniID)
        }
        network.loadBalancers.append(LoadBalancer(
            id: id, name: name, vpcID: vpcID, kind: .application, scheme: balancer.internetFacing ? .internetFacing : .internal,
            subnetIDs: balancer.subnets.map { subnetID(plan, $0) }, securityGroupIDs: securityGroups,
            listeners: [LoadBalancer.Listener(listenerProtocol: "HTTPS", port: 443, targetGroupID: groupID),
                        LoadBalancer.Listener(listenerProtocol: "HTTP", port: 80, targetGroupID: groupID)],
            interfaceIDs: eniIDs))
    }

    /// The peering connections of a mesh, or the hub's transit gateway with one attachment per VPC
    /// (in its first private tier) and the VPCs' CIDRs propagated into its route table.
    mutating func connect() {
        switch options.peering {
        case .none: break
        case .mesh:
            for a in plans.indices {
                for b in plans.indices where b > a {
                    let name = Self.peeringName(plans[a], plans[b])
                    network.peerings.append(PeeringConnection(id: StableID.make("pcx", name), name: name, requesterVPCID: vpcID(a), accepterVPCID: vpcID(b)))
                }
            }
        case .hub:
            let attachments = plans.map { plan in
                let tier = plan.privateTier ?? 0
                return TransitGateway.Attachment(id: StableID.make("tgw-attach", "\(Self.tgwName):\(plan.name)"), vpcID: vpcID(plan.index),
                                                 subnetIDs: plan.tiers[tier].subnets.map { subnetID(plan, $0) })
            }
            network.transitGateways.append(TransitGateway(id: StableID.make("tgw", Self.tgwName), name: Self.tgwName, region: Self.region,
                                                          attachments: attachments, routes: [], propagatesAttachments: true))
        }
    }
}
