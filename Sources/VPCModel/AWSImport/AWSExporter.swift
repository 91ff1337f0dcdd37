/// Writes a `Network` as the JSON `aws ec2 describe-*` and `aws elbv2 describe-*` would print for
/// it (one file per call, indent 4, keys in the CLI's usual order), which `AWSImporter` reads back
/// into an equivalent network. What AWS does not print is carried in tags on the network
/// interfaces (`vpcsim:workload`, `vpcsim:workload-kind`, `vpcsim:workload-id`, `vpcsim:standalone`)
/// so that workloads survive the round trip, and on VPN connections (`vpcsim:bgp-prefixes`); see
/// docs/aws-import.md for what differs.
///
/// Not in any ec2 output, so not written: on-premises networks (the importer leaves them for the
/// user to add); Direct Connect gateways themselves (`aws directconnect`): a gateway appears only
/// as the transit gateway attachments to it and the routes they propagate, so its name, its
/// virtual private gateways and the prefixes of a gateway that propagates nowhere are lost.
public enum AWSExporter {
    /// File name → contents.
    public static func files(_ network: Network) -> [(name: String, text: String)] {
        Exporter(network: network).files()
    }

    private struct Exporter {
        let network: Network
        let account: String
        var subnetByID: [String: Subnet] = [:]
        var vpcByID: [String: VPC] = [:]
        var groupByID: [String: SecurityGroup] = [:]
        var interfaceByID: [String: NetworkInterface] = [:]

        init(network: Network) {
            self.network = network
            account = network.account
            for subnet in network.subnets { subnetByID[subnet.id] = subnet }
            for vpc in network.vpcs { vpcByID[vpc.id] = vpc }
            for group in network.securityGroups { groupByID[group.id] = group }
            for interface in network.interfaces { interfaceByID[interface.id] = interface }
        }

        func files() -> [(name: String, text: String)] {
            var result: [(String, JSON)] = [
                ("describe-vpcs", .object([("Vpcs", .array(network.vpcs.map(vpc)))])),
                ("describe-subnets", .object([("Subnets", .array(network.subnets.map(subnet)))])),
                ("describe-route-tables", .object([("RouteTables", .array(network.routeTables.map(routeTable)))])),
                ("describe-network-acls", .object([("NetworkAcls", .array(network.networkACLs.map(networkACL)))])),
                ("describe-security-groups", .object([("SecurityGroups", .array(network.securityGroups.map(securityGroup)))])),
                ("describe-network-interfaces", .object([("NetworkInterfaces", .array(network.interfaces.map(interface)))])),
                ("describe-internet-gateways", .object([("InternetGateways", .array(network.internetGateways.map(internetGateway)))])),
                ("describe-nat-gateways", .object([("NatGateways", .array(network.natGateways.map(natGateway)))])),
                ("describe-addresses", .object([("Addresses", .array(network.interfaces.filter { $0.publicIPIsElastic && $0.publicIP != nil }.map(address)))])),
                ("describe-vpc-endpoints", .object([("VpcEndpoints", .array(network.endpoints.map(endpoint)))])),
                ("describe-vpc-peering-connections", .object([("VpcPeeringConnections", .array(network.peerings.map(peering)))])),
            ]
            let regions = Set(network.vpcs.map(\.region))
            let lists = network.prefixLists.filter { regions.contains($0.region) }
            let managed = lists.filter(\.awsManaged)
            if !managed.isEmpty {
                result.append(("describe-prefix-lists", .object([("PrefixLists", .array(managed.map { list in
                    .object([("Cidrs", .array(list.cidrs.map { .string($0.description) })), ("PrefixListId", .string(list.id)), ("PrefixListName", .string(list.name))])
                }))])))
            }
            if !lists.isEmpty {
                result.append(("describe-managed-prefix-lists", .object([("PrefixLists", .array(lists.map(managedPrefixList)))])))
                for list in lists {
                    result.append(("get-managed-prefix-list-entries-\(list.id)", .object([("Entries", .array(list.cidrs.map { .object([("Cidr", .string($0.description))]) }))])))
                }
            }
            if !network.transitGateways.isEmpty {
                result += transitGatewayFiles()
            }
            if !network.vpnGateways.isEmpty {
                result.append(("describe-vpn-gateways", .object([("VpnGateways", .array(network.vpnGateways.map(vpnGateway)))])))
            }
            if !network.customerGateways.isEmpty {
                result.append(("describe-customer-gateways", .object([("CustomerGateways", .array(network.customerGateways.map(customerGateway)))])))
            }
            if !network.vpnConnections.isEmpty {
                result.append(("describe-vpn-connections", .object([("VpnConnections", .array(network.vpnConnections.map(vpnConnection)))])))
            }
            if !network.loadBalancers.isEmpty || !network.targetGroups.isEmpty {
                result.append(("describe-load-balancers", .object([("LoadBalancers", .array(network.loadBalancers.map(loadBalancer)))])))
                result.append(("describe-target-groups", .object([("TargetGroups", .array(network.targetGroups.map(targetGroup)))])))
                result.append(("describe-listeners", .object([("Listeners", .array(network.loadBalancers.flatMap { lb in
                    lb.listeners.map { listener in
                        JSON.object([("LoadBalancerArn", .string(lbARN(lb))), ("Port", .int(Int(listener.port))), ("Protocol", .string(listener.listenerProtocol)),
                                     ("DefaultActions", .array([.object([("Type", .string("forward")), ("TargetGroupArn", .string(tgARN(listener.targetGroupID)))])]))])
                    }
                }))])))
                for group in network.targetGroups {
                    result.append(("describe-target-health-\(group.name)", .object([("TargetHealthDescriptions", .array(group.targets.compactMap { target in
                        let ip: IPv4Address?
                        switch target {
                        case .ip(let address): ip = address
                        case .interface(let id): ip = interfaceByID[id]?.primaryIP
                        }
                        return ip.map { JSON.object([("Target", .object([("Id", .string($0.description)), ("Port", .int(Int(group.port)))])),
                                                     ("HealthCheckPort", .string(String(group.port))), ("TargetHealth", .object([("State", .string("healthy"))]))]) }
                    }))])))
                }
            }
            return result.map { ("\(safeFileName($0.0)).json", $0.1.text() + "\n") }
        }

