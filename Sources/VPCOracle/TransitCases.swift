import VPCModel

/// Hand-built networks for docs/semantics.md's transit gateway and hybrid rules (§5.1 step 3, §5.6,
/// §5.10, §5.11, §4c, §8 rules 5 and 7), each with a flow and the verdict the document gives for it,
/// worked out by hand from the text (the comments walk the steps). `selfCheck()` runs them against the
/// oracle; Tests/VPCEngineTests/OracleTransitTests.swift runs them against the Evaluator too.
/// The networks are `Network` values built directly. Three are not accepted by `NetworkValidator` but are
/// still defined by the contract: a route to a deleted attachment, and the two security-group references
/// across a transit gateway (the validator allows cross-VPC references across a peering only).
public enum TransitCases {
    public struct Case: Sendable, CustomStringConvertible {
        public var name: String
        public var network: Network
        public var flow: OracleFlow
        public var expected: OracleVerdict

        public var description: String { "\(name): \(flow) → \(expected)" }
    }

    /// Every case, in a stable order.
    public static var all: [Case] {
        hubCases + isolationCases + inspectionCases + hybridCases + peeringCases
    }

    /// Failure descriptions of the cases whose oracle verdict differs from the expected one; empty = all pass.
    public static func selfCheck() -> [String] {
        all.compactMap { item in
            let actual = NaiveOracle(network: item.network).evaluate(item.flow)
            return actual == item.expected ? nil : "\(item.name): \(item.flow)\n  expected: \(item.expected)\n  oracle:   \(actual)"
        }
    }

    // MARK: - Building blocks

    static func ip(_ text: String) -> IPv4Address {
        guard let address = IPv4Address(text) else { preconditionFailure("bad address \(text)") }
        return address
    }

    static func cidr(_ text: String) -> CIDR {
        guard let range = CIDR(text) else { preconditionFailure("bad CIDR \(text)") }
        return range
    }

    static let denyAll: [NetworkACLEntry] = []

    /// A small vocabulary for writing networks by hand: ids are names, every VPC gets an "open" group
    /// (all ingress, all egress) and an allow-all default ACL unless told otherwise.
    struct Hand {
        var network = Network(name: "hand-built")

        mutating func vpc(_ id: String, _ range: String, region: String = "us-east-1") {
            network.vpcs.append(VPC(id: id, name: id, region: region, cidrs: [cidr(range)]))
            network.securityGroups.append(SecurityGroup(id: "sg-open-\(id)", name: "open-\(id)", vpcID: id,
                                                        ingress: [SecurityGroupRule(ipProtocol: .all, peer: .cidr(.any))]))
            network.networkACLs.append(NetworkACL(id: "acl-\(id)", name: "acl-\(id)", vpcID: id, isDefault: true,
                                                  ingress: NetworkACL.allowAllEntries(), egress: NetworkACL.allowAllEntries()))
        }

        mutating func subnet(_ id: String, _ vpcID: String, _ range: String, az: String, table: String? = nil) {
            network.subnets.append(Subnet(id: id, name: id, vpcID: vpcID, cidr: cidr(range), availabilityZone: az, routeTableID: table))
        }

        /// A route table; `routes` are (destination CIDR, target) beside the VPC's local route.
        mutating func table(_ id: String, _ vpcID: String, main: Bool = false, _ routes: [(String, Route.Target)] = [],
                            propagatingFrom gateways: [String] = []) {
            let vpcRanges = network.vpcs.first { $0.id == vpcID }?.cidrs ?? []
            let all = vpcRanges.map { Route(destination: .cidr($0), target: .local) }
                + routes.map { Route(destination: .cidr(cidr($0.0)), target: $0.1) }
            network.routeTables.append(RouteTable(id: id, name: id, vpcID: vpcID, isMain: main, routes: all,
                                                  propagatingGatewayIDs: gateways))
        }

        mutating func instance(_ id: String, _ subnetID: String, _ address: String, groups: [String]? = nil,
                               sourceDestCheck: Bool = true) {
            let vpcID = network.subnets.first { $0.id == subnetID }?.vpcID ?? ""
            network.interfaces.append(NetworkInterface(id: id, name: id, subnetID: subnetID, privateIPs: [ip(address)],
                                                       securityGroupIDs: groups ?? ["sg-open-\(vpcID)"], sourceDestCheck: sourceDestCheck))
        }

        mutating func publicNAT(_ id: String, _ subnetID: String, _ address: String, eip: String) {
            network.interfaces.append(NetworkInterface(id: "eni-\(id)", name: "eni-\(id)", subnetID: subnetID, privateIPs: [ip(address)],
                                                       publicIP: ip(eip), publicIPIsElastic: true, securityGroupIDs: [],
                                                       sourceDestCheck: false, owner: .natGateway(id)))
            network.natGateways.append(NATGateway(id: id, name: id, subnetID: subnetID, connectivity: .public, privateIP: ip(address),
                                                  elasticIP: ip(eip), interfaceID: "eni-\(id)"))
        }

