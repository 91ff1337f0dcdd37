import VPCModel

/// Applies faults to a network. Each fault is a pure transformation; the result is validated again
/// (the AWS creation rules of `NetworkValidator`, and the references between entities), so that a fault
/// can never hand the evaluator a network that could not exist.
public enum FaultInjector {
    /// Applies `faults` in order. Unknown names are errors located at the fault, with a "did you mean".
    public static func apply(_ faults: [Fault], to network: Network) throws(InputError) -> Network {
        var result = network
        for fault in faults {
            var editor = Editor(network: result, fault: fault)
            try editor.apply()
            result = editor.network
        }
        guard let last = faults.last else { return result }
        var diagnostics = NetworkValidator.validate(result).filter { $0.severity == .error }.map { problem in
            Diagnostic(.error, at: last.location, "with the faults applied the network breaks an AWS rule: \(problem.message)",
                       hint: problem.hint)
        }
        diagnostics += referenceProblems(in: result).map { problem in
            Diagnostic(.error, at: last.location, "with the faults applied the network is inconsistent: \(problem)",
                       hint: "this is a vpcsim defect; please report it with the scenario file")
        }
        if !diagnostics.isEmpty { throw InputError(diagnostics) }
        return result
    }

    /// References that point at nothing (other than route targets, which AWS turns into blackholes).
    public static func referenceProblems(in network: Network) -> [String] {
        var problems: [String] = []
        let interfaceIDs = Set(network.interfaces.map(\.id))
        let subnetIDs = Set(network.subnets.map(\.id))
        for interface in network.interfaces where !subnetIDs.contains(interface.subnetID) {
            problems.append("interface '\(interface.name)' is in a subnet that does not exist")
        }
        for workload in network.workloads {
            for id in workload.interfaceIDs where !interfaceIDs.contains(id) { problems.append("workload '\(workload.name)' lists missing interface \(id)") }
        }
        for lb in network.loadBalancers {
            for id in lb.interfaceIDs where !interfaceIDs.contains(id) { problems.append("load balancer '\(lb.name)' lists missing interface \(id)") }
        }
        for endpoint in network.endpoints {
            for id in endpoint.interfaceIDs where !interfaceIDs.contains(id) { problems.append("endpoint '\(endpoint.name)' lists missing interface \(id)") }
        }
        for group in network.targetGroups {
            for case .interface(let id) in group.targets where !interfaceIDs.contains(id) {
                problems.append("target group '\(group.name)' lists missing interface \(id)")
            }
        }
        for nat in network.natGateways where !interfaceIDs.contains(nat.interfaceID) {
            problems.append("NAT gateway '\(nat.name)' has no interface")
        }
        for table in network.routeTables {
            for route in table.routes where !route.isBlackhole && !targetExists(route.target, in: network) {
                problems.append("route table '\(table.name)' routes \(route.destination) to a target that does not exist, without marking it blackhole")
            }
        }
        return problems
    }

    static func targetExists(_ target: Route.Target, in network: Network) -> Bool {
        switch target {
        case .local, .blackhole: return true
        case .internetGateway(let id): return network.internetGateways.contains { $0.id == id }
        case .natGateway(let id): return network.natGateways.contains { $0.id == id }
        case .gatewayEndpoint(let id): return network.endpoints.contains { $0.id == id }
        case .peering(let id): return network.peerings.contains { $0.id == id }
        case .transitGateway(let id): return network.transitGateways.contains { $0.id == id }
        case .networkInterface(let id): return network.interfaces.contains { $0.id == id }
        case .vpnGateway(let id): return network.vpnGateways.contains { $0.id == id }
        }
    }
}

/// One fault applied to one network.
struct Editor {
    var network: Network
    let fault: Fault

    mutating func apply() throws(InputError) {
        switch fault.kind {
        case .remove(let name): try remove(name)
        case .azOutage(let zone): try azOutage(zone)
        case .route(let route): try edit(route)
        case .securityGroupRule(let rule): try removeRules(rule)
        }
    }

    func failure(_ location: SourceLocation, _ message: String, hint: String?) -> InputError {
        InputError(Diagnostic(.error, at: location, message, hint: hint))
    }

    /// Finds an entity by name or id, case-insensitively; else an error with a "did you mean".
    func find<T>(_ ref: Located<String>, in items: [T], kind: String, name: (T) -> String, id: (T) -> String) throws(InputError) -> T {
        let key = ref.value.lowercased()
        if let match = items.first(where: { name($0).lowercased() == key || id($0).lowercased() == key }) { return match }
        let names = items.map(name)
        throw failure(ref.location, "fault refers to unknown \(kind) '\(ref.value)'",
                      hint: Suggest.didYouMean(ref.value, names) ?? (names.isEmpty ? "the network has no \(kind)" : "known: \(names.prefix(8).joined(separator: ", "))"))
    }

