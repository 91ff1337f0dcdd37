import Foundation
import Testing
@testable import VPCModel

/// Transit gateways, virtual private gateways, customer gateways and VPN connections from
/// `aws ec2 describe-*` outputs (and Batfish's collected layouts), checked against the facts in
/// Fixtures/aws/tgw-hub/README.md and against small inline snapshots.
@Suite struct AWSTransitImportTests {
    // MARK: tgw-hub (ids: Fixtures/aws/tgw-hub/README.md)

    static let hub = "tgw-0cfaea294c598f00a", west = "tgw-02cd537a783c03161"
    static let spokes = "tgw-rtb-05b6b79c4f5bb6230", edges = "tgw-rtb-0877345d49ee119c6", westTable = "tgw-rtb-03d854ce2d063a5fc"
    static let appA = "tgw-attach-0f590bcf373d172e8", appB = "tgw-attach-0bb1a34ea679d3513", egress = "tgw-attach-05e63fbd50e825e73"
    static let vpnAttachment = "tgw-attach-0f93107daa5ceac2b", peering = "tgw-attach-0f1d9e885f2aa0817"
    static let vgw = "vgw-019e944568d72ea11", cgw = "cgw-0368e77cfec3df856", vpnToHub = "vpn-06cc2899f3353159d", vpnToVGW = "vpn-02ed686734758ee2e"
    static let corp = "pl-0ef92b8bb87723d4a"

    static func cidr(_ text: String) throws -> CIDR { try #require(CIDR(text)) }

    @Test func tgwHubMatchesTheREADME() throws {
        let loaded = try AWSImportTests.load("tgw-hub")
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
        let network = loaded.network
        #expect(network.transitGateways.map(\.id) == [Self.hub, Self.west])
        let hub = try #require(network.transitGateways.first { $0.id == Self.hub })
        #expect(hub.name == "hub" && hub.region == "us-east-1" && !hub.securityGroupReferencing)
        #expect(hub.routeTables.map(\.id) == [Self.spokes, Self.edges] && hub.routeTables.map(\.name) == ["spokes", "egress-and-edges"])

        // Attachments: one record per call merged; subnets and appliance mode from the VPC-attachment call.
        #expect(hub.attachments.map(\.id) == [Self.appA, Self.appB, Self.egress, Self.vpnAttachment, Self.peering])
        #expect(hub.attachment(id: Self.appA) == TransitGateway.Attachment(id: Self.appA, name: "hub-app-a", resource: .vpc("vpc-06dba85834074db85"),
                                                                            subnetIDs: ["subnet-0a83d3289a0de1851"], routeTableID: Self.spokes,
                                                                            propagatesTo: [Self.edges]))
        #expect(hub.attachment(id: Self.appB)?.routeTableID == Self.spokes && hub.attachment(id: Self.appB)?.propagatesTo == [Self.edges])
        let egress = try #require(hub.attachment(id: Self.egress))
        #expect(egress.vpcID == "vpc-0160b3c3ee6ede39b" && egress.subnetIDs == ["subnet-0103d5c7e68ad16c1"] && egress.applianceMode)
        #expect(egress.routeTableID == Self.edges && egress.propagatesTo.isEmpty)
        let vpn = try #require(hub.attachment(id: Self.vpnAttachment))
        #expect(vpn.resource == .vpn(Self.vpnToHub) && vpn.name == "hub-dc1-vpn" && vpn.subnetIDs.isEmpty)
        #expect(vpn.routeTableID == Self.edges && vpn.propagatesTo == [Self.spokes, Self.edges])
        let peering = try #require(hub.attachment(id: Self.peering))
        #expect(peering.resource == .peering(transitGatewayID: Self.west) && peering.routeTableID == Self.edges && peering.propagatesTo.isEmpty)