        /// A subnet's own ACL with these entries (none = deny everything).
        mutating func acl(_ id: String, on subnetID: String, ingress: [NetworkACLEntry] = NetworkACL.allowAllEntries(),
                          egress: [NetworkACLEntry] = NetworkACL.allowAllEntries()) {
            guard let index = network.subnets.firstIndex(where: { $0.id == subnetID }) else { return }
            network.networkACLs.append(NetworkACL(id: id, name: id, vpcID: network.subnets[index].vpcID, isDefault: false,
                                                  ingress: ingress, egress: egress))
            network.subnets[index].networkACLID = id
        }

        mutating func tgw(_ id: String) -> Int {
            guard let index = network.transitGateways.firstIndex(where: { $0.id == id }) else { preconditionFailure("no \(id)") }
            return index
        }

        /// Replaces the routes of transit gateway table `tableID`.
        mutating func tgwRoutes(_ tgwID: String, _ tableID: String, _ routes: [TransitGateway.Route]) {
            let index = tgw(tgwID)
            guard let table = network.transitGateways[index].routeTables.firstIndex(where: { $0.id == tableID }) else { return }
            network.transitGateways[index].routeTables[table].routes = routes
        }

        mutating func attachment(_ tgwID: String, _ attachmentID: String, _ change: (inout TransitGateway.Attachment) -> Void) {
            let index = tgw(tgwID)
            guard let position = network.transitGateways[index].attachments.firstIndex(where: { $0.id == attachmentID }) else { return }
            change(&network.transitGateways[index].attachments[position])
        }

        func id(ofOnPrem name: String) -> Int { network.onPremNetworks.firstIndex { $0.name == name } ?? -1 }
    }

    static func tcp(_ source: String, _ destination: String, port: UInt16 = 443) -> OracleFlow {
        .tcp(source, ip(destination), port: port)
    }

    static func delivered(_ destination: String, from source: String) -> OracleVerdict {
        .delivered(to: destination, source: ip(source))
    }

    // MARK: - A hub: two spokes, an egress VPC, VPN and Direct Connect attachments

