import Yams

/// Writes a `Network` as a topology file that loads back into the same network: what `vpcsim import`
/// writes for people to review and keep in git. Implied things (local routes, gateway-endpoint
/// routes, built-in AWS data, ids derived from names) are left out, as a person would.
public enum TopologyWriter {
    public static func yaml(_ network: Network) -> String {
        let writer = Writer(network: network)
        do {
            guard !network.vpcs.isEmpty else { return try serialize(writer.topology()) }
            // VPC by VPC, into the text serialising the whole tree gives (`vpcs` is a block sequence
            // at the root's indentation): the tree of a 100k-interface network would take gigabytes.
            var text = try serialize(writer.map(writer.headFields()))
            text += "vpcs:\n"
            for vpc in network.vpcs { text += try serialize(writer.list([writer.vpc(vpc)])) }
            let tail = writer.tailFields()
            if tail.contains(where: { $0.1 != nil }) { text += try serialize(writer.map(tail)) }
            return text
        } catch {
            // Serialising a tree of plain strings cannot fail; say so plainly if it ever does.
            return "# vpcsim could not serialise this network: \(error)\n"
        }
    }

    /// The whole network as one tree, serialised at once: what `yaml(_:)` writes part by part.
    static func yamlInOnePiece(_ network: Network) -> String {
        (try? serialize(Writer(network: network).topology())) ?? ""
    }

    private static func serialize(_ node: Node) throws -> String {
        try Yams.serialize(node: node, indent: 2, width: 140, sortKeys: false)
    }

    private struct Writer {
        let network: Network
        var names: [String: String] = [:]
        /// What each VPC holds and where each interface is, built in one pass over the network, so
        /// that writing stays linear at 100k interfaces; each list keeps the network's order.
        let interfacePositions: IDIndex
        var subnetsOfVPC: [String: [Subnet]] = [:]
        var interfacesOfVPC: [String: [NetworkInterface]] = [:]
        var workloadsOfVPC: [String: [Workload]] = [:]
        var natGatewaysOfVPC: [String: [NATGateway]] = [:]
        var internetGatewayOfVPC: [String: InternetGateway] = [:]
        let tablesOfVPC: [String: [RouteTable]]
        let aclsOfVPC: [String: [NetworkACL]]
        let groupsOfVPC: [String: [SecurityGroup]]
        let endpointsOfVPC: [String: [VPCEndpoint]]
        let targetGroupsOfVPC: [String: [TargetGroup]]
        let loadBalancersOfVPC: [String: [LoadBalancer]]
        /// Positions in `network.workloads` of the workloads that list each interface.
        var workloadsOfInterface: [String: [Int]] = [:]

