import VPCModel

/// The oracle's draws on VPCModel's SplitMix64 (the same sequence on every platform and Swift
/// version, so a failing seed reproduces anywhere). These helpers avoid the standard library's
/// `random(in:using:)`, whose algorithm is not promised to stay the same.
extension SplitMix64 {
    /// Uniform enough for tests (modulo bias is irrelevant here).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    public mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) / Double(UInt64(1) << 53) < probability
    }

    /// One of `items`, or nil when there is none.
    public mutating func anyOf<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[int(0...(items.count - 1))]
    }

    /// A random subset, keeping order.
    public mutating func subset<T>(_ items: [T], probability: Double) -> [T] {
        items.filter { _ in chance(probability) }
    }
}

/// Random but valid networks (they pass `NetworkValidator` without errors) built directly as
/// `Network` values, and random flows over them, for comparing the Evaluator with the oracle.
/// Sizes stay small so that thousands of flows per network evaluate quickly in debug builds.
public enum RandomNetwork {
    public static let regions = ["us-east-1", "us-west-2"]
    /// Ports at the edges of the rules the generator writes: ranges start and end here.
    public static let edgePorts: [UInt16] = [0, 22, 53, 80, 443, 1023, 1024, 8080, 32767, 32768, 60999, 61000, 65535]
    public static let portRanges: [(Int, Int)] = [(0, 65535), (22, 22), (80, 80), (443, 443), (1024, 65535), (32768, 60999),
                                           (0, 1023), (53, 53), (8080, 8080), (1024, 32767)]
    /// Public ranges rules and routes mention besides the services' own.
    public static let publicRanges: [CIDR] = ["8.8.8.0/24", "1.1.1.0/24", "52.216.0.0/15", "52.46.128.0/19", "52.0.0.0/8",
                                       "198.51.100.0/24", "44.192.0.0/16"].compactMap { CIDR($0) }

    /// What the generator may add to the base networks. Both off by default: then a seed gives exactly
    /// the network it always gave (the base builder's draws are untouched; the additions draw only when on).
    public struct Options: Hashable, Sendable {
        /// Transit gateways as AWS networks use them (RandomNetwork+Transit.swift): a hub with 1–3 route
        /// tables, varied associations and propagations, static, blackhole and prefix-list routes,
        /// attachment subnets in only some AZs, ACLs on attachment subnets, an egress VPC (NAT gateway and
        /// internet gateway), an inspection VPC (appliances in two AZs, appliance mode on or off), and a
        /// peering with a transit gateway of the other region.
        public var transit: Bool
        /// Hybrid edges: a VPN connection (and Direct Connect gateway) to a virtual private gateway with
        /// route propagation, a VPN connection and Direct Connect gateway attached to a transit gateway,
        /// and the on-premises networks behind them.
        public var hybrid: Bool

        public init(transit: Bool = false, hybrid: Bool = false) { self.transit = transit; self.hybrid = hybrid }

        public static let base = Options()
        public static let all = Options(transit: true, hybrid: true)
    }

    public static func make(seed: UInt64, options: Options = .base) -> Network {
        var rng = SplitMix64(seed: seed)
        return make(rng: &rng, options: options)
    }

    public static func make(rng: inout SplitMix64, options: Options = .base) -> Network {
        var builder = Builder(rng: rng, options: options)
        builder.build()
        rng = builder.rng
        return builder.network
    }

