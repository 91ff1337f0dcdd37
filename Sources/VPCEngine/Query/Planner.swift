import VPCModel

/// A source of planned flows: an interface, or one cell of internet addresses.
enum PlannedSource: Hashable, Sendable {
    case interface(UInt32)
    case internet(AddressCell)
    /// One cell of an on-premises network's addresses (docs/semantics.md §4c).
    case onPrem(UInt32, AddressCell)
}

/// Addresses lower…upper (inclusive) that every rule and route of the network treats alike.
struct AddressCell: Hashable, Sendable {
    var lower: UInt32
    var upper: UInt32
    /// 8.8.8.8: the address people expect to see for "the internet" in a path, a trace or a capture.
    static let familiarAddress: UInt32 = 0x0808_0808

    /// Any address of the cell answers for all; 8.8.8.8 reads better in a trace than 1.0.0.0.
    var representative: UInt32 { lower <= Self.familiarAddress && Self.familiarAddress <= upper ? Self.familiarAddress : lower }
}

/// What a source sends to: one interface's address, or a set of address cells.
struct PlannedTarget: Sendable {
    var label: String
    var interface: UInt32?
    var addressCells: [AddressCell]
    /// Set when the source has no address for this interface at all (another, unconnected VPC and
    /// no public IP): nothing can be sent, which the answer reports as blocked at the source's table.
    var unaddressable = false
    /// `Delivery.code` of what must receive the packets for the target to count as reached: the
    /// interface, the internet, the on-premises network; nil when any holder of the address will do.
    var expected: UInt32? = nil
}

/// One protocol and a destination-port cell, with the client source ports to try.
struct Lane: Sendable {
    var ipProtocol: UInt8
    var portLower: UInt16
    var portUpper: UInt16
    var sourcePorts: [UInt16]
}

/// A path through a load balancer to a destination in one of its target groups.
struct ProxyPath: Sendable {
    var loadBalancer: UInt32
    var listener: UInt32
    /// TCP or UDP: a TCP_UDP listener is a path for each.
    var ipProtocol: UInt8
    var node: UInt32
    var clientAddress: UInt32
    var target: UInt32
    var targetLabel: String
    var sourcePorts: [UInt16]
}

/// What the one load-balancer composition decided for a path: the verdict of the flow that decides
/// (the first dropped client flow or leg, else the first client flow), that flow, what the caller
/// recorded for it, the flows a capture shows, and how many flows were judged.
struct ProxyOutcome<Extra> {
    var verdict: Verdict
    var decidingFlow: Flow
    var extra: Extra
    var representative: RepresentativeFlow
    var flows: Int
    var reachable: Bool { verdict.reachable }
}

/// What takes a question's plan (`Planner.plan`) piece by piece: an answer evaluates each piece as it
/// comes, the matrix appends its flows to a batch. Generic rather than a closure over an enum, so
/// that the walk hands its pieces over without copying them (the matrix takes millions).
protocol PlanConsumer {
    /// The source has no address for the target: blocked at its route table, nothing to evaluate.
    mutating func recordUnaddressable(source: PlannedSource, target: PlannedTarget)
    /// Every lane to every one of `cells`, lane by lane: per cell, a flow per client port of the lane
    /// to the cell's representative address. A whole target at once, so that the matrix fills its
    /// batch in one tight loop.
    mutating func evaluate(source: PlannedSource, target: PlannedTarget, lanes: [Lane], cells: [AddressCell])
    /// The client flows to a load balancer node, then the node's legs to the target.
    mutating func evaluate(source: PlannedSource, proxy: ProxyPath)
}

/// The Planner: cuts a question into cells — protocol × destination port × destination address —
/// at every boundary any rule or route of the network uses, so that one representative flow per cell
/// answers for all its packets (every rule is a union of such boxes). Source ports are cut at the
/// network ACLs' port boundaries inside the client's ephemeral range, since only ACLs look at them
/// (on the response).
struct Planner: Sendable {
    let plane: DataPlane
    /// Sorted boundaries (first address of a run) over the whole IPv4 space, as UInt64 to hold 2^32.
    let addressBoundaries: [UInt64]
    let portBoundaries: [Int]
    let aclPortBoundaries: [Int]
    /// Protocol numbers rules name besides icmp/tcp/udp, plus one that no rule names.
    let otherProtocols: [UInt8]
    /// The representative of every protocol number no rule names (the last of `otherProtocols`).
    let unnamedProtocol: UInt8?
    /// The cells of `internet` (see `isInternet`), cut once: every question and every matrix pair
    /// with the internet at one end walks them.
    private(set) var internetCells: [AddressCell] = []
    /// Per VPC with NAT gateways: the port boundaries of the ACLs that see a NAT's remapped source
    /// port (its own subnet's, on the response; every ACL for a private NAT, whose traffic stays private).
    private(set) var natPortBoundaries: [UInt32: [Int]] = [:]
    /// Whether some NAT gateway sits in a VPC attached to a transit gateway.
    private(set) var natBehindTransitGateway = false
    /// Per VPC: the public addresses of its public NAT gateways (what a load balancer sees of a client behind one).
    private(set) var natPublicAddresses: [UInt32: [UInt32]] = [:]

