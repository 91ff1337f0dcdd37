/// Where each entity (by id) and some of its fields were written, so that checks made on the
/// finished model can still point at a line.
public struct SourceMap: Sendable, Equatable {
    public var entities: [String: SourceLocation] = [:]
    public var fields: [String: SourceLocation] = [:]

    public init() {}

    public func location(of id: String, field: String? = nil) -> SourceLocation? {
        if let field, let location = fields["\(id)#\(field)"] { return location }
        return entities[id]
    }

    mutating func reserve(entities: Int, fields: Int) {
        self.entities.reserveCapacity(self.entities.count + entities)
        self.fields.reserveCapacity(self.fields.count + fields)
    }

    /// The first location recorded for an id wins (one hash lookup when the id is new).
    mutating func record(_ id: String, _ location: SourceLocation) {
        if let first = entities.updateValue(location, forKey: id) { entities[id] = first }
    }

    mutating func record(_ id: String, field: String, _ location: SourceLocation) { fields["\(id)#\(field)"] = location }
}

/// Resolves names to ids for one kind of resource, case-insensitively. A class: the builder passes
/// directories around for every reference it resolves, and a struct of four collections would be
/// copied (retained and released) each time.
final class Directory {
    let kind: String
    private(set) var byKey: [String: String] = [:]
    private(set) var names: [String] = []
    private(set) var displayNames: [String: String] = [:]

    init(kind: String) { self.kind = kind }

    /// Room for `count` more names, so that a topology with 100k interfaces does not rehash as it grows.
    func reserve(_ count: Int) {
        byKey.reserveCapacity(byKey.count + 2 * count)
        displayNames.reserveCapacity(displayNames.count + count)
        names.reserveCapacity(names.count + count)
    }

    /// Returns false (and changes nothing) when the name or the id is already declared for this
    /// kind. Inserts first and undoes on a clash, so a new name costs one hash lookup per table.
    func register(name: String, id: String) -> Bool {
        let nameKey = name.caseFolded
        if let existing = byKey.updateValue(id, forKey: nameKey) {
            byKey[nameKey] = existing
            return false
        }
        if let existing = displayNames.updateValue(name, forKey: id) {
            displayNames[id] = existing
            byKey.removeValue(forKey: nameKey)
            return false
        }
        byKey[id.caseFolded] = id
        names.append(name)
        return true
    }

    func resolve(_ text: String) -> String? { byKey[text.caseFolded] }
    func name(of id: String) -> String? { displayNames[id] }
}

extension String {
    /// `lowercased()`, without making a copy of the usual all-lowercase ASCII name or id.
    var caseFolded: String {
        for byte in utf8 where byte >= 0x80 || (0x41...0x5A).contains(byte) { return lowercased() }
        return self
    }
}

/// Turns a parsed topology into a `Network`: assigns ids and addresses, resolves every reference,
/// adds what AWS adds implicitly (local routes, main table, default ACL, endpoint routes).
final class TopologyBuilder {
    let reader: DiagnosticLog
    var network: Network
    var sourceMap = SourceMap()

    let vpcs = Directory(kind: "VPC")
    let subnets = Directory(kind: "subnet")
    let routeTables = Directory(kind: "route table")
    let acls = Directory(kind: "network ACL")
    let groups = Directory(kind: "security group")
    let nats = Directory(kind: "NAT gateway")
    let igws = Directory(kind: "internet gateway")
    let endpoints = Directory(kind: "endpoint")
    let interfaces = Directory(kind: "interface")
    let workloads = Directory(kind: "workload")
    let targetGroups = Directory(kind: "target group")
    let loadBalancers = Directory(kind: "load balancer")
    let peerings = Directory(kind: "peering connection")
    let transitGateways = Directory(kind: "transit gateway")
    let vpnGateways = Directory(kind: "virtual private gateway")
    let customerGateways = Directory(kind: "customer gateway")
    let vpnConnections = Directory(kind: "VPN connection")
    let directConnectGateways = Directory(kind: "Direct Connect gateway")
    let prefixLists = Directory(kind: "prefix list")

    /// Addresses claimed per subnet id (explicit first, then assigned).
    private var usedAddresses: [String: Set<UInt32>] = [:]
    private var usedPublicAddresses: Set<UInt32> = []
    private var nextPublicIndex = 0

    /// Positions in `network`'s arrays by id; every append goes through `add(_:)` to keep them.
    private var subnetPositions = IDIndex()
    private var groupPositions = IDIndex()
    private var tablePositions = IDIndex()
    private var interfacePositions = IDIndex()
    private var workloadPositions = IDIndex()
    /// (workload id, interface id) for interfaces a workload lists that do not exist yet: they may
    /// belong to a VPC built later.
    private var pendingClaims: [(workload: String, interface: String)] = []

    init(reader: DiagnosticLog, builtins: BuiltinData) {
        self.reader = reader
        network = Network(name: "network")
        for list in builtins.prefixLists {
            network.prefixLists.append(list)
            _ = prefixLists.register(name: list.name, id: list.id)
        }
        network.services = builtins.services
    }

    // MARK: - Helpers

    private func register(_ directory: Directory, _ entity: RawEntity, id: String) {
        if !directory.register(name: entity.name, id: id) {
            reader.error(entity.location, "\(directory.kind) name '\(entity.name)' is used twice",
                         hint: "names are unique per kind across the network (matched case-insensitively); rename one")
        }
        sourceMap.record(id, entity.location)
    }

    private func resolve(_ ref: Ref, in directory: Directory, context: String) -> String? {
        if let id = directory.resolve(ref.value) { return id }
        let hint = Suggest.didYouMean(ref.value, directory.names)
            ?? (directory.names.isEmpty ? "no \(directory.kind) is declared" : "known: \(directory.names.prefix(8).joined(separator: ", "))")
        reader.error(ref.location, "\(context) refers to unknown \(directory.kind) '\(ref.value)'", hint: hint)
        return nil
    }

    private func resolveAll(_ refs: [Ref], in directory: Directory, context: String) -> [String] {
        refs.compactMap { resolve($0, in: directory, context: context) }
    }

    private func add(_ subnet: Subnet) { subnetPositions.append(subnet, id: subnet.id, to: &network.subnets) }
    private func add(_ group: SecurityGroup) { groupPositions.append(group, id: group.id, to: &network.securityGroups) }
    private func add(_ table: RouteTable) { tablePositions.append(table, id: table.id, to: &network.routeTables) }
    private func add(_ interface: NetworkInterface) { interfacePositions.append(interface, id: interface.id, to: &network.interfaces) }
    private func add(_ workload: Workload) { workloadPositions.append(workload, id: workload.id, to: &network.workloads) }

    private func subnet(_ id: String) -> Subnet? { subnetPositions[id].map { network.subnets[$0] } }
    private func vpcOf(subnet id: String) -> String? { subnetPositions[id].map { network.subnets[$0].vpcID } }

