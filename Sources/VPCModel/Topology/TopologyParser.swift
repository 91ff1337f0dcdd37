import Foundation
import Yams

/// Parses a composed YAML/JSON tree into a `RawTopology`, reporting every problem with its place.
/// Word lists the parser checks against (a generic type cannot hold static stored properties).
enum TopologyKeys {
    static let topLevel = ["name", "description", "account", "vpcs", "peerings", "transit_gateways", "vpn_gateways",
                                  "customer_gateways", "vpn_connections", "direct_connect_gateways", "on_prem", "prefix_lists", "services"]
    static let loadBalancerProtocols = ["HTTP", "HTTPS", "TCP", "UDP", "TLS", "TCP_UDP", "GENEVE"]
}

/// Generic over the composed tree: the loader's `FastNode`s, or Yams's nodes when Yams had to compose.
struct TopologyParser<N: ComposedNode> {
    let reader: YAMLReader<N>

    func parseTopology(_ root: N, dataFileOnly: Bool = false) -> RawTopology {
        var topology = RawTopology()
        let allowed = dataFileOnly ? ["prefix_lists", "services", "description"] : TopologyKeys.topLevel
        guard let fields = reader.fields(root, "the topology", allowed: allowed, required: dataFileOnly ? [] : ["vpcs"]) else {
            return topology
        }
        topology.name = fields.string("name")?.value
        topology.description = fields.string("description")?.value.trimmingCharacters(in: .whitespacesAndNewlines)
        if let account = fields.string("account") {
            if account.value.count == 12, account.value.allSatisfy(\.isNumber) {
                topology.account = account.value
            } else {
                reader.error(account.location, "account '\(account.value)' is not a 12-digit AWS account id",
                             hint: "quote it so YAML keeps leading zeros: account: \"012345678901\"")
            }
        }
        topology.vpcs = fields.list("vpcs").map(parseVPC)
        if fields.has("vpcs"), topology.vpcs.isEmpty {
            reader.error(fields.locationOf("vpcs"), "the topology declares no VPCs", hint: "add at least one VPC under 'vpcs:'")
        }
        topology.peerings = fields.list("peerings").compactMap(parsePeering)
        topology.transitGateways = fields.list("transit_gateways").compactMap(parseTransitGateway)
        topology.vpnGateways = fields.list("vpn_gateways").compactMap(parseVPNGateway)
        topology.customerGateways = fields.list("customer_gateways").compactMap(parseCustomerGateway)
        topology.vpnConnections = fields.list("vpn_connections").compactMap(parseVPNConnection)
        topology.directConnectGateways = fields.list("direct_connect_gateways").compactMap(parseDirectConnectGateway)
        topology.onPremNetworks = fields.list("on_prem").compactMap(parseOnPremNetwork)
        topology.prefixLists = fields.list("prefix_lists").compactMap(parsePrefixList)
        topology.services = fields.list("services").compactMap(parseService)
        return topology
    }

    private func entity(_ fields: YAMLFields<N>, kind: String) -> RawEntity {
        let name = fields.string("name")?.value ?? "<unnamed \(kind)>"
        return RawEntity(name: name, id: fields.string("id")?.value, location: fields.location)
    }