        func safeFileName(_ name: String) -> String {
            String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        }

        // MARK: Helpers

        func tags(_ name: String, extra: [(String, String)] = []) -> JSON {
            .array(([("Name", name)] + extra).map { .object([("Key", .string($0.0)), ("Value", .string($0.1))]) })
        }

        func hex(_ seed: String, digits: Int = 16) -> String {
            String(String(StableID.fnv1a64(seed), radix: 16).leftPadded(to: 16).prefix(digits))
        }

        func region(ofVPC id: String) -> String { vpcByID[id]?.region ?? network.vpcs.first?.region ?? "us-east-1" }

        func lbARN(_ lb: LoadBalancer) -> String {
            lb.id.hasPrefix("arn:") ? lb.id
                : "arn:aws:elasticloadbalancing:\(region(ofVPC: lb.vpcID)):\(account):loadbalancer/\(lb.kind == .application ? "app" : "net")/\(lb.name)/\(hex(lb.id))"
        }

        func tgARN(_ id: String) -> String {
            guard !id.hasPrefix("arn:"), let group = network.targetGroups.first(where: { $0.id == id }) else { return id }
            return "arn:aws:elasticloadbalancing:\(region(ofVPC: group.vpcID)):\(account):targetgroup/\(group.name)/\(hex(group.id))"
        }


        // MARK: EC2

        func vpc(_ vpc: VPC) -> JSON {
            .object([
                ("CidrBlock", .string(vpc.cidrs.first?.description ?? "")),
                ("CidrBlockAssociationSet", .array(vpc.cidrs.map { cidr in
                    .object([("AssociationId", .string("vpc-cidr-assoc-0" + hex(vpc.id + cidr.description))), ("CidrBlock", .string(cidr.description)),
                             ("CidrBlockState", .object([("State", .string("associated"))]))])
                })),
                ("IsDefault", .bool(false)), ("OwnerId", .string(account)), ("State", .string("available")),
                ("Tags", tags(vpc.name)), ("VpcId", .string(vpc.id)),
            ])
        }

        func subnet(_ subnet: Subnet) -> JSON {
            let region = self.region(ofVPC: subnet.vpcID)
            return .object([
                ("AvailabilityZone", .string(subnet.availabilityZone)), ("CidrBlock", .string(subnet.cidr.description)),
                ("MapPublicIpOnLaunch", .bool(false)), ("State", .string("available")), ("SubnetId", .string(subnet.id)),
                ("VpcId", .string(subnet.vpcID)), ("OwnerId", .string(account)), ("Tags", tags(subnet.name)),
                ("SubnetArn", .string("arn:aws:ec2:\(region):\(account):subnet/\(subnet.id)")),
            ])
        }

        func routeTable(_ table: RouteTable) -> JSON {
            var associations: [JSON] = []
            if table.isMain {
                associations.append(.object([("Main", .bool(true)), ("RouteTableAssociationId", .string("rtbassoc-0" + hex(table.id))),
                                             ("RouteTableId", .string(table.id)), ("AssociationState", .object([("State", .string("associated"))]))]))
            }
            for subnet in network.subnets where subnet.routeTableID == table.id {
                associations.append(.object([("Main", .bool(false)), ("RouteTableAssociationId", .string("rtbassoc-0" + hex(table.id + subnet.id))),
                                             ("RouteTableId", .string(table.id)), ("SubnetId", .string(subnet.id)),
                                             ("AssociationState", .object([("State", .string("associated"))]))]))
            }
            // What route propagation adds, as AWS prints it: the prefixes of each propagating
            // gateway's VPN connections; a route to the same CIDR already in the table takes its place.
            var present = Set(table.routes.compactMap { route -> CIDR? in if case .cidr(let cidr) = route.destination { return cidr } else { return nil } })
            var propagated: [JSON] = []
            for gateway in table.propagatingGatewayIDs {
                for connection in network.vpnConnections where connection.gateway == .vpnGateway(gateway) {
                    for cidr in connection.prefixes where present.insert(cidr).inserted {
                        propagated.append(.object([("DestinationCidrBlock", .string(cidr.description)), ("GatewayId", .string(gateway)),
                                                   ("Origin", .string("EnableVgwRoutePropagation")), ("State", .string("active"))]))
                    }
                }
            }
            return .object([("Associations", .array(associations)), ("PropagatingVgws", .array(table.propagatingGatewayIDs.map { .object([("GatewayId", .string($0))]) })), ("RouteTableId", .string(table.id)),
                            ("Routes", .array(table.routes.map(route) + propagated)), ("Tags", tags(table.name)), ("VpcId", .string(table.vpcID)), ("OwnerId", .string(account))])
        }