    /// A mix of flows: to other interfaces' private and public IPs, NAT addresses, the internet,
    /// service ranges, unowned VPC addresses and prefix-list ranges; TCP, UDP, ICMP and others,
    /// with ports at rule edges.
    public static func randomFlows(_ network: Network, count: Int, rng: inout SplitMix64) -> [OracleFlow] {
        let sources = network.interfaces
        guard !sources.isEmpty else { return [] }
        // Mostly ordinary sources; NAT and endpoint interfaces now and then, to exercise §4.
        let ordinary = sources.filter {
            switch $0.owner {
            case .natGateway, .endpoint: return false
            default: return true
            }
        }
        let publicIPs = network.interfaces.compactMap(\.publicIP)
        let serviceRanges = network.services.flatMap(\.addresses)
        let listRanges = network.prefixLists.flatMap(\.cidrs)
        let vpcRanges = network.vpcs.flatMap(\.cidrs)
        let onPremRanges = RandomNetwork.onPremRanges(network)
        let hasHub = network.transitGateways.contains { $0.id.hasPrefix(hubPrefix) }
        var flows: [OracleFlow] = []
        for _ in 0..<count {
            let source = (rng.chance(0.95) ? rng.anyOf(ordinary) : nil) ?? sources[rng.int(0...(sources.count - 1))]
            var destination: IPv4Address
            switch rng.int(0...99) {
            case 0..<35:
                let target = sources[rng.int(0...(sources.count - 1))]
                destination = rng.anyOf(target.privateIPs) ?? IPv4Address(8, 8, 8, 8)
            case 35..<50:
                destination = rng.anyOf(publicIPs) ?? IPv4Address(1, 1, 1, 1)
            case 50..<62:
                destination = rng.chance(0.5) ? (rng.anyOf([IPv4Address(8, 8, 8, 8), IPv4Address(1, 1, 1, 1)]) ?? IPv4Address(8, 8, 8, 8))
                    : randomPublic(&rng)
            case 62..<77:
                destination = rng.anyOf(serviceRanges).map { host(in: $0, &rng) } ?? IPv4Address(52, 216, 0, 9)
            case 77..<85:
                destination = rng.anyOf(network.natGateways).map { rng.chance(0.5) ? $0.privateIP : ($0.elasticIP ?? $0.privateIP) }
                    ?? IPv4Address(8, 8, 4, 4)
            case 85..<93:
                destination = rng.anyOf(vpcRanges).map { host(in: $0, &rng) } ?? IPv4Address(10, 0, 0, 1)
            case 93..<96:
                destination = rng.anyOf(source.privateIPs) ?? IPv4Address(10, 0, 0, 2)
            default:
                destination = rng.anyOf(listRanges).map { host(in: $0, &rng) } ?? IPv4Address(9, 9, 9, 9)
            }
            // On-premises addresses and interfaces across a hub transit gateway, only in networks that have
            // them (no draw otherwise: base networks keep their flows).
            if !onPremRanges.isEmpty && rng.chance(0.12), let range = rng.anyOf(onPremRanges) { destination = host(in: range, &rng) }
            if hasHub && rng.chance(0.25), let target = rng.anyOf(acrossHub(network, from: source)) {
                destination = rng.anyOf(target.privateIPs) ?? destination
            }
            let protocolRoll = rng.int(0...99)
            let ipProtocol: UInt8 = protocolRoll < 45 ? 6 : (protocolRoll < 70 ? 17 : (protocolRoll < 90 ? 1 : (rng.anyOf([47, 50, 132]) ?? 47)))
            let destinationPort = rng.chance(0.8) ? (rng.anyOf(edgePorts) ?? 443) : UInt16(rng.int(0...65535))
            let sourcePorts: [UInt16] = [1023, 1024, 32768, 40000, 60999, 61000, 65535]
            let sourcePort = rng.chance(0.7) ? (rng.anyOf(sourcePorts) ?? 40000) : UInt16(rng.int(0...65535))
            flows.append(OracleFlow(sourceInterfaceID: source.id, destination: destination, ipProtocol: ipProtocol,
                                    sourcePort: ipProtocol == 6 || ipProtocol == 17 ? sourcePort : 0,
                                    destinationPort: ipProtocol == 6 || ipProtocol == 17 ? destinationPort : 0,
                                    icmpType: ipProtocol == 1 ? (rng.anyOf([8, 8, 8, 0, 3, 13, 11]) ?? 8) : 0,
                                    icmpCode: ipProtocol == 1 ? (rng.anyOf([0, 0, 1, 4]) ?? 0) : 0))
        }
        return flows
    }