    /// tgw-hub (us-east-1) with one table rt-main: every attachment associated with it and propagating
    /// into it, plus the static 0.0.0.0/0 → att-e (centralized egress).
    /// - spoke A 10.1.0.0/16: a1 in a-app-1a (AZ a), a2 in a-app-1b (AZ b); attachment att-a has a
    ///   subnet in AZ a only (a-tgw-1a). Everything routes 0.0.0.0/0 → tgw-hub.
    /// - spoke B 10.2.0.0/16: b1 in b-app-1a; att-b in AZs a and b (b-tgw-1a, b-tgw-1b). 0.0.0.0/0 → tgw-hub.
    /// - egress E 10.3.0.0/16: att-e in e-tgw-1a, whose table sends 0.0.0.0/0 to nat-e (in e-pub-1a,
    ///   EIP 203.0.113.5); e-pub-1a sends 0.0.0.0/0 to igw-e and the spokes' and office's ranges back to tgw-hub.
    /// - VPN vpn-tgw to the "office" 172.20.0.0/16 (BGP 172.20.0.0/16 and 172.21.0.0/16, which no network holds);
    ///   Direct Connect gateway dx-1 to "dc2" 10.200.0.0/16.
    static func hub() -> Hand {
        var h = Hand()
        h.vpc("vpc-a", "10.1.0.0/16")
        h.table("rtb-a", "vpc-a", main: true, [("0.0.0.0/0", .transitGateway("tgw-hub"))])
        h.subnet("a-app-1a", "vpc-a", "10.1.1.0/24", az: "us-east-1a")
        h.subnet("a-app-1b", "vpc-a", "10.1.2.0/24", az: "us-east-1b")
        h.subnet("a-tgw-1a", "vpc-a", "10.1.10.0/24", az: "us-east-1a")
        h.instance("a1", "a-app-1a", "10.1.1.10")
        h.instance("a2", "a-app-1b", "10.1.2.10")

        h.vpc("vpc-b", "10.2.0.0/16")
        h.table("rtb-b", "vpc-b", main: true, [("0.0.0.0/0", .transitGateway("tgw-hub"))])
        h.subnet("b-app-1a", "vpc-b", "10.2.1.0/24", az: "us-east-1a")
        h.subnet("b-tgw-1a", "vpc-b", "10.2.10.0/24", az: "us-east-1a")
        h.subnet("b-tgw-1b", "vpc-b", "10.2.11.0/24", az: "us-east-1b")
        h.instance("b1", "b-app-1a", "10.2.1.10")

        h.vpc("vpc-e", "10.3.0.0/16")
        h.table("rtb-e-tgw", "vpc-e", main: true, [("0.0.0.0/0", .natGateway("nat-e"))])
        h.table("rtb-e-pub", "vpc-e", [("0.0.0.0/0", .internetGateway("igw-e")), ("10.1.0.0/16", .transitGateway("tgw-hub")),
                                       ("10.2.0.0/16", .transitGateway("tgw-hub")), ("172.20.0.0/16", .transitGateway("tgw-hub"))])
        h.subnet("e-tgw-1a", "vpc-e", "10.3.10.0/24", az: "us-east-1a")
        h.subnet("e-pub-1a", "vpc-e", "10.3.1.0/24", az: "us-east-1a", table: "rtb-e-pub")
        h.publicNAT("nat-e", "e-pub-1a", "10.3.1.5", eip: "203.0.113.5")
        h.network.internetGateways.append(InternetGateway(id: "igw-e", name: "igw-e", vpcID: "vpc-e"))

        h.network.customerGateways.append(CustomerGateway(id: "cgw-office", name: "cgw-office", ipAddress: ip("198.51.100.7")))
        h.network.vpnConnections.append(VPNConnection(id: "vpn-tgw", name: "vpn-tgw", customerGatewayID: "cgw-office",
                                                      gateway: .transitGateway("tgw-hub"),
                                                      bgpPrefixes: [cidr("172.20.0.0/16"), cidr("172.21.0.0/16")]))
        h.network.directConnectGateways.append(DirectConnectGateway(id: "dx-1", name: "dx-1", transitGatewayIDs: ["tgw-hub"],
                                                                    prefixes: [cidr("10.200.0.0/16")]))
        h.network.onPremNetworks = [OnPremNetwork(name: "office", cidrs: [cidr("172.20.0.0/16")], via: .vpnConnection("vpn-tgw")),
                                    OnPremNetwork(name: "dc2", cidrs: [cidr("10.200.0.0/16")], via: .directConnectGateway("dx-1"))]

        let table = "rt-main"
        func attach(_ id: String, _ resource: TransitGateway.Attachment.Resource, _ subnets: [String] = []) -> TransitGateway.Attachment {
            TransitGateway.Attachment(id: id, resource: resource, subnetIDs: subnets, routeTableID: table, propagatesTo: [table])
        }
        h.network.transitGateways.append(TransitGateway(
            id: "tgw-hub", name: "tgw-hub", region: "us-east-1",
            attachments: [attach("att-a", .vpc("vpc-a"), ["a-tgw-1a"]), attach("att-b", .vpc("vpc-b"), ["b-tgw-1a", "b-tgw-1b"]),
                          attach("att-e", .vpc("vpc-e"), ["e-tgw-1a"]), attach("att-vpn", .vpn("vpn-tgw")),
                          attach("att-dx", .directConnect("dx-1"))],
            routeTables: [TransitGateway.RouteTable(id: table, name: table,
                                                    routes: [TransitGateway.Route(destination: .any, attachmentID: "att-e")])]))
        return h
    }