        func route(_ route: Route) -> JSON {
            var fields: [(String, JSON)] = []
            switch route.destination {
            case .cidr(let cidr): fields.append(("DestinationCidrBlock", .string(cidr.description)))
            case .prefixList(let id): fields.append(("DestinationPrefixListId", .string(id)))
            }
            switch route.target {
            case .local: fields.append(("GatewayId", .string("local")))
            case .internetGateway(let id), .gatewayEndpoint(let id), .vpnGateway(let id): fields.append(("GatewayId", .string(id)))
            case .natGateway(let id): fields.append(("NatGatewayId", .string(id)))
            case .peering(let id): fields.append(("VpcPeeringConnectionId", .string(id)))
            case .transitGateway(let id): fields.append(("TransitGatewayId", .string(id)))
            case .networkInterface(let id):
                if let instance = interfaceByID[id]?.instanceID { fields.append(("InstanceId", .string(instance))); fields.append(("InstanceOwnerId", .string(account))) }
                fields.append(("NetworkInterfaceId", .string(id)))
            case .blackhole: break
            }
            let origin = route.target == .local ? "CreateRouteTable" : (route.origin == .propagated ? "EnableVgwRoutePropagation" : "CreateRoute")
            fields += [("Origin", .string(origin)), ("State", .string(route.isBlackhole ? "blackhole" : "active"))]
            return .object(fields)
        }

        func protocolName(_ ipProtocol: IPProtocol) -> String { ipProtocol.isAll ? "-1" : ipProtocol.name }

        func networkACL(_ acl: NetworkACL) -> JSON {
            let subnets = network.subnets.filter { $0.vpcID == acl.vpcID && ($0.networkACLID == acl.id || ($0.networkACLID == nil && acl.isDefault)) }
            func entry(_ entry: NetworkACLEntry?, egress: Bool) -> JSON {
                guard let entry else {
                    return .object([("CidrBlock", .string("0.0.0.0/0")), ("Egress", .bool(egress)), ("Protocol", .string("-1")),
                                    ("RuleAction", .string("deny")), ("RuleNumber", .int(32767))])
                }
                var fields: [(String, JSON)] = [("CidrBlock", .string(entry.cidr.description)), ("Egress", .bool(egress))]
                if !entry.icmp.isAny { fields.append(("IcmpTypeCode", .object([("Code", .int(Int(entry.icmp.code))), ("Type", .int(Int(entry.icmp.type)))]))) }
                if entry.ipProtocol.hasPorts && !entry.ports.isAll { fields.append(("PortRange", .object([("From", .int(Int(entry.ports.lower))), ("To", .int(Int(entry.ports.upper)))]))) }
                fields += [("Protocol", .string(entry.ipProtocol.isAll ? "-1" : String(entry.ipProtocol.number))),
                           ("RuleAction", .string(entry.action.rawValue)), ("RuleNumber", .int(entry.ruleNumber))]
                return .object(fields)
            }
            // https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-network-acls.html — outbound entries first, each direction ending with the `*` (32767) deny.
            let entries = acl.egress.map { entry($0, egress: true) } + [entry(nil, egress: true)] + acl.ingress.map { entry($0, egress: false) } + [entry(nil, egress: false)]
            return .object([
                ("Associations", .array(subnets.map { subnet in
                    .object([("NetworkAclAssociationId", .string("aclassoc-0" + hex(acl.id + subnet.id))), ("NetworkAclId", .string(acl.id)), ("SubnetId", .string(subnet.id))])
                })),
                ("Entries", .array(entries)), ("IsDefault", .bool(acl.isDefault)), ("NetworkAclId", .string(acl.id)),
                ("Tags", tags(acl.name)), ("VpcId", .string(acl.vpcID)), ("OwnerId", .string(account)),
            ])
        }