    /// Flows that start on the internet (§4b). Destinations: mostly interfaces' public IPs (instances,
    /// NAT gateway EIPs, load balancer nodes), some private addresses and random public ones. Sources:
    /// random public addresses, addresses inside the CIDRs and prefix lists that SG rules and ACL
    /// entries name (so rules match both ways), other interfaces' public IPs and service addresses now
    /// and then (the response then meets them on the public side), and the well-known 8.8.8.8/1.1.1.1.
    public static func randomInternetFlows(_ network: Network, count: Int, rng: inout SplitMix64) -> [OracleFlow] {
        let publicIPs = network.interfaces.compactMap(\.publicIP)
        let natEIPs = network.natGateways.compactMap(\.elasticIP)
        let lbPublicIPs = network.interfaces.filter {
            if case .loadBalancer = $0.owner { return true }
            return false
        }.compactMap(\.publicIP)
        let privateIPs = network.interfaces.flatMap(\.privateIPs)
        let serviceRanges = network.services.flatMap(\.addresses)
        var ruleRanges: [CIDR] = []
        for group in network.securityGroups {
            for rule in group.ingress + group.egress {
                switch rule.peer {
                case .cidr(let cidr): ruleRanges.append(cidr)
                case .prefixList(let id): ruleRanges += network.prefixLists.first { $0.id == id }?.cidrs ?? []
                case .securityGroup: break
                }
            }
        }
        for acl in network.networkACLs {
            for entry in acl.ingress + acl.egress { ruleRanges.append(entry.cidr) }
        }
        ruleRanges += RandomNetwork.publicRanges
        // Interfaces the internet can get to at all (a public IP in a VPC with an internet gateway; not
        // NAT gateways, which have their own share) get
        // most of the traffic, so that enough flows get past the gateway to exercise rules and responses.
        let exposed = network.interfaces.filter { eni in
            if case .natGateway = eni.owner { return false }
            guard eni.publicIP != nil, let vpcID = network.subnets.first(where: { $0.id == eni.subnetID })?.vpcID else { return false }
            return network.internetGateways.contains { $0.vpcID == vpcID }
        }
        var flows: [OracleFlow] = []
        for _ in 0..<count {
            let destination: IPv4Address
            switch rng.int(0...99) {
            case 0..<35: destination = rng.anyOf(exposed)?.publicIP ?? rng.anyOf(publicIPs) ?? randomPublic(&rng)
            case 35..<55: destination = rng.anyOf(publicIPs) ?? randomPublic(&rng)
            case 55..<65: destination = rng.anyOf(natEIPs) ?? rng.anyOf(publicIPs) ?? randomPublic(&rng)
            case 65..<75: destination = rng.anyOf(lbPublicIPs) ?? rng.anyOf(publicIPs) ?? randomPublic(&rng)
            case 75..<87: destination = rng.anyOf(privateIPs) ?? IPv4Address(10, 0, 0, 9)
            default: destination = randomPublic(&rng)
            }
            // The ranges the destination's own groups admit, when it is an interface's public IP.
            let target = network.interfaces.first { $0.publicIP == destination }
            let admitted: [CIDR] = network.securityGroups.filter { target?.securityGroupIDs.contains($0.id) == true }.flatMap { group in
                group.ingress.flatMap { rule -> [CIDR] in
                    switch rule.peer {
                    case .cidr(let cidr): return [cidr]
                    case .prefixList(let id): return network.prefixLists.first { $0.id == id }?.cidrs ?? []
                    case .securityGroup: return []
                    }
                }
            }
            let client: IPv4Address
            switch rng.int(0...99) {
            case 0..<30: client = randomPublic(&rng)
            case 30..<85:
                // Inside a rule's range (the destination's own, or any); mostly a public address there,
                // as internet clients have.
                let range = (rng.chance(0.6) ? rng.anyOf(admitted) : nil) ?? rng.anyOf(ruleRanges) ?? .any
                var candidate = host(in: range, &rng)
                for _ in 0..<4 where !candidate.isPublic && rng.chance(0.9) { candidate = host(in: range, &rng) }
                client = candidate
            case 85..<90: client = rng.anyOf([IPv4Address(8, 8, 8, 8), IPv4Address(1, 1, 1, 1)]) ?? IPv4Address(8, 8, 8, 8)
            case 90..<95: client = rng.anyOf(serviceRanges).map { host(in: $0, &rng) } ?? randomPublic(&rng)
            default: client = rng.anyOf(publicIPs) ?? randomPublic(&rng)
            }
            let protocolRoll = rng.int(0...99)
            let ipProtocol: UInt8 = protocolRoll < 50 ? 6 : (protocolRoll < 72 ? 17 : (protocolRoll < 92 ? 1 : (rng.anyOf([47, 50, 132]) ?? 47)))
            let destinationPort = rng.chance(0.85) ? (rng.anyOf(edgePorts) ?? 443) : UInt16(rng.int(0...65535))
            // Internet clients use 1024–65535; the edges of the rules' ranges, and now and then anything.
            let sourcePorts: [UInt16] = [1024, 1025, 32767, 32768, 40000, 60999, 61000, 65535]
            let sourcePort = rng.chance(0.8) ? (rng.anyOf(sourcePorts) ?? 40000) : UInt16(rng.int(0...65535))
            let hasPorts = ipProtocol == 6 || ipProtocol == 17
            flows.append(.fromInternet(client, to: destination, ipProtocol: ipProtocol,
                                       sourcePort: hasPorts ? sourcePort : 0, destinationPort: hasPorts ? destinationPort : 0,
                                       icmpType: ipProtocol == 1 ? (rng.anyOf([8, 8, 8, 0, 3, 13, 11]) ?? 8) : 0,
                                       icmpCode: ipProtocol == 1 ? (rng.anyOf([0, 0, 1, 4]) ?? 0) : 0))
        }
        return flows
    }

    public static func host(in cidr: CIDR, _ rng: inout SplitMix64) -> IPv4Address {
        let offset = cidr.size <= 1 ? 0 : UInt32(truncatingIfNeeded: rng.next() % cidr.size)
        return IPv4Address(cidr.network.value &+ offset)
    }

    public static func randomPublic(_ rng: inout SplitMix64) -> IPv4Address {
        while true {
            let candidate = IPv4Address(UInt32(truncatingIfNeeded: rng.next()))
            if candidate.isPublic { return candidate }
        }
    }

    /// Builds one network in dependency order: VPCs and subnets, then what lives in them, then the
    /// connections between VPCs, then routes and rules that may name any of those.
    struct Builder {
        var rng: SplitMix64
        var network = Network(name: "random")
        var usedAddresses: [String: Set<UInt32>] = [:]
        var usedPublic: Set<UInt32> = []
        var customerLists: [String: String] = [:]
        let options: Options
        /// The transit option's hub is tidy (RandomNetwork+Transit.swift).
        var tidyTransit = false

        init(rng: SplitMix64, options: Options = .base) { self.rng = rng; self.options = options }