    static var hubCases: [Case] {
        var cases: [Case] = []
        let base = hub()
        // §5.1 step 3, §5.6, §5.1 from the attachment subnet: a1 (AZ a) → a-tgw-1a → rt-main: 10.2.0.0/16
        // propagated by att-b → b-tgw-1a (the ingress zone a) → b's local route → b1. The response goes
        // back by b-tgw-1a and att-a.
        cases.append(Case(name: "spoke to spoke through the hub", network: base.network, flow: tcp("a1", "10.2.1.10"),
                          expected: delivered("b1", from: "10.1.1.10")))
        // §5.1 step 3: a2's AZ (us-east-1b) has no subnet of att-a.
        cases.append(Case(name: "AZ without attachment subnet", network: base.network, flow: tcp("a2", "10.2.1.10"),
                          expected: .dropped(.tgwAttachmentNotInAZ, at: .transitGateway, "tgw-hub", .request)))
        // §5.1 steps 4–5: to the attachment, a-app-1a's egress passes, then a-tgw-1a's ingress denies.
        var denyT = base
        denyT.acl("acl-deny", on: "a-tgw-1a", ingress: denyAll, egress: denyAll)
        cases.append(Case(name: "deny-all ACL on the source's attachment subnet", network: denyT.network, flow: tcp("a1", "10.2.1.10"),
                          expected: .dropped(.subnetACLRestriction, at: .subnet, "a-tgw-1a", .request)))
        // The same ACL in B: the packet leaves b-tgw-1a (§5.6 step 5, §5.1) and its egress denies.
        var denyExit = base
        denyExit.acl("acl-deny", on: "b-tgw-1a", ingress: denyAll, egress: denyAll)
        cases.append(Case(name: "deny-all ACL on the destination's attachment subnet", network: denyExit.network,
                          flow: tcp("a1", "10.2.1.10"), expected: .dropped(.subnetACLRestriction, at: .subnet, "b-tgw-1a", .request)))
        // T = X: a sender inside the attachment subnet still passes T's ingress (here denied; egress allowed).
        var sameSubnet = base
        sameSubnet.instance("a3", "a-tgw-1a", "10.1.10.20")
        sameSubnet.acl("acl-in-deny", on: "a-tgw-1a", ingress: denyAll)
        cases.append(Case(name: "attachment subnet ACL applies to a sender in that subnet", network: sameSubnet.network,
                          flow: tcp("a3", "10.2.1.10"), expected: .dropped(.subnetACLRestriction, at: .subnet, "a-tgw-1a", .request)))
        // Centralized egress: rt-main 0.0.0.0/0 → att-e → e-tgw-1a → nat-e (SNAT) → e-pub-1a → igw-e (EIP).
        // The response: igw-e → nat-e (reversal) → e-pub-1a's 10.1.0.0/16 → tgw-hub by e-tgw-1a → att-a → a1.
        cases.append(Case(name: "centralized egress through a NAT gateway in an egress VPC", network: base.network,
                          flow: tcp("a1", "8.8.8.8"), expected: delivered("internet", from: "203.0.113.5")))
        // §5.6 step 1: e-tgw-1a sends everything back to the gateway; att-e is entered a second time.
        var loop = base
        if let index = loop.network.routeTables.firstIndex(where: { $0.id == "rtb-e-tgw" }) {
            loop.network.routeTables[index].routes[1] = Route(destination: .cidr(.any), target: .transitGateway("tgw-hub"))
        }
        cases.append(Case(name: "an attachment entered twice is a loop", network: loop.network, flow: tcp("a1", "8.8.8.8"),
                          expected: .dropped(.routingLoop, at: .transitGateway, "tgw-hub", .request)))
        // §5.6 step 2: an attachment associated with no table.
        var unassociated = base
        unassociated.attachment("tgw-hub", "att-a") { $0.routeTableID = nil }
        cases.append(Case(name: "unassociated attachment", network: unassociated.network, flow: tcp("a1", "10.2.1.10"),
                          expected: .dropped(.noRouteToDestination, at: .transitGateway, "tgw-hub", .request)))
        // §5.6 step 5 VPN: 172.20.0.0/16 (class 5, from att-vpn) beats 0.0.0.0/0; delivered to the office.
        // The response enters through vpn-tgw's attachment and rt-main's 10.1.0.0/16 → att-a.
        cases.append(Case(name: "to on-premises over a TGW VPN attachment", network: base.network, flow: tcp("a1", "172.20.5.5", port: 22),
                          expected: delivered("on-prem:office", from: "10.1.1.10")))
        // A BGP prefix no on-premises network holds.
        cases.append(Case(name: "VPN prefix without an on-premises network", network: base.network, flow: tcp("a1", "172.21.0.5"),
                          expected: .dropped(.noPossibleDestination, at: .vpnConnection, "vpn-tgw", .request)))
        // §5.6 step 5 Direct Connect: 10.200.0.0/16 (class 3) → dc2; the response enters by att-dx (§5.11).
        cases.append(Case(name: "to on-premises over Direct Connect", network: base.network, flow: tcp("a1", "10.200.1.1"),
                          expected: delivered("on-prem:dc2", from: "10.1.1.10")))
        // §4c, §5.11: from the office to b1: att-vpn (no zone) → rt-main → att-b's first subnet b-tgw-1a → b1.
        // The response: b1 → b-tgw-1a → att-b → 172.20.0.0/16 → att-vpn → the office, to E from b1, client port.
        let office = base.id(ofOnPrem: "office")
        cases.append(Case(name: "request from on-premises to an instance", network: base.network,
                          flow: .tcpFromOnPrem(office, ip("172.20.5.5"), to: ip("10.2.1.10"), port: 22),
                          expected: delivered("b1", from: "172.20.5.5")))
        // On-premises to the internet through the egress VPC: the NAT gateway translates the source
        // (§1: translatedSource is the source as the destination saw it); the response comes back
        // through nat-e, e-pub-1a's 172.20.0.0/16 route and att-e to the office.
        cases.append(Case(name: "on-premises to the internet through the egress VPC", network: base.network,
                          flow: .tcpFromOnPrem(office, ip("172.20.5.5"), to: ip("8.8.8.8"), port: 443),
                          expected: delivered("internet", from: "203.0.113.5")))
        // §8 rule 5: a response delivered to another on-premises network. A host of dc2 (edge dx-1) sends to
        // b1 as 172.20.9.9, an address of the office: in by att-dx, out to b1; b1's reply to 172.20.9.9
        // follows rt-main's 172.20.0.0/16 to att-vpn and is delivered to the office, not to dc2.
        let dc2 = base.id(ofOnPrem: "dc2")
        cases.append(Case(name: "response delivered to another on-premises network", network: base.network,
                          flow: .tcpFromOnPrem(dc2, ip("172.20.9.9"), to: ip("10.2.1.10"), port: 22),
                          expected: .dropped(.responsePathMismatch, at: .onPrem, "office", .response,
                                             finalDestination: "b1", translatedSource: ip("172.20.9.9"))))
        // §3 with §5.6 step 4: b1 admits members of A's group only. Across the gateway group identity is
        // lost, unless the gateway has security-group referencing on.
        var groups = base
        groups.network.securityGroups.append(SecurityGroup(id: "sg-a-members", name: "a-members", vpcID: "vpc-a"))
        groups.network.securityGroups.append(SecurityGroup(id: "sg-b-from-a", name: "b-from-a", vpcID: "vpc-b",
                                                           ingress: [SecurityGroupRule(ipProtocol: .all, peer: .securityGroup("sg-a-members"))]))
        for index in groups.network.interfaces.indices {
            if groups.network.interfaces[index].id == "a1" { groups.network.interfaces[index].securityGroupIDs = ["sg-a-members"] }
            if groups.network.interfaces[index].id == "b1" { groups.network.interfaces[index].securityGroupIDs = ["sg-b-from-a"] }
        }
        cases.append(Case(name: "group reference across a transit gateway without SG referencing", network: groups.network,
                          flow: tcp("a1", "10.2.1.10"), expected: .dropped(.eniSGRulesMismatch, at: .interface, "b1", .request)))
        groups.network.transitGateways[groups.tgw("tgw-hub")].securityGroupReferencing = true
        cases.append(Case(name: "group reference across a transit gateway with SG referencing", network: groups.network,
                          flow: tcp("a1", "10.2.1.10"), expected: delivered("b1", from: "10.1.1.10")))
        return cases
    }

