/// A whole network: VPCs and everything in them, as flat arrays that refer to each other by AWS id.
/// Flat arrays keep the model close to what `aws ec2 describe-*` prints and easy to compile.
public struct Network: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var account: String
    public var vpcs: [VPC] = []
    public var subnets: [Subnet] = []
    public var routeTables: [RouteTable] = []
    public var internetGateways: [InternetGateway] = []
    public var natGateways: [NATGateway] = []
    public var endpoints: [VPCEndpoint] = []
    public var securityGroups: [SecurityGroup] = []
    public var networkACLs: [NetworkACL] = []
    public var interfaces: [NetworkInterface] = []
    public var workloads: [Workload] = []
    public var targetGroups: [TargetGroup] = []
    public var loadBalancers: [LoadBalancer] = []
    public var peerings: [PeeringConnection] = []
    public var transitGateways: [TransitGateway] = []
    /// Virtual private gateways (the AWS side of a Site-to-Site VPN or Direct Connect to one VPC).
    public var vpnGateways: [VPNGateway] = []
    public var customerGateways: [CustomerGateway] = []
    public var vpnConnections: [VPNConnection] = []
    public var directConnectGateways: [DirectConnectGateway] = []
    /// Networks outside AWS reached over a VPN or Direct Connect: named endpoints of questions.
    public var onPremNetworks: [OnPremNetwork] = []
    public var prefixLists: [PrefixList] = []
    public var services: [AWSService] = []

    public static let defaultAccount = "111122223333"

    public init(name: String, description: String? = nil, account: String = Network.defaultAccount) {
        self.name = name
        self.description = description
        self.account = account
    }

    /// Regions in first-use order, with the AZs their subnets use.
    public var regions: [Region] {
        var result: [Region] = []
        for vpc in vpcs where !result.contains(where: { $0.name == vpc.region }) {
            let zones = subnets.filter { $0.vpcID == vpc.id || vpcRegion($0.vpcID) == vpc.region }
                .map(\.availabilityZone)
            result.append(Region(name: vpc.region, availabilityZones: Array(Set(zones)).sorted()))
        }
        return result
    }

    private func vpcRegion(_ vpcID: String) -> String? { vpcs.first { $0.id == vpcID }?.region }
}

public struct Region: Hashable, Sendable {
    public var name: String
    public var availabilityZones: [String]
}

public struct VPC: Hashable, Sendable {
    public var id: String
    public var name: String
    public var region: String
    /// The first is the primary CIDR.
    public var cidrs: [CIDR]

    public init(id: String, name: String, region: String, cidrs: [CIDR]) {
        self.id = id; self.name = name; self.region = region; self.cidrs = cidrs
    }
}

public struct Subnet: Hashable, Sendable {
    public var id: String
    public var name: String
    public var vpcID: String
    public var cidr: CIDR
    public var availabilityZone: String
    /// The explicit route table association; nil means the VPC's main table.
    public var routeTableID: String?
    /// The explicit network ACL association; nil means the VPC's default ACL.
    public var networkACLID: String?

    public init(id: String, name: String, vpcID: String, cidr: CIDR, availabilityZone: String,
                routeTableID: String? = nil, networkACLID: String? = nil) {
        self.id = id; self.name = name; self.vpcID = vpcID; self.cidr = cidr
        self.availabilityZone = availabilityZone; self.routeTableID = routeTableID; self.networkACLID = networkACLID
    }

    /// AWS reserves the first four addresses and the last one of every subnet.
    /// https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
    public func isReserved(_ address: IPv4Address) -> Bool {
        guard cidr.contains(address) else { return false }
        let offset = address.value &- cidr.network.value
        return offset < 4 || address == cidr.last
    }
}

public struct RouteTable: Hashable, Sendable {
    public var id: String
    public var name: String
    public var vpcID: String
    public var isMain: Bool
    /// Every route, including the implied `local` routes and the routes gateway endpoints add.
    public var routes: [Route]
    /// Virtual private gateways whose on-premises prefixes this table learns (route propagation):
    /// each VPN connection's static routes and BGP prefixes, and its Direct Connect gateway's.
    /// https://docs.aws.amazon.com/vpc/latest/userguide/WorkWithRouteTables.html#EnableDisableRouteProp
    public var propagatingGatewayIDs: [String]

    public init(id: String, name: String, vpcID: String, isMain: Bool, routes: [Route] = [], propagatingGatewayIDs: [String] = []) {
        self.id = id; self.name = name; self.vpcID = vpcID; self.isMain = isMain; self.routes = routes
        self.propagatingGatewayIDs = propagatingGatewayIDs
    }
}