        init(network: Network) {
            self.network = network
            interfacePositions = IDIndex(network.interfaces.map(\.id))
            subnetsOfVPC = Dictionary(grouping: network.subnets, by: \.vpcID)
            tablesOfVPC = Dictionary(grouping: network.routeTables, by: \.vpcID)
            aclsOfVPC = Dictionary(grouping: network.networkACLs, by: \.vpcID)
            groupsOfVPC = Dictionary(grouping: network.securityGroups, by: \.vpcID)
            endpointsOfVPC = Dictionary(grouping: network.endpoints, by: \.vpcID)
            targetGroupsOfVPC = Dictionary(grouping: network.targetGroups, by: \.vpcID)
            loadBalancersOfVPC = Dictionary(grouping: network.loadBalancers, by: \.vpcID)
            // A subnet id in several VPCs (an invalid network) puts its contents in each, as filtering per VPC would.
            var vpcsOfSubnet: [String: [String]] = [:]
            for subnet in network.subnets where !(vpcsOfSubnet[subnet.id]?.contains(subnet.vpcID) ?? false) {
                vpcsOfSubnet[subnet.id, default: []].append(subnet.vpcID)
            }
            var vpcsOfInterface: [String: [String]] = [:]
            for interface in network.interfaces {
                for vpcID in vpcsOfSubnet[interface.subnetID] ?? [] {
                    interfacesOfVPC[vpcID, default: []].append(interface)
                    if !(vpcsOfInterface[interface.id]?.contains(vpcID) ?? false) { vpcsOfInterface[interface.id, default: []].append(vpcID) }
                }
            }
            for (position, workload) in network.workloads.enumerated() {
                var vpcIDs: [String] = []
                for id in workload.interfaceIDs {
                    for vpcID in vpcsOfInterface[id] ?? [] where !vpcIDs.contains(vpcID) { vpcIDs.append(vpcID) }
                    if workloadsOfInterface[id]?.last != position { workloadsOfInterface[id, default: []].append(position) }
                }
                for vpcID in vpcIDs { workloadsOfVPC[vpcID, default: []].append(workload) }
            }
            for nat in network.natGateways {
                for vpcID in vpcsOfSubnet[nat.subnetID] ?? [] { natGatewaysOfVPC[vpcID, default: []].append(nat) }
            }
            for igw in network.internetGateways {
                if let vpcID = igw.vpcID, internetGatewayOfVPC[vpcID] == nil { internetGatewayOfVPC[vpcID] = igw }
            }
            for item in network.vpcs { names[item.id] = item.name }
            for item in network.subnets { names[item.id] = item.name }
            for item in network.routeTables { names[item.id] = item.name }
            for item in network.networkACLs { names[item.id] = item.name }
            for item in network.securityGroups { names[item.id] = item.name }
            for item in network.natGateways { names[item.id] = item.name }
            for item in network.internetGateways { names[item.id] = item.name }
            for item in network.endpoints { names[item.id] = item.name }
            for item in network.interfaces { names[item.id] = item.name }
            for item in network.workloads { names[item.id] = item.name }
            for item in network.targetGroups { names[item.id] = item.name }
            for item in network.loadBalancers { names[item.id] = item.name }
            for item in network.peerings { names[item.id] = item.name }
            for item in network.transitGateways { names[item.id] = item.name }
            for item in network.vpnGateways { names[item.id] = item.name }
            for item in network.customerGateways { names[item.id] = item.name }
            for item in network.vpnConnections { names[item.id] = item.name }
            for item in network.directConnectGateways { names[item.id] = item.name }
            for item in network.prefixLists where !item.awsManaged { names[item.id] = item.name }
        }

        func name(_ id: String) -> String { names[id] ?? id }

        func interface(withID id: String) -> NetworkInterface? { interfacePositions[id].map { network.interfaces[$0] } }

        // MARK: Node helpers

        func s(_ text: String) -> Node { Node(text, Tag(.str), .any) }
        func plain(_ text: String) -> Node { Node(text) }
        func list(_ items: [Node], flow: Bool = false) -> Node {
            .sequence(Node.Sequence(items, Tag(.seq), flow ? .flow : .block))
        }
        func map(_ pairs: [(String, Node?)], flow: Bool = false) -> Node {
            let kept = pairs.compactMap { pair in pair.1.map { (Node(pair.0), $0) } }
            return .mapping(Node.Mapping(kept, Tag(.map), flow ? .flow : .block))
        }
        func names(_ ids: [String]) -> Node { list(ids.map { s(name($0)) }, flow: true) }

        func idIfNeeded(_ id: String, _ prefix: String, _ name: String) -> Node? {
            id == StableID.make(prefix, name) ? nil : s(id)
        }

        // MARK: Sections

        func topology() -> Node {
            map(headFields() + [("vpcs", list(network.vpcs.map(vpc)))] + tailFields())
        }

        /// The root's fields before `vpcs`.
        func headFields() -> [(String, Node?)] {
            [("name", s(network.name)),
             ("description", network.description.map(s)),
             ("account", network.account == Network.defaultAccount ? nil : s(network.account))]
        }