    init(plane: DataPlane) {
        self.plane = plane
        let network = plane.network
        var cidrs: [CIDR] = network.vpcs.flatMap(\.cidrs) + network.prefixLists.flatMap(\.cidrs) + network.services.flatMap(\.addresses)
        for group in network.securityGroups {
            for rule in group.ingress + group.egress { if case .cidr(let c) = rule.peer { cidrs.append(c) } }
        }
        for acl in network.networkACLs { cidrs += (acl.ingress + acl.egress).map(\.cidr) }
        for table in network.routeTables {
            for route in table.routes { if case .cidr(let c) = route.destination { cidrs.append(c) } }
        }
        for tgw in network.transitGateways {
            for table in tgw.routeTables {
                for route in table.routes { if case .cidr(let c) = route.destination { cidrs.append(c) } }
            }
        }
        cidrs += network.onPremNetworks.flatMap(\.cidrs) + network.vpnConnections.flatMap(\.prefixes)
            + network.directConnectGateways.flatMap(\.prefixes)
        cidrs += IPv4Address.nonPublicBlocks
        var points: Set<UInt64> = [0, 1 << 32]
        for c in cidrs { points.insert(UInt64(c.network.value)); points.insert(UInt64(c.last.value) + 1) }
        for eni in network.interfaces {
            for address in eni.privateIPs + [eni.publicIP].compactMap({ $0 }) {
                points.insert(UInt64(address.value)); points.insert(UInt64(address.value) + 1)
            }
        }
        addressBoundaries = points.sorted()

        var ports: Set<Int> = [0, 65536], aclPorts: Set<Int> = [0, 65536]
        var protocols: Set<Int16> = []
        for group in network.securityGroups {
            for rule in group.ingress + group.egress {
                protocols.insert(rule.ipProtocol.number)
                if rule.ipProtocol.hasPorts { ports.insert(Int(rule.ports.lower)); ports.insert(Int(rule.ports.upper) + 1) }
            }
        }
        for acl in network.networkACLs {
            for entry in acl.ingress + acl.egress {
                protocols.insert(entry.ipProtocol.number)
                if entry.ipProtocol.hasPorts {
                    ports.insert(Int(entry.ports.lower)); ports.insert(Int(entry.ports.upper) + 1)
                    aclPorts.insert(Int(entry.ports.lower)); aclPorts.insert(Int(entry.ports.upper) + 1)
                }
            }
        }
        for lb in network.loadBalancers { for l in lb.listeners { ports.insert(Int(l.port)); ports.insert(Int(l.port) + 1) } }
        portBoundaries = ports.sorted()
        aclPortBoundaries = aclPorts.sorted()
        var others = protocols.filter { $0 > 0 && $0 != 1 && $0 != 6 && $0 != 17 }.map { UInt8($0) }.sorted()
        let unnamed = ([47, 50, 132, 4, 41, 2] as [UInt8]).first { !others.contains($0) }
        if let unnamed { others.append(unnamed) }
        otherProtocols = others
        unnamedProtocol = unnamed
        internetCells = cells(from: 0, to: .max, where: isInternet)
        for (n, nat) in plane.natGateways.enumerated() where nat.subnet != noIndex {
            let vpc = plane.subnets[Int(nat.subnet)].vpc
            let acl = plane.subnets[Int(nat.subnet)].networkACL
            var boundaries: Set<Int> = []
            if !nat.isPublic { boundaries.formUnion(aclPorts) }
            else if acl != noIndex, Int(acl) < network.networkACLs.count {
                for entry in network.networkACLs[Int(acl)].ingress + network.networkACLs[Int(acl)].egress where entry.ipProtocol.hasPorts {
                    boundaries.insert(Int(entry.ports.lower)); boundaries.insert(Int(entry.ports.upper) + 1)
                }
            }
            natPortBoundaries[vpc] = Array(Set(natPortBoundaries[vpc] ?? []).union(boundaries)).sorted()
            if plane.transitGateways.indices.contains(where: { plane.isAttached(vpc, to: UInt32($0)) }) { natBehindTransitGateway = true }
            if nat.isPublic, n < network.natGateways.count, let eip = network.natGateways[n].elasticIP {
                natPublicAddresses[vpc, default: []].append(eip.value)
            }
        }
    }

