import Testing
@testable import VPCModel

/// One test per class of validation error: the message says what is wrong and points at the line.
@Suite struct ValidationTests {
    /// A valid network; each case replaces one line (by marker) to break it.
    static let base = """
    vpcs:
      - name: main
        region: us-east-1
        cidr: 10.0.0.0/16  #CIDR
        subnets:
          - {name: a, cidr: 10.0.1.0/24, az: us-east-1a}  #SUBNET_A
          - {name: b, cidr: 10.0.2.0/24, az: us-east-1b, route_table: private}  #SUBNET_B
        route_tables:
          - name: private
            routes:
              - {destination: 0.0.0.0/0, target: NAT-GW-A}  #ROUTE
        nat_gateways:
          - {name: NAT-GW-A, subnet: a, private_ip: 10.0.1.4}  #NAT
        security_groups:
          - name: web
            ingress:
              - {protocol: tcp, ports: 443, cidr: 0.0.0.0/0}  #RULE
        network_acls:
          - name: strict
            subnets: [b]
            ingress:
              - {rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0}  #ACL
        interfaces:
          - {name: box, subnet: a, private_ip: 10.0.1.10, security_groups: [web]}  #ENI
      - name: other  #OTHER
        region: us-east-1
        cidr: 10.1.0.0/16
        subnets:
          - {name: o, cidr: 10.1.1.0/24, az: us-east-1a}
    """

    struct Case: CustomTestStringConvertible, Sendable {
        var marker: String
        var replacement: String
        var message: String
        var hint: String? = nil
        var testDescription: String { message }
    }

