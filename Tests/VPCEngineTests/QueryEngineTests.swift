import Testing
import VPCModel
import VPCEngine

/// The query layer on top of the Evaluator: complete any-port answers, partial sources, client
/// ephemeral ports, private DNS, load balancers, traces and errors.
@Suite("QueryEngine: complete answers")
struct QueryEngineTests {
    static let network = """
        vpcs:
          - name: main
            region: us-east-1
            cidr: 10.0.0.0/16
            subnets:
              - {name: pub-a, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public}
              - {name: app-a, cidr: 10.0.11.0/24, az: us-east-1a, route_table: app-a}
              - {name: app-b, cidr: 10.0.12.0/24, az: us-east-1b, route_table: app-b}
              - {name: db-a, cidr: 10.0.21.0/24, az: us-east-1a}
            internet_gateway: IGW
            route_tables:
              - name: public
                routes: [{destination: 0.0.0.0/0, target: IGW}]
              - name: app-a
                routes: [{destination: 0.0.0.0/0, target: NAT-A}]
              - name: app-b
                routes: []
            nat_gateways:
              - {name: NAT-A, subnet: pub-a}
            network_acls:
              - name: db-acl
                subnets: [db-a]
                ingress:
                  - {rule: 100, action: allow, protocol: tcp, ports: 5432, cidr: 10.0.0.0/16}
                  - {rule: 110, action: allow, protocol: tcp, ports: 32768-65535, cidr: 10.0.0.0/16}
                egress:
                  - {rule: 100, action: allow, protocol: tcp, ports: 32768-65535, cidr: 10.0.0.0/16}
                  - {rule: 110, action: allow, protocol: tcp, ports: 5432, cidr: 10.0.0.0/16}
            security_groups:
              - name: app
                egress: [{protocol: all, cidr: 0.0.0.0/0}]
              - name: db
                ingress: [{protocol: tcp, ports: 5432, security_group: app}, {protocol: tcp, ports: 22, cidr: 10.0.0.0/16}]
            workloads:
              - {name: App, kind: ecs, subnets: [app-a, app-b], security_groups: [app], public_ip: false}
              - {name: Fn, kind: lambda, subnets: [app-a], security_groups: [app], public_ip: false}
              - {name: DB, kind: rds, subnets: [db-a], security_groups: [db], public_ip: false}
        """

    static func engine() throws -> QueryEngine {
        QueryEngine(network: try TopologyLoader.load(yaml: network, file: "query-test.yaml").network)
    }