    // MARK: - Route tables that isolate spokes; blackholes; prefix lists

    static var isolationCases: [Case] {
        var cases: [Case] = []
        // Two tables: rt-spokes (att-a, att-b associated; att-e, att-vpn and att-dx propagate into it) and
        // rt-egress (att-e, att-vpn, att-dx associated; the spokes propagate into it).
        var isolated = hub()
        let index = isolated.tgw("tgw-hub")
        isolated.network.transitGateways[index].routeTables = [TransitGateway.RouteTable(id: "rt-spokes", name: "rt-spokes"),
                                                              TransitGateway.RouteTable(id: "rt-egress", name: "rt-egress")]
        for id in ["att-a", "att-b"] {
            isolated.attachment("tgw-hub", id) { $0.routeTableID = "rt-spokes"; $0.propagatesTo = ["rt-egress"] }
        }
        for id in ["att-e", "att-vpn", "att-dx"] {
            isolated.attachment("tgw-hub", id) { $0.routeTableID = "rt-egress"; $0.propagatesTo = ["rt-spokes"] }
        }
        // rt-spokes knows 10.3.0.0/16 and the on-premises prefixes only.
        cases.append(Case(name: "two route tables isolate the spokes", network: isolated.network, flow: tcp("a1", "10.2.1.10"),
                          expected: .dropped(.noRouteToDestination, at: .transitGateway, "tgw-hub", .request)))
        // With the egress default and a blackhole for 10.0.0.0/8 in rt-spokes: spokes reach the internet
        // (the response returns through rt-egress) but not each other.
        var blackholed = isolated
        blackholed.tgwRoutes("tgw-hub", "rt-spokes", [TransitGateway.Route(destination: .any, attachmentID: "att-e"),
                                                      TransitGateway.Route(destination: cidr("10.0.0.0/8"), attachmentID: nil)])
        cases.append(Case(name: "blackhole route", network: blackholed.network, flow: tcp("a1", "10.2.1.10"),
                          expected: .dropped(.tgwRTBBadStateRoute, at: .transitGateway, "tgw-hub", .request)))
        cases.append(Case(name: "egress through separate tables", network: blackholed.network, flow: tcp("a1", "8.8.8.8"),
                          expected: delivered("internet", from: "203.0.113.5")))
        // A route to an attachment the gateway does not have (the validator refuses it; AWS shows it as a blackhole).
        var gone = isolated
        gone.tgwRoutes("tgw-hub", "rt-spokes", [TransitGateway.Route(destination: cidr("10.2.0.0/16"), attachmentID: "att-gone")])
        cases.append(Case(name: "route to a deleted attachment", network: gone.network, flow: tcp("a1", "10.2.1.10"),
                          expected: .dropped(.tgwRTBBadStateRoute, at: .transitGateway, "tgw-hub", .request)))
        // Class 1 beats class 2 at equal length: in rt-spokes a prefix-list entry 10.2.0.0/16 → att-e wins over
        // att-b's propagation of 10.2.0.0/16. a1 → b1 then goes through the egress VPC's NAT (e-tgw-1a's
        // 0.0.0.0/0), whose e-pub-1a routes 10.2.0.0/16 back to the gateway, and rt-egress sends it to att-b:
        // b1 sees the NAT's address. The response: b1 → att-b → rt-spokes 10.3.0.0/16 (att-e's propagation) →
        // e-tgw-1a → local to the NAT (reversal) → e-pub-1a → att-e → rt-egress 10.1.0.0/16 → a1.
        var listed = isolated
        listed.network.prefixLists.append(PrefixList(id: "pl-b", name: "b", region: "us-east-1", cidrs: [cidr("10.2.0.0/16")]))
        listed.attachment("tgw-hub", "att-b") { $0.propagatesTo = ["rt-egress", "rt-spokes"] }
        // Without the prefix-list route the propagation carries the request straight to b1, but att-a does not
        // propagate into rt-spokes, so the response finds no route there.
        cases.append(Case(name: "propagation one way only", network: listed.network, flow: tcp("a1", "10.2.1.10"),
                          expected: .dropped(.noRouteToDestination, at: .transitGateway, "tgw-hub", .response, finalDestination: "b1",
                                             translatedSource: ip("10.1.1.10"))))
        listed.tgwRoutes("tgw-hub", "rt-spokes", [TransitGateway.Route(destination: .prefixList("pl-b"), attachmentID: "att-e")])
        cases.append(Case(name: "prefix-list route beats a propagation", network: listed.network, flow: tcp("a1", "10.2.1.10"),
                          expected: delivered("b1", from: "10.3.1.5")))
        return cases
    }