    /// Client ports at which a port remapped by `Evaluator.natPort(address, port)` (a NAT gateway's
    /// source port, a load balancer leg's) crosses one of `boundaries` or wraps round: the remapped
    /// port is (offset + port) mod 64512 shifted by 1024, so each boundary has one or two preimages.
    static func remappedCuts(_ address: UInt32, _ boundaries: [Int]) -> [Int] {
        let offset = Int((UInt64(address) << 16) % 64512)
        var cuts: [Int] = []
        var wrap = (64512 - offset) % 64512
        while wrap <= 65535 { cuts.append(wrap); wrap += 64512 }
        for b in boundaries where b > 1024 && b <= 65535 {
            var p = ((b - 1024 - offset) % 64512 + 64512) % 64512
            while p <= 65535 { cuts.append(p); p += 64512 }
        }
        return cuts
    }

    // MARK: - Address cells

    func cells(from lower: UInt32, to upper: UInt32, where keep: (UInt32) -> Bool) -> [AddressCell] {
        var result: [AddressCell] = []
        var i = plane.lowerBound(addressBoundaries, UInt64(lower))
        if i < addressBoundaries.count, addressBoundaries[i] > UInt64(lower) { i -= 1 }
        var start = UInt64(lower)
        while start <= UInt64(upper) {
            let next = i + 1 < addressBoundaries.count ? addressBoundaries[i + 1] : (1 << 32)
            let end = min(next - 1, UInt64(upper))
            let cell = AddressCell(lower: UInt32(start), upper: UInt32(end))
            if keep(cell.lower) { result.append(cell) }
            start = end + 1
            i += 1
        }
        return result
    }

    /// docs/DESIGN "Queries": public, outside every VPC CIDR, outside known service ranges, and not a
    /// public IP of the network's own interfaces.
    func isInternet(_ address: UInt32) -> Bool {
        isPublicOutsideVPCs(address) && plane.service(containing: address) == noIndex && plane.publicOwner(of: address) == noIndex
            && !plane.isOnPrem(address)
    }

    func isPublicOutsideVPCs(_ address: UInt32) -> Bool {
        guard IPv4Address(address).isPublic else { return false }
        for vpc in plane.vpcs.indices where plane.isInVPCCIDRs(address, vpc: UInt32(vpc)) { return false }
        return true
    }

    // MARK: - Sources and targets

    func sources(_ endpoint: ResolvedEndpoint) -> [PlannedSource] {
        switch endpoint {
        case .interfaces(let list, _): return list.map { .interface($0) }
        case .internet(let only):
            guard let only else { return internetCells.map { .internet($0) } }
            // Addresses the user names are taken as given (even inside a service's range), as long as
            // they are public and outside the network's VPCs.
            return only.flatMap { cells(from: $0.network.value, to: $0.last.value, where: isPublicOutsideVPCs) }.map { .internet($0) }
        case .onPrem(let site, let only):
            let ranges = only ?? plane.network.onPremNetworks[Int(site)].cidrs
            return ranges.flatMap { cells(from: $0.network.value, to: $0.last.value, where: { _ in true }) }.map { .onPrem(site, $0) }
        case .service, .addresses: return []
        }
    }

    func vpc(of source: PlannedSource) -> UInt32 {
        if case .interface(let i) = source { return plane.interfaces[Int(i)].vpc }
        return noIndex
    }

    /// Whether two VPCs reach each other's private addresses (peering, a shared transit gateway, or
    /// two transit gateways peered with each other).
    func connected(_ a: UInt32, _ b: UInt32) -> Bool {
        if a == b { return true }
        guard a != noIndex, b != noIndex else { return false }
        for p in plane.peerings where (p.requester == a && p.accepter == b) || (p.requester == b && p.accepter == a) { return true }
        for g in plane.transitGateways.indices where plane.isAttached(a, to: UInt32(g)) {
            if plane.isAttached(b, to: UInt32(g)) { return true }
            for x in plane.transitGateways[g].attachments.indices where plane.tgwAttachments[x].kind == .peering {
                let peer = plane.tgwAttachments[x].resource
                if peer != noIndex && plane.isAttached(b, to: peer) { return true }
            }
        }
        return false
    }