public struct Route: Hashable, Sendable {
    public enum Destination: Hashable, Sendable, CustomStringConvertible {
        case cidr(CIDR)
        case prefixList(String)

        public var description: String {
            switch self {
            case .cidr(let cidr): return cidr.description
            case .prefixList(let id): return id
            }
        }
    }

    public enum Target: Hashable, Sendable {
        case local
        case internetGateway(String)
        case natGateway(String)
        case gatewayEndpoint(String)
        case peering(String)
        case transitGateway(String)
        case networkInterface(String)
        /// A virtual private gateway (`vgw-…`): the VPC's side of a VPN or Direct Connect.
        case vpnGateway(String)
        /// An explicit blackhole (no target).
        case blackhole

        public var id: String? {
            switch self {
            case .local, .blackhole: return nil
            case .internetGateway(let id), .natGateway(let id), .gatewayEndpoint(let id), .peering(let id),
                 .transitGateway(let id), .networkInterface(let id), .vpnGateway(let id):
                return id
            }
        }
    }

    public enum Origin: String, Hashable, Sendable {
        /// Created by hand or by the route table's creation (`local`, `CreateRoute`, gateway endpoints).
        case staticRoute = "static"
        /// Learned from a transit gateway or virtual private gateway.
        case propagated
    }

    public var destination: Destination
    public var target: Target
    public var origin: Origin
    /// AWS marks a route whose target is gone `blackhole`; traffic matching it is dropped.
    public var isBlackhole: Bool

    public init(destination: Destination, target: Target, origin: Origin = .staticRoute, isBlackhole: Bool = false) {
        self.destination = destination; self.target = target; self.origin = origin
        self.isBlackhole = isBlackhole || target == .blackhole
    }
}

public struct InternetGateway: Hashable, Sendable {
    public var id: String
    public var name: String
    /// The attached VPC; a detached gateway carries no traffic.
    public var vpcID: String?

    public init(id: String, name: String, vpcID: String?) { self.id = id; self.name = name; self.vpcID = vpcID }
}

public struct NATGateway: Hashable, Sendable {
    public enum Connectivity: String, Hashable, Sendable { case `public`, `private` }

    public var id: String
    public var name: String
    public var subnetID: String
    public var connectivity: Connectivity
    public var privateIP: IPv4Address
    /// The Elastic IP of a public NAT gateway.
    public var elasticIP: IPv4Address?
    /// The requester-managed interface that holds the private IP.
    public var interfaceID: String

    public init(id: String, name: String, subnetID: String, connectivity: Connectivity, privateIP: IPv4Address,
                elasticIP: IPv4Address?, interfaceID: String) {
        self.id = id; self.name = name; self.subnetID = subnetID; self.connectivity = connectivity
        self.privateIP = privateIP; self.elasticIP = elasticIP; self.interfaceID = interfaceID
    }
}

public struct VPCEndpoint: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable { case gateway, interface }

    public var id: String
    public var name: String
    public var vpcID: String
    public var kind: Kind
    /// The short service name (`s3`, `secretsmanager`, `ecr.api`).
    public var service: String
    public var routeTableIDs: [String]
    public var subnetIDs: [String]
    public var securityGroupIDs: [String]
    public var privateDNS: Bool
    /// One interface per subnet (interface endpoints only), in subnet order.
    public var interfaceIDs: [String]

    public init(id: String, name: String, vpcID: String, kind: Kind, service: String, routeTableIDs: [String] = [],
                subnetIDs: [String] = [], securityGroupIDs: [String] = [], privateDNS: Bool = true,
                interfaceIDs: [String] = []) {
        self.id = id; self.name = name; self.vpcID = vpcID; self.kind = kind; self.service = service
        self.routeTableIDs = routeTableIDs; self.subnetIDs = subnetIDs; self.securityGroupIDs = securityGroupIDs
        self.privateDNS = privateDNS; self.interfaceIDs = interfaceIDs
    }

    /// `com.amazonaws.us-east-1.s3` → `s3`; short names pass through.
    public static func shortServiceName(_ name: String) -> String {
        let lowered = name.lowercased()
        let parts = lowered.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3, parts[0] == "com" && parts[1] == "amazonaws" {
            let rest = parts[2]
            if let dot = rest.firstIndex(of: "."), rest[..<dot].contains("-") { return String(rest[rest.index(after: dot)...]) }
        }
        return lowered
    }
}

public struct SecurityGroup: Hashable, Sendable {
    public var id: String
    public var name: String
    public var vpcID: String
    public var description: String?
    public var ingress: [SecurityGroupRule]
    public var egress: [SecurityGroupRule]

