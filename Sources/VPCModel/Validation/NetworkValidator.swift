/// Checks a network against the rules AWS itself enforces when the resources are created, so that
/// vpcsim never answers about a network AWS would not let anyone build. Works on any `Network`
/// (topology file, AWS import, generator); a `SourceMap` lets it point at lines.
public enum NetworkValidator {
    public static func validate(_ network: Network, sourceMap: SourceMap = SourceMap(), file: String? = nil) -> [Diagnostic] {
        var context = Context(network: network, sourceMap: sourceMap, file: file)
        context.checkVPCs()
        context.checkSubnets()
        context.checkInterfaces()
        context.checkRouteTables()
        context.checkNetworkACLs()
        context.checkSecurityGroups()
        context.checkPeerings()
        context.checkLoadBalancers()
        context.checkTransitGateways()
        return context.diagnostics
    }

    struct Context {
        let network: Network
        let sourceMap: SourceMap
        let file: String?
        var diagnostics: [Diagnostic] = []
        /// Entities by id and subnets by VPC, built once: every check is a linear pass even on a
        /// network of 100k interfaces.
        let vpcPositions: IDIndex
        let subnetPositions: IDIndex
        let interfacePositions: IDIndex
        let groupPositions: IDIndex
        let natPositions: IDIndex
        let peeringPositions: IDIndex
        let tgwPositions: IDIndex
        let subnetsOfVPC: [String: [Subnet]]
        /// The VPCs each transit gateway attaches, index-aligned with `network.transitGateways`.
        let attachedVPCs: [Set<String>]

        init(network: Network, sourceMap: SourceMap, file: String?) {
            self.network = network; self.sourceMap = sourceMap; self.file = file
            vpcPositions = IDIndex(network.vpcs.map(\.id))
            subnetPositions = IDIndex(network.subnets.map(\.id))
            interfacePositions = IDIndex(network.interfaces.map(\.id))
            groupPositions = IDIndex(network.securityGroups.map(\.id))
            natPositions = IDIndex(network.natGateways.map(\.id))
            peeringPositions = IDIndex(network.peerings.map(\.id))
            tgwPositions = IDIndex(network.transitGateways.map(\.id))
            subnetsOfVPC = Dictionary(grouping: network.subnets, by: \.vpcID)
            attachedVPCs = network.transitGateways.map { Set($0.attachments.compactMap(\.vpcID)) }
        }

        mutating func error(_ id: String, field: String? = nil, _ message: String, hint: String? = nil) {
            diagnostics.append(Diagnostic(.error, at: sourceMap.location(of: id, field: field), file: file, message, hint: hint))
        }

        mutating func warning(_ id: String, field: String? = nil, _ message: String, hint: String? = nil) {
            diagnostics.append(Diagnostic(.warning, at: sourceMap.location(of: id, field: field), file: file, message, hint: hint))
        }

        func vpc(_ id: String) -> VPC? { vpcPositions[id].map { network.vpcs[$0] } }
        func subnet(_ id: String) -> Subnet? { subnetPositions[id].map { network.subnets[$0] } }

