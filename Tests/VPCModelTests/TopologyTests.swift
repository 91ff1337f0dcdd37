import Foundation
import Testing
@testable import VPCModel

enum Repository {
    /// The package root, found from this file's path so tests run from any directory.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    static let seeds = ["000-lambda-endpoints", "001-omnigen", "002-multi-region-dr", "003-eks-fargate", "004-lang-portal"]
        .map { "Fixtures/seeds/\($0).yaml" }
}

@Suite struct TopologyTests {
    @Test(arguments: Repository.seeds + ["Fixtures/examples/two-tier.yaml"])
    func fixtureLoadsAndValidates(file: String) throws {
        let loaded = try TopologyLoader.load(path: Repository.path(file))
        #expect(loaded.warnings.filter { $0.severity == .error }.isEmpty)
        #expect(!loaded.network.vpcs.isEmpty)
        #expect(NetworkValidator.validate(loaded.network).isEmpty)
    }

    @Test(arguments: Repository.seeds + ["Fixtures/examples/two-tier.yaml"])
    func roundTripsThroughYAML(file: String) throws {
        let original = try TopologyLoader.load(path: Repository.path(file)).network
        let written = TopologyWriter.yaml(original)
        // Written VPC by VPC, the text is what serialising the whole tree at once gives.
        #expect(written == TopologyWriter.yamlInOnePiece(original))
        let reloaded = try TopologyLoader.load(yaml: written, file: "written-\(file)").network
        #expect(reloaded == original)
        // Writing is stable: the second generation is textually identical.
        #expect(TopologyWriter.yaml(reloaded) == written)
    }

    @Test func stableIDsAreFNVOfPrefixAndSeed() {
        // The definition, spelled out with the strings it hashes: ids must never change between releases.
        func reference(_ prefix: String, _ seed: String) -> String {
            let first = StableID.fnv1a64(prefix + ":" + seed), second = StableID.fnv1a64(seed + "#" + prefix)
            return "\(prefix)-" + String(first, radix: 16).leftPadded(to: 16) + String(second & 0xF, radix: 16)
        }
        for (prefix, seed) in [("eni", "workload:Lambda-Internal@private-a"), ("vpc", "main"), ("tgw-attach", "hub:vpc-0001"), ("sg", ""), ("i", "é")] {
            #expect(StableID.make(prefix, seed) == reference(prefix, seed))
        }
        #expect(StableID.make("vpc", "main").count == "vpc-".count + 17)
    }