    private func checkSameVPC(_ ids: [String], refs: [Ref], vpcID: String, what: String, of owner: String) {
        for (id, ref) in zip(ids, refs) {
            let other: String? = vpcOf(subnet: id)
                ?? groupPositions[id].map { network.securityGroups[$0].vpcID }
                ?? tablePositions[id].map { network.routeTables[$0].vpcID }
            if let other, other != vpcID {
                reader.error(ref.location, "\(owner) uses \(what) '\(ref.value)' from another VPC",
                             hint: "\(what)s must belong to the same VPC")
            }
        }
    }

    // MARK: - Build

    func build(_ raw: RawTopology) -> (Network, SourceMap) {
        network.name = raw.name ?? "network"
        network.description = raw.description
        network.account = raw.account ?? Network.defaultAccount

        for list in raw.prefixLists {
            let id = list.entity.id ?? StableID.make("pl", list.entity.name)
            register(prefixLists, list.entity, id: id)
            network.prefixLists.append(PrefixList(id: id, name: list.entity.name, region: list.region?.value ?? "", cidrs: list.cidrs))
        }
        for service in raw.services {
            var addresses = service.addresses
            var listID: String?
            if let ref = service.prefixList, let id = resolve(ref, in: prefixLists, context: "service '\(service.name.value)'") {
                listID = id
                addresses += network.prefixLists.first { $0.id == id }?.cidrs ?? []
            }
            let region = service.region?.value ?? ""
            network.services.removeAll { $0.name == service.name.value && $0.region == region }
            network.services.append(AWSService(name: service.name.value, region: region, addresses: addresses, prefixListID: listID))
        }

        reserveCapacity(for: raw)
        // Pass 1: every named thing gets an id, so references may point forward.
        for vpc in raw.vpcs { declare(vpc) }
        for peering in raw.peerings {
            register(peerings, peering.entity, id: peering.entity.id ?? StableID.make("pcx", peering.entity.name))
        }
        for tgw in raw.transitGateways {
            register(transitGateways, tgw.entity, id: tgw.entity.id ?? StableID.make("tgw", tgw.entity.name))
        }
        for gateway in raw.vpnGateways { register(vpnGateways, gateway.entity, id: gateway.entity.id ?? StableID.make("vgw", gateway.entity.name)) }
        for gateway in raw.customerGateways {
            register(customerGateways, gateway.entity, id: gateway.entity.id ?? StableID.make("cgw", gateway.entity.name))
        }
        for connection in raw.vpnConnections {
            register(vpnConnections, connection.entity, id: connection.entity.id ?? StableID.make("vpn", connection.entity.name))
        }
        for gateway in raw.directConnectGateways {
            register(directConnectGateways, gateway.entity, id: gateway.entity.id ?? StableID.make("dxgw", gateway.entity.name))
        }

        // Pass 2: structure that others depend on (subnets, groups, tables).
        for vpc in raw.vpcs { buildCore(vpc) }
        for peering in raw.peerings { buildPeering(peering) }
        buildHybridEdges(raw)
        for tgw in raw.transitGateways { buildTransitGateway(tgw, raw: raw) }
        buildOnPremNetworks(raw.onPremNetworks)
        // Pass 3: interfaces and what owns them; addresses are assigned in declaration order after
        // every explicit address is claimed.
        for vpc in raw.vpcs { claimExplicitAddresses(vpc) }
        for vpc in raw.vpcs { buildAttachments(vpc) }
        // Pass 4: routes, which may name interfaces, gateways and peerings.
        for vpc in raw.vpcs { buildRoutes(vpc) }
        return (network, sourceMap)
    }

    /// Sizes the directories, indexes and arrays for the whole topology up front.
    private func reserveCapacity(for raw: RawTopology) {
        var subnetCount = 0, interfaceCount = 0, workloadCount = 0, groupCount = 0, tableCount = 0
        for vpc in raw.vpcs {
            subnetCount += vpc.subnets.count
            workloadCount += vpc.workloads.count
            groupCount += vpc.securityGroups.count + 1
            tableCount += vpc.routeTables.count + 1
            interfaceCount += vpc.interfaces.count + vpc.natGateways.count + vpc.workloads.reduce(0) { $0 + $1.subnets.count }
                + vpc.endpoints.reduce(0) { $0 + $1.subnets.count } + vpc.loadBalancers.reduce(0) { $0 + $1.subnets.count }
        }
        subnets.reserve(subnetCount)
        interfaces.reserve(interfaceCount)
        workloads.reserve(workloadCount)
        groups.reserve(groupCount)
        routeTables.reserve(tableCount)
        subnetPositions.reserve(subnetCount)
        interfacePositions.reserve(interfaceCount)
        workloadPositions.reserve(workloadCount)
        groupPositions.reserve(groupCount)
        tablePositions.reserve(tableCount)
        network.subnets.reserveCapacity(subnetCount)
        network.interfaces.reserveCapacity(interfaceCount)
        network.workloads.reserveCapacity(workloadCount)
        sourceMap.reserve(entities: subnetCount + interfaceCount + workloadCount + groupCount + tableCount,
                          fields: 2 * subnetCount + interfaceCount)
    }

    private func vpcID(_ vpc: RawVPC) -> String { vpcs.resolve(vpc.entity.id ?? vpc.entity.name) ?? StableID.make("vpc", vpc.entity.name) }

    private func declare(_ vpc: RawVPC) {
        let vpcID = vpc.entity.id ?? StableID.make("vpc", vpc.entity.name)
        register(vpcs, vpc.entity, id: vpcID)
        sourceMap.record(vpcID, field: "cidr", vpc.cidrLocation)
        if let igw = vpc.internetGateway {
            register(igws, igw, id: igw.id ?? StableID.make("igw", igw.name))
        }
        for subnet in vpc.subnets { register(subnets, subnet.entity, id: subnet.entity.id ?? StableID.make("subnet", subnet.entity.name)) }
        for table in vpc.routeTables { register(routeTables, table.entity, id: table.entity.id ?? StableID.make("rtb", table.entity.name)) }
        for acl in vpc.networkACLs { register(acls, acl.entity, id: acl.entity.id ?? StableID.make("acl", acl.entity.name)) }
        for group in vpc.securityGroups { register(groups, group.entity, id: group.entity.id ?? StableID.make("sg", group.entity.name)) }
        for nat in vpc.natGateways { register(nats, nat.entity, id: nat.entity.id ?? StableID.make("nat", nat.entity.name)) }
        for endpoint in vpc.endpoints { register(endpoints, endpoint.entity, id: endpoint.entity.id ?? StableID.make("vpce", endpoint.entity.name)) }
        for interface in vpc.interfaces { register(interfaces, interface.entity, id: interface.entity.id ?? StableID.make("eni", interface.entity.name)) }
        for workload in vpc.workloads { register(workloads, workload.entity, id: workload.entity.id ?? StableID.make("wl", workload.entity.name)) }
        for group in vpc.targetGroups { register(targetGroups, group.entity, id: group.entity.id ?? StableID.make("tg", group.entity.name)) }
        for lb in vpc.loadBalancers { register(loadBalancers, lb.entity, id: lb.entity.id ?? StableID.make("elb", lb.entity.name)) }
    }