    /// The address a source uses for an interface: its private IP from its own or a connected VPC (as
    /// DNS resolves an EC2 name inside a VPC), else its public IP when it has one.
    /// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html#vpc-dns-hostnames
    func address(of destination: UInt32, from source: PlannedSource) -> UInt32? {
        let eni = plane.interfaces[Int(destination)]
        guard !eni.addresses.isEmpty else { return eni.hasPublicIP ? eni.publicIP : nil }
        // The internet can address public IPs only (docs/semantics.md §10); on premises, names
        // resolve to private addresses (hybrid DNS), which the VPN or Direct Connect carries.
        if case .internet = source { return eni.hasPublicIP ? eni.publicIP : nil }
        if case .onPrem = source { return eni.primaryIP }
        if connected(vpc(of: source), eni.vpc) { return eni.primaryIP }
        return eni.hasPublicIP ? eni.publicIP : nil
    }

    func targets(for source: PlannedSource, to endpoint: ResolvedEndpoint, notes: inout [String]) -> [PlannedTarget] {
        switch endpoint {
        case .interfaces(let list, _):
            return list.compactMap { d -> PlannedTarget? in
                if case .interface(let s) = source, s == d { return nil }
                guard let address = address(of: d, from: source) else {
                    return PlannedTarget(label: plane.name(of: .interface, d), interface: d, addressCells: [], unaddressable: true)
                }
                return PlannedTarget(label: plane.name(of: .interface, d), interface: d,
                                     addressCells: [AddressCell(lower: address, upper: address)], expected: d)
            }
        case .internet:
            return [PlannedTarget(label: "internet", interface: nil, addressCells: internetCells, expected: Delivery.internetCode)]
        case .onPrem(let site, _):
            let network = plane.network.onPremNetworks[Int(site)]
            return [PlannedTarget(label: network.name, interface: nil,
                                  addressCells: network.cidrs.flatMap { cells(from: $0.network.value, to: $0.last.value, where: { _ in true }) })]
        case .addresses(let cidrs, let label):
            // An on-premises network by name is reached only when its own network receives the packets.
            let site = plane.network.onPremNetworks.firstIndex { $0.name == label && $0.cidrs == cidrs }
            return [PlannedTarget(label: label, interface: nil,
                                  addressCells: cidrs.flatMap { cells(from: $0.network.value, to: $0.last.value, where: { _ in true }) },
                                  expected: site.map { Delivery.onPrem(UInt32($0)).code })]
        case .service(let name):
            return serviceTargets(name, for: source, notes: &notes)
        }
    }

    /// With private DNS, a service name resolves to the endpoint's interface in the caller's AZ; in
    /// a VPC with such an endpoint but no interface in that AZ, to its interfaces in the other AZs;
    /// elsewhere to the service's public addresses.
    /// https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-dns-hostnames
    func serviceTargets(_ name: String, for source: PlannedSource, notes: inout [String]) -> [PlannedTarget] {
        let network = plane.network
        if case .interface(let s) = source {
            let eni = plane.interfaces[Int(s)]
            let zone = eni.subnet == noIndex ? noIndex : plane.subnets[Int(eni.subnet)].zone
            for (e, endpoint) in network.endpoints.enumerated()
            where endpoint.kind == .interface && endpoint.service == name && endpoint.privateDNS && plane.endpoints[e].vpc == eni.vpc {
                let nodes = endpoint.interfaceIDs.compactMap { plane.interfaceIndex(id: $0) }
                let local = nodes.filter { plane.interfaces[Int($0)].subnet != noIndex && plane.subnets[Int(plane.interfaces[Int($0)].subnet)].zone == zone }
                let chosen = local.isEmpty ? nodes : local
                if local.isEmpty && !nodes.isEmpty {
                    notes.append("\(plane.name(of: .interface, s)): \(name) has no endpoint interface in its AZ; private DNS returns the others")
                }
                return chosen.map { node in
                    PlannedTarget(label: "\(name) (\(plane.name(of: .interface, node)))", interface: node,
                                  addressCells: [AddressCell(lower: plane.interfaces[Int(node)].primaryIP, upper: plane.interfaces[Int(node)].primaryIP)])
                }
            }
        }
        let region = vpc(of: source) == noIndex ? nil : network.vpcs[Int(vpc(of: source))].region
        let sameName = network.services.filter { $0.name == name }
        guard let service = sameName.first(where: { $0.region == region }) ?? sameName.first else {
            notes.append("\(name): no endpoint in this VPC and no known public addresses")
            return []
        }
        let cells = service.addresses.flatMap { c in self.cells(from: c.network.value, to: c.last.value, where: { _ in true }) }
        return [PlannedTarget(label: name, interface: nil, addressCells: cells)]
    }

