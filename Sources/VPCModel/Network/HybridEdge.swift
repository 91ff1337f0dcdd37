/// A virtual private gateway: the VPC side of Site-to-Site VPN connections and Direct Connect.
/// https://docs.aws.amazon.com/vpn/latest/s2svpn/how_it_works.html
public struct VPNGateway: Hashable, Sendable {
    public var id: String
    public var name: String
    /// The attached VPC; a detached gateway carries no traffic.
    public var vpcID: String?

    public init(id: String, name: String, vpcID: String?) { self.id = id; self.name = name; self.vpcID = vpcID }
}

/// The customer's device at the other end of a VPN connection.
public struct CustomerGateway: Hashable, Sendable {
    public var id: String
    public var name: String
    public var ipAddress: IPv4Address?
    public var asn: UInt32?

    public init(id: String, name: String, ipAddress: IPv4Address?, asn: UInt32? = nil) {
        self.id = id; self.name = name; self.ipAddress = ipAddress; self.asn = asn
    }
}

/// A Site-to-Site VPN connection from a customer gateway to a virtual private gateway or a transit
/// gateway. The prefixes on its far side are static routes or BGP-learned prefixes, given as data.
public struct VPNConnection: Hashable, Sendable {
    public enum Gateway: Hashable, Sendable {
        case vpnGateway(String)
        case transitGateway(String)
    }

    public var id: String
    public var name: String
    public var customerGatewayID: String?
    public var gateway: Gateway
    /// Static routes of the connection (`describe-vpn-connections` `Routes`).
    public var staticRoutes: [CIDR]
    /// Prefixes the customer gateway advertises over BGP (not in any describe-* output: data the
    /// user supplies, or read from the gateway's routes).
    public var bgpPrefixes: [CIDR]

    public init(id: String, name: String, customerGatewayID: String?, gateway: Gateway, staticRoutes: [CIDR] = [],
                bgpPrefixes: [CIDR] = []) {
        self.id = id; self.name = name; self.customerGatewayID = customerGatewayID; self.gateway = gateway
        self.staticRoutes = staticRoutes; self.bgpPrefixes = bgpPrefixes
    }

    /// Every prefix that lies behind the connection.
    public var prefixes: [CIDR] { staticRoutes + bgpPrefixes }
}

/// A Direct Connect gateway: joins on-premises prefixes (advertised over BGP) to virtual private
/// gateways or transit gateways. https://docs.aws.amazon.com/directconnect/latest/UserGuide/direct-connect-gateways-intro.html
public struct DirectConnectGateway: Hashable, Sendable {
    public var id: String
    public var name: String
    public var vpnGatewayIDs: [String]
    public var transitGatewayIDs: [String]
    /// What on-premises routers advertise over the gateway's virtual interfaces.
    public var prefixes: [CIDR]

    public init(id: String, name: String, vpnGatewayIDs: [String] = [], transitGatewayIDs: [String] = [], prefixes: [CIDR] = []) {
        self.id = id; self.name = name; self.vpnGatewayIDs = vpnGatewayIDs; self.transitGatewayIDs = transitGatewayIDs
        self.prefixes = prefixes
    }
}

/// A named network outside AWS (a data centre, an office) and the edge it is reached over. Its
/// addresses are never `internet`; questions may start or end there.
public struct OnPremNetwork: Hashable, Sendable {
    public enum Edge: Hashable, Sendable {
        case vpnConnection(String)
        case directConnectGateway(String)
    }

    public var name: String
    public var cidrs: [CIDR]
    public var via: Edge

    public init(name: String, cidrs: [CIDR], via: Edge) { self.name = name; self.cidrs = cidrs; self.via = via }
}