    static let cases: [Case] = [
        Case(marker: "#SUBNET_A", replacement: "      - {name: a, cidr: 10.0.1.0/24, az: us-east-1a, route_tabel: private}",
             message: "unknown key 'route_tabel' in a subnet", hint: "did you mean 'route_table'?"),
        Case(marker: "#SUBNET_A", replacement: "      - {name: a, cidr: 10.0.1.0/24}", message: "a subnet is missing required key 'az'"),
        Case(marker: "#SUBNET_A", replacement: "      - {name: a, cidr: 10.0.1.300/24, az: us-east-1a}", message: "'10.0.1.300/24' is not an IPv4 CIDR"),
        Case(marker: "#SUBNET_A", replacement: "      - {name: a, cidr: 10.0.1.7/24, az: us-east-1a}", message: "has host bits set", hint: "did you mean '10.0.1.0/24'?"),
        Case(marker: "#SUBNET_A", replacement: "      - {name: a, cidr: 10.2.1.0/24, az: us-east-1a}", message: "is not inside VPC 'main'"),
        Case(marker: "#SUBNET_B", replacement: "      - {name: b, cidr: 10.0.1.128/25, az: us-east-1b, route_table: private}", message: "overlaps subnet 'a'"),
        Case(marker: "#SUBNET_A", replacement: "      - {name: a, cidr: 10.0.1.0/24, az: us-west-2a}", message: "not an Availability Zone of us-east-1"),
        Case(marker: "#SUBNET_A", replacement: "      - {name: a, cidr: 10.0.0.0/29, az: us-east-1a}", message: "AWS allows /16 to /28"),
        Case(marker: "#SUBNET_B", replacement: "      - {name: b, cidr: 10.0.2.0/24, az: us-east-1b, route_table: privat}",
             message: "refers to unknown route table 'privat'", hint: "did you mean 'private'?"),
        Case(marker: "#SUBNET_B", replacement: "      - {name: a, cidr: 10.0.2.0/24, az: us-east-1b}", message: "subnet name 'a' is used twice"),
        Case(marker: "#ROUTE", replacement: "          - {destination: 0.0.0.0/0, target: NAT-GW-Z}", message: "targets unknown 'NAT-GW-Z'", hint: "did you mean 'NAT-GW-A'?"),
        Case(marker: "#ROUTE", replacement: "          - {destination: 10.0.0.0/16, target: local}", message: "targets 'local'"),
        Case(marker: "#ROUTE", replacement: "          - {destination: 10.0.1.0/25, target: NAT-GW-A}", message: "inside the VPC's local range"),
        Case(marker: "#ROUTE", replacement: "          - {destination: pl-nothere, target: NAT-GW-A}", message: "refers to unknown prefix list 'pl-nothere'"),
        Case(marker: "#NAT", replacement: "      - {name: NAT-GW-A, subnet: a, connectivity: private, elastic_ip: 54.1.2.3}", message: "a private NAT gateway has no Elastic IP"),
        Case(marker: "#NAT", replacement: "      - {name: NAT-GW-A, subnet: zz}", message: "refers to unknown subnet 'zz'"),
        Case(marker: "#RULE", replacement: "          - {protocol: tcp, ports: 443}", message: "a security group rule needs a peer"),
        Case(marker: "#RULE", replacement: "          - {protocol: tcp, ports: 99999, cidr: 0.0.0.0/0}", message: "'99999' is not a port or port range"),
        Case(marker: "#RULE", replacement: "          - {protocol: icmp, ports: 80, cidr: 0.0.0.0/0}", message: "ports are only meaningful for tcp and udp"),
        Case(marker: "#RULE", replacement: "          - {protocol: tcp, ports: 443, security_group: webb}", message: "refers to unknown security group 'webb'", hint: "did you mean 'web'?"),
        Case(marker: "#ACL", replacement: "          - {rule: 40000, action: allow, protocol: all, cidr: 0.0.0.0/0}", message: "'rule' must be a whole number from 1 to 32766"),
        Case(marker: "#ACL", replacement: "          - {rule: 100, action: permit, protocol: all, cidr: 0.0.0.0/0}", message: "'action' must be one of allow, deny"),
        Case(marker: "#ENI", replacement: "      - {name: box, subnet: a, private_ip: 10.0.1.3}", message: "address 10.0.1.3 is reserved by AWS"),
        Case(marker: "#ENI", replacement: "      - {name: box, subnet: a, private_ip: 10.0.2.10}", message: "address 10.0.2.10 is not in its subnet 'a'"),
        Case(marker: "#ENI", replacement: "      - {name: box, subnet: a, private_ip: 10.0.1.4}", message: "address 10.0.1.4 is already used by NAT gateway 'NAT-GW-A'"),
        Case(marker: "#ENI", replacement: "      - {name: box, subnet: a, private_ip: 10.0.1.999}", message: "'10.0.1.999' is not an IPv4 address"),
        Case(marker: "#ENI", replacement: "      - {name: box, subnet: a, security_groups: []}", message: "interface 'box' has no security group"),
        Case(marker: "#ROUTE", replacement: "          - {destination: 10.0.0.0/16, target: NAT-GW-A}", message: "repeats the local route"),
        Case(marker: "#CIDR", replacement: "    cidr: 10.0.0.0/8", message: "AWS allows /16 to /28"),
        Case(marker: "#OTHER", replacement: "  - name: main", message: "VPC name 'main' is used twice"),
    ]

    static func broken(_ testCase: Case) -> (yaml: String, line: Int) {
        var lines = base.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = lines.firstIndex { $0.contains(testCase.marker) } ?? 0
        lines[index] = testCase.replacement
        return (lines.joined(separator: "\n"), index + 1)
    }

    @Test func theBaseNetworkIsValid() throws {
        _ = try TopologyLoader.load(yaml: ValidationTests.base, file: "base.yaml")
    }

    @Test(arguments: cases)
    func reportsTheErrorAtItsLine(testCase: Case) throws {
        let (yaml, line) = ValidationTests.broken(testCase)
        let error = try #require(throws: InputError.self) { try TopologyLoader.load(yaml: yaml, file: "broken.yaml") }
        let match = error.diagnostics.first { $0.message.contains(testCase.message) }
        let diagnostic = try #require(match, "expected '\(testCase.message)' in:\n\(error)")
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location?.file == "broken.yaml")
        #expect(diagnostic.location?.line == line, "\(diagnostic)")
        if let hint = testCase.hint { #expect(diagnostic.hint?.contains(hint) == true, "\(diagnostic)") }
        #expect(diagnostic.description.hasPrefix("broken.yaml:\(line):"))
    }

