import VPCModel

/// Names a scenario writes that VPCCheck itself resolves against the network (endpoint names in
/// `from`/`to` are the query layer's).
enum NameCheck {
    /// Every name and id a hop can carry: gateways, endpoints, interfaces (`NAME@SUBNET`), load balancers,
    /// subnets, route tables, peerings, transit gateways, workloads, VPCs, services, `internet`.
    static func hopNames(in network: Network) -> (names: [String], ids: [String]) {
        var names = ["internet"], ids: [String] = []
        func add(_ name: String, _ id: String) { names.append(name); ids.append(id) }
        network.internetGateways.forEach { add($0.name, $0.id) }
        network.natGateways.forEach { add($0.name, $0.id) }
        network.endpoints.forEach { add($0.name, $0.id) }
        network.interfaces.forEach { add($0.name, $0.id) }
        network.loadBalancers.forEach { add($0.name, $0.id) }
        network.subnets.forEach { add($0.name, $0.id) }
        network.routeTables.forEach { add($0.name, $0.id) }
        network.peerings.forEach { add($0.name, $0.id) }
        network.transitGateways.forEach { add($0.name, $0.id) }
        network.workloads.forEach { add($0.name, $0.id) }
        network.vpcs.forEach { add($0.name, $0.id) }
        names += network.services.map(\.name)
        return (names, ids)
    }

    /// A `via:` name that names nothing in the network is a typo, not a failing check.
    static func via(_ checks: [Check], in network: Network) -> [Diagnostic] {
        let (names, ids) = hopNames(in: network)
        let known = Set((names + ids).map { $0.lowercased() })
        var diagnostics: [Diagnostic] = []
        for check in checks {
            for hop in check.via where !known.contains(hop.value.lowercased()) {
                diagnostics.append(Diagnostic(.error, at: hop.location, "check '\(check.name)': 'via' names '\(hop.value)', which is nothing in the network",
                                              hint: Suggest.didYouMean(hop.value, names)
                                                ?? "a hop is a gateway, endpoint, load balancer or interface name (NAME@SUBNET for one interface of a workload, endpoint or load balancer)"))
            }
        }
        return diagnostics
    }

    /// The addresses a `translated_to:` value stands for: an IPv4 address; a NAT gateway (its private IP
    /// and Elastic IP); an interface or a workload (their public IPs and private IPs).
    static func addresses(of written: Located<String>, in network: Network) -> Result<Set<IPv4Address>, InputError> {
        if let address = IPv4Address(written.value) { return .success([address]) }
        let key = written.value.lowercased()
        func named(_ name: String, _ id: String) -> Bool { name.lowercased() == key || id.lowercased() == key }
        if let nat = network.natGateways.first(where: { named($0.name, $0.id) }) {
            return .success(Set([nat.privateIP] + (nat.elasticIP.map { [$0] } ?? [])))
        }
        var interfaceIDs: [String] = network.interfaces.filter { named($0.name, $0.id) }.map(\.id)
        if interfaceIDs.isEmpty, let workload = network.workloads.first(where: { named($0.name, $0.id) }) {
            interfaceIDs = workload.interfaceIDs
        }
        let interfaces = network.interfaces.filter { interfaceIDs.contains($0.id) }
        if !interfaces.isEmpty {
            return .success(Set(interfaces.flatMap { $0.privateIPs + ($0.publicIP.map { [$0] } ?? []) }))
        }
        let candidates = network.natGateways.map(\.name) + network.interfaces.map(\.name) + network.workloads.map(\.name)
        return .failure(InputError(Diagnostic(.error, at: written.location, "'translated_to' names '\(written.value)', which is neither an IPv4 address nor a NAT gateway, interface or workload",
                                              hint: Suggest.didYouMean(written.value, candidates) ?? "write the address the destination should see, e.g. the NAT gateway's Elastic IP, or its name")))
    }
}