    private func parseVPC(_ node: N) -> RawVPC {
        let fields = reader.fields(node, "a VPC", allowed: [
            "name", "id", "region", "cidr", "cidrs", "internet_gateway", "subnets", "route_tables", "network_acls",
            "security_groups", "nat_gateways", "endpoints", "interfaces", "workloads", "target_groups", "load_balancers",
        ], required: ["name", "region", "subnets"])
        guard let fields else {
            return RawVPC(entity: RawEntity(name: "<invalid VPC>", id: nil, location: reader.location(node)), region: nil, cidrs: [], cidrLocation: reader.location(node))
        }
        var cidrs: [CIDR] = []
        if let single = fields.string("cidr") { reader.parseCIDR(single).map { cidrs.append($0) } }
        for item in fields.strings("cidrs") { reader.parseCIDR(item).map { cidrs.append($0) } }
        if !fields.has("cidr") && !fields.has("cidrs") {
            reader.error(fields.location, "a VPC needs 'cidr' (or 'cidrs')", hint: "add e.g. 'cidr: 10.0.0.0/16'")
        }
        var vpc = RawVPC(entity: entity(fields, kind: "VPC"), region: fields.string("region"), cidrs: cidrs,
                         cidrLocation: fields.locationOf(fields.has("cidr") ? "cidr" : "cidrs"))
        if let igwNode = fields.node("internet_gateway") {
            if case .scalar = igwNode.shape, let name = reader.scalar(igwNode, "internet_gateway") {
                vpc.internetGateway = RawEntity(name: name.value, id: name.value.hasPrefix("igw-") ? name.value : nil, location: name.location)
            } else if let igw = reader.fields(igwNode, "an internet gateway", allowed: ["name", "id"], required: ["name"]) {
                vpc.internetGateway = entity(igw, kind: "internet gateway")
            }
        }
        vpc.subnets = fields.list("subnets").compactMap(parseSubnet)
        vpc.routeTables = fields.list("route_tables").compactMap(parseRouteTable)
        vpc.networkACLs = fields.list("network_acls").compactMap(parseNetworkACL)
        vpc.securityGroups = fields.list("security_groups").compactMap(parseSecurityGroup)
        vpc.natGateways = fields.list("nat_gateways").compactMap(parseNATGateway)
        vpc.endpoints = fields.list("endpoints").compactMap(parseEndpoint)
        vpc.interfaces = fields.list("interfaces").compactMap(parseInterface)
        vpc.workloads = fields.list("workloads").compactMap(parseWorkload)
        vpc.targetGroups = fields.list("target_groups").compactMap(parseTargetGroup)
        vpc.loadBalancers = fields.list("load_balancers").compactMap(parseLoadBalancer)
        return vpc
    }

    private func parseSubnet(_ node: N) -> RawSubnet? {
        guard let fields = reader.fields(node, "a subnet", allowed: ["name", "id", "cidr", "az", "route_table", "network_acl"],
                                         required: ["name", "cidr", "az"]) else { return nil }
        return RawSubnet(entity: entity(fields, kind: "subnet"), cidr: fields.cidr("cidr"), cidrLocation: fields.locationOf("cidr"),
                         availabilityZone: fields.string("az"), routeTable: fields.string("route_table"),
                         networkACL: fields.string("network_acl"))
    }

    private func parseRouteTable(_ node: N) -> RawRouteTable? {
        guard let fields = reader.fields(node, "a route table", allowed: ["name", "id", "main", "routes", "propagate_from"],
                                         required: ["name"]) else { return nil }
        let routes: [RawRoute] = fields.list("routes").compactMap { routeNode in
            guard let route = reader.fields(routeNode, "a route", allowed: ["destination", "target", "origin"],
                                            required: ["destination", "target"]),
                  let destination = route.string("destination"), let target = route.string("target")
            else { return nil }
            let origin = route.has("origin") ? route.oneOf("origin", [("static", Route.Origin.staticRoute), ("propagated", .propagated)]) : .staticRoute
            return RawRoute(destination: destination, target: target, origin: origin ?? .staticRoute, location: route.location)
        }
        return RawRouteTable(entity: entity(fields, kind: "route table"), isMain: fields.bool("main") ?? false, routes: routes,
                             propagateFrom: fields.strings("propagate_from"))
    }

    private func parseProtocol(_ fields: YAMLFields<N>) -> IPProtocol? {
        guard let text = fields.string("protocol") else { return nil }
        guard let proto = IPProtocol(text.value) else {
            reader.error(text.location, "'\(text.value)' is not a protocol", hint: "use tcp, udp, icmp, icmpv6, all (or -1), or a number 0–255")
            return nil
        }
        return proto
    }

    private func parsePorts(_ fields: YAMLFields<N>, proto: IPProtocol) -> PortRange? {
        guard let text = fields.string("ports") ?? fields.string("port") else { return .all }
        guard let range = PortRange(text.value) else {
            reader.error(text.location, "'\(text.value)' is not a port or port range", hint: "write 443, 1024-65535 or all")
            return nil
        }
        if !proto.hasPorts && !range.isAll {
            reader.error(text.location, "ports are only meaningful for tcp and udp, not \(proto.name)",
                         hint: proto.number == 1 ? "for icmp use icmp: {type: 8, code: -1}" : "remove 'ports' (every port is covered)")
            return nil
        }
        return range
    }

