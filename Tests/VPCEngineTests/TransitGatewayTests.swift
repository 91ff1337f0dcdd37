import Testing
@testable import VPCEngine
import VPCModel

/// Hub and spoke as AWS routes it (issue #15, docs/semantics.md §5.6, §5.10, §5.11), on
/// Fixtures/examples/hub-and-spoke.yaml and variations of it: each test names the AWS behaviour and
/// the verdict that would be wrong without it.
@Suite("Transit gateways, attachment subnets, inspection, egress and VPN edges")
struct TransitGatewayTests {
    static func network() throws -> Network {
        try TopologyLoader.load(path: fixturePath("Fixtures/examples/hub-and-spoke.yaml")).network
    }

    static func answer(_ network: Network, _ from: String, _ to: String, _ ipProtocol: IPProtocol = .tcp, port: Int) throws -> Answer {
        try QueryEngine(network: network).answer(Query(from: from, to: to, ipProtocol: ipProtocol, ports: PortRange(port, port)))
    }

    static func hopKinds(_ answer: Answer) -> [HopKind] { answer.allowed.first?.hops.map(\.kind) ?? [] }

    /// Centralized egress: a spoke reaches the internet through the inspection appliance and the
    /// egress VPC's NAT gateway (AWS's reference design; a "local only" delivery said no).
    @Test func spokeReachesTheInternetThroughTheEgressVPC() throws {
        let answer = try Self.answer(Self.network(), "a1", "internet", port: 443)
        #expect(answer.reachable)
        let kinds = Self.hopKinds(answer)
        #expect(kinds.filter { $0 == .transitGateway }.count == 2, "\(kinds)")
        #expect(kinds.contains(.natGateway) && kinds.contains(.internetGateway))
        #expect(answer.allowed.first?.hops.contains { $0.name == "fw-a" } == true)
    }

    /// Resources in an AZ without an attachment subnet cannot reach the transit gateway; the same
    /// VPC's other AZ can (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html).
    @Test func anAZWithoutAttachmentSubnetCannotUseTheGateway() throws {
        let network = try Self.network()
        let blocked = try Self.answer(network, "b2", "internet", port: 443)
        #expect(blocked.status == .no)
        #expect(blocked.blocked.first?.reason == .tgwAttachmentNotInAZ)
        #expect(blocked.blocked.first?.at.kind == .transitGateway)
        #expect(try Self.answer(network, "b1", "internet", port: 443).reachable)
        // The response of a flow into that AZ is stuck the same way.
        let inbound = try Self.answer(network, "a1", "b2", port: 443)
        #expect(inbound.status == .no && inbound.blocked.first?.reason == .tgwAttachmentNotInAZ && inbound.blocked.first?.direction == .response)
    }

    /// A deny-all network ACL on the attachment subnet stops what crosses it (tgw-nacls: the
    /// attachment subnet's inbound rules judge traffic toward the gateway).
    @Test func theAttachmentSubnetsNetworkACLApplies() throws {
        var network = try Self.network()
        let vpc = try #require(network.vpcs.first { $0.name == "spoke-a" })
        network.networkACLs.append(NetworkACL(id: "acl-deny", name: "deny-all", vpcID: vpc.id, isDefault: false, ingress: [], egress: []))
        for i in network.subnets.indices where network.subnets[i].name.hasPrefix("a-tgw-") { network.subnets[i].networkACLID = "acl-deny" }
        let answer = try Self.answer(network, "a1", "internet", port: 443)
        #expect(answer.status == .no)
        #expect(answer.blocked.first?.reason == .subnetACLRestriction && answer.blocked.first?.at.name == "a-tgw-a")
    }

    /// Several route tables: an attachment routes by the table it is associated with. Associated
    /// with a table without a route to a spoke, the spoke is unreachable at the gateway.
    @Test func associationDecidesTheRouteTable() throws {
        var network = try Self.network()
        let hub = try #require(network.transitGateways.firstIndex { $0.name == "hub" })
        let firewall = try #require(network.transitGateways[hub].routeTables.firstIndex { $0.name == "firewall" })
        // Spokes no longer propagate into the firewall table: traffic back from the appliances has no way to a spoke.
        for a in network.transitGateways[hub].attachments.indices where network.transitGateways[hub].attachments[a].vpcID != nil {
            network.transitGateways[hub].attachments[a].propagatesTo = []
        }
        network.transitGateways[hub].routeTables[firewall].routes = []
        let answer = try Self.answer(network, "a1", "c2", port: 443)
        #expect(answer.status == .no)
        #expect(answer.blocked.first?.reason == .noRouteToDestination && answer.blocked.first?.at.kind == .transitGateway)
        #expect(answer.blocked.first?.rule.contains("table firewall") == true, "\(answer.blocked.first?.rule ?? "")")
    }