        /// The root's fields after `vpcs`.
        func tailFields() -> [(String, Node?)] {
            let ownLists = network.prefixLists.filter { !$0.awsManaged }
            let ownServices = network.services.filter { !$0.builtIn }
            return [
                ("peerings", network.peerings.isEmpty ? nil : list(network.peerings.map { peering in
                    map([("name", s(peering.name)), ("id", idIfNeeded(peering.id, "pcx", peering.name)),
                         ("requester", s(name(peering.requesterVPCID))), ("accepter", s(name(peering.accepterVPCID)))])
                })),
                ("transit_gateways", network.transitGateways.isEmpty ? nil : list(network.transitGateways.map(transitGateway))),
                ("vpn_gateways", network.vpnGateways.isEmpty ? nil : list(network.vpnGateways.map { gateway in
                    map([("name", s(gateway.name)), ("id", idIfNeeded(gateway.id, "vgw", gateway.name)),
                         ("vpc", gateway.vpcID.map { s(name($0)) })], flow: true)
                })),
                ("customer_gateways", network.customerGateways.isEmpty ? nil : list(network.customerGateways.map { gateway in
                    map([("name", s(gateway.name)), ("id", idIfNeeded(gateway.id, "cgw", gateway.name)),
                         ("ip", gateway.ipAddress.map { plain($0.description) }), ("asn", gateway.asn.map { plain(String($0)) })], flow: true)
                })),
                ("vpn_connections", network.vpnConnections.isEmpty ? nil : list(network.vpnConnections.map(vpnConnection))),
                ("direct_connect_gateways", network.directConnectGateways.isEmpty ? nil : list(network.directConnectGateways.map { gateway in
                    map([("name", s(gateway.name)), ("id", idIfNeeded(gateway.id, "dxgw", gateway.name)),
                         ("vpn_gateways", gateway.vpnGatewayIDs.isEmpty ? nil : names(gateway.vpnGatewayIDs)),
                         ("transit_gateways", gateway.transitGatewayIDs.isEmpty ? nil : names(gateway.transitGatewayIDs)),
                         ("prefixes", gateway.prefixes.isEmpty ? nil : list(gateway.prefixes.map { plain($0.description) }, flow: true))])
                })),
                ("on_prem", network.onPremNetworks.isEmpty ? nil : list(network.onPremNetworks.map { item in
                    let via: String
                    switch item.via {
                    case .vpnConnection(let id), .directConnectGateway(let id): via = name(id)
                    }
                    return map([("name", s(item.name)), ("cidrs", list(item.cidrs.map { plain($0.description) }, flow: true)),
                                ("via", s(via))], flow: true)
                })),
                ("prefix_lists", ownLists.isEmpty ? nil : list(ownLists.map { prefixList in
                    map([("name", s(prefixList.name)), ("id", idIfNeeded(prefixList.id, "pl", prefixList.name)),
                         ("region", s(prefixList.region)), ("cidrs", list(prefixList.cidrs.map { plain($0.description) }, flow: true))])
                })),
                ("services", ownServices.isEmpty ? nil : list(ownServices.map { service in
                    let listed = service.prefixListID.flatMap { id in network.prefixLists.first { $0.id == id } }
                    let own = service.addresses.filter { cidr in !(listed?.cidrs.contains(cidr) ?? false) }
                    return map([("name", s(service.name)), ("region", s(service.region)),
                                ("addresses", own.isEmpty ? nil : list(own.map { plain($0.description) }, flow: true)),
                                ("prefix_list", service.prefixListID.map { s(listed.map { $0.awsManaged ? $0.id : $0.name } ?? $0) })])
                })),
            ]
        }

