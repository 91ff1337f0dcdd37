/// Builds large, realistic, valid networks from a seed, for benchmarks and for trying vpcsim on an
/// estate of a given size without writing one (`vpcsim generate`, docs/generate.md).
///
/// The network is what `TopologyLoader` would build from the file `TopologyWriter` writes for it:
/// the same ids (derived from names), the same implied tables and ACLs, interfaces in the order the
/// loader creates them. So generating, writing and loading give back an equal `Network`, and the
/// same seed and options give a byte-identical file.
public enum NetworkGenerator {
    public static func generate(_ options: GeneratorOptions) throws(GeneratorError) -> Network {
        try check(options)
        var planner = GeneratorPlanner(options: options)
        let plans = planner.plan()
        let layout = try AddressLayout(plans: plans, options: options)
        var assembler = GeneratorAssembler(options: options, plans: plans, layout: layout, rng: planner.rng)
        var network = assembler.assemble()
        guard options.centralEgress else { return network }
        CentralEgress.apply(to: &network, region: GeneratorOptions.region)
        // Written and loaded again, so the network is exactly what its file loads as (ids, implied
        // tables and groups, interface order), as for every generated network.
        do {
            return try TopologyLoader.load(yaml: TopologyWriter.yaml(network), file: "generated.yaml").network
        } catch {
            throw GeneratorError("the centralized egress design did not load back: \(error)")
        }
    }

    static func check(_ options: GeneratorOptions) throws(GeneratorError) {
        guard options.vpcs >= 1 else { throw GeneratorError("--vpcs must be at least 1, not \(options.vpcs)") }
        guard options.subnetsPerVPC >= 1 else {
            throw GeneratorError("--subnets-per-vpc must be at least 1, not \(options.subnetsPerVPC)")
        }
        guard options.interfaces >= 1 else {
            throw GeneratorError("--interfaces must be at least 1, not \(options.interfaces)", hint: "a network without interfaces has nothing to ask about")
        }
        guard options.interfaces <= GeneratorOptions.maxInterfaces else {
            throw GeneratorError("--interfaces \(options.interfaces) is more than vpcsim generates (at most \(GeneratorOptions.maxInterfaces))")
        }
        guard (0...GeneratorOptions.maxSecurityGroupRules).contains(options.securityGroupRules) else {
            throw GeneratorError("--sg-rules must be from 0 to \(GeneratorOptions.maxSecurityGroupRules), not \(options.securityGroupRules)")
        }
        // 10.0.0.0/8 holds at most 65,536 VPCs of the smallest size that still has room for subnets (/24).
        guard options.vpcs <= 65536 else {
            throw GeneratorError("\(options.vpcs) VPCs do not fit in 10.0.0.0/8", hint: "use at most 65536 VPCs")
        }
        let peers = options.vpcs - 1
        if options.peering == .mesh && peers > AWSQuota.peeringConnectionsPerVPC {
            throw GeneratorError(
                "--peering mesh gives each of the \(options.vpcs) VPCs \(peers) peering connections; AWS allows at most "
                    + "\(AWSQuota.peeringConnectionsPerVPC) active peering connections per VPC",
                hint: "use --peering hub (one transit gateway every VPC attaches to), or at most \(AWSQuota.peeringConnectionsPerVPC + 1) VPCs for a mesh")
        }
        if options.centralEgress && options.peering != .hub {
            throw GeneratorError("--central-egress needs --peering hub", hint: "centralized egress and inspection run through a transit gateway")
        }
        if options.peering == .hub && options.vpcs + (options.centralEgress ? 2 : 0) > AWSQuota.attachmentsPerTransitGateway {
            throw GeneratorError(
                "--peering hub attaches \(options.vpcs) VPCs to one transit gateway; AWS allows at most \(AWSQuota.attachmentsPerTransitGateway) attachments per transit gateway",
                hint: "use at most \(AWSQuota.attachmentsPerTransitGateway) VPCs, or --peering none")
        }
    }
}

/// Prefix lengths of every VPC and subnet: 10.0.0.0/8 carved into equal VPC blocks (/16s when there
/// are few VPCs, otherwise as small as the subnets need), each carved into equal subnets (/24s, or
/// larger when the busiest subnet needs it, or smaller when space is short).
struct AddressLayout {
    var subnetPrefix: Int
    var vpcPrefix: Int

    init(plans: [VPCPlan], options: GeneratorOptions) throws(GeneratorError) {
        let busiest = plans.map { $0.subnetLoads.max() ?? 0 }.max() ?? 0
        // AWS reserves five addresses of every subnet; /28 is the smallest subnet.
        let needed = busiest + 5
        let smallest = 32 - Self.bits(max(needed, 16))
        guard smallest >= 16 else {
            throw GeneratorError("a subnet would need \(needed) addresses; an AWS subnet has at most 65,536 (/16)",
                                 hint: "spread the interfaces over more subnets (--subnets-per-vpc) or more VPCs (--vpcs)")
        }
        let subnetBits = Self.bits(options.subnetsPerVPC)
        subnetPrefix = min(24, smallest)
        if subnetPrefix - subnetBits < 16 { subnetPrefix = smallest }
        guard subnetPrefix - subnetBits >= 16 else {
            throw GeneratorError(
                "\(options.subnetsPerVPC) subnets of /\(smallest) (the size the busiest subnet needs, \(needed) addresses) do not fit in a /16, the largest VPC CIDR AWS allows",
                hint: "use fewer subnets per VPC, or fewer interfaces per VPC (more VPCs)")
        }
        func fits(_ prefix: Int) -> Bool { options.vpcs <= 1 << (prefix - 8) }
        vpcPrefix = fits(16) ? 16 : subnetPrefix - subnetBits
        if !fits(vpcPrefix) {
            subnetPrefix = smallest
            vpcPrefix = subnetPrefix - subnetBits
        }
        guard fits(vpcPrefix) else {
            throw GeneratorError("\(options.vpcs) VPCs of /\(vpcPrefix) do not fit in 10.0.0.0/8",
                                 hint: "use fewer VPCs, or fewer subnets or interfaces per VPC")
        }
    }

    /// The number of bits that count `n` things (`ceil(log2(n))`).
    static func bits(_ n: Int) -> Int {
        var bits = 0
        while 1 << bits < n { bits += 1 }
        return bits
    }
}