    @Test func seedNamesUsersAskFor() throws {
        let expected: [String: [String]] = [
            "000-lambda-endpoints": ["Lambda-Internet", "Lambda-Internal", "Fargate", "OpenSearch"],
            "001-omnigen": ["ECS", "Lambda-Generator", "Lambda-Composer"],
            "002-multi-region-dr": ["Lambda-Primary", "Aurora-Primary", "Lambda-Standby", "Aurora-Replica"],
            "003-eks-fargate": ["user-service", "order-service", "payment-service", "notification-service", "analytics-service", "Aurora", "Redis"],
            "004-lang-portal": ["lang-portal-backend", "haiku-generator-backend", "vocab-generator-frontend", "vocab-generator-backend",
                                "writing-practice-frontend", "RDS-Proxy", "RDS"],
        ]
        for (seed, workloads) in expected {
            let network = try TopologyLoader.load(path: Repository.path("Fixtures/seeds/\(seed).yaml")).network
            let names = Set(network.workloads.map { $0.name.lowercased() })
            for workload in workloads { #expect(names.contains(workload.lowercased()), "\(seed) lacks workload \(workload)") }
            if seed != "000-lambda-endpoints" && seed != "002-multi-region-dr" {
                #expect(network.loadBalancers.contains { $0.name == "ALB" }, "\(seed) lacks load balancer ALB")
            }
        }
        let seed000 = try TopologyLoader.load(path: Repository.path("Fixtures/seeds/000-lambda-endpoints.yaml")).network
        #expect(Set(seed000.natGateways.map(\.name)) == ["NAT-GW-A", "NAT-GW-B"])
        let interfaceEndpoints = seed000.endpoints.filter { $0.kind == .interface }
        #expect(Set(interfaceEndpoints.map(\.service)) == ["secretsmanager", "sqs", "states", "ecr.api", "ecr.dkr", "logs", "es"])
        #expect(interfaceEndpoints.allSatisfy { $0.subnetIDs.count == 2 })
        #expect(Set(seed000.endpoints.filter { $0.kind == .gateway }.map(\.name)) == ["s3", "dynamodb"])
        let seed002 = try TopologyLoader.load(path: Repository.path("Fixtures/seeds/002-multi-region-dr.yaml")).network
        #expect(Set(seed002.regions.map(\.name)) == ["us-east-1", "us-west-2"])
    }

    @Test func impliedDefaultsFollowAWS() throws {
        let yaml = """
        vpcs:
          - name: main
            region: us-east-1
            cidr: 10.0.0.0/16
            subnets:
              - {name: a, cidr: 10.0.1.0/24, az: us-east-1a}
            security_groups:
              - {name: web, ingress: [{protocol: tcp, ports: 443, cidr: 0.0.0.0/0}]}
              - {name: locked, egress: []}
            workloads:
              - {name: app, kind: ec2, subnets: [a], security_groups: [web]}
            interfaces:
              - {name: box, subnet: a}
        """
        let network = try TopologyLoader.load(yaml: yaml, file: "defaults.yaml").network
        let subnet = try #require(network.subnets.first)
        let table = try #require(network.routeTable(of: subnet))
        #expect(table.isMain && table.routes == [Route(destination: .cidr(CIDR("10.0.0.0/16")!), target: .local)])
        let acl = try #require(network.networkACL(of: subnet))
        #expect(acl.isDefault && acl.ingress == NetworkACL.allowAllEntries() && acl.egress == NetworkACL.allowAllEntries())
        #expect(network.securityGroups.first { $0.name == "web" }?.egress == [SecurityGroupRule.allowAllEgress])
        #expect(network.securityGroups.first { $0.name == "locked" }?.egress == [])
        // Addresses are assigned from .4 up, never a reserved one: NAT gateways, endpoints, interfaces,
        // workloads, then load balancers, each in declaration order.
        #expect(network.interfaces.first { $0.name == "box" }?.privateIPs == [IPv4Address("10.0.1.4")!])
        #expect(network.interfaces.first { $0.name == "app@a" }?.privateIPs == [IPv4Address("10.0.1.5")!])
        // An interface without groups gets the VPC's default group: inbound from itself, all outbound.
        let box = try #require(network.interfaces.first { $0.name == "box" })
        let defaultGroup = try #require(network.securityGroups.first { $0.id == box.securityGroupIDs.first })
        #expect(defaultGroup.ingress == [SecurityGroupRule(ipProtocol: .all, peer: .securityGroup(defaultGroup.id))])
        #expect(defaultGroup.egress == [SecurityGroupRule.allowAllEgress])
        // Ids are stable across loads.
        #expect(try TopologyLoader.load(yaml: yaml, file: "again.yaml").network == network)
    }

    @Test func gatewayEndpointsAddPrefixListRoutes() throws {
        let network = try TopologyLoader.load(path: Repository.path("Fixtures/seeds/000-lambda-endpoints.yaml")).network
        let s3 = try #require(network.endpoints.first { $0.name == "s3" })
        for tableID in s3.routeTableIDs {
            let table = try #require(network.routeTables.first { $0.id == tableID })
            #expect(table.routes.contains(Route(destination: .prefixList("pl-63a5400a"), target: .gatewayEndpoint(s3.id))))
        }
    }

    @Test func embeddedDataMatchesFixtures() throws {
        let data = try String(contentsOfFile: Repository.path(EmbeddedFiles.awsManagedPath), encoding: .utf8)
        let seed = try String(contentsOfFile: Repository.path(EmbeddedFiles.defaultNetworkPath), encoding: .utf8)
        #expect(EmbeddedFiles.awsManaged + "\n" == data || EmbeddedFiles.awsManaged == data, "run Scripts/embed-data")
        #expect(EmbeddedFiles.defaultNetwork + "\n" == seed || EmbeddedFiles.defaultNetwork == seed, "run Scripts/embed-data")
        #expect(try TopologyLoader.loadDefault().network == TopologyLoader.load(path: Repository.path(EmbeddedFiles.defaultNetworkPath)).network)
        #expect(BuiltinData.embedded.prefixLists.contains { $0.id == "pl-63a5400a" && $0.region == "us-east-1" })
        #expect(BuiltinData.embedded.prefixLists.contains { $0.id == "pl-02cd2c6b" })
        #expect(Set(BuiltinData.embedded.services.filter { $0.prefixListID != nil }.map(\.region)) == ["us-east-1", "us-west-2"])
    }

    @Test func jsonUsesTheSameSchema() throws {
        let json = """
        {"name": "j", "vpcs": [{"name": "v", "region": "eu-west-1", "cidr": "10.9.0.0/16",
          "subnets": [{"name": "s", "cidr": "10.9.1.0/24", "az": "eu-west-1b"}],
          "workloads": [{"name": "w", "subnets": ["s"]}]}]}
        """
        let network = try TopologyLoader.load(yaml: json, file: "net.json").network
        #expect(network.subnets.first?.availabilityZone == "eu-west-1b")
        #expect(network.workloads.first?.interfaceIDs.count == 1)
    }
}