    private func buildCore(_ raw: RawVPC) {
        let vpcID = vpcID(raw)
        let region = raw.region?.value ?? ""
        network.vpcs.append(VPC(id: vpcID, name: raw.entity.name, region: region, cidrs: raw.cidrs))
        if let igw = raw.internetGateway, let id = igws.resolve(igw.id ?? igw.name) {
            network.internetGateways.append(InternetGateway(id: id, name: igw.name, vpcID: vpcID))
        }

        // Route tables (routes come later) and the main table.
        var mainTables = raw.routeTables.filter(\.isMain)
        if mainTables.count > 1 {
            for extra in mainTables.dropFirst() {
                reader.error(extra.entity.location, "VPC '\(raw.entity.name)' has more than one main route table ('\(mainTables[0].entity.name)' and '\(extra.entity.name)')",
                             hint: "a VPC has exactly one main table: remove 'main: true' from all but one")
            }
            mainTables = Array(mainTables.prefix(1))
        }
        for table in raw.routeTables {
            guard let id = routeTables.resolve(table.entity.id ?? table.entity.name) else { continue }
            add(RouteTable(id: id, name: table.entity.name, vpcID: vpcID, isMain: table.isMain && table.entity.name == mainTables.first?.entity.name))
        }
        if mainTables.isEmpty {
            let name = "\(raw.entity.name)-main"
            let id = StableID.make("rtb", "\(raw.entity.name)#main")
            register(routeTables, RawEntity(name: name, id: id, location: raw.entity.location), id: id)
            add(RouteTable(id: id, name: name, vpcID: vpcID, isMain: true))
        }

        // Network ACLs and the default ACL.
        let defaultACLs = raw.networkACLs.filter(\.isDefault)
        for extra in defaultACLs.dropFirst() {
            reader.error(extra.entity.location, "VPC '\(raw.entity.name)' has more than one default network ACL",
                         hint: "remove 'default: true' from all but one")
        }
        for acl in raw.networkACLs {
            guard let id = acls.resolve(acl.entity.id ?? acl.entity.name) else { continue }
            let entry = { (entry: RawACLEntry) -> NetworkACLEntry in
                NetworkACLEntry(ruleNumber: entry.ruleNumber, action: entry.action, ipProtocol: entry.ipProtocol,
                                ports: entry.ports, icmp: entry.icmp, cidr: entry.cidr)
            }
            for (direction, rawEntry) in acl.ingress.map({ ("ingress", $0) }) + acl.egress.map({ ("egress", $0) }) {
                sourceMap.record(id, field: "\(direction)#\(rawEntry.ruleNumber)", rawEntry.location)
            }
            network.networkACLs.append(NetworkACL(id: id, name: acl.entity.name, vpcID: vpcID,
                                                  isDefault: acl.isDefault && acl.entity.name == defaultACLs.first?.entity.name,
                                                  ingress: acl.ingress.map(entry), egress: acl.egress.map(entry)))
        }
        if defaultACLs.isEmpty {
            let name = "\(raw.entity.name)-default"
            let id = StableID.make("acl", "\(raw.entity.name)#default")
            register(acls, RawEntity(name: name, id: id, location: raw.entity.location), id: id)
            network.networkACLs.append(NetworkACL(id: id, name: name, vpcID: vpcID, isDefault: true,
                                                  ingress: NetworkACL.allowAllEntries(), egress: NetworkACL.allowAllEntries()))
        }

        // Subnets with their associations.
        for subnet in raw.subnets {
            guard let id = subnets.resolve(subnet.entity.id ?? subnet.entity.name), let cidr = subnet.cidr else { continue }
            sourceMap.record(id, field: "cidr", subnet.cidrLocation)
            if let az = subnet.availabilityZone {
                sourceMap.record(id, field: "az", az.location)
            }
            let tableID = subnet.routeTable.flatMap { resolve($0, in: routeTables, context: "subnet '\(subnet.entity.name)'") }
            let aclID = subnet.networkACL.flatMap { resolve($0, in: acls, context: "subnet '\(subnet.entity.name)'") }
            add(Subnet(id: id, name: subnet.entity.name, vpcID: vpcID, cidr: cidr,
                                          availabilityZone: subnet.availabilityZone?.value ?? "", routeTableID: tableID, networkACLID: aclID))
            if let tableID, let ref = subnet.routeTable { checkSameVPC([tableID], refs: [ref], vpcID: vpcID, what: "route table", of: "subnet '\(subnet.entity.name)'") }
        }
        // ACLs may list their subnets instead.
        for acl in raw.networkACLs {
            guard let aclID = acls.resolve(acl.entity.id ?? acl.entity.name) else { continue }
            for ref in acl.subnets {
                guard let subnetID = resolve(ref, in: subnets, context: "network ACL '\(acl.entity.name)'"),
                      let index = subnetPositions[subnetID] else { continue }
                if let existing = network.subnets[index].networkACLID, existing != aclID {
                    reader.error(ref.location, "subnet '\(ref.value)' is associated with two network ACLs",
                                 hint: "a subnet has exactly one network ACL: keep one association")
                }
                network.subnets[index].networkACLID = aclID
            }
        }

        // Security groups (rules resolve other groups, which are all declared by now).
        for group in raw.securityGroups {
            guard let id = groups.resolve(group.entity.id ?? group.entity.name) else { continue }
            let context = "security group '\(group.entity.name)'"
            let rules = { (rules: [RawSGRule]) -> [SecurityGroupRule] in
                rules.flatMap { rule -> [SecurityGroupRule] in
                    rule.peers.compactMap { peer -> SecurityGroupRule? in
                        let resolved: SecurityGroupRule.Peer?
                        switch peer {
                        case .cidr(let cidr): resolved = .cidr(cidr)
                        case .prefixList(let ref): resolved = self.resolve(ref, in: self.prefixLists, context: context).map { .prefixList($0) }
                        case .securityGroup(let ref): resolved = self.resolve(ref, in: self.groups, context: context).map { .securityGroup($0) }
                        }
                        return resolved.map { SecurityGroupRule(ipProtocol: rule.ipProtocol, ports: rule.ports, icmp: rule.icmp, peer: $0, description: rule.description) }
                    }
                }
            }
            add(SecurityGroup(id: id, name: group.entity.name, vpcID: vpcID, description: group.description,
                                                        ingress: rules(group.ingress),
                                                        egress: group.egress.map(rules) ?? [SecurityGroupRule.allowAllEgress]))
        }
    }

    /// The VPC's default security group, created on first use: AWS's default group allows inbound
    /// from its own members and all outbound.
    private func defaultGroup(vpcID: String, vpcName: String) -> String {
        let name = "\(vpcName)-default"
        if let id = groups.resolve(name) { return id }
        let id = StableID.make("sg", "\(vpcName)#default")
        _ = groups.register(name: name, id: id)
        add(SecurityGroup(id: id, name: name, vpcID: vpcID, description: "default VPC security group",
                                                    ingress: [SecurityGroupRule(ipProtocol: .all, peer: .securityGroup(id))]))
        return id
    }