        func vpc(_ vpc: VPC) -> Node {
            let igw = internetGatewayOfVPC[vpc.id]
            let subnets = subnetsOfVPC[vpc.id] ?? []
            let interfaces = interfacesOfVPC[vpc.id] ?? []
            let workloads = workloadsOfVPC[vpc.id] ?? []
            let canonical = Set(workloads.filter(isCanonical).map(\.id))
            let standalone = interfaces.filter { interface in
                switch interface.owner {
                case .none: return true
                case .workload(let id): return !canonical.contains(id)
                default: return false
                }
            }
            let igwNode: Node? = igw.map { igw in
                igw.id == igw.name || igw.id == StableID.make("igw", igw.name) ? s(igw.name) : map([("name", s(igw.name)), ("id", s(igw.id))])
            }
            func section<T>(_ items: [T], _ render: (T) -> Node) -> Node? { items.isEmpty ? nil : list(items.map(render)) }
            return map([
                ("name", s(vpc.name)),
                ("id", idIfNeeded(vpc.id, "vpc", vpc.name)),
                ("region", s(vpc.region)),
                vpc.cidrs.count == 1 ? ("cidr", plain(vpc.cidrs[0].description)) : ("cidrs", list(vpc.cidrs.map { plain($0.description) }, flow: true)),
                ("internet_gateway", igwNode),
                ("subnets", list(subnets.map(subnet))),
                ("route_tables", section(tablesOfVPC[vpc.id] ?? [], routeTable)),
                ("network_acls", section(aclsOfVPC[vpc.id] ?? [], networkACL)),
                ("security_groups", section(groupsOfVPC[vpc.id] ?? [], securityGroup)),
                ("nat_gateways", section(natGatewaysOfVPC[vpc.id] ?? [], natGateway)),
                ("endpoints", section(endpointsOfVPC[vpc.id] ?? [], endpoint)),
                ("interfaces", section(standalone, interface)),
                ("workloads", section(workloads) { workload($0, canonical: canonical.contains($0.id)) }),
                ("target_groups", section(targetGroupsOfVPC[vpc.id] ?? [], targetGroup)),
                ("load_balancers", section(loadBalancersOfVPC[vpc.id] ?? [], loadBalancer)),
            ])
        }

        func subnet(_ subnet: Subnet) -> Node {
            map([("name", s(subnet.name)), ("id", idIfNeeded(subnet.id, "subnet", subnet.name)),
                 ("cidr", plain(subnet.cidr.description)), ("az", s(subnet.availabilityZone)),
                 ("route_table", subnet.routeTableID.map { s(name($0)) }),
                 ("network_acl", subnet.networkACLID.map { s(name($0)) })], flow: true)
        }

        func routeTable(_ table: RouteTable) -> Node {
            let written = table.routes.filter { route in
                switch route.target {
                case .local, .gatewayEndpoint: return false
                default: return true
                }
            }
            let routes = written.map { route -> Node in
                let destination: String
                switch route.destination {
                case .cidr(let cidr): destination = cidr.description
                case .prefixList(let id): destination = network.prefixLists.first { $0.id == id && !$0.awsManaged }?.name ?? id
                }
                let target = route.isBlackhole ? "blackhole" : route.target.id.map(name) ?? "blackhole"
                return map([("destination", s(destination)), ("target", s(target)),
                            ("origin", route.origin == .propagated ? plain("propagated") : nil)], flow: true)
            }
            let implicitMain = table.isMain && table.id == StableID.make("rtb", "\(name(table.vpcID))#main")
            return map([("name", s(table.name)),
                        ("id", implicitMain ? s(table.id) : idIfNeeded(table.id, "rtb", table.name)),
                        ("main", table.isMain ? plain("true") : nil),
                        ("routes", routes.isEmpty ? nil : list(routes)),
                        ("propagate_from", table.propagatingGatewayIDs.isEmpty ? nil : names(table.propagatingGatewayIDs))])
        }

        func protocolFields(_ ipProtocol: IPProtocol, _ ports: PortRange, _ icmp: ICMPMatch) -> [(String, Node?)] {
            [("protocol", plain(ipProtocol.name)),
             ("ports", ipProtocol.hasPorts && !ports.isAll ? plain(ports.description) : nil),
             ("icmp", icmp.isAny ? nil : map([("type", plain(String(icmp.type))), ("code", plain(String(icmp.code)))], flow: true))]
        }

        func networkACL(_ acl: NetworkACL) -> Node {
            func entries(_ entries: [NetworkACLEntry]) -> Node {
                list(entries.map { entry in
                    map([("rule", plain(String(entry.ruleNumber))), ("action", plain(entry.action.rawValue))]
                        + protocolFields(entry.ipProtocol, entry.ports, entry.icmp)
                        + [("cidr", plain(entry.cidr.description))], flow: true)
                })
            }
            let implicitDefault = acl.isDefault && acl.id == StableID.make("acl", "\(name(acl.vpcID))#default")
            return map([("name", s(acl.name)),
                        ("id", implicitDefault ? s(acl.id) : idIfNeeded(acl.id, "acl", acl.name)),
                        ("default", acl.isDefault ? plain("true") : nil),
                        ("ingress", entries(acl.ingress)), ("egress", entries(acl.egress))])
        }

