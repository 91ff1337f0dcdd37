import Testing
import VPCCheck
import VPCModel

@Suite struct FaultTests {
    static let here = SourceLocation(file: "s.yaml", line: 3, column: 5)

    static func named(_ value: String) -> Located<String> { Located(value: value, location: here) }
    static func fault(_ kind: Fault.Kind) -> Fault { Fault(kind, at: here) }

    func table(_ network: Network, _ name: String) -> RouteTable? { network.routeTables.first { $0.name == name } }
    func defaultRoute(_ network: Network, _ name: String) -> Route? {
        table(network, name)?.routes.first { $0.destination == .cidr(.any) }
    }

    @Test func removingANATGatewayBlackholesItsRoutesAndRemovesItsInterface() throws {
        let network = try Repository.seed("000-lambda-endpoints")
        let nat = try #require(network.natGateways.first { $0.name == "NAT-GW-B" })
        let after = try FaultInjector.apply([Self.fault(.remove(Self.named("nat-gw-b")))], to: network)
        #expect(after.natGateways.map(\.name) == ["NAT-GW-A"])
        #expect(!after.interfaces.contains { $0.id == nat.interfaceID })
        let route = try #require(defaultRoute(after, "private-b"))
        #expect(route.target == .natGateway(nat.id) && route.isBlackhole)
        #expect(defaultRoute(after, "private-a")?.isBlackhole == false)
        // Nothing else changed.
        #expect(after.interfaces.count == network.interfaces.count - 1)
        #expect(after.securityGroups == network.securityGroups)
        #expect(FaultInjector.referenceProblems(in: after).isEmpty)
    }

