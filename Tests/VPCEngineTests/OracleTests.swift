import Testing
import VPCModel
import VPCOracle

/// Hand-built networks whose verdicts follow directly from AWS behaviour, one or more per rule of
/// docs/semantics.md, so that the oracle itself is checked before anything is compared with it.
/// Networks are written as topology YAML (readable); where a case needs something the validator
/// rightly or wrongly refuses, the loaded `Network` is edited afterwards.
struct OracleFixture {
    var network: Network

    init(_ yaml: String) throws {
        network = try TopologyLoader.load(yaml: yaml, file: "oracle-test.yaml").network
    }

    var oracle: NaiveOracle { NaiveOracle(network: network) }

    /// The oracle's verdict, after checking that the Evaluator gives the same one: every focused case
    /// below is then a focused test of both implementations.
    func evaluate(_ flow: OracleFlow, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> OracleVerdict {
        let expected = oracle.evaluate(flow)
        let actual = EvaluatorAdapter(network).evaluate(flow)
        #expect(expected == actual, "Evaluator disagrees on \(flow)\n  oracle:    \(expected)\n  evaluator: \(actual)",
                sourceLocation: sourceLocation)
        return expected
    }

    func eni(_ name: String) throws -> NetworkInterface {
        try #require(network.interfaces.first { $0.name == name }, "no interface named \(name)")
    }