        // Routes: static ones, the blackhole, the prefix-list reference (two entries, one route);
        // what propagations add (VPC CIDRs, the VPN's BGP prefix) is derived, not stored.
        let spokes = try #require(hub.routeTables.first { $0.id == Self.spokes })
        #expect(try spokes.routes == [TransitGateway.Route(destination: Self.cidr("0.0.0.0/0"), attachmentID: Self.egress),
                                      TransitGateway.Route(destination: Self.cidr("10.50.0.0/16"), attachmentID: Self.peering),
                                      TransitGateway.Route(destination: Self.cidr("10.99.0.0/16"), attachmentID: nil),
                                      TransitGateway.Route(destination: .prefixList(Self.corp), attachmentID: Self.vpnAttachment)])
        #expect(hub.routeTables.first { $0.id == Self.edges }?.routes.isEmpty == true)
        #expect(network.prefixLists.first { $0.id == Self.corp }?.cidrs.map(\.description) == ["172.16.0.0/16", "172.17.0.0/16"])

        // The peer in us-west-2 holds the same peering attachment (one id, two gateways).
        let west = try #require(network.transitGateways.first { $0.id == Self.west })
        #expect(west.region == "us-west-2" && west.attachments.count == 1)
        #expect(west.attachments.first?.id == Self.peering && west.attachments.first?.resource == .peering(transitGatewayID: Self.hub))
        #expect(west.attachments.first?.routeTableID == Self.westTable)
        #expect(try west.routeTables.first?.routes == [TransitGateway.Route(destination: Self.cidr("10.0.0.0/8"), attachmentID: Self.peering)])

        // Hybrid edges.
        #expect(network.vpnGateways == [VPNGateway(id: Self.vgw, name: "hub-hybrid-vgw", vpcID: "vpc-0222d29891a266b43")])
        #expect(try network.customerGateways == [CustomerGateway(id: Self.cgw, name: "dc1-edge", ipAddress: #require(IPv4Address("198.51.100.10")), asn: 65010)])
        #expect(try network.vpnConnections == [
            VPNConnection(id: Self.vpnToHub, name: "dc1-to-hub", customerGatewayID: Self.cgw, gateway: .transitGateway(Self.hub),
                          staticRoutes: [], bgpPrefixes: [Self.cidr("192.168.100.0/24")]),
            // The deleted static route is not one.
            VPNConnection(id: Self.vpnToVGW, name: "dc1-to-hybrid", customerGatewayID: Self.cgw, gateway: .vpnGateway(Self.vgw),
                          staticRoutes: [Self.cidr("192.168.0.0/16")]),
        ])
        let hybrid = try #require(network.routeTables.first { $0.id == "rtb-0559ae5da232a90b4" })
        #expect(hybrid.propagatingGatewayIDs == [Self.vgw])
        // 192.168.0.0/16 (Origin EnableVgwRoutePropagation) is the VPN's static route, learned by propagation: derived.
        #expect(try hybrid.routes == [Route(destination: .cidr(Self.cidr("10.40.0.0/16")), target: .local),
                                      Route(destination: .cidr(Self.cidr("10.60.0.0/16")), target: .vpnGateway(Self.vgw))])
        let egressPublic = try #require(network.routeTables.first { $0.id == "rtb-01ae80f85e0ecaa44" })
        #expect(try egressPublic.routes.last == Route(destination: .cidr(Self.cidr("10.0.0.0/8")), target: .transitGateway(Self.hub)))
        // No describe-* output names an on-premises network; none is made up.
        #expect(network.onPremNetworks.isEmpty && network.directConnectGateways.isEmpty)
    }

    @Test func exportPrintsTransitGatewaysAsTheCLIDoes() throws {
        let network = try AWSImportTests.load("tgw-hub").network
        let files = Dictionary(uniqueKeysWithValues: AWSExporter.files(network).map { ($0.name, $0.text) })
        for table in [Self.spokes, Self.edges, Self.westTable] {
            for call in ["get-transit-gateway-route-table-associations", "get-transit-gateway-route-table-propagations", "search-transit-gateway-routes"] {
                #expect(files["\(call)-\(table).json"] != nil, "\(call)-\(table).json")
            }
        }
        let spokes = try #require(files["search-transit-gateway-routes-\(Self.spokes).json"])
        #expect(spokes.hasPrefix("{\n    \"Routes\": [\n"))
        #expect(spokes.components(separatedBy: "\"PrefixListId\": \"\(Self.corp)\"").count == 3, "one route per entry of the list")
        #expect(spokes.contains("\"DestinationCidrBlock\": \"192.168.100.0/24\""), "what the VPN propagates is printed")
        let edges = try #require(files["search-transit-gateway-routes-\(Self.edges).json"])
        #expect(edges.contains("\"DestinationCidrBlock\": \"10.10.0.0/16\"") && edges.contains("\"Type\": \"propagated\""))
        #expect(files["describe-transit-gateway-peering-attachments.json"]?.components(separatedBy: "\"TransitGatewayAttachmentId\"").count == 2,
                "a peering attachment is printed once")
        #expect(files["describe-transit-gateway-vpc-attachments.json"]?.contains("\"ApplianceModeSupport\": \"enable\"") == true)
        #expect(files["describe-vpn-connections.json"]?.contains("\"Value\": \"192.168.100.0/24\"") == true, "BGP prefixes in the vpcsim:bgp-prefixes tag")
        #expect(files["describe-customer-gateways.json"]?.contains("\"BgpAsn\": \"65010\"") == true)
        let routeTables = try #require(files["describe-route-tables.json"])
        #expect(routeTables.contains("\"Origin\": \"EnableVgwRoutePropagation\"") && routeTables.contains("\"GatewayId\": \"\(Self.vgw)\""))
    }

    // MARK: Round trips beyond the fixtures

    /// Every kind of edge a topology can say, exported and imported again. What no ec2 call prints
    /// is documented as lost: on-premises networks, and a Direct Connect gateway's name.
    static let hybridTopology = """
        name: hybrid
        vpcs:
          - name: a
            region: us-east-1
            cidr: 10.1.0.0/16
            subnets:
              - {name: a1, cidr: 10.1.1.0/24, az: us-east-1a}
              - {name: a2, cidr: 10.1.2.0/24, az: us-east-1b}
            route_tables:
              - name: a-main
                main: true
                routes: [{destination: 0.0.0.0/0, target: hub}]
          - name: h
            region: us-east-1
            cidr: 10.2.0.0/16
            subnets:
              - {name: h1, cidr: 10.2.1.0/24, az: us-east-1a}
            route_tables:
              - name: h-main
                main: true
                propagate_from: [vgw-h]
                routes: [{destination: 10.9.0.0/16, target: vgw-h}]
        vpn_gateways:
          - {name: vgw-h, vpc: h}
        customer_gateways:
          - {name: dc, ip: 198.51.100.7, asn: 65001}
          - {name: branch}
        vpn_connections:
          - {name: dc-hub, customer_gateway: dc, transit_gateway: hub, static_routes: [192.168.1.0/24], bgp_prefixes: [192.168.2.0/24]}
          - {name: dc-h, customer_gateway: dc, vpn_gateway: vgw-h, static_routes: [192.168.0.0/16], bgp_prefixes: [172.20.0.0/16]}
          - {name: branch-h, customer_gateway: branch, vpn_gateway: vgw-h, bgp_prefixes: [172.21.0.0/16]}
        direct_connect_gateways:
          - {name: dx, transit_gateways: [hub], prefixes: [172.30.0.0/16]}
        transit_gateways:
          - name: hub
            region: us-east-1
            security_group_referencing: true
            route_tables:
              - name: main
                routes:
                  - {destination: 0.0.0.0/0, attachment: a}
                  - {destination: 10.99.0.0/16, blackhole: true}
                  - {destination: office, attachment: dc-hub}
                  - {destination: 10.200.0.0/16, attachment: west}
              - name: edge
                routes:
                  - {destination: nothing-yet, attachment: a}
            attachments:
              - {vpc: a, subnets: [a1, a2], appliance_mode: true, route_table: main, propagate_to: [main, edge]}
              - {direct_connect: dx, route_table: edge, propagate_to: [main]}
              - {peer: west, route_table: edge}
          - name: west
            region: us-west-2
            attachments:
              - {peer: hub}
            routes:
              - {destination: 10.0.0.0/8, attachment: hub}
        on_prem:
          - {name: dc1, cidrs: [192.168.0.0/16], via: dc-hub}
        prefix_lists:
          - {name: office, region: us-east-1, cidrs: [198.51.100.0/24, 203.0.113.0/24]}
          - {name: nothing-yet, region: us-east-1, cidrs: []}
        """

    @Test func everyEdgeOfATopologySurvivesExportAndImport() throws {
        let original = try TopologyLoader.load(yaml: Self.hybridTopology, file: "hybrid.yaml").network
        #expect(original.transitGateways.count == 2 && original.vpnConnections.count == 3 && original.directConnectGateways.count == 1)
        var again = try AWSImportTests.importExport(original)
        again.name = original.name
        var expected = original
        expected.onPremNetworks = []
        for index in expected.directConnectGateways.indices { expected.directConnectGateways[index].name = expected.directConnectGateways[index].id }
        #expect(AWSRoundTrip.differences(expected, again).isEmpty, "\(AWSRoundTrip.differences(expected, again))")
    }

    @Test func aGeneratedHubSurvivesExportAndImport() throws {
        let original = try NetworkGenerator.generate(GeneratorOptions(vpcs: 4, interfaces: 30, peering: .hub))
        var again = try AWSImportTests.importExport(original)
        again.name = original.name
        again.description = original.description
        let expected = AWSRoundTrip.comparable(original), actual = AWSRoundTrip.comparable(again)
        #expect(AWSRoundTrip.differences(expected, actual).isEmpty, "\(AWSRoundTrip.differences(expected, actual))")
    }

    // MARK: A small snapshot: two gateways, one VPC attached to each

    static let base: [String: String] = [
        "vpcs.json": #"""
        {"Vpcs": [
            {"VpcId": "vpc-0a", "CidrBlock": "10.1.0.0/16", "State": "available"},
            {"VpcId": "vpc-0b", "CidrBlock": "10.2.0.0/16", "State": "available"}
        ]}
        """#,
        "subnets.json": #"""
        {"Subnets": [
            {"SubnetId": "subnet-0a", "VpcId": "vpc-0a", "CidrBlock": "10.1.1.0/24", "AvailabilityZone": "us-east-1a", "State": "available"},
            {"SubnetId": "subnet-0b", "VpcId": "vpc-0b", "CidrBlock": "10.2.1.0/24", "AvailabilityZone": "us-east-1a", "State": "available"}
        ]}
        """#,
        "tgws.json": #"""
        {"TransitGateways": [
            {"TransitGatewayId": "tgw-0a", "State": "available", "Options": {"DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable"}},
            {"TransitGatewayId": "tgw-0b", "State": "available", "Options": {"DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable"}}
        ]}
        """#,
        "tables.json": #"""
        {"TransitGatewayRouteTables": [
            {"TransitGatewayRouteTableId": "tgw-rtb-0a", "TransitGatewayId": "tgw-0a", "State": "available"},
            {"TransitGatewayRouteTableId": "tgw-rtb-0b", "TransitGatewayId": "tgw-0b", "State": "available"}
        ]}
        """#,
        "attachments.json": #"""
        {"TransitGatewayAttachments": [
            {"TransitGatewayAttachmentId": "tgw-attach-0a", "TransitGatewayId": "tgw-0a", "ResourceType": "vpc", "ResourceId": "vpc-0a", "State": "available",
             "Association": {"TransitGatewayRouteTableId": "tgw-rtb-0a", "State": "associated"}},
            {"TransitGatewayAttachmentId": "tgw-attach-0b", "TransitGatewayId": "tgw-0b", "ResourceType": "vpc", "ResourceId": "vpc-0b", "State": "available",
             "Association": {"TransitGatewayRouteTableId": "tgw-rtb-0b", "State": "associated"}}
        ]}
        """#,
        "vpc-attachments.json": #"""
        {"TransitGatewayVpcAttachments": [
            {"TransitGatewayAttachmentId": "tgw-attach-0a", "TransitGatewayId": "tgw-0a", "VpcId": "vpc-0a", "SubnetIds": ["subnet-0a"], "State": "available"},
            {"TransitGatewayAttachmentId": "tgw-attach-0b", "TransitGatewayId": "tgw-0b", "VpcId": "vpc-0b", "SubnetIds": ["subnet-0b"], "State": "available"}
        ]}
        """#,
        "propagations-tgw-rtb-0a.json": #"{"TransitGatewayRouteTablePropagations": [{"TransitGatewayAttachmentId": "tgw-attach-0a", "ResourceType": "vpc", "ResourceId": "vpc-0a", "State": "enabled"}]}"#,
        "propagations-tgw-rtb-0b.json": #"{"TransitGatewayRouteTablePropagations": []}"#,
    ]

    static func with(_ changes: [String: String?]) -> [String: String] {
        var files = base
        for (name, text) in changes { files[name] = text }
        return files
    }

    static func errors(_ files: [String: String]) -> [String] {
        AWSImportTests.errors { () throws(InputError) in try AWSImportTests.load(files) }.map(\.description)
    }

    @Test func theSmallSnapshotLoadsCleanly() throws {
        let loaded = try AWSImportTests.load(Self.base)
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
        let a = try #require(loaded.network.transitGateways.first { $0.id == "tgw-0a" })
        #expect(a.attachments == [TransitGateway.Attachment(id: "tgw-attach-0a", vpcID: "vpc-0a", subnetIDs: ["subnet-0a"],
                                                            routeTableID: "tgw-rtb-0a", propagatesTo: ["tgw-rtb-0a"])])
        #expect(loaded.network.transitGateways.first { $0.id == "tgw-0b" }?.attachments.first?.propagatesTo == [])
    }

    // MARK: Bad input: located errors

    @Test func anAssociationWithARouteTableOfAnotherGatewayIsALocatedError() {
        let listed = Self.errors(Self.with(["associations-tgw-rtb-0b.json": #"""
            {"Associations": [
                {"TransitGatewayAttachmentId": "tgw-attach-0a", "ResourceType": "vpc", "ResourceId": "vpc-0a", "State": "associated"}
            ]}
            """#]))
        #expect(listed.contains { $0.hasPrefix("associations-tgw-rtb-0b.json:2:5: error: attachment 'tgw-attach-0a' of transit gateway 'tgw-0a' is associated with route table 'tgw-rtb-0b' of transit gateway 'tgw-0b'") },
                "\(listed)")
        // The attachment's own Association names the other gateway's table.
        let own = Self.errors(Self.with(["attachments.json": #"""
            {"TransitGatewayAttachments": [
                {"TransitGatewayAttachmentId": "tgw-attach-0a", "TransitGatewayId": "tgw-0a", "ResourceType": "vpc", "ResourceId": "vpc-0a", "State": "available",
                 "Association": {"TransitGatewayRouteTableId": "tgw-rtb-0b", "State": "associated"}}
            ]}
            """#]))
        #expect(own.contains { $0.hasPrefix("attachments.json:3:21: error: attachment 'tgw-attach-0a' of transit gateway 'tgw-0a' is associated with route table 'tgw-rtb-0b' of transit gateway 'tgw-0b'") },
                "\(own)")
    }

    @Test func twoAssociationsForOneAttachmentAreALocatedError() {
        let errors = Self.errors(Self.with([
            "tables.json": #"""
            {"TransitGatewayRouteTables": [
                {"TransitGatewayRouteTableId": "tgw-rtb-0a", "TransitGatewayId": "tgw-0a", "State": "available"},
                {"TransitGatewayRouteTableId": "tgw-rtb-0c", "TransitGatewayId": "tgw-0a", "State": "available"},
                {"TransitGatewayRouteTableId": "tgw-rtb-0b", "TransitGatewayId": "tgw-0b", "State": "available"}
            ]}
            """#,
            "associations-tgw-rtb-0c.json": #"""
            {"Associations": [
                {"TransitGatewayAttachmentId": "tgw-attach-0a", "ResourceType": "vpc", "ResourceId": "vpc-0a", "State": "associated"}
            ]}
            """#,
        ]))
        #expect(errors.contains { $0.hasPrefix("associations-tgw-rtb-0c.json:2:5: error: attachment 'tgw-attach-0a' of transit gateway 'tgw-0a' is associated with two route tables: 'tgw-rtb-0a' (attachments.json:3:21) and 'tgw-rtb-0c'") },
                "\(errors)")
    }

    @Test func aRouteToAnAttachmentOfAnotherGatewayIsALocatedError() {
        let errors = Self.errors(Self.with(["routes-tgw-rtb-0a.json": #"""
            {"Routes": [
                {"DestinationCidrBlock": "10.2.0.0/16", "Type": "static", "State": "active",
                 "TransitGatewayAttachments": [
                    {"TransitGatewayAttachmentId": "tgw-attach-0b", "ResourceType": "vpc", "ResourceId": "vpc-0b"}]}
            ]}
            """#]))
        #expect(errors.contains { $0.hasPrefix("routes-tgw-rtb-0a.json:4:9: error: route 10.2.0.0/16 in route table 'tgw-rtb-0a' of transit gateway 'tgw-0a' uses attachment 'tgw-attach-0b' of transit gateway 'tgw-0b'") },
                "\(errors)")
    }

    @Test func anAttachmentSubnetOutsideItsVPCIsALocatedError() {
        let errors = Self.errors(Self.with(["vpc-attachments.json": #"""
            {"TransitGatewayVpcAttachments": [
                {"TransitGatewayAttachmentId": "tgw-attach-0a", "TransitGatewayId": "tgw-0a", "VpcId": "vpc-0a", "State": "available",
                 "SubnetIds": ["subnet-0b"]}
            ]}
            """#]))
        #expect(errors.contains { $0.hasPrefix("vpc-attachments.json:3:19: error: subnet 'subnet-0b' of transit gateway attachment 'tgw-attach-0a' is in VPC 'vpc-0b', not in the VPC it attaches ('vpc-0a')") },
                "\(errors)")
    }

    @Test func unknownIdsAreReportedOnceAndMatchNothing() throws {
        let loaded = try AWSImportTests.load(Self.with([
            "routes-tgw-rtb-0a.json": #"""
            {"Routes": [
                {"DestinationCidrBlock": "10.7.0.0/16", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-0gone"}], "Type": "static", "State": "active"},
                {"DestinationCidrBlock": "10.8.0.0/16", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-0gone"}], "Type": "static", "State": "active"}
            ]}
            """#,
            "routes-tgw-rtb-0fff.json": #"{"Routes": [{"DestinationCidrBlock": "10.9.0.0/16", "Type": "static", "State": "blackhole"}]}"#,
            "associations-tgw-rtb-0b.json": #"{"Associations": [{"TransitGatewayAttachmentId": "tgw-attach-0other", "ResourceType": "vpc", "ResourceId": "vpc-0c", "State": "associated"}]}"#,
            "vpn.json": #"""
            {"VpnConnections": [
                {"VpnConnectionId": "vpn-0a", "VpnGatewayId": "vgw-0missing", "CustomerGatewayId": "cgw-0a", "State": "available"}
            ]}
            """#,
        ]))
        let warnings = loaded.warnings.map(\.description)
        #expect(warnings.filter { $0.contains("'tgw-attach-0gone' is not in the snapshot") }.count == 1, "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("routes-tgw-rtb-0fff.json:1:2: warning: transit gateway route table 'tgw-rtb-0fff' is not in the snapshot") })
        #expect(warnings.contains { $0.contains("'tgw-attach-0other' is not in the snapshot") })
        #expect(warnings.contains { $0.hasPrefix("vpn.json:2:5: warning: virtual private gateway 'vgw-0missing' is not in the snapshot; VPN connection 'vpn-0a' is left out") })
        let table = try #require(loaded.network.transitGateways.first { $0.id == "tgw-0a" }?.routeTables.first)
        #expect(try table.routes == [TransitGateway.Route(destination: Self.cidr("10.7.0.0/16"), attachmentID: nil),
                                     TransitGateway.Route(destination: Self.cidr("10.8.0.0/16"), attachmentID: nil)])
        #expect(loaded.network.vpnConnections.isEmpty)
    }

    // MARK: What the outputs do not say

    @Test func aListNeedsItsRouteTableIdInTheFileName() throws {
        let loaded = try AWSImportTests.load(Self.with(["routes.json": #"{"Routes": [{"DestinationCidrBlock": "10.9.0.0/16", "Type": "static", "State": "blackhole"}]}"#]))
        #expect(loaded.warnings.contains { $0.description.hasPrefix("routes.json:1:2: warning: the routes in routes.json are ignored: the file name does not say which transit gateway route table they belong to") },
                "\(loaded.warnings)")
        // With one gateway and one route table, the list is that table's.
        let single = try AWSImportTests.load(Self.with([
            "tgws.json": #"{"TransitGateways": [{"TransitGatewayId": "tgw-0a", "State": "available", "Options": {"DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable"}}]}"#,
            "tables.json": #"{"TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": "tgw-rtb-0a", "TransitGatewayId": "tgw-0a", "State": "available"}]}"#,
            "attachments.json": #"{"TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-0a", "TransitGatewayId": "tgw-0a", "ResourceType": "vpc", "ResourceId": "vpc-0a", "State": "available", "Association": {"TransitGatewayRouteTableId": "tgw-rtb-0a", "State": "associated"}}]}"#,
            "vpc-attachments.json": #"{"TransitGatewayVpcAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-0a", "TransitGatewayId": "tgw-0a", "VpcId": "vpc-0a", "SubnetIds": ["subnet-0a"], "State": "available"}]}"#,
            "propagations-tgw-rtb-0b.json": nil,
            "routes.json": #"{"Routes": [{"DestinationCidrBlock": "10.9.0.0/16", "Type": "static", "State": "blackhole"}]}"#,
        ]))
        #expect(single.warnings.isEmpty, "\(single.warnings)")
        #expect(try single.network.transitGateways.first?.routeTables.first?.routes == [TransitGateway.Route(destination: Self.cidr("10.9.0.0/16"), attachmentID: nil)])
    }

    @Test func missingAssociationsAndPropagationsAreAssumedAsAWSSetsThemUpAndSaidSo() throws {
        let loaded = try AWSImportTests.load(Self.with([
            "tgws.json": #"{"TransitGateways": [{"TransitGatewayId": "tgw-0a", "State": "available", "Options": {"DefaultRouteTableAssociation": "enable", "AssociationDefaultRouteTableId": "tgw-rtb-0a", "DefaultRouteTablePropagation": "enable", "PropagationDefaultRouteTableId": "tgw-rtb-0a"}}]}"#,
            "tables.json": nil, "attachments.json": nil, "propagations-tgw-rtb-0a.json": nil, "propagations-tgw-rtb-0b.json": nil,
            "vpc-attachments.json": #"{"TransitGatewayVpcAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-0a", "TransitGatewayId": "tgw-0a", "VpcId": "vpc-0a", "SubnetIds": ["subnet-0a"], "State": "available"}]}"#,
        ]))
        let warnings = loaded.warnings.map(\.message)
        #expect(warnings.contains { $0.contains("does not say which route table of transit gateway 'tgw-0a' attachment 'tgw-attach-0a' is associated with; assumed: its default association route table 'tgw-rtb-0a'") },
                "\(warnings)")
        #expect(warnings.contains { $0.contains("the propagations of transit gateway route table 'tgw-rtb-0a' are not in the snapshot; every attachment is assumed to propagate into 'tgw-rtb-0a'") })
        let tgw = try #require(loaded.network.transitGateways.first)
        #expect(tgw.routeTables.map(\.id) == ["tgw-rtb-0a"], "the default route table the options name")
        #expect(tgw.attachments.first?.routeTableID == "tgw-rtb-0a" && tgw.attachments.first?.propagatesTo == ["tgw-rtb-0a"])
    }

    @Test func propagatedRoutesSayWhatPropagates() throws {
        // No propagations list for tgw-rtb-0b: its propagated routes say tgw-attach-0b propagates into it.
        let loaded = try AWSImportTests.load(Self.with([
            "propagations-tgw-rtb-0b.json": nil,
            "routes-tgw-rtb-0b.json": #"{"Routes": [{"DestinationCidrBlock": "10.2.0.0/16", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-0b", "ResourceType": "vpc", "ResourceId": "vpc-0b"}], "Type": "propagated", "State": "active"}]}"#,
        ]))
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
        let b = try #require(loaded.network.transitGateways.first { $0.id == "tgw-0b" })
        #expect(b.attachments.first?.propagatesTo == ["tgw-rtb-0b"])
        #expect(b.routeTables.first?.routes.isEmpty == true, "the VPC's CIDR is derived from the propagation")
    }

    @Test func aVPNAttachmentIsFoundFromTheIdsRoutesName() throws {
        let vpn = #"""
            {"VpnConnections": [
                {"VpnConnectionId": "vpn-0a", "TransitGatewayId": "tgw-0a", "State": "available", "Options": {"StaticRoutesOnly": true},
                 "Routes": [{"DestinationCidrBlock": "192.168.10.0/24", "Source": "Static", "State": "available"}]}
            ]}
            """#
        // describe-transit-gateway-attachments does not list it, but a route names it with its resource.
        let named = try AWSImportTests.load(Self.with([
            "vpn.json": vpn,
            "routes-tgw-rtb-0a.json": #"{"Routes": [{"DestinationCidrBlock": "192.168.0.0/16", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-0vpn", "ResourceType": "vpn", "ResourceId": "vpn-0a"}], "Type": "static", "State": "active"}]}"#,
        ]))
        let tgw = try #require(named.network.transitGateways.first { $0.id == "tgw-0a" })
        #expect(tgw.attachment(id: "tgw-attach-0vpn")?.resource == .vpn("vpn-0a"))
        #expect(try tgw.routeTables.first?.routes == [TransitGateway.Route(destination: Self.cidr("192.168.0.0/16"), attachmentID: "tgw-attach-0vpn")])
        #expect(try named.network.vpnConnections.first?.staticRoutes == [Self.cidr("192.168.10.0/24")])
        #expect(!named.warnings.contains { $0.message.contains("vpcsim calls it") }, "\(named.warnings)")
        // Nothing names it: the attachment AWS makes gets a stable id, and that is said.
        let unnamed = try AWSImportTests.load(Self.with(["vpn.json": vpn]))
        let id = StableID.make("tgw-attach", "tgw-0a:vpn-0a")
        #expect(unnamed.network.transitGateways.first { $0.id == "tgw-0a" }?.attachment(id: id)?.resource == .vpn("vpn-0a"))
        #expect(unnamed.warnings.contains { $0.description.hasPrefix("vpn.json:2:5: warning: the transit gateway attachment of VPN connection 'vpn-0a' is not in the snapshot; vpcsim calls it '\(id)'") },
                "\(unnamed.warnings)")
    }

    @Test func whatAVirtualPrivateGatewayLearnsOverBGPIsTheConnectionsPrefixes() throws {
        let edges: [String: String?] = [
            "vgw.json": #"{"VpnGateways": [{"VpnGatewayId": "vgw-0a", "State": "available", "Type": "ipsec.1", "VpcAttachments": [{"State": "attached", "VpcId": "vpc-0b"}]}]}"#,
            "cgw.json": #"{"CustomerGateways": [{"CustomerGatewayId": "cgw-0a", "BgpAsn": "65000", "IpAddress": "198.51.100.1", "State": "available", "Type": "ipsec.1"}]}"#,
            "vpn.json": #"""
            {"VpnConnections": [
                {"VpnConnectionId": "vpn-0bgp", "VpnGatewayId": "vgw-0a", "CustomerGatewayId": "cgw-0a", "State": "available", "Options": {"StaticRoutesOnly": false}, "Routes": []}
            ]}
            """#,
        ]
        let tables = #"""
            {"RouteTables": [
                {"RouteTableId": "rtb-0a", "VpcId": "vpc-0a", "Associations": [{"Main": true}], "Routes": [{"DestinationCidrBlock": "10.1.0.0/16", "GatewayId": "local"}]},
                {"RouteTableId": "rtb-0b", "VpcId": "vpc-0b", "Associations": [{"Main": true}], "PropagatingVgws": [{"GatewayId": "vgw-0a"}],
                 "Routes": [{"DestinationCidrBlock": "10.2.0.0/16", "GatewayId": "local"},
                            {"DestinationCidrBlock": "172.20.0.0/16", "GatewayId": "vgw-0a", "Origin": "EnableVgwRoutePropagation", "State": "active"}]}
            ]}
            """#
        let learned = try AWSImportTests.load(Self.with(edges.merging(["tables-vpc.json": tables]) { $1 }))
        #expect(learned.warnings.isEmpty, "\(learned.warnings)")
        #expect(try learned.network.vpnConnections == [VPNConnection(id: "vpn-0bgp", name: "vpn-0bgp", customerGatewayID: "cgw-0a", gateway: .vpnGateway("vgw-0a"),
                                                                     bgpPrefixes: [Self.cidr("172.20.0.0/16")])])
        #expect(try learned.network.customerGateways.first?.asn == 65000 && learned.network.customerGateways.first?.ipAddress == #require(IPv4Address("198.51.100.1")))
        let table = try #require(learned.network.routeTables.first { $0.id == "rtb-0b" })
        #expect(table.propagatingGatewayIDs == ["vgw-0a"] && table.routes.count == 1, "\(table.routes)")
        // Without the propagated route, nothing says what is behind the connection: said once.
        let silent = try AWSImportTests.load(Self.with(edges))
        #expect(silent.warnings.contains { $0.description.hasPrefix("vpn.json:2:5: warning: VPN connection 'vpn-0bgp' uses BGP, but the snapshot shows no prefix learned over it") },
                "\(silent.warnings)")
    }

    @Test func directConnectGatewaysComeFromTheirAttachments() throws {
        let loaded = try AWSImportTests.load(Self.with([
            "attachments-dx.json": #"""
            {"TransitGatewayAttachments": [
                {"TransitGatewayAttachmentId": "tgw-attach-0dx", "TransitGatewayId": "tgw-0a", "ResourceType": "direct-connect-gateway",
                 "ResourceId": "a0cb33f1-da2c-4b16-94b9-09cf843d672f", "State": "available",
                 "Association": {"TransitGatewayRouteTableId": "tgw-rtb-0a", "State": "associated"}}
            ]}
            """#,
            "propagations-tgw-rtb-0a.json": #"{"TransitGatewayRouteTablePropagations": [{"TransitGatewayAttachmentId": "tgw-attach-0dx", "ResourceType": "direct-connect-gateway", "ResourceId": "a0cb33f1-da2c-4b16-94b9-09cf843d672f", "State": "enabled"}]}"#,
            "routes-tgw-rtb-0a.json": #"""
            {"Routes": [
                {"DestinationCidrBlock": "172.30.0.0/16", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-0dx", "ResourceType": "direct-connect-gateway", "ResourceId": "a0cb33f1-da2c-4b16-94b9-09cf843d672f"}], "Type": "propagated", "State": "active"},
                {"DestinationCidrBlock": "0.0.0.0/0", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-0a"}, {"TransitGatewayAttachmentId": "tgw-attach-0dx"}], "Type": "static", "State": "active"}
            ]}
            """#,
        ]))
        let id = "a0cb33f1-da2c-4b16-94b9-09cf843d672f"
        #expect(try loaded.network.directConnectGateways == [DirectConnectGateway(id: id, name: id, transitGatewayIDs: ["tgw-0a"], prefixes: [Self.cidr("172.30.0.0/16")])])
        let tgw = try #require(loaded.network.transitGateways.first { $0.id == "tgw-0a" })
        #expect(tgw.attachment(id: "tgw-attach-0dx")?.resource == .directConnect(id) && tgw.attachment(id: "tgw-attach-0dx")?.propagatesTo == ["tgw-rtb-0a"])
        #expect(try tgw.routeTables.first?.routes == [TransitGateway.Route(destination: Self.cidr("0.0.0.0/0"), attachmentID: "tgw-attach-0a")])
        #expect(loaded.warnings.contains { $0.message.contains("has 2 attachments (equal-cost multipath); vpcsim uses the first, 'tgw-attach-0a'") }, "\(loaded.warnings)")
    }

    @Test func securityGroupReferencingIsOnOnlyWhereEveryAttachmentHasIt() throws {
        let on = #"{"TransitGateways": [{"TransitGatewayId": "tgw-0a", "State": "available", "Options": {"DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable", "SecurityGroupReferencingSupport": "enable"}}]}"#
        let enabled = try AWSImportTests.load(Self.with(["tgws.json": on]))
        #expect(enabled.network.transitGateways.first { $0.id == "tgw-0a" }?.securityGroupReferencing == true)
        let mixed = try AWSImportTests.load(Self.with([
            "tgws.json": on,
            "vpc-attachments.json": #"{"TransitGatewayVpcAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-0a", "TransitGatewayId": "tgw-0a", "VpcId": "vpc-0a", "SubnetIds": ["subnet-0a"], "State": "available", "Options": {"SecurityGroupReferencingSupport": "disable", "ApplianceModeSupport": "enable"}}]}"#,
        ]))
        let tgw = try #require(mixed.network.transitGateways.first { $0.id == "tgw-0a" })
        #expect(!tgw.securityGroupReferencing && tgw.attachments.first?.applianceMode == true)
        #expect(mixed.warnings.contains { $0.message.contains("security group referencing is enabled on transit gateway 'tgw-0a' but disabled on attachment 'tgw-attach-0a'") },
                "\(mixed.warnings)")
    }

    // MARK: Batfish's collected layouts

    @Test func batfishTransitGatewayLayoutsAreRead() throws {
        let files: [String: String] = [
            "Vpcs.json": Self.base["vpcs.json"] ?? "",
            "Subnets.json": Self.base["subnets.json"] ?? "",
            "TransitGateways.json": #"{"TransitGateways": [{"TransitGatewayId": "tgw-0a", "State": "available", "Options": {"DefaultRouteTableAssociation": "enable", "AssociationDefaultRouteTableId": "tgw-rtb-0a", "DefaultRouteTablePropagation": "enable", "PropagationDefaultRouteTableId": "tgw-rtb-0a"}}]}"#,
            "TransitGatewayRouteTables.json": #"""
            {"TransitGatewayRouteTables": [
                {"TransitGatewayRouteTableId": "tgw-rtb-0a", "TransitGatewayId": "tgw-0a", "State": "available", "DefaultAssociationRouteTable": true, "DefaultPropagationRouteTable": true},
                {"TransitGatewayRouteTableId": "tgw-rtb-0e", "TransitGatewayId": "tgw-0a", "State": "available", "DefaultAssociationRouteTable": false, "DefaultPropagationRouteTable": false}
            ]}
            """#,
            "TransitGatewayAttachments.json": #"""
            {"TransitGatewayAttachments": [
                {"TransitGatewayAttachmentId": "tgw-attach-0a", "TransitGatewayId": "tgw-0a", "TransitGatewayOwnerId": "111122223333", "ResourceOwnerId": "111122223333",
                 "ResourceType": "vpc", "ResourceId": "vpc-0a", "State": "available", "Association": {"TransitGatewayRouteTableId": "tgw-rtb-0a", "State": "associated"}},
                {"TransitGatewayAttachmentId": "tgw-attach-0b", "TransitGatewayId": "tgw-0a", "TransitGatewayOwnerId": "111122223333", "ResourceOwnerId": "111122223333",
                 "ResourceType": "vpc", "ResourceId": "vpc-0b", "State": "available", "Association": {"TransitGatewayRouteTableId": "tgw-rtb-0e", "State": "associated"}},
                {"TransitGatewayAttachmentId": "tgw-attach-0vpn", "TransitGatewayId": "tgw-0a", "TransitGatewayOwnerId": "111122223333", "ResourceOwnerId": "111122223333",
                 "ResourceType": "vpn", "ResourceId": "vpn-0a", "State": "available", "Association": {"TransitGatewayRouteTableId": "tgw-rtb-0e", "State": "associated"}}
            ]}
            """#,
            "TransitGatewayVpcAttachments.json": #"""
            {"TransitGatewayVpcAttachments": [
                {"TransitGatewayAttachmentId": "tgw-attach-0a", "TransitGatewayId": "tgw-0a", "VpcId": "vpc-0a", "SubnetIds": ["subnet-0a"], "State": "available", "Options": {"DnsSupport": "enable", "Ipv6Support": "disable"}},
                {"TransitGatewayAttachmentId": "tgw-attach-0b", "TransitGatewayId": "tgw-0a", "VpcId": "vpc-0b", "SubnetIds": ["subnet-0b"], "State": "available", "Options": {"DnsSupport": "enable", "Ipv6Support": "disable"}}
            ]}
            """#,
            "TransitGatewayStaticRoutes.json": #"""
            {"TransitGatewayStaticRoutes": [
                {"AdditionalRoutesAvailable": false, "TransitGatewayRouteTableId": "tgw-rtb-0a",
                 "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "State": "active", "Type": "static",
                             "TransitGatewayAttachments": [{"ResourceId": "vpc-0b", "ResourceType": "vpc", "TransitGatewayAttachmentId": "tgw-attach-0b"}]}]},
                {"AdditionalRoutesAvailable": false, "TransitGatewayRouteTableId": "tgw-rtb-0e", "Routes": []}
            ]}
            """#,
            "TransitGatewayPropagations.json": #"""
            {"TransitGatewayPropagations": [
                {"TransitGatewayRouteTableId": "tgw-rtb-0a", "TransitGatewayRouteTablePropagations": [
                    {"ResourceId": "vpc-0b", "ResourceType": "vpc", "State": "enabled", "TransitGatewayAttachmentId": "tgw-attach-0b"},
                    {"ResourceId": "vpn-0a", "ResourceType": "vpn", "State": "enabled", "TransitGatewayAttachmentId": "tgw-attach-0vpn"}]},
                {"TransitGatewayRouteTableId": "tgw-rtb-0e", "TransitGatewayRouteTablePropagations": [
                    {"ResourceId": "vpc-0a", "ResourceType": "vpc", "State": "enabled", "TransitGatewayAttachmentId": "tgw-attach-0a"},
                    {"ResourceId": "vpc-0b", "ResourceType": "vpc", "State": "disabled", "TransitGatewayAttachmentId": "tgw-attach-0b"}]}
            ]}
            """#,
            "VpnConnections.json": #"{"VpnConnections": [{"VpnConnectionId": "vpn-0a", "CustomerGatewayId": "cgw-0a", "TransitGatewayId": "tgw-0a", "State": "available", "Type": "ipsec.1", "Category": "VPN", "Options": {"StaticRoutesOnly": true}, "Routes": [{"DestinationCidrBlock": "192.168.10.0/24", "Source": "Static", "State": "available"}], "Tags": [{"Key": "Name", "Value": "dc"}]}]}"#,
            "CustomerGateways.json": #"{"CustomerGateways": [{"BgpAsn": "65301", "CustomerGatewayId": "cgw-0a", "IpAddress": "147.75.69.27", "State": "available", "Type": "ipsec.1"}]}"#,
            "DirectConnectGateways.json": #"{"DirectConnectGateways": [{"directConnectGatewayId": "a0cb33f1-da2c-4b16-94b9-09cf843d672f"}]}"#,
        ]
        let loaded = try AWSImportTests.load(files)
        #expect(loaded.warnings.map(\.description) == ["DirectConnectGateways.json:1:2: warning: 'DirectConnectGateways' in DirectConnectGateways.json is ignored: Direct Connect gateways are read from transit gateway attachments (resource type direct-connect-gateway) and the routes they propagate; their associations with virtual private gateways are not modelled"],
                "\(loaded.warnings)")
        let tgw = try #require(loaded.network.transitGateways.first)
        #expect(tgw.attachments.map(\.id) == ["tgw-attach-0a", "tgw-attach-0b", "tgw-attach-0vpn"])
        #expect(tgw.attachments.map(\.routeTableID) == ["tgw-rtb-0a", "tgw-rtb-0e", "tgw-rtb-0e"])
        #expect(tgw.attachments.map(\.propagatesTo) == [["tgw-rtb-0e"], ["tgw-rtb-0a"], ["tgw-rtb-0a"]])
        #expect(tgw.attachments.map(\.subnetIDs) == [["subnet-0a"], ["subnet-0b"], []])
        #expect(try tgw.routeTables.map(\.routes) == [[TransitGateway.Route(destination: Self.cidr("0.0.0.0/0"), attachmentID: "tgw-attach-0b")], []])
        #expect(try loaded.network.vpnConnections == [VPNConnection(id: "vpn-0a", name: "dc", customerGatewayID: "cgw-0a", gateway: .transitGateway("tgw-0a"),
                                                                    staticRoutes: [Self.cidr("192.168.10.0/24")])])
        #expect(loaded.network.customerGateways.first?.asn == 65301)
    }

    @Test func batfishLoadBalancerLayoutsAreRead() throws {
        let lb = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/web/0123456789abcdef"
        let groupA = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-a/1111111111111111"
        let groupB = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-b/2222222222222222"
        let files: [String: String] = [
            "Vpcs.json": #"{"Vpcs": [{"VpcId": "vpc-0a", "CidrBlock": "10.1.0.0/16", "State": "available"}]}"#,
            "Subnets.json": #"{"Subnets": [{"SubnetId": "subnet-0a", "VpcId": "vpc-0a", "CidrBlock": "10.1.1.0/24", "AvailabilityZone": "us-east-1a", "State": "available"}]}"#,
            "NetworkInterfaces.json": #"""
            {"NetworkInterfaces": [
                {"NetworkInterfaceId": "eni-0lb", "SubnetId": "subnet-0a", "PrivateIpAddress": "10.1.1.5", "Groups": [], "InterfaceType": "network_load_balancer",
                 "RequesterManaged": true, "Description": "ELB net/web/0123456789abcdef", "SourceDestCheck": false},
                {"NetworkInterfaceId": "eni-0t1", "SubnetId": "subnet-0a", "PrivateIpAddress": "10.1.1.20", "Groups": []},
                {"NetworkInterfaceId": "eni-0t2", "SubnetId": "subnet-0a", "PrivateIpAddress": "10.1.1.21", "Groups": []}
            ]}
            """#,
            "LoadBalancers.json": #"{"LoadBalancers": [{"LoadBalancerArn": "\#(lb)", "LoadBalancerName": "web", "Type": "network", "Scheme": "internal", "VpcId": "vpc-0a", "State": {"Code": "active"}, "AvailabilityZones": [{"ZoneName": "us-east-1a", "SubnetId": "subnet-0a"}]}]}"#,
            "TargetGroups.json": #"""
            {"TargetGroups": [
                {"TargetGroupArn": "\#(groupA)", "TargetGroupName": "web-a", "Protocol": "TCP", "Port": 80, "VpcId": "vpc-0a", "TargetType": "ip"},
                {"TargetGroupArn": "\#(groupB)", "TargetGroupName": "web-b", "Protocol": "TCP", "Port": 81, "VpcId": "vpc-0a", "TargetType": "ip"}
            ]}
            """#,
            // A load balancer with its listeners, and (older collections) a listener on its own.
            "LoadBalancerListeners.json": #"""
            {"LoadBalancerListeners": [
                {"LoadBalancerArn": "\#(lb)", "Listeners": [
                    {"ListenerArn": "\#(lb)/l1", "Port": 80, "Protocol": "TCP", "DefaultActions": [{"Type": "forward", "TargetGroupArn": "\#(groupA)", "Order": 1}]}]},
                {"ListenerArn": "\#(lb)/l2", "LoadBalancerArn": "\#(lb)", "Port": 81, "Protocol": "TCP", "DefaultActions": [{"Type": "forward", "TargetGroupArn": "\#(groupB)"}]}
            ]}
            """#,
            // Names its target groups, unlike describe-target-health.
            "LoadBalancerTargetHealth.json": #"""
            {"LoadBalancerTargetHealth": [
                {"TargetGroupArn": "\#(groupA)", "TargetHealthDescriptions": [{"HealthCheckPort": "80", "Target": {"Id": "10.1.1.20", "Port": 80}, "TargetHealth": {"State": "healthy"}}]},
                {"TargetGroupArn": "\#(groupB)", "TargetHealthDescriptions": [{"HealthCheckPort": "81", "Target": {"Id": "10.1.1.21", "Port": 81}, "TargetHealth": {"State": "unhealthy", "Reason": "Target.FailedHealthChecks"}}]}
            ]}
            """#,
        ]
        let loaded = try AWSImportTests.load(files)
        #expect(loaded.warnings.map(\.message) == ["1 target of target group 'web-b' is not healthy; target health is not modelled: answers treat every registered target as a target"],
                "\(loaded.warnings)")
        let balancer = try #require(loaded.network.loadBalancers.first)
        #expect(balancer.listeners == [LoadBalancer.Listener(listenerProtocol: "TCP", port: 80, targetGroupID: groupA),
                                       LoadBalancer.Listener(listenerProtocol: "TCP", port: 81, targetGroupID: groupB)])
        #expect(balancer.interfaceIDs == ["eni-0lb"])
        #expect(loaded.network.targetGroups.map(\.targets) == [[.interface("eni-0t1")], [.interface("eni-0t2")]])
    }
}