    public init(id: String, name: String, vpcID: String, description: String? = nil,
                ingress: [SecurityGroupRule] = [], egress: [SecurityGroupRule] = [SecurityGroupRule.allowAllEgress]) {
        self.id = id; self.name = name; self.vpcID = vpcID; self.description = description
        self.ingress = ingress; self.egress = egress
    }
}

public struct SecurityGroupRule: Hashable, Sendable {
    public enum Peer: Hashable, Sendable, CustomStringConvertible {
        case cidr(CIDR)
        case prefixList(String)
        case securityGroup(String)

        public var description: String {
            switch self {
            case .cidr(let cidr): return cidr.description
            case .prefixList(let id), .securityGroup(let id): return id
            }
        }
    }

    public var ipProtocol: IPProtocol
    /// Meaningful for TCP and UDP only; `all` otherwise.
    public var ports: PortRange
    public var icmp: ICMPMatch
    public var peer: Peer
    public var description: String?

    public init(ipProtocol: IPProtocol, ports: PortRange = .all, icmp: ICMPMatch = .any, peer: Peer, description: String? = nil) {
        self.ipProtocol = ipProtocol
        self.ports = ipProtocol.hasPorts ? ports : .all
        self.icmp = icmp; self.peer = peer; self.description = description
    }

    /// The rule every new security group starts with.
    public static let allowAllEgress = SecurityGroupRule(ipProtocol: .all, peer: .cidr(.any))
}

public struct NetworkACL: Hashable, Sendable {
    public var id: String
    public var name: String
    public var vpcID: String
    /// The VPC's default ACL serves every subnet without an explicit association.
    public var isDefault: Bool
    public var ingress: [NetworkACLEntry]
    public var egress: [NetworkACLEntry]

    public init(id: String, name: String, vpcID: String, isDefault: Bool, ingress: [NetworkACLEntry], egress: [NetworkACLEntry]) {
        self.id = id; self.name = name; self.vpcID = vpcID; self.isDefault = isDefault
        self.ingress = ingress; self.egress = egress
    }

    /// A VPC's default ACL as AWS creates it: rule 100 allows everything both ways.
    public static func allowAllEntries() -> [NetworkACLEntry] {
        [NetworkACLEntry(ruleNumber: 100, action: .allow, ipProtocol: .all, cidr: .any)]
    }
}

public struct NetworkACLEntry: Hashable, Sendable {
    public enum Action: String, Hashable, Sendable { case allow, deny }

    /// 1–32766; lowest first; the first match decides.
    public var ruleNumber: Int
    public var action: Action
    public var ipProtocol: IPProtocol
    public var ports: PortRange
    public var icmp: ICMPMatch
    public var cidr: CIDR

    public init(ruleNumber: Int, action: Action, ipProtocol: IPProtocol, ports: PortRange = .all, icmp: ICMPMatch = .any, cidr: CIDR) {
        self.ruleNumber = ruleNumber; self.action = action; self.ipProtocol = ipProtocol
        self.ports = ipProtocol.hasPorts ? ports : .all
        self.icmp = icmp; self.cidr = cidr
    }
}

public struct NetworkInterface: Hashable, Sendable {
    /// What the interface belongs to; requester-managed interfaces belong to a gateway, endpoint or LB.
    public enum Owner: Hashable, Sendable {
        case none
        case workload(String)
        case natGateway(String)
        case endpoint(String)
        case loadBalancer(String)
    }

    public var id: String
    public var name: String
    public var subnetID: String
    /// The first is the primary private IP.
    public var privateIPs: [IPv4Address]
    /// Public IPv4 (auto-assigned or Elastic IP) mapped 1:1 to the primary private IP by the IGW.
    public var publicIP: IPv4Address?
    public var publicIPIsElastic: Bool
    public var securityGroupIDs: [String]
    public var sourceDestCheck: Bool
    public var owner: Owner
    public var instanceID: String?
    public var mac: String?
    public var description: String?

    public init(id: String, name: String, subnetID: String, privateIPs: [IPv4Address], publicIP: IPv4Address? = nil,
                publicIPIsElastic: Bool = false, securityGroupIDs: [String], sourceDestCheck: Bool = true,
                owner: Owner = .none, instanceID: String? = nil, mac: String? = nil, description: String? = nil) {
        self.id = id; self.name = name; self.subnetID = subnetID; self.privateIPs = privateIPs
        self.publicIP = publicIP; self.publicIPIsElastic = publicIPIsElastic; self.securityGroupIDs = securityGroupIDs
        self.sourceDestCheck = sourceDestCheck; self.owner = owner; self.instanceID = instanceID
        self.mac = mac; self.description = description
    }