    // MARK: - An inspection VPC, with and without appliance mode

    /// Spoke A only in AZ a (a1, att-a in a-tgw-1a), spoke B only in AZ b (b1, att-b in b-tgw-1b). Inspection
    /// VPC I: att-i in i-tgw-1a and i-tgw-1b, each of whose tables sends 0.0.0.0/0 to the appliance in its
    /// AZ (fw-a in i-fw-1a, fw-b in i-fw-1b, source/dest check off); the appliance subnets send
    /// 0.0.0.0/0 back to the gateway. rt-spokes (att-a, att-b): 0.0.0.0/0 → att-i; rt-firewall (att-i):
    /// the spokes' propagations.
    static func inspection(applianceMode: Bool) -> Hand {
        var h = Hand()
        h.vpc("vpc-a", "10.1.0.0/16")
        h.table("rtb-a", "vpc-a", main: true, [("0.0.0.0/0", .transitGateway("tgw-hub"))])
        h.subnet("a-app-1a", "vpc-a", "10.1.1.0/24", az: "us-east-1a")
        h.subnet("a-tgw-1a", "vpc-a", "10.1.10.0/24", az: "us-east-1a")
        h.instance("a1", "a-app-1a", "10.1.1.10")

        h.vpc("vpc-b", "10.2.0.0/16")
        h.table("rtb-b", "vpc-b", main: true, [("0.0.0.0/0", .transitGateway("tgw-hub"))])
        h.subnet("b-app-1b", "vpc-b", "10.2.2.0/24", az: "us-east-1b")
        h.subnet("b-tgw-1b", "vpc-b", "10.2.11.0/24", az: "us-east-1b")
        h.instance("b1", "b-app-1b", "10.2.2.10")

        h.vpc("vpc-i", "10.4.0.0/16")
        h.table("rtb-i-fw", "vpc-i", main: true, [("0.0.0.0/0", .transitGateway("tgw-hub"))])
        h.table("rtb-i-tgw-1a", "vpc-i", [("0.0.0.0/0", .networkInterface("fw-a"))])
        h.table("rtb-i-tgw-1b", "vpc-i", [("0.0.0.0/0", .networkInterface("fw-b"))])
        h.subnet("i-tgw-1a", "vpc-i", "10.4.10.0/24", az: "us-east-1a", table: "rtb-i-tgw-1a")
        h.subnet("i-tgw-1b", "vpc-i", "10.4.11.0/24", az: "us-east-1b", table: "rtb-i-tgw-1b")
        h.subnet("i-fw-1a", "vpc-i", "10.4.1.0/24", az: "us-east-1a")
        h.subnet("i-fw-1b", "vpc-i", "10.4.2.0/24", az: "us-east-1b")
        h.instance("fw-a", "i-fw-1a", "10.4.1.10", sourceDestCheck: false)
        h.instance("fw-b", "i-fw-1b", "10.4.2.10", sourceDestCheck: false)

        h.network.transitGateways.append(TransitGateway(
            id: "tgw-hub", name: "tgw-hub", region: "us-east-1",
            attachments: [
                TransitGateway.Attachment(id: "att-a", vpcID: "vpc-a", subnetIDs: ["a-tgw-1a"], routeTableID: "rt-spokes", propagatesTo: ["rt-firewall"]),
                TransitGateway.Attachment(id: "att-b", vpcID: "vpc-b", subnetIDs: ["b-tgw-1b"], routeTableID: "rt-spokes", propagatesTo: ["rt-firewall"]),
                TransitGateway.Attachment(id: "att-i", vpcID: "vpc-i", subnetIDs: ["i-tgw-1a", "i-tgw-1b"], applianceMode: applianceMode,
                                          routeTableID: "rt-firewall"),
            ],
            routeTables: [TransitGateway.RouteTable(id: "rt-spokes", name: "rt-spokes",
                                                    routes: [TransitGateway.Route(destination: .any, attachmentID: "att-i")]),
                          TransitGateway.RouteTable(id: "rt-firewall", name: "rt-firewall")]))
        return h
    }

