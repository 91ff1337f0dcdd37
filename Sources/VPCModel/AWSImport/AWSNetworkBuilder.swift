/// Turns an `AWSSnapshot` into a `Network` the way AWS itself reads those resources: explicit
/// route-table associations over the main table, the default network ACL for subnets without
/// another, requester-managed interfaces attached to what owns them, Lambda interfaces grouped per
/// function, blackhole routes, and references to resources outside the snapshot reported once and
/// treated as AWS treats a reference that resolves to nothing.
final class AWSNetworkBuilder {
    /// Tags vpcsim's exporter writes on network interfaces so that workloads survive a round trip.
    enum Tag {
        static let workload = "vpcsim:workload"
        static let workloadKind = "vpcsim:workload-kind"
        static let workloadID = "vpcsim:workload-id"
        static let standalone = "vpcsim:standalone"
        /// On a VPN connection: the prefixes its customer gateway advertises over BGP, space-separated
        /// (no describe-* call prints them; see AWSExporter).
        static let bgpPrefixes = "vpcsim:bgp-prefixes"
    }

    let snapshot: AWSSnapshot
    let log: AWSDiagnostics
    var network: Network
    var sourceMap = SourceMap()
    private var usedNames: [String: Set<String>] = [:]
    /// Ids of resources the snapshot lists but vpcsim left out (with a warning): references to them
    /// are not reported again as missing.
    var leftOut: Set<String> = []
    /// Interfaces of stopped or terminated instances: they and what targets them carry no traffic.
    private var skippedInterfaces: Set<String> = []
    private var instancesByID: [String: AWSSnapshot.Instance] = [:]

    init(snapshot: AWSSnapshot, log: AWSDiagnostics, builtins: BuiltinData, name: String) {
        self.snapshot = snapshot
        self.log = log
        network = Network(name: name)
        network.prefixLists = builtins.prefixLists
        network.services = builtins.services
    }

    // MARK: - Helpers

    /// A name unique per kind (the topology format matches names case-insensitively).
    func uniqueName(_ kind: String, _ preferred: String?, id: String) -> String {
        let base = preferred.flatMap { $0.isEmpty ? nil : $0 } ?? id
        var name = base
        if usedNames[kind, default: []].contains(name.lowercased()) { name = "\(base) (\(id))" }
        usedNames[kind, default: []].insert(name.lowercased())
        return name
    }

    /// Resources in any state other than available/active/running are left out, with a note.
    func isLive(_ state: String?, _ what: String, at location: SourceLocation, live: [String] = ["available"]) -> Bool {
        guard let state, !live.contains(state) else { return true }
        log.warning(location, "\(what) is \(state); it is left out", hint: "vpcsim models resources that are \(live.joined(separator: "/"))")
        return false
    }

    func absent(_ id: String, _ kind: String, at location: SourceLocation, _ consequence: String) {
        log.warning(once: "absent:\(id)", location, "\(kind) '\(id)' is not in the snapshot; \(consequence)",
                    hint: "add the describe-* output that lists it (it may belong to another account or region)")
    }

    func dedupe<T>(_ items: [T], id: (T) -> String, location: (T) -> SourceLocation, kind: String) -> [T] {
        var seen: Set<String> = []
        return items.filter { item in
            if seen.insert(id(item)).inserted { return true }
            log.warning(once: "dup:\(id(item))", location(item), "\(kind) '\(id(item))' appears more than once; the first is used")
            return false
        }
    }

