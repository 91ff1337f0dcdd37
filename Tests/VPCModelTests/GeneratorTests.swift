import Testing
@testable import VPCModel

/// The generator's contract: deterministic, valid by construction, exact counts, AWS's quotas, and
/// a network that survives the writer and the loader unchanged.
@Suite struct GeneratorTests {
    static let combinations: [GeneratorOptions] = [
        GeneratorOptions(),
        GeneratorOptions(vpcs: 1, subnetsPerVPC: 1, interfaces: 1, securityGroupRules: 0, peering: .none, seed: 0),
        GeneratorOptions(vpcs: 1, subnetsPerVPC: 2, interfaces: 7, securityGroupRules: 3, peering: .hub, seed: 5),
        GeneratorOptions(vpcs: 4, subnetsPerVPC: 3, interfaces: 40, securityGroupRules: 500, peering: .mesh, seed: 2),
        GeneratorOptions(vpcs: 12, subnetsPerVPC: 10, interfaces: 1500, securityGroupRules: 900, peering: .hub, seed: 42),
        GeneratorOptions(vpcs: 20, subnetsPerVPC: 7, interfaces: 800, securityGroupRules: 3000, peering: .mesh, seed: 9),
        GeneratorOptions(vpcs: 300, subnetsPerVPC: 2, interfaces: 1200, securityGroupRules: 400, peering: .none, seed: 3),
        GeneratorOptions(vpcs: 2, subnetsPerVPC: 4, interfaces: 2000, securityGroupRules: 10, peering: .hub, seed: 11),
    ]

    static func ruleCount(_ network: Network) -> Int {
        network.securityGroups.reduce(0) { $0 + $1.ingress.count + $1.egress.count }
    }

    @Test func sameSeedSameBytesOtherSeedOtherNetwork() throws {
        let options = GeneratorOptions(vpcs: 6, subnetsPerVPC: 6, interfaces: 300, securityGroupRules: 200, seed: 77)
        let first = try NetworkGenerator.generate(options)
        let second = try NetworkGenerator.generate(options)
        #expect(first == second)
        #expect(TopologyWriter.yaml(first) == TopologyWriter.yaml(second))
        var other = options
        other.seed = 78
        #expect(TopologyWriter.yaml(try NetworkGenerator.generate(other)) != TopologyWriter.yaml(first))
    }

    @Test(arguments: combinations)
    func validWithExactCounts(options: GeneratorOptions) throws {
        let network = try NetworkGenerator.generate(options)
        let errors = NetworkValidator.validate(network).filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        #expect(network.vpcs.count == options.vpcs)
        #expect(network.subnets.count == options.vpcs * options.subnetsPerVPC)
        #expect(network.interfaces.count == options.interfaces)
        #expect(Self.ruleCount(network) == options.securityGroupRules)
        // Names are unique per kind, AWS's per-direction quota holds, every interface has a group (NAT gateways aside).
        #expect(Set(network.workloads.map(\.name)).count == network.workloads.count)
        #expect(Set(network.interfaces.map(\.name)).count == network.interfaces.count)
        #expect(network.securityGroups.allSatisfy { $0.ingress.count <= 60 && $0.egress.count <= 60 })
        #expect(network.interfaces.allSatisfy { !$0.securityGroupIDs.isEmpty || $0.owner != .none })
    }

