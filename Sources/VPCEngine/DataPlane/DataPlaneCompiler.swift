import VPCModel

/// Builds a `DataPlane` from a `Network`: resolves every id reference to an index once, so that the
/// Evaluator never compares strings. References that name nothing become `noIndex`, which each rule
/// of docs/semantics.md treats as AWS would (a gone route target is a blackhole, an unknown prefix
/// list or group matches nothing).
struct DataPlaneCompiler {
    let network: Network
    var vpcIndex: [String: UInt32] = [:]
    var subnetIndex: [String: UInt32] = [:]
    var interfaceIndex: [String: UInt32] = [:]
    var groupIndex: [String: UInt32] = [:]
    var prefixListIndex: [String: UInt32] = [:]

    init(network: Network) { self.network = network }

    static func indexMap<T>(_ items: [T], _ id: (T) -> String) -> [String: UInt32] {
        indexMap(items, where: { _ in true }, id)
    }

    /// The first index of each key among the items that pass `include` (what `firstIndex(where:)`
    /// would find), built in one pass so that compiling stays linear at 100k interfaces.
    static func indexMap<T>(_ items: [T], where include: (T) -> Bool, _ key: (T) -> String) -> [String: UInt32] {
        var map: [String: UInt32] = [:]
        map.reserveCapacity(items.count)
        for (i, item) in items.enumerated() where include(item) && map[key(item)] == nil { map[key(item)] = UInt32(i) }
        return map
    }