    /// A static route beats a propagated one of the same prefix, and a blackhole drops.
    @Test func staticBlackholeBeatsThePropagatedRoute() throws {
        var network = try Self.network()
        let hub = try #require(network.transitGateways.firstIndex { $0.name == "hub" })
        let firewall = try #require(network.transitGateways[hub].routeTables.firstIndex { $0.name == "firewall" })
        network.transitGateways[hub].routeTables[firewall].routes.append(TransitGateway.Route(destination: CIDR("10.3.0.0/16")!, attachmentID: nil))
        let answer = try Self.answer(network, "a1", "c2", port: 443)
        #expect(answer.status == .no && answer.blocked.first?.reason == .tgwRTBBadStateRoute)
    }

    /// Appliance mode keeps both directions of a flow on one AZ's appliance; without it the response
    /// from the other AZ crosses the other appliance, which never saw the connection.
    @Test func applianceModeKeepsTheFlowOnOneAppliance() throws {
        var network = try Self.network()
        #expect(try Self.answer(network, "a1", "c2", port: 443).reachable)
        let hub = try #require(network.transitGateways.firstIndex { $0.name == "hub" })
        let inspection = try #require(network.transitGateways[hub].attachments.firstIndex { $0.name == "inspection" })
        network.transitGateways[hub].attachments[inspection].applianceMode = false
        let asymmetric = try Self.answer(network, "a1", "c2", port: 443)
        #expect(asymmetric.status == .no)
        #expect(asymmetric.blocked.first?.reason == .responsePathMismatch && asymmetric.blocked.first?.direction == .response)
        #expect(asymmetric.blocked.first?.at.name == "fw-b")
        // Within one AZ the two directions meet the same appliance anyway.
        #expect(try Self.answer(network, "a1", "c1", port: 443).reachable)
    }

    /// A removed appliance leaves its AZ's inspection route a blackhole: that AZ's traffic stops.
    @Test func aRemovedApplianceStopsItsAZ() throws {
        var network = try Self.network()
        let fw = try #require(network.interfaces.first { $0.name == "fw-a" })
        network.interfaces.removeAll { $0.id == fw.id }
        let answer = try Self.answer(network, "a1", "internet", port: 443)
        #expect(answer.status == .no && answer.blocked.first?.reason == .badStateRoute)
        #expect(try Self.answer(network, "a2", "internet", port: 443).reachable)
    }

    /// The VPN attachment delivers to the on-premises network; the on-premises range is not internet.
    @Test func vpnAttachmentReachesTheDataCentre() throws {
        let network = try Self.network()
        let answer = try Self.answer(network, "a1", "192.168.1.10", port: 22)
        #expect(answer.reachable)
        let plane = DataPlane(network)
        #expect(plane.isOnPrem(IPv4Address(192, 168, 1, 10).value))
        let a1 = try #require(network.interfaces.first { $0.name == "a1" })
        let flow = Flow(source: try #require(plane.interfaceIndex(id: a1.id)),
                        destination: IPv4Address(192, 168, 1, 10).value, ipProtocol: 6, sourcePort: 40000, destinationPort: 22)
        let verdict = Evaluator(plane).evaluate(flow)
        #expect(verdict.reachable && plane.destinationID(verdict.delivered) == "on-prem:datacenter")
    }