        func securityGroup(_ group: SecurityGroup) -> JSON {
            func permission(_ rule: SecurityGroupRule) -> JSON {
                var fields: [(String, JSON)] = [("IpProtocol", .string(protocolName(rule.ipProtocol)))]
                if rule.ipProtocol.hasPorts {
                    fields += [("FromPort", .int(Int(rule.ports.lower))), ("ToPort", .int(Int(rule.ports.upper)))]
                } else if rule.ipProtocol == .icmp || rule.ipProtocol == .icmpv6 {
                    fields += [("FromPort", .int(Int(rule.icmp.type))), ("ToPort", .int(Int(rule.icmp.code)))]
                }
                let description: [(String, JSON)] = rule.description.map { [("Description", .string($0))] } ?? []
                var ranges: [JSON] = [], lists: [JSON] = [], pairs: [JSON] = []
                switch rule.peer {
                case .cidr(let cidr): ranges.append(.object(description + [("CidrIp", .string(cidr.description))]))
                case .prefixList(let id): lists.append(.object(description + [("PrefixListId", .string(id))]))
                case .securityGroup(let id): pairs.append(.object(description + [("UserId", .string(account)), ("GroupId", .string(id))]))
                }
                fields += [("UserIdGroupPairs", .array(pairs)), ("IpRanges", .array(ranges)), ("Ipv6Ranges", .array([])), ("PrefixListIds", .array(lists))]
                return .object(fields)
            }
            return .object([
                ("GroupId", .string(group.id)), ("IpPermissionsEgress", .array(group.egress.map(permission))), ("Tags", tags(group.name)),
                ("VpcId", .string(group.vpcID)), ("OwnerId", .string(account)), ("GroupName", .string(group.name)),
                ("Description", .string(group.description ?? "")), ("IpPermissions", .array(group.ingress.map(permission))),
            ])
        }

        func interface(_ interface: NetworkInterface) -> JSON {
            let subnet = subnetByID[interface.subnetID]
            var extraTags: [(String, String)] = []
            var type = "interface"
            var requesterManaged = false
            var description = interface.description ?? ""
            switch interface.owner {
            case .natGateway: type = "nat_gateway"; requesterManaged = true
            case .endpoint: type = "vpc_endpoint"; requesterManaged = true
            case .loadBalancer(let id):
                requesterManaged = true
                if let lb = network.loadBalancers.first(where: { $0.id == id }) {
                    description = "ELB " + (lbARN(lb).components(separatedBy: ":loadbalancer/").last ?? lb.name)
                }
            case .workload(let id):
                if let workload = network.workloads.first(where: { $0.id == id }) {
                    extraTags = [(AWSNetworkBuilder.Tag.workload, workload.name), (AWSNetworkBuilder.Tag.workloadKind, workload.kind)]
                    if workload.id != StableID.make("wl", workload.name) { extraTags.append((AWSNetworkBuilder.Tag.workloadID, workload.id)) }
                    if workload.kind == "lambda" { type = "lambda"; requesterManaged = true }
                }
            case .none:
                if interface.instanceID != nil { extraTags = [(AWSNetworkBuilder.Tag.standalone, "true")] }
            }
            func association(_ ip: IPv4Address) -> JSON {
                var fields: [(String, JSON)] = []
                if interface.publicIPIsElastic { fields.append(("AllocationId", .string("eipalloc-0" + hex("eip:" + ip.description)))) }
                fields += [("IpOwnerId", .string(interface.publicIPIsElastic ? account : "amazon")), ("PublicIp", .string(ip.description))]
                return .object(fields)
            }
            var fields: [(String, JSON)] = []
            if let publicIP = interface.publicIP { fields.append(("Association", association(publicIP))) }
            if let instance = interface.instanceID {
                fields.append(("Attachment", .object([("AttachmentId", .string("eni-attach-0" + hex(interface.id))), ("DeviceIndex", .int(0)),
                                                      ("InstanceId", .string(instance)), ("InstanceOwnerId", .string(account)), ("Status", .string("attached"))])))
            }
            fields += [
                ("AvailabilityZone", .string(subnet?.availabilityZone ?? "")), ("Description", .string(description)),
                ("Groups", .array(interface.securityGroupIDs.map { id in .object([("GroupId", .string(id)), ("GroupName", .string(groupByID[id]?.name ?? id))]) })),
                ("InterfaceType", .string(type)),
            ]
            if let mac = interface.mac { fields.append(("MacAddress", .string(mac))) }
            fields += [
                ("NetworkInterfaceId", .string(interface.id)), ("OwnerId", .string(account)),
                ("PrivateIpAddress", .string(interface.primaryIP?.description ?? "")),
                ("PrivateIpAddresses", .array(interface.privateIPs.enumerated().map { index, ip in
                    var entry: [(String, JSON)] = []
                    if index == 0, let publicIP = interface.publicIP { entry.append(("Association", association(publicIP))) }
                    entry += [("Primary", .bool(index == 0)), ("PrivateIpAddress", .string(ip.description))]
                    return .object(entry)
                })),
                ("RequesterManaged", .bool(requesterManaged)), ("SourceDestCheck", .bool(interface.sourceDestCheck)), ("Status", .string("in-use")),
                ("SubnetId", .string(interface.subnetID)), ("TagSet", tags(interface.name, extra: extraTags)), ("VpcId", .string(subnet?.vpcID ?? "")),
            ]
            return .object(fields)
        }

        func address(_ interface: NetworkInterface) -> JSON {
            let ip = interface.publicIP?.description ?? ""
            return .object([("AllocationId", .string("eipalloc-0" + hex("eip:" + ip))), ("AssociationId", .string("eipassoc-0" + hex("assoc:" + ip))),
                            ("Domain", .string("vpc")), ("NetworkInterfaceId", .string(interface.id)), ("NetworkInterfaceOwnerId", .string(account)),
                            ("PrivateIpAddress", .string(interface.primaryIP?.description ?? "")), ("PublicIp", .string(ip))])
        }

