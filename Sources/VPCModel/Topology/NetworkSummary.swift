/// The readable summary `vpcsim show` prints: a network laid out the way its architecture document
/// would describe it — VPCs, subnets with their table and ACL, routes, groups, gateways, workloads.
public enum NetworkSummary {
    public static func text(_ network: Network) -> String {
        var out: [String] = []
        func name(_ id: String) -> String { network.displayName(of: id) }

        out.append("Network \(network.name)" + (network.description.map { " — \($0)" } ?? "") + " (account \(network.account))")
        for peering in network.peerings {
            out.append("  peering \(peering.name) (\(peering.id)): \(name(peering.requesterVPCID)) ⇄ \(name(peering.accepterVPCID))")
        }
        for tgw in network.transitGateways {
            func label(_ attachment: TransitGateway.Attachment) -> String {
                switch attachment.resource {
                case .vpc(let id): return name(id)
                case .vpn(let id): return "VPN \(name(id))"
                case .directConnect(let id): return "Direct Connect \(name(id))"
                case .peering(let id): return "peer \(name(id))"
                }
            }
            out.append("  transit gateway \(tgw.name) (\(tgw.id), \(tgw.region)): attaches \(tgw.attachments.map(label).joined(separator: ", "))"
                       + (tgw.securityGroupReferencing ? "; security-group referencing on" : ""))
            let tableName = Dictionary(tgw.routeTables.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
            for attachment in tgw.attachments {
                var line = "    attachment \(attachment.name) (\(attachment.id)): route table \(attachment.routeTableID.map { tableName[$0] ?? $0 } ?? "none")"
                line += ", propagates to \(attachment.propagatesTo.isEmpty ? "none" : attachment.propagatesTo.map { tableName[$0] ?? $0 }.joined(separator: ", "))"
                if !attachment.subnetIDs.isEmpty { line += ", subnets \(attachment.subnetIDs.map(name).joined(separator: ", "))" }
                if attachment.applianceMode { line += ", appliance mode" }
                out.append(line)
            }
            for table in tgw.routeTables {
                out.append("    route table \(table.name) (\(table.id))")
                for route in table.routes {
                    let target = route.attachmentID.flatMap { id in tgw.attachments.first { $0.id == id } }.map(label) ?? "blackhole"
                    out.append("      \(route.destination) → \(target)\(route.propagated ? " (propagated)" : "")")
                }
            }
        }
        for gateway in network.vpnGateways {
            out.append("  virtual private gateway \(gateway.name) (\(gateway.id)): \(gateway.vpcID.map { "attached to \(name($0))" } ?? "detached")")
        }
        for connection in network.vpnConnections {
            let end: String
            switch connection.gateway {
            case .vpnGateway(let id), .transitGateway(let id): end = name(id)
            }
            out.append("  VPN connection \(connection.name) (\(connection.id)) to \(end): "
                       + (connection.prefixes.isEmpty ? "no prefixes" : connection.prefixes.map(\.description).joined(separator: ", ")))
        }
        for gateway in network.directConnectGateways {
            out.append("  Direct Connect gateway \(gateway.name) (\(gateway.id)): \((gateway.vpnGatewayIDs + gateway.transitGatewayIDs).map(name).joined(separator: ", "))")
        }
        for item in network.onPremNetworks {
            let via: String
            switch item.via { case .vpnConnection(let id), .directConnectGateway(let id): via = name(id) }
            out.append("  on-premises \(item.name): \(item.cidrs.map(\.description).joined(separator: ", ")) via \(via)")
        }
        for vpc in network.vpcs {
            out.append("")
            out.append("VPC \(vpc.name) (\(vpc.id)) \(vpc.region) \(vpc.cidrs.map(\.description).joined(separator: ", "))")
            if let igw = network.internetGateways.first(where: { $0.vpcID == vpc.id }) {
                out.append("  internet gateway \(igw.name) (\(igw.id))")
            }
            let subnets = network.subnets.filter { $0.vpcID == vpc.id }
            out.append("  Subnets")
            let rows = subnets.map { subnet -> [String] in
                let table = network.routeTable(of: subnet)
                let acl = network.networkACL(of: subnet)
                return [subnet.name, subnet.cidr.description, subnet.availabilityZone,
                        "routes: \(table.map { $0.name + (subnet.routeTableID == nil ? " (main)" : "") } ?? "-")",
                        "acl: \(acl.map { $0.name + (subnet.networkACLID == nil ? " (default)" : "") } ?? "-")"]
            }
            out += table(rows, indent: "    ")

            out.append("  Route tables")
            for routeTable in network.routeTables where routeTable.vpcID == vpc.id {
                let users = subnets.filter { network.routeTable(of: $0)?.id == routeTable.id }.map(\.name)
                out.append("    \(routeTable.name)\(routeTable.isMain ? " (main)" : "") — \(users.isEmpty ? "no subnets" : users.joined(separator: ", "))")
                let routeRows = routeTable.routes.map { route -> [String] in
                    var destination = route.destination.description
                    if case .prefixList(let id) = route.destination, let list = network.prefixLists.first(where: { $0.id == id }) {
                        destination = "\(list.id) (\(list.name))"
                    }
                    var target: String
                    switch route.target {
                    case .local: target = "local"
                    case .blackhole: target = "blackhole"
                    case .internetGateway(let id): target = "internet gateway \(name(id))"
                    case .natGateway(let id): target = "NAT gateway \(name(id))"
                    case .gatewayEndpoint(let id): target = "gateway endpoint \(name(id))"
                    case .peering(let id): target = "peering \(name(id))"
                    case .transitGateway(let id): target = "transit gateway \(name(id))"
                    case .vpnGateway(let id): target = "virtual private gateway \(name(id))"
                    case .networkInterface(let id): target = "interface \(name(id))"
                    }
                    if route.isBlackhole && route.target != .blackhole { target += " (blackhole)" }
                    return [destination, "→ \(target)", route.origin == .propagated ? "propagated" : ""]
                }
                out += table(routeRows, indent: "      ")
            }

            let acls = network.networkACLs.filter { $0.vpcID == vpc.id }
            out.append("  Network ACLs")
            for acl in acls {
                let users = subnets.filter { network.networkACL(of: $0)?.id == acl.id }.map(\.name)
                out.append("    \(acl.name)\(acl.isDefault ? " (default)" : "") — \(users.isEmpty ? "no subnets" : users.joined(separator: ", "))")
                for (direction, entries) in [("in ", acl.ingress), ("out", acl.egress)] {
                    let entryRows = entries.sorted { $0.ruleNumber < $1.ruleNumber }.map { entry in
                        ["\(direction) \(entry.ruleNumber)", entry.action.rawValue, describe(entry.ipProtocol, entry.ports, entry.icmp), entry.cidr.description]
                    } + [["\(direction) *", "deny", "all", "0.0.0.0/0"]]
                    out += table(entryRows, indent: "      ")
                }
            }

            out.append("  Security groups")
            for group in network.securityGroups where group.vpcID == vpc.id {
                out.append("    \(group.name) (\(group.id))" + (group.description.map { " — \($0)" } ?? ""))
                var ruleRows: [[String]] = []
                for (direction, rules) in [("in ", group.ingress), ("out", group.egress)] {
                    if rules.isEmpty { ruleRows.append([direction, "none", "", ""]) }
                    for rule in rules {
                        let peer: String
                        switch rule.peer {
                        case .cidr(let cidr): peer = cidr.description
                        case .prefixList(let id): peer = "prefix list \(network.prefixLists.first { $0.id == id }?.name ?? id)"
                        case .securityGroup(let id): peer = "group \(name(id))"
                        }
                        ruleRows.append([direction, describe(rule.ipProtocol, rule.ports, rule.icmp), "\(direction == "in " ? "from" : "to") \(peer)",
                                         rule.description ?? ""])
                    }
                }
                out += table(ruleRows, indent: "      ")
            }

            let subnetIDs = Set(subnets.map(\.id))
            let nats = network.natGateways.filter { subnetIDs.contains($0.subnetID) }
            if !nats.isEmpty {
                out.append("  NAT gateways")
                out += table(nats.map { nat in
                    [nat.name, nat.id, nat.connectivity.rawValue, "in \(name(nat.subnetID))", nat.privateIP.description,
                     nat.elasticIP.map { "EIP \($0)" } ?? ""]
                }, indent: "    ")
            }
            let endpoints = network.endpoints.filter { $0.vpcID == vpc.id }
            if !endpoints.isEmpty {
                out.append("  Endpoints")
                out += table(endpoints.map { endpoint in
                    switch endpoint.kind {
                    case .gateway:
                        return [endpoint.name, endpoint.id, "gateway \(endpoint.service)", "route tables: \(endpoint.routeTableIDs.map(name).joined(separator: ", "))"]
                    case .interface:
                        let placed = endpoint.interfaceIDs.compactMap { id in network.interfaces.first { $0.id == id } }
                            .map { "\(name($0.subnetID)) \($0.primaryIP?.description ?? "")" }
                        return [endpoint.name, endpoint.id, "interface \(endpoint.service)\(endpoint.privateDNS ? " (private DNS)" : "")",
                                "\(placed.joined(separator: ", ")); groups: \(endpoint.securityGroupIDs.map(name).joined(separator: ", "))"]
                    }
                }, indent: "    ")
            }
            let lbs = network.loadBalancers.filter { $0.vpcID == vpc.id }
            for lb in lbs {
                out.append("  Load balancer \(lb.name) (\(lb.kind.rawValue), \(lb.scheme.rawValue)) in \(lb.subnetIDs.map(name).joined(separator: ", ")); groups: \(lb.securityGroupIDs.map(name).joined(separator: ", "))")
                for listener in lb.listeners {
                    let group = network.targetGroups.first { $0.id == listener.targetGroupID }
                    let targets = group?.targets.map { target -> String in
                        switch target {
                        case .interface(let id): return name(id)
                        case .ip(let address): return address.description
                        }
                    } ?? []
                    out.append("    \(listener.listenerProtocol):\(listener.port) → \(group.map { "\($0.name) \($0.targetProtocol):\($0.port)" } ?? "?") [\(targets.joined(separator: ", "))]")
                }
            }
            let workloads = network.workloads.filter { workload in
                workload.interfaceIDs.contains { id in network.interfaces.contains { $0.id == id && subnetIDs.contains($0.subnetID) } }
            }
            if !workloads.isEmpty {
                out.append("  Workloads")
                for workload in workloads {
                    out.append("    \(workload.name) (\(workload.kind))")
                    let interfaces = workload.interfaceIDs.compactMap { id in network.interfaces.first { $0.id == id } }
                    out += table(interfaces.map(interfaceRow), indent: "      ")
                }
            }
            let loose = network.interfaces.filter { subnetIDs.contains($0.subnetID) && $0.owner == .none }
            if !loose.isEmpty {
                out.append("  Interfaces")
                out += table(loose.map { [$0.name] + interfaceRow($0) }, indent: "    ")
            }
        }
        return out.joined(separator: "\n") + "\n"

        func interfaceRow(_ interface: NetworkInterface) -> [String] {
            let subnet = network.subnets.first { $0.id == interface.subnetID }
            return [interface.id, "\(subnet?.name ?? "?") \(subnet?.availabilityZone ?? "")",
                    interface.privateIPs.map(\.description).joined(separator: ", "),
                    interface.publicIP.map { "public \($0)" } ?? "",
                    "groups: \(interface.securityGroupIDs.map(name).joined(separator: ", "))"]
        }
    }

    static func describe(_ ipProtocol: IPProtocol, _ ports: PortRange, _ icmp: ICMPMatch) -> String {
        if ipProtocol.isAll { return "all" }
        if ipProtocol.hasPorts { return "\(ipProtocol.name)/\(ports)" }
        if ipProtocol.number == 1 || ipProtocol.number == 58 { return icmp.isAny ? ipProtocol.name : "\(ipProtocol.name) \(icmp)" }
        return "protocol \(ipProtocol.number)"
    }

    /// Left-aligned columns; the last column is not padded.
    static func table(_ rows: [[String]], indent: String) -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            var line = indent
            for (index, cell) in row.enumerated() {
                line += index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
            }
            return String(line.reversed().drop(while: { $0 == " " }).reversed())
        }
    }
}