    // MARK: - The plan of a question

    /// Walks every piece of work of "from `sources` to `endpoint`" in the order an answer evaluates
    /// them: per source and target, the unaddressable mark, the cells (lane × address), then the
    /// paths through load balancers. `QueryEngine.answer` evaluates them one by one and the matrix
    /// batches them; one walk keeps the two in agreement.
    func plan<Consumer: PlanConsumer>(_ sources: [PlannedSource], to endpoint: ResolvedEndpoint, named toText: String, query: Query,
                                      notes: inout [String], into consumer: inout Consumer) {
        for source in sources {
            let targets = targets(for: source, to: endpoint, notes: &notes)
            let lanes = lanes(query: query, source: source)
            if targets.isEmpty { notes.append("\(sourceName(source)): '\(toText)' stands for no address to send to") }
            for target in targets {
                let proxies = loadBalancerPaths(for: source, target: target, query: query)
                // No address for the destination is no path, not a blocked one, when a load balancer
                // leads to it; with none, the answer says why nothing can be sent (§10).
                if target.unaddressable {
                    if proxies.isEmpty { consumer.recordUnaddressable(source: source, target: target) }
                    else { notes.append(unaddressableNote(source, target)) }
                }
                let cells = askedCells(of: target, from: source)
                if !cells.isEmpty { consumer.evaluate(source: source, target: target, lanes: lanes, cells: cells) }
                for proxy in proxies { consumer.evaluate(source: source, proxy: proxy) }
            }
        }
    }

    func unaddressableNote(_ source: PlannedSource, _ target: PlannedTarget) -> String {
        if case .internet = source {
            return "\(target.label) has no public IP: from the internet it is reached only through its load balancer"
        }
        return "\(sourceName(source)) has no address for \(target.label) (another VPC, no public IP): it is reached only through its load balancer"
    }

    /// The target's address cells, but for a single address of the source's own: talking to itself
    /// answers nothing.
    func askedCells(of target: PlannedTarget, from source: PlannedSource) -> [AddressCell] {
        guard case .interface(let s) = source, target.interface == nil else { return target.addressCells }
        let own = plane.interfaces[Int(s)].addresses.indices.map { plane.interfaceAddresses[$0] }
        return target.addressCells.filter { !($0.lower == $0.upper && own.contains($0.lower)) }
    }

    func sourceName(_ source: PlannedSource) -> String {
        switch source {
        case .interface(let i): return plane.name(of: .interface, i)
        case .internet(let cell): return "internet (\(IPv4Address(cell.representative)))"
        case .onPrem(let site, let cell): return "\(plane.name(of: .onPrem, site)) (\(IPv4Address(cell.representative)))"
        }
    }

    // MARK: - Protocols and ports

    /// `other` for the one protocol number no rule names: it stands for all of them, not for itself.
    func protocolLabel(_ p: UInt8) -> String { trafficProtocol(p).label }

    func trafficProtocol(_ p: UInt8) -> TrafficProtocol { p == unnamedProtocol ? .other : .number(p) }

    /// The protocols every question without one asks about, in the order answers list them.
    var trafficProtocolOrder: [UInt8] { [6, 17, 1] + otherProtocols }

    func ephemeralPorts(_ source: PlannedSource) -> PortRange {
        switch source {
        case .internet, .onPrem: return .awsEphemeral
        case .interface(let i):
            let eni = plane.interfaces[Int(i)]
            switch eni.owner {
            case .loadBalancer, .natGateway: return .awsEphemeral
            case .workload:
                let kind = Int(eni.ownerIndex) < plane.network.workloads.count ? plane.network.workloads[Int(eni.ownerIndex)].kind : ""
                return kind == "lambda" ? .awsEphemeral : .linuxEphemeral
            default: return .linuxEphemeral
            }
        }
    }