    mutating func compile() -> (DataPlane, [[ResolvedPrefix]]) {
        var plane = DataPlane(network: network, placeholder: ())
        vpcIndex = Self.indexMap(network.vpcs, \.id)
        subnetIndex = Self.indexMap(network.subnets, \.id)
        // Ids taken out first: enumerating the interfaces would copy (retain and release) each whole struct.
        interfaceIndex = Self.indexMap(network.interfaces.map(\.id)) { $0 }
        groupIndex = Self.indexMap(network.securityGroups, \.id)
        prefixListIndex = Self.indexMap(network.prefixLists, \.id)
        let igwIndex = Self.indexMap(network.internetGateways, \.id)
        let natIndex = Self.indexMap(network.natGateways, \.id)
        let endpointIndex = Self.indexMap(network.endpoints, \.id)
        let peeringIndex = Self.indexMap(network.peerings, \.id)
        let tgwIndex = Self.indexMap(network.transitGateways, \.id)
        let vgwIndex = Self.indexMap(network.vpnGateways, \.id)
        let tableIndex = Self.indexMap(network.routeTables, \.id)
        let aclIndex = Self.indexMap(network.networkACLs, \.id)
        let lbIndex = Self.indexMap(network.loadBalancers, \.id)
        let workloadIndex = Self.indexMap(network.workloads.map(\.id)) { $0 }

        // Prefix lists and services.
        for list in network.prefixLists {
            let start = plane.prefixListCIDRs.count
            plane.prefixListCIDRs += list.cidrs.map(CompiledCIDR.init)
            plane.prefixLists.append(Range32(start, plane.prefixListCIDRs.count))
        }
        for (s, service) in network.services.enumerated() {
            let start = plane.serviceRanges.count
            for cidr in service.addresses { plane.serviceRanges.append((CompiledCIDR(cidr), UInt32(s))) }
            plane.serviceAddresses.append(Range32(start, plane.serviceRanges.count))
        }

        // VPCs and their attached internet gateway.
        let igwOfVPC = Self.indexMap(network.internetGateways, where: { $0.vpcID != nil }) { $0.vpcID ?? "" }
        for vpc in network.vpcs {
            let start = plane.vpcCIDRs.count
            plane.vpcCIDRs += vpc.cidrs.map(CompiledCIDR.init)
            let igw = igwOfVPC[vpc.id] ?? noIndex
            plane.vpcs.append(CompiledVPC(cidrs: Range32(start, plane.vpcCIDRs.count), internetGateway: igw))
        }
        plane.internetGateways = network.internetGateways.map { igw in igw.vpcID.flatMap { vpcIndex[$0] } ?? noIndex }
        plane.peerings = network.peerings.map { (vpcIndex[$0.requesterVPCID] ?? noIndex, vpcIndex[$0.accepterVPCID] ?? noIndex) }

        // Subnets: the table and ACL that apply (docs/semantics.md §3).
        let mainTableOfVPC = Self.indexMap(network.routeTables, where: \.isMain, \.vpcID)
        let defaultACLOfVPC = Self.indexMap(network.networkACLs, where: \.isDefault, \.vpcID)
        for subnet in network.subnets {
            let vpc = vpcIndex[subnet.vpcID] ?? noIndex
            let table = subnet.routeTableID.flatMap { tableIndex[$0] } ?? mainTableOfVPC[subnet.vpcID] ?? noIndex
            let acl = subnet.networkACLID.flatMap { aclIndex[$0] } ?? defaultACLOfVPC[subnet.vpcID] ?? noIndex
            plane.subnets.append(CompiledSubnet(vpc: vpc, routeTable: table, networkACL: acl, zone: 0))
        }
        let zones = Array(Set(network.subnets.map(\.availabilityZone))).sorted()
        for (i, subnet) in network.subnets.enumerated() {
            plane.subnets[i].zone = UInt32(zones.firstIndex(of: subnet.availabilityZone) ?? 0)
        }

        // Interfaces, their addresses and groups; fields read in place, appended without temporary arrays.
        let interfaces = network.interfaces
        plane.interfaces.reserveCapacity(interfaces.count)
        for i in interfaces.indices {
            let subnet = subnetIndex[interfaces[i].subnetID] ?? noIndex
            let vpc = subnet == noIndex ? noIndex : plane.subnets[Int(subnet)].vpc
            let addressStart = plane.interfaceAddresses.count
            for address in interfaces[i].privateIPs { plane.interfaceAddresses.append(address.value) }
            let groupStart = plane.interfaceGroups.count
            for group in interfaces[i].securityGroupIDs { plane.interfaceGroups.append(groupIndex[group] ?? noIndex) }
            var owner = CompiledInterface.Owner.none
            var ownerIndex = noIndex
            switch interfaces[i].owner {
            case .none: break
            case .workload(let id): owner = .workload; ownerIndex = workloadIndex[id] ?? noIndex
            case .natGateway(let id): owner = .natGateway; ownerIndex = natIndex[id] ?? noIndex
            case .endpoint(let id): owner = .endpoint; ownerIndex = endpointIndex[id] ?? noIndex
            case .loadBalancer(let id): owner = .loadBalancer; ownerIndex = lbIndex[id] ?? noIndex
            }
            // An owner id that names nothing leaves a plain interface.
            if ownerIndex == noIndex && owner != .workload { owner = .none }
            plane.interfaces.append(CompiledInterface(
                subnet: subnet, vpc: vpc, addresses: Range32(addressStart, plane.interfaceAddresses.count),
                primaryIP: interfaces[i].primaryIP?.value ?? 0, publicIP: interfaces[i].publicIP?.value ?? 0,
                hasPublicIP: interfaces[i].publicIP != nil, groups: Range32(groupStart, plane.interfaceGroups.count),
                sourceDestCheck: interfaces[i].sourceDestCheck,
                owner: owner, ownerIndex: ownerIndex))
        }
        buildOwnerIndexes(&plane)

        // NAT gateways and endpoints.
        plane.natGateways = network.natGateways.map { nat in
            CompiledNATGateway(subnet: subnetIndex[nat.subnetID] ?? noIndex, interface: interfaceIndex[nat.interfaceID] ?? noIndex,
                               privateIP: nat.privateIP.value, isPublic: nat.connectivity == .public)
        }
        plane.endpoints = network.endpoints.map { endpoint in
            let vpc = vpcIndex[endpoint.vpcID] ?? noIndex
            let region = vpcIndex[endpoint.vpcID].map { network.vpcs[Int($0)].region }
            let sameName = network.services.indices.filter { network.services[$0].name == endpoint.service }
            let service = sameName.first { network.services[$0].region == region } ?? sameName.first
            return CompiledEndpoint(vpc: vpc, isGateway: endpoint.kind == .gateway, service: service.map { UInt32($0) } ?? noIndex)
        }
        let targetGroupIndex = Self.indexMap(network.targetGroups, \.id)
        for lb in network.loadBalancers {
            let start = plane.listeners.count
            for (l, listener) in lb.listeners.enumerated() {
                // UDP → 17, TCP_UDP → 6 or 17, every other listener protocol (HTTP, HTTPS, TLS, TCP) → 6.
                let name = listener.listenerProtocol.uppercased()
                let tcp = name != "UDP", udp = name == "UDP" || name == "TCP_UDP"
                plane.listeners.append(CompiledListener(port: listener.port, acceptsTCP: tcp, acceptsUDP: udp,
                                                        targetGroup: targetGroupIndex[listener.targetGroupID] ?? noIndex,
                                                        modelIndex: UInt32(l)))
            }
            plane.loadBalancers.append(CompiledLoadBalancer(listeners: Range32(start, plane.listeners.count)))
        }

        // Security groups: rules flattened, members sorted for binary search.
        var members = Array(repeating: [UInt32](), count: network.securityGroups.count)
        for i in interfaces.indices {
            for g in plane.interfaces[i].groups.indices where plane.interfaceGroups[g] != noIndex {
                for address in interfaces[i].privateIPs { members[Int(plane.interfaceGroups[g])].append(address.value) }
            }
        }
        for (g, group) in network.securityGroups.enumerated() {
            let ingressStart = plane.securityGroupRules.count
            plane.securityGroupRules += group.ingress.enumerated().map { compileRule($1, index: $0) }
            let egressStart = plane.securityGroupRules.count
            plane.securityGroupRules += group.egress.enumerated().map { compileRule($1, index: $0) }
            let memberStart = plane.groupMembers.count
            plane.groupMembers += Array(Set(members[g])).sorted()
            plane.securityGroups.append(CompiledSecurityGroup(
                ingress: Range32(ingressStart, egressStart), egress: Range32(egressStart, plane.securityGroupRules.count),
                members: Range32(memberStart, plane.groupMembers.count)))
        }

        // Network ACLs, entries by rule number (stable, so equal numbers keep model order).
        for acl in network.networkACLs {
            let ingressStart = plane.aclEntries.count
            plane.aclEntries += Self.sortedEntries(acl.ingress)
            let egressStart = plane.aclEntries.count
            plane.aclEntries += Self.sortedEntries(acl.egress)
            plane.networkACLs.append(CompiledNetworkACL(ingress: Range32(ingressStart, egressStart),
                                                        egress: Range32(egressStart, plane.aclEntries.count)))
        }

        // Route tables: targets resolved to indices, priorities resolved into one trie table each.
        var tries: [[ResolvedPrefix]] = []
        for table in network.routeTables {
            let start = plane.routes.count
            var candidates: [RouteCandidate] = []
            for (r, route) in table.routes.enumerated() {
                var target = CompiledRoute.Target.blackhole
                var targetIndex = noIndex
                func resolve(_ kind: CompiledRoute.Target, _ map: [String: UInt32], _ id: String) {
                    if let index = map[id] { target = kind; targetIndex = index }
                }
                switch route.target {
                case .local: target = .local
                case .internetGateway(let id): resolve(.internetGateway, igwIndex, id)
                case .natGateway(let id): resolve(.natGateway, natIndex, id)
                case .networkInterface(let id): resolve(.networkInterface, interfaceIndex, id)
                case .gatewayEndpoint(let id): resolve(.gatewayEndpoint, endpointIndex, id)
                case .peering(let id): resolve(.peering, peeringIndex, id)
                case .transitGateway(let id): resolve(.transitGateway, tgwIndex, id)
                case .vpnGateway(let id): resolve(.vpnGateway, vgwIndex, id)
                case .blackhole: break
                }
                plane.routes.append(CompiledRoute(target: target, targetIndex: targetIndex,
                                                  isBlackhole: route.isBlackhole, modelIndex: UInt32(r)))
                let local = UInt32(r)
                switch route.destination {
                case .cidr(let cidr):
                    let origin: RouteOrigin = route.origin == .propagated ? .propagated : .staticCIDR
                    if origin == .propagated && Self.insideLocal(cidr, of: table) { continue }
                    candidates.append(RouteCandidate(prefix: cidr.network.value, length: cidr.length, origin: origin, value: local))
                case .prefixList(let id):
                    // Matched entry by entry; an unknown list contributes nothing. A propagated
                    // prefix-list route ranks as propagated (docs/semantics.md §3).
                    let origin: RouteOrigin = route.origin == .propagated ? .propagated : .prefixList
                    guard let list = prefixListIndex[id] else { continue }
                    for c in plane.prefixLists[Int(list)].indices {
                        let cidr = plane.prefixListCIDRs[c]
                        candidates.append(RouteCandidate(prefix: cidr.network, length: Self.length(ofMask: cidr.mask),
                                                         origin: origin, value: local))
                    }
                }
            }
            // Routes learned from virtual private gateways (docs/semantics.md §5.10).
            for id in table.propagatingGatewayIDs {
                guard let gateway = vgwIndex[id] else { continue }
                for (cidr, origin) in onPremPrefixes(ofVPNGateway: id) where !Self.insideLocal(cidr, of: table) {
                    let local = UInt32(plane.routes.count - start)
                    plane.routes.append(CompiledRoute(target: .vpnGateway, targetIndex: gateway, isBlackhole: false, modelIndex: noIndex,
                                                      propagated: CompiledCIDR(cidr)))
                    candidates.append(RouteCandidate(prefix: cidr.network.value, length: cidr.length, origin: origin, value: local))
                }
            }
            plane.routeTables.append(CompiledRouteTable(vpc: vpcIndex[table.vpcID] ?? noIndex,
                                                        routes: Range32(start, plane.routes.count)))
            tries.append(RoutePriority.resolve(candidates))
        }

        compileTransit(&plane, &tries, vpcIndex: vpcIndex, tgwIndex: tgwIndex, vgwIndex: vgwIndex)
        return (plane, tries)
    }