extension Network {
    /// The table a subnet uses: its explicit association, else its VPC's main table.
    public func routeTable(of subnet: Subnet) -> RouteTable? {
        if let id = subnet.routeTableID, let table = routeTables.first(where: { $0.id == id }) { return table }
        return routeTables.first { $0.vpcID == subnet.vpcID && $0.isMain }
    }

    /// The ACL a subnet uses: its explicit association, else its VPC's default ACL.
    public func networkACL(of subnet: Subnet) -> NetworkACL? {
        if let id = subnet.networkACLID, let acl = networkACLs.first(where: { $0.id == id }) { return acl }
        return networkACLs.first { $0.vpcID == subnet.vpcID && $0.isDefault }
    }

    /// The name of any entity by id, or the id itself.
    public func displayName(of id: String) -> String {
        vpcs.first { $0.id == id }?.name ?? subnets.first { $0.id == id }?.name ?? routeTables.first { $0.id == id }?.name
            ?? networkACLs.first { $0.id == id }?.name ?? securityGroups.first { $0.id == id }?.name
            ?? natGateways.first { $0.id == id }?.name ?? internetGateways.first { $0.id == id }?.name
            ?? endpoints.first { $0.id == id }?.name ?? interfaces.first { $0.id == id }?.name
            ?? workloads.first { $0.id == id }?.name ?? targetGroups.first { $0.id == id }?.name
            ?? loadBalancers.first { $0.id == id }?.name ?? peerings.first { $0.id == id }?.name
            ?? transitGateways.first { $0.id == id }?.name ?? prefixLists.first { $0.id == id }?.name
            ?? vpnGateways.first { $0.id == id }?.name ?? vpnConnections.first { $0.id == id }?.name
            ?? customerGateways.first { $0.id == id }?.name ?? directConnectGateways.first { $0.id == id }?.name ?? id
    }
}