        func internetGateway(_ igw: InternetGateway) -> JSON {
            .object([("Attachments", .array(igw.vpcID.map { [.object([("State", .string("available")), ("VpcId", .string($0))])] } ?? [])),
                     ("InternetGatewayId", .string(igw.id)), ("OwnerId", .string(account)), ("Tags", tags(igw.name))])
        }

        func natGateway(_ nat: NATGateway) -> JSON {
            var address: [(String, JSON)] = []
            if let eip = nat.elasticIP { address.append(("AllocationId", .string("eipalloc-0" + hex("eip:" + eip.description)))) }
            address += [("NetworkInterfaceId", .string(nat.interfaceID)), ("PrivateIp", .string(nat.privateIP.description))]
            if let eip = nat.elasticIP { address.append(("PublicIp", .string(eip.description))) }
            address += [("IsPrimary", .bool(true)), ("Status", .string("succeeded"))]
            return .object([("NatGatewayAddresses", .array([.object(address)])), ("NatGatewayId", .string(nat.id)), ("State", .string("available")),
                            ("SubnetId", .string(nat.subnetID)), ("VpcId", .string(subnetByID[nat.subnetID]?.vpcID ?? "")), ("Tags", tags(nat.name)),
                            ("ConnectivityType", .string(nat.connectivity.rawValue))])
        }

        func endpoint(_ endpoint: VPCEndpoint) -> JSON {
            let region = self.region(ofVPC: endpoint.vpcID)
            return .object([
                ("VpcEndpointId", .string(endpoint.id)), ("VpcEndpointType", .string(endpoint.kind == .gateway ? "Gateway" : "Interface")),
                ("VpcId", .string(endpoint.vpcID)), ("ServiceName", .string("com.amazonaws.\(region).\(endpoint.service)")), ("State", .string("available")),
                ("RouteTableIds", .array(endpoint.routeTableIDs.map(JSON.string))), ("SubnetIds", .array(endpoint.subnetIDs.map(JSON.string))),
                ("Groups", .array(endpoint.securityGroupIDs.map { id in .object([("GroupId", .string(id)), ("GroupName", .string(groupByID[id]?.name ?? id))]) })),
                ("PrivateDnsEnabled", .bool(endpoint.privateDNS)), ("RequesterManaged", .bool(false)),
                ("NetworkInterfaceIds", .array(endpoint.interfaceIDs.map(JSON.string))), ("Tags", tags(endpoint.name)), ("OwnerId", .string(account)),
            ])
        }

        func peering(_ peering: PeeringConnection) -> JSON {
            func info(_ vpcID: String) -> JSON {
                .object([("CidrBlock", .string(vpcByID[vpcID]?.cidrs.first?.description ?? "")), ("OwnerId", .string(account)),
                         ("VpcId", .string(vpcID)), ("Region", .string(region(ofVPC: vpcID)))])
            }
            return .object([("AccepterVpcInfo", info(peering.accepterVPCID)), ("RequesterVpcInfo", info(peering.requesterVPCID)),
                            ("Status", .object([("Code", .string("active")), ("Message", .string("Active"))])), ("Tags", tags(peering.name)),
                            ("VpcPeeringConnectionId", .string(peering.id))])
        }

        func managedPrefixList(_ list: PrefixList) -> JSON {
            .object([("PrefixListId", .string(list.id)), ("AddressFamily", .string("IPv4")), ("State", .string("create-complete")),
                     ("PrefixListArn", .string("arn:aws:ec2:\(list.region):\(list.awsManaged ? "aws" : account):prefix-list/\(list.id)")),
                     ("PrefixListName", .string(list.name)), ("Tags", .array([])), ("OwnerId", .string(list.awsManaged ? "AWS" : account))])
        }

        // MARK: Transit gateways