    // MARK: remove

    private enum Removable {
        case nat(NATGateway), endpoint(VPCEndpoint), igw(InternetGateway), peering(PeeringConnection), tgw(TransitGateway)
        /// An appliance: an interface of no gateway, endpoint or load balancer that a route sends traffic to.
        case appliance(NetworkInterface)
    }

    mutating func remove(_ ref: Located<String>) throws(InputError) {
        let key = ref.value.lowercased()
        func matches(_ name: String, _ id: String) -> Bool { name.lowercased() == key || id.lowercased() == key }
        var found: [(String, Removable)] = []
        found += network.natGateways.filter { matches($0.name, $0.id) }.map { ("NAT gateway \($0.id)", .nat($0)) }
        found += network.endpoints.filter { matches($0.name, $0.id) }.map { ("endpoint \($0.id)", .endpoint($0)) }
        found += network.internetGateways.filter { matches($0.name, $0.id) }.map { ("internet gateway \($0.id)", .igw($0)) }
        found += network.peerings.filter { matches($0.name, $0.id) }.map { ("peering \($0.id)", .peering($0)) }
        found += network.transitGateways.filter { matches($0.name, $0.id) }.map { ("transit gateway \($0.id)", .tgw($0)) }
        let routeTargets = Set(network.routeTables.flatMap { $0.routes.compactMap { route -> String? in
            if case .networkInterface(let id) = route.target { return id }
            return nil
        } })
        found += network.interfaces.filter { routeTargets.contains($0.id) && $0.owner == .none && matches($0.name, $0.id) }
            .map { ("appliance interface \($0.id)", .appliance($0)) }
        guard found.count == 1, let (_, target) = found.first else {
            if found.count > 1 {
                throw failure(ref.location, "'\(ref.value)' names several things: \(found.map(\.0).joined(separator: ", "))",
                              hint: "write the AWS id of the one to remove")
            }
            let names = network.natGateways.map(\.name) + network.endpoints.map(\.name) + network.internetGateways.map(\.name)
                + network.peerings.map(\.name) + network.transitGateways.map(\.name)
            throw failure(ref.location, "fault 'remove' refers to unknown '\(ref.value)'",
                          hint: Suggest.didYouMean(ref.value, names)
                            ?? "remove takes a NAT gateway, VPC endpoint, internet gateway, peering, transit gateway or appliance interface (a route target; name or id); known: \(names.prefix(8).joined(separator: ", "))")
        }
        switch target {
        case .nat(let nat):
            network.natGateways.removeAll { $0.id == nat.id }
            blackholeRoutes { $0 == .natGateway(nat.id) }
            removeInterfaces([nat.interfaceID])
        case .endpoint(let endpoint):
            network.endpoints.removeAll { $0.id == endpoint.id }
            // "When you delete a gateway endpoint, we delete the endpoint routes in the route tables for the endpoint."
            // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpcEndpoints.html
            for index in network.routeTables.indices {
                network.routeTables[index].routes.removeAll { $0.target == .gatewayEndpoint(endpoint.id) }
            }
            removeInterfaces(Set(endpoint.interfaceIDs))
        case .igw(let igw):
            network.internetGateways.removeAll { $0.id == igw.id }
            blackholeRoutes { $0 == .internetGateway(igw.id) }
        case .peering(let peering):
            network.peerings.removeAll { $0.id == peering.id }
            blackholeRoutes { $0 == .peering(peering.id) }
            dropStaleGroupReferences(between: peering.requesterVPCID, and: peering.accepterVPCID)
        case .tgw(let tgw):
            network.transitGateways.removeAll { $0.id == tgw.id }
            blackholeRoutes { $0 == .transitGateway(tgw.id) }
        case .appliance(let eni):
            removeInterfaces([eni.id])
        }
    }

    /// Rules that name a group across a peering that no longer exists are stale: they match nothing.
    /// https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html#vpc-peering-stale-groups
    mutating func dropStaleGroupReferences(between first: String, and second: String) {
        let vpcOfGroup = Dictionary(network.securityGroups.map { ($0.id, $0.vpcID) }, uniquingKeysWith: { kept, _ in kept })
        func stale(_ rule: SecurityGroupRule, in vpcID: String) -> Bool {
            guard case .securityGroup(let id) = rule.peer, let other = vpcOfGroup[id] else { return false }
            return Set([vpcID, other]) == Set([first, second])
        }
        for index in network.securityGroups.indices {
            let vpcID = network.securityGroups[index].vpcID
            network.securityGroups[index].ingress.removeAll { stale($0, in: vpcID) }
            network.securityGroups[index].egress.removeAll { stale($0, in: vpcID) }
        }
    }