    static var inspectionCases: [Case] {
        // Request: a1 → att-a (zone a) → att-i by i-tgw-1a → fw-a → i-fw-1a → att-i (zone a) → rt-firewall →
        // att-b: no subnet in zone a, so its first, b-tgw-1b → b1. Response: b1 → att-b (zone b) → att-i:
        // without appliance mode by i-tgw-1b (zone b) → fw-b, which the request never passed (§8 rule 7).
        // With appliance mode by i-tgw-1a, the request's subnet → fw-a → att-i → rt-firewall → att-a → a1.
        [Case(name: "inspection without appliance mode, AZ-asymmetric", network: inspection(applianceMode: false).network,
              flow: tcp("a1", "10.2.2.10"),
              expected: .dropped(.responsePathMismatch, at: .interface, "fw-b", .response, finalDestination: "b1",
                                 translatedSource: ip("10.1.1.10"))),
         Case(name: "inspection with appliance mode", network: inspection(applianceMode: true).network,
              flow: tcp("a1", "10.2.2.10"), expected: delivered("b1", from: "10.1.1.10"))]
    }

    // MARK: - A virtual private gateway

    /// vpc-v 10.5.0.0/16 with v1; vgw-1 attached to it; VPN vpn-1 (static route 192.168.0.0/16) to the
    /// on-premises network "dc" 192.168.0.0/16. rtb-v propagates vgw-1's routes.
    static func vgw(propagating: Bool) -> Hand {
        var h = Hand()
        h.vpc("vpc-v", "10.5.0.0/16")
        h.table("rtb-v", "vpc-v", main: true, propagatingFrom: propagating ? ["vgw-1"] : [])
        h.subnet("v-app-1a", "vpc-v", "10.5.1.0/24", az: "us-east-1a")
        h.instance("v1", "v-app-1a", "10.5.1.10")
        h.network.vpnGateways.append(VPNGateway(id: "vgw-1", name: "vgw-1", vpcID: "vpc-v"))
        h.network.customerGateways.append(CustomerGateway(id: "cgw-dc", name: "cgw-dc", ipAddress: ip("198.51.100.9")))
        h.network.vpnConnections.append(VPNConnection(id: "vpn-1", name: "vpn-1", customerGatewayID: "cgw-dc", gateway: .vpnGateway("vgw-1"),
                                                      staticRoutes: [cidr("192.168.0.0/16")]))
        h.network.onPremNetworks.append(OnPremNetwork(name: "dc", cidrs: [cidr("192.168.0.0/16")], via: .vpnConnection("vpn-1")))
        return h
    }

    static var hybridCases: [Case] {
        let propagated = vgw(propagating: true)
        let dc = propagated.id(ofOnPrem: "dc")
        return [
            // §5.10: the propagated 192.168.0.0/16 (class 4) → vgw-1 → dc. The response enters through
            // vpn-1 → vgw-1 → vpc-v's local route → v1 (§5.11, §5.9).
            Case(name: "VPN to on-premises through a virtual private gateway", network: propagated.network,
                 flow: tcp("v1", "192.168.1.20", port: 22), expected: delivered("on-prem:dc", from: "10.5.1.10")),
            Case(name: "no route propagation, no route", network: vgw(propagating: false).network,
                 flow: tcp("v1", "192.168.1.20", port: 22), expected: .dropped(.noRouteToDestination, at: .routeTable, "rtb-v", .request)),
            // §4c: in through vpn-1 and vgw-1; the response leaves v1 by the propagated route back to dc.
            Case(name: "request from on-premises through a virtual private gateway", network: propagated.network,
                 flow: .tcpFromOnPrem(dc, ip("192.168.1.20"), to: ip("10.5.1.10"), port: 22), expected: delivered("v1", from: "192.168.1.20")),
            // §5.11: the gateway only delivers inside its VPC.
            Case(name: "from on-premises to an address outside the gateway's VPC", network: propagated.network,
                 flow: .tcpFromOnPrem(dc, ip("192.168.1.20"), to: ip("10.6.0.10"), port: 22),
                 expected: .dropped(.noPossibleDestination, at: .vpnGateway, "vgw-1", .request)),
        ]
    }