        /// Every call that describes transit gateways: the gateways, their attachments (all kinds;
        /// VPC and peering details in their own calls), route tables, and per route table its
        /// associations, propagations and routes (file names carry the table id, as the outputs do
        /// not). Routes are printed as search-transit-gateway-routes prints them: static routes,
        /// one route per entry of a referenced prefix list (type propagated), and what the table
        /// learns from the attachments that propagate into it.
        func transitGatewayFiles() -> [(String, JSON)] {
            var result: [(String, JSON)] = [
                ("describe-transit-gateways", .object([("TransitGateways", .array(network.transitGateways.map(transitGateway)))])),
                ("describe-transit-gateway-attachments", .object([("TransitGatewayAttachments", .array(network.transitGateways.flatMap { tgw in
                    tgw.attachments.map { transitGatewayAttachment($0, of: tgw) }
                }))])),
                ("describe-transit-gateway-vpc-attachments", .object([("TransitGatewayVpcAttachments", .array(network.transitGateways.flatMap { tgw in
                    tgw.attachments.compactMap { vpcAttachment($0, of: tgw) }
                }))])),
            ]
            // A peering attachment is one object seen from both of its gateways: printed once.
            var peerings: [JSON] = []
            var printed: Set<String> = []
            for tgw in network.transitGateways {
                for attachment in tgw.attachments {
                    guard case .peering(let peer) = attachment.resource, printed.insert(attachment.id).inserted else { continue }
                    peerings.append(peeringAttachment(attachment, of: tgw, peer: peer))
                }
            }
            if !peerings.isEmpty {
                result.append(("describe-transit-gateway-peering-attachments", .object([("TransitGatewayPeeringAttachments", .array(peerings))])))
            }
            result.append(("describe-transit-gateway-route-tables", .object([("TransitGatewayRouteTables", .array(network.transitGateways.flatMap { tgw in
                tgw.routeTables.enumerated().map { index, table in
                    JSON.object([("TransitGatewayRouteTableId", .string(table.id)), ("TransitGatewayId", .string(tgw.id)), ("State", .string("available")),
                                 ("DefaultAssociationRouteTable", .bool(index == 0)), ("DefaultPropagationRouteTable", .bool(index == 0)), ("Tags", tags(table.name))])
                }
            }))])))
            for tgw in network.transitGateways {
                for table in tgw.routeTables {
                    result.append(("get-transit-gateway-route-table-associations-\(table.id)", .object([("Associations", .array(
                        tgw.attachments.filter { $0.routeTableID == table.id }.map { attachment in
                            .object(attachmentReference(attachment) + [("State", .string("associated"))])
                        }))])))
                    result.append(("get-transit-gateway-route-table-propagations-\(table.id)", .object([("TransitGatewayRouteTablePropagations", .array(
                        tgw.attachments.filter { $0.propagatesTo.contains(table.id) }.map { attachment in
                            .object(attachmentReference(attachment) + [("State", .string("enabled"))])
                        }))])))
                    result.append(("search-transit-gateway-routes-\(table.id)", .object([("Routes", .array(transitGatewayRoutes(table, of: tgw))),
                                                                                         ("AdditionalRoutesAvailable", .bool(false))])))
                }
            }
            return result
        }

        func transitGateway(_ tgw: TransitGateway) -> JSON {
            // The first route table is the default one (AWS creates it with the gateway); every
            // association and propagation is printed explicitly anyway.
            var options: [(String, JSON)] = [("AmazonSideAsn", .int(64512)), ("AutoAcceptSharedAttachments", .string("disable"))]
            if let first = tgw.routeTables.first {
                options += [("DefaultRouteTableAssociation", .string("enable")), ("AssociationDefaultRouteTableId", .string(first.id)),
                            ("DefaultRouteTablePropagation", .string("enable")), ("PropagationDefaultRouteTableId", .string(first.id))]
            } else {
                options += [("DefaultRouteTableAssociation", .string("disable")), ("DefaultRouteTablePropagation", .string("disable"))]
            }
            options += [("VpnEcmpSupport", .string("enable")), ("DnsSupport", .string("enable")),
                        ("SecurityGroupReferencingSupport", .string(tgw.securityGroupReferencing ? "enable" : "disable")),
                        ("MulticastSupport", .string("disable"))]
            return .object([("TransitGatewayId", .string(tgw.id)), ("TransitGatewayArn", .string("arn:aws:ec2:\(tgw.region):\(account):transit-gateway/\(tgw.id)")),
                            ("State", .string("available")), ("OwnerId", .string(account)), ("Options", .object(options)), ("Tags", tags(tgw.name))])
        }

        /// `ResourceType` and `ResourceId` as transit gateway calls print an attachment's resource.
        func resource(_ attachment: TransitGateway.Attachment) -> (type: String, id: String) {
            switch attachment.resource {
            case .vpc(let id): return ("vpc", id)
            case .vpn(let id): return ("vpn", id)
            case .directConnect(let id): return ("direct-connect-gateway", id)
            case .peering(let peer): return ("peering", peer)
            }
        }

        func attachmentReference(_ attachment: TransitGateway.Attachment) -> [(String, JSON)] {
            let (type, id) = resource(attachment)
            return [("ResourceId", .string(id)), ("TransitGatewayAttachmentId", .string(attachment.id)), ("ResourceType", .string(type))]
        }

        func transitGatewayAttachment(_ attachment: TransitGateway.Attachment, of tgw: TransitGateway) -> JSON {
            let (type, id) = resource(attachment)
            var fields: [(String, JSON)] = [("TransitGatewayAttachmentId", .string(attachment.id)), ("TransitGatewayId", .string(tgw.id)),
                                            ("TransitGatewayOwnerId", .string(account)), ("ResourceOwnerId", .string(account)),
                                            ("ResourceType", .string(type)), ("ResourceId", .string(id)), ("State", .string("available"))]
            if let table = attachment.routeTableID {
                fields.append(("Association", .object([("TransitGatewayRouteTableId", .string(table)), ("State", .string("associated"))])))
            }
            fields.append(("Tags", tags(attachment.name)))
            return .object(fields)
        }