    /// AWS keeps a route whose target is gone and shows it as `blackhole`.
    mutating func blackholeRoutes(where isGone: (Route.Target) -> Bool) {
        for table in network.routeTables.indices {
            for route in network.routeTables[table].routes.indices where isGone(network.routeTables[table].routes[route].target) {
                network.routeTables[table].routes[route].isBlackhole = true
            }
        }
    }

    /// Removes interfaces and everything that stands on them: a NAT gateway whose interface is gone,
    /// list entries of workloads, load balancers, endpoints and target groups, routes to them (blackholed).
    mutating func removeInterfaces(_ ids: Set<String>) {
        guard !ids.isEmpty else { return }
        let goneNATs = Set(network.natGateways.filter { ids.contains($0.interfaceID) }.map(\.id))
        network.natGateways.removeAll { goneNATs.contains($0.id) }
        network.interfaces.removeAll { ids.contains($0.id) }
        for index in network.workloads.indices { network.workloads[index].interfaceIDs.removeAll { ids.contains($0) } }
        for index in network.loadBalancers.indices { network.loadBalancers[index].interfaceIDs.removeAll { ids.contains($0) } }
        for index in network.endpoints.indices { network.endpoints[index].interfaceIDs.removeAll { ids.contains($0) } }
        for index in network.targetGroups.indices {
            network.targetGroups[index].targets.removeAll { target in
                if case .interface(let id) = target { return ids.contains(id) }
                return false
            }
        }
        blackholeRoutes { target in
            switch target {
            case .networkInterface(let id): return ids.contains(id)
            case .natGateway(let id): return goneNATs.contains(id)
            default: return false
            }
        }
    }

    // MARK: az-outage

    /// Every interface in the zone's subnets is gone, and with them the NAT gateways, endpoint interfaces,
    /// load-balancer nodes and workload interfaces there; routes to what is gone are blackholed; IP targets
    /// in the zone leave their target groups. Configuration (subnets, tables, ACLs, groups, the lists of
    /// subnets a load balancer or endpoint is configured for) stays: an outage does not reconfigure anything.
    mutating func azOutage(_ zone: Located<String>) throws(InputError) {
        let zones = Array(Set(network.subnets.map(\.availabilityZone))).sorted()
        guard let name = zones.first(where: { $0.lowercased() == zone.value.lowercased() }) else {
            throw failure(zone.location, "fault 'az-outage' names '\(zone.value)', which no subnet uses",
                          hint: Suggest.didYouMean(zone.value, zones) ?? "the network's Availability Zones: \(zones.joined(separator: ", "))")
        }
        let subnets = network.subnets.filter { $0.availabilityZone == name }
        let subnetIDs = Set(subnets.map(\.id))
        var gone = Set(network.interfaces.filter { subnetIDs.contains($0.subnetID) }.map(\.id))
        gone.formUnion(network.natGateways.filter { subnetIDs.contains($0.subnetID) }.map(\.interfaceID))
        let natsInZone = Set(network.natGateways.filter { subnetIDs.contains($0.subnetID) }.map(\.id))
        network.natGateways.removeAll { natsInZone.contains($0.id) }
        blackholeRoutes { target in
            if case .natGateway(let id) = target { return natsInZone.contains(id) }
            return false
        }
        removeInterfaces(gone)
        // The transit gateway's interfaces in the zone are gone too; it routes through the other
        // zones' attachment subnets. https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html
        for t in network.transitGateways.indices {
            for a in network.transitGateways[t].attachments.indices {
                network.transitGateways[t].attachments[a].subnetIDs.removeAll { subnetIDs.contains($0) }
            }
        }
        for index in network.targetGroups.indices {
            let vpcID = network.targetGroups[index].vpcID
            network.targetGroups[index].targets.removeAll { target in
                guard case .ip(let address) = target else { return false }
                return subnets.contains { $0.vpcID == vpcID && $0.cidr.contains(address) }
            }
        }
    }

    // MARK: route