        static func isRegionName(_ text: String) -> Bool {
            let parts = text.split(separator: "-")
            guard parts.count >= 3, let last = parts.last, last.allSatisfy(\.isNumber) else { return false }
            return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLetter && $0.isLowercase } }
        }

        // https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html — VPC and subnet CIDRs are /16 to /28.
        mutating func checkVPCs() {
            for vpc in network.vpcs {
                if !Context.isRegionName(vpc.region) {
                    error(vpc.id, "VPC '\(vpc.name)' has region '\(vpc.region)', which is not an AWS region name", hint: "write it like us-east-1")
                }
                if vpc.cidrs.isEmpty { error(vpc.id, field: "cidr", "VPC '\(vpc.name)' has no CIDR", hint: "add 'cidr: 10.0.0.0/16'") }
                for cidr in vpc.cidrs where !(16...28).contains(cidr.length) {
                    error(vpc.id, field: "cidr", "VPC '\(vpc.name)' CIDR \(cidr) is /\(cidr.length); AWS allows /16 to /28", hint: "use a block between /16 and /28")
                }
                for (index, cidr) in vpc.cidrs.enumerated() {
                    for other in vpc.cidrs[(index + 1)...] where cidr.overlaps(other) {
                        error(vpc.id, field: "cidr", "VPC '\(vpc.name)' CIDRs \(cidr) and \(other) overlap", hint: "a VPC's CIDR blocks must be disjoint")
                    }
                }
            }
        }

        mutating func checkSubnets() {
            for vpc in network.vpcs {
                let subnets = subnetsOfVPC[vpc.id] ?? []
                for (index, subnet) in subnets.enumerated() {
                    if !(16...28).contains(subnet.cidr.length) {
                        error(subnet.id, field: "cidr", "subnet '\(subnet.name)' CIDR \(subnet.cidr) is /\(subnet.cidr.length); AWS allows /16 to /28",
                              hint: "use a block between /16 and /28")
                    }
                    if !vpc.cidrs.contains(where: { $0.contains(subnet.cidr) }) {
                        error(subnet.id, field: "cidr", "subnet '\(subnet.name)' CIDR \(subnet.cidr) is not inside VPC '\(vpc.name)' (\(vpc.cidrs.map(\.description).joined(separator: ", ")))",
                              hint: "a subnet's CIDR must lie within one of its VPC's CIDR blocks")
                    }
                    for other in subnets[(index + 1)...] where subnet.cidr.overlaps(other.cidr) {
                        error(other.id, field: "cidr", "subnet '\(other.name)' (\(other.cidr)) overlaps subnet '\(subnet.name)' (\(subnet.cidr))",
                              hint: "subnets of a VPC must not overlap")
                    }
                    let zone = subnet.availabilityZone
                    if !(zone.hasPrefix(vpc.region) && zone.count == vpc.region.count + 1 && zone.last?.isLetter == true) {
                        error(subnet.id, field: "az", "subnet '\(subnet.name)' is in '\(zone)', which is not an Availability Zone of \(vpc.region)",
                              hint: "an AZ is the region name plus a letter, e.g. \(vpc.region)a")
                    }
                }
            }
        }

        mutating func checkInterfaces() {
            // Private IPs are unique per VPC: number the VPCs subnets name, and remember the first
            // interface (by index) holding each (VPC number, address); fields are read in place, not
            // copied interface by interface.
            var vpcNumbers: [String: UInt64] = [:]
            let vpcOfSubnet = network.subnets.map { subnet -> UInt64 in
                if let number = vpcNumbers[subnet.vpcID] { return number }
                let number = UInt64(vpcNumbers.count)
                vpcNumbers[subnet.vpcID] = number
                return number
            }
            var seen: [UInt64: Int] = [:]
            var publicSeen: [UInt32: Int] = [:]
            seen.reserveCapacity(network.interfaces.count)
            let interfaces = network.interfaces, subnets = network.subnets
            for index in interfaces.indices {
                guard let position = subnetPositions[interfaces[index].subnetID] else { continue }
                if interfaces[index].privateIPs.isEmpty {
                    error(interfaces[index].id, "interface '\(interfaces[index].name)' has no private IP")
                }
                for address in interfaces[index].privateIPs {
                    if !subnets[position].cidr.contains(address) {
                        let (interface, subnet) = (interfaces[index], subnets[position])
                        error(interface.id, field: "private_ips", "\(label(interface)) address \(address) is not in its subnet '\(subnet.name)' (\(subnet.cidr))",
                              hint: "pick an address inside \(subnet.cidr), or omit it to have one assigned")
                    } else if subnets[position].isReserved(address) {
                        let (interface, subnet) = (interfaces[index], subnets[position])
                        error(interface.id, field: "private_ips", "\(label(interface)) address \(address) is reserved by AWS in subnet '\(subnet.name)'",
                              hint: "AWS reserves the first four addresses and the last one of every subnet; use \(IPv4Address(subnet.cidr.network.value + 4)) or above")
                    }
                    let key = vpcOfSubnet[position] << 32 | UInt64(address.value)
                    if let other = seen[key] {
                        error(interfaces[index].id, field: "private_ips", "\(label(interfaces[index])) address \(address) is already used by \(label(interfaces[other]))",
                              hint: "private IPs are unique within a VPC")
                    } else {
                        seen[key] = index
                    }
                }
                if let publicIP = interfaces[index].publicIP {
                    if !publicIP.isPublic {
                        error(interfaces[index].id, "\(label(interfaces[index])) public IP \(publicIP) is not a public address", hint: "public and Elastic IPs come from public address space")
                    }
                    if let other = publicSeen[publicIP.value] {
                        error(interfaces[index].id, "\(label(interfaces[index])) public IP \(publicIP) is already used by \(label(interfaces[other]))", hint: "each public IP belongs to one interface")
                    } else {
                        publicSeen[publicIP.value] = index
                    }
                }
            }
        }

        func label(_ interface: NetworkInterface) -> String {
            switch interface.owner {
            case .natGateway(let id): return "NAT gateway '\(network.natGateways.first { $0.id == id }?.name ?? id)'"
            case .endpoint: return "endpoint interface '\(interface.name)'"
            case .loadBalancer: return "load balancer interface '\(interface.name)'"
            case .workload: return "workload interface '\(interface.name)'"
            case .none: return "interface '\(interface.name)'"
            }
        }

        mutating func checkRouteTables() {
            for table in network.routeTables {
                guard let vpc = vpc(table.vpcID) else { continue }
                // A propagated route may share a static route's destination (the static one wins); two
                // routes of the same origin may not.
                var destinations: Set<[String]> = []
                for (index, route) in table.routes.enumerated() {
                    let field = "route#\(index)"
                    if !destinations.insert([route.destination.description, route.origin.rawValue]).inserted {
                        error(table.id, field: field, "route table '\(table.name)' has two routes for \(route.destination)",
                              hint: "AWS allows one route per destination in a table")
                    }
                    if case .prefixList(let id) = route.destination, let list = network.prefixLists.first(where: { $0.id == id }), list.region != vpc.region {
                        error(table.id, field: field, "route table '\(table.name)' uses prefix list '\(list.name)' of \(list.region) in a VPC of \(vpc.region)",
                              hint: "prefix lists are regional: use the list of \(vpc.region)")
                    }
                    if case .cidr(let cidr) = route.destination, route.target != .local,
                       vpc.cidrs.contains(where: { $0.contains(cidr) && $0 != cidr }) {
                        // https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html#route-tables-more-specific-routes
                        let wholeSubnet = subnetsOfVPC[vpc.id]?.contains { $0.cidr == cidr } ?? false
                        var allowedTarget = false
                        if case .natGateway = route.target { allowedTarget = true }
                        if case .networkInterface = route.target { allowedTarget = true }
                        if !wholeSubnet || !allowedTarget {
                            error(table.id, field: field, "route table '\(table.name)' routes \(cidr), which is inside the VPC's local range, to something other than a whole subnet through a NAT gateway or interface",
                                  hint: "a route more specific than local must match an entire subnet CIDR and target a NAT gateway or network interface")
                        }
                    }
                    switch route.target {
                    case .natGateway(let id):
                        if let nat = natPositions[id].map({ network.natGateways[$0] }), subnet(nat.subnetID)?.vpcID != vpc.id {
                            error(table.id, field: field, "route table '\(table.name)' targets NAT gateway '\(nat.name)' of another VPC", hint: "a route can only use a NAT gateway in its own VPC")
                        }
                    case .networkInterface(let id):
                        if let eni = interfacePositions[id].map({ network.interfaces[$0] }), subnet(eni.subnetID)?.vpcID != vpc.id {
                            error(table.id, field: field, "route table '\(table.name)' targets interface '\(eni.name)' of another VPC", hint: "a route can only use an interface in its own VPC")
                        }
                    case .peering(let id):
                        if let peering = peeringPositions[id].map({ network.peerings[$0] }), peering.peer(of: vpc.id) == nil {
                            error(table.id, field: field, "route table '\(table.name)' targets peering '\(peering.name)', which does not involve VPC '\(vpc.name)'",
                                  hint: "a peering route must be in one of the two peered VPCs")
                        }
                    case .transitGateway(let id):
                        if let position = tgwPositions[id], !attachedVPCs[position].contains(vpc.id) {
                            let tgw = network.transitGateways[position]
                            error(table.id, field: field, "route table '\(table.name)' targets transit gateway '\(tgw.name)', which has no attachment in VPC '\(vpc.name)'",
                                  hint: "attach the VPC to the transit gateway under its 'attachments'")
                        }
                    default: break
                    }
                }
            }
        }

        mutating func checkNetworkACLs() {
            for acl in network.networkACLs {
                for (direction, entries) in [("ingress", acl.ingress), ("egress", acl.egress)] {
                    var numbers: Set<Int> = []
                    for entry in entries where !numbers.insert(entry.ruleNumber).inserted {
                        error(acl.id, field: "\(direction)#\(entry.ruleNumber)", "network ACL '\(acl.name)' has two \(direction) rules numbered \(entry.ruleNumber)",
                              hint: "rule numbers are unique per direction; AWS evaluates them lowest first")
                    }
                }
            }
        }

        mutating func checkSecurityGroups() {
            for group in network.securityGroups {
                guard let vpc = vpc(group.vpcID) else { continue }
                for rule in group.ingress + group.egress {
                    switch rule.peer {
                    case .securityGroup(let id):
                        guard let other = groupPositions[id].map({ network.securityGroups[$0] }), other.vpcID != group.vpcID else { continue }
                        // https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html
                        let peered = network.peerings.contains { $0.peer(of: group.vpcID) == other.vpcID }
                        let sameRegion = self.vpc(other.vpcID)?.region == vpc.region
                        // https://docs.aws.amazon.com/vpc/latest/tgw/tgw-sg-updates.html: across a transit gateway with referencing on.
                        let referencedOverTransit = network.transitGateways.contains { tgw in
                            tgw.securityGroupReferencing && tgw.attachment(forVPC: group.vpcID) != nil && tgw.attachment(forVPC: other.vpcID) != nil
                        }
                        if !(peered && sameRegion) && !referencedOverTransit {
                            error(group.id, "security group '\(group.name)' refers to group '\(other.name)' of another VPC that is not peered with it in the same region",
                                  hint: "AWS allows cross-VPC group references across a same-region peering, or a transit gateway with security-group referencing on; use the other VPC's CIDR instead")
                        }
                    case .prefixList(let id):
                        if let list = network.prefixLists.first(where: { $0.id == id }), list.region != vpc.region {
                            error(group.id, "security group '\(group.name)' uses prefix list '\(list.name)' of \(list.region) in a VPC of \(vpc.region)",
                                  hint: "prefix lists are regional")
                        }
                    case .cidr: break
                    }
                }
            }
        }

        mutating func checkPeerings() {
            var pairs: Set<[String]> = []
            for peering in network.peerings {
                guard let requester = vpc(peering.requesterVPCID), let accepter = vpc(peering.accepterVPCID) else { continue }
                // https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-limitations
                for left in requester.cidrs {
                    for right in accepter.cidrs where left.overlaps(right) {
                        error(peering.id, "peering '\(peering.name)' connects VPCs with overlapping CIDRs (\(left) and \(right))",
                              hint: "AWS cannot peer VPCs whose CIDR blocks overlap")
                    }
                }
                if !pairs.insert([requester.id, accepter.id].sorted()).inserted {
                    error(peering.id, "VPCs '\(requester.name)' and '\(accepter.name)' are peered twice", hint: "two VPCs have at most one active peering connection")
                }
            }
        }

        mutating func checkLoadBalancers() {
            for lb in network.loadBalancers {
                let zones = lb.subnetIDs.compactMap { subnet($0)?.availabilityZone }
                if Set(zones).count != zones.count {
                    error(lb.id, "load balancer '\(lb.name)' has two subnets in the same Availability Zone", hint: "a load balancer takes one subnet per AZ")
                }
                // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer
                if lb.kind == .application && Set(zones).count < 2 {
                    error(lb.id, "application load balancer '\(lb.name)' needs subnets in at least two Availability Zones",
                          hint: "add a subnet in another AZ, or use type: network")
                }
                var ports: Set<UInt16> = []
                for listener in lb.listeners where !ports.insert(listener.port).inserted {
                    error(lb.id, "load balancer '\(lb.name)' has two listeners on port \(listener.port)", hint: "one listener per port")
                }
            }
        }

        mutating func checkTransitGateways() {
            for tgw in network.transitGateways {
                let tables = Set(tgw.routeTables.map(\.id))
                let attachmentIDs = Set(tgw.attachments.map(\.id))
                var attachedVPCs: Set<String> = []
                for attachment in tgw.attachments {
                    if let table = attachment.routeTableID, !tables.contains(table) {
                        error(attachment.id, "attachment '\(attachment.name)' of transit gateway '\(tgw.name)' is associated with route table '\(table)', which is not one of its tables",
                              hint: "an attachment is associated with a route table of its own transit gateway")
                    }
                    for table in attachment.propagatesTo where !tables.contains(table) {
                        error(attachment.id, "attachment '\(attachment.name)' of transit gateway '\(tgw.name)' propagates into route table '\(table)', which is not one of its tables")
                    }
                    switch attachment.resource {
                    case .vpc(let vpcID):
                        guard let vpc = vpc(vpcID) else {
                            error(attachment.id, "transit gateway '\(tgw.name)' attaches unknown VPC '\(vpcID)'")
                            continue
                        }
                        if !attachedVPCs.insert(vpcID).inserted {
                            error(attachment.id, "transit gateway '\(tgw.name)' attaches VPC '\(vpc.name)' twice",
                                  hint: "AWS allows one attachment per VPC and transit gateway")
                        }
                        if vpc.region != tgw.region {
                            error(tgw.id, "transit gateway '\(tgw.name)' (\(tgw.region)) attaches VPC '\(vpc.name)' of \(vpc.region)",
                                  hint: "a transit gateway attaches VPCs of its own region; use a peering attachment between two transit gateways")
                        }
                        var zones: Set<String> = []
                        for subnetID in attachment.subnetIDs {
                            guard let subnet = subnet(subnetID), subnet.vpcID == vpc.id else {
                                error(attachment.id, "transit gateway '\(tgw.name)' attachment for '\(vpc.name)' uses subnet '\(subnetID)', which is not in that VPC",
                                      hint: "an attachment's subnets belong to the VPC it attaches")
                                continue
                            }
                            if !zones.insert(subnet.availabilityZone).inserted {
                                error(attachment.id, "transit gateway '\(tgw.name)' attachment for '\(vpc.name)' has two subnets in \(subnet.availabilityZone)",
                                      hint: "AWS takes one subnet per Availability Zone")
                            }
                        }
                        if attachment.subnetIDs.isEmpty {
                            warning(attachment.id, "transit gateway '\(tgw.name)' attachment for '\(vpc.name)' has no subnets: nothing in the VPC can reach the gateway")
                        }
                    case .vpn(let id):
                        if !network.vpnConnections.contains(where: { $0.id == id }) {
                            error(attachment.id, "transit gateway '\(tgw.name)' attaches unknown VPN connection '\(id)'")
                        }
                    case .directConnect(let id):
                        if !network.directConnectGateways.contains(where: { $0.id == id }) {
                            error(attachment.id, "transit gateway '\(tgw.name)' attaches unknown Direct Connect gateway '\(id)'")
                        }
                    case .peering(let peer):
                        if tgwPositions[peer] == nil {
                            warning(attachment.id, "transit gateway '\(tgw.name)' peers with '\(peer)', which is not in the network: routes to it are blackholes")
                        }
                    }
                }
                for table in tgw.routeTables {
                    for route in table.routes {
                        guard let target = route.attachmentID, !attachmentIDs.contains(target) else { continue }
                        let owner = network.transitGateways.first { $0.id != tgw.id && $0.attachments.contains { $0.id == target } }
                        error(table.id, "route \(route.destination) in '\(table.name)' of transit gateway '\(tgw.name)' uses attachment '\(target)'"
                                + (owner.map { ", an attachment of transit gateway '\($0.name)'" } ?? ", which it does not have"),
                              hint: "a transit gateway route targets an attachment of the same gateway")
                    }
                }
            }
            for gateway in network.vpnGateways {
                if let vpcID = gateway.vpcID, vpc(vpcID) == nil {
                    error(gateway.id, "virtual private gateway '\(gateway.name)' is attached to unknown VPC '\(vpcID)'")
                }
            }
            for connection in network.vpnConnections {
                switch connection.gateway {
                case .vpnGateway(let id):
                    if !network.vpnGateways.contains(where: { $0.id == id }) {
                        error(connection.id, "VPN connection '\(connection.name)' ends at unknown virtual private gateway '\(id)'")
                    }
                case .transitGateway(let id):
                    if let position = tgwPositions[id], !network.transitGateways[position].attachments.contains(where: { $0.resource == .vpn(connection.id) }) {
                        error(connection.id, "VPN connection '\(connection.name)' ends at transit gateway '\(network.transitGateways[position].name)', which has no attachment for it")
                    }
                }
            }
            for site in network.onPremNetworks {
                let known: Bool
                switch site.via {
                case .vpnConnection(let id): known = network.vpnConnections.contains { $0.id == id }
                case .directConnectGateway(let id): known = network.directConnectGateways.contains { $0.id == id }
                }
                if !known { diagnostics.append(Diagnostic(.error, at: nil, file: file, "on-premises network '\(site.name)' is reached over an edge that is not in the network")) }
            }
            for table in network.routeTables {
                for gateway in table.propagatingGatewayIDs where network.vpnGateways.first(where: { $0.id == gateway })?.vpcID != table.vpcID {
                    error(table.id, "route table '\(table.name)' propagates routes from '\(gateway)', which is not a virtual private gateway attached to its VPC")
                }
            }
        }
    }
}