        func vpcAttachment(_ attachment: TransitGateway.Attachment, of tgw: TransitGateway) -> JSON? {
            guard let vpcID = attachment.vpcID else { return nil }
            // The model keeps security-group referencing per gateway: every attachment enables it.
            return .object([("TransitGatewayAttachmentId", .string(attachment.id)), ("TransitGatewayId", .string(tgw.id)), ("VpcId", .string(vpcID)),
                            ("VpcOwnerId", .string(account)), ("State", .string("available")), ("SubnetIds", .array(attachment.subnetIDs.map(JSON.string))),
                            ("Options", .object([("DnsSupport", .string("enable")), ("SecurityGroupReferencingSupport", .string("enable")),
                                                 ("Ipv6Support", .string("disable")), ("ApplianceModeSupport", .string(attachment.applianceMode ? "enable" : "disable"))])),
                            ("Tags", tags(attachment.name))])
        }

        func peeringAttachment(_ attachment: TransitGateway.Attachment, of tgw: TransitGateway, peer: String) -> JSON {
            let peerRegion = network.transitGateways.first { $0.id == peer }?.region ?? tgw.region
            return .object([("TransitGatewayAttachmentId", .string(attachment.id)),
                            ("RequesterTgwInfo", .object([("TransitGatewayId", .string(tgw.id)), ("OwnerId", .string(account)), ("Region", .string(tgw.region))])),
                            ("AccepterTgwInfo", .object([("TransitGatewayId", .string(peer)), ("OwnerId", .string(account)), ("Region", .string(peerRegion))])),
                            ("Options", .object([("DynamicRouting", .string("disable"))])),
                            ("Status", .object([("Code", .string("available")), ("Message", .string("Available"))])),
                            ("State", .string("available")), ("Tags", tags(attachment.name))])
        }

        /// The prefixes a table learns from an attachment that propagates into it (docs/semantics.md §5.6).
        func propagatedPrefixes(_ attachment: TransitGateway.Attachment) -> [CIDR] {
            switch attachment.resource {
            case .vpc(let id): return vpcByID[id]?.cidrs ?? []
            case .vpn(let id): return network.vpnConnections.first { $0.id == id }?.prefixes ?? []
            case .directConnect(let id): return network.directConnectGateways.first { $0.id == id }?.prefixes ?? []
            case .peering: return []
            }
        }

        func transitGatewayRoutes(_ table: TransitGateway.RouteTable, of tgw: TransitGateway) -> [JSON] {
            func route(_ destination: [(String, JSON)], _ attachmentID: String?, type: String) -> JSON {
                var fields = destination
                if let id = attachmentID, let attachment = tgw.attachment(id: id) {
                    fields.append(("TransitGatewayAttachments", .array([.object(attachmentReference(attachment))])))
                } else if let id = attachmentID {
                    fields.append(("TransitGatewayAttachments", .array([.object([("TransitGatewayAttachmentId", .string(id))])])))
                }
                fields += [("Type", .string(type)), ("State", .string(attachmentID == nil ? "blackhole" : "active"))]
                return .object(fields)
            }
            var routes: [JSON] = []
            var staticCIDRs: Set<CIDR> = []
            for entry in table.routes {
                switch entry.destination {
                case .cidr(let cidr):
                    if !entry.propagated { staticCIDRs.insert(cidr) }
                    routes.append(route([("DestinationCidrBlock", .string(cidr.description))], entry.attachmentID, type: entry.propagated ? "propagated" : "static"))
                case .prefixList(let id):
                    // https://docs.aws.amazon.com/vpc/latest/tgw/view-prefix-list-reference.html — each entry of a referenced list is a route of type propagated.
                    let cidrs = network.prefixLists.first { $0.id == id }?.cidrs ?? []
                    if cidrs.isEmpty {
                        // AWS prints nothing for an empty list; vpcsim prints the reference alone so that it survives.
                        routes.append(route([("PrefixListId", .string(id))], entry.attachmentID, type: "propagated"))
                    }
                    for cidr in cidrs {
                        routes.append(route([("DestinationCidrBlock", .string(cidr.description)), ("PrefixListId", .string(id))], entry.attachmentID, type: "propagated"))
                    }
                }
            }
            // What propagations add; a static route to the same CIDR takes its place.
            var learned: Set<CIDR> = []
            for attachment in tgw.attachments where attachment.propagatesTo.contains(table.id) {
                for cidr in propagatedPrefixes(attachment) where !staticCIDRs.contains(cidr) && learned.insert(cidr).inserted {
                    routes.append(route([("DestinationCidrBlock", .string(cidr.description))], attachment.id, type: "propagated"))
                }
            }
            return routes
        }

        // MARK: Hybrid edges

        func vpnGateway(_ gateway: VPNGateway) -> JSON {
            .object([("State", .string("available")), ("Type", .string("ipsec.1")),
                     ("VpcAttachments", .array(gateway.vpcID.map { [.object([("State", .string("attached")), ("VpcId", .string($0))])] } ?? [])),
                     ("VpnGatewayId", .string(gateway.id)), ("AmazonSideAsn", .int(64512)), ("Tags", tags(gateway.name))])
        }