    mutating func edit(_ fault: RouteFault) throws(InputError) {
        let table = try find(fault.table, in: network.routeTables, kind: "route table", name: \.name, id: \.id)
        guard let tableIndex = network.routeTables.firstIndex(where: { $0.id == table.id }) else { return }
        let written = fault.destination.value
        let destination: Route.Destination
        if let cidr = CIDR(written) {
            destination = .cidr(cidr)
        } else if let list = network.prefixLists.first(where: { $0.id.lowercased() == written.lowercased() || $0.name.lowercased() == written.lowercased() }) {
            destination = .prefixList(list.id)
        } else {
            throw failure(fault.destination.location, "'\(written)' is neither a CIDR nor a known prefix list",
                          hint: "write a CIDR like 0.0.0.0/0, or a prefix list id (pl-…); routes of '\(table.name)': \(routeList(table))")
        }
        let matching = table.routes.indices.filter { table.routes[$0].destination == destination }
        if matching.isEmpty {
            throw failure(fault.destination.location, "route table '\(table.name)' has no route for \(written)",
                          hint: "its routes: \(routeList(table))")
        }
        if matching.contains(where: { table.routes[$0].target == .local }) {
            throw failure(fault.destination.location, "the local route of '\(table.name)' cannot be \(fault.action == .remove ? "removed" : "blackholed")",
                          hint: "AWS does not allow changing the local route; pick another route: \(routeList(table))")
        }
        switch fault.action {
        case .remove:
            network.routeTables[tableIndex].routes.removeAll { $0.destination == destination }
        case .blackhole:
            for index in matching { network.routeTables[tableIndex].routes[index].isBlackhole = true }
        }
    }

    func routeList(_ table: RouteTable) -> String {
        table.routes.map { route in
            let target: String
            switch route.target {
            case .local: target = "local"
            case .blackhole: target = "blackhole"
            default: target = route.target.id ?? "?"
            }
            return "\(route.destination) -> \(target)"
        }.joined(separator: ", ")
    }

    // MARK: sg-rule

    mutating func removeRules(_ fault: SecurityGroupRuleFault) throws(InputError) {
        let group = try find(fault.group, in: network.securityGroups, kind: "security group", name: \.name, id: \.id)
        guard let groupIndex = network.securityGroups.firstIndex(where: { $0.id == group.id }) else { return }
        let rules = fault.direction == .ingress ? group.ingress : group.egress
        let listing = rules.isEmpty ? "it has none" : rules.enumerated().map { "\($0.offset): \(describe($0.element))" }.joined(separator: "; ")
        var selected = Set(rules.indices)
        if let index = fault.index {
            guard rules.indices.contains(index.value) else {
                throw failure(index.location, "security group '\(group.name)' has no \(fault.direction.rawValue) rule \(index.value)",
                              hint: "indexes count from 0; its \(fault.direction.rawValue) rules: \(listing)")
            }
            selected = [index.value]
        }
        if let ipProtocol = fault.ipProtocol { selected = selected.filter { rules[$0].ipProtocol == ipProtocol } }
        if let ports = fault.ports { selected = selected.filter { rules[$0].ports == ports } }
        if let peer = fault.peer {
            let wanted: SecurityGroupRule.Peer
            switch peer {
            case .cidr(let cidr): wanted = .cidr(cidr)
            case .securityGroup(let ref):
                wanted = .securityGroup(try find(ref, in: network.securityGroups, kind: "security group", name: \.name, id: \.id).id)
            case .prefixList(let ref):
                wanted = .prefixList(try find(ref, in: network.prefixLists, kind: "prefix list", name: \.name, id: \.id).id)
            }
            selected = selected.filter { rules[$0].peer == wanted }
        }
        if selected.isEmpty {
            throw failure(fault.group.location, "no \(fault.direction.rawValue) rule of security group '\(group.name)' matches \(fault)",
                          hint: "its \(fault.direction.rawValue) rules: \(listing)")
        }
        let kept = rules.indices.filter { !selected.contains($0) }.map { rules[$0] }
        switch fault.direction {
        case .ingress: network.securityGroups[groupIndex].ingress = kept
        case .egress: network.securityGroups[groupIndex].egress = kept
        }
    }

    func describe(_ rule: SecurityGroupRule) -> String {
        var text = rule.ipProtocol.name
        if rule.ipProtocol.hasPorts { text += " \(rule.ports)" }
        switch rule.peer {
        case .cidr(let cidr): text += " \(cidr)"
        case .prefixList(let id): text += " \(network.prefixLists.first { $0.id == id }?.name ?? id)"
        case .securityGroup(let id): text += " group \(network.securityGroups.first { $0.id == id }?.name ?? id)"
        }
        return text
    }
}