    @Test func removingAGatewayEndpointDeletesItsRoutesAsAWSDoes() throws {
        let network = try Repository.seed("000-lambda-endpoints")
        let s3 = try #require(network.endpoints.first { $0.name == "s3" })
        #expect(table(network, "private-a")?.routes.contains { $0.target == .gatewayEndpoint(s3.id) } == true)
        let after = try FaultInjector.apply([Self.fault(.remove(Self.named(s3.id)))], to: network)
        #expect(!after.endpoints.contains { $0.id == s3.id })
        for table in after.routeTables { #expect(!table.routes.contains { $0.target == .gatewayEndpoint(s3.id) }) }
        #expect(after.endpoints.contains { $0.name == "dynamodb" })
    }

    @Test func removingAnInterfaceEndpointRemovesItsInterfaces() throws {
        let network = try Repository.seed("000-lambda-endpoints")
        let endpoint = try #require(network.endpoints.first { $0.name == "secretsmanager" })
        let after = try FaultInjector.apply([Self.fault(.remove(Self.named("secretsmanager")))], to: network)
        #expect(endpoint.interfaceIDs.count == 2)
        #expect(!after.interfaces.contains { endpoint.interfaceIDs.contains($0.id) })
        #expect(after.interfaces.count == network.interfaces.count - 2)
    }

    @Test func removingTheInternetGatewayBlackholesPublicRoutes() throws {
        let network = try Repository.seed("001-omnigen")
        let after = try FaultInjector.apply([Self.fault(.remove(Self.named("IGW")))], to: network)
        #expect(after.internetGateways.isEmpty)
        #expect(defaultRoute(after, "public")?.isBlackhole == true)
    }

    @Test func azOutageTakesEverythingRunningInTheZone() throws {
        let network = try Repository.seed("001-omnigen")
        let after = try FaultInjector.apply([Self.fault(.azOutage(Self.named("us-east-1a")))], to: network)
        let zoneA = Set(network.subnets.filter { $0.availabilityZone == "us-east-1a" }.map(\.id))
        #expect(!zoneA.isEmpty)
        // No interface is left in the zone: workloads, NAT gateway, endpoint ENIs, load-balancer node.
        #expect(!after.interfaces.contains { zoneA.contains($0.subnetID) })
        #expect(after.interfaces.count == network.interfaces.filter { !zoneA.contains($0.subnetID) }.count)
        #expect(after.natGateways.isEmpty)
        #expect(after.workloads.first { $0.name == "ECS" }?.interfaceIDs.isEmpty == true)
        #expect(after.workloads.first { $0.name == "Lambda-Generator" }?.interfaceIDs.isEmpty == true)
        let alb = try #require(after.loadBalancers.first { $0.name == "ALB" })
        #expect(alb.interfaceIDs.compactMap { id in after.interfaces.first { $0.id == id }?.name } == ["ALB@public-b"])
        #expect(alb.subnetIDs.count == 2, "configuration survives the outage")
        #expect(after.targetGroups.first { $0.name == "ECS-TG" }?.targets.isEmpty == true)
        for route in after.routeTables.flatMap(\.routes) {
            if case .natGateway = route.target { #expect(route.isBlackhole) }
        }
        // Subnets, tables, groups stay; the result is a network AWS could show.
        #expect(after.subnets == network.subnets && after.securityGroups == network.securityGroups)
        #expect(NetworkValidator.validate(after).filter { $0.severity == .error }.isEmpty)
        #expect(FaultInjector.referenceProblems(in: after).isEmpty)
    }

    @Test func azOutageOfTheOtherZoneLeavesTheNATPath() throws {
        let network = try Repository.seed("001-omnigen")
        let after = try FaultInjector.apply([Self.fault(.azOutage(Self.named("US-EAST-1B")))], to: network)
        #expect(after.natGateways.map(\.name) == ["NAT"])
        #expect(after.workloads.first { $0.name == "ECS" }?.interfaceIDs == network.workloads.first { $0.name == "ECS" }?.interfaceIDs)
        #expect(!after.routeTables.flatMap(\.routes).contains { $0.isBlackhole })
    }

    @Test func routesCanBeRemovedOrBlackholed() throws {
        let network = try Repository.seed("000-lambda-endpoints")
        let blackholed = try FaultInjector.apply([Self.fault(.route(RouteFault(table: Self.named("private-a"), destination: Self.named("0.0.0.0/0"), action: .blackhole)))], to: network)
        #expect(defaultRoute(blackholed, "private-a")?.isBlackhole == true)
        #expect(blackholed.natGateways == network.natGateways)
        let removed = try FaultInjector.apply([Self.fault(.route(RouteFault(table: Self.named("private-a"), destination: Self.named("0.0.0.0/0"), action: .remove)))], to: network)
        #expect(defaultRoute(removed, "private-a") == nil)
        #expect(table(removed, "private-a")?.routes.count == (table(network, "private-a")?.routes.count ?? 0) - 1)
        // A prefix-list route, by list name.
        let list = try #require(network.prefixLists.first { $0.name.contains("s3") && $0.region == "us-east-1" })
        let noS3 = try FaultInjector.apply([Self.fault(.route(RouteFault(table: Self.named("private-b"), destination: Self.named(list.name), action: .remove)))], to: network)
        #expect(table(noS3, "private-b")?.routes.contains { $0.destination == .prefixList(list.id) } == false)
        #expect(table(noS3, "private-a")?.routes.contains { $0.destination == .prefixList(list.id) } == true)
    }

    @Test func securityGroupRulesByIndexOrByMatch() throws {
        let network = try Repository.seed("000-lambda-endpoints")
        let group = try #require(network.securityGroups.first { $0.name == "lambda-internet" })
        #expect(group.egress.count == 3)
        let byIndex = try FaultInjector.apply([Self.fault(.securityGroupRule(SecurityGroupRuleFault(
            group: Self.named("lambda-internet"), direction: .egress, index: Located(value: 1, location: Self.here))))], to: network)
        #expect(byIndex.securityGroups.first { $0.name == "lambda-internet" }?.egress == [group.egress[0], group.egress[2]])
        let byPeer = try FaultInjector.apply([Self.fault(.securityGroupRule(SecurityGroupRuleFault(
            group: Self.named("lambda-internet"), direction: .egress, peer: .securityGroup(Self.named("opensearch")))))], to: network)
        #expect(byPeer.securityGroups.first { $0.name == "lambda-internet" }?.egress == Array(group.egress.prefix(2)))
        let byPort = try FaultInjector.apply([Self.fault(.securityGroupRule(SecurityGroupRuleFault(
            group: Self.named("lambda-internet"), direction: .egress, ipProtocol: .tcp, ports: PortRange(port: 443))))], to: network)
        #expect(byPort.securityGroups.first { $0.name == "lambda-internet" }?.egress.isEmpty == true)
    }

    @Test func removingAPeeringBlackholesRoutesAndDropsStaleGroupReferences() throws {
        let yaml = """
        vpcs:
          - name: a
            region: us-east-1
            cidr: 10.1.0.0/16
            subnets: [{name: a1, cidr: 10.1.1.0/24, az: us-east-1a, route_table: a}]
            route_tables: [{name: a, routes: [{destination: 10.2.0.0/16, target: a-to-b}]}]
            security_groups:
              - {name: app, egress: [{protocol: tcp, ports: 5432, security_group: db}, {protocol: tcp, ports: 443, cidr: 0.0.0.0/0}]}
          - name: b
            region: us-east-1
            cidr: 10.2.0.0/16
            subnets: [{name: b1, cidr: 10.2.1.0/24, az: us-east-1a}]
            security_groups:
              - {name: db, ingress: [{protocol: tcp, ports: 5432, security_group: app}]}
        peerings:
          - {name: a-to-b, requester: a, accepter: b}
        """
        let network = try TopologyLoader.load(yaml: yaml, file: "peered.yaml").network
        let after = try FaultInjector.apply([Self.fault(.remove(Self.named("a-to-b")))], to: network)
        #expect(after.peerings.isEmpty)
        #expect(table(after, "a")?.routes.first { $0.destination == CIDR("10.2.0.0/16").map(Route.Destination.cidr) }?.isBlackhole == true)
        #expect(after.securityGroups.first { $0.name == "app" }?.egress.map(\.ports) == [PortRange(port: 443)])
        #expect(after.securityGroups.first { $0.name == "db" }?.ingress.isEmpty == true)
    }

    @Test func faultsApplyInOrderAndComposeIntoAValidNetwork() throws {
        let network = try Repository.seed("003-eks-fargate")
        let after = try FaultInjector.apply([
            Self.fault(.azOutage(Self.named("us-east-1a"))), Self.fault(.remove(Self.named("NAT-GW-B"))),
        ], to: network)
        #expect(after.natGateways.map(\.name) == ["NAT-GW-C"])
        #expect(defaultRoute(after, "private-b")?.isBlackhole == true)
        #expect(defaultRoute(after, "private-c")?.isBlackhole == false)
        #expect(FaultInjector.referenceProblems(in: after).isEmpty)
    }

    /// (fault, words of the message, words of the hint)
    static let mistakes: [(Fault.Kind, String, String)] = [
        (.remove(named("NAT-GW-Z")), "unknown 'NAT-GW-Z'", "did you mean 'NAT-GW-A'?"),
        (.remove(named("private-a")), "unknown 'private-a'", "remove takes a NAT gateway"),
        (.azOutage(named("us-east-1z")), "which no subnet uses", "did you mean 'us-east-1a'?"),
        (.route(RouteFault(table: named("privat-a"), destination: named("0.0.0.0/0"), action: .remove)), "unknown route table 'privat-a'", "did you mean 'private-a'?"),
        (.route(RouteFault(table: named("private-a"), destination: named("10.9.0.0/16"), action: .remove)), "has no route for 10.9.0.0/16", "its routes: "),
        (.route(RouteFault(table: named("private-a"), destination: named("10.0.0.0/16"), action: .blackhole)), "local route", "AWS does not allow"),
        (.route(RouteFault(table: named("private-a"), destination: named("nowhere"), action: .remove)), "neither a CIDR nor a known prefix list", "0.0.0.0/0"),
        (.securityGroupRule(SecurityGroupRuleFault(group: named("lambda-internet"), direction: .egress, index: Located(value: 7, location: here))), "no egress rule 7", "indexes count from 0"),
        (.securityGroupRule(SecurityGroupRuleFault(group: named("lambda-internet"), direction: .ingress, ipProtocol: .udp)), "no ingress rule", "it has none"),
        (.securityGroupRule(SecurityGroupRuleFault(group: named("fargat"), direction: .egress, index: nil, ipProtocol: .tcp)), "unknown security group 'fargat'", "did you mean 'fargate'?"),
    ]

    @Test(arguments: 0..<mistakes.count)
    func unknownNamesAreLocatedErrors(index: Int) throws {
        let network = try Repository.seed("000-lambda-endpoints")
        let (kind, message, hint) = Self.mistakes[index]
        let error = inputError({ () throws(InputError) in try FaultInjector.apply([Self.fault(kind)], to: network) })
        let diagnostic = try #require(error?.diagnostics.first)
        #expect(diagnostic.message.contains(message), "\(diagnostic)")
        #expect(diagnostic.hint?.contains(hint) == true, "\(diagnostic)")
        #expect(diagnostic.location?.file == "s.yaml" && diagnostic.location?.line == 3)
    }
}