        func customerGateway(_ gateway: CustomerGateway) -> JSON {
            var fields: [(String, JSON)] = []
            // AWS prints the ASN as a string.
            if let asn = gateway.asn { fields.append(("BgpAsn", .string(String(asn)))) }
            fields.append(("CustomerGatewayId", .string(gateway.id)))
            if let ip = gateway.ipAddress { fields.append(("IpAddress", .string(ip.description))) }
            fields += [("State", .string("available")), ("Type", .string("ipsec.1")), ("Tags", tags(gateway.name))]
            return .object(fields)
        }

        /// Static routes are the connection's `Routes`. The prefixes its customer gateway advertises
        /// over BGP are in no describe-* output: AWS shows them only as the propagated routes of the
        /// route tables that learn them (printed there, as AWS does), which do not say which of a
        /// gateway's connections a prefix came from, and only where something propagates. So they
        /// are also carried in the tag `vpcsim:bgp-prefixes`, which the importer reads (AWS itself
        /// would cap a tag value at 256 characters; these folders are never uploaded).
        func vpnConnection(_ connection: VPNConnection) -> JSON {
            var fields: [(String, JSON)] = []
            if let customer = connection.customerGatewayID { fields.append(("CustomerGatewayId", .string(customer))) }
            fields += [("Category", .string("VPN")), ("State", .string("available")), ("Type", .string("ipsec.1")),
                       ("VpnConnectionId", .string(connection.id))]
            switch connection.gateway {
            case .vpnGateway(let id): fields.append(("VpnGatewayId", .string(id)))
            case .transitGateway(let id): fields.append(("TransitGatewayId", .string(id)))
            }
            fields += [
                ("Options", .object([("EnableAcceleration", .bool(false)), ("StaticRoutesOnly", .bool(connection.bgpPrefixes.isEmpty)),
                                     ("LocalIpv4NetworkCidr", .string("0.0.0.0/0")), ("RemoteIpv4NetworkCidr", .string("0.0.0.0/0")),
                                     ("OutsideIpAddressType", .string("PublicIpv4")), ("TunnelInsideIpVersion", .string("ipv4"))])),
                ("Routes", .array(connection.staticRoutes.map { cidr in
                    .object([("DestinationCidrBlock", .string(cidr.description)), ("Source", .string("Static")), ("State", .string("available"))])
                })),
                ("Tags", tags(connection.name, extra: connection.bgpPrefixes.isEmpty ? []
                    : [(AWSNetworkBuilder.Tag.bgpPrefixes, connection.bgpPrefixes.map(\.description).joined(separator: " "))])),
            ]
            return .object(fields)
        }

        // MARK: ELBv2

        func loadBalancer(_ lb: LoadBalancer) -> JSON {
            let region = self.region(ofVPC: lb.vpcID)
            return .object([
                ("LoadBalancerArn", .string(lbARN(lb))), ("DNSName", .string("\(lb.name)-\(hex(lb.id, digits: 8)).\(region).elb.amazonaws.com")),
                ("LoadBalancerName", .string(lb.name)), ("Scheme", .string(lb.scheme.rawValue)), ("VpcId", .string(lb.vpcID)),
                ("State", .object([("Code", .string("active"))])), ("Type", .string(lb.kind.rawValue)),
                ("AvailabilityZones", .array(lb.subnetIDs.map { id in
                    .object([("ZoneName", .string(subnetByID[id]?.availabilityZone ?? "")), ("SubnetId", .string(id)), ("LoadBalancerAddresses", .array([]))])
                })),
                ("SecurityGroups", .array(lb.securityGroupIDs.map(JSON.string))), ("IpAddressType", .string("ipv4")),
            ])
        }

        func targetGroup(_ group: TargetGroup) -> JSON {
            let balancers = network.loadBalancers.filter { $0.listeners.contains { $0.targetGroupID == group.id } }
            return .object([("TargetGroupArn", .string(tgARN(group.id))), ("TargetGroupName", .string(group.name)), ("Protocol", .string(group.targetProtocol)),
                             ("Port", .int(Int(group.port))), ("VpcId", .string(group.vpcID)), ("LoadBalancerArns", .array(balancers.map { .string(lbARN($0)) })),
                             ("TargetType", .string("ip")), ("IpAddressType", .string("ipv4"))])
        }
    }
}

/// A JSON value with ordered keys, printed like the AWS CLI (indent 4).
enum JSON {
    case object([(String, JSON)])
    case array([JSON])
    case string(String)
    case int(Int)
    case bool(Bool)

    func text(indent: Int = 0) -> String {
        let pad = String(repeating: " ", count: indent + 4), close = String(repeating: " ", count: indent)
        switch self {
        case .object(let fields):
            if fields.isEmpty { return "{}" }
            return "{\n" + fields.map { "\(pad)\(JSON.quote($0.0)): \($0.1.text(indent: indent + 4))" }.joined(separator: ",\n") + "\n\(close)}"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { pad + $0.text(indent: indent + 4) }.joined(separator: ",\n") + "\n\(close)]"
        case .string(let text): return JSON.quote(text)
        case .int(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        }
    }

    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    result += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
