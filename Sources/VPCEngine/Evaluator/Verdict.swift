/// One concrete flow (docs/semantics.md §1). The packet's source is the source interface's primary
/// private IP; for a flow from the internet (`source == Flow.internet`) it is `externalSource`.
/// Ports matter for TCP/UDP only and the ICMP fields for ICMP only.
public struct Flow: Sendable, Hashable {
    /// `source` of a flow that starts on the internet, outside every VPC.
    public static let internet: UInt32 = .max
    /// `source` of a flow from on-premises network n is `onPremBase + n` (docs/semantics.md §4c).
    public static let onPremBase: UInt32 = 0xFFFF_0000
    public static func onPrem(_ network: UInt32) -> UInt32 { onPremBase &+ network }

    public var source: UInt32
    public var externalSource: UInt32
    public var destination: UInt32
    public var ipProtocol: UInt8
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var icmpType: UInt8
    public var icmpCode: UInt8

    public init(source: UInt32, externalSource: UInt32 = 0, destination: UInt32, ipProtocol: UInt8, sourcePort: UInt16 = 0,
                destinationPort: UInt16 = 0, icmpType: UInt8 = 0, icmpCode: UInt8 = 0) {
        self.source = source; self.externalSource = externalSource; self.destination = destination
        self.ipProtocol = ipProtocol; self.sourcePort = sourcePort; self.destinationPort = destinationPort
        self.icmpType = icmpType; self.icmpCode = icmpCode
    }

    public var isFromInternet: Bool { source == Flow.internet }
    public var isFromOnPrem: Bool { source >= Flow.onPremBase && source != Flow.internet }
    /// The on-premises network a flow starts in (valid when `isFromOnPrem`).
    public var onPremNetwork: UInt32 { source &- Flow.onPremBase }
    /// Starts outside every VPC: on the internet or on-premises.
    public var isExternal: Bool { source >= Flow.onPremBase }
}

/// A packet as it travels: addresses and ports change at NAT gateways and internet gateways.
public struct Packet: Sendable, Hashable {
    public var source: UInt32
    public var destination: UInt32
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var ipProtocol: UInt8
    public var icmpType: UInt8
    public var icmpCode: UInt8
    /// False once the packet has crossed an appliance or a transit gateway: security-group references
    /// no longer match its source (docs/semantics.md §3, "not across a middlebox").
    public var groupIdentity: Bool

    public init(source: UInt32, destination: UInt32, sourcePort: UInt16, destinationPort: UInt16, ipProtocol: UInt8,
                icmpType: UInt8, icmpCode: UInt8, groupIdentity: Bool = true) {
        self.source = source; self.destination = destination; self.sourcePort = sourcePort
        self.destinationPort = destinationPort; self.ipProtocol = ipProtocol; self.icmpType = icmpType
        self.icmpCode = icmpCode; self.groupIdentity = groupIdentity
    }

    public var hasPorts: Bool { ipProtocol == 6 || ipProtocol == 17 }
}

public enum Direction: UInt8, Sendable, Hashable {
    case request, response
    public var name: String { self == .request ? "request" : "response" }
}

/// Where a drop is located (docs/semantics.md §2). The entity is an index into the DataPlane array of
/// that kind (interfaces, subnets, routeTables, …); `internet` has none; `service` uses the service index.
public enum HopKind: UInt8, Sendable, Hashable, CaseIterable {
    case interface, subnet, routeTable, internetGateway, natGateway, vpcEndpoint, peering, transitGateway,
         loadBalancer, internet, service, vpnGateway, vpnConnection, directConnectGateway, onPrem