    func eniID(_ name: String) throws -> String { try eni(name).id }
    func ip(_ name: String) throws -> IPv4Address { try #require(eni(name).primaryIP) }
    func publicIP(_ name: String) throws -> IPv4Address { try #require(eni(name).publicIP, "\(name) has no public IP") }

    func subnet(_ name: String) throws -> String { try #require(network.subnets.first { $0.name == name }?.id) }
    func table(_ name: String) throws -> String { try #require(network.routeTables.first { $0.name == name }?.id) }
    func tableIndex(_ name: String) throws -> Int { try #require(network.routeTables.firstIndex { $0.name == name }) }
    func igw(_ name: String) throws -> String { try #require(network.internetGateways.first { $0.name == name }?.id) }
    func nat(_ name: String) throws -> NATGateway { try #require(network.natGateways.first { $0.name == name }) }
    func endpoint(_ name: String) throws -> String { try #require(network.endpoints.first { $0.name == name }?.id) }
    func loadBalancer(_ name: String) throws -> String { try #require(network.loadBalancers.first { $0.name == name }?.id) }
    func peering(_ name: String) throws -> String { try #require(network.peerings.first { $0.name == name }?.id) }
    func tgwIndex(_ name: String) throws -> Int { try #require(network.transitGateways.firstIndex { $0.name == name }) }
}

@Suite("Oracle and Evaluator: the contract on hand-built networks")
struct OracleTests {
    // MARK: §3, §4 security groups

    static let twoSubnets = """
        vpcs:
          - name: main
            region: us-east-1
            cidr: 10.0.0.0/16
            subnets:
              - {name: a, cidr: 10.0.1.0/24, az: us-east-1a}
              - {name: b, cidr: 10.0.2.0/24, az: us-east-1b}
            security_groups:
              - {name: mute, egress: []}
              - name: web
                ingress: [{protocol: tcp, ports: 443, cidr: 10.0.0.0/16}]
            interfaces:
              - {name: muted, subnet: a, security_groups: [mute]}
              - {name: client, subnet: a, security_groups: [web]}
              - {name: server, subnet: b, security_groups: [web]}
        """

    @Test func securityGroupEgressBlocksAtTheSource() throws {
        let net = try OracleFixture(Self.twoSubnets)
        let verdict = net.evaluate(.tcp(try net.eniID("muted"), try net.ip("server"), port: 443))
        #expect(verdict == .dropped(.eniSGRulesMismatch, at: .interface, try net.eniID("muted"), .request))
    }

    @Test func securityGroupIngressBlocksAtTheDestinationAndResponsesAreNotChecked() throws {
        let net = try OracleFixture(Self.twoSubnets)
        let client = try net.eniID("client"), server = try net.eniID("server")
        // The client's group has no ingress rule for the server's port 443 replies: stateful, so allowed.
        #expect(net.evaluate(.tcp(client, try net.ip("server"), port: 443)) == .delivered(to: server, source: try net.ip("client")))
        #expect(net.evaluate(.tcp(client, try net.ip("server"), port: 22)) == .dropped(.eniSGRulesMismatch, at: .interface, server, .request))
    }

    // MARK: §5.1 same subnet, §3 network ACLs

    @Test func sameSubnetTrafficIsNeitherRoutedNorFilteredByTheACL() throws {
        let net = try OracleFixture("""
            vpcs:
              - name: main
                region: us-east-1
                cidr: 10.0.0.0/16
                subnets:
                  - {name: a, cidr: 10.0.1.0/24, az: us-east-1a}
                  - {name: b, cidr: 10.0.2.0/24, az: us-east-1b}
                network_acls:
                  - {name: closed, subnets: [a]}
                security_groups:
                  - name: open
                    ingress: [{protocol: all, cidr: 0.0.0.0/0}]
                interfaces:
                  - {name: one, subnet: a, security_groups: [open]}
                  - {name: two, subnet: a, security_groups: [open]}
                  - {name: three, subnet: b, security_groups: [open]}
            """)
        let one = try net.eniID("one"), a = try net.subnet("a")
        #expect(net.evaluate(.udp(one, try net.ip("two"), port: 53)).reachable)
        #expect(net.evaluate(.tcp(one, try net.ip("three"), port: 443)) == .dropped(.subnetACLRestriction, at: .subnet, a, .request))
        #expect(net.evaluate(.tcp(try net.eniID("three"), try net.ip("one"), port: 443)) == .dropped(.subnetACLRestriction, at: .subnet, a, .request))
    }

    @Test func responseIsFilteredByTheClientSubnetACLOnItsEphemeralPort() throws {
        let net = try OracleFixture("""
            vpcs:
              - name: main
                region: us-east-1
                cidr: 10.0.0.0/16
                subnets:
                  - {name: a, cidr: 10.0.1.0/24, az: us-east-1a}
                  - {name: b, cidr: 10.0.2.0/24, az: us-east-1b}
                network_acls:
                  - name: client-side
                    subnets: [a]
                    ingress:
                      - {rule: 100, action: allow, protocol: tcp, ports: 1024-32767, cidr: 0.0.0.0/0}
                      - {rule: 110, action: allow, protocol: icmp, icmp: {type: 0, code: 0}, cidr: 0.0.0.0/0}
                    egress:
                      - {rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0}
                security_groups:
                  - name: open
                    ingress: [{protocol: all, cidr: 0.0.0.0/0}]
                interfaces:
                  - {name: client, subnet: a, security_groups: [open]}
                  - {name: server, subnet: b, security_groups: [open]}
            """)
        let client = try net.eniID("client"), server = try net.eniID("server"), clientIP = try net.ip("client")
        // Linux picks 32768–60999: the reply to port 40000 hits the * deny on the way back in.
        #expect(net.evaluate(.tcp(client, try net.ip("server"), port: 443, sourcePort: 40000))
                == .dropped(.subnetACLRestriction, at: .subnet, try net.subnet("a"), .response, finalDestination: server, translatedSource: clientIP))
        #expect(net.evaluate(.tcp(client, try net.ip("server"), port: 443, sourcePort: 30000)) == .delivered(to: server, source: clientIP))
        // ICMP: echo (8) is answered by echo reply (0), which rule 110 admits; timestamp (13) by 14, which nothing admits.
        #expect(net.evaluate(.icmp(client, try net.ip("server"), type: 8)).reachable)
        #expect(net.evaluate(.icmp(client, try net.ip("server"), type: 13)).dropDirection == .response)
        // ICMP types without a reply are reachable once delivered.
        #expect(net.evaluate(.icmp(client, try net.ip("server"), type: 3, code: 4)).reachable)
    }

    // MARK: §3 route priority, §5.1 route state

    @Test func blackholeRoutesAndGoneTargetsAreBadStateRoutes() throws {
        var net = try OracleFixture("""
            vpcs:
              - name: main
                region: us-east-1
                cidr: 10.0.0.0/16
                internet_gateway: igw
                subnets: [{name: a, cidr: 10.0.1.0/24, az: us-east-1a}]
                route_tables:
                  - name: rt
                    main: true
                    routes:
                      - {destination: 0.0.0.0/0, target: blackhole}
                      - {destination: 8.8.4.0/24, target: igw}
                security_groups: [{name: open, ingress: [{protocol: all, cidr: 0.0.0.0/0}]}]
                interfaces: [{name: client, subnet: a, public_ip: true, security_groups: [open]}]
            """)
        let client = try net.eniID("client"), rt = try net.table("rt")
        #expect(net.evaluate(.tcp(client, IPv4Address(8, 8, 8, 8), port: 443)) == .dropped(.badStateRoute, at: .routeTable, rt, .request))
        #expect(net.evaluate(.tcp(client, IPv4Address(8, 8, 4, 4), port: 443)) == .delivered(to: "internet", source: try net.publicIP("client")))
        // AWS marks a route whose target was deleted as a blackhole.
        var gone = net
        gone.network.internetGateways.removeAll()
        #expect(gone.evaluate(.tcp(client, IPv4Address(8, 8, 4, 4), port: 443)) == .dropped(.badStateRoute, at: .routeTable, rt, .request))
        var detached = net
        detached.network.internetGateways[0].vpcID = nil
        #expect(detached.evaluate(.tcp(client, IPv4Address(8, 8, 4, 4), port: 443)) == .dropped(.badStateRoute, at: .routeTable, rt, .request))
        let index = try net.tableIndex("rt")
        for routeIndex in net.network.routeTables[index].routes.indices { net.network.routeTables[index].routes[routeIndex].isBlackhole = true }
        #expect(net.evaluate(.tcp(client, IPv4Address(8, 8, 4, 4), port: 443)) == .dropped(.badStateRoute, at: .routeTable, rt, .request))
    }

    @Test func staticCIDRBeatsPrefixListAtEqualLengthButLongerPrefixWins() throws {
        let net = try OracleFixture("""
            vpcs:
              - name: main
                region: us-east-1
                cidr: 10.0.0.0/16
                internet_gateway: igw
                subnets: [{name: a, cidr: 10.0.1.0/24, az: us-east-1a}]
                route_tables:
                  - name: rt
                    main: true
                    routes:
                      - {destination: 0.0.0.0/0, target: igw}
                      - {destination: 52.216.0.0/15, target: igw}
                endpoints:
                  - {name: s3, type: gateway, service: s3, route_tables: [rt]}
                security_groups: [{name: open, ingress: [{protocol: all, cidr: 0.0.0.0/0}]}]
                interfaces: [{name: client, subnet: a, public_ip: true, security_groups: [open]}]
            """)
        let client = try net.eniID("client")
        // 52.216.0.0/15 is also an entry of the S3 list: the static route wins the tie, so S3 is reached
        // through the internet gateway and sees the public IP.
        #expect(net.evaluate(.tcp(client, IPv4Address(52, 216, 1, 1), port: 443)) == .delivered(to: "service:s3", source: try net.publicIP("client")))
        // 54.231.0.0/16 (list entry) is longer than 0.0.0.0/0: the endpoint carries it, from the private IP.
        #expect(net.evaluate(.tcp(client, IPv4Address(54, 231, 0, 10), port: 443)) == .delivered(to: "service:s3", source: try net.ip("client")))
    }

    static let transitPair = """
        prefix_lists:
          - {name: peer-range, region: us-east-1, cidrs: [10.1.0.0/16]}
        vpcs:
          - name: a
            region: us-east-1
            cidr: 10.0.0.0/16
            subnets: [{name: a1, cidr: 10.0.1.0/24, az: us-east-1a}]
            route_tables:
              - name: rt-a
                main: true
                routes: [{destination: 10.1.0.0/16, target: tgw, origin: propagated}]
            security_groups: [{name: open-a, ingress: [{protocol: all, cidr: 0.0.0.0/0}]}]
            interfaces: [{name: client, subnet: a1, security_groups: [open-a]}]
          - name: b
            region: us-east-1
            cidr: 10.1.0.0/16
            subnets: [{name: b1, cidr: 10.1.1.0/24, az: us-east-1a}]
            route_tables:
              - name: rt-b
                main: true
                routes: [{destination: 10.0.0.0/16, target: tgw}]
            security_groups: [{name: open-b, ingress: [{protocol: all, cidr: 0.0.0.0/0}]}]
            interfaces: [{name: server, subnet: b1, security_groups: [open-b]}]
        transit_gateways:
          - name: tgw
            region: us-east-1
            attachments:
              - {vpc: a, subnets: [a1]}
              - {vpc: b, subnets: [b1]}
        """

    @Test func staticBeatsPrefixListBeatsPropagated() throws {
        let base = try OracleFixture(Self.transitPair)
        let client = try base.eniID("client"), server = try base.ip("server"), rt = try base.table("rt-a"), index = try base.tableIndex("rt-a")
        #expect(base.evaluate(.tcp(client, server, port: 443)) == .delivered(to: try base.eniID("server"), source: try base.ip("client")))
        // AWS keeps a static and a propagated route for the same CIDR side by side; the static one wins.
        // (The validator refuses two routes for one destination, so the route is added to the model directly.)
        var withStatic = base
        withStatic.network.routeTables[index].routes.append(Route(destination: .cidr(CIDR(masking: server, length: 16)), target: .blackhole))
        #expect(withStatic.evaluate(.tcp(client, server, port: 443)) == .dropped(.badStateRoute, at: .routeTable, rt, .request))
        // A prefix-list route of equal length beats the propagated route too.
        var withList = base
        let listID = try #require(base.network.prefixLists.first { $0.name == "peer-range" }?.id)
        withList.network.routeTables[index].routes.append(Route(destination: .prefixList(listID), target: .blackhole))
        #expect(withList.evaluate(.tcp(client, server, port: 443)) == .dropped(.badStateRoute, at: .routeTable, rt, .request))
    }

    // MARK: §5.2 internet gateway

    @Test func internetGatewayNeedsAPublicIPAndAPublicDestination() throws {
        let net = try OracleFixture("""
            vpcs:
              - name: main
                region: us-east-1
                cidr: 10.0.0.0/16
                internet_gateway: igw
                subnets: [{name: a, cidr: 10.0.1.0/24, az: us-east-1a}]
                route_tables:
                  - name: rt
                    main: true
                    routes:
                      - {destination: 0.0.0.0/0, target: igw}
                      - {destination: 192.168.0.0/16, target: igw}
                security_groups: [{name: open, ingress: [{protocol: all, cidr: 0.0.0.0/0}]}]
                interfaces:
                  - {name: private, subnet: a, security_groups: [open]}
                  - {name: public, subnet: a, public_ip: true, security_groups: [open]}
            """)
        let igw = try net.igw("igw")
        #expect(net.evaluate(.tcp(try net.eniID("private"), IPv4Address(8, 8, 8, 8), port: 443))
                == .dropped(.igwPublicIPAssociationForEgress, at: .internetGateway, igw, .request))
        #expect(net.evaluate(.tcp(try net.eniID("public"), IPv4Address(8, 8, 8, 8), port: 443)) == .delivered(to: "internet", source: try net.publicIP("public")))
        #expect(net.evaluate(.tcp(try net.eniID("public"), IPv4Address(192, 168, 1, 1), port: 443))
                == .dropped(.igwDestinationNotPublic, at: .internetGateway, igw, .request))
        // To another interface's public IP: out and back in through the gateway, seen from the public IP.
        #expect(net.evaluate(.tcp(try net.eniID("public"), try net.publicIP("public"), port: 443)).reachable)
    }

    // MARK: §5.3 NAT gateway

    static func natNetwork(returnPorts: String) -> String {
        """
        vpcs:
          - name: main
            region: us-east-1
            cidr: 10.0.0.0/16
            internet_gateway: igw
            subnets:
              - {name: pub, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public}
              - {name: priv, cidr: 10.0.11.0/24, az: us-east-1a, route_table: private}
            route_tables:
              - {name: public, routes: [{destination: 0.0.0.0/0, target: igw}]}
              - {name: private, routes: [{destination: 0.0.0.0/0, target: nat}]}
            nat_gateways:
              - {name: nat, subnet: pub, elastic_ip: 54.10.0.1}
              - {name: pnat, subnet: pub, connectivity: private}
            network_acls:
              - name: public-acl
                subnets: [pub]
                ingress:
                  - {rule: 100, action: allow, protocol: all, cidr: 10.0.0.0/16}
                  - {rule: 150, action: allow, protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
                  - {rule: 200, action: allow, protocol: tcp, ports: \(returnPorts), cidr: 0.0.0.0/0}
                egress:
                  - {rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0}
            security_groups: [{name: open, ingress: [{protocol: all, cidr: 0.0.0.0/0}]}]
            interfaces:
              - {name: app, subnet: priv, security_groups: [open]}
              - {name: app2, subnet: priv, public_ip: true, security_groups: [open]}
              - {name: bastion, subnet: pub, public_ip: true, security_groups: [open]}
        """
    }

    @Test func publicNATTranslatesToItsEIPAndRemapsTheSourcePort() throws {
        let open = try OracleFixture(Self.natNetwork(returnPorts: "1024-65535"))
        let app = try open.eniID("app"), appIP = try open.ip("app"), eip = IPv4Address(54, 10, 0, 1)
        #expect(open.evaluate(.tcp(app, IPv4Address(8, 8, 8, 8), port: 443)) == .delivered(to: "internet", source: eip))
        // The reply enters the NAT's subnet addressed to the remapped port, not to the client's port.
        let remapped = NaiveOracle.natPort(appIP, 40000)
        #expect((1024...65535).contains(remapped))
        let exact = try OracleFixture(Self.natNetwork(returnPorts: "\(remapped)"))
        #expect(exact.evaluate(.tcp(app, IPv4Address(8, 8, 8, 8), port: 443, sourcePort: 40000)).reachable)
        if remapped != 40000 {
            let original = try OracleFixture(Self.natNetwork(returnPorts: "40000"))
            #expect(original.evaluate(.tcp(app, IPv4Address(8, 8, 8, 8), port: 443, sourcePort: 40000))
                    == .dropped(.subnetACLRestriction, at: .subnet, try open.subnet("pub"), .response, finalDestination: "internet", translatedSource: eip))
        }
    }

    @Test func natGatewayCarriesOnlyTCPUDPAndICMP() throws {
        let net = try OracleFixture(Self.natNetwork(returnPorts: "1024-65535"))
        let gre = OracleFlow(sourceInterfaceID: try net.eniID("app"), destination: IPv4Address(8, 8, 8, 8), ipProtocol: 47)
        #expect(net.evaluate(gre) == .dropped(.protocolRestriction, at: .natGateway, try net.nat("nat").id, .request))
    }

    @Test func privateNATTrafficIsDroppedAtTheInternetGateway() throws {
        var net = try OracleFixture(Self.natNetwork(returnPorts: "1024-65535"))
        let index = try net.tableIndex("private"), privateNAT = try net.nat("pnat").id
        net.network.routeTables[index].routes = net.network.routeTables[index].routes.map { route in
            route.target == .local ? route : Route(destination: route.destination, target: .natGateway(privateNAT))
        }
        #expect(net.evaluate(.tcp(try net.eniID("app"), IPv4Address(8, 8, 8, 8), port: 443))
                == .dropped(.igwPublicIPAssociationForEgress, at: .internetGateway, try net.igw("igw"), .request))
    }

    @Test func natGatewayRejectsUnsolicitedInbound() throws {
        let net = try OracleFixture(Self.natNetwork(returnPorts: "1024-65535"))
        let nat = try net.nat("nat")
        // From the internet side, to its Elastic IP …
        #expect(net.evaluate(.tcp(try net.eniID("bastion"), IPv4Address(54, 10, 0, 1), port: 443))
                == .dropped(.natGatewayUnsolicitedInbound, at: .natGateway, nat.id, .request))
        // … and from inside, to its private IP.
        #expect(net.evaluate(.tcp(try net.eniID("app"), nat.privateIP, port: 443)) == .dropped(.natGatewayUnsolicitedInbound, at: .natGateway, nat.id, .request))
    }

    @Test func responseThatWouldLeaveThroughANATItDidNotComeThroughIsDropped() throws {
        let net = try OracleFixture(Self.natNetwork(returnPorts: "1024-65535"))
        // bastion → app2's public IP arrives through the IGW, but app2's subnet sends 0.0.0.0/0 to the NAT.
        #expect(net.evaluate(.tcp(try net.eniID("bastion"), try net.publicIP("app2"), port: 443))
                == .dropped(.responsePathMismatch, at: .natGateway, try net.nat("nat").id, .response,
                            finalDestination: try net.eniID("app2"), translatedSource: try net.publicIP("bastion")))
    }

    @Test func routingIntoTheSameNATTwiceIsALoop() throws {
        var net = try OracleFixture(Self.natNetwork(returnPorts: "1024-65535"))
        let index = try net.tableIndex("public"), natID = try net.nat("nat").id
        net.network.routeTables[index].routes = net.network.routeTables[index].routes.map { route in
            route.target == .local ? route : Route(destination: route.destination, target: .natGateway(natID))
        }
        #expect(net.evaluate(.tcp(try net.eniID("app"), IPv4Address(8, 8, 8, 8), port: 443)) == .dropped(.routingLoop, at: .natGateway, natID, .request))
    }

    // MARK: §4b flows from the internet

    /// One public subnet behind an IGW; a web server open to the internet on TCP 443 and UDP 53.
    static func publicWeb(endpoints: String = "[]") -> String {
        """
        vpcs:
          - name: main
            region: us-east-1
            cidr: 10.0.0.0/16
            internet_gateway: igw
            subnets:
              - {name: pub, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public}
            route_tables:
              - {name: public, routes: [{destination: 0.0.0.0/0, target: igw}]}
            endpoints: \(endpoints)
            security_groups:
              - name: web
                ingress: [{protocol: tcp, ports: 443, cidr: 0.0.0.0/0}, {protocol: udp, ports: 53, cidr: 0.0.0.0/0}]
            interfaces:
              - {name: web, subnet: pub, public_ip: true, security_groups: [web]}
              - {name: hidden, subnet: pub, security_groups: [web]}
        """
    }

    @Test func internetReachesAnInstancePublicIPOnlyOnAllowedPorts() throws {
        var net = try OracleFixture(Self.publicWeb())
        let web = try net.eniID("web"), client = IPv4Address(198, 51, 100, 7), publicIP = try net.publicIP("web")
        // In through the IGW, which does not translate the source; the reply goes back out to the client.
        #expect(net.evaluate(.tcpFromInternet(client, to: publicIP, port: 443)) == .delivered(to: web, source: client))
        #expect(net.evaluate(.tcpFromInternet(client, to: publicIP, port: 22)) == .dropped(.eniSGRulesMismatch, at: .interface, web, .request))
        // The internet cannot address private IPs, nor anything no interface holds.
        #expect(net.evaluate(.tcpFromInternet(client, to: try net.ip("hidden"), port: 443))
                == .dropped(.noRouteToDestination, at: .internet, "internet", .request))
        #expect(net.evaluate(.tcpFromInternet(client, to: IPv4Address(203, 0, 113, 200), port: 443))
                == .dropped(.noRouteToDestination, at: .internet, "internet", .request))
        // A reply to a private "client" address is refused by the IGW on the way out.
        #expect(net.evaluate(.tcpFromInternet(IPv4Address(192, 168, 0, 1), to: publicIP, port: 443))
                == .dropped(.igwDestinationNotPublic, at: .internetGateway, try net.igw("igw"), .response, finalDestination: web,
                            translatedSource: IPv4Address(192, 168, 0, 1)))
        // Without an attached internet gateway the public IP leads nowhere.
        net.network.internetGateways[0].vpcID = nil
        #expect(net.evaluate(.tcpFromInternet(client, to: publicIP, port: 443)) == .dropped(.noPossibleDestination, at: .internet, "internet", .request))
    }

    @Test func internetToANATGatewayEIPIsUnsolicitedInbound() throws {
        let net = try OracleFixture(Self.natNetwork(returnPorts: "1024-65535"))
        #expect(net.evaluate(.tcpFromInternet(IPv4Address(8, 8, 8, 8), to: IPv4Address(54, 10, 0, 1), port: 443))
                == .dropped(.natGatewayUnsolicitedInbound, at: .natGateway, try net.nat("nat").id, .request))
        // The bastion next to it, in the public subnet, is reachable.
        #expect(net.evaluate(.tcpFromInternet(IPv4Address(8, 8, 8, 8), to: try net.publicIP("bastion"), port: 443))
                == .delivered(to: try net.eniID("bastion"), source: IPv4Address(8, 8, 8, 8)))
    }

    @Test func internetToAnInstanceBehindANATDefaultRouteLosesTheResponse() throws {
        let net = try OracleFixture(Self.natNetwork(returnPorts: "1024-65535"))
        // app2 has a public IP, so the request arrives; its subnet's default route sends the reply to the NAT.
        let client = IPv4Address(8, 8, 8, 8)
        #expect(net.evaluate(.tcpFromInternet(client, to: try net.publicIP("app2"), port: 443))
                == .dropped(.responsePathMismatch, at: .natGateway, try net.nat("nat").id, .response,
                            finalDestination: try net.eniID("app2"), translatedSource: client))
    }

    /// The reply to a client inside S3's range follows the prefix-list route into the gateway endpoint,
    /// which delivers it to S3, not back to the internet client (§5.4 step 3, §8 rule 5). (Found by the
    /// differential test; the Evaluator once called it reachable.)
    @Test func internetClientInsideAGatewayServiceRangeLosesTheResponseToTheEndpoint() throws {
        let net = try OracleFixture(Self.publicWeb(endpoints: "[{name: s3, type: gateway, service: s3, route_tables: [public]}]"))
        let client = IPv4Address(52, 216, 0, 9), web = try net.eniID("web")
        let flow = OracleFlow.tcpFromInternet(client, to: try net.publicIP("web"), port: 443)
        #expect(net.evaluate(flow) == .dropped(.responsePathMismatch, at: .service, "s3", .response, finalDestination: web, translatedSource: client))
        // UDP meets the endpoint's TCP-only rule first, and both agree.
        let udp = OracleFlow.fromInternet(client, to: try net.publicIP("web"), ipProtocol: 17, sourcePort: 40000, destinationPort: 53)
        #expect(net.evaluate(udp) == .dropped(.vpceGatewayProtocolRestriction, at: .vpcEndpoint, try net.endpoint("s3"), .response,
                                              finalDestination: web, translatedSource: client))
    }

    // MARK: §5.4 gateway endpoint

    @Test func gatewayEndpointCarriesTCPOnlyAndReturnsThroughTheSubnetACL() throws {
        let yaml = """
            vpcs:
              - name: main
                region: us-east-1
                cidr: 10.0.0.0/16
                subnets: [{name: priv, cidr: 10.0.11.0/24, az: us-east-1a, route_table: private}]
                route_tables: [{name: private}]
                endpoints: [{name: s3, type: gateway, service: s3, route_tables: [private]}]
                network_acls:
                  - name: strict
                    default: true
                    ingress: [{rule: 100, action: allow, protocol: all, cidr: 10.0.0.0/16}]
                    egress: [{rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0}]
                security_groups: [{name: open, ingress: [{protocol: all, cidr: 0.0.0.0/0}]}]
                interfaces: [{name: app, subnet: priv, security_groups: [open]}]
            """
        let strict = try OracleFixture(yaml)
        let app = try strict.eniID("app"), s3 = IPv4Address(52, 216, 5, 5), endpoint = try strict.endpoint("s3")
        #expect(strict.evaluate(.udp(app, s3, port: 443)) == .dropped(.vpceGatewayProtocolRestriction, at: .vpcEndpoint, endpoint, .request))
        #expect(strict.evaluate(.tcp(app, s3, port: 443))
                == .dropped(.subnetACLRestriction, at: .subnet, try strict.subnet("priv"), .response, finalDestination: "service:s3",
                            translatedSource: try strict.ip("app")))
        #expect(strict.evaluate(.tcp(app, IPv4Address(8, 8, 8, 8), port: 443)) == .dropped(.noRouteToDestination, at: .routeTable, try strict.table("private"), .request))
        var open = strict
        open.network.networkACLs = open.network.networkACLs.map { acl in
            var acl = acl
            acl.ingress = NetworkACL.allowAllEntries()
            return acl
        }
        #expect(open.evaluate(.tcp(app, s3, port: 443)) == .delivered(to: "service:s3", source: try strict.ip("app")))
    }

    // MARK: §5.5 peering

    static let peeredChain = """
        vpcs:
          - name: a
            region: us-east-1
            cidr: 10.0.0.0/16
            subnets: [{name: a1, cidr: 10.0.1.0/24, az: us-east-1a}]
            route_tables:
              - name: rt-a
                main: true
                routes:
                  - {destination: 10.1.0.0/16, target: ab}
                  - {destination: 10.2.0.0/16, target: ab}
                  - {destination: 0.0.0.0/0, target: ab}
            security_groups: [{name: sg-a, ingress: []}]
            interfaces: [{name: client, subnet: a1, security_groups: [sg-a]}]
          - name: b
            region: us-east-1
            cidr: 10.1.0.0/16
            internet_gateway: igw-b
            subnets: [{name: b1, cidr: 10.1.1.0/24, az: us-east-1a}]
            route_tables:
              - name: rt-b
                main: true
                routes:
                  - {destination: 10.0.0.0/16, target: ab}
                  - {destination: 10.2.0.0/16, target: bc}
                  - {destination: 0.0.0.0/0, target: igw-b}
            nat_gateways: [{name: nat-b, subnet: b1}]
            security_groups:
              - name: sg-b
                ingress: [{protocol: tcp, ports: 443, security_group: sg-a}]
            interfaces: [{name: server, subnet: b1, public_ip: true, security_groups: [sg-b]}]
          - name: c
            region: us-east-1
            cidr: 10.2.0.0/16
            subnets: [{name: c1, cidr: 10.2.1.0/24, az: us-east-1a}]
            route_tables:
              - name: rt-c
                main: true
                routes: [{destination: 10.1.0.0/16, target: bc}]
            security_groups: [{name: sg-c, ingress: [{protocol: all, cidr: 0.0.0.0/0}]}]
            interfaces: [{name: far, subnet: c1, security_groups: [sg-c]}]
        peerings:
          - {name: ab, requester: a, accepter: b}
          - {name: bc, requester: b, accepter: c}
        """

    @Test func peeringDeliversIntoThePeerAndMatchesPeerGroupReferences() throws {
        let net = try OracleFixture(Self.peeredChain)
        let client = try net.eniID("client")
        #expect(net.evaluate(.tcp(client, try net.ip("server"), port: 443)) == .delivered(to: try net.eniID("server"), source: try net.ip("client")))
        #expect(net.evaluate(.tcp(client, try net.ip("server"), port: 22)) == .dropped(.eniSGRulesMismatch, at: .interface, try net.eniID("server"), .request))
    }

    @Test func peeringIsNotTransitiveAndHasNoEdgeToEdgeRouting() throws {
        let net = try OracleFixture(Self.peeredChain)
        let client = try net.eniID("client"), ab = try net.peering("ab")
        // Transit to c through b, and b's internet gateway or NAT gateway: all refused at the peering.
        #expect(net.evaluate(.tcp(client, try net.ip("far"), port: 443)) == .dropped(.pcxRequiresAddressInVPCCIDR, at: .peering, ab, .request))
        #expect(net.evaluate(.tcp(client, IPv4Address(8, 8, 8, 8), port: 443)) == .dropped(.pcxRequiresAddressInVPCCIDR, at: .peering, ab, .request))
        #expect(net.evaluate(.tcp(client, try net.publicIP("server"), port: 443)) == .dropped(.pcxRequiresAddressInVPCCIDR, at: .peering, ab, .request))
    }

    @Test func missingReturnRouteDropsTheResponseOnItsOwnRouting() throws {
        var net = try OracleFixture(Self.peeredChain)
        let index = try net.tableIndex("rt-b")
        net.network.routeTables[index].routes.removeAll { $0.destination == .cidr(CIDR(masking: IPv4Address(10, 0, 0, 0), length: 16)) }
        // The reply to 10.0.1.x now follows b's default route to the internet gateway, which drops private destinations.
        #expect(net.evaluate(.tcp(try net.eniID("client"), try net.ip("server"), port: 443))
                == .dropped(.igwDestinationNotPublic, at: .internetGateway, try net.igw("igw-b"), .response,
                            finalDestination: try net.eniID("server"), translatedSource: try net.ip("client")))
    }

    // MARK: §5.6 transit gateway

    @Test func transitGatewayLeavesThroughTheAttachmentSubnet() throws {
        var net = try OracleFixture(Self.transitPair)
        let client = try net.eniID("client"), tgwIndex = try net.tgwIndex("tgw"), rtA = try net.tableIndex("rt-a")
        let tgwID = net.network.transitGateways[tgwIndex].id
        let attachmentB = try #require(net.network.transitGateways[tgwIndex].attachments.last?.id)
        net.network.transitGateways[tgwIndex].routeTables[0].routes = [TransitGateway.Route(destination: .any, attachmentID: attachmentB)]
        net.network.routeTables[rtA].routes.append(Route(destination: .cidr(.any), target: .transitGateway(tgwID)))
        // The gateway hands 10.9.0.1 to b's attachment subnet b1 (§5.6 step 5), whose table has no route for it (§5.1).
        #expect(net.evaluate(.tcp(client, IPv4Address(10, 9, 0, 1), port: 443))
                == .dropped(.noRouteToDestination, at: .routeTable, try net.table("rt-b"), .request))
        // A static blackhole beats the propagated VPC CIDR of equal length.
        net.network.transitGateways[tgwIndex].routeTables[0].routes.append(
            TransitGateway.Route(destination: CIDR(masking: try net.ip("server"), length: 16), attachmentID: nil))
        #expect(net.evaluate(.tcp(client, try net.ip("server"), port: 443)) == .dropped(.tgwRTBBadStateRoute, at: .transitGateway, tgwID, .request))
    }

    // MARK: §5.8 appliance

    static let applianceNetwork = """
        vpcs:
          - name: main
            region: us-east-1
            cidr: 10.0.0.0/16
            subnets:
              - {name: a, cidr: 10.0.1.0/24, az: us-east-1a, route_table: via-fw}
              - {name: b, cidr: 10.0.2.0/24, az: us-east-1a}
              - {name: fw, cidr: 10.0.3.0/24, az: us-east-1a}
            route_tables:
              - name: via-fw
                routes: [{destination: 10.0.2.0/24, target: firewall}]
            security_groups:
              - {name: open, ingress: [{protocol: all, cidr: 0.0.0.0/0}]}
              - {name: members, ingress: [{protocol: all, security_group: members}]}
            interfaces:
              - {name: firewall, subnet: fw, source_dest_check: false, security_groups: [open]}
              - {name: checked, subnet: fw, security_groups: [open]}
              - {name: client, subnet: a, security_groups: [open, members]}
              - {name: server, subnet: b, security_groups: [open]}
              - {name: member-server, subnet: b, security_groups: [members]}
              - {name: member-client, subnet: b, security_groups: [members]}
        """

    @Test func applianceForwardsButGroupReferencesDoNotSurviveIt() throws {
        let net = try OracleFixture(Self.applianceNetwork)
        let client = try net.eniID("client")
        #expect(net.evaluate(.tcp(client, try net.ip("server"), port: 443)) == .delivered(to: try net.eniID("server"), source: try net.ip("client")))
        #expect(net.evaluate(.tcp(client, try net.ip("member-server"), port: 443))
                == .dropped(.eniSGRulesMismatch, at: .interface, try net.eniID("member-server"), .request))
        #expect(net.evaluate(.tcp(try net.eniID("member-client"), try net.ip("member-server"), port: 443)).reachable)
    }

    @Test func applianceWithSourceDestCheckDropsForwardedTraffic() throws {
        var net = try OracleFixture(Self.applianceNetwork)
        let index = try net.tableIndex("via-fw"), checked = try net.eniID("checked")
        net.network.routeTables[index].routes = net.network.routeTables[index].routes.map { route in
            route.target == .local ? route : Route(destination: route.destination, target: .networkInterface(checked))
        }
        #expect(net.evaluate(.tcp(try net.eniID("client"), try net.ip("server"), port: 443))
                == .dropped(.eniSourceDestCheckRestriction, at: .interface, checked, .request))
    }

    // MARK: §6 interface endpoints and load balancers

    @Test func interfaceEndpointDeliversToTheServiceOverTCPAndNeverInitiates() throws {
        let net = try OracleFixture("""
            vpcs:
              - name: main
                region: us-east-1
                cidr: 10.0.0.0/16
                subnets: [{name: a, cidr: 10.0.1.0/24, az: us-east-1a}]
                endpoints:
                  - {name: secrets, type: interface, service: secretsmanager, subnets: [a], security_groups: [vpce]}
                security_groups:
                  - name: vpce
                    ingress: [{protocol: tcp, ports: 443, cidr: 10.0.0.0/16}, {protocol: udp, ports: 443, cidr: 10.0.0.0/16}]
                  - {name: open, ingress: [{protocol: all, cidr: 0.0.0.0/0}]}
                interfaces: [{name: app, subnet: a, security_groups: [open]}]
            """)
        let app = try net.eniID("app"), endpointENI = try net.eni("secrets@a"), endpointIP = try net.ip("secrets@a")
        let endpoint = try net.endpoint("secrets")
        #expect(net.evaluate(.tcp(app, endpointIP, port: 443)) == .delivered(to: "service:secretsmanager", source: try net.ip("app")))
        #expect(net.evaluate(.tcp(app, endpointIP, port: 80)) == .dropped(.eniSGRulesMismatch, at: .interface, endpointENI.id, .request))
        #expect(net.evaluate(.udp(app, endpointIP, port: 443)) == .dropped(.protocolRestriction, at: .vpcEndpoint, endpoint, .request))
        #expect(net.evaluate(.tcp(endpointENI.id, try net.ip("app"), port: 443)) == .dropped(.vpceIntraVPCTraffic, at: .vpcEndpoint, endpoint, .request))
    }

    @Test func loadBalancerTerminatesOnItsListenersAndOpensItsOwnLegToTargets() throws {
        let net = try OracleFixture("""
            vpcs:
              - name: main
                region: us-east-1
                cidr: 10.0.0.0/16
                subnets:
                  - {name: pub-a, cidr: 10.0.1.0/24, az: us-east-1a}
                  - {name: pub-b, cidr: 10.0.2.0/24, az: us-east-1b}
                  - {name: app-b, cidr: 10.0.12.0/24, az: us-east-1b}
                security_groups:
                  - name: alb
                    ingress: [{protocol: tcp, ports: 443, cidr: 0.0.0.0/0}, {protocol: tcp, ports: 8443, cidr: 0.0.0.0/0}]
                    egress: [{protocol: tcp, ports: 8080, security_group: web}]
                  - name: web
                    ingress: [{protocol: tcp, ports: 8080, security_group: alb}]
                  - {name: client, ingress: []}
                workloads:
                  - {name: web, kind: ec2, subnets: [app-b], security_groups: [web]}
                interfaces:
                  - {name: client, subnet: pub-a, security_groups: [client]}
                target_groups:
                  - {name: web, protocol: HTTP, port: 8080, targets: [web]}
                load_balancers:
                  - name: ALB
                    scheme: internal
                    subnets: [pub-a, pub-b]
                    security_groups: [alb]
                    listeners: [{protocol: HTTPS, port: 443, target_group: web}]
            """)
        let client = try net.eniID("client"), albA = try net.eniID("ALB@pub-a"), albIP = try net.ip("ALB@pub-a")
        let flow = OracleFlow.tcp(client, albIP, port: 443)
        #expect(net.evaluate(flow) == .delivered(to: albA, source: try net.ip("client")))
        #expect(net.evaluate(.tcp(client, albIP, port: 8443)) == .dropped(.elbv2ListenersMismatch, at: .loadBalancer, try net.loadBalancer("ALB"), .request))
        #expect(net.evaluate(.tcp(client, albIP, port: 80)) == .dropped(.eniSGRulesMismatch, at: .interface, albA, .request))
        // The second leg starts at the LB interface in the target's AZ, to the target group port.
        let legs = net.oracle.loadBalancerLegs(of: flow)
        let expected = OracleFlow(sourceInterfaceID: try net.eniID("ALB@pub-b"), destination: try net.ip("web@app-b"), ipProtocol: 6,
                                  sourcePort: NaiveOracle.natPort(try net.ip("client"), 40000), destinationPort: 8080)
        #expect(legs == [expected])
        #expect(net.evaluate(expected).reachable)
        // The client itself is not in the LB's group, so it cannot reach the target directly.
        #expect(net.evaluate(.tcp(client, try net.ip("web@app-b"), port: 8080)) == .dropped(.eniSGRulesMismatch, at: .interface, try net.eniID("web@app-b"), .request))
    }

    // MARK: §4 start, §5.1 local delivery

    @Test func startAndLocalDeliveryEdgeCases() throws {
        let net = try OracleFixture(Self.natNetwork(returnPorts: "1024-65535"))
        let app = try net.eniID("app"), appIP = try net.ip("app")
        #expect(net.evaluate(.tcp(app, appIP, port: 443)) == .delivered(to: app, source: appIP))
        #expect(net.evaluate(.tcp("eni-nope", appIP, port: 443)) == .dropped(.noSourceOrDestination, at: .interface, "eni-nope", .request))
        let nat = try net.nat("nat")
        #expect(net.evaluate(.tcp(nat.interfaceID, appIP, port: 443)) == .dropped(.ngwCannotInitiate, at: .natGateway, nat.id, .request))
        // Inside the VPC CIDR but held by no interface: the local route has nowhere to deliver it.
        #expect(net.evaluate(.tcp(app, IPv4Address(10, 0, 2, 9), port: 443)) == .dropped(.noPossibleDestination, at: .routeTable, try net.table("private"), .request))
    }

    @Test func natPortStaysInTheEphemeralRange() {
        #expect(NaiveOracle.natPort(IPv4Address(0), 0) == 1024)
        var rng = SplitMix64(seed: 7)
        for _ in 0..<1000 {
            let port = NaiveOracle.natPort(IPv4Address(UInt32(truncatingIfNeeded: rng.next())), UInt16(truncatingIfNeeded: rng.next()))
            #expect((1024...65535).contains(port))
        }
    }
}