    private func parseICMP(_ fields: YAMLFields<N>, proto: IPProtocol) -> ICMPMatch? {
        guard let node = fields.node("icmp") else { return .any }
        if proto.number != 1 && proto.number != 58 {
            reader.error(fields.locationOf("icmp"), "'icmp' only applies to protocol icmp or icmpv6", hint: "remove it or set protocol: icmp")
            return nil
        }
        guard let icmp = reader.fields(node, "an icmp match", allowed: ["type", "code"]) else { return nil }
        let type = icmp.has("type") ? icmp.int("type", in: -1...255) : -1
        let code = icmp.has("code") ? icmp.int("code", in: -1...255) : -1
        guard let type, let code else { return nil }
        return ICMPMatch(type: type, code: code)
    }

    private func parseNetworkACL(_ node: N) -> RawNetworkACL? {
        guard let fields = reader.fields(node, "a network ACL", allowed: ["name", "id", "default", "subnets", "ingress", "egress"],
                                         required: ["name"]) else { return nil }
        func entries(_ key: String) -> [RawACLEntry] {
            fields.list(key).compactMap { entryNode in
                guard let entry = reader.fields(entryNode, "a network ACL rule",
                                                allowed: ["rule", "action", "protocol", "ports", "port", "icmp", "cidr"],
                                                required: ["rule", "action", "protocol", "cidr"]) else { return nil }
                let number = entry.int("rule", in: 1...32766)
                let action = entry.oneOf("action", [("allow", NetworkACLEntry.Action.allow), ("deny", .deny)])
                let proto = parseProtocol(entry)
                let ports = proto.flatMap { parsePorts(entry, proto: $0) }
                let icmp = proto.flatMap { parseICMP(entry, proto: $0) }
                let cidr = entry.cidr("cidr")
                guard let number, let action, let proto, let ports, let icmp, let cidr else { return nil }
                return RawACLEntry(ruleNumber: number, action: action, ipProtocol: proto, ports: ports, icmp: icmp, cidr: cidr, location: entry.location)
            }
        }
        return RawNetworkACL(entity: entity(fields, kind: "network ACL"), isDefault: fields.bool("default") ?? false,
                             subnets: fields.strings("subnets"), ingress: entries("ingress"), egress: entries("egress"))
    }

    private func parseSecurityGroup(_ node: N) -> RawSecurityGroup? {
        guard let fields = reader.fields(node, "a security group", allowed: ["name", "id", "description", "ingress", "egress"],
                                         required: ["name"]) else { return nil }
        func rules(_ key: String) -> [RawSGRule] {
            fields.list(key).compactMap { ruleNode in
                guard let rule = reader.fields(ruleNode, "a security group rule",
                                               allowed: ["protocol", "ports", "port", "icmp", "cidr", "cidrs", "prefix_list",
                                                         "security_group", "description"],
                                               required: ["protocol"]) else { return nil }
                let proto = parseProtocol(rule)
                let ports = proto.flatMap { parsePorts(rule, proto: $0) }
                let icmp = proto.flatMap { parseICMP(rule, proto: $0) }
                var peers: [RawPeer] = []
                if let cidr = rule.cidr("cidr") { peers.append(.cidr(cidr)) }
                for text in rule.strings("cidrs") { reader.parseCIDR(text).map { peers.append(.cidr($0)) } }
                if let list = rule.string("prefix_list") { peers.append(.prefixList(list)) }
                if let group = rule.string("security_group") { peers.append(.securityGroup(group)) }
                let peerKeys = ["cidr", "cidrs", "prefix_list", "security_group"].filter { rule.has($0) }
                if peerKeys.isEmpty {
                    reader.error(rule.location, "a security group rule needs a peer",
                                 hint: "add one of cidr, cidrs, prefix_list or security_group")
                    return nil
                }
                if peerKeys.count > 1 && !(peerKeys == ["cidr", "cidrs"]) {
                    reader.error(rule.location, "a security group rule names more than one kind of peer (\(peerKeys.joined(separator: ", ")))",
                                 hint: "AWS rules have one peer each: split it into separate rules")
                    return nil
                }
                guard let proto, let ports, let icmp, !peers.isEmpty else { return nil }
                return RawSGRule(ipProtocol: proto, ports: ports, icmp: icmp, peers: peers,
                                 description: rule.string("description")?.value, location: rule.location)
            }
        }
        return RawSecurityGroup(entity: entity(fields, kind: "security group"), description: fields.string("description")?.value,
                                ingress: rules("ingress"), egress: fields.has("egress") ? rules("egress") : nil)
    }