    /// The model keeps an endpoint's or load balancer's interfaces in the order of its subnets.
    private func inSubnetOrder(_ interfaceIDs: [String], _ subnetIDs: [String]) -> [String] {
        func rank(_ id: String) -> Int { subnetIDs.firstIndex(of: network.interfaces.first { $0.id == id }?.subnetID ?? "") ?? Int.max }
        return interfaceIDs.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    func vpc(_ id: String) -> VPC? { network.vpcs.first { $0.id == id } }
    func subnet(_ id: String) -> Subnet? { network.subnets.first { $0.id == id } }

    // MARK: - Build

    func build() -> (Network, SourceMap) {
        network.account = snapshot.vpcs.compactMap(\.owner).first ?? snapshot.accounts.first ?? Network.defaultAccount
        buildPrefixLists()
        buildVPCs()
        buildPeerings()
        buildInterfaces()
        buildNATGateways()
        buildEndpoints()
        buildLoadBalancers()
        assignOwners()
        buildHybridEdges()
        buildTransitGateways()
        buildRouteTables()
        reportUnlearnedBGP()
        buildSecurityGroupRules()
        buildTargets()
        return (network, sourceMap)
    }

    private func buildPrefixLists() {
        var cidrsByID: [String: [CIDR]] = [:]
        for list in snapshot.prefixLists { if let cidrs = list.cidrs { cidrsByID[list.id] = cidrs } }
        for entries in snapshot.entries where cidrsByID[entries.listID] == nil { cidrsByID[entries.listID] = entries.cidrs }
        // describe-prefix-lists and describe-managed-prefix-lists both list AWS-managed lists: merge them.
        var lists: [AWSSnapshot.PrefixList] = []
        for list in snapshot.prefixLists {
            if let index = lists.firstIndex(where: { $0.id == list.id }) {
                lists[index].owner = lists[index].owner ?? list.owner
                lists[index].region = lists[index].region ?? list.region
            } else {
                lists.append(list)
            }
        }
        for list in lists {
            let awsManaged = list.owner == "AWS" || list.name.hasPrefix("com.amazonaws.")
            if let index = network.prefixLists.firstIndex(where: { $0.id == list.id }) {
                // The snapshot is what this account sees today; it wins over vpcsim's built-in copy.
                if let cidrs = cidrsByID[list.id], cidrs != network.prefixLists[index].cidrs {
                    network.prefixLists[index].cidrs = cidrs
                    for service in network.services.indices where network.services[service].prefixListID == list.id {
                        network.services[service].addresses = cidrs
                    }
                }
                continue
            }
            let region = list.region ?? snapshot.layoutRegions.first ?? "us-east-1"
            var cidrs = cidrsByID[list.id] ?? []
            if cidrsByID[list.id] == nil {
                log.warning(list.location, "prefix list '\(list.id)' has no entries in the snapshot; it matches nothing",
                            hint: "save `aws ec2 get-managed-prefix-list-entries --prefix-list-id \(list.id)` as get-managed-prefix-list-entries-\(list.id).json")
                cidrs = []
            }
            sourceMap.record(list.id, list.location)
            network.prefixLists.append(PrefixList(id: list.id, name: list.name, region: region, cidrs: cidrs, awsManaged: awsManaged))
        }
        for entries in snapshot.entries where !network.prefixLists.contains(where: { $0.id == entries.listID }) {
            log.warning(entries.location, "entries of prefix list '\(entries.listID)' are ignored: describe-managed-prefix-lists does not list it",
                        hint: "include the describe-managed-prefix-lists output that names \(entries.listID)")
        }
    }

    private func buildVPCs() {
        for raw in dedupe(snapshot.vpcs, id: \.id, location: \.location, kind: "VPC") where isLive(raw.state, "VPC '\(raw.id)'", at: raw.location) {
            var region = raw.region ?? snapshot.subnets.first(where: { $0.vpcID == raw.id })?.region
            if region == nil {
                region = snapshot.layoutRegions.first
                if region == nil {
                    log.warning(raw.location, "the region of VPC '\(raw.id)' is unknown (no subnet, no region folder); us-east-1 is assumed",
                                hint: "put the files in a folder named after the region, e.g. aws_configs/us-east-1/")
                }
            }
            sourceMap.record(raw.id, raw.location)
            network.vpcs.append(VPC(id: raw.id, name: uniqueName("vpc", raw.name, id: raw.id), region: region ?? "us-east-1", cidrs: raw.cidrs))
        }
        let knownVPCs = Set(network.vpcs.map(\.id))
        for raw in dedupe(snapshot.subnets, id: \.id, location: \.location, kind: "subnet") {
            guard knownVPCs.contains(raw.vpcID) else { absent(raw.vpcID, "VPC", at: raw.location, "its subnets are left out"); continue }
            guard isLive(raw.state, "subnet '\(raw.id)'", at: raw.location) else { continue }
            sourceMap.record(raw.id, raw.location)
            network.subnets.append(Subnet(id: raw.id, name: uniqueName("subnet", raw.name, id: raw.id), vpcID: raw.vpcID, cidr: raw.cidr, availabilityZone: raw.zone))
        }
        let knownSubnets = Set(network.subnets.map(\.id))

        // Route tables (routes later, once every target is known) and their associations.
        for raw in dedupe(snapshot.routeTables, id: \.id, location: \.location, kind: "route table") {
            guard knownVPCs.contains(raw.vpcID) else { absent(raw.vpcID, "VPC", at: raw.location, "its route tables are left out"); continue }
            sourceMap.record(raw.id, raw.location)
            network.routeTables.append(RouteTable(id: raw.id, name: uniqueName("rtb", raw.name, id: raw.id), vpcID: raw.vpcID, isMain: raw.isMain))
            // https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#RouteTableDetails — a subnet without an explicit association uses the main route table.
            for subnetID in raw.subnetIDs {
                guard let index = network.subnets.firstIndex(where: { $0.id == subnetID }) else { continue }
                network.subnets[index].routeTableID = raw.id
            }
        }
        for vpc in network.vpcs {
            let mains = network.routeTables.filter { $0.vpcID == vpc.id && $0.isMain }
            for extra in mains.dropFirst() {
                log.error(sourceMap.location(of: extra.id), "VPC '\(vpc.id)' has more than one main route table ('\(mains[0].id)' and '\(extra.id)')",
                          hint: "a VPC has exactly one main route table; the snapshot mixes two states of the VPC")
            }
            if mains.isEmpty {
                let hasTables = snapshot.routeTables.contains { $0.vpcID == vpc.id }
                if hasTables || !snapshot.routeTables.isEmpty {
                    log.warning(sourceMap.location(of: vpc.id), "VPC '\(vpc.id)' has no main route table in the snapshot; one with only the local route is assumed")
                }
                let id = StableID.make("rtb", "\(vpc.name)#main")
                network.routeTables.append(RouteTable(id: id, name: uniqueName("rtb", "\(vpc.name)-main", id: id), vpcID: vpc.id, isMain: true))
            }
        }

        // Network ACLs: every subnet is associated with one; the default ACL is the model's nil.
        for raw in dedupe(snapshot.networkACLs, id: \.id, location: \.location, kind: "network ACL") {
            guard knownVPCs.contains(raw.vpcID) else { absent(raw.vpcID, "VPC", at: raw.location, "its network ACLs are left out"); continue }
            sourceMap.record(raw.id, raw.location)
            network.networkACLs.append(NetworkACL(id: raw.id, name: uniqueName("acl", raw.name, id: raw.id), vpcID: raw.vpcID, isDefault: raw.isDefault,
                                                  ingress: raw.ingress, egress: raw.egress))
            guard !raw.isDefault else { continue }
            for subnetID in raw.subnetIDs where knownSubnets.contains(subnetID) {
                guard let index = network.subnets.firstIndex(where: { $0.id == subnetID }) else { continue }
                network.subnets[index].networkACLID = raw.id
            }
        }
        for vpc in network.vpcs where !network.networkACLs.contains(where: { $0.vpcID == vpc.id && $0.isDefault }) {
            if !snapshot.networkACLs.isEmpty {
                log.warning(sourceMap.location(of: vpc.id), "VPC '\(vpc.id)' has no default network ACL in the snapshot; AWS's allow-all default is assumed")
            }
            let id = StableID.make("acl", "\(vpc.name)#default")
            network.networkACLs.append(NetworkACL(id: id, name: uniqueName("acl", "\(vpc.name)-default", id: id), vpcID: vpc.id, isDefault: true,
                                                  ingress: NetworkACL.allowAllEntries(), egress: NetworkACL.allowAllEntries()))
        }

        // Security groups (rules later, once peerings are known).
        for raw in dedupe(snapshot.securityGroups, id: \.id, location: \.location, kind: "security group") {
            guard knownVPCs.contains(raw.vpcID) else { absent(raw.vpcID, "VPC", at: raw.location, "its security groups are left out"); continue }
            sourceMap.record(raw.id, raw.location)
            network.securityGroups.append(SecurityGroup(id: raw.id, name: uniqueName("sg", raw.name ?? raw.groupName, id: raw.id), vpcID: raw.vpcID,
                                                        description: raw.description, ingress: [], egress: []))
        }

        for raw in dedupe(snapshot.internetGateways, id: \.id, location: \.location, kind: "internet gateway") {
            var vpcID = raw.vpcID
            if let attached = vpcID, !knownVPCs.contains(attached) { vpcID = nil }
            sourceMap.record(raw.id, raw.location)
            network.internetGateways.append(InternetGateway(id: raw.id, name: uniqueName("igw", raw.name, id: raw.id), vpcID: vpcID))
        }
    }

    private func buildPeerings() {
        for raw in dedupe(snapshot.peerings, id: \.id, location: \.location, kind: "peering connection") {
            guard isLive(raw.status, "peering connection '\(raw.id)'", at: raw.location, live: ["active"]) else { continue }
            var missing = false
            for vpcID in [raw.requesterVPCID, raw.accepterVPCID] where vpc(vpcID) == nil {
                absent(vpcID, "VPC", at: raw.location, "peering '\(raw.id)' is left out and routes through it are blackholes")
                missing = true
            }
            guard !missing else { continue }
            sourceMap.record(raw.id, raw.location)
            network.peerings.append(PeeringConnection(id: raw.id, name: uniqueName("pcx", raw.name, id: raw.id),
                                                      requesterVPCID: raw.requesterVPCID, accepterVPCID: raw.accepterVPCID))
        }
    }

    private func buildInterfaces() {
        for instance in dedupe(snapshot.instances, id: \.id, location: \.location, kind: "instance") {
            instancesByID[instance.id] = instance
            if !isLive(instance.state, "instance '\(instance.id)'", at: instance.location, live: ["running"]) {
                skippedInterfaces.formUnion(instance.interfaces.map(\.id))
            }
        }
        // describe-network-interfaces first; interfaces only describe-instances lists come after.
        var raws = snapshot.interfaces
        let listed = Set(raws.map(\.id))
        for instance in instancesByID.values.sorted(by: { $0.location.line < $1.location.line || ($0.location.line == $1.location.line && $0.id < $1.id) }) {
            raws += instance.interfaces.filter { !listed.contains($0.id) }
        }
        let groupIDs = Set(network.securityGroups.map(\.id))
        let addresses = Dictionary(snapshot.addresses.compactMap { address in address.interfaceID.map { ($0, address) } }, uniquingKeysWith: { first, _ in first })
        for raw in dedupe(raws, id: \.id, location: \.location, kind: "network interface") where !skippedInterfaces.contains(raw.id) {
            guard subnet(raw.subnetID) != nil else { absent(raw.subnetID, "subnet", at: raw.location, "its interfaces are left out"); continue }
            guard !raw.privateIPs.isEmpty else {
                log.warning(raw.location, "network interface '\(raw.id)' has no private IPv4 address; it is left out"); continue
            }
            var groups: [String] = []
            for group in raw.groupIDs {
                if groupIDs.contains(group) { groups.append(group) } else { absent(group, "security group", at: raw.location, "interfaces lose it") }
            }
            var publicIP = raw.publicIP
            var elastic = raw.elastic
            if let address = addresses[raw.id], address.privateIP == nil || address.privateIP == raw.privateIPs.first {
                if publicIP == nil || publicIP == address.publicIP { publicIP = address.publicIP; elastic = true }
            }
            sourceMap.record(raw.id, raw.location)
            network.interfaces.append(NetworkInterface(id: raw.id, name: uniqueName("eni", raw.name, id: raw.id), subnetID: raw.subnetID,
                                                       privateIPs: raw.privateIPs, publicIP: publicIP, publicIPIsElastic: publicIP != nil && elastic,
                                                       securityGroupIDs: groups, sourceDestCheck: raw.sourceDestCheck,
                                                       instanceID: raw.instanceID, mac: raw.mac, description: raw.description))
        }
    }

    private func buildNATGateways() {
        for raw in dedupe(snapshot.natGateways, id: \.id, location: \.location, kind: "NAT gateway") {
            guard isLive(raw.state, "NAT gateway '\(raw.id)'", at: raw.location) else { continue }
            guard subnet(raw.subnetID) != nil else { absent(raw.subnetID, "subnet", at: raw.location, "NAT gateway '\(raw.id)' is left out"); continue }
            let eniID = raw.interfaceID ?? StableID.make("eni", "nat:\(raw.id)")
            var privateIP = raw.privateIP
            if let index = network.interfaces.firstIndex(where: { $0.id == eniID }) {
                network.interfaces[index].owner = .natGateway(raw.id)
                privateIP = privateIP ?? network.interfaces[index].primaryIP
            } else if let address = privateIP {
                // The NAT's interface is requester-managed; describe-nat-gateways says all vpcsim needs.
                network.interfaces.append(NetworkInterface(id: eniID, name: uniqueName("eni", nil, id: eniID), subnetID: raw.subnetID, privateIPs: [address],
                                                           publicIP: raw.isPrivate ? nil : raw.publicIP, publicIPIsElastic: !raw.isPrivate && raw.publicIP != nil,
                                                           securityGroupIDs: [], sourceDestCheck: false, owner: .natGateway(raw.id),
                                                           description: "Interface for NAT Gateway \(raw.id)"))
                sourceMap.record(eniID, raw.location)
            }
            guard let privateIP else {
                log.error(raw.location, "NAT gateway '\(raw.id)' has no private IP", hint: "its NatGatewayAddresses must list PrivateIp"); continue
            }
            sourceMap.record(raw.id, raw.location)
            network.natGateways.append(NATGateway(id: raw.id, name: uniqueName("nat", raw.name, id: raw.id), subnetID: raw.subnetID,
                                                  connectivity: raw.isPrivate ? .private : .public, privateIP: privateIP,
                                                  elasticIP: raw.isPrivate ? nil : raw.publicIP, interfaceID: eniID))
        }
    }

    private func buildEndpoints() {
        for raw in dedupe(snapshot.endpoints, id: \.id, location: \.location, kind: "VPC endpoint") {
            guard let vpc = vpc(raw.vpcID) else { absent(raw.vpcID, "VPC", at: raw.location, "its endpoints are left out"); continue }
            guard isLive(raw.state?.lowercased(), "VPC endpoint '\(raw.id)'", at: raw.location) else { continue }
            let kind: VPCEndpoint.Kind
            switch raw.type.lowercased() {
            case "gateway": kind = .gateway
            case "interface": kind = .interface
            default:
                log.warning(raw.location, "VPC endpoint '\(raw.id)' of type \(raw.type) is left out: vpcsim models gateway and interface endpoints"); continue
            }
            let service = VPCEndpoint.shortServiceName(raw.serviceName)
            if !network.services.contains(where: { $0.name == service && $0.region == vpc.region }) {
                log.warning(once: "service:\(vpc.region):\(service)", raw.location,
                            "AWS service '\(service)' is not in vpcsim's built-in data for \(vpc.region); its addresses are unknown",
                            hint: "the endpoint still works; add the service's addresses to Fixtures/data/aws-managed.yaml to reach it by name without the endpoint")
                network.services.append(AWSService(name: service, region: vpc.region, addresses: []))
            }
            let subnets = raw.subnetIDs.filter { subnet($0) != nil }
            var interfaces: [String] = []
            for eniID in raw.interfaceIDs {
                guard let index = network.interfaces.firstIndex(where: { $0.id == eniID }) else {
                    absent(eniID, "network interface", at: raw.location, "endpoint '\(raw.id)' has no interface there"); continue
                }
                network.interfaces[index].owner = .endpoint(raw.id)
                interfaces.append(eniID)
            }
            interfaces = inSubnetOrder(interfaces, subnets)
            sourceMap.record(raw.id, raw.location)
            network.endpoints.append(VPCEndpoint(id: raw.id, name: uniqueName("vpce", raw.name, id: raw.id), vpcID: raw.vpcID, kind: kind, service: service,
                                                 routeTableIDs: kind == .gateway ? raw.routeTableIDs.filter { id in network.routeTables.contains { $0.id == id } } : [],
                                                 subnetIDs: kind == .interface ? subnets : [],
                                                 securityGroupIDs: raw.groupIDs.filter { id in network.securityGroups.contains { $0.id == id } },
                                                 privateDNS: raw.privateDNS, interfaceIDs: interfaces))
        }
    }

    private func buildLoadBalancers() {
        for raw in dedupe(snapshot.loadBalancers, id: \.arn, location: \.location, kind: "load balancer") {
            guard vpc(raw.vpcID) != nil else { absent(raw.vpcID, "VPC", at: raw.location, "load balancer '\(raw.name)' is left out"); continue }
            guard isLive(raw.state, "load balancer '\(raw.name)'", at: raw.location, live: ["active", "active_impaired"]) else { continue }
            guard let kind = LoadBalancer.Kind(rawValue: raw.type) else {
                log.warning(raw.location, "load balancer '\(raw.name)' of type \(raw.type) is left out: vpcsim models application and network load balancers"); continue
            }
            let subnets = raw.subnetIDs.filter { id in
                if subnet(id) != nil { return true }
                absent(id, "subnet", at: raw.location, "load balancers lose their node there")
                return false
            }
            // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer — an ALB spans at least two AZs.
            if kind == .application && Set(subnets.compactMap { subnet($0)?.availabilityZone }).count < 2 {
                log.warning(raw.location, "load balancer '\(raw.name)' is left out: fewer than two of its subnets are in the snapshot"); continue
            }
            // Its nodes' interfaces say "ELB app/NAME/ID" (or net/…); the ARN ends "loadbalancer/app/NAME/ID".
            let suffix = raw.arn.components(separatedBy: ":loadbalancer/").last ?? raw.arn
            var interfaces: [String] = []
            for index in network.interfaces.indices where network.interfaces[index].description == "ELB \(suffix)" {
                network.interfaces[index].owner = .loadBalancer(raw.arn)
                interfaces.append(network.interfaces[index].id)
            }
            interfaces = inSubnetOrder(interfaces, subnets)
            if interfaces.isEmpty {
                log.warning(raw.location, "load balancer '\(raw.name)' has no network interfaces in the snapshot; nothing can reach it",
                            hint: "include describe-network-interfaces (its nodes' interfaces are described 'ELB \(suffix)')")
            }
            let groups = raw.groupIDs.filter { id in
                if network.securityGroups.contains(where: { $0.id == id }) { return true }
                absent(id, "security group", at: raw.location, "load balancer '\(raw.name)' loses it")
                return false
            }
            sourceMap.record(raw.arn, raw.location)
            network.loadBalancers.append(LoadBalancer(id: raw.arn, name: uniqueName("elb", raw.name, id: raw.arn), vpcID: raw.vpcID, kind: kind,
                                                      scheme: raw.scheme == "internal" ? .internal : .internetFacing, subnetIDs: subnets,
                                                      securityGroupIDs: groups, listeners: [], interfaceIDs: interfaces))
        }
    }

    /// Workloads: vpcsim's own tags first, then Lambda's requester-managed interfaces (one workload
    /// per function), then EC2 instances (one workload per instance).
    private func assignOwners() {
        var workloadIndex: [String: Int] = [:]
        func add(_ interfaceIndex: Int, workloadID: String, name: String, kind: String) {
            if let index = workloadIndex[workloadID] {
                network.workloads[index].interfaceIDs.append(network.interfaces[interfaceIndex].id)
            } else {
                workloadIndex[workloadID] = network.workloads.count
                network.workloads.append(Workload(id: workloadID, name: uniqueName("workload", name, id: workloadID), kind: kind,
                                                  interfaceIDs: [network.interfaces[interfaceIndex].id]))
            }
            network.interfaces[interfaceIndex].owner = .workload(workloadID)
        }
        let rawByID = Dictionary(snapshot.interfaces.map { ($0.id, $0) } + snapshot.instances.flatMap(\.interfaces).map { ($0.id, $0) },
                                 uniquingKeysWith: { first, _ in first })
        for index in network.interfaces.indices where network.interfaces[index].owner == .none {
            let interface = network.interfaces[index]
            let raw = rawByID[interface.id]
            let tags = raw?.tags ?? [:]
            if tags[Tag.standalone] == "true" { continue }
            if let name = tags[Tag.workload], !name.isEmpty {
                let kind = tags[Tag.workloadKind].flatMap { Workload.kinds.contains($0) ? $0 : nil } ?? "other"
                add(index, workloadID: tags[Tag.workloadID] ?? StableID.make("wl", name), name: name, kind: kind)
            } else if let function = AWSNetworkBuilder.lambdaFunction(description: interface.description), raw?.interfaceType == "lambda" || raw?.requesterManaged != false {
                add(index, workloadID: StableID.make("wl", function), name: function, kind: "lambda")
            } else if let instanceID = interface.instanceID {
                add(index, workloadID: instanceID, name: instancesByID[instanceID]?.name ?? instanceID, kind: "ec2")
            }
        }
    }

    /// `AWS Lambda VPC ENI-orders-fn-6346539d-1b1e-509c-84cc-db3989f0f78f` → `orders-fn`.
    static func lambdaFunction(description: String?) -> String? {
        let prefix = "AWS Lambda VPC ENI-"
        guard let description, description.hasPrefix(prefix) else { return nil }
        var rest = Substring(description.dropFirst(prefix.count))
        let uuidLength = 36
        if rest.count > uuidLength + 1 {
            let tail = rest.suffix(uuidLength)
            let shape = tail.split(separator: "-", omittingEmptySubsequences: false).map(\.count)
            if shape == [8, 4, 4, 4, 12], tail.allSatisfy({ $0 == "-" || $0.isHexDigit }), rest.dropLast(uuidLength).last == "-" {
                rest = rest.dropLast(uuidLength + 1)
            }
        }
        return rest.isEmpty ? nil : String(rest)
    }

    private func buildRouteTables() {
        let raws = Dictionary(snapshot.routeTables.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for tableIndex in network.routeTables.indices {
            let table = network.routeTables[tableIndex]
            guard let vpc = vpc(table.vpcID) else { continue }
            var routes = vpc.cidrs.map { Route(destination: .cidr($0), target: .local) }
            // Route propagation: the table learns the prefixes behind these virtual private gateways.
            var propagating: [String] = []
            for (gatewayID, location) in raws[table.id]?.propagatingVGWs ?? [] {
                guard let gateway = network.vpnGateways.first(where: { $0.id == gatewayID }) else {
                    if !leftOut.contains(gatewayID) { absent(gatewayID, "virtual private gateway", at: location, "route table '\(table.id)' learns no routes from it") }
                    continue
                }
                guard gateway.vpcID == table.vpcID else {
                    log.warning(location, "route table '\(table.id)' propagates routes from virtual private gateway '\(gatewayID)', which is not attached to its VPC; the propagation is ignored")
                    continue
                }
                if !propagating.contains(gatewayID) { propagating.append(gatewayID) }
            }
            network.routeTables[tableIndex].propagatingGatewayIDs = propagating
            for raw in raws[table.id]?.routes ?? [] {
                guard let destination = raw.destination else {
                    log.warning(once: "ipv6-route", raw.location, "IPv6 routes are ignored: vpcsim models IPv4"); continue
                }
                if raw.targetID == "local" { continue }
                if case .prefixList(let id) = destination, !network.prefixLists.contains(where: { $0.id == id }) {
                    absent(id, "prefix list", at: raw.location, "routes to it match nothing and are left out"); continue
                }
                guard let target = routeTarget(raw, vpcID: vpc.id) else { continue }
                if raw.propagated, !target.blackhole, case .vpnGateway(let gatewayID) = target.target, case .cidr(let cidr) = destination,
                   propagating.contains(gatewayID), learnedOverVPN(cidr, gatewayID: gatewayID) {
                    continue
                }
                sourceMap.record(table.id, field: "route#\(routes.count)", raw.location)
                routes.append(Route(destination: destination, target: target.target, origin: raw.propagated ? .propagated : .staticRoute,
                                    isBlackhole: raw.blackhole || target.blackhole))
            }
            network.routeTables[tableIndex].routes = routes
        }
    }

    /// The model's target for an AWS route, and whether it must be treated as a blackhole (its
    /// target is gone, not in the snapshot, or of a kind vpcsim does not model).
    private func routeTarget(_ raw: AWSSnapshot.Route, vpcID: String) -> (target: Route.Target, blackhole: Bool)? {
        guard var id = raw.targetID, let field = raw.targetField else {
            if let instance = raw.instanceID, let eni = primaryInterface(ofInstance: instance) { return (.networkInterface(eni), false) }
            if raw.blackhole { return (.blackhole, true) }
            log.warning(raw.location, "a route to \(raw.destinationText) names no target; it is read as a blackhole")
            return (.blackhole, true)
        }
        let unsupported = { (what: String) -> (Route.Target, Bool) in
            if !raw.blackhole {
                self.log.warning(once: "unsupported:\(id)", raw.location, "routes to \(what) '\(id)' are read as blackholes: vpcsim does not model \(what)s",
                                 hint: "traffic to \(raw.destinationText) is answered as dropped (BAD_STATE_ROUTE)")
            }
            return (.blackhole, true)
        }
        let resolved: Route.Target
        let known: Bool
        switch field {
        case "GatewayId" where id.hasPrefix("igw-"):
            resolved = .internetGateway(id); known = network.internetGateways.contains { $0.id == id && $0.vpcID == vpcID }
        case "GatewayId" where id.hasPrefix("vpce-"):
            resolved = .gatewayEndpoint(id); known = network.endpoints.contains { $0.id == id && $0.kind == .gateway }
        case "GatewayId" where id.hasPrefix("vgw-"):
            resolved = .vpnGateway(id); known = network.vpnGateways.contains { $0.id == id && $0.vpcID == vpcID }
        case "GatewayId": return unsupported("gateway")
        case "NatGatewayId": resolved = .natGateway(id); known = network.natGateways.contains { $0.id == id }
        case "VpcPeeringConnectionId": resolved = .peering(id); known = network.peerings.contains { $0.id == id }
        case "TransitGatewayId":
            resolved = .transitGateway(id)
            known = network.transitGateways.contains { $0.id == id && $0.attachments.contains { $0.vpcID == vpcID } }
        case "NetworkInterfaceId":
            if let instance = raw.instanceID, network.interfaces.first(where: { $0.id == id }) == nil, let eni = primaryInterface(ofInstance: instance) { id = eni }
            resolved = .networkInterface(id); known = network.interfaces.contains { $0.id == id }
        case "EgressOnlyInternetGatewayId": return unsupported("egress-only internet gateway")
        case "CarrierGatewayId": return unsupported("carrier gateway")
        case "LocalGatewayId": return unsupported("local gateway")
        default: return unsupported("core network")
        }
        if !known && !raw.blackhole {
            absent(id, "route target", at: raw.location, "routes to it are read as blackholes (as AWS marks a route whose target is gone)")
        }
        return (resolved, !known)
    }

    /// A route a table learned from virtual private gateway `gatewayID` is derived from the
    /// gateway's VPN connections (docs/semantics.md §5.10), not stored: true when the prefix is one
    /// of theirs, or is a BGP prefix of its only dynamic connection (which this records).
    private func learnedOverVPN(_ cidr: CIDR, gatewayID: String) -> Bool {
        let connections = network.vpnConnections.indices.filter { network.vpnConnections[$0].gateway == .vpnGateway(gatewayID) }
        if connections.contains(where: { network.vpnConnections[$0].prefixes.contains(cidr) }) { return true }
        guard connections.count == 1 else { return false }
        let connection = network.vpnConnections[connections[0]]
        guard snapshot.vpnConnections.first(where: { $0.id == connection.id })?.staticRoutesOnly != true else { return false }
        network.vpnConnections[connections[0]].bgpPrefixes.append(cidr)
        return true
    }

    private func primaryInterface(ofInstance id: String) -> String? {
        let candidates = network.interfaces.filter { $0.instanceID == id }
        let primary = snapshot.instances.first { $0.id == id }?.interfaces.first { $0.deviceIndex == 0 }?.id
        return candidates.first { $0.id == primary }?.id ?? candidates.first?.id
    }

    private func buildSecurityGroupRules() {
        let raws = Dictionary(snapshot.securityGroups.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for index in network.securityGroups.indices {
            let group = network.securityGroups[index]
            guard let raw = raws[group.id] else { continue }
            network.securityGroups[index].ingress = rules(raw.ingress, of: group)
            network.securityGroups[index].egress = rules(raw.egress, of: group)
        }
    }

    private func rules(_ permissions: [AWSSnapshot.Permission], of group: SecurityGroup) -> [SecurityGroupRule] {
        var result: [SecurityGroupRule] = []
        for permission in permissions {
            for (peer, description, location) in permission.peers {
                let resolved: SecurityGroupRule.Peer
                switch peer {
                case .cidr(let cidr): resolved = .cidr(cidr)
                case .prefixList(let id):
                    guard network.prefixLists.contains(where: { $0.id == id }) else {
                        absent(id, "prefix list", at: location, "security group rules that use it match nothing and are left out"); continue
                    }
                    resolved = .prefixList(id)
                case .group(let id, let userID):
                    guard let other = network.securityGroups.first(where: { $0.id == id }) else {
                        let owner = userID.map { $0 == network.account ? "" : " (account \($0))" } ?? ""
                        absent(id, "security group\(owner)", at: location, "rules that reference it match nothing and are left out")
                        continue
                    }
                    // https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html — cross-VPC references work across a same-region peering only; otherwise the rule is stale and matches nothing.
                    if other.vpcID != group.vpcID {
                        let peered = network.peerings.contains { $0.peer(of: group.vpcID) == other.vpcID }
                        if !peered || vpc(other.vpcID)?.region != vpc(group.vpcID)?.region {
                            log.warning(once: "stale:\(group.id):\(id)", location,
                                        "security group '\(group.id)' references '\(id)' of another VPC without an active same-region peering; the rule is stale and left out")
                            continue
                        }
                    }
                    resolved = .securityGroup(id)
                }
                result.append(SecurityGroupRule(ipProtocol: permission.ipProtocol, ports: permission.ports, icmp: permission.icmp,
                                                peer: resolved, description: description))
            }
        }
        return result
    }

    private func buildTargets() {
        let groups = dedupe(snapshot.targetGroups, id: \.arn, location: \.location, kind: "target group")
        for raw in groups {
            let lbVPC = snapshot.loadBalancers.first { lb in snapshot.listeners.contains { $0.loadBalancerARN == lb.arn && $0.targetGroupARN == raw.arn } }?.vpcID
            guard let vpcID = raw.vpcID ?? lbVPC, vpc(vpcID) != nil else {
                log.warning(raw.location, "target group '\(raw.name)' is left out: \(raw.targetType == "lambda" ? "Lambda targets are not modelled" : "its VPC is not in the snapshot")")
                continue
            }
            var targets: [TargetGroup.Target] = []
            var unhealthy = 0
            for health in targetHealth(for: raw, among: groups) {
                for target in health.targets {
                    // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html — State: initial | healthy | unhealthy | unhealthy.draining | unused | draining | unavailable.
                    if let state = target.state, !["healthy", "initial", "unused"].contains(state) { unhealthy += 1 }
                    if target.id.hasPrefix("i-") {
                        guard let eni = primaryInterface(ofInstance: target.id) else {
                            absent(target.id, "instance", at: target.location, "it is not a target"); continue
                        }
                        targets.append(.interface(eni))
                    } else if let address = IPv4Address(target.id) {
                        // An IP target is delivered to the interface that holds the address, when the snapshot has it.
                        let holder = network.interfaces.first { $0.primaryIP == address && subnet($0.subnetID)?.vpcID == vpcID }
                        targets.append(holder.map { .interface($0.id) } ?? .ip(address))
                    } else {
                        log.warning(target.location, "target '\(target.id)' is left out: vpcsim models instance and IP targets"); continue
                    }
                    if let port = target.port, port != raw.port {
                        log.warning(once: "port:\(raw.arn)", target.location, "target '\(target.id)' is registered on port \(port); vpcsim uses the target group's port \(raw.port)")
                    }
                }
            }
            if unhealthy > 0 {
                log.warning(raw.location, "\(unhealthy == 1 ? "1 target" : "\(unhealthy) targets") of target group '\(raw.name)' \(unhealthy == 1 ? "is" : "are") not healthy; target health is not modelled: answers treat every registered target as a target")
            }
            sourceMap.record(raw.arn, raw.location)
            network.targetGroups.append(TargetGroup(id: raw.arn, name: uniqueName("tg", raw.name, id: raw.arn), vpcID: vpcID,
                                                    targetProtocol: raw.targetProtocol, port: raw.port, targets: targets))
        }
        for health in snapshot.targetHealth {
            guard let arn = health.targetGroupARN, !groups.contains(where: { $0.arn == arn }) else { continue }
            absent(arn, "target group", at: health.location, "its targets are ignored")
        }
        for listener in snapshot.listeners {
            guard let index = network.loadBalancers.firstIndex(where: { $0.id == listener.loadBalancerARN }) else {
                if !snapshot.loadBalancers.contains(where: { $0.arn == listener.loadBalancerARN }) {
                    absent(listener.loadBalancerARN, "load balancer", at: listener.location, "its listeners are left out")
                }
                continue
            }
            guard let groupARN = listener.targetGroupARN else {
                log.warning(listener.location, "listener on port \(listener.port) has no forward action; it is left out",
                            hint: "vpcsim models listeners that forward to a target group")
                continue
            }
            guard network.targetGroups.contains(where: { $0.id == groupARN }) else {
                absent(groupARN, "target group", at: listener.location, "the listener on port \(listener.port) is left out"); continue
            }
            network.loadBalancers[index].listeners.append(LoadBalancer.Listener(listenerProtocol: listener.listenerProtocol, port: listener.port, targetGroupID: groupARN))
        }
    }

    /// describe-target-health prints no target group: a file belongs to the only target group, or
    /// to the one whose name or ARN id its file name contains.
    private func targetHealth(for group: AWSSnapshot.TargetGroup, among groups: [AWSSnapshot.TargetGroup]) -> [AWSSnapshot.TargetHealth] {
        snapshot.targetHealth.filter { health in
            if let arn = health.targetGroupARN { return arn == group.arn }
            if groups.count == 1 { return true }
            let file = health.file.split(separator: "/").last.map(String.init) ?? health.file
            let matches = groups.filter { file.contains($0.name) || file.contains($0.arn.split(separator: "/").last.map(String.init) ?? $0.arn) }
            if matches.isEmpty {
                log.warning(once: "health:\(health.file)", health.location, "the targets in \(health.file) are ignored: the file name does not name a target group",
                            hint: "save `aws elbv2 describe-target-health --target-group-arn …` as describe-target-health-<target group name>.json")
            }
            return matches.count == 1 && matches[0].arn == group.arn
        }
    }
}