    /// One client port per ACL port cell of the source's ephemeral range (Lambda and load balancers
    /// use 1024–65535, Linux 32768–60999). docs/DESIGN "Network ACLs". The cells are also cut where a
    /// port remapped on the way crosses an ACL edge (docs/semantics.md §10): a NAT gateway of the
    /// source's VPC remaps it (`natPort` of the source's address), and so does a load balancer's leg
    /// (of the client's address as the load balancer sees it: its own, or its NAT gateway's).
    func sourcePorts(_ source: PlannedSource, throughLoadBalancer: Bool = false) -> [UInt16] {
        let range = ephemeralPorts(source)
        var cuts = aclPortBoundaries
        switch source {
        case .interface(let i):
            let eni = plane.interfaces[Int(i)]
            if let boundaries = natPortBoundaries[eni.vpc] { cuts += Self.remappedCuts(eni.primaryIP, boundaries) }
            // Over a transit gateway a source may use a NAT gateway of another VPC (centralized
            // egress), whose remapped port any ACL on the way may judge: cut at all of them.
            if natBehindTransitGateway, plane.transitGateways.indices.contains(where: { plane.isAttached(eni.vpc, to: UInt32($0)) }) {
                cuts += Self.remappedCuts(eni.primaryIP, aclPortBoundaries)
            }
            if throughLoadBalancer {
                // The leg's port is natPort of the client's address as the load balancer sees it: its private
                // IP, its public IP, or its NAT gateway's (which keeps the client port on the way).
                cuts += Self.remappedCuts(eni.primaryIP, aclPortBoundaries)
                if eni.hasPublicIP { cuts += Self.remappedCuts(eni.publicIP, aclPortBoundaries) }
                for nat in natPublicAddresses[eni.vpc] ?? [] { cuts += Self.remappedCuts(nat, aclPortBoundaries) }
            }
        case .internet(let cell), .onPrem(_, let cell):
            // Over a transit gateway an external client may reach a NAT gateway (an on-premises host
            // to the internet through an egress VPC): cut where its remapped port crosses an ACL edge.
            if case .onPrem = source, natBehindTransitGateway { cuts += Self.remappedCuts(cell.representative, aclPortBoundaries) }
            // The internet's client range is 1024–65535, 64512 ports: natPort maps it one to one onto
            // 1024–65535, so the representative address's cuts hold for the cell.
            if throughLoadBalancer { cuts += Self.remappedCuts(cell.representative, aclPortBoundaries) }
        }
        var result: [UInt16] = [range.lower]
        for b in Set(cuts).sorted() where b > Int(range.lower) && b <= Int(range.upper) { result.append(UInt16(b)) }
        // Any port of a cell answers for it; the cell holding 40000 goes first, as 40000, so that
        // the flows shown in traces and captures carry a familiar client port.
        let preferred = representativeSourcePort(source)
        if let cell = result.lastIndex(where: { $0 <= preferred }) {
            result.remove(at: cell)
            result.insert(preferred, at: 0)
        }
        return result
    }

    func representativeSourcePort(_ source: PlannedSource) -> UInt16 {
        let range = ephemeralPorts(source)
        return range.contains(40000) ? 40000 : range.lower
    }

    func portCells(_ range: PortRange) -> [(UInt16, UInt16)] {
        var result: [(UInt16, UInt16)] = []
        var start = Int(range.lower)
        for b in portBoundaries where b > start && b <= Int(range.upper) + 1 {
            result.append((UInt16(start), UInt16(b - 1)))
            start = b
        }
        if start <= Int(range.upper) { result.append((UInt16(start), range.upper)) }
        return result
    }

    func lanes(query: Query, source: PlannedSource) -> [Lane] {
        let ports = sourcePorts(source)
        var protocols: [UInt8]
        if let p = query.ipProtocol, !p.isAll { protocols = [UInt8(p.number)] } else { protocols = [6, 17, 1] + otherProtocols }
        var lanes: [Lane] = []
        for p in protocols {
            if p == 6 || p == 17 {
                for (low, high) in portCells(query.ports ?? .all) {
                    lanes.append(Lane(ipProtocol: p, portLower: low, portUpper: high, sourcePorts: ports))
                }
            } else {
                lanes.append(Lane(ipProtocol: p, portLower: 0, portUpper: 0, sourcePorts: [0]))
            }
        }
        return lanes
    }

    func flow(source: PlannedSource, destination: UInt32, ipProtocol: UInt8, port: UInt16, sourcePort: UInt16) -> Flow {
        let hasPorts = ipProtocol == 6 || ipProtocol == 17
        var flow = Flow(source: 0, destination: destination, ipProtocol: ipProtocol, sourcePort: hasPorts ? sourcePort : 0,
                        destinationPort: hasPorts ? port : 0, icmpType: ipProtocol == 1 ? 8 : 0, icmpCode: 0)
        switch source {
        case .interface(let i): flow.source = i
        case .internet(let cell): flow.source = Flow.internet; flow.externalSource = cell.representative
        case .onPrem(let site, let cell): flow.source = Flow.onPrem(site); flow.externalSource = cell.representative
        }
        return flow
    }