        func securityGroup(_ group: SecurityGroup) -> Node {
            func rules(_ rules: [SecurityGroupRule]) -> Node {
                list(rules.map { rule in
                    let peer: (String, Node)
                    switch rule.peer {
                    case .cidr(let cidr): peer = ("cidr", plain(cidr.description))
                    case .prefixList(let id): peer = ("prefix_list", s(network.prefixLists.first { $0.id == id && !$0.awsManaged }?.name ?? id))
                    case .securityGroup(let id): peer = ("security_group", s(name(id)))
                    }
                    return map(protocolFields(rule.ipProtocol, rule.ports, rule.icmp) + [(peer.0, peer.1), ("description", rule.description.map(s))], flow: true)
                })
            }
            let implicitDefault = group.id == StableID.make("sg", "\(name(group.vpcID))#default")
            return map([("name", s(group.name)),
                        ("id", implicitDefault ? s(group.id) : idIfNeeded(group.id, "sg", group.name)),
                        ("description", group.description.map(s)),
                        ("ingress", rules(group.ingress)),
                        ("egress", group.egress == [SecurityGroupRule.allowAllEgress] ? nil : rules(group.egress))])
        }

        func natGateway(_ nat: NATGateway) -> Node {
            map([("name", s(nat.name)), ("id", idIfNeeded(nat.id, "nat", nat.name)), ("subnet", s(name(nat.subnetID))),
                 ("connectivity", nat.connectivity == .public ? nil : plain("private")),
                 ("elastic_ip", nat.elasticIP.map { plain($0.description) }),
                 ("private_ip", plain(nat.privateIP.description))])
        }

        func addresses(_ interfaceIDs: [String]) -> Node? {
            let ips = interfaceIDs.compactMap { interface(withID: $0)?.primaryIP }
            return ips.isEmpty ? nil : list(ips.map { plain($0.description) }, flow: true)
        }

        func endpoint(_ endpoint: VPCEndpoint) -> Node {
            let gateway = endpoint.kind == .gateway
            return map([("name", s(endpoint.name)), ("id", idIfNeeded(endpoint.id, "vpce", endpoint.name)),
                        ("type", plain(endpoint.kind.rawValue)), ("service", s(endpoint.service)),
                        ("route_tables", gateway ? names(endpoint.routeTableIDs) : nil),
                        ("subnets", gateway ? nil : names(endpoint.subnetIDs)),
                        ("security_groups", gateway ? nil : names(endpoint.securityGroupIDs)),
                        ("private_dns", gateway || endpoint.privateDNS ? nil : plain("false")),
                        ("private_ips", gateway ? nil : addresses(endpoint.interfaceIDs))])
        }

        func interface(_ interface: NetworkInterface) -> Node {
            map([("name", s(interface.name)), ("id", idIfNeeded(interface.id, "eni", interface.name)),
                 ("subnet", s(name(interface.subnetID))),
                 ("private_ips", list(interface.privateIPs.map { plain($0.description) }, flow: true)),
                 (interface.publicIPIsElastic ? "elastic_ip" : "public_ip", interface.publicIP.map { plain($0.description) }),
                 ("security_groups", names(interface.securityGroupIDs)),
                 ("source_dest_check", interface.sourceDestCheck ? nil : plain("false")),
                 ("instance", interface.instanceID.map(s)), ("mac", interface.mac.map(s)),
                 ("description", interface.description.map(s))])
        }