    private func parseNATGateway(_ node: N) -> RawNATGateway? {
        guard let fields = reader.fields(node, "a NAT gateway", allowed: ["name", "id", "subnet", "connectivity", "elastic_ip", "private_ip"],
                                         required: ["name", "subnet"]) else { return nil }
        let connectivity = fields.has("connectivity")
            ? fields.oneOf("connectivity", [("public", NATGateway.Connectivity.public), ("private", .private)]) : .public
        let eip = fields.address("elastic_ip")
        if connectivity == .private, fields.has("elastic_ip") {
            reader.error(fields.locationOf("elastic_ip"), "a private NAT gateway has no Elastic IP",
                         hint: "remove 'elastic_ip' or set connectivity: public")
        }
        return RawNATGateway(entity: entity(fields, kind: "NAT gateway"), subnet: fields.string("subnet"),
                             connectivity: connectivity ?? .public, elasticIP: eip, privateIP: fields.address("private_ip"))
    }

    private func parseEndpoint(_ node: N) -> RawEndpoint? {
        guard let fields = reader.fields(node, "a VPC endpoint", allowed: ["name", "id", "type", "service", "route_tables", "subnets",
                                                                           "security_groups", "private_dns", "private_ips"],
                                         required: ["name", "type", "service"]) else { return nil }
        let kind = fields.oneOf("type", [("gateway", VPCEndpoint.Kind.gateway), ("interface", .interface)])
        if kind == .gateway {
            for key in ["subnets", "security_groups", "private_dns"] where fields.has(key) {
                reader.error(fields.locationOf(key), "a gateway endpoint has no '\(key)'",
                             hint: "gateway endpoints work through route tables: list them under 'route_tables'")
            }
        } else if kind == .interface, fields.has("route_tables") {
            reader.error(fields.locationOf("route_tables"), "an interface endpoint has no 'route_tables'",
                         hint: "interface endpoints live in subnets: list them under 'subnets'")
        }
        return RawEndpoint(entity: entity(fields, kind: "endpoint"), kind: kind ?? .interface, service: fields.string("service"),
                           routeTables: fields.strings("route_tables"), subnets: fields.strings("subnets"),
                           securityGroups: fields.strings("security_groups"), privateDNS: fields.bool("private_dns") ?? true,
                           privateIPs: fields.strings("private_ips").compactMap { reader.parseAddress($0) })
    }

    private func parsePublicIP(_ fields: YAMLFields<N>) -> RawPublicIP {
        guard let text = fields.string("public_ip") else { return .none }
        switch text.value.lowercased() {
        case "true", "yes": return .auto
        case "false", "no": return .none
        default: return reader.parseAddress(text).map { .address($0) } ?? .none
        }
    }

    private func parseInterface(_ node: N) -> RawInterface? {
        guard let fields = reader.fields(node, "an interface", allowed: [
            "name", "id", "subnet", "private_ips", "private_ip", "public_ip", "elastic_ip", "security_groups", "source_dest_check",
            "instance", "mac", "description",
        ], required: ["name", "subnet"]) else { return nil }
        var ips: [IPv4Address] = []
        if let one = fields.address("private_ip") { ips.append(one) }
        for text in fields.strings("private_ips") { reader.parseAddress(text).map { ips.append($0) } }
        return RawInterface(entity: entity(fields, kind: "interface"), subnet: fields.string("subnet"), privateIPs: ips,
                            privateIPsLocation: fields.locationOf(fields.has("private_ip") ? "private_ip" : "private_ips"),
                            publicIP: parsePublicIP(fields), elasticIP: fields.address("elastic_ip"),
                            securityGroups: fields.strings("security_groups"), securityGroupsGiven: fields.has("security_groups"),
                            sourceDestCheck: fields.bool("source_dest_check") ?? true,
                            instance: fields.string("instance")?.value, mac: fields.string("mac")?.value,
                            description: fields.string("description")?.value)
    }