    private func claimExplicitAddresses(_ raw: RawVPC) {
        func claim(_ subnetRef: Ref?, _ addresses: [IPv4Address]) {
            guard let subnetRef, let subnetID = subnets.resolve(subnetRef.value) else { return }
            for address in addresses { usedAddresses[subnetID, default: []].insert(address.value) }
        }
        for nat in raw.natGateways { claim(nat.subnet, nat.privateIP.map { [$0] } ?? []) }
        for interface in raw.interfaces { claim(interface.subnet, interface.privateIPs) }
        for workload in raw.workloads {
            for (subnet, address) in zip(workload.subnets, workload.privateIPs) { claim(subnet, [address.value]) }
        }
        for endpoint in raw.endpoints {
            for (subnet, address) in zip(endpoint.subnets, endpoint.privateIPs) { claim(subnet, [address]) }
        }
        for lb in raw.loadBalancers {
            for (subnet, address) in zip(lb.subnets, lb.privateIPs) { claim(subnet, [address]) }
        }
        for nat in raw.natGateways { if let eip = nat.elasticIP { usedPublicAddresses.insert(eip.value) } }
        for interface in raw.interfaces {
            if case .address(let address) = interface.publicIP { usedPublicAddresses.insert(address.value) }
            if let eip = interface.elasticIP { usedPublicAddresses.insert(eip.value) }
        }
        for workload in raw.workloads { if case .address(let address) = workload.publicIP { usedPublicAddresses.insert(address.value) } }
    }

    /// The lowest free address of the subnet that AWS would not reserve.
    private func assignAddress(subnetID: String, owner: String, at location: SourceLocation) -> IPv4Address? {
        guard let subnet = subnet(subnetID) else { return nil }
        var candidate = subnet.cidr.network.value &+ 4
        let last = subnet.cidr.last.value
        while candidate < last {
            if !usedAddresses[subnetID, default: []].contains(candidate) {
                usedAddresses[subnetID, default: []].insert(candidate)
                return IPv4Address(candidate)
            }
            candidate &+= 1
        }
        reader.error(location, "subnet '\(subnet.name)' (\(subnet.cidr)) has no free address left for \(owner)",
                     hint: "use a larger subnet or fewer interfaces")
        return nil
    }

    /// Stable public addresses for resources that get one without naming it, from the documentation
    /// ranges (RFC 5737), which no real AWS resource or service uses.
    static let autoPublicPools: [CIDR] = ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24"].compactMap { CIDR($0) }
    /// How many automatic public addresses there are: .1 to .254 of each pool.
    static let autoPublicCount = 3 * 254

    /// The automatic public address number `index` (0..<autoPublicCount), before skipping taken ones;
    /// the generator predicts load balancer addresses with it.
    static func autoPublicAddress(at index: Int) -> IPv4Address {
        IPv4Address(autoPublicPools[index / 254].network.value &+ UInt32(index % 254 + 1))
    }

    private func assignPublicAddress(owner: String, at location: SourceLocation) -> IPv4Address? {
        while nextPublicIndex < TopologyBuilder.autoPublicCount {
            let candidate = TopologyBuilder.autoPublicAddress(at: nextPublicIndex).value
            nextPublicIndex += 1
            if usedPublicAddresses.insert(candidate).inserted { return IPv4Address(candidate) }
        }
        reader.error(location, "no automatic public address is left for \(owner)", hint: "give public addresses explicitly (elastic_ip / public_ip)")
        return nil
    }

