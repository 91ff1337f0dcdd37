import VPCModel

/// What a query endpoint stands for, resolved against one network.
enum ResolvedEndpoint: Sendable, Hashable {
    /// Interfaces (a workload, an SG's members, a subnet's, a load balancer's nodes, one ENI).
    case interfaces([UInt32], label: String)
    /// Public addresses outside the network's VPCs and outside the known AWS service ranges;
    /// as a source, optionally only some public addresses.
    case internet(only: [CIDR]?)
    /// An AWS service by short name (`s3`, `secretsmanager`).
    case service(String)
    /// Addresses given as an IP or CIDR that no interface holds.
    case addresses([CIDR], label: String)
    /// An on-premises network as a source (optionally only some of its addresses); as a destination
    /// it resolves to `addresses` of its CIDRs.
    case onPrem(UInt32, only: [CIDR]?)
}

/// Resolves query endpoint names (docs/DESIGN "Queries"): `internet`, an IP or CIDR, an AWS id (eni-,
/// i-, subnet-, sg-, …), a workload, interface, load balancer, NAT gateway, service, security group,
/// subnet or endpoint name — case-insensitively, in that order of preference.
struct EndpointResolver {
    let network: Network

    func indices(_ predicate: (NetworkInterface) -> Bool) -> [UInt32] {
        network.interfaces.indices.filter { predicate(network.interfaces[$0]) }.map { UInt32($0) }
    }

    /// CIDRs, subnets, VPCs and groups stand for the hosts in them: NAT gateway, endpoint and load
    /// balancer interfaces neither start connections nor are what a user means by "the subnet".
    func hosts(_ predicate: (NetworkInterface) -> Bool) -> [UInt32] {
        indices { eni in
            switch eni.owner {
            case .none, .workload: return predicate(eni)
            case .natGateway, .endpoint, .loadBalancer: return false
            }
        }
    }

    func resolve(_ text: String, asSource: Bool) throws(QueryError) -> ResolvedEndpoint {
        let raw = Self.trimmed(text)
        let key = raw.lowercased()
        if key == "internet" || key == "the internet" { return .internet(only: nil) }
        if let address = IPv4Address(raw) {
            let holders = network.interfaces.indices.filter { network.interfaces[$0].privateIPs.contains(address) || network.interfaces[$0].publicIP == address }
            if asSource {
                if !holders.isEmpty { return .interfaces(holders.map { UInt32($0) }, label: raw) }
                if let site = onPremNetwork(holding: address) { return .onPrem(site, only: [CIDR(network: address, length: 32)].compactMap { $0 }) }
                if address.isPublic { return .internet(only: [CIDR(network: address, length: 32)].compactMap { $0 }) }
                throw QueryError.noInterfaceHolds(raw, isCIDR: false)
            }
            return .addresses([CIDR(network: address, length: 32)].compactMap { $0 }, label: raw)
        }
        if raw.contains("/") {
            switch CIDR.parse(raw) {
            case .success(let cidr):
                if asSource {
                    let inside = hosts { $0.primaryIP.map(cidr.contains) ?? false }
                    if !inside.isEmpty { return .interfaces(inside, label: raw) }
                    if let site = onPremNetwork(holding: cidr.network), onPremNetwork(holding: cidr.last) == site { return .onPrem(site, only: [cidr]) }
                    if cidr.network.isPublic && cidr.last.isPublic { return .internet(only: [cidr]) }
                    throw QueryError.noInterfaceHolds(raw, isCIDR: true)
                }
                return .addresses([cidr], label: raw)
            case .failure(let error):
                throw QueryError.invalidCIDR(raw, problem: "\(error)", side: asSource ? .from : .to)
            }
        }
        func same(_ a: String) -> Bool { a.lowercased() == key }

        // AWS ids and names, most specific first.
        if let eni = network.interfaces.firstIndex(where: { same($0.id) || same($0.name) }) {
            return .interfaces([UInt32(eni)], label: network.interfaces[eni].name)
        }
        let instance = indices { $0.instanceID.map(same) ?? false }
        if !instance.isEmpty { return .interfaces(instance, label: raw) }
        if let workload = network.workloads.first(where: { same($0.id) || same($0.name) }) { return self.workload(workload) }
        if let lb = network.loadBalancers.first(where: { same($0.id) || same($0.name) }) { return loadBalancer(lb) }
        if let nat = network.natGateways.first(where: { same($0.id) || same($0.name) }) {
            return .interfaces(indices { $0.id == nat.interfaceID }, label: nat.name)
        }
        let serviceNames = Set(network.services.map(\.name) + network.endpoints.map(\.service))
        if let service = serviceNames.first(where: same) ?? serviceNames.first(where: { same(VPCEndpoint.shortServiceName(raw)) && $0 == VPCEndpoint.shortServiceName(raw) }) {
            if asSource {
                throw QueryError.serviceIsNotASource(service)
            }
            return .service(service)
        }
        if let group = network.securityGroups.first(where: { same($0.id) || same($0.name) }) {
            return .interfaces(hosts { $0.securityGroupIDs.contains(group.id) }, label: group.name)
        }
        if let subnet = network.subnets.first(where: { same($0.id) || same($0.name) }) {
            return .interfaces(hosts { $0.subnetID == subnet.id }, label: subnet.name)
        }
        if let endpoint = network.endpoints.first(where: { same($0.id) || same($0.name) }) {
            if endpoint.kind == .gateway || asSource == false { return .service(endpoint.service) }
            return .interfaces(indices { endpoint.interfaceIDs.contains($0.id) }, label: endpoint.name)
        }
        if let site = network.onPremNetworks.firstIndex(where: { same($0.name) }) {
            return asSource ? .onPrem(UInt32(site), only: nil) : .addresses(network.onPremNetworks[site].cidrs, label: network.onPremNetworks[site].name)
        }
        if let vpc = network.vpcs.first(where: { same($0.id) || same($0.name) }) {
            let subnets = Set(network.subnets.filter { $0.vpcID == vpc.id }.map(\.id))
            return .interfaces(hosts { subnets.contains($0.subnetID) }, label: vpc.name)
        }
        throw QueryError.unknownEndpoint(raw, side: asSource ? .from : .to, suggestion: suggestion(for: raw))
    }