    @Test(arguments: combinations)
    func roundTripsThroughTheWriterAndLoader(options: GeneratorOptions) throws {
        let network = try NetworkGenerator.generate(options)
        let yaml = TopologyWriter.yaml(network)
        #expect(yaml == TopologyWriter.yamlInOnePiece(network))
        let loaded = try TopologyLoader.load(yaml: yaml, file: "generated.yaml")
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.network == network)
    }

    @Test func looksLikeAnAWSEstate() throws {
        let network = try NetworkGenerator.generate(GeneratorOptions(vpcs: 30, subnetsPerVPC: 9, interfaces: 2000, securityGroupRules: 1500, seed: 4))
        // /16s for few VPCs, subnets spread over two or three AZs of one region.
        #expect(network.vpcs.allSatisfy { $0.cidrs.count == 1 && $0.cidrs[0].length == 16 && $0.region == "us-east-1" })
        for vpc in network.vpcs {
            let zones = Set(network.subnets.filter { $0.vpcID == vpc.id }.map(\.availabilityZone))
            #expect((2...3).contains(zones.count))
        }
        #expect(!network.internetGateways.isEmpty && !network.natGateways.isEmpty && !network.loadBalancers.isEmpty)
        #expect(network.endpoints.contains { $0.kind == .gateway && $0.service == "s3" })
        #expect(network.endpoints.contains { $0.kind == .interface })
        #expect(network.networkACLs.contains { acl in !acl.isDefault && acl.ingress.contains { $0.action == .deny } })
        #expect(network.interfaces.contains { $0.publicIP != nil && $0.owner == .none })
        // Private subnets of a VPC with NAT gateways route 0.0.0.0/0 to the NAT gateway of their own AZ.
        for subnet in network.subnets {
            guard let table = network.routeTable(of: subnet),
                  let route = table.routes.first(where: { $0.destination == .cidr(.any) }),
                  case .natGateway(let natID) = route.target,
                  let nat = network.natGateways.first(where: { $0.id == natID }),
                  let natSubnet = network.subnets.first(where: { $0.id == nat.subnetID }) else { continue }
            #expect(natSubnet.availabilityZone == subnet.availabilityZone)
        }
        // Security groups refer to each other.
        #expect(network.securityGroups.contains { $0.ingress.contains { if case .securityGroup = $0.peer { true } else { false } } })
    }

    @Test func hubAttachesEveryVPCToOneTransitGateway() throws {
        let network = try NetworkGenerator.generate(GeneratorOptions(vpcs: 8, interfaces: 100, peering: .hub))
        let tgw = try #require(network.transitGateways.first)
        #expect(network.transitGateways.count == 1 && network.peerings.isEmpty)
        #expect(tgw.routeTables.count == 1 && tgw.routeTables[0].routes.isEmpty)
        #expect(tgw.attachments.allSatisfy { $0.routeTableID == tgw.routeTables[0].id && $0.propagatesTo == [tgw.routeTables[0].id] })
        #expect(Set(tgw.attachments.map(\.vpcID)) == Set(network.vpcs.map(\.id)))
        let toHub = Route(destination: .cidr(CIDR("10.0.0.0/8")!), target: .transitGateway(tgw.id))
        #expect(network.routeTables.allSatisfy { $0.routes.contains(toHub) })
    }

    @Test func meshPeersEveryPairWithRoutesInEveryTable() throws {
        let network = try NetworkGenerator.generate(GeneratorOptions(vpcs: 6, interfaces: 80, peering: .mesh))
        #expect(network.peerings.count == 6 * 5 / 2 && network.transitGateways.isEmpty)
        for table in network.routeTables {
            let peers = network.vpcs.filter { $0.id != table.vpcID }.flatMap(\.cidrs)
            let routed = table.routes.compactMap { route -> CIDR? in
                guard case .peering = route.target, case .cidr(let cidr) = route.destination else { return nil }
                return cidr
            }
            #expect(Set(routed) == Set(peers))
        }
    }

    @Test func meshOverAWSQuotaIsRefused() throws {
        #expect(throws: GeneratorError.self) { try NetworkGenerator.generate(GeneratorOptions(vpcs: 127, peering: .mesh)) }
        do {
            _ = try NetworkGenerator.generate(GeneratorOptions(vpcs: 200, peering: .mesh))
        } catch {
            #expect(error.message.contains("199 peering connections") && error.message.contains("125"))
            #expect(error.hint?.contains("--peering hub") == true)
        }
    }

    @Test func impossibleRequestsAreRefused() {
        let cases: [(GeneratorOptions, String)] = [
            (GeneratorOptions(vpcs: 0), "--vpcs"),
            (GeneratorOptions(subnetsPerVPC: 0), "--subnets-per-vpc"),
            (GeneratorOptions(interfaces: 0), "--interfaces"),
            (GeneratorOptions(securityGroupRules: -1), "--sg-rules"),
            (GeneratorOptions(subnetsPerVPC: 5000), "do not fit in a /16"),
            (GeneratorOptions(vpcs: 5001, peering: .hub), "5000 attachments"),
        ]
        for (options, message) in cases {
            #expect(throws: GeneratorError.self, "\(message)") { try NetworkGenerator.generate(options) }
            do { _ = try NetworkGenerator.generate(options) } catch { #expect(error.message.contains(message), "\(error.message)") }
        }
    }

    @Test func largeRequestsGetLargerSubnetsOrSmallerVPCs() throws {
        // 1,500 interfaces over two subnets need more than a /24 each.
        let dense = try NetworkGenerator.generate(GeneratorOptions(vpcs: 1, subnetsPerVPC: 2, interfaces: 1500, securityGroupRules: 10))
        #expect(dense.subnets.allSatisfy { $0.cidr.length < 24 })
        // More than 256 VPCs cannot all be /16s in 10.0.0.0/8: they get the size their subnets need.
        let many = try NetworkGenerator.generate(GeneratorOptions(vpcs: 300, subnetsPerVPC: 10, interfaces: 300, securityGroupRules: 10, peering: .none))
        #expect(many.vpcs.allSatisfy { $0.cidrs[0].length == 20 })
        #expect(many.subnets.allSatisfy { $0.cidr.length == 24 })
    }

    @Test func splitMix64MatchesTheReferenceSequence() {
        // The first outputs for seed 1234567 of the reference algorithm (Vigna, prng.di.unimi.it/splitmix64.c).
        var rng = SplitMix64(seed: 1_234_567)
        #expect(rng.next() == 6_457_827_717_110_365_317)
        #expect(rng.next() == 3_203_168_211_198_807_973)
        #expect((0..<1000).allSatisfy { _ in (0..<7).contains(rng.below(7)) })
    }
}

extension GeneratorOptions: CustomTestStringConvertible {
    public var testDescription: String { commandLine }
}