    /// The word used in traces, JSON and docs.
    public var name: String {
        switch self {
        case .interface: return "interface"
        case .subnet: return "subnet"
        case .routeTable: return "route-table"
        case .internetGateway: return "internet-gateway"
        case .natGateway: return "nat-gateway"
        case .vpcEndpoint: return "vpc-endpoint"
        case .peering: return "peering"
        case .transitGateway: return "transit-gateway"
        case .loadBalancer: return "load-balancer"
        case .internet: return "internet"
        case .service: return "service"
        case .vpnGateway: return "vpn-gateway"
        case .vpnConnection: return "vpn-connection"
        case .directConnectGateway: return "direct-connect-gateway"
        case .onPrem: return "on-prem"
        }
    }
}

/// Why a flow was dropped; named like AWS Reachability Analyzer's explanation codes where one fits
/// (https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html). docs/semantics.md §9.
public enum Reason: UInt8, Sendable, Hashable, CaseIterable {
    case noSourceOrDestination, vpceIntraVPCTraffic, ngwCannotInitiate, eniSGRulesMismatch, subnetACLRestriction,
         noRouteToDestination, badStateRoute, tgwRTBBadStateRoute, noPossibleDestination, igwDestinationNotPublic,
         igwPublicIPAssociationForEgress, igwPrivateIPAssociationForIngress, protocolRestriction,
         natGatewayUnsolicitedInbound, vpceGatewayProtocolRestriction, pcxRequiresAddressInVPCCIDR,
         tgwAttachmentNotInAZ, eniSourceDestCheckRestriction, elbv2ListenersMismatch, routingLoop,
         responsePathMismatch, deliveredElsewhere

    public var code: String {
        switch self {
        case .noSourceOrDestination: return "NO_SOURCE_OR_DESTINATION"
        case .vpceIntraVPCTraffic: return "VPCE_INTRA_VPC_TRAFFIC"
        case .ngwCannotInitiate: return "NGW_CANNOT_INITIATE"
        case .eniSGRulesMismatch: return "ENI_SG_RULES_MISMATCH"
        case .subnetACLRestriction: return "SUBNET_ACL_RESTRICTION"
        case .noRouteToDestination: return "NO_ROUTE_TO_DESTINATION"
        case .badStateRoute: return "BAD_STATE_ROUTE"
        case .tgwRTBBadStateRoute: return "TGW_RTB_BAD_STATE_ROUTE"
        case .noPossibleDestination: return "NO_POSSIBLE_DESTINATION"
        case .igwDestinationNotPublic: return "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"
        case .igwPublicIPAssociationForEgress: return "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
        case .igwPrivateIPAssociationForIngress: return "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
        case .protocolRestriction: return "PROTOCOL_RESTRICTION"
        case .natGatewayUnsolicitedInbound: return "NAT_GATEWAY_UNSOLICITED_INBOUND"
        case .vpceGatewayProtocolRestriction: return "VPCE_GATEWAY_PROTOCOL_RESTRICTION"
        case .pcxRequiresAddressInVPCCIDR: return "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"
        case .tgwAttachmentNotInAZ: return "TGW_ATTACHMENT_NOT_IN_AZ"
        case .deliveredElsewhere: return "DELIVERED_ELSEWHERE"
        case .eniSourceDestCheckRestriction: return "ENI_SOURCE_DEST_CHECK_RESTRICTION"
        case .elbv2ListenersMismatch: return "ELBV2_LISTENERS_MISMATCH"
        case .routingLoop: return "ROUTING_LOOP"
        case .responsePathMismatch: return "RESPONSE_PATH_MISMATCH"
        }
    }