        /// A workload writes as `subnets:` when its interfaces are exactly what that form creates.
        func isCanonical(_ workload: Workload) -> Bool {
            let interfaces = workload.interfaceIDs.compactMap(interface(withID:))
            guard interfaces.count == workload.interfaceIDs.count, let first = interfaces.first else { return false }
            return interfaces.allSatisfy { interface in
                interface.owner == .workload(workload.id)
                    && interface.id == StableID.make("eni", "workload:\(interface.name)")
                    && interface.name == "\(workload.name)@\(name(interface.subnetID))"
                    && interface.securityGroupIDs == first.securityGroupIDs
                    && interface.privateIPs.count == 1 && interface.publicIP == nil && interface.sourceDestCheck
                    && interface.instanceID == nil && interface.mac == nil && interface.description == nil
            } && Set(interfaces.map(\.subnetID)).count == interfaces.count
        }

        func workload(_ workload: Workload, canonical: Bool) -> Node {
            let interfaces = workload.interfaceIDs.compactMap(interface(withID:))
            if canonical {
                return map([("name", s(workload.name)), ("id", idIfNeeded(workload.id, "wl", workload.name)),
                            ("kind", plain(workload.kind)),
                            ("subnets", names(interfaces.map(\.subnetID))),
                            ("security_groups", names(interfaces.first?.securityGroupIDs ?? [])),
                            ("private_ips", addresses(workload.interfaceIDs))])
            }
            return map([("name", s(workload.name)), ("id", idIfNeeded(workload.id, "wl", workload.name)),
                        ("kind", plain(workload.kind)), ("interfaces", names(workload.interfaceIDs))])
        }

        func targetGroup(_ group: TargetGroup) -> Node {
            var remaining = group.targets
            var items: [Node] = []
            // Only a workload with an interface among the targets can have all of them there.
            var candidates: [Int] = []
            for case .interface(let id) in group.targets { candidates += workloadsOfInterface[id] ?? [] }
            for position in Set(candidates).sorted() {
                let workload = network.workloads[position]
                let targets = workload.interfaceIDs.map { TargetGroup.Target.interface($0) }
                if !targets.isEmpty, targets.allSatisfy(remaining.contains) {
                    remaining.removeAll { targets.contains($0) }
                    items.append(s(workload.name))
                }
            }
            for target in remaining {
                switch target {
                case .interface(let id): items.append(s(name(id)))
                case .ip(let address): items.append(plain(address.description))
                }
            }
            return map([("name", s(group.name)), ("id", idIfNeeded(group.id, "tg", group.name)),
                        ("protocol", plain(group.targetProtocol)), ("port", plain(String(group.port))),
                        ("targets", list(items, flow: true))])
        }

        func loadBalancer(_ lb: LoadBalancer) -> Node {
            map([("name", s(lb.name)), ("id", idIfNeeded(lb.id, "elb", lb.name)),
                 ("type", plain(lb.kind.rawValue)), ("scheme", plain(lb.scheme.rawValue)),
                 ("subnets", names(lb.subnetIDs)), ("security_groups", lb.securityGroupIDs.isEmpty ? nil : names(lb.securityGroupIDs)),
                 ("listeners", list(lb.listeners.map { listener in
                     map([("protocol", plain(listener.listenerProtocol)), ("port", plain(String(listener.port))),
                          ("target_group", s(name(listener.targetGroupID)))], flow: true)
                 })),
                 ("private_ips", addresses(lb.interfaceIDs))])
        }

        func vpnConnection(_ connection: VPNConnection) -> Node {
            var gateway: [(String, Node?)] = []
            switch connection.gateway {
            case .vpnGateway(let id): gateway = [("vpn_gateway", s(name(id)))]
            case .transitGateway(let id): gateway = [("transit_gateway", s(name(id)))]
            }
            return map([("name", s(connection.name)), ("id", idIfNeeded(connection.id, "vpn", connection.name)),
                        ("customer_gateway", connection.customerGatewayID.map { s(name($0)) })] + gateway + [
                        ("static_routes", connection.staticRoutes.isEmpty ? nil : list(connection.staticRoutes.map { plain($0.description) }, flow: true)),
                        ("bgp_prefixes", connection.bgpPrefixes.isEmpty ? nil : list(connection.bgpPrefixes.map { plain($0.description) }, flow: true))])
        }