    /// Without protocol/port the answer covers every packet and names exactly what gets through.
    @Test func anyPortAnswerNamesExactlyWhatGetsThrough() throws {
        let answer = try Self.engine().answer(Query(from: "App@app-a", to: "DB"))
        #expect(answer.reachable && !answer.partial)
        // The SG also admits tcp/22 from the VPC, but the DB subnet's ACL does not: only 5432 gets in.
        #expect(answer.allowed.map { "\($0.protocol)/\($0.ports)" } == ["tcp/5432"])
        #expect(answer.sources.map(\.summary) == ["tcp/5432"])
        #expect(answer.blocked.contains { $0.protocol == "tcp" && $0.ports == "0-5431, 5433-32767" && $0.reason.code == "SUBNET_ACL_RESTRICTION" },
                "\(answer.blocked.map { "\($0.protocol)/\($0.ports) \($0.reason) \($0.direction) \($0.at.name)" })")
        // Everything else is blocked, and each block says where: tcp by the security group, the
        // rest already by the DB subnet's ACL (which comes first on the way in).
        let tcpBlocks = answer.blocked.filter { $0.protocol == "tcp" }
        #expect(!tcpBlocks.isEmpty && tcpBlocks.allSatisfy { ["ENI_SG_RULES_MISMATCH", "SUBNET_ACL_RESTRICTION"].contains($0.reason.code) })
        #expect(answer.blocked.contains { $0.protocol == "udp" && $0.reason.code == "SUBNET_ACL_RESTRICTION" && $0.at.name == "db-a" })
    }

    /// A workload in two AZs where one AZ has no route out: the answer is partial and says which.
    @Test func workloadSpreadOverAZsIsPartialWhenOneAZFails() throws {
        let answer = try Self.engine().answer(Query(from: "App", to: "internet", ipProtocol: .tcp, ports: PortRange(port: 443)))
        #expect(!answer.reachable && answer.partial)
        #expect(answer.sources.map { "\($0.name):\($0.reachable)" } == ["App@app-a:true", "App@app-b:false"])
        #expect(answer.blocked.map(\.reason.code) == ["NO_ROUTE_TO_DESTINATION"])
        #expect(answer.blocked.first?.at.name == "app-b")
        let path = try #require(answer.allowed.first)
        #expect(path.hops.map(\.kind.name).contains("nat-gateway") && path.hops.contains { $0.translation != nil })
    }

    /// Lambda clients use ports 1024–65535; an ACL that returns only 32768–65535 breaks some of its
    /// connections (the response is dropped), while a Linux client (32768–60999) is fine.
    @Test func responseACLIsCheckedOverTheClientsEphemeralRange() throws {
        let engine = try Self.engine()
        let fn = try engine.answer(Query(from: "Fn", to: "DB", ipProtocol: .tcp, ports: PortRange(port: 5432)))
        #expect(!fn.reachable)
        let block = try #require(fn.blocked.first)
        #expect(block.reason.code == "SUBNET_ACL_RESTRICTION" && block.direction.name == "response" && block.at.name == "db-a")
        let app = try engine.answer(Query(from: "App@app-a", to: "DB", ipProtocol: .tcp, ports: PortRange(port: 5432)))
        #expect(app.reachable)
    }

    @Test func unknownEndpointsAreErrorsWithASuggestion() throws {
        #expect(throws: QueryError.self) { try Self.engine().answer(Query(from: "Ap", to: "DB")) }
        let engine = try Self.engine()
        do throws(QueryError) {
            _ = try engine.answer(Query(from: "App", to: "DBB"))
            Issue.record("an unknown destination must be an error")
        } catch {
            #expect(error.hint?.contains("did you mean 'DB'") == true)
        }
    }

    /// The trace of one flow shows the NAT translation, the IGW's 1:1 mapping and the response's way back.
    @Test func traceShowsTranslationsAndTheResponse() throws {
        let network = try TopologyLoader.loadDefault().network
        let traces = try QueryEngine(network: network).trace(Query(from: "Lambda-Internet@private-a", to: "internet", ipProtocol: .tcp,
                                                                   ports: PortRange(port: 443)))
        let trace = try #require(traces.first)
        #expect(trace.reachable && trace.deliveredTo == "internet")
        let nat = try #require(trace.request.first { $0.kind.name == "nat-gateway" })
        #expect(nat.name == "NAT-GW-A")
        let igw = try #require(trace.request.first { $0.kind.name == "internet-gateway" })
        let eip = try #require(network.natGateways.first { $0.name == "NAT-GW-A" }?.elasticIP)
        #expect(igw.translation?.after.hasPrefix("\(eip):") == true)
        #expect(trace.response.contains { $0.kind.name == "nat-gateway" && $0.detail.contains("reverse") })
        #expect(trace.response.last?.kind == .interface && trace.response.last?.name == "Lambda-Internet@private-a")
    }

    /// Seed 000's headline question, answered completely: no protocol or port gets out, and the
    /// block names the security group's egress.
    @Test func lambdaInternalHasNoInternetOnAnyPort() throws {
        let answer = try QueryEngine(network: try TopologyLoader.loadDefault().network).answer(Query(from: "Lambda-Internal", to: "internet"))
        #expect(!answer.reachable && !answer.partial && answer.allowed.isEmpty)
        #expect(answer.blocked.count == 2)  // one per AZ interface
        for block in answer.blocked {
            #expect(block.protocol == "all" && block.ports == "all" && block.reason.code == "ENI_SG_RULES_MISMATCH")
            #expect(block.at.kind.name == "interface" && block.rule.contains("lambda-internal") && block.rule.contains("egress"))
            #expect(block.destinations == ["internet"])
        }
    }

    /// Private DNS: Fargate reaches secretsmanager through the endpoint interface of its own AZ.
    @Test func serviceNameResolvesToTheEndpointInterfaceOfTheCallersAZ() throws {
        let answer = try QueryEngine(network: try TopologyLoader.loadDefault().network)
            .answer(Query(from: "Fargate", to: "secretsmanager", ipProtocol: .tcp, ports: PortRange(port: 443)))
        #expect(answer.reachable)
        for path in answer.allowed {
            let source = try #require(path.sources.names.first)
            let zone = String(source.split(separator: "@").last ?? "")
            #expect(path.hops.contains { $0.kind.name == "interface" && $0.name == "secretsmanager@\(zone)" }, "\(path.hops.map(\.name))")
            #expect(path.hops.last?.kind == .service && path.hops.last?.name == "secretsmanager")
        }
    }
}

@Suite("QueryEngine: endpoints given as addresses")
struct QueryAddressEndpointTests {
    static func seed000() throws -> QueryEngine { QueryEngine(network: try TopologyLoader.loadDefault().network) }

    /// A CIDR source stands for the hosts in it: NAT gateway and endpoint interfaces start nothing.
    @Test func cidrSourceMeansTheHostsInIt() throws {
        let answer = try Self.seed000().answer(Query(from: "10.0.0.0/8", to: "internet", ipProtocol: .tcp, ports: PortRange(port: 443)))
        #expect(!answer.sources.contains { $0.name.hasPrefix("NAT-GW") || $0.name.hasPrefix("secretsmanager") })
        #expect(answer.blocked.allSatisfy { $0.reason != .ngwCannotInitiate && $0.reason != .vpceIntraVPCTraffic })
    }

    /// A destination range holding the source's own address is not "reached" by talking to itself.
    @Test func addressRangeDestinationIgnoresTheSourcesOwnAddress() throws {
        let answer = try Self.seed000().answer(Query(from: "Fargate@private-a", to: "10.0.0.0/16", ipProtocol: .udp, ports: PortRange(port: 53)))
        #expect(!answer.reachable && answer.allowed.isEmpty)
    }

    /// A named public address is taken as given, even inside a service's range; the internet cannot
    /// address a private interface.
    @Test func namedPublicSourceInsideAServiceRange() throws {
        let answer = try Self.seed000().answer(Query(from: "52.216.0.9", to: "OpenSearch", ipProtocol: .tcp, ports: PortRange(port: 443)))
        #expect(!answer.reachable && Set(answer.blocked.map(\.reason.code)) == ["NO_ROUTE_TO_DESTINATION"])
    }
}