        mutating func build() {
            let builtins = BuiltinData.embedded
            network.prefixLists = builtins.prefixLists
            network.services = builtins.services
            let regionCount = rng.chance(0.3) ? 2 : 1
            for region in RandomNetwork.regions.prefix(regionCount) {
                let id = "pl-cust-\(region)"
                let cidrs = rng.subset(RandomNetwork.publicRanges, probability: 0.3)
                network.prefixLists.append(PrefixList(id: id, name: "office-\(region)", region: region,
                                                      cidrs: cidrs.isEmpty ? [RandomNetwork.publicRanges[0]] : cidrs))
                customerLists[region] = id
            }
            let vpcCount = rng.int(2...4)
            for index in 0..<vpcCount {
                let region = RandomNetwork.regions[rng.int(0...(regionCount - 1))]
                makeVPC(index, region: region)
            }
            for vpc in network.vpcs { makeNATGateways(vpc); makeEndpoints(vpc); makeInterfaces(vpc); makeLoadBalancer(vpc) }
            makePeerings()
            makeTransitGateways()
            for vpc in network.vpcs { makeRouteTables(vpc); makeACLs(vpc); fillSecurityGroups(vpc) }
            // The additions come last, on top of a complete base network, so that without them nothing above draws differently.
            if options.transit { makeTransitHub() }
            if options.hybrid { makeHybridEdges() }
        }

        // MARK: VPCs, subnets, gateways

        mutating func makeVPC(_ index: Int, region: String) {
            let id = "vpc-\(index)"
            var cidrs = [CIDR(masking: IPv4Address(10, UInt8(index), 0, 0), length: 16)]
            if rng.chance(0.25) { cidrs.append(CIDR(masking: IPv4Address(172, UInt8(16 + index), 0, 0), length: 16)) }
            network.vpcs.append(VPC(id: id, name: id, region: region, cidrs: cidrs))
            let zones = ["a", "b", "c"]
            for subnetIndex in 0..<rng.int(2...4) {
                let base = rng.chance(0.8) || cidrs.count == 1 ? cidrs[0] : cidrs[1]
                let (a, b, _, _) = base.network.octets
                let cidr = CIDR(masking: IPv4Address(a, b, UInt8(subnetIndex), 0), length: 24)
                let zone = region + zones[subnetIndex % 3]
                network.subnets.append(Subnet(id: "subnet-\(index)-\(subnetIndex)", name: "subnet-\(index)-\(subnetIndex)",
                                              vpcID: id, cidr: cidr, availabilityZone: zone))
            }
            if rng.chance(0.75) { network.internetGateways.append(InternetGateway(id: "igw-\(index)", name: "igw-\(index)", vpcID: id)) }
            for groupIndex in 0..<rng.int(2...3) {
                network.securityGroups.append(SecurityGroup(id: "sg-\(index)-\(groupIndex)", name: "sg-\(index)-\(groupIndex)", vpcID: id))
            }
        }

        func subnets(of vpc: VPC) -> [Subnet] { network.subnets.filter { $0.vpcID == vpc.id } }
        func groups(of vpc: VPC) -> [SecurityGroup] { network.securityGroups.filter { $0.vpcID == vpc.id } }
        func interfaces(of vpc: VPC) -> [NetworkInterface] {
            network.interfaces.filter { eni in network.subnets.first { $0.id == eni.subnetID }?.vpcID == vpc.id }
        }

        /// A free, non-reserved address of the subnet (offsets 4 … size-2).
        mutating func allocate(in subnet: Subnet) -> IPv4Address {
            let size = UInt32(subnet.cidr.size)
            var offset = UInt32(rng.int(4...Int(size - 2)))
            while usedAddresses[subnet.id, default: []].contains(subnet.cidr.network.value + offset) {
                offset = offset >= size - 2 ? 4 : offset + 1
            }
            usedAddresses[subnet.id, default: []].insert(subnet.cidr.network.value + offset)
            return IPv4Address(subnet.cidr.network.value + offset)
        }

        /// Public addresses from the documentation ranges and one other block, never a service range.
        mutating func allocatePublic() -> IPv4Address {
            let pools: [CIDR] = ["203.0.113.0/24", "192.0.2.0/24", "44.200.0.0/16"].compactMap { CIDR($0) }
            while true {
                let pool = pools[rng.int(0...(pools.count - 1))]
                let address = IPv4Address(pool.network.value + UInt32(rng.int(1...Int(min(pool.size, 65_000) - 2))))
                if usedPublic.insert(address.value).inserted { return address }
            }
        }

        mutating func makeNATGateways(_ vpc: VPC) {
            let candidates = subnets(of: vpc)
            for natIndex in 0..<rng.int(0...2) {
                guard let subnet = rng.anyOf(candidates) else { return }
                let id = "nat-\(vpc.id)-\(natIndex)"
                let isPublic = rng.chance(0.75)
                let privateIP = allocate(in: subnet)
                let eip = isPublic ? allocatePublic() : nil
                let eniID = "eni-nat-\(vpc.id)-\(natIndex)"
                network.interfaces.append(NetworkInterface(id: eniID, name: eniID, subnetID: subnet.id, privateIPs: [privateIP],
                                                           publicIP: eip, publicIPIsElastic: eip != nil, securityGroupIDs: [],
                                                           sourceDestCheck: false, owner: .natGateway(id)))
                network.natGateways.append(NATGateway(id: id, name: id, subnetID: subnet.id, connectivity: isPublic ? .public : .private,
                                                      privateIP: privateIP, elasticIP: eip, interfaceID: eniID))
            }
        }