    private func parseWorkload(_ node: N) -> RawWorkload? {
        guard let fields = reader.fields(node, "a workload", allowed: [
            "name", "id", "kind", "subnets", "interfaces", "security_groups", "private_ips", "public_ip",
        ], required: ["name"]) else { return nil }
        var kind = "other"
        if let text = fields.string("kind") {
            if Workload.kinds.contains(text.value.lowercased()) {
                kind = text.value.lowercased()
            } else {
                reader.error(text.location, "'\(text.value)' is not a workload kind",
                             hint: Suggest.didYouMean(text.value, Workload.kinds) ?? "use one of \(Workload.kinds.joined(separator: ", "))")
            }
        }
        if !fields.has("subnets") && !fields.has("interfaces") {
            reader.error(fields.location, "a workload needs 'subnets' (one interface is created in each) or 'interfaces'",
                         hint: "add e.g. 'subnets: [private-a, private-b]'")
        }
        let ips = fields.strings("private_ips").compactMap { text in reader.parseAddress(text).map { Located(value: $0, location: text.location) } }
        return RawWorkload(entity: entity(fields, kind: "workload"), kind: kind, subnets: fields.strings("subnets"),
                           interfaces: fields.strings("interfaces"), securityGroups: fields.strings("security_groups"),
                           securityGroupsGiven: fields.has("security_groups"), privateIPs: ips, publicIP: parsePublicIP(fields))
    }

    private func parseLBProtocol(_ fields: YAMLFields<N>) -> String? {
        guard let text = fields.string("protocol") else { return nil }
        let upper = text.value.uppercased()
        guard TopologyKeys.loadBalancerProtocols.contains(upper) else {
            reader.error(text.location, "'\(text.value)' is not a load balancer protocol",
                         hint: "use one of \(TopologyKeys.loadBalancerProtocols.joined(separator: ", "))")
            return nil
        }
        return upper
    }

    private func parseTargetGroup(_ node: N) -> RawTargetGroup? {
        guard let fields = reader.fields(node, "a target group", allowed: ["name", "id", "protocol", "port", "targets"],
                                         required: ["name", "protocol", "port"]) else { return nil }
        guard let proto = parseLBProtocol(fields), let port = fields.int("port", in: 1...65535) else { return nil }
        return RawTargetGroup(entity: entity(fields, kind: "target group"), targetProtocol: proto, port: UInt16(port),
                              targets: fields.strings("targets"))
    }

    private func parseLoadBalancer(_ node: N) -> RawLoadBalancer? {
        guard let fields = reader.fields(node, "a load balancer", allowed: [
            "name", "id", "type", "scheme", "subnets", "security_groups", "listeners", "private_ips",
        ], required: ["name", "subnets"]) else { return nil }
        let kind = fields.has("type") ? fields.oneOf("type", [("application", LoadBalancer.Kind.application), ("network", .network)]) : .application
        let scheme = fields.has("scheme")
            ? fields.oneOf("scheme", [("internet-facing", LoadBalancer.Scheme.internetFacing), ("internal", .internal)]) : .internal
        let listeners: [RawListener] = fields.list("listeners").compactMap { listenerNode in
            guard let listener = reader.fields(listenerNode, "a listener", allowed: ["protocol", "port", "target_group"],
                                               required: ["protocol", "port", "target_group"]),
                  let proto = parseLBProtocol(listener), let port = listener.int("port", in: 1...65535),
                  let group = listener.string("target_group") else { return nil }
            return RawListener(listenerProtocol: proto, port: UInt16(port), targetGroup: group)
        }
        return RawLoadBalancer(entity: entity(fields, kind: "load balancer"), kind: kind ?? .application, scheme: scheme ?? .internal,
                               subnets: fields.strings("subnets"), securityGroups: fields.strings("security_groups"), listeners: listeners,
                               privateIPs: fields.strings("private_ips").compactMap { reader.parseAddress($0) })
    }

    private func parsePeering(_ node: N) -> RawPeering? {
        guard let fields = reader.fields(node, "a peering connection", allowed: ["name", "id", "requester", "accepter"],
                                         required: ["name", "requester", "accepter"]) else { return nil }
        return RawPeering(entity: entity(fields, kind: "peering"), requester: fields.string("requester"), accepter: fields.string("accepter"))
    }

