import Foundation
import Testing
@testable import VPCModel

/// The `aws ec2 describe-*` importer, checked against the facts in Fixtures/aws/README.md.
@Suite struct AWSImportTests {
    static func load(_ name: String) throws -> LoadedTopology { try TopologyLoader.load(path: Repository.path("Fixtures/aws/\(name)")) }

    /// Loads in-memory files as if they were a folder (for malformed and partial inputs).
    static func load(_ files: [String: String], region: String? = "us-east-1") throws(InputError) -> LoadedTopology {
        try AWSImporter.load(files: files.sorted { $0.key < $1.key }.map { ($0.value, AWSSnapshot.Context(file: $0.key, region: region, account: nil)) },
                             name: "test", folder: "snapshot")
    }

    static func errors(_ body: () throws(InputError) -> LoadedTopology) -> [Diagnostic] {
        do {
            _ = try body()
            return []
        } catch {
            return error.diagnostics.filter { $0.severity == .error }
        }
    }

    // MARK: public-private-nat

    @Test func publicPrivateNATMatchesTheREADME() throws {
        let loaded = try Self.load("public-private-nat")
        let network = loaded.network
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
        #expect(network.account == "111122223333")
        let vpc = try #require(network.vpcs.first)
        #expect(network.vpcs.count == 1)
        #expect(try vpc.id == "vpc-0066b11b8b512e81c" && vpc.region == "us-east-1" && vpc.cidrs == [#require(CIDR("10.0.0.0/16"))])
        let subnets = Dictionary(uniqueKeysWithValues: network.subnets.map { ($0.id, $0) })
        #expect(subnets["subnet-059901eb7309e1d52"]?.cidr.description == "10.0.1.0/24")
        #expect(subnets["subnet-0ac702c3087e0a0aa"]?.availabilityZone == "us-east-1a")
        #expect(subnets["subnet-035f7f7adad56a3e1"]?.name == "ppn-public-b")
        // Route tables: explicit associations; the main table serves no subnet.
        #expect(subnets["subnet-059901eb7309e1d52"]?.routeTableID == "rtb-0cc14a2fd9b3687f9")
        #expect(subnets["subnet-035f7f7adad56a3e1"]?.routeTableID == "rtb-0cc14a2fd9b3687f9")
        #expect(subnets["subnet-0ac702c3087e0a0aa"]?.routeTableID == "rtb-005fa7ec11de63637")
        let main = try #require(network.routeTables.first { $0.id == "rtb-009ecbc16c260bd38" })
        #expect(main.isMain && main.routes == [Route(destination: .cidr(vpc.cidrs[0]), target: .local)])
        let privateTable = try #require(network.routeTables.first { $0.id == "rtb-005fa7ec11de63637" })
        #expect(privateTable.routes.last == Route(destination: .cidr(.any), target: .natGateway("nat-090880a9e6e1b9983")))
        let publicTable = try #require(network.routeTables.first { $0.id == "rtb-0cc14a2fd9b3687f9" })
        #expect(publicTable.routes.last == Route(destination: .cidr(.any), target: .internetGateway("igw-0c6bee1f64c03f251")))
        #expect(network.internetGateways == [InternetGateway(id: "igw-0c6bee1f64c03f251", name: "ppn-igw", vpcID: vpc.id)])
        // NAT gateway and its requester-managed interface.
        let nat = try #require(network.natGateways.first)
        #expect(nat.id == "nat-090880a9e6e1b9983" && nat.privateIP.description == "10.0.1.148" && nat.elasticIP?.description == "52.4.118.23")
        #expect(nat.interfaceID == "eni-0e2a1fa8847f2ce36" && nat.connectivity == .public && nat.subnetID == "subnet-059901eb7309e1d52")
        let natENI = try #require(network.interfaces.first { $0.id == "eni-0e2a1fa8847f2ce36" })
        #expect(natENI.owner == .natGateway(nat.id) && natENI.publicIPIsElastic && !natENI.sourceDestCheck && natENI.securityGroupIDs.isEmpty)
        // NACLs: public subnets use the default ACL (nil), private-a the custom one; 32767 is implicit.
        #expect(subnets["subnet-059901eb7309e1d52"]?.networkACLID == nil)
        #expect(subnets["subnet-0ac702c3087e0a0aa"]?.networkACLID == "acl-09eaf7a159f71fd17")
        let acl = try #require(network.networkACLs.first { $0.id == "acl-09eaf7a159f71fd17" })
        #expect(try acl.ingress == [NetworkACLEntry(ruleNumber: 100, action: .allow, ipProtocol: .tcp, ports: #require(PortRange(1024, 65535)), cidr: .any),
                                NetworkACLEntry(ruleNumber: 200, action: .allow, ipProtocol: .all, cidr: vpc.cidrs[0])])
        #expect(acl.egress == NetworkACL.allowAllEntries())
        #expect(network.networkACLs.first { $0.id == "acl-09d80b64562d9f4bf" }?.isDefault == true)
        // Instances are ec2 workloads named by their Name tag; ids stay AWS ids.
        let privateInstance = try #require(network.workloads.first { $0.id == "i-0e751e348f803bdd5" })
        #expect(privateInstance.kind == "ec2" && privateInstance.name == "ppn-private-app" && privateInstance.interfaceIDs == ["eni-0ed0a3f8e7bc2326d"])
        let publicENI = try #require(network.interfaces.first { $0.instanceID == "i-051a3a9977d7a988b" })
        #expect(publicENI.primaryIP?.description == "10.0.1.20" && publicENI.publicIP?.description == "54.173.22.160" && !publicENI.publicIPIsElastic)
        #expect(publicENI.owner == .workload("i-051a3a9977d7a988b"))
        // Security groups: CIDR, group reference and description.
        let app = try #require(network.securityGroups.first { $0.id == "sg-041af99d67d5f93d6" })
        #expect(app.ingress == [SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(port: 22), peer: .cidr(vpc.cidrs[0])),
                                SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(port: 8080), peer: .securityGroup("sg-09c4e56e060064df7"))])
        #expect(app.egress == [SecurityGroupRule.allowAllEgress])
        let web = try #require(network.securityGroups.first { $0.id == "sg-03d141df5d5fb1dac" })
        #expect(try web.ingress.last?.description == "admin workstation" && web.ingress.last?.peer == .cidr(#require(CIDR("203.0.113.10/32"))))
        // The ALB: nodes, listener, target group.
        let alb = try #require(network.loadBalancers.first)
        #expect(alb.name == "ppn-web-alb" && alb.kind == .application && alb.scheme == .internetFacing)
        #expect(alb.interfaceIDs == ["eni-047252c8893558267", "eni-033e7febdc0655868"])
        let node = try #require(network.interfaces.first { $0.id == "eni-047252c8893558267" })
        #expect(node.owner == .loadBalancer(alb.id) && node.primaryIP?.description == "10.0.1.237" && node.publicIP?.description == "34.194.57.12")
        #expect(network.interfaces.first { $0.id == "eni-033e7febdc0655868" }?.publicIP?.description == "52.70.201.9")
        let groupARN = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/ppn-app-8080/71aed8de994fa911"
        #expect(alb.listeners == [LoadBalancer.Listener(listenerProtocol: "HTTP", port: 80, targetGroupID: groupARN)])
        let group = try #require(network.targetGroups.first)
        #expect(group.id == groupARN && group.port == 8080 && group.targetProtocol == "HTTP" && group.targets == [.interface("eni-0ed0a3f8e7bc2326d")])
    }

    // MARK: endpoints

    @Test func endpointsMatchTheREADME() throws {
        let network = try Self.load("endpoints").network
        let table = try #require(network.routeTables.first { $0.id == "rtb-008116c1d5a474639" })
        #expect(table.routes.contains(Route(destination: .prefixList("pl-63a5400a"), target: .gatewayEndpoint("vpce-0314e936ddbf31b73"))))
        #expect(table.routes.contains(Route(destination: .prefixList("pl-02cd2c6b"), target: .gatewayEndpoint("vpce-0f659461c89e1bcec"))))
        #expect(network.subnets.allSatisfy { $0.routeTableID == table.id })
        // The snapshot's prefix-list entries win over the built-in copy.
        let s3 = try #require(network.prefixLists.first { $0.id == "pl-63a5400a" })
        #expect(s3.awsManaged && s3.cidrs.map(\.description).sorted() == ["16.182.0.0/16", "18.34.0.0/19", "18.34.232.0/21", "3.5.0.0/19", "52.216.0.0/15", "54.231.0.0/16"])
        #expect(network.services.first { $0.name == "s3" && $0.region == "us-east-1" }?.addresses == s3.cidrs)
        let secrets = try #require(network.endpoints.first { $0.id == "vpce-0e6971a46ddb5b51a" })
        #expect(secrets.kind == .interface && secrets.service == "secretsmanager" && secrets.privateDNS)
        #expect(secrets.interfaceIDs == ["eni-0ef61b19dd1bed676", "eni-0a2563150c462d642"])
        #expect(secrets.securityGroupIDs == ["sg-0409f98f314c9f271"])
        for id in secrets.interfaceIDs { #expect(network.interfaces.first { $0.id == id }?.owner == .endpoint(secrets.id)) }
        #expect(network.interfaces.first { $0.id == "eni-0ef61b19dd1bed676" }?.primaryIP?.description == "10.1.1.34")
        #expect(network.endpoints.first { $0.id == "vpce-04946dc7a199ac2d2" }?.service == "sqs")
        // Lambda ENIs: one workload per function, named from the description.
        let lambda = try #require(network.workloads.first { $0.kind == "lambda" })
        #expect(network.workloads.count == 1)
        #expect(lambda.name == "orders-fn" && Set(lambda.interfaceIDs) == ["eni-0aa0214382f5026c0", "eni-00e4041f9da6db066"])
        let endpointGroup = try #require(network.securityGroups.first { $0.id == "sg-0409f98f314c9f271" })
        #expect(endpointGroup.ingress == [SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(port: 443), peer: .securityGroup("sg-01fc8ff4031aa3b58"), description: "orders-fn")])
    }

    @Test func lambdaFunctionNamesDropTheUUID() {
        #expect(AWSNetworkBuilder.lambdaFunction(description: "AWS Lambda VPC ENI-orders-fn-6346539d-1b1e-509c-84cc-db3989f0f78f") == "orders-fn")
        #expect(AWSNetworkBuilder.lambdaFunction(description: "AWS Lambda VPC ENI-my-fn") == "my-fn")
        #expect(AWSNetworkBuilder.lambdaFunction(description: "Primary network interface") == nil)
    }

    @Test func layoutFolderEqualsFlatFolder() throws {
        let flat = try Self.load("endpoints").network
        var nested = try Self.load("layouts").network
        nested.name = flat.name
        #expect(nested == flat)
        let contexts = AWSImporter.jsonFiles(in: Repository.path("Fixtures/aws/layouts"))
        #expect(!contexts.isEmpty && contexts.allSatisfy { $0.region == "us-east-1" && $0.account == "111122223333" })
    }

    // MARK: peered

    @Test func peeredMatchesTheREADME() throws {
        let network = try Self.load("peered").network
        #expect(Set(network.vpcs.map(\.id)) == ["vpc-0c3cf9c11a278588c", "vpc-0a29c9d9d03389ef2", "vpc-08e13ab1e10a8004f"])
        let ab = try #require(network.peerings.first { $0.id == "pcx-0eca54adb2e47086d" })
        #expect(ab.requesterVPCID == "vpc-0c3cf9c11a278588c" && ab.accepterVPCID == "vpc-0a29c9d9d03389ef2")
        #expect(network.peerings.count == 2)
        let b = try #require(network.routeTables.first { $0.id == "rtb-06eefa501a95e8f36" })
        #expect(try b.routes.contains(Route(destination: .cidr(#require(CIDR("10.4.0.0/16"))), target: .peering("pcx-0d48ecb86bcd858cd"))))
        // A cross-VPC group reference across an active same-region peering is kept.
        let groupB = try #require(network.securityGroups.first { $0.id == "sg-0ccf7671585387cfd" })
        #expect(groupB.ingress.contains { $0.peer == .securityGroup("sg-08bd3d4e3e30f63b4") && $0.ports == PortRange(port: 5432) })
    }

    // MARK: Robustness

    static let minimal: [String: String] = [
        "vpcs.json": #"{"Vpcs": [{"VpcId": "vpc-0aaa", "CidrBlock": "10.9.0.0/16", "State": "available", "OwnerId": "444455556666"}]}"#,
        "subnets.json": #"{"Subnets": [{"SubnetId": "subnet-0aaa", "VpcId": "vpc-0aaa", "CidrBlock": "10.9.1.0/24", "AvailabilityZone": "us-east-1a", "State": "available"}]}"#,
    ]

    @Test func aMinimalSnapshotGetsAWSDefaults() throws {
        let loaded = try Self.load(Self.minimal)
        #expect(loaded.network.account == "444455556666")
        #expect(loaded.network.routeTables.count == 1 && loaded.network.routeTables[0].isMain)
        #expect(loaded.network.networkACLs.count == 1 && loaded.network.networkACLs[0].isDefault)
        #expect(loaded.network.subnets[0].name == "subnet-0aaa")
    }

    @Test func unknownKeysAndFieldsAreWarnings() throws {
        var files = Self.minimal
        files["extra.json"] = #"{"Widgets": [], "NextToken": "x"}"#
        files["vpcs.json"] = #"{"Vpcs": [{"VpcId": "vpc-0aaa", "CidrBlock": "10.9.0.0/16", "State": "available", "Flavour": "new"}]}"#
        let loaded = try Self.load(files)
        let messages = loaded.warnings.map(\.description)
        #expect(messages.contains { $0.hasPrefix("extra.json:1:2: warning: unknown top-level key 'Widgets'") }, "\(messages)")
        #expect(messages.contains { $0.contains("unknown field 'Flavour'") && $0.hasPrefix("vpcs.json:1:") })
        #expect(!messages.contains { $0.contains("NextToken") })
        files["empty.json"] = "\n"
        #expect(try Self.load(files).warnings.contains { $0.file == "empty.json" && $0.message.contains("empty") })
    }

    @Test func malformedJSONIsALocatedError() {
        var files = Self.minimal
        files["broken.json"] = "{\n    \"Subnets\": [\n        {\"SubnetId\": \"subnet-0b\",,}\n    ]\n}\n"
        let errors = Self.errors { () throws(InputError) in try Self.load(files) }
        #expect(errors.count == 1)
        #expect(errors.first?.location?.file == "broken.json" && errors.first?.location?.line == 3, "\(errors)")
        #expect(errors.first?.hint != nil)
    }

    @Test func aMissingRequiredFieldIsALocatedError() {
        var files = Self.minimal
        files["subnets.json"] = "{\"Subnets\": [\n  {\"SubnetId\": \"subnet-0aaa\", \"VpcId\": \"vpc-0aaa\", \"AvailabilityZone\": \"us-east-1a\"}\n]}"
        let errors = Self.errors { () throws(InputError) in try Self.load(files) }
        #expect(errors.map(\.description).contains { $0.hasPrefix("subnets.json:2:3: error: a subnet is missing required field 'CidrBlock'") }, "\(errors)")
    }

    @Test func referencesOutsideTheSnapshotAreReportedOnceAndMatchNothing() throws {
        var files = Self.minimal
        files["groups.json"] = #"""
        {"SecurityGroups": [{"GroupId": "sg-0aaa", "VpcId": "vpc-0aaa", "GroupName": "app",
          "IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": [{"GroupId": "sg-0other", "UserId": "999988887777"}]},
            {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": "sg-0other", "UserId": "999988887777"}]},
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "PrefixListIds": [{"PrefixListId": "pl-0notdumped"}], "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}],
          "IpPermissionsEgress": []}]}
        """#
        files["routes.json"] = #"""
        {"RouteTables": [{"RouteTableId": "rtb-0aaa", "VpcId": "vpc-0aaa", "Associations": [{"Main": true}],
          "Routes": [{"DestinationCidrBlock": "10.9.0.0/16", "GatewayId": "local", "State": "active"},
                     {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-0gone", "State": "blackhole"},
                     {"DestinationCidrBlock": "192.168.0.0/16", "GatewayId": "vgw-0aaa", "Origin": "EnableVgwRoutePropagation", "State": "active"},
                     {"DestinationCidrBlock": "172.16.0.0/12", "TransitGatewayId": "tgw-0missing", "State": "active"}]}]}
        """#
        let loaded = try Self.load(files)
        let group = try #require(loaded.network.securityGroups.first)
        #expect(try group.ingress == [SecurityGroupRule(ipProtocol: .tcp, ports: PortRange(port: 22), peer: .cidr(#require(CIDR("10.0.0.0/8"))))])
        #expect(group.egress.isEmpty)
        let warnings = loaded.warnings.map(\.message)
        #expect(warnings.filter { $0.contains("sg-0other") }.count == 1, "\(warnings)")
        #expect(warnings.filter { $0.contains("pl-0notdumped") }.count == 1)
        let routes = try #require(loaded.network.routeTables.first).routes
        #expect(routes[1] == Route(destination: .cidr(.any), target: .natGateway("nat-0gone"), isBlackhole: true))
        // A virtual private gateway that is not in the snapshot: the route keeps its target and is a blackhole.
        #expect(try routes[2] == Route(destination: .cidr(#require(CIDR("192.168.0.0/16"))), target: .vpnGateway("vgw-0aaa"), origin: .propagated, isBlackhole: true))
        #expect(routes[3].isBlackhole && routes[3].target == .transitGateway("tgw-0missing"))
        #expect(warnings.contains { $0.contains("vgw-0aaa") } && warnings.contains { $0.contains("tgw-0missing") })
        #expect(!warnings.contains { $0.contains("nat-0gone") }, "AWS already marks it blackhole")
    }

    @Test func resourcesThatAreNotAvailableAreSkippedWithANote() throws {
        var files = Self.minimal
        files["nat.json"] = #"{"NatGateways": [{"NatGatewayId": "nat-0del", "SubnetId": "subnet-0aaa", "State": "deleted", "NatGatewayAddresses": []}]}"#
        files["instances.json"] = #"""
        {"Reservations": [{"Instances": [{"InstanceId": "i-0stopped", "State": {"Code": 80, "Name": "stopped"},
          "NetworkInterfaces": [{"NetworkInterfaceId": "eni-0stopped", "SubnetId": "subnet-0aaa", "PrivateIpAddress": "10.9.1.10", "Groups": []}]}]}]}
        """#
        let loaded = try Self.load(files)
        #expect(loaded.network.natGateways.isEmpty && loaded.network.interfaces.isEmpty && loaded.network.workloads.isEmpty)
        #expect(loaded.warnings.contains { $0.message.contains("nat-0del") && $0.message.contains("deleted") })
        #expect(loaded.warnings.contains { $0.message.contains("i-0stopped") && $0.message.contains("stopped") })
    }

    @Test func entriesNeedAPrefixListIDInTheFileName() throws {
        var files = Self.minimal
        files["entries.json"] = #"{"Entries": [{"Cidr": "1.2.3.0/24"}]}"#
        let loaded = try Self.load(files)
        #expect(loaded.warnings.contains { $0.message.contains("does not say which prefix list") })
        #expect(AWSSnapshot.prefixListID(inFileName: "dir/get-managed-prefix-list-entries-pl-63a5400a.json") == "pl-63a5400a")
    }

    @Test func anEmptyFolderIsAnError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let errors = Self.errors { () throws(InputError) in try TopologyLoader.load(path: folder.path) }
        #expect(errors.first?.message.contains("no .json files") == true)
    }

    // MARK: Round trips

    /// Seed 000 exported as AWS JSON and imported again is the same network (but its name).
    @Test(arguments: Repository.seeds)
    func exportThenImportGivesTheSameNetwork(file: String) throws {
        let original = try TopologyLoader.load(path: Repository.path(file)).network
        var imported = try Self.importExport(original)
        imported.name = original.name
        imported.description = original.description
        let expected = AWSRoundTrip.comparable(original)
        let actual = AWSRoundTrip.comparable(imported)
        #expect(AWSRoundTrip.differences(expected, actual).isEmpty, "\(AWSRoundTrip.differences(expected, actual))")
    }

    @Test(arguments: ["public-private-nat", "endpoints", "peered", "tgw-hub"])
    func importedFixturesSurviveExportAndImport(name: String) throws {
        let original = try Self.load(name).network
        var again = try Self.importExport(original)
        again.name = original.name
        #expect(AWSRoundTrip.differences(original, again).isEmpty, "\(AWSRoundTrip.differences(original, again))")
    }

    /// `vpcsim import aws` writes a topology that loads into the same network, modulo what the
    /// topology format cannot hold (docs/aws-import.md).
    @Test(arguments: ["public-private-nat", "endpoints", "peered", "tgw-hub"])
    func importedTopologyYAMLLoadsIntoTheSameNetwork(name: String) throws {
        let imported = try Self.load(name).network
        let yaml = TopologyWriter.yaml(imported)
        #expect(yaml == TopologyWriter.yamlInOnePiece(imported))
        let reloaded = try TopologyLoader.load(yaml: yaml, file: "\(name).yaml").network
        let expected = AWSRoundTrip.yamlComparable(imported), actual = AWSRoundTrip.yamlComparable(reloaded)
        #expect(AWSRoundTrip.differences(expected, actual).isEmpty, "\(AWSRoundTrip.differences(expected, actual))")
    }

    static func importExport(_ network: Network) throws -> Network {
        let files = AWSExporter.files(network).map { ($0.text, AWSSnapshot.Context(file: $0.name, region: nil, account: nil)) }
        let loaded = try AWSImporter.load(files: files, name: "exported", folder: "exported")
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
        return loaded.network
    }

    @Test func exportPrintsWhatTheAWSCLIPrints() throws {
        let network = try Self.load("public-private-nat").network
        let files = Dictionary(uniqueKeysWithValues: AWSExporter.files(network).map { ($0.name, $0.text) })
        let acls = try #require(files["describe-network-acls.json"])
        #expect(acls.hasPrefix("{\n    \"NetworkAcls\": [\n        {\n"))
        #expect(acls.contains("\"RuleNumber\": 32767"))
        #expect(files["describe-target-health-ppn-app-8080.json"]?.contains("\"Id\": \"10.0.2.10\"") == true)
    }
}

/// Comparisons for round trips: which parts of two networks differ, and the normalisations the
/// documented differences need.
enum AWSRoundTrip {
    static func differences(_ a: Network, _ b: Network) -> [String] {
        var result: [String] = []
        func check<T: Equatable>(_ name: String, _ left: T, _ right: T) {
            if left != right { result.append("\(name):\n  expected \(left)\n  actual   \(right)") }
        }
        func checkAll<T: Equatable>(_ name: String, _ left: [T], _ right: [T]) {
            if left.count != right.count { result.append("\(name): \(left.count) vs \(right.count)") }
            for (l, r) in zip(left, right) where l != r { result.append("\(name):\n  expected \(l)\n  actual   \(r)") }
        }
        check("name", a.name, b.name); check("account", a.account, b.account)
        checkAll("vpcs", a.vpcs, b.vpcs); checkAll("subnets", a.subnets, b.subnets); checkAll("routeTables", a.routeTables, b.routeTables)
        checkAll("internetGateways", a.internetGateways, b.internetGateways); checkAll("natGateways", a.natGateways, b.natGateways)
        checkAll("endpoints", a.endpoints, b.endpoints); checkAll("securityGroups", a.securityGroups, b.securityGroups)
        checkAll("networkACLs", a.networkACLs, b.networkACLs); checkAll("interfaces", a.interfaces, b.interfaces)
        checkAll("workloads", a.workloads, b.workloads); checkAll("targetGroups", a.targetGroups, b.targetGroups)
        checkAll("loadBalancers", a.loadBalancers, b.loadBalancers); checkAll("peerings", a.peerings, b.peerings)
        checkAll("transitGateways", a.transitGateways, b.transitGateways); checkAll("prefixLists", a.prefixLists, b.prefixLists)
        checkAll("services", a.services, b.services)
        checkAll("vpnGateways", a.vpnGateways, b.vpnGateways); checkAll("customerGateways", a.customerGateways, b.customerGateways)
        checkAll("vpnConnections", a.vpnConnections, b.vpnConnections); checkAll("directConnectGateways", a.directConnectGateways, b.directConnectGateways)
        checkAll("onPremNetworks", a.onPremNetworks, b.onPremNetworks)
        return result
    }

    /// Export gives load balancers and target groups ARNs as ids and load-balancer interfaces the
    /// `ELB app/…` description: map both back by name.
    static func comparable(_ network: Network) -> Network {
        var n = network
        let lbIDs = Dictionary(n.loadBalancers.map { ($0.id, "lb:" + $0.name) }, uniquingKeysWith: { a, _ in a })
        let tgIDs = Dictionary(n.targetGroups.map { ($0.id, "tg:" + $0.name) }, uniquingKeysWith: { a, _ in a })
        for i in n.loadBalancers.indices {
            n.loadBalancers[i].id = lbIDs[n.loadBalancers[i].id] ?? n.loadBalancers[i].id
            for j in n.loadBalancers[i].listeners.indices { n.loadBalancers[i].listeners[j].targetGroupID = tgIDs[n.loadBalancers[i].listeners[j].targetGroupID] ?? "?" }
        }
        for i in n.targetGroups.indices { n.targetGroups[i].id = tgIDs[n.targetGroups[i].id] ?? n.targetGroups[i].id }
        for i in n.interfaces.indices {
            if case .loadBalancer(let id) = n.interfaces[i].owner { n.interfaces[i].owner = .loadBalancer(lbIDs[id] ?? id); n.interfaces[i].description = nil }
        }
        return n
    }

    /// The topology format derives the ids and names of requester-managed interfaces (NAT gateway,
    /// endpoint, load balancer), assigns load balancers' public IPs itself, takes AWS-managed prefix
    /// lists from the built-in data and writes a blackhole route without its dead target.
    static func yamlComparable(_ network: Network) -> Network {
        var n = network
        var renamed: [String: String] = [:]
        for i in n.interfaces.indices {
            let interface = n.interfaces[i]
            let owner: String
            switch interface.owner {
            case .natGateway(let id), .endpoint(let id): owner = id
            case .loadBalancer(let id):
                owner = id
                n.interfaces[i].publicIP = nil; n.interfaces[i].publicIPIsElastic = false; n.interfaces[i].description = nil
            default: continue
            }
            let id = "\(owner)@\(interface.subnetID)"
            renamed[interface.id] = id
            n.interfaces[i].id = id; n.interfaces[i].name = id; n.interfaces[i].mac = nil
        }
        func rename(_ id: String) -> String { renamed[id] ?? id }
        for i in n.natGateways.indices { n.natGateways[i].interfaceID = rename(n.natGateways[i].interfaceID) }
        for i in n.endpoints.indices { n.endpoints[i].interfaceIDs = n.endpoints[i].interfaceIDs.map(rename) }
        for i in n.loadBalancers.indices { n.loadBalancers[i].interfaceIDs = n.loadBalancers[i].interfaceIDs.map(rename) }
        for i in n.routeTables.indices {
            n.routeTables[i].routes = n.routeTables[i].routes.map { route in
                var route = route
                if route.isBlackhole { route.target = .blackhole }
                if case .networkInterface(let id) = route.target { route.target = .networkInterface(rename(id)) }
                return route
            }
        }
        for i in n.targetGroups.indices {
            n.targetGroups[i].targets = n.targetGroups[i].targets.map { if case .interface(let id) = $0 { return .interface(rename(id)) } else { return $0 } }
        }
        let managed = Set(n.prefixLists.filter(\.awsManaged).map(\.id))
        for i in n.prefixLists.indices where n.prefixLists[i].awsManaged { n.prefixLists[i].cidrs = [] }
        for i in n.services.indices where n.services[i].prefixListID.map(managed.contains) == true { n.services[i].addresses = [] }
        n.vpcs.sort { $0.id < $1.id }; n.subnets.sort { $0.id < $1.id }; n.routeTables.sort { $0.id < $1.id }
        n.securityGroups.sort { $0.id < $1.id }; n.networkACLs.sort { $0.id < $1.id }; n.interfaces.sort { $0.id < $1.id }
        n.workloads.sort { $0.id < $1.id }; n.natGateways.sort { $0.id < $1.id }; n.endpoints.sort { $0.id < $1.id }
        n.internetGateways.sort { $0.id < $1.id }; n.peerings.sort { $0.id < $1.id }; n.loadBalancers.sort { $0.id < $1.id }
        n.targetGroups.sort { $0.id < $1.id }
        return n
    }
}