    /// The flow of `lane` to a cell's representative address from one client port.
    func flow(source: PlannedSource, to cell: AddressCell, lane: Lane, sourcePort: UInt16) -> Flow {
        flow(source: source, destination: cell.representative, ipProtocol: lane.ipProtocol, port: lane.portLower, sourcePort: sourcePort)
    }

    // MARK: - Load balancers (docs/semantics.md §7)

    /// The client side of a path through a load balancer: the listener's protocol and port, from every
    /// client port of the source.
    func clientLane(_ proxy: ProxyPath) -> Lane {
        let listener = plane.listeners[Int(proxy.listener)]
        return Lane(ipProtocol: proxy.ipProtocol, portLower: listener.port, portUpper: listener.port, sourcePorts: proxy.sourcePorts)
    }

    /// Paths to `target` through each load balancer listener whose target group holds it.
    func loadBalancerPaths(for source: PlannedSource, target: PlannedTarget, query: Query) -> [ProxyPath] {
        guard let destination = target.interface, plane.interfaces[Int(destination)].owner != .loadBalancer else { return [] }
        let network = plane.network
        let eni = network.interfaces[Int(destination)]
        var paths: [ProxyPath] = []
        for (b, lb) in network.loadBalancers.enumerated() {
            for l in plane.loadBalancers[b].listeners.indices {
                let listener = plane.listeners[l]
                guard listener.targetGroup != noIndex else { continue }
                let group = network.targetGroups[Int(listener.targetGroup)]
                let holds = group.targets.contains { t in
                    switch t {
                    case .interface(let id): return id == eni.id
                    case .ip(let address): return eni.privateIPs.contains(address)
                    }
                }
                guard holds else { continue }
                if let ports = query.ports, !ports.contains(listener.port) { continue }
                // A TCP_UDP listener takes both: one path each (docs/semantics.md §10).
                let protocols = ([6, 17] as [UInt8]).filter { p in
                    listener.accepts(ipProtocol: p, port: listener.port) && (query.ipProtocol.map { $0.isAll || UInt8($0.number) == p } ?? true)
                }
                guard !protocols.isEmpty else { continue }
                let clientPorts = sourcePorts(source, throughLoadBalancer: true)
                for nodeID in lb.interfaceIDs {
                    guard let node = plane.interfaceIndex(id: nodeID), let address = address(of: node, from: source) else { continue }
                    if case .interface(let s) = source, s == node { continue }
                    for p in protocols {
                        paths.append(ProxyPath(loadBalancer: UInt32(b), listener: UInt32(l), ipProtocol: p, node: node, clientAddress: address,
                                               target: destination, targetLabel: target.label, sourcePorts: clientPorts))
                    }
                }
            }
        }
        return paths
    }

    /// The one composition of a connection through a load balancer (docs/semantics.md §7, §10): the
    /// client flow to the node from every client port of the source, then, for each, the node's legs
    /// to the asked-for target. Reachable only when every client flow and every leg is; otherwise the
    /// first flow that is not decides. `evaluate` judges one flow (with whatever the caller records).
    /// The one rule that a delivered flow reached its target (docs/semantics.md §12): the packets must
    /// reach what the question named, not another holder of the address (an overlapping VPC, an
    /// on-premises range routed over a VPN). Otherwise the flow is blocked where it was delivered.
    func judged(_ verdict: Verdict, expecting expected: UInt32?) -> Verdict {
        guard verdict.reachable, let expected, verdict.delivered.code != expected else { return verdict }
        var blocked = verdict
        blocked.reachable = false
        blocked.reason = .deliveredElsewhere
        blocked.direction = .request
        switch verdict.delivered {
        case .interface(let i), .interfaceEndpoint(_, let i): blocked.dropKind = .interface; blocked.dropEntity = i
        case .internet: blocked.dropKind = .internet; blocked.dropEntity = 0
        case .service(let s): blocked.dropKind = .service; blocked.dropEntity = s
        case .onPrem(let n): blocked.dropKind = .onPrem; blocked.dropEntity = n
        case .none: blocked.dropKind = .internet; blocked.dropEntity = 0
        }
        return blocked
    }