        func transitGateway(_ tgw: TransitGateway) -> Node {
            // The one-table shorthand when it says the same: the default table, every attachment
            // associated with it and propagating into it (or every one into nothing).
            let defaultID = TransitGateway.defaultTableID(of: tgw.id)
            let shorthand = tgw.routeTables.count == 1 && tgw.routeTables[0].id == defaultID
                && tgw.routeTables[0].name == "\(tgw.name)-default"
                && tgw.attachments.allSatisfy { $0.routeTableID == defaultID && $0.name == attachmentLabel($0) && $0.vpcID != nil && !$0.applianceMode }
                && (tgw.attachments.allSatisfy { $0.propagatesTo == [defaultID] } || tgw.attachments.allSatisfy { $0.propagatesTo.isEmpty })
            let tableName = Dictionary(tgw.routeTables.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            let attachmentName = Dictionary(tgw.attachments.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            func routes(_ table: TransitGateway.RouteTable) -> Node? {
                let stored = table.routes.filter { !$0.propagated }
                return stored.isEmpty ? nil : list(stored.map { route in
                    let destination: String
                    switch route.destination {
                    case .cidr(let cidr): destination = cidr.description
                    case .prefixList(let id): destination = network.prefixLists.first { $0.id == id && !$0.awsManaged }?.name ?? id
                    }
                    return map([("destination", s(destination)),
                                ("attachment", route.attachmentID.map { s(attachmentName[$0] ?? $0) }),
                                ("blackhole", route.attachmentID == nil ? plain("true") : nil)], flow: true)
                })
            }
            let attachments = list(tgw.attachments.map { attachment in
                var fields: [(String, Node?)] = []
                let label = attachmentLabel(attachment)
                fields.append(("id", attachment.id == StableID.make("tgw-attach", "\(tgw.name):\(label)") ? nil : s(attachment.id)))
                if attachment.name != label { fields.append(("name", s(attachment.name))) }
                switch attachment.resource {
                case .vpc: fields += [("vpc", s(label)), ("subnets", names(attachment.subnetIDs))]
                case .vpn: fields.append(("vpn", s(label)))
                case .directConnect: fields.append(("direct_connect", s(label)))
                case .peering: fields.append(("peer", s(label)))
                }
                if attachment.applianceMode { fields.append(("appliance_mode", plain("true"))) }
                if !shorthand {
                    fields.append(("route_table", attachment.routeTableID.map { s(tableName[$0] ?? $0) }))
                    fields.append(("propagate_to", list(attachment.propagatesTo.map { s(tableName[$0] ?? $0) }, flow: true)))
                }
                return map(fields, flow: true)
            })
            if shorthand {
                return map([("name", s(tgw.name)), ("id", idIfNeeded(tgw.id, "tgw", tgw.name)), ("region", s(tgw.region)),
                            ("security_group_referencing", tgw.securityGroupReferencing ? plain("true") : nil),
                            ("attachments", attachments), ("routes", routes(tgw.routeTables[0])),
                            ("propagate", tgw.attachments.contains { $0.propagatesTo.isEmpty } && !tgw.attachments.isEmpty ? plain("false") : nil)])
            }
            return map([("name", s(tgw.name)), ("id", idIfNeeded(tgw.id, "tgw", tgw.name)), ("region", s(tgw.region)),
                        ("security_group_referencing", tgw.securityGroupReferencing ? plain("true") : nil),
                        ("route_tables", list(tgw.routeTables.map { table in
                            map([("name", s(table.name)),
                                 ("id", table.id == StableID.make("tgw-rtb", "\(tgw.name):\(table.name)") ? nil : s(table.id)),
                                 ("routes", routes(table))])
                        })),
                        ("attachments", attachments)])
        }

        /// What an attachment attaches, by name: the key its YAML entry uses.
        func attachmentLabel(_ attachment: TransitGateway.Attachment) -> String {
            switch attachment.resource {
            case .vpc(let id), .vpn(let id), .directConnect(let id): return name(id)
            case .peering(let id): return name(id)
            }
        }
    }
}