    func compileRule(_ rule: SecurityGroupRule, index: Int) -> CompiledSecurityGroupRule {
        var peer = CompiledSecurityGroupRule.Peer.cidr
        var cidr = CompiledCIDR(.any)
        var peerIndex = noIndex
        switch rule.peer {
        case .cidr(let c): cidr = CompiledCIDR(c)
        case .prefixList(let id): peer = .prefixList; peerIndex = prefixListIndex[id] ?? noIndex
        case .securityGroup(let id): peer = .group; peerIndex = groupIndex[id] ?? noIndex
        }
        return CompiledSecurityGroupRule(ipProtocol: rule.ipProtocol.number, portLower: rule.ports.lower, portUpper: rule.ports.upper,
                                         icmpType: rule.icmp.type, icmpCode: rule.icmp.code, peer: peer, cidr: cidr,
                                         peerIndex: peerIndex, modelIndex: UInt32(index))
    }

    static func sortedEntries(_ entries: [NetworkACLEntry]) -> [CompiledACLEntry] {
        entries.enumerated().sorted { $0.element.ruleNumber < $1.element.ruleNumber || ($0.element.ruleNumber == $1.element.ruleNumber && $0.offset < $1.offset) }
            .map { index, entry in
                CompiledACLEntry(ipProtocol: entry.ipProtocol.number, portLower: entry.ports.lower, portUpper: entry.ports.upper,
                                 icmpType: entry.icmp.type, icmpCode: entry.icmp.code, cidr: CompiledCIDR(entry.cidr),
                                 allow: entry.action == .allow, ruleNumber: Int32(clamping: entry.ruleNumber), modelIndex: UInt32(index))
            }
    }

