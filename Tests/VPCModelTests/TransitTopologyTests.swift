import Testing
@testable import VPCModel

/// Transit gateways and hybrid edges in topology files (docs/topology.md): each broken line is a
/// located error; the example network round-trips through the writer.
@Suite struct TransitTopologyTests {
    static let base = """
    vpcs:
      - name: a
        region: us-east-1
        cidr: 10.1.0.0/16
        subnets:
          - {name: a1, cidr: 10.1.1.0/24, az: us-east-1a}
          - {name: a2, cidr: 10.1.2.0/24, az: us-east-1b}
      - name: b
        region: us-east-1
        cidr: 10.2.0.0/16
        subnets:
          - {name: b1, cidr: 10.2.1.0/24, az: us-east-1a}
    transit_gateways:
      - name: hub
        region: us-east-1
        route_tables:
          - name: main
            routes:
              - {destination: 0.0.0.0/0, attachment: b}  #ROUTE
        attachments:
          - {vpc: a, subnets: [a1, a2]}  #ATTACH_A
          - {vpc: b, subnets: [b1], route_table: main}  #ATTACH_B
      - name: other
        region: us-east-1
        route_tables: [{name: theirs}]
        attachments: []
    vpn_connections:
      - {name: dc-vpn, transit_gateway: hub, static_routes: [192.168.0.0/16]}  #VPN
    on_prem:
      - {name: datacenter, cidrs: [192.168.0.0/16], via: dc-vpn}  #ONPREM
    """

    static let cases: [ValidationTests.Case] = [
        .init(marker: "#ATTACH_B", replacement: "      - {vpc: b, subnets: [b1], route_table: theirs}",
              message: "refers to unknown route table of transit gateway 'hub' 'theirs'"),
        .init(marker: "#ROUTE", replacement: "          - {destination: 0.0.0.0/0, attachment: c}", message: "transit gateway 'hub' has no attachment 'c'"),
        .init(marker: "#ATTACH_A", replacement: "      - {vpc: a, subnets: [a1, b1]}", message: "subnet 'b1' of the attachment is not in VPC 'a'"),
        .init(marker: "#ATTACH_B", replacement: "      - {vpc: a, subnets: [a2]}", message: "transit gateway 'hub' attaches a twice"),
        .init(marker: "#ATTACH_A", replacement: "      - {vpc: a}", message: "a VPC attachment needs 'subnets'"),
        .init(marker: "#ATTACH_A", replacement: "      - {vpc: a, vpn: dc-vpn, subnets: [a1]}", message: "attaches one thing, not vpc and vpn"),
        .init(marker: "#ROUTE", replacement: "          - {destination: 0.0.0.0/0, attachment: b, blackhole: true}", message: "a blackhole route has no 'attachment'"),
        .init(marker: "#VPN", replacement: "  - {name: dc-vpn, static_routes: [192.168.0.0/16]}", message: "a VPN connection ends at one 'vpn_gateway' or one 'transit_gateway'"),
        .init(marker: "#ONPREM", replacement: "  - {name: datacenter, cidrs: [192.168.0.0/16], via: dc-vnp}",
              message: "on-premises network 'datacenter' is reached via unknown 'dc-vnp'", hint: "did you mean 'dc-vpn'?"),
    ]

    static func broken(_ testCase: ValidationTests.Case) -> (yaml: String, line: Int) {
        var lines = base.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = lines.firstIndex { $0.contains(testCase.marker) } ?? 0
        lines[index] = testCase.replacement
        return (lines.joined(separator: "\n"), index + 1)
    }

    @Test func theBaseNetworkIsValidAndAttachesTheVPN() throws {
        let network = try TopologyLoader.load(yaml: Self.base, file: "base.yaml").network
        let hub = try #require(network.transitGateways.first)
        // The VPN connection that ends at the hub is attached to it, associated and propagating by default.
        let vpn = try #require(hub.attachments.first { if case .vpn = $0.resource { true } else { false } })
        #expect(vpn.routeTableID == hub.routeTables[0].id && vpn.propagatesTo == [hub.routeTables[0].id])
        #expect(network.onPremNetworks.map(\.name) == ["datacenter"])
    }

    @Test(arguments: cases)
    func reportsTheErrorAtItsLine(testCase: ValidationTests.Case) throws {
        let (yaml, line) = Self.broken(testCase)
        let error = try #require(throws: InputError.self) { try TopologyLoader.load(yaml: yaml, file: "broken.yaml") }
        let match = error.diagnostics.first { $0.message.contains(testCase.message) }
        let diagnostic = try #require(match, "expected '\(testCase.message)' in:\n\(error)")
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location?.line == line, "\(diagnostic)")
        if let hint = testCase.hint { #expect(diagnostic.hint?.contains(hint) == true, "\(diagnostic)") }
    }

    /// The example hub-and-spoke network (several tables, appliance mode, a VPN, on-prem) is what
    /// its written file loads as.
    @Test func theHubAndSpokeExampleRoundTripsThroughTheWriter() throws {
        let loaded = try TopologyLoader.load(path: Repository.path("Fixtures/examples/hub-and-spoke.yaml")).network
        let written = TopologyWriter.yaml(loaded)
        let again = try TopologyLoader.load(yaml: written, file: "written.yaml").network
        #expect(again.transitGateways == loaded.transitGateways)
        #expect(again.vpnConnections == loaded.vpnConnections && again.onPremNetworks == loaded.onPremNetworks)
        #expect(TopologyWriter.yaml(again) == written)
    }
}