    @Test func reportsEveryErrorNotJustTheFirst() throws {
        var yaml = ValidationTests.broken(ValidationTests.cases[0]).yaml
        yaml = yaml.replacingOccurrences(of: "target: NAT-GW-A}  #ROUTE", with: "target: NAT-GW-Q}")
        yaml = yaml.replacingOccurrences(of: "private_ip: 10.0.1.10", with: "private_ip: 10.0.1.1")
        let error = try #require(throws: InputError.self) { try TopologyLoader.load(yaml: yaml, file: "many.yaml") }
        #expect(error.diagnostics.count == 3)
        let lines = error.diagnostics.compactMap { $0.location?.line }
        #expect(lines == lines.sorted())
    }

    @Test func aPropagatedRouteMayShareAStaticRoutesDestination() throws {
        let yaml = ValidationTests.base.replacingOccurrences(of: "target: NAT-GW-A}  #ROUTE",
                                                             with: "target: NAT-GW-A}\n          - {destination: 0.0.0.0/0, target: NAT-GW-A, origin: propagated}")
        _ = try TopologyLoader.load(yaml: yaml, file: "propagated.yaml")
        let twice = ValidationTests.base.replacingOccurrences(of: "target: NAT-GW-A}  #ROUTE",
                                                              with: "target: NAT-GW-A}\n          - {destination: 0.0.0.0/0, target: blackhole}")
        let error = try #require(throws: InputError.self) { try TopologyLoader.load(yaml: twice, file: "twice.yaml") }
        #expect(error.diagnostics.contains { $0.message.contains("has two routes for 0.0.0.0/0") && $0.location?.line == 12 })
    }

    @Test func syntaxErrorsAreLocated() throws {
        let yaml = "vpcs:\n  - name: x\n   region: y\n"
        let error = try #require(throws: InputError.self) { try TopologyLoader.load(yaml: yaml, file: "syntax.yaml") }
        #expect(error.diagnostics.count == 1)
        #expect(error.diagnostics[0].location?.line == 3)
        #expect(error.diagnostics[0].message.hasPrefix("invalid YAML"))
    }

    @Test func wrongShapesAreErrorsNotCrashes() throws {
        for yaml in ["", "vpcs: 3", "- a\n- b", "vpcs:\n  - 7", "vpcs:\n  - name: x\n    region: us-east-1\n    cidr: [1]\n    subnets: {}",
                     "vpcs: [{name: x, region: us-east-1, cidr: 10.0.0.0/16, subnets: [{name: s, cidr: 10.0.0.0/24, az: us-east-1a}], workloads: [{name: w}]}]"] {
            let error = try #require(throws: InputError.self) { try TopologyLoader.load(yaml: yaml, file: "shape.yaml") }
            #expect(!error.diagnostics.isEmpty)
        }
    }

    @Test func peeringOverlapAndCrossVPCGroupReferences() throws {
        let yaml = """
        vpcs:
          - name: one
            region: us-east-1
            cidr: 10.0.0.0/16
            subnets: [{name: a, cidr: 10.0.1.0/24, az: us-east-1a}]
            security_groups: [{name: g1, ingress: [{protocol: tcp, ports: 22, security_group: g2}]}]
          - name: two
            region: us-east-1
            cidr: 10.0.0.0/16
            subnets: [{name: b, cidr: 10.0.1.0/24, az: us-east-1a}]
            security_groups: [{name: g2}]
        peerings:
          - {name: p, requester: one, accepter: two}
        """
        let error = try #require(throws: InputError.self) { try TopologyLoader.load(yaml: yaml, file: "peer.yaml") }
        #expect(error.diagnostics.contains { $0.message.contains("overlapping CIDRs") && $0.location?.line == 13 })
        let unpeered = yaml.replacingOccurrences(of: "peerings:\n  - {name: p, requester: one, accepter: two}", with: "")
            .replacingOccurrences(of: "cidr: 10.0.0.0/16\n    subnets: [{name: b, cidr: 10.0.1.0/24", with: "cidr: 10.1.0.0/16\n    subnets: [{name: b, cidr: 10.1.1.0/24")
        let second = try #require(throws: InputError.self) { try TopologyLoader.load(yaml: unpeered, file: "unpeered.yaml") }
        #expect(second.diagnostics.contains { $0.message.contains("not peered") && $0.location?.line == 6 })
    }
}