    static func length(ofMask mask: UInt32) -> UInt8 { UInt8(mask.nonzeroBitCount) }

    /// Whether `cidr` lies inside one of the table's local routes: a propagated route there never
    /// applies, "even if the propagated routes are more specific".
    /// https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-route-priority.html
    static func insideLocal(_ cidr: CIDR, of table: RouteTable) -> Bool {
        table.routes.contains { route in
            guard route.target == .local, case .cidr(let local) = route.destination else { return false }
            return local.length <= cidr.length && local.contains(cidr.network)
        }
    }

    func buildOwnerIndexes(_ plane: inout DataPlane) {
        var privateOwner: [UInt64: UInt32] = [:]
        var publicOwner: [UInt32: UInt32] = [:]
        for (i, eni) in plane.interfaces.enumerated() {
            if eni.vpc != noIndex {
                for a in eni.addresses.indices {
                    let key = UInt64(eni.vpc) << 32 | UInt64(plane.interfaceAddresses[a])
                    if privateOwner[key] == nil { privateOwner[key] = UInt32(i) }
                }
            }
            if eni.hasPublicIP && publicOwner[eni.publicIP] == nil { publicOwner[eni.publicIP] = UInt32(i) }
        }
        let privateSorted = privateOwner.sorted { $0.key < $1.key }
        plane.privateOwnerKeys = privateSorted.map(\.key)
        plane.privateOwners = privateSorted.map(\.value)
        let publicSorted = publicOwner.sorted { $0.key < $1.key }
        plane.publicOwnerKeys = publicSorted.map(\.key)
        plane.publicOwners = publicSorted.map(\.value)
    }
}