    func composeThroughLoadBalancer<Extra>(source: PlannedSource, proxy: ProxyPath,
                                           evaluate: (Flow) -> (Verdict, Extra)) -> ProxyOutcome<Extra> {
        let lane = clientLane(proxy)
        let cell = AddressCell(lower: proxy.clientAddress, upper: proxy.clientAddress)
        var last: ProxyOutcome<Extra>?
        var flows = 0
        for sourcePort in proxy.sourcePorts {
            let client = flow(source: source, to: cell, lane: lane, sourcePort: sourcePort)
            let (delivered, extra) = evaluate(client)
            let verdict = judged(delivered, expecting: proxy.node)
            flows += 1
            guard verdict.reachable else {
                return ProxyOutcome(verdict: verdict, decidingFlow: client, extra: extra, representative: RepresentativeFlow(flow: client), flows: flows)
            }
            let legs = loadBalancerLegs(client: client, verdict: verdict, lbNode: proxy.node).filter { $0.target == proxy.target }.map(\.flow)
            for leg in legs {
                let (legDelivered, legExtra) = evaluate(leg)
                let legVerdict = judged(legDelivered, expecting: proxy.target)
                flows += 1
                if !legVerdict.reachable {
                    return ProxyOutcome(verdict: legVerdict, decidingFlow: leg, extra: legExtra,
                                        representative: RepresentativeFlow(flow: client, legs: [leg]), flows: flows)
                }
            }
            if last == nil { last = ProxyOutcome(verdict: verdict, decidingFlow: client, extra: extra, representative: RepresentativeFlow(flow: client, legs: legs), flows: 0) }
        }
        // proxy.sourcePorts is never empty (a source has at least one client port).
        guard var outcome = last else {
            let client = flow(source: source, to: cell, lane: lane, sourcePort: representativeSourcePort(source))
            let (verdict, extra) = evaluate(client)
            return ProxyOutcome(verdict: verdict, decidingFlow: client, extra: extra, representative: RepresentativeFlow(flow: client), flows: flows + 1)
        }
        outcome.flows = flows
        return outcome
    }

    /// The connections a load balancer opens for a client flow it accepted: one per target of the
    /// listener's target group, from its node in the target's AZ (else its first node).
    func loadBalancerLegs(client: Flow, verdict: Verdict, lbNode: UInt32) -> [(flow: Flow, target: UInt32?)] {
        let network = plane.network
        let node = plane.interfaces[Int(lbNode)]
        guard node.owner == .loadBalancer, verdict.wasDelivered else { return [] }
        let listeners = plane.loadBalancers[Int(node.ownerIndex)].listeners
        guard let l = listeners.indices.first(where: { plane.listeners[$0].accepts(ipProtocol: client.ipProtocol, port: client.destinationPort) }),
              plane.listeners[l].targetGroup != noIndex else { return [] }
        let group = network.targetGroups[Int(plane.listeners[l].targetGroup)]
        return group.targets.compactMap { target in
            switch target {
            case .interface(let id):
                guard let t = plane.interfaceIndex(id: id) else { return nil }
                return legFlow(client: client, verdict: verdict, lb: node.ownerIndex, group: group, to: plane.interfaces[Int(t)].primaryIP,
                               zoneOf: t).map { ($0, t) }
            case .ip(let address):
                // An IP target is the interface that holds the address in the load balancer's VPC, when one does:
                // the composition matches legs to the asked-for interface by it.
                let owner = plane.owner(of: address.value, inVPC: node.vpc)
                let target: UInt32? = owner == noIndex ? nil : owner
                return legFlow(client: client, verdict: verdict, lb: node.ownerIndex, group: group, to: address.value, zoneOf: target)
                    .map { ($0, target) }
            }
        }
    }

    func legFlow(client: Flow, verdict: Verdict, lb: UInt32, group: TargetGroup, to address: UInt32, zoneOf target: UInt32?) -> Flow? {
        let network = plane.network
        let nodes = network.loadBalancers[Int(lb)].interfaceIDs.compactMap { plane.interfaceIndex(id: $0) }
        guard let first = nodes.first else { return nil }
        var from = first
        if let target, plane.interfaces[Int(target)].subnet != noIndex {
            let zone = plane.subnets[Int(plane.interfaces[Int(target)].subnet)].zone
            from = nodes.first { plane.interfaces[Int($0)].subnet != noIndex && plane.subnets[Int(plane.interfaces[Int($0)].subnet)].zone == zone } ?? first
        }
        let name = group.targetProtocol.uppercased()
        let ipProtocol: UInt8 = name == "UDP" ? 17 : (name == "TCP_UDP" ? client.ipProtocol : 6)
        return Flow(source: from, destination: address, ipProtocol: ipProtocol,
                    sourcePort: Evaluator.natPort(verdict.translatedSource, client.sourcePort), destinationPort: group.port)
    }
}
