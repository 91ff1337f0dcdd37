/// What `NetworkGenerator` builds. The counts are exact: the network has `vpcs` VPCs,
/// `vpcs × subnetsPerVPC` subnets, `interfaces` network interfaces (workloads' interfaces and the
/// ones AWS creates for NAT gateways, interface endpoints and load balancers) and
/// `securityGroupRules` rules summed over every security group, ingress and egress (a group's
/// default allow-all egress rule counts, as it does in AWS).
public struct GeneratorOptions: Sendable, Equatable {
    public enum Peering: String, Sendable, CaseIterable {
        /// A peering connection between every pair of VPCs, and a route to every peer's CIDR in every table.
        case mesh
        /// One transit gateway that every VPC attaches to: the AWS pattern beyond a few VPCs.
        case hub
        /// VPCs that cannot reach each other privately.
        case none
    }

    public var vpcs: Int
    public var subnetsPerVPC: Int
    public var interfaces: Int
    public var securityGroupRules: Int
    public var peering: Peering
    public var seed: UInt64
    /// With `hub`: two more VPCs, an inspection VPC (an appliance per AZ) and an egress VPC (a NAT
    /// gateway per AZ), through which the spokes' private tiers reach the internet (`CentralEgress`).
    public var centralEgress = false

    /// Every generated VPC is in this region: a transit gateway only attaches VPCs of its own region.
    public static let region = "us-east-1"

    /// Upper bounds that keep a typo from asking for gigabytes; a real estate is far below them.
    public static let maxInterfaces = 1_000_000
    public static let maxSecurityGroupRules = 1_000_000

    public init(vpcs: Int = 3, subnetsPerVPC: Int = 6, interfaces: Int = 60, securityGroupRules: Int = 80,
                peering: Peering = .hub, seed: UInt64 = 1) {
        self.vpcs = vpcs; self.subnetsPerVPC = subnetsPerVPC; self.interfaces = interfaces
        self.securityGroupRules = securityGroupRules; self.peering = peering; self.seed = seed
    }

    /// The command that generates this network, kept in its description so that a file says how to
    /// make it again.
    public var commandLine: String {
        "vpcsim generate --vpcs \(vpcs) --subnets-per-vpc \(subnetsPerVPC) --interfaces \(interfaces) "
            + "--sg-rules \(securityGroupRules) --peering \(peering.rawValue) --seed \(seed)" + (centralEgress ? " --central-egress" : "")
    }
}

/// A request the generator cannot honour (AWS would not allow the network, or it cannot be laid out).
public struct GeneratorError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var hint: String?

    public init(_ message: String, hint: String? = nil) { self.message = message; self.hint = hint }

    public var description: String { "error: \(message)" + (hint.map { "\n  hint: \($0)" } ?? "") }
}

/// AWS quotas the generator keeps to, so that it never builds a network AWS would refuse.
public enum AWSQuota {
    // https://docs.aws.amazon.com/general/latest/gr/vpc-service.html ("Active VPC peering connections per VPC": default 50, adjustable up to 125)
    public static let peeringConnectionsPerVPC = 125
    // https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html ("Attachments per transit gateway": 5,000, not adjustable)
    public static let attachmentsPerTransitGateway = 5000
    // https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html ("Inbound or outbound rules per security group": 60)
    public static let rulesPerSecurityGroupDirection = 60
}
