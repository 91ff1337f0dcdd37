import Yams

/// The topology as written, before names are resolved: every reference keeps the text and place it
/// was written so that a dangling one can be reported at its line.
struct RawTopology {
    var name: String?
    var description: String?
    var account: String?
    var vpcs: [RawVPC] = []
    var peerings: [RawPeering] = []
    var transitGateways: [RawTransitGateway] = []
    var vpnGateways: [RawVPNGateway] = []
    var customerGateways: [RawCustomerGateway] = []
    var vpnConnections: [RawVPNConnection] = []
    var directConnectGateways: [RawDirectConnectGateway] = []
    var onPremNetworks: [RawOnPremNetwork] = []
    var prefixLists: [RawPrefixList] = []
    var services: [RawService] = []
}

typealias Ref = Located<String>

struct RawEntity {
    var name: String
    var id: String?
    var location: SourceLocation
}

struct RawVPC {
    var entity: RawEntity
    var region: Located<String>?
    var cidrs: [CIDR]
    var cidrLocation: SourceLocation
    var internetGateway: RawEntity?
    var subnets: [RawSubnet] = []
    var routeTables: [RawRouteTable] = []
    var networkACLs: [RawNetworkACL] = []
    var securityGroups: [RawSecurityGroup] = []
    var natGateways: [RawNATGateway] = []
    var endpoints: [RawEndpoint] = []
    var interfaces: [RawInterface] = []
    var workloads: [RawWorkload] = []
    var targetGroups: [RawTargetGroup] = []
    var loadBalancers: [RawLoadBalancer] = []
}

struct RawSubnet {
    var entity: RawEntity
    var cidr: CIDR?
    var cidrLocation: SourceLocation
    var availabilityZone: Located<String>?
    var routeTable: Ref?
    var networkACL: Ref?
}

struct RawRoute {
    var destination: Ref
    var target: Ref
    var origin: Route.Origin
    var location: SourceLocation
}

struct RawRouteTable {
    var entity: RawEntity
    var isMain: Bool
    var routes: [RawRoute]
    /// Virtual private gateways whose routes propagate into this table.
    var propagateFrom: [Ref] = []
}

struct RawACLEntry {
    var ruleNumber: Int
    var action: NetworkACLEntry.Action
    var ipProtocol: IPProtocol
    var ports: PortRange
    var icmp: ICMPMatch
    var cidr: CIDR
    var location: SourceLocation
}

struct RawNetworkACL {
    var entity: RawEntity
    var isDefault: Bool
    var subnets: [Ref]
    var ingress: [RawACLEntry]
    var egress: [RawACLEntry]
}

enum RawPeer {
    case cidr(CIDR)
    case prefixList(Ref)
    case securityGroup(Ref)
}

struct RawSGRule {
    var ipProtocol: IPProtocol
    var ports: PortRange
    var icmp: ICMPMatch
    var peers: [RawPeer]
    var description: String?
    var location: SourceLocation
}

struct RawSecurityGroup {
    var entity: RawEntity
    var description: String?
    var ingress: [RawSGRule]
    /// nil = the AWS default allow-all egress rule.
    var egress: [RawSGRule]?
}

struct RawNATGateway {
    var entity: RawEntity
    var subnet: Ref?
    var connectivity: NATGateway.Connectivity
    var elasticIP: IPv4Address?
    var privateIP: IPv4Address?
}

struct RawEndpoint {
    var entity: RawEntity
    var kind: VPCEndpoint.Kind
    var service: Located<String>?
    var routeTables: [Ref]
    var subnets: [Ref]
    var securityGroups: [Ref]
    var privateDNS: Bool
    /// One per subnet, in order; omitted = assigned.
    var privateIPs: [IPv4Address]
}

enum RawPublicIP {
    case none
    case auto
    case address(IPv4Address)
}

struct RawInterface {
    var entity: RawEntity
    var subnet: Ref?
    var privateIPs: [IPv4Address]
    var privateIPsLocation: SourceLocation
    var publicIP: RawPublicIP
    var elasticIP: IPv4Address?
    var securityGroups: [Ref]
    var securityGroupsGiven: Bool
    var sourceDestCheck: Bool
    var instance: String?
    var mac: String?
    var description: String?
}

struct RawWorkload {
    var entity: RawEntity
    var kind: String
    var subnets: [Ref]
    var interfaces: [Ref]
    var securityGroups: [Ref]
    var securityGroupsGiven: Bool
    var privateIPs: [Located<IPv4Address>]
    var publicIP: RawPublicIP
}

struct RawTargetGroup {
    var entity: RawEntity
    var targetProtocol: String
    var port: UInt16
    var targets: [Ref]
}

struct RawListener {
    var listenerProtocol: String
    var port: UInt16
    var targetGroup: Ref
}

struct RawLoadBalancer {
    var entity: RawEntity
    var kind: LoadBalancer.Kind
    var scheme: LoadBalancer.Scheme
    var subnets: [Ref]
    var securityGroups: [Ref]
    var listeners: [RawListener]
    var privateIPs: [IPv4Address]
}

struct RawPeering {
    var entity: RawEntity
    var requester: Ref?
    var accepter: Ref?
}

struct RawTGWAttachment {
    var id: String?
    var name: Ref?
    /// Exactly one of these names the attached resource.
    var vpc: Ref?
    var vpn: Ref?
    var directConnect: Ref?
    var peer: Ref?
    var subnets: [Ref]
    var applianceMode: Bool
    var routeTable: Ref?
    /// nil = the default propagation table; [] = none.
    var propagateTo: [Ref]?
    var location: SourceLocation
}

struct RawTGWRoute {
    /// A CIDR or a prefix list name/id.
    var destination: Ref
    var attachment: Ref?
    var location: SourceLocation
}

struct RawTGWRouteTable {
    var entity: RawEntity
    var routes: [RawTGWRoute]
}

struct RawTransitGateway {
    var entity: RawEntity
    var region: Located<String>?
    var attachments: [RawTGWAttachment]
    var routeTables: [RawTGWRouteTable]
    /// The shorthand: the routes of the one default table, when `route_tables` is absent.
    var routes: [RawTGWRoute]
    var propagate: Bool
    var defaultRouteTable: Ref?
    var securityGroupReferencing: Bool
}

struct RawVPNGateway {
    var entity: RawEntity
    var vpc: Ref?
}

struct RawCustomerGateway {
    var entity: RawEntity
    var ipAddress: IPv4Address?
    var asn: UInt32?
}

struct RawVPNConnection {
    var entity: RawEntity
    var customerGateway: Ref?
    var vpnGateway: Ref?
    var transitGateway: Ref?
    var staticRoutes: [CIDR]
    var bgpPrefixes: [CIDR]
}

struct RawDirectConnectGateway {
    var entity: RawEntity
    var vpnGateways: [Ref]
    var transitGateways: [Ref]
    var prefixes: [CIDR]
}

struct RawOnPremNetwork {
    var name: Ref
    var cidrs: [CIDR]
    var via: Ref?
    var location: SourceLocation
}

struct RawPrefixList {
    var entity: RawEntity
    var region: Located<String>?
    var cidrs: [CIDR]
}

struct RawService {
    var name: Located<String>
    var region: Located<String>?
    var addresses: [CIDR]
    var prefixList: Ref?
}