    private func parseTransitGateway(_ node: N) -> RawTransitGateway? {
        guard let fields = reader.fields(node, "a transit gateway", allowed: [
            "name", "id", "region", "attachments", "route_tables", "routes", "propagate", "default_route_table",
            "security_group_referencing",
        ], required: ["name", "region"]) else { return nil }
        let attachments: [RawTGWAttachment] = fields.list("attachments").compactMap(parseTGWAttachment)
        let tables: [RawTGWRouteTable] = fields.list("route_tables").compactMap { tableNode in
            guard let table = reader.fields(tableNode, "a transit gateway route table", allowed: ["name", "id", "routes"],
                                            required: ["name"]) else { return nil }
            return RawTGWRouteTable(entity: entity(table, kind: "transit gateway route table"),
                                    routes: table.list("routes").compactMap(parseTGWRoute))
        }
        if !tables.isEmpty && fields.has("routes") {
            reader.error(fields.locationOf("routes"), "a transit gateway has either 'routes' (its one route table) or 'route_tables', not both",
                         hint: "move these routes under one of the 'route_tables'")
        }
        if !tables.isEmpty && fields.has("propagate") {
            reader.error(fields.locationOf("propagate"), "'propagate' goes with the one-table shorthand 'routes'",
                         hint: "with 'route_tables', say per attachment where it propagates: 'propagate_to: [...]'")
        }
        return RawTransitGateway(entity: entity(fields, kind: "transit gateway"), region: fields.string("region"),
                                 attachments: attachments, routeTables: tables, routes: fields.list("routes").compactMap(parseTGWRoute),
                                 propagate: fields.bool("propagate") ?? true, defaultRouteTable: fields.string("default_route_table"),
                                 securityGroupReferencing: fields.bool("security_group_referencing") ?? false)
    }

    private func parseTGWAttachment(_ node: N) -> RawTGWAttachment? {
        guard let fields = reader.fields(node, "a transit gateway attachment", allowed: [
            "id", "name", "vpc", "vpn", "direct_connect", "peer", "subnets", "appliance_mode", "route_table", "propagate_to",
        ], required: []) else { return nil }
        let kinds = ["vpc", "vpn", "direct_connect", "peer"].filter { fields.has($0) }
        guard kinds.count == 1 else {
            reader.error(fields.location, kinds.isEmpty ? "a transit gateway attachment needs what it attaches"
                                                        : "a transit gateway attachment attaches one thing, not \(kinds.joined(separator: " and "))",
                         hint: "give exactly one of 'vpc', 'vpn', 'direct_connect' or 'peer'")
            return nil
        }
        if fields.has("vpc") && !fields.has("subnets") {
            reader.error(fields.location, "a VPC attachment needs 'subnets' (one per Availability Zone)",
                         hint: "AWS places the attachment's interfaces in these subnets; other AZs cannot reach the transit gateway")
        }
        if !fields.has("vpc") {
            for key in ["subnets", "appliance_mode"] where fields.has(key) {
                reader.error(fields.locationOf(key), "'\(key)' belongs to VPC attachments only")
            }
        }
        return RawTGWAttachment(id: fields.string("id")?.value, name: fields.string("name"), vpc: fields.string("vpc"),
                                vpn: fields.string("vpn"), directConnect: fields.string("direct_connect"), peer: fields.string("peer"),
                                subnets: fields.strings("subnets"), applianceMode: fields.bool("appliance_mode") ?? false,
                                routeTable: fields.string("route_table"),
                                propagateTo: fields.has("propagate_to") ? fields.strings("propagate_to") : nil, location: fields.location)
    }

    private func parseTGWRoute(_ node: N) -> RawTGWRoute? {
        guard let route = reader.fields(node, "a transit gateway route", allowed: ["destination", "attachment", "blackhole"],
                                        required: ["destination"]),
              let destination = route.string("destination") else { return nil }
        let blackhole = route.bool("blackhole") ?? false
        let attachment = route.string("attachment")
        if !blackhole && attachment == nil {
            reader.error(route.location, "a transit gateway route needs 'attachment' (an attachment, or the VPC, VPN or peer it attaches) or 'blackhole: true'")
        }
        if blackhole && attachment != nil {
            reader.error(route.location, "a blackhole route has no 'attachment'", hint: "remove one of the two")
        }
        return RawTGWRoute(destination: destination, attachment: blackhole ? nil : attachment, location: route.location)
    }