    private func buildAttachments(_ raw: RawVPC) {
        let vpcID = vpcID(raw)
        for nat in raw.natGateways {
            guard let id = nats.resolve(nat.entity.id ?? nat.entity.name),
                  let subnetRef = nat.subnet,
                  let subnetID = resolve(subnetRef, in: subnets, context: "NAT gateway '\(nat.entity.name)'") else { continue }
            checkSameVPC([subnetID], refs: [subnetRef], vpcID: vpcID, what: "subnet", of: "NAT gateway '\(nat.entity.name)'")
            guard let privateIP = nat.privateIP ?? assignAddress(subnetID: subnetID, owner: "NAT gateway '\(nat.entity.name)'", at: nat.entity.location) else { continue }
            var eip: IPv4Address?
            if nat.connectivity == .public {
                eip = nat.elasticIP ?? assignPublicAddress(owner: "NAT gateway '\(nat.entity.name)'", at: nat.entity.location)
            }
            let eniID = StableID.make("eni", "nat:\(nat.entity.name)")
            _ = interfaces.register(name: "\(nat.entity.name)@\(subnetRef.value)", id: eniID)
            sourceMap.record(eniID, nat.entity.location)
            sourceMap.record(id, field: "private_ip", nat.entity.location)
            add(NetworkInterface(id: eniID, name: "\(nat.entity.name)@\(subnetRef.value)", subnetID: subnetID,
                                                       privateIPs: [privateIP], publicIP: eip, publicIPIsElastic: eip != nil,
                                                       securityGroupIDs: [], sourceDestCheck: false, owner: .natGateway(id),
                                                       description: "Interface for NAT Gateway \(id)"))
            network.natGateways.append(NATGateway(id: id, name: nat.entity.name, subnetID: subnetID, connectivity: nat.connectivity,
                                                  privateIP: privateIP, elasticIP: eip, interfaceID: eniID))
        }

        for endpoint in raw.endpoints {
            guard let id = endpoints.resolve(endpoint.entity.id ?? endpoint.entity.name), let serviceText = endpoint.service else { continue }
            let service = VPCEndpoint.shortServiceName(serviceText.value)
            let region = raw.region?.value ?? ""
            let known = network.services.filter { $0.region == region }
            if !known.contains(where: { $0.name == service }) {
                reader.error(serviceText.location, "no AWS service '\(service)' is known in \(region)",
                             hint: Suggest.didYouMean(service, known.map(\.name)) ?? "declare it under the top-level 'services:' with its addresses")
            }
            if endpoint.kind == .gateway, !["s3", "dynamodb"].contains(service) {
                reader.error(serviceText.location, "'\(service)' has no gateway endpoint; only s3 and dynamodb do",
                             hint: "use type: interface")
            }
            let context = "endpoint '\(endpoint.entity.name)'"
            let tableIDs = resolveAll(endpoint.routeTables, in: routeTables, context: context)
            let subnetIDs = resolveAll(endpoint.subnets, in: subnets, context: context)
            var groupIDs = resolveAll(endpoint.securityGroups, in: groups, context: context)
            checkSameVPC(subnetIDs, refs: endpoint.subnets, vpcID: vpcID, what: "subnet", of: context)
            checkSameVPC(tableIDs, refs: endpoint.routeTables, vpcID: vpcID, what: "route table", of: context)
            var seenZones: [String: String] = [:]
            for (subnetID, ref) in zip(subnetIDs, endpoint.subnets) {
                let zone = subnet(subnetID)?.availabilityZone ?? ""
                if let other = seenZones[zone] {
                    reader.error(ref.location, "\(context) has two subnets in \(zone) ('\(other)' and '\(ref.value)')",
                                 hint: "an interface endpoint takes at most one subnet per Availability Zone")
                }
                seenZones[zone] = ref.value
            }
            if endpoint.kind == .interface && groupIDs.isEmpty && endpoint.securityGroups.isEmpty {
                groupIDs = [defaultGroup(vpcID: vpcID, vpcName: raw.entity.name)]
            }
            var eniIDs: [String] = []
            if endpoint.kind == .interface {
                for (index, (subnetID, ref)) in zip(subnetIDs, endpoint.subnets).enumerated() {
                    let explicit = index < endpoint.privateIPs.count ? endpoint.privateIPs[index] : nil
                    guard let address = explicit ?? assignAddress(subnetID: subnetID, owner: context, at: endpoint.entity.location) else { continue }
                    let eniID = StableID.make("eni", "vpce:\(endpoint.entity.name)@\(ref.value)")
                    let name = "\(endpoint.entity.name)@\(ref.value)"
                    _ = interfaces.register(name: name, id: eniID)
                    sourceMap.record(eniID, endpoint.entity.location)
                    add(NetworkInterface(id: eniID, name: name, subnetID: subnetID, privateIPs: [address],
                                                               securityGroupIDs: groupIDs, owner: .endpoint(id),
                                                               description: "VPC Endpoint Interface \(id)"))
                    eniIDs.append(eniID)
                }
            }
            network.endpoints.append(VPCEndpoint(id: id, name: endpoint.entity.name, vpcID: vpcID, kind: endpoint.kind, service: service,
                                                 routeTableIDs: tableIDs, subnetIDs: subnetIDs, securityGroupIDs: groupIDs,
                                                 privateDNS: endpoint.privateDNS, interfaceIDs: eniIDs))
        }

        for interface in raw.interfaces {
            guard let id = interfaces.resolve(interface.entity.id ?? interface.entity.name), let subnetRef = interface.subnet,
                  let subnetID = resolve(subnetRef, in: subnets, context: "interface '\(interface.entity.name)'") else { continue }
            let context = "interface '\(interface.entity.name)'"
            checkSameVPC([subnetID], refs: [subnetRef], vpcID: vpcID, what: "subnet", of: context)
            var ips = interface.privateIPs
            if ips.isEmpty, let address = assignAddress(subnetID: subnetID, owner: context, at: interface.entity.location) { ips = [address] }
            sourceMap.record(id, field: "private_ips", interface.privateIPsLocation)
            var groupIDs = resolveAll(interface.securityGroups, in: groups, context: context)
            checkSameVPC(groupIDs, refs: interface.securityGroups, vpcID: vpcID, what: "security group", of: context)
            if !interface.securityGroupsGiven { groupIDs = [defaultGroup(vpcID: vpcID, vpcName: raw.entity.name)] }
            if interface.securityGroupsGiven && interface.securityGroups.isEmpty {
                reader.error(interface.entity.location, "\(context) has no security group",
                             hint: "every interface has at least one security group in AWS; omit the key for the VPC's default group")
            }
            var publicIP: IPv4Address?
            var elastic = false
            if let eip = interface.elasticIP { publicIP = eip; elastic = true } else {
                switch interface.publicIP {
                case .none: break
                case .auto: publicIP = assignPublicAddress(owner: context, at: interface.entity.location)
                case .address(let address): publicIP = address
                }
            }
            add(NetworkInterface(id: id, name: interface.entity.name, subnetID: subnetID, privateIPs: ips,
                                                       publicIP: publicIP, publicIPIsElastic: elastic, securityGroupIDs: groupIDs,
                                                       sourceDestCheck: interface.sourceDestCheck, instanceID: interface.instance,
                                                       mac: interface.mac, description: interface.description))
        }

        for workload in raw.workloads {
            guard let id = workloads.resolve(workload.entity.id ?? workload.entity.name) else { continue }
            let context = "workload '\(workload.entity.name)'"
            var groupIDs = resolveAll(workload.securityGroups, in: groups, context: context)
            checkSameVPC(groupIDs, refs: workload.securityGroups, vpcID: vpcID, what: "security group", of: context)
            if !workload.securityGroupsGiven && !workload.subnets.isEmpty { groupIDs = [defaultGroup(vpcID: vpcID, vpcName: raw.entity.name)] }
            if workload.securityGroupsGiven && workload.securityGroups.isEmpty {
                reader.error(workload.entity.location, "\(context) has no security group",
                             hint: "every interface has at least one security group in AWS; omit the key for the VPC's default group")
            }
            if !workload.privateIPs.isEmpty && workload.privateIPs.count != workload.subnets.count {
                reader.error(workload.privateIPs[0].location, "\(context) lists \(workload.privateIPs.count) private IPs for \(workload.subnets.count) subnets",
                             hint: "give one address per subnet, in the same order, or none")
            }
            var eniIDs: [String] = []
            for (index, subnetRef) in workload.subnets.enumerated() {
                guard let subnetID = resolve(subnetRef, in: subnets, context: context) else { continue }
                checkSameVPC([subnetID], refs: [subnetRef], vpcID: vpcID, what: "subnet", of: context)
                let name = "\(workload.entity.name)@\(subnetRef.value)"
                let eniID = StableID.make("eni", "workload:\(name)")
                guard interfaces.register(name: name, id: eniID) else {
                    reader.error(subnetRef.location, "\(context) lists subnet '\(subnetRef.value)' twice", hint: "a workload gets one interface per subnet")
                    continue
                }
                let explicit = index < workload.privateIPs.count ? workload.privateIPs[index] : nil
                guard let address = explicit?.value ?? assignAddress(subnetID: subnetID, owner: context, at: workload.entity.location) else { continue }
                sourceMap.record(eniID, explicit?.location ?? subnetRef.location)
                sourceMap.record(eniID, field: "private_ips", explicit?.location ?? subnetRef.location)
                var publicIP: IPv4Address?
                switch workload.publicIP {
                case .none: break
                case .auto: publicIP = assignPublicAddress(owner: context, at: workload.entity.location)
                case .address(let address): publicIP = address
                }
                add(NetworkInterface(id: eniID, name: name, subnetID: subnetID, privateIPs: [address], publicIP: publicIP,
                                                           securityGroupIDs: groupIDs, owner: .workload(id)))
                eniIDs.append(eniID)
            }
            let listed = resolveAll(workload.interfaces, in: interfaces, context: context)
            eniIDs += listed
            // Its own interfaces (one per subnet) already belong to it; those it lists may not yet.
            pendingClaims += listed.map { (id, $0) }
            add(Workload(id: id, name: workload.entity.name, kind: workload.kind, interfaceIDs: eniIDs))
        }
        // Interfaces named by a workload belong to it: the first workload (in file order) that names
        // an unowned interface takes it, once the interface exists.
        pendingClaims.removeAll { claim in
            guard let index = interfacePositions[claim.interface] else { return false }
            if network.interfaces[index].owner == .none { network.interfaces[index].owner = .workload(claim.workload) }
            return true
        }

        for group in raw.targetGroups {
            guard let id = targetGroups.resolve(group.entity.id ?? group.entity.name) else { continue }
            var targets: [TargetGroup.Target] = []
            for ref in group.targets {
                if let address = IPv4Address(ref.value) { targets.append(.ip(address)); continue }
                if let workloadID = workloads.resolve(ref.value), let position = workloadPositions[workloadID] {
                    let workload = network.workloads[position]
                    targets += workload.interfaceIDs.map { .interface($0) }
                    continue
                }
                if let eniID = interfaces.resolve(ref.value) { targets.append(.interface(eniID)); continue }
                let candidates = workloads.names + interfaces.names
                reader.error(ref.location, "target group '\(group.entity.name)' refers to unknown target '\(ref.value)'",
                             hint: Suggest.didYouMean(ref.value, candidates) ?? "a target is a workload, an interface (name or id) or an IP address")
            }
            network.targetGroups.append(TargetGroup(id: id, name: group.entity.name, vpcID: vpcID, targetProtocol: group.targetProtocol,
                                                    port: group.port, targets: targets))
        }

        for lb in raw.loadBalancers {
            guard let id = loadBalancers.resolve(lb.entity.id ?? lb.entity.name) else { continue }
            let context = "load balancer '\(lb.entity.name)'"
            let subnetIDs = resolveAll(lb.subnets, in: subnets, context: context)
            checkSameVPC(subnetIDs, refs: lb.subnets, vpcID: vpcID, what: "subnet", of: context)
            var groupIDs = resolveAll(lb.securityGroups, in: groups, context: context)
            if lb.kind == .application && lb.securityGroups.isEmpty { groupIDs = [defaultGroup(vpcID: vpcID, vpcName: raw.entity.name)] }
            let listeners: [LoadBalancer.Listener] = lb.listeners.compactMap { listener in
                guard let groupID = resolve(listener.targetGroup, in: targetGroups, context: "a listener of \(context)") else { return nil }
                return LoadBalancer.Listener(listenerProtocol: listener.listenerProtocol, port: listener.port, targetGroupID: groupID)
            }
            var eniIDs: [String] = []
            for (index, (subnetID, ref)) in zip(subnetIDs, lb.subnets).enumerated() {
                let explicit = index < lb.privateIPs.count ? lb.privateIPs[index] : nil
                guard let address = explicit ?? assignAddress(subnetID: subnetID, owner: context, at: lb.entity.location) else { continue }
                let name = "\(lb.entity.name)@\(ref.value)"
                let eniID = StableID.make("eni", "elb:\(name)")
                _ = interfaces.register(name: name, id: eniID)
                sourceMap.record(eniID, lb.entity.location)
                let publicIP = lb.scheme == .internetFacing ? assignPublicAddress(owner: context, at: lb.entity.location) : nil
                add(NetworkInterface(id: eniID, name: name, subnetID: subnetID, privateIPs: [address], publicIP: publicIP,
                                                           securityGroupIDs: groupIDs, sourceDestCheck: true, owner: .loadBalancer(id),
                                                           description: "ELB \(lb.kind == .application ? "app" : "net")/\(lb.entity.name)"))
                eniIDs.append(eniID)
            }
            network.loadBalancers.append(LoadBalancer(id: id, name: lb.entity.name, vpcID: vpcID, kind: lb.kind, scheme: lb.scheme,
                                                      subnetIDs: subnetIDs, securityGroupIDs: groupIDs, listeners: listeners, interfaceIDs: eniIDs))
        }
    }