        mutating func makeEndpoints(_ vpc: VPC) {
            let regional = network.services.filter { $0.region == vpc.region }
            for name in ["s3", "dynamodb"] where regional.contains(where: { $0.name == name && $0.prefixListID != nil }) && rng.chance(0.5) {
                // Route tables are chosen later, when they exist; the list is filled in makeRouteTables.
                network.endpoints.append(VPCEndpoint(id: "vpce-\(name)-\(vpc.id)", name: "\(name)-\(vpc.id)", vpcID: vpc.id,
                                                     kind: .gateway, service: name))
            }
            let interfaceServices = regional.filter { $0.prefixListID == nil }.map(\.name)
            guard rng.chance(0.5), let service = rng.anyOf(interfaceServices) else { return }
            let id = "vpce-\(service)-\(vpc.id)"
            var chosen: [Subnet] = []
            for subnet in subnets(of: vpc) where rng.chance(0.6) && !chosen.contains(where: { $0.availabilityZone == subnet.availabilityZone }) {
                chosen.append(subnet)
            }
            if chosen.isEmpty, let first = subnets(of: vpc).first { chosen = [first] }
            let groupIDs = rng.anyOf(groups(of: vpc)).map { [$0.id] } ?? []
            var eniIDs: [String] = []
            for subnet in chosen {
                let eniID = "eni-\(id)-\(subnet.id)"
                network.interfaces.append(NetworkInterface(id: eniID, name: eniID, subnetID: subnet.id, privateIPs: [allocate(in: subnet)],
                                                           securityGroupIDs: groupIDs, owner: .endpoint(id)))
                eniIDs.append(eniID)
            }
            network.endpoints.append(VPCEndpoint(id: id, name: "\(service)-\(vpc.id)", vpcID: vpc.id, kind: .interface, service: service,
                                                 subnetIDs: chosen.map(\.id), securityGroupIDs: groupIDs, interfaceIDs: eniIDs))
        }

        mutating func makeInterfaces(_ vpc: VPC) {
            let candidates = subnets(of: vpc)
            var workloadENIs: [String] = []
            for eniIndex in 0..<rng.int(2...5) {
                guard let subnet = rng.anyOf(candidates) else { return }
                var addresses = [allocate(in: subnet)]
                if rng.chance(0.2) { addresses.append(allocate(in: subnet)) }
                let publicIP = rng.chance(0.4) ? allocatePublic() : nil
                var groupIDs = rng.subset(groups(of: vpc).map(\.id), probability: 0.5)
                if groupIDs.isEmpty && rng.chance(0.9), let first = groups(of: vpc).first { groupIDs = [first.id] }
                let id = "eni-\(vpc.id)-\(eniIndex)"
                network.interfaces.append(NetworkInterface(id: id, name: id, subnetID: subnet.id, privateIPs: addresses, publicIP: publicIP,
                                                           publicIPIsElastic: publicIP != nil && rng.chance(0.5), securityGroupIDs: groupIDs,
                                                           sourceDestCheck: !rng.chance(0.2)))
                if rng.chance(0.4) { workloadENIs.append(id) }
            }
            guard !workloadENIs.isEmpty else { return }
            let workloadID = "wl-\(vpc.id)"
            network.workloads.append(Workload(id: workloadID, name: workloadID, kind: rng.anyOf(Workload.kinds) ?? "other", interfaceIDs: workloadENIs))
            for index in network.interfaces.indices where workloadENIs.contains(network.interfaces[index].id) {
                network.interfaces[index].owner = .workload(workloadID)
            }
        }

        mutating func makeLoadBalancer(_ vpc: VPC) {
            guard rng.chance(0.4) else { return }
            var chosen: [Subnet] = []
            for subnet in subnets(of: vpc) where !chosen.contains(where: { $0.availabilityZone == subnet.availabilityZone }) && rng.chance(0.7) {
                chosen.append(subnet)
            }
            if chosen.isEmpty, let first = subnets(of: vpc).first { chosen = [first] }
            let zones = Set(chosen.map(\.availabilityZone))
            let kind: LoadBalancer.Kind = zones.count >= 2 && rng.chance(0.6) ? .application : .network
            let id = "elb-\(vpc.id)"
            let targets = rng.subset(interfaces(of: vpc).filter { $0.owner == .none || $0.owner == .workload("wl-\(vpc.id)") }.map(\.id), probability: 0.5)
            let groupID = "tg-\(vpc.id)"
            let targetProtocol = kind == .application ? "HTTP" : (rng.anyOf(["TCP", "UDP", "TCP_UDP"]) ?? "TCP")
            network.targetGroups.append(TargetGroup(id: groupID, name: groupID, vpcID: vpc.id, targetProtocol: targetProtocol,
                                                    port: rng.anyOf([80, 8080, 443]) ?? 8080, targets: targets.map { .interface($0) }))
            var listeners: [LoadBalancer.Listener] = []
            for port in rng.subset([UInt16(80), 443, 8080], probability: 0.6) {
                let listenerProtocol = kind == .application ? (port == 443 ? "HTTPS" : "HTTP") : targetProtocol
                listeners.append(LoadBalancer.Listener(listenerProtocol: listenerProtocol, port: port, targetGroupID: groupID))
            }
            let groupIDs = kind == .application || rng.chance(0.5) ? (rng.anyOf(groups(of: vpc)).map { [$0.id] } ?? []) : []
            let internetFacing = rng.chance(0.5)
            var eniIDs: [String] = []
            for subnet in chosen {
                let eniID = "eni-\(id)-\(subnet.id)"
                network.interfaces.append(NetworkInterface(id: eniID, name: eniID, subnetID: subnet.id, privateIPs: [allocate(in: subnet)],
                                                           publicIP: internetFacing ? allocatePublic() : nil, securityGroupIDs: groupIDs,
                                                           owner: .loadBalancer(id)))
                eniIDs.append(eniID)
            }
            network.loadBalancers.append(LoadBalancer(id: id, name: id, vpcID: vpc.id, kind: kind, scheme: internetFacing ? .internetFacing : .internal,
                                                      subnetIDs: chosen.map(\.id), securityGroupIDs: groupIDs, listeners: listeners,
                                                      interfaceIDs: eniIDs))
        }