    /// The first on-premises network holding `address`.
    func onPremNetwork(holding address: IPv4Address) -> UInt32? {
        network.onPremNetworks.firstIndex { $0.cidrs.contains { $0.contains(address) } }.map { UInt32($0) }
    }

    /// Without leading and trailing spaces.
    static func trimmed(_ text: String) -> String {
        String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    func workload(_ workload: Workload) -> ResolvedEndpoint {
        .interfaces(indices { workload.interfaceIDs.contains($0.id) }, label: workload.name)
    }

    func loadBalancer(_ lb: LoadBalancer) -> ResolvedEndpoint {
        .interfaces(indices { lb.interfaceIDs.contains($0.id) }, label: lb.name)
    }

    /// What starts connections: every workload with an interface, and every interface nothing owns
    /// (a bare ENI of an imported network), in model order. Load balancers, endpoints and NAT
    /// gateways only answer or forward.
    var hostEndpoints: [ResolvedEndpoint] {
        network.workloads.map(workload).filter { if case .interfaces(let list, _) = $0 { !list.isEmpty } else { false } }
            + indices { if case .none = $0.owner { true } else { false } }.map { .interfaces([$0], label: network.interfaces[Int($0)].name) }
    }

    /// The reachability matrix's rows when none are named: the hosts, the on-premises networks, then the internet.
    var defaultSources: [ResolvedEndpoint] {
        hostEndpoints + network.onPremNetworks.indices.map { .onPrem(UInt32($0), only: nil) } + [.internet(only: nil)]
    }

    /// The matrix's columns when none are named: the hosts, every load balancer (its listeners), every
    /// service an endpoint of the network serves (by name, as private DNS resolves it), then the
    /// internet. Services without an endpoint are left out: their public ranges are the internet's
    /// business, and a catalogue of every AWS service would bury the network's own columns.
    var defaultDestinations: [ResolvedEndpoint] {
        var services: [String] = []
        for endpoint in network.endpoints where !services.contains(endpoint.service) { services.append(endpoint.service) }
        return hostEndpoints + network.loadBalancers.map(loadBalancer) + services.map { .service($0) }
            + network.onPremNetworks.map { .addresses($0.cidrs, label: $0.name) } + [.internet(only: nil)]
    }

    /// "did you mean" over every name a query accepts.
    func suggestion(for text: String) -> String {
        var names = ["internet"] + network.workloads.map(\.name) + network.interfaces.map(\.name) + network.loadBalancers.map(\.name)
        names += network.natGateways.map(\.name) + network.services.map(\.name) + network.securityGroups.map(\.name)
        names += network.subnets.map(\.name) + network.endpoints.map(\.name) + network.vpcs.map(\.name) + network.onPremNetworks.map(\.name)
        let lowered = text.lowercased()
        let best = names.map { ($0, Self.distance($0.lowercased(), lowered)) }.min { $0.1 < $1.1 }
        let workloads = network.workloads.map(\.name).prefix(8).joined(separator: ", ")
        if let best, best.1 <= max(2, lowered.count / 3) {
            return "did you mean '\(best.0)'? (endpoints: workloads such as \(workloads); internet; a service name; an id, IP or CIDR)"
        }
        return "endpoints are workloads (\(workloads)), interfaces, security groups, subnets, load balancers, 'internet', a service name, an AWS id, an IP or a CIDR"
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