    private func buildPeering(_ raw: RawPeering) {
        guard let id = peerings.resolve(raw.entity.id ?? raw.entity.name),
              let requesterRef = raw.requester, let accepterRef = raw.accepter,
              let requester = resolve(requesterRef, in: vpcs, context: "peering '\(raw.entity.name)'"),
              let accepter = resolve(accepterRef, in: vpcs, context: "peering '\(raw.entity.name)'") else { return }
        if requester == accepter {
            reader.error(accepterRef.location, "peering '\(raw.entity.name)' connects VPC '\(accepterRef.value)' to itself", hint: "peer two different VPCs")
        }
        network.peerings.append(PeeringConnection(id: id, name: raw.entity.name, requesterVPCID: requester, accepterVPCID: accepter))
    }

    private func buildTransitGateway(_ raw: RawTransitGateway, raw topology: RawTopology) {
        guard let id = transitGateways.resolve(raw.entity.id ?? raw.entity.name) else { return }
        let context = "transit gateway '\(raw.entity.name)'"
        // Route tables: the declared ones, or the one default table of the shorthand.
        var tables: [TransitGateway.RouteTable] = []
        let tableNames = Directory(kind: "route table of \(context)")
        let rawTables = raw.routeTables.isEmpty
            ? [RawTGWRouteTable(entity: RawEntity(name: "\(raw.entity.name)-default", id: TransitGateway.defaultTableID(of: id),
                                                  location: raw.entity.location), routes: raw.routes)]
            : raw.routeTables
        for table in rawTables {
            let tableID = table.entity.id ?? StableID.make("tgw-rtb", "\(raw.entity.name):\(table.entity.name)")
            if !tableNames.register(name: table.entity.name, id: tableID) {
                reader.error(table.entity.location, "\(context) has two route tables named '\(table.entity.name)'", hint: "rename one")
            }
            sourceMap.record(tableID, table.entity.location)
            tables.append(TransitGateway.RouteTable(id: tableID, name: table.entity.name))
        }
        var defaultTable = tables.first?.id
        if let ref = raw.defaultRouteTable { defaultTable = resolve(ref, in: tableNames, context: context) }

        // Attachments, then routes (which name them).
        var attachments: [TransitGateway.Attachment] = []
        let attachmentNames = Directory(kind: "attachment of \(context)")
        for attachment in raw.attachments {
            guard let built = buildTGWAttachment(attachment, gatewayName: raw.entity.name, gatewayID: id, tables: tableNames,
                                                 defaultTable: defaultTable, propagate: raw.propagate, context: context) else { continue }
            if attachments.contains(where: { $0.resource == built.resource }) {
                reader.error(attachment.location, "\(context) attaches \(attachment.vpc?.value ?? attachment.vpn?.value ?? attachment.peer?.value ?? "it") twice",
                             hint: "one attachment per VPC, VPN, Direct Connect gateway or peer")
                continue
            }
            // An attachment answers to its name, its id and the name of what it attaches.
            _ = attachmentNames.register(name: built.name, id: built.id)
            for ref in [attachment.vpc, attachment.vpn, attachment.directConnect, attachment.peer].compactMap({ $0 }) {
                _ = attachmentNames.register(name: ref.value, id: built.id)
            }
            sourceMap.record(built.id, attachment.location)
            attachments.append(built)
        }
        // A VPN connection that ends at this gateway is attached to it, as AWS does on creation.
        for connection in topology.vpnConnections {
            guard let ref = connection.transitGateway, transitGateways.resolve(ref.value) == id,
                  let connectionID = vpnConnections.resolve(connection.entity.id ?? connection.entity.name),
                  !attachments.contains(where: { $0.resource == .vpn(connectionID) }) else { continue }
            let attachmentID = StableID.make("tgw-attach", "\(raw.entity.name):\(connection.entity.name)")
            _ = attachmentNames.register(name: connection.entity.name, id: attachmentID)
            attachments.append(TransitGateway.Attachment(id: attachmentID, name: connection.entity.name, resource: .vpn(connectionID),
                                                         routeTableID: defaultTable, propagatesTo: defaultTable.map { [$0] } ?? []))
        }
        for (index, table) in rawTables.enumerated() {
            for route in table.routes {
                let routeContext = "a route of \(context)"
                var destination: TransitGateway.Route.Destination?
                if route.destination.value.first?.isNumber == true {
                    destination = reader.parseCIDR(route.destination).map { .cidr($0) }
                } else if let listID = resolve(route.destination, in: prefixLists, context: routeContext) {
                    destination = .prefixList(listID)
                }
                guard let destination else { continue }
                var attachmentID: String?
                if let ref = route.attachment {
                    guard let resolved = attachmentNames.resolve(ref.value) else {
                        reader.error(ref.location, "\(context) has no attachment '\(ref.value)'",
                                     hint: Suggest.didYouMean(ref.value, attachmentNames.names) ?? "add it under 'attachments'")
                        continue
                    }
                    attachmentID = resolved
                }
                tables[index].routes.append(TransitGateway.Route(destination: destination, attachmentID: attachmentID))
            }
        }
        network.transitGateways.append(TransitGateway(id: id, name: raw.entity.name, region: raw.region?.value ?? "",
                                                      attachments: attachments, routeTables: tables,
                                                      securityGroupReferencing: raw.securityGroupReferencing))
    }