    // MARK: - Peering between transit gateways of two regions

    /// The hub's spoke A (us-east-1) and, in us-west-2, vpc-r 10.9.0.0/16 (r1 in r-app-2a, att-r in
    /// r-tgw-2a) on tgw-west. The gateways peer (att-peer-west on tgw-hub, att-peer-east on tgw-west), with
    /// static routes 10.9.0.0/16 → att-peer-west on the hub and, when `routeBack`, 10.1.0.0/16 → att-peer-east.
    static func peered(routeBack: Bool) -> Hand {
        var h = Hand()
        h.vpc("vpc-a", "10.1.0.0/16")
        h.table("rtb-a", "vpc-a", main: true, [("0.0.0.0/0", .transitGateway("tgw-hub"))])
        h.subnet("a-app-1a", "vpc-a", "10.1.1.0/24", az: "us-east-1a")
        h.subnet("a-tgw-1a", "vpc-a", "10.1.10.0/24", az: "us-east-1a")
        h.instance("a1", "a-app-1a", "10.1.1.10")

        h.vpc("vpc-r", "10.9.0.0/16", region: "us-west-2")
        h.table("rtb-r", "vpc-r", main: true, [("0.0.0.0/0", .transitGateway("tgw-west"))])
        h.subnet("r-app-2a", "vpc-r", "10.9.1.0/24", az: "us-west-2a")
        h.subnet("r-tgw-2a", "vpc-r", "10.9.10.0/24", az: "us-west-2a")
        h.instance("r1", "r-app-2a", "10.9.1.10")

        h.network.transitGateways.append(TransitGateway(
            id: "tgw-hub", name: "tgw-hub", region: "us-east-1",
            attachments: [
                TransitGateway.Attachment(id: "att-a", vpcID: "vpc-a", subnetIDs: ["a-tgw-1a"], routeTableID: "rt-main", propagatesTo: ["rt-main"]),
                TransitGateway.Attachment(id: "att-peer-west", resource: .peering(transitGatewayID: "tgw-west"), routeTableID: "rt-main"),
            ],
            routeTables: [TransitGateway.RouteTable(id: "rt-main", name: "rt-main",
                                                    routes: [TransitGateway.Route(destination: cidr("10.9.0.0/16"), attachmentID: "att-peer-west")])]))
        h.network.transitGateways.append(TransitGateway(
            id: "tgw-west", name: "tgw-west", region: "us-west-2",
            attachments: [
                TransitGateway.Attachment(id: "att-r", vpcID: "vpc-r", subnetIDs: ["r-tgw-2a"], routeTableID: "rt-west", propagatesTo: ["rt-west"]),
                TransitGateway.Attachment(id: "att-peer-east", resource: .peering(transitGatewayID: "tgw-hub"), routeTableID: "rt-west"),
            ],
            routeTables: [TransitGateway.RouteTable(id: "rt-west", name: "rt-west",
                                                    routes: routeBack ? [TransitGateway.Route(destination: cidr("10.1.0.0/16"), attachmentID: "att-peer-east")] : [])]))
        return h
    }

    static var peeringCases: [Case] {
        var missingPeer = peered(routeBack: true)
        missingPeer.network.transitGateways.removeAll { $0.id == "tgw-west" }
        missingPeer.network.routeTables.removeAll { $0.vpcID == "vpc-r" }
        return [
            // a1 → att-a → rt-main 10.9.0.0/16 → att-peer-west → tgw-west from att-peer-east (no zone) →
            // rt-west: att-r's propagation → r-tgw-2a (its first subnet) → r1; and back the same way.
            Case(name: "transit gateway peering to another region", network: peered(routeBack: true).network,
                 flow: tcp("a1", "10.9.1.10"), expected: delivered("r1", from: "10.1.1.10")),
            // Peerings carry static routes only: without 10.1.0.0/16 in rt-west the response has no route.
            Case(name: "peering without the static route back", network: peered(routeBack: false).network,
                 flow: tcp("a1", "10.9.1.10"),
                 expected: .dropped(.noRouteToDestination, at: .transitGateway, "tgw-west", .response, finalDestination: "r1",
                                    translatedSource: ip("10.1.1.10"))),
            // The peer gateway is gone: the hand-over fails at the hub.
            Case(name: "peering to a gateway that is gone", network: missingPeer.network, flow: tcp("a1", "10.9.1.10"),
                 expected: .dropped(.tgwRTBBadStateRoute, at: .transitGateway, "tgw-hub", .request)),
        ]
    }
}