    public var primaryIP: IPv4Address? { privateIPs.first }
}

public struct Workload: Hashable, Sendable {
    public var id: String
    public var name: String
    /// lambda, fargate, ecs, eks, ec2, rds, aurora, rds-proxy, opensearch, elasticache, other.
    public var kind: String
    public var interfaceIDs: [String]

    public init(id: String, name: String, kind: String, interfaceIDs: [String]) {
        self.id = id; self.name = name; self.kind = kind; self.interfaceIDs = interfaceIDs
    }

    public static let kinds = ["lambda", "fargate", "ecs", "eks", "ec2", "rds", "aurora", "rds-proxy",
                               "opensearch", "elasticache", "other"]
}

public struct TargetGroup: Hashable, Sendable {
    public enum Target: Hashable, Sendable {
        case interface(String)
        case ip(IPv4Address)
    }

    public var id: String
    public var name: String
    public var vpcID: String
    public var targetProtocol: String
    public var port: UInt16
    public var targets: [Target]

    public init(id: String, name: String, vpcID: String, targetProtocol: String, port: UInt16, targets: [Target]) {
        self.id = id; self.name = name; self.vpcID = vpcID; self.targetProtocol = targetProtocol
        self.port = port; self.targets = targets
    }

    /// The IP protocol the load balancer uses to reach its targets.
    public var ipProtocol: IPProtocol { targetProtocol.uppercased() == "UDP" ? .udp : .tcp }
}

public struct LoadBalancer: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable { case application, network }
    public enum Scheme: String, Hashable, Sendable { case internetFacing = "internet-facing", `internal` }

    public struct Listener: Hashable, Sendable {
        public var listenerProtocol: String
        public var port: UInt16
        public var targetGroupID: String

        public init(listenerProtocol: String, port: UInt16, targetGroupID: String) {
            self.listenerProtocol = listenerProtocol; self.port = port; self.targetGroupID = targetGroupID
        }

        public var ipProtocol: IPProtocol { listenerProtocol.uppercased() == "UDP" ? .udp : .tcp }
    }

    public var id: String
    public var name: String
    public var vpcID: String
    public var kind: Kind
    public var scheme: Scheme
    public var subnetIDs: [String]
    public var securityGroupIDs: [String]
    public var listeners: [Listener]
    /// One interface per subnet, in subnet order.
    public var interfaceIDs: [String]

    public init(id: String, name: String, vpcID: String, kind: Kind, scheme: Scheme, subnetIDs: [String],
                securityGroupIDs: [String], listeners: [Listener], interfaceIDs: [String]) {
        self.id = id; self.name = name; self.vpcID = vpcID; self.kind = kind; self.scheme = scheme
        self.subnetIDs = subnetIDs; self.securityGroupIDs = securityGroupIDs; self.listeners = listeners
        self.interfaceIDs = interfaceIDs
    }
}

public struct PeeringConnection: Hashable, Sendable {
    public var id: String
    public var name: String
    public var requesterVPCID: String
    public var accepterVPCID: String

    public init(id: String, name: String, requesterVPCID: String, accepterVPCID: String) {
        self.id = id; self.name = name; self.requesterVPCID = requesterVPCID; self.accepterVPCID = accepterVPCID
    }

    public func peer(of vpcID: String) -> String? {
        vpcID == requesterVPCID ? accepterVPCID : (vpcID == accepterVPCID ? requesterVPCID : nil)
    }
}

public struct PrefixList: Hashable, Sendable {
    public var id: String
    public var name: String
    public var region: String
    public var cidrs: [CIDR]
    /// AWS-managed lists (S3, DynamoDB) come from vpcsim's built-in data.
    public var awsManaged: Bool

    public init(id: String, name: String, region: String, cidrs: [CIDR], awsManaged: Bool = false) {
        self.id = id; self.name = name; self.region = region; self.cidrs = cidrs; self.awsManaged = awsManaged
    }
}

public struct AWSService: Hashable, Sendable {
    /// Short name: `s3`, `secretsmanager`, `ecr.api`.
    public var name: String
    public var region: String
    /// Public addresses the service answers on (for gateway services, the prefix list's CIDRs).
    public var addresses: [CIDR]
    public var prefixListID: String?
    public var builtIn: Bool

    public init(name: String, region: String, addresses: [CIDR], prefixListID: String? = nil, builtIn: Bool = false) {
        self.name = name; self.region = region; self.addresses = addresses; self.prefixListID = prefixListID
        self.builtIn = builtIn
    }
}