    private func buildTGWAttachment(_ raw: RawTGWAttachment, gatewayName: String, gatewayID: String, tables: Directory,
                                    defaultTable: String?, propagate: Bool, context: String) -> TransitGateway.Attachment? {
        let resource: TransitGateway.Attachment.Resource
        let label: String
        var subnetIDs: [String] = []
        if let ref = raw.vpc {
            guard let vpcID = resolve(ref, in: vpcs, context: context) else { return nil }
            subnetIDs = resolveAll(raw.subnets, in: subnets, context: "the attachment of '\(ref.value)' to \(context)")
            for (subnetID, subnetRef) in zip(subnetIDs, raw.subnets) where vpcOf(subnet: subnetID) != vpcID {
                reader.error(subnetRef.location, "subnet '\(subnetRef.value)' of the attachment is not in VPC '\(ref.value)'",
                             hint: "a transit gateway attachment uses subnets of the VPC it attaches")
            }
            var zones: [String: String] = [:]
            for (subnetID, subnetRef) in zip(subnetIDs, raw.subnets) {
                guard let zone = subnet(subnetID)?.availabilityZone else { continue }
                if let other = zones[zone] {
                    reader.error(subnetRef.location, "the attachment of '\(ref.value)' has two subnets in \(zone) ('\(other)' and '\(subnetRef.value)')",
                                 hint: "AWS takes one subnet per Availability Zone")
                }
                zones[zone] = subnetRef.value
            }
            resource = .vpc(vpcID); label = ref.value
        } else if let ref = raw.vpn {
            guard let connectionID = resolve(ref, in: vpnConnections, context: context) else { return nil }
            resource = .vpn(connectionID); label = ref.value
        } else if let ref = raw.directConnect {
            guard let gateway = resolve(ref, in: directConnectGateways, context: context) else { return nil }
            resource = .directConnect(gateway); label = ref.value
        } else if let ref = raw.peer {
            guard let peer = resolve(ref, in: transitGateways, context: context) else { return nil }
            if peer == gatewayID {
                reader.error(ref.location, "\(context) cannot peer with itself")
                return nil
            }
            resource = .peering(transitGatewayID: peer); label = ref.value
        } else {
            return nil
        }
        var association = defaultTable
        if let ref = raw.routeTable { association = resolve(ref, in: tables, context: "the attachment of '\(label)'") }
        var propagations: [String]
        if let refs = raw.propagateTo {
            propagations = resolveAll(refs, in: tables, context: "the attachment of '\(label)'")
        } else {
            // AWS's default: propagate into the default propagation table (peerings carry static routes only).
            if case .peering = resource { propagations = [] } else { propagations = propagate ? (defaultTable.map { [$0] } ?? []) : [] }
        }
        if case .peering = resource, let refs = raw.propagateTo, let first = refs.first {
            reader.error(first.location, "a transit gateway peering attachment does not propagate routes",
                         hint: "add static routes to the peer's attachment instead (AWS: peerings support static routes only)")
            propagations = []
        }
        let name = raw.name?.value ?? label
        let id = raw.id ?? StableID.make("tgw-attach", "\(gatewayName):\(label)")
        return TransitGateway.Attachment(id: id, name: name, resource: resource, subnetIDs: subnetIDs, applianceMode: raw.applianceMode,
                                         routeTableID: association, propagatesTo: propagations)
    }

    private func buildHybridEdges(_ raw: RawTopology) {
        for gateway in raw.vpnGateways {
            guard let id = vpnGateways.resolve(gateway.entity.id ?? gateway.entity.name) else { continue }
            let vpcID = gateway.vpc.flatMap { resolve($0, in: vpcs, context: "virtual private gateway '\(gateway.entity.name)'") }
            network.vpnGateways.append(VPNGateway(id: id, name: gateway.entity.name, vpcID: vpcID))
        }
        for gateway in raw.customerGateways {
            guard let id = customerGateways.resolve(gateway.entity.id ?? gateway.entity.name) else { continue }
            network.customerGateways.append(CustomerGateway(id: id, name: gateway.entity.name, ipAddress: gateway.ipAddress, asn: gateway.asn))
        }
        for connection in raw.vpnConnections {
            guard let id = vpnConnections.resolve(connection.entity.id ?? connection.entity.name) else { continue }
            let context = "VPN connection '\(connection.entity.name)'"
            let customer = connection.customerGateway.flatMap { resolve($0, in: customerGateways, context: context) }
            let end: VPNConnection.Gateway
            if let ref = connection.vpnGateway, let gateway = resolve(ref, in: vpnGateways, context: context) {
                end = .vpnGateway(gateway)
            } else if let ref = connection.transitGateway, let gateway = resolve(ref, in: transitGateways, context: context) {
                end = .transitGateway(gateway)
            } else {
                continue
            }
            network.vpnConnections.append(VPNConnection(id: id, name: connection.entity.name, customerGatewayID: customer, gateway: end,
                                                        staticRoutes: connection.staticRoutes, bgpPrefixes: connection.bgpPrefixes))
        }
        for gateway in raw.directConnectGateways {
            guard let id = directConnectGateways.resolve(gateway.entity.id ?? gateway.entity.name) else { continue }
            let context = "Direct Connect gateway '\(gateway.entity.name)'"
            network.directConnectGateways.append(DirectConnectGateway(
                id: id, name: gateway.entity.name, vpnGatewayIDs: resolveAll(gateway.vpnGateways, in: vpnGateways, context: context),
                transitGatewayIDs: resolveAll(gateway.transitGateways, in: transitGateways, context: context), prefixes: gateway.prefixes))
        }
    }