@Suite("Random networks")
struct RandomNetworkTests {
    @Test func generatedNetworksAreValid() {
        for seed in UInt64(1)...60 {
            let network = RandomNetwork.make(seed: seed)
            let errors = NetworkValidator.validate(network).filter { $0.severity == .error }
            #expect(errors.isEmpty, "seed \(seed): \(errors.map(\.message).joined(separator: "; "))")
        }
    }

    @Test func generatorIsDeterministic() {
        #expect(RandomNetwork.make(seed: 42) == RandomNetwork.make(seed: 42))
        #expect(RandomNetwork.make(seed: 42) != RandomNetwork.make(seed: 43))
    }

    /// The oracle terminates on every random flow, is deterministic, and its verdicts are well
    /// formed; across many seeds the flows reach every kind of outcome, so the comparison with the
    /// Evaluator exercises the whole contract rather than one corner of it.
    @Test func oracleVerdictsAreWellFormedAndVaried() {
        var reasons: Set<String> = []
        var reachable = 0, total = 0
        let knownReasons = Set(OracleReason.allCases.map(\.rawValue)), knownKinds = Set(OracleHopKind.allCases.map(\.rawValue))
        for seed in UInt64(1)...40 {
            var rng = SplitMix64(seed: seed &* 0x9E37_79B9)
            let network = RandomNetwork.make(rng: &rng)
            let oracle = NaiveOracle(network: network)
            for flow in RandomNetwork.randomFlows(network, count: 250, rng: &rng) {
                let verdict = oracle.evaluate(flow)
                total += 1
                if verdict.reachable {
                    reachable += 1
                    #expect(verdict.reason == nil && verdict.dropKind == nil && verdict.finalDestination != nil, "\(flow): \(verdict)")
                } else {
                    #expect(verdict.reason.map(knownReasons.contains) == true && verdict.dropKind.map(knownKinds.contains) == true
                            && verdict.dropDirection != nil && verdict.dropEntityID != nil, "\(flow): \(verdict)")
                    if verdict.dropDirection == .response { #expect(verdict.finalDestination != nil, "\(flow): \(verdict)") }
                    if let reason = verdict.reason { reasons.insert(reason) }
                }
            }
        }
        #expect(reachable > total / 20, "only \(reachable) of \(total) random flows are reachable")
        #expect(reachable < total * 9 / 10)
        let expected: Set<String> = ["ENI_SG_RULES_MISMATCH", "SUBNET_ACL_RESTRICTION", "NO_ROUTE_TO_DESTINATION", "BAD_STATE_ROUTE",
                                     "NO_POSSIBLE_DESTINATION", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "PROTOCOL_RESTRICTION",
                                     "NAT_GATEWAY_UNSOLICITED_INBOUND", "VPCE_GATEWAY_PROTOCOL_RESTRICTION", "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"]
        #expect(expected.isSubset(of: reasons), "never seen: \(expected.subtracting(reasons).sorted())")
    }

    @Test func flowsAreDeterministic() {
        var first = SplitMix64(seed: 9), second = SplitMix64(seed: 9)
        let network = RandomNetwork.make(seed: 9)
        #expect(RandomNetwork.randomFlows(network, count: 50, rng: &first) == RandomNetwork.randomFlows(network, count: 50, rng: &second))
    }
}