        // MARK: Between VPCs

        mutating func makePeerings() {
            let vpcs = network.vpcs
            for (i, left) in vpcs.enumerated() {
                for right in vpcs[(i + 1)...] where rng.chance(0.4) {
                    let id = "pcx-\(left.id)-\(right.id)"
                    network.peerings.append(PeeringConnection(id: id, name: id, requesterVPCID: left.id, accepterVPCID: right.id))
                }
            }
        }

        mutating func makeTransitGateways() {
            for region in Set(network.vpcs.map(\.region)).sorted() where rng.chance(0.5) {
                let members = rng.subset(network.vpcs.filter { $0.region == region }, probability: 0.7)
                guard !members.isEmpty else { continue }
                let id = "tgw-\(region)"
                let attachments = members.map { vpc in
                    TransitGateway.Attachment(id: "tgw-attach-\(vpc.id)", vpcID: vpc.id, subnetIDs: subnets(of: vpc).prefix(1).map(\.id))
                }
                var routes: [TransitGateway.Route] = []
                if rng.chance(0.5), let target = rng.anyOf(attachments) { routes.append(.init(destination: .any, attachmentID: target.id)) }
                if rng.chance(0.4), let vpc = rng.anyOf(network.vpcs), let cidr = vpc.cidrs.first {
                    routes.append(.init(destination: cidr, attachmentID: rng.chance(0.5) ? nil : rng.anyOf(attachments)?.id))
                }
                if rng.chance(0.3), let range = rng.anyOf(RandomNetwork.publicRanges) { routes.append(.init(destination: range, attachmentID: nil)) }
                network.transitGateways.append(TransitGateway(id: id, name: id, region: region, attachments: attachments, routes: routes,
                                                              propagatesAttachments: rng.chance(0.8)))
            }
        }

        // MARK: Routes

        mutating func makeRouteTables(_ vpc: VPC) {
            var tables = [RouteTable(id: "rtb-\(vpc.id)-main", name: "rtb-\(vpc.id)-main", vpcID: vpc.id, isMain: true)]
            for tableIndex in 0..<rng.int(0...2) {
                tables.append(RouteTable(id: "rtb-\(vpc.id)-\(tableIndex)", name: "rtb-\(vpc.id)-\(tableIndex)", vpcID: vpc.id, isMain: false))
            }
            for index in network.subnets.indices where network.subnets[index].vpcID == vpc.id && rng.chance(0.6) {
                network.subnets[index].routeTableID = rng.anyOf(tables)?.id
            }
            // Gateway endpoints pick their tables now that the tables exist.
            for index in network.endpoints.indices where network.endpoints[index].vpcID == vpc.id && network.endpoints[index].kind == .gateway {
                let chosen = rng.subset(tables.map(\.id), probability: 0.6)
                network.endpoints[index].routeTableIDs = chosen.isEmpty ? [tables[0].id] : chosen
            }
            for index in tables.indices {
                tables[index].routes = vpc.cidrs.map { Route(destination: .cidr($0), target: .local) }
                addRandomRoutes(&tables[index], vpc: vpc)
                for endpoint in network.endpoints where endpoint.vpcID == vpc.id && endpoint.routeTableIDs.contains(tables[index].id) {
                    if let listID = network.services.first(where: { $0.name == endpoint.service && $0.region == vpc.region })?.prefixListID,
                       !tables[index].routes.contains(where: { $0.destination == .prefixList(listID) }) {
                        tables[index].routes.append(Route(destination: .prefixList(listID), target: .gatewayEndpoint(endpoint.id)))
                    }
                }
            }
            network.routeTables += tables
        }