    private func parseVPNGateway(_ node: N) -> RawVPNGateway? {
        guard let fields = reader.fields(node, "a virtual private gateway", allowed: ["name", "id", "vpc"], required: ["name"]) else { return nil }
        return RawVPNGateway(entity: entity(fields, kind: "virtual private gateway"), vpc: fields.string("vpc"))
    }

    private func parseCustomerGateway(_ node: N) -> RawCustomerGateway? {
        guard let fields = reader.fields(node, "a customer gateway", allowed: ["name", "id", "ip", "asn"], required: ["name"]) else { return nil }
        let asn = fields.int("asn", in: 1...4_294_967_294).map { UInt32($0) }
        return RawCustomerGateway(entity: entity(fields, kind: "customer gateway"), ipAddress: fields.address("ip"), asn: asn)
    }

    private func parseVPNConnection(_ node: N) -> RawVPNConnection? {
        guard let fields = reader.fields(node, "a VPN connection", allowed: [
            "name", "id", "customer_gateway", "vpn_gateway", "transit_gateway", "static_routes", "bgp_prefixes",
        ], required: ["name"]) else { return nil }
        if fields.has("vpn_gateway") == fields.has("transit_gateway") {
            reader.error(fields.location, "a VPN connection ends at one 'vpn_gateway' or one 'transit_gateway'",
                         hint: "give exactly one of the two")
        }
        return RawVPNConnection(entity: entity(fields, kind: "VPN connection"), customerGateway: fields.string("customer_gateway"),
                                vpnGateway: fields.string("vpn_gateway"), transitGateway: fields.string("transit_gateway"),
                                staticRoutes: fields.strings("static_routes").compactMap(reader.parseCIDR),
                                bgpPrefixes: fields.strings("bgp_prefixes").compactMap(reader.parseCIDR))
    }

    private func parseDirectConnectGateway(_ node: N) -> RawDirectConnectGateway? {
        guard let fields = reader.fields(node, "a Direct Connect gateway", allowed: ["name", "id", "vpn_gateways", "transit_gateways", "prefixes"],
                                         required: ["name"]) else { return nil }
        return RawDirectConnectGateway(entity: entity(fields, kind: "Direct Connect gateway"), vpnGateways: fields.strings("vpn_gateways"),
                                       transitGateways: fields.strings("transit_gateways"),
                                       prefixes: fields.strings("prefixes").compactMap(reader.parseCIDR))
    }

    private func parseOnPremNetwork(_ node: N) -> RawOnPremNetwork? {
        guard let fields = reader.fields(node, "an on-premises network", allowed: ["name", "cidrs", "via"],
                                         required: ["name", "cidrs", "via"]),
              let name = fields.string("name") else { return nil }
        return RawOnPremNetwork(name: name, cidrs: fields.strings("cidrs").compactMap(reader.parseCIDR), via: fields.string("via"),
                                location: fields.location)
    }

    private func parsePrefixList(_ node: N) -> RawPrefixList? {
        guard let fields = reader.fields(node, "a prefix list", allowed: ["name", "id", "region", "cidrs"],
                                         required: ["name", "region", "cidrs"]) else { return nil }
        let cidrs = fields.strings("cidrs").compactMap { reader.parseCIDR($0) }
        return RawPrefixList(entity: entity(fields, kind: "prefix list"), region: fields.string("region"), cidrs: cidrs)
    }

    private func parseService(_ node: N) -> RawService? {
        guard let fields = reader.fields(node, "a service", allowed: ["name", "region", "addresses", "prefix_list"],
                                         required: ["name", "region"]),
              let name = fields.string("name") else { return nil }
        if !fields.has("addresses") && !fields.has("prefix_list") {
            reader.error(fields.location, "service '\(name.value)' needs 'addresses' or 'prefix_list'")
        }
        let addresses = fields.strings("addresses").compactMap { reader.parseCIDR($0) }
        return RawService(name: Located(value: VPCEndpoint.shortServiceName(name.value), location: name.location),
                          region: fields.string("region"), addresses: addresses, prefixList: fields.string("prefix_list"))
    }
}