    /// One line for people.
    public var summary: String {
        switch self {
        case .noSourceOrDestination: return "the source interface does not exist, or has no subnet or address"
        case .vpceIntraVPCTraffic: return "an AWS service cannot open connections into the VPC through its endpoint"
        case .ngwCannotInitiate: return "a NAT gateway only forwards; it cannot start a connection"
        case .eniSGRulesMismatch: return "no security group rule allows it"
        case .subnetACLRestriction: return "the subnet's network ACL denies it"
        case .noRouteToDestination: return "no route matches the destination"
        case .badStateRoute: return "the matching route is a blackhole or its target is unusable"
        case .tgwRTBBadStateRoute: return "the transit gateway route is a blackhole or its attachment is gone"
        case .noPossibleDestination: return "nothing answers at that address"
        case .igwDestinationNotPublic: return "an internet gateway only sends to public addresses"
        case .igwPublicIPAssociationForEgress: return "the source has no public IP, so the internet gateway cannot translate it"
        case .igwPrivateIPAssociationForIngress: return "the public address is not associated with any interface"
        case .protocolRestriction: return "the gateway does not carry this protocol"
        case .natGatewayUnsolicitedInbound: return "a NAT gateway accepts no connections from outside"
        case .vpceGatewayProtocolRestriction: return "a gateway endpoint carries TCP only"
        case .pcxRequiresAddressInVPCCIDR: return "a peering connection only delivers to addresses inside the peer VPC (no transit)"
        case .tgwAttachmentNotInAZ: return "the VPC's transit gateway attachment has no subnet in the source's Availability Zone"
        case .deliveredElsewhere: return "the packets are delivered to something else that holds the address (overlapping ranges)"
        case .eniSourceDestCheckRestriction: return "source/destination check is on, so the interface drops traffic not addressed to it"
        case .elbv2ListenersMismatch: return "the load balancer has no listener for this protocol and port"
        case .routingLoop: return "the packet is routed back into a gateway it already passed"
        case .responsePathMismatch: return "the response does not return the way the request came"
        }
    }

    public init?(code: String) {
        guard let match = Reason.allCases.first(where: { $0.code == code.uppercased() }) else { return nil }
        self = match
    }
}

/// Where a request was delivered.
public enum Delivery: Sendable, Hashable {
    case none
    case interface(UInt32)
    /// An interface endpoint ENI: delivering to it delivers to its service.
    case interfaceEndpoint(endpoint: UInt32, interface: UInt32)
    case internet
    /// A known AWS service, reached at its public addresses (through an IGW or a gateway endpoint).
    case service(UInt32)
    /// An on-premises network, reached over a VPN or Direct Connect.
    case onPrem(UInt32)

    /// One number per place, for columns and comparisons: an interface's index (an interface
    /// endpoint's ENI), else a code above every index. `Delivery.nowhere` when not delivered.
    @inlinable public var code: UInt32 {
        switch self {
        case .none: return Delivery.nowhere
        case .interface(let i), .interfaceEndpoint(_, let i): return i
        case .internet: return Delivery.internetCode
        case .service(let s): return Delivery.serviceBase &+ min(s, 0xFFFF)
        case .onPrem(let n): return Delivery.onPremBase &+ min(n, 0xFFFF)
        }
    }
    public static let nowhere: UInt32 = .max
    public static let internetCode: UInt32 = 0xFFFF_FFFE
    public static let serviceBase: UInt32 = 0xFFFD_0000
    public static let onPremBase: UInt32 = 0xFFFE_0000
}

/// The outcome for one flow.
public struct Verdict: Sendable, Hashable {
    public var reachable: Bool
    public var reason: Reason?
    public var dropKind: HopKind?
    public var dropEntity: UInt32
    public var direction: Direction?
    public var delivered: Delivery
    /// The request's source as the destination saw it (after NAT / IGW translation), when delivered.
    public var translatedSource: UInt32
    public var translatedSourcePort: UInt16

    public init(reachable: Bool, reason: Reason? = nil, dropKind: HopKind? = nil, dropEntity: UInt32 = noIndex,
                direction: Direction? = nil, delivered: Delivery = .none, translatedSource: UInt32 = 0,
                translatedSourcePort: UInt16 = 0) {
        self.reachable = reachable; self.reason = reason; self.dropKind = dropKind; self.dropEntity = dropEntity
        self.direction = direction; self.delivered = delivered; self.translatedSource = translatedSource
        self.translatedSourcePort = translatedSourcePort
    }

    public var wasDelivered: Bool { delivered != .none }
}