        /// A target that may leave the VPC: IGW, NAT, TGW, peering or appliance, as the VPC has them.
        /// A NAT gateway is rarely the target of its own subnet's table (that is a loop, which the
        /// oracle handles, but real networks route NAT subnets to the internet gateway).
        mutating func outboundTarget(_ vpc: VPC, table: RouteTable) -> Route.Target {
            var options: [Route.Target] = [.blackhole]
            if let igw = network.internetGateways.first(where: { $0.vpcID == vpc.id }) { options += [.internetGateway(igw.id), .internetGateway(igw.id)] }
            for nat in network.natGateways where network.subnets.first(where: { $0.id == nat.subnetID })?.vpcID == vpc.id {
                let natSubnetTable = network.subnets.first { $0.id == nat.subnetID }.map { $0.routeTableID ?? "rtb-\(vpc.id)-main" }
                if natSubnetTable == table.id && !rng.chance(0.15) { continue }
                options += [.natGateway(nat.id), .natGateway(nat.id)]
            }
            for tgw in network.transitGateways where tgw.attachments.contains(where: { $0.vpcID == vpc.id }) { options.append(.transitGateway(tgw.id)) }
            for peering in network.peerings where peering.peer(of: vpc.id) != nil { options.append(.peering(peering.id)) }
            if let appliance = pickAppliance(vpc) { options.append(.networkInterface(appliance.id)) }
            return rng.anyOf(options) ?? .blackhole
        }

        /// Mostly a real appliance (source/dest check off); sometimes an ordinary interface by mistake.
        mutating func pickAppliance(_ vpc: VPC) -> NetworkInterface? {
            let candidates = interfaces(of: vpc).filter { $0.owner == .none }
            let appliances = candidates.filter { !$0.sourceDestCheck }
            return rng.chance(0.8) && !appliances.isEmpty ? rng.anyOf(appliances) : rng.anyOf(candidates)
        }

        mutating func addRandomRoutes(_ table: inout RouteTable, vpc: VPC) {
            var seen = Set(table.routes.map(\.destination))
            func add(_ route: Route, _ table: inout RouteTable) {
                if seen.insert(route.destination).inserted { table.routes.append(route) }
            }
            if rng.chance(0.7) { add(Route(destination: .cidr(.any), target: outboundTarget(vpc, table: table)), &table) }
            for peering in network.peerings where rng.chance(0.6) {
                guard let peerID = peering.peer(of: vpc.id), let peer = network.vpcs.first(where: { $0.id == peerID }) else { continue }
                for cidr in peer.cidrs { add(Route(destination: .cidr(cidr), target: rng.chance(0.85) ? .peering(peering.id) : .blackhole), &table) }
            }
            for tgw in network.transitGateways where tgw.attachments.contains(where: { $0.vpcID == vpc.id }) && rng.chance(0.6) {
                for other in network.vpcs where other.id != vpc.id && rng.chance(0.5) {
                    for cidr in other.cidrs {
                        add(Route(destination: .cidr(cidr), target: .transitGateway(tgw.id), origin: rng.chance(0.5) ? .propagated : .staticRoute), &table)
                    }
                }
            }
            for _ in 0..<rng.int(0...2) {
                guard let range = rng.anyOf(RandomNetwork.publicRanges) else { break }
                add(Route(destination: .cidr(range), target: outboundTarget(vpc, table: table), origin: rng.chance(0.2) ? .propagated : .staticRoute), &table)
            }
            if rng.chance(0.3), let listID = customerLists[vpc.region] {
                add(Route(destination: .prefixList(listID), target: outboundTarget(vpc, table: table)), &table)
            }
            // A more specific route for a whole subnet, through a NAT gateway or an appliance.
            if rng.chance(0.2), let subnet = rng.anyOf(subnets(of: vpc)) {
                let nats = network.natGateways.filter { nat in subnets(of: vpc).contains { $0.id == nat.subnetID } }
                let target: Route.Target? = rng.chance(0.5) ? rng.anyOf(nats).map { .natGateway($0.id) } : pickAppliance(vpc).map { .networkInterface($0.id) }
                if let target { add(Route(destination: .cidr(subnet.cidr), target: target), &table) }
            }
            // Targets that are gone, and routes AWS shows as blackholes although the target is named.
            if rng.chance(0.1) { add(Route(destination: .cidr(CIDR(masking: IPv4Address(9, 9, 0, 0), length: 16)), target: .natGateway("nat-deleted")), &table) }
            if rng.chance(0.1), let igw = network.internetGateways.first(where: { $0.vpcID == vpc.id }) {
                add(Route(destination: .cidr(CIDR(masking: IPv4Address(1, 1, 1, 1), length: 32)), target: .internetGateway(igw.id), isBlackhole: true), &table)
            }
        }

        // MARK: Rules

        /// Addresses rules talk about: anywhere, the VPCs, subnets, single interfaces, public ranges.
        mutating func randomRuleCIDR() -> CIDR {
            switch rng.int(0...9) {
            case 0...2: return .any
            case 3...4: return rng.anyOf(network.vpcs.flatMap(\.cidrs)) ?? .any
            case 5: return rng.anyOf(network.subnets.map(\.cidr)) ?? .any
            case 6: return rng.anyOf(network.interfaces.compactMap(\.primaryIP)).map { CIDR(masking: $0, length: 32) } ?? .any
            default: return rng.anyOf(RandomNetwork.publicRanges) ?? .any
            }
        }