    private func buildOnPremNetworks(_ raw: [RawOnPremNetwork]) {
        var names: Set<String> = []
        for item in raw {
            let context = "on-premises network '\(item.name.value)'"
            guard names.insert(item.name.value.lowercased()).inserted else {
                reader.error(item.location, "on-premises network name '\(item.name.value)' is used twice", hint: "rename one")
                continue
            }
            guard let via = item.via else { continue }
            let edge: OnPremNetwork.Edge
            if let id = vpnConnections.resolve(via.value) {
                edge = .vpnConnection(id)
            } else if let id = directConnectGateways.resolve(via.value) {
                edge = .directConnectGateway(id)
            } else {
                reader.error(via.location, "\(context) is reached via unknown '\(via.value)'",
                             hint: Suggest.didYouMean(via.value, vpnConnections.names + directConnectGateways.names)
                                ?? "'via' names a VPN connection or a Direct Connect gateway")
                continue
            }
            if item.cidrs.isEmpty { reader.error(item.location, "\(context) has no 'cidrs'", hint: "list its address ranges") }
            network.onPremNetworks.append(OnPremNetwork(name: item.name.value, cidrs: item.cidrs, via: edge))
        }
    }

    private func buildRoutes(_ raw: RawVPC) {
        let vpcID = vpcID(raw)
        let region = raw.region?.value ?? ""
        let vpcCIDRs = raw.cidrs
        for index in network.routeTables.indices where network.routeTables[index].vpcID == vpcID {
            network.routeTables[index].routes = vpcCIDRs.map { Route(destination: .cidr($0), target: .local) }
        }
        for table in raw.routeTables {
            guard let tableID = routeTables.resolve(table.entity.id ?? table.entity.name),
                  let tableIndex = tablePositions[tableID] else { continue }
            for ref in table.propagateFrom {
                guard let gateway = resolve(ref, in: vpnGateways, context: "'propagate_from' of '\(table.entity.name)'") else { continue }
                if network.vpnGateways.first(where: { $0.id == gateway })?.vpcID != vpcID {
                    reader.error(ref.location, "route table '\(table.entity.name)' propagates from '\(ref.value)', which is not attached to its VPC",
                                 hint: "attach the gateway with 'vpc:' under 'vpn_gateways'")
                }
                network.routeTables[tableIndex].propagatingGatewayIDs.append(gateway)
            }
            for route in table.routes {
                let context = "a route in '\(table.entity.name)'"
                var destination: Route.Destination?
                if route.destination.value.first?.isNumber == true {
                    destination = reader.parseCIDR(route.destination).map { .cidr($0) }
                } else if let listID = resolve(route.destination, in: prefixLists, context: context) {
                    destination = .prefixList(listID)
                }
                guard let destination, let target = resolveTarget(route.target, context: context, vpcID: vpcID) else { continue }
                if case .cidr(let cidr) = destination, vpcCIDRs.contains(cidr) {
                    reader.error(route.destination.location, "\(context) repeats the local route for \(cidr)",
                                 hint: "the local route for each VPC CIDR is implied: remove this route")
                    continue
                }
                let index = network.routeTables[tableIndex].routes.count
                sourceMap.record(tableID, field: "route#\(index)", route.location)
                network.routeTables[tableIndex].routes.append(Route(destination: destination, target: target, origin: route.origin))
            }
        }
        // Gateway endpoints add a route for their service's prefix list to each table they list.
        for endpoint in network.endpoints where endpoint.vpcID == vpcID && endpoint.kind == .gateway {
            guard let listID = network.services.first(where: { $0.name == endpoint.service && $0.region == region })?.prefixListID else {
                if let location = sourceMap.location(of: endpoint.id) {
                    reader.error(location, "no prefix list is known for \(endpoint.service) in \(region)",
                                 hint: "declare the service with 'prefix_list' under the top-level 'services:'")
                }
                continue
            }
            for tableID in endpoint.routeTableIDs {
                guard let index = tablePositions[tableID] else { continue }
                network.routeTables[index].routes.append(Route(destination: .prefixList(listID), target: .gatewayEndpoint(endpoint.id)))
            }
        }
    }

    private func resolveTarget(_ ref: Ref, context: String, vpcID: String) -> Route.Target? {
        let text = ref.value
        switch text.lowercased() {
        case "blackhole": return .blackhole
        case "local":
            reader.error(ref.location, "\(context) targets 'local'", hint: "the local route for each VPC CIDR is implied: remove this route")
            return nil
        default: break
        }
        var matches: [(String, Route.Target)] = []
        if let id = igws.resolve(text) { matches.append(("internet gateway", .internetGateway(id))) }
        if let id = nats.resolve(text) { matches.append(("NAT gateway", .natGateway(id))) }
        if let id = peerings.resolve(text) { matches.append(("peering connection", .peering(id))) }
        if let id = transitGateways.resolve(text) { matches.append(("transit gateway", .transitGateway(id))) }
        if let id = vpnGateways.resolve(text) { matches.append(("virtual private gateway", .vpnGateway(id))) }
        if let id = interfaces.resolve(text) { matches.append(("interface", .networkInterface(id))) }
        if endpoints.resolve(text) != nil {
            reader.error(ref.location, "\(context) targets endpoint '\(text)'",
                         hint: "gateway endpoint routes are added by the endpoint: list this table under the endpoint's 'route_tables'")
            return nil
        }
        if matches.count > 1 {
            reader.error(ref.location, "\(context) target '\(text)' is ambiguous: it names a \(matches.map(\.0).joined(separator: " and a "))",
                         hint: "use the AWS id of the one you mean")
            return nil
        }
        if let match = matches.first {
            if case .internetGateway(let id) = match.1, network.internetGateways.first(where: { $0.id == id })?.vpcID != vpcID {
                reader.error(ref.location, "\(context) targets internet gateway '\(text)' of another VPC", hint: "a route can only use its own VPC's internet gateway")
            }
            return match.1
        }
        let all = igws.names + nats.names + peerings.names + transitGateways.names + vpnGateways.names + interfaces.names + ["blackhole"]
        reader.error(ref.location, "\(context) targets unknown '\(text)'",
                     hint: Suggest.didYouMean(text, all) ?? "a target is an internet gateway, NAT gateway, peering, transit gateway, virtual private gateway, interface, or blackhole")
        return nil
    }
}