    /// A flow from the data centre enters over its VPN and is routed by the VPN attachment's table.
    @Test func theDataCentreReachesASpokeOverItsVPN() throws {
        let network = try Self.network()
        let plane = DataPlane(network)
        let a1 = try #require(network.interfaces.first { $0.name == "a1" })
        var flow = Flow(source: Flow.onPrem(0), externalSource: IPv4Address(192, 168, 7, 7).value,
                        destination: try #require(a1.primaryIP).value, ipProtocol: 6, sourcePort: 40000, destinationPort: 22)
        let (verdict, events) = Evaluator(plane).trace(flow)
        #expect(verdict.reachable, "\(events)")
        #expect(plane.destinationID(verdict.delivered) == a1.id)
        // Port 80 is not open to the data centre.
        flow.destinationPort = 80
        #expect(Evaluator(plane).evaluate(flow).reason == .eniSGRulesMismatch)
    }

    /// A VPN's static route for a spoke's range (static beats the spoke's propagated CIDR, as in AWS)
    /// sends the packets to the data centre: the answer must not count that as reaching the spoke,
    /// although a host there answers from the same address.
    @Test func deliveryToAnotherHolderOfTheAddressIsNotReachingTheTarget() throws {
        var network = try Self.network()
        let vpn = try #require(network.vpnConnections.firstIndex { $0.name == "dc-vpn" })
        network.vpnConnections[vpn].staticRoutes.append(CIDR("10.3.0.0/16")!)
        network.onPremNetworks[0].cidrs.append(CIDR("10.3.0.0/16")!)
        let answer = try Self.answer(network, "a1", "c2", port: 443)
        #expect(answer.status == .no, "\(answer.allowed.map(\.hops))")
        #expect(answer.blocked.first?.reason == .deliveredElsewhere && answer.blocked.first?.at.kind == .onPrem)
        let engine = QueryEngine(network: network)
        let matrix = engine.matrix(from: try engine.matrixEndpoints(["a1"], asSource: true), to: try engine.matrixEndpoints(["c2"], asSource: false))
        #expect(matrix.pairs.first?.reachable == false && matrix.pairs.first?.partial == false)
    }

    /// A transit gateway peering (another region) carries static routes to the peer, which routes
    /// on into its own attachments.
    @Test func peeringAttachmentCarriesStaticRoutesAcrossRegions() throws {
        let yaml = """
            name: peered
            vpcs:
              - name: east
                region: us-east-1
                cidr: 10.1.0.0/16
                subnets: [{name: e1, cidr: 10.1.1.0/24, az: us-east-1a, route_table: e}]
                route_tables: [{name: e, routes: [{destination: 10.9.0.0/16, target: tgw-east}]}]
                interfaces: [{name: east-host, subnet: e1, security_groups: [open-e]}]
                security_groups: [{name: open-e, ingress: [{protocol: all, cidr: 10.0.0.0/8}]}]
              - name: west
                region: us-west-2
                cidr: 10.9.0.0/16
                subnets: [{name: w1, cidr: 10.9.1.0/24, az: us-west-2a, route_table: w}]
                route_tables: [{name: w, routes: [{destination: 10.1.0.0/16, target: tgw-west}]}]
                interfaces: [{name: west-host, subnet: w1, security_groups: [open-w]}]
                security_groups: [{name: open-w, ingress: [{protocol: all, cidr: 10.0.0.0/8}]}]
            transit_gateways:
              - name: tgw-east
                region: us-east-1
                attachments: [{vpc: east, subnets: [e1]}, {peer: tgw-west}]
                routes: [{destination: 10.9.0.0/16, attachment: tgw-west}]
              - name: tgw-west
                region: us-west-2
                attachments: [{vpc: west, subnets: [w1]}, {peer: tgw-east}]
                routes: [{destination: 10.1.0.0/16, attachment: tgw-east}]
            """
        var network = try TopologyLoader.load(yaml: yaml, file: "peered.yaml").network
        #expect(try Self.answer(network, "east-host", "west-host", port: 443).reachable)
        // Without the static route back, the response has no way home.
        network.transitGateways[1].routeTables[0].routes = []
        let answer = try Self.answer(network, "east-host", "west-host", port: 443)
        #expect(answer.status == .no && answer.blocked.first?.reason == .noRouteToDestination && answer.blocked.first?.direction == .response)
    }

    /// A virtual private gateway with route propagation: its VPN's prefixes appear in the route
    /// table and lead to the data centre; a public instance there is reachable from the internet
    /// on every public address (the on-premises range is not internet).
    @Test func virtualPrivateGatewayPropagatesTheVPNsPrefixes() throws {
        let yaml = """
            name: hybrid
            vpcs:
              - name: hybrid
                region: us-east-1
                cidr: 10.5.0.0/16
                internet_gateway: igw-h
                subnets: [{name: h1, cidr: 10.5.1.0/24, az: us-east-1a, route_table: h}]
                route_tables: [{name: h, routes: [{destination: 0.0.0.0/0, target: igw-h}], propagate_from: [vgw-h]}]
                interfaces: [{name: web, subnet: h1, public_ip: true, security_groups: [web]}]
                security_groups: [{name: web, ingress: [{protocol: tcp, ports: 443, cidr: 0.0.0.0/0}]}]
            vpn_gateways: [{name: vgw-h, vpc: hybrid}]
            customer_gateways: [{name: office-router, ip: 198.51.100.1}]
            vpn_connections: [{name: office-vpn, customer_gateway: office-router, vpn_gateway: vgw-h, static_routes: [203.0.113.0/24]}]
            on_prem: [{name: office, cidrs: [203.0.113.0/24], via: office-vpn}]
            """
        let network = try TopologyLoader.load(yaml: yaml, file: "hybrid.yaml").network
        let toOffice = try Self.answer(network, "web", "203.0.113.9", port: 443)
        #expect(toOffice.reachable)
        #expect(toOffice.allowed.first?.hops.contains { $0.kind == .vpnGateway } == true)
        let fromInternet = try Self.answer(network, "internet", "web", port: 443)
        #expect(fromInternet.reachable, "\(fromInternet.blocked.map { "\($0.reason) \($0.destinations)" })")
    }
}