        mutating func randomProtocol() -> (IPProtocol, PortRange, ICMPMatch) {
            let protocols: [IPProtocol] = [.all, .tcp, .tcp, .tcp, .udp, .icmp, IPProtocol(number: 50) ?? .all]
            let ipProtocol = rng.anyOf(protocols) ?? .all
            let bounds = rng.anyOf(RandomNetwork.portRanges) ?? (0, 65535)
            let ports = PortRange(bounds.0, bounds.1) ?? .all
            let icmps: [ICMPMatch] = [.any, ICMPMatch(type: 8, code: -1), ICMPMatch(type: 0, code: 0), ICMPMatch(type: 3, code: 4)].compactMap { $0 }
            return (ipProtocol, ports, rng.anyOf(icmps) ?? .any)
        }

        mutating func randomACLEntries() -> [NetworkACLEntry] {
            var numbers: Set<Int> = []
            var entries: [NetworkACLEntry] = []
            for _ in 0..<rng.int(0...6) {
                let number = rng.anyOf([1, 50, 100, 110, 120, 200, 300, 32766]) ?? 100
                guard numbers.insert(number).inserted else { continue }
                let (ipProtocol, ports, icmp) = randomProtocol()
                entries.append(NetworkACLEntry(ruleNumber: number, action: rng.chance(0.7) ? .allow : .deny, ipProtocol: ipProtocol,
                                               ports: ports, icmp: icmp, cidr: randomRuleCIDR()))
            }
            if rng.chance(0.6) { entries.append(NetworkACLEntry(ruleNumber: 32000, action: .allow, ipProtocol: .all, cidr: .any)) }
            return entries
        }

        mutating func makeACLs(_ vpc: VPC) {
            let allowAll = rng.chance(0.6)
            network.networkACLs.append(NetworkACL(id: "acl-\(vpc.id)-default", name: "acl-\(vpc.id)-default", vpcID: vpc.id, isDefault: true,
                                                  ingress: allowAll ? NetworkACL.allowAllEntries() : randomACLEntries(),
                                                  egress: allowAll ? NetworkACL.allowAllEntries() : randomACLEntries()))
            for aclIndex in 0..<rng.int(0...2) {
                let id = "acl-\(vpc.id)-\(aclIndex)"
                network.networkACLs.append(NetworkACL(id: id, name: id, vpcID: vpc.id, isDefault: false,
                                                      ingress: randomACLEntries(), egress: randomACLEntries()))
                for index in network.subnets.indices where network.subnets[index].vpcID == vpc.id && rng.chance(0.4) {
                    network.subnets[index].networkACLID = id
                }
            }
        }

        mutating func randomPeer(for vpc: VPC) -> SecurityGroupRule.Peer {
            switch rng.int(0...9) {
            case 0...5:
                return .cidr(randomRuleCIDR())
            case 6:
                let lists = network.prefixLists.filter { $0.region == vpc.region }
                return rng.anyOf(lists).map { .prefixList($0.id) } ?? .cidr(.any)
            default:
                // Own groups, or groups of a peered VPC in the same region (the only cross-VPC kind AWS allows).
                let peered = network.peerings.compactMap { $0.peer(of: vpc.id) }
                    .filter { peerID in network.vpcs.first { $0.id == peerID }?.region == vpc.region }
                let candidates = network.securityGroups.filter { $0.vpcID == vpc.id || peered.contains($0.vpcID) }
                return rng.anyOf(candidates).map { .securityGroup($0.id) } ?? .cidr(.any)
            }
        }

        mutating func randomSGRule(for vpc: VPC) -> SecurityGroupRule {
            let (ipProtocol, ports, icmp) = randomProtocol()
            return SecurityGroupRule(ipProtocol: ipProtocol, ports: ports, icmp: icmp, peer: randomPeer(for: vpc))
        }

        mutating func fillSecurityGroups(_ vpc: VPC) {
            for index in network.securityGroups.indices where network.securityGroups[index].vpcID == vpc.id {
                var ingress: [SecurityGroupRule] = []
                for _ in 0..<rng.int(0...4) { ingress.append(randomSGRule(for: vpc)) }
                // Often one broad rule, so that a good share of flows gets past the first group and
                // exercises the hops behind it.
                if rng.chance(0.5) {
                    let broad: [CIDR] = [.any, CIDR(masking: IPv4Address(10, 0, 0, 0), length: 8)]
                    ingress.append(SecurityGroupRule(ipProtocol: rng.chance(0.7) ? .all : .tcp, peer: .cidr(rng.anyOf(broad) ?? .any)))
                }
                network.securityGroups[index].ingress = ingress
                if rng.chance(0.35) {
                    var egress: [SecurityGroupRule] = []
                    for _ in 0..<rng.int(0...3) { egress.append(randomSGRule(for: vpc)) }
                    network.securityGroups[index].egress = egress
                }
            }
        }
    }
}
