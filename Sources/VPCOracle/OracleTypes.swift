import VPCModel

/// One concrete flow, as docs/semantics.md §1 defines it. Ports matter for TCP and UDP only and the
/// ICMP fields for ICMP only, so one type covers every protocol without optional juggling.
/// A flow from the internet (§4b) has `externalSource` set; its `sourceInterfaceID` is then empty and ignored.
/// A flow from an on-premises network (§4c) has `onPremNetwork` (an index into `Network.onPremNetworks`)
/// and `externalSource` (its address E in that network) set.
public struct OracleFlow: Hashable, Sendable, CustomStringConvertible {
    public var sourceInterfaceID: String
    /// The client's address E of a flow that starts outside every VPC: a public address on the internet
    /// (§4b), or an address of the on-premises network `onPremNetwork` (§4c); nil for flows from an interface.
    public var externalSource: IPv4Address?
    /// The index in `Network.onPremNetworks` of the network a §4c flow starts in; nil otherwise.
    public var onPremNetwork: Int?
    public var destination: IPv4Address
    public var ipProtocol: UInt8
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var icmpType: UInt8
    public var icmpCode: UInt8

    public init(sourceInterfaceID: String, destination: IPv4Address, ipProtocol: UInt8, sourcePort: UInt16 = 0,
         destinationPort: UInt16 = 0, icmpType: UInt8 = 0, icmpCode: UInt8 = 0, externalSource: IPv4Address? = nil,
         onPremNetwork: Int? = nil) {
        self.sourceInterfaceID = sourceInterfaceID; self.externalSource = externalSource; self.onPremNetwork = onPremNetwork
        self.destination = destination; self.ipProtocol = ipProtocol
        self.sourcePort = sourcePort; self.destinationPort = destinationPort; self.icmpType = icmpType; self.icmpCode = icmpCode
    }

    /// 40000 is inside both the Linux (32768–60999) and the AWS (1024–65535) ephemeral ranges, so
    /// tests that do not care about the client port never trip over an ACL by accident.
    public static func tcp(_ source: String, _ destination: IPv4Address, port: UInt16, sourcePort: UInt16 = 40000) -> OracleFlow {
        OracleFlow(sourceInterfaceID: source, destination: destination, ipProtocol: 6, sourcePort: sourcePort, destinationPort: port)
    }

    public static func udp(_ source: String, _ destination: IPv4Address, port: UInt16, sourcePort: UInt16 = 40000) -> OracleFlow {
        OracleFlow(sourceInterfaceID: source, destination: destination, ipProtocol: 17, sourcePort: sourcePort, destinationPort: port)
    }

    public static func icmp(_ source: String, _ destination: IPv4Address, type: UInt8 = 8, code: UInt8 = 0) -> OracleFlow {
        OracleFlow(sourceInterfaceID: source, destination: destination, ipProtocol: 1, icmpType: type, icmpCode: code)
    }

    /// §4b: a client on the internet at `source` sends to `destination`.
    public static func fromInternet(_ source: IPv4Address, to destination: IPv4Address, ipProtocol: UInt8, sourcePort: UInt16 = 0,
                             destinationPort: UInt16 = 0, icmpType: UInt8 = 0, icmpCode: UInt8 = 0) -> OracleFlow {
        OracleFlow(sourceInterfaceID: "", destination: destination, ipProtocol: ipProtocol, sourcePort: sourcePort,
                   destinationPort: destinationPort, icmpType: icmpType, icmpCode: icmpCode, externalSource: source)
    }

    /// 40000 is inside the internet clients' 1024–65535 ephemeral range.
    public static func tcpFromInternet(_ source: IPv4Address, to destination: IPv4Address, port: UInt16, sourcePort: UInt16 = 40000) -> OracleFlow {
        fromInternet(source, to: destination, ipProtocol: 6, sourcePort: sourcePort, destinationPort: port)
    }

    /// §4c: a host at `source` (E, an address of the network) in on-premises network number `network`
    /// (its index in `Network.onPremNetworks`) sends to `destination`.
    public static func fromOnPrem(_ network: Int, _ source: IPv4Address, to destination: IPv4Address, ipProtocol: UInt8,
                                  sourcePort: UInt16 = 0, destinationPort: UInt16 = 0, icmpType: UInt8 = 0, icmpCode: UInt8 = 0) -> OracleFlow {
        OracleFlow(sourceInterfaceID: "", destination: destination, ipProtocol: ipProtocol, sourcePort: sourcePort,
                   destinationPort: destinationPort, icmpType: icmpType, icmpCode: icmpCode, externalSource: source, onPremNetwork: network)
    }

    public static func tcpFromOnPrem(_ network: Int, _ source: IPv4Address, to destination: IPv4Address, port: UInt16,
                                     sourcePort: UInt16 = 40000) -> OracleFlow {
        fromOnPrem(network, source, to: destination, ipProtocol: 6, sourcePort: sourcePort, destinationPort: port)
    }

    public var isFromInternet: Bool { externalSource != nil && onPremNetwork == nil }
    public var isFromOnPrem: Bool { onPremNetwork != nil }

    public var description: String {
        if let onPremNetwork {
            let from = "on-prem#\(onPremNetwork)(\(externalSource.map(String.init(describing:)) ?? "?"))"
            switch ipProtocol {
            case 6, 17: return "\(from):\(sourcePort) -> \(destination):\(destinationPort) proto \(ipProtocol)"
            case 1: return "\(from) -> \(destination) icmp \(icmpType)/\(icmpCode)"
            default: return "\(from) -> \(destination) proto \(ipProtocol)"
            }
        }
        if let externalSource {
            switch ipProtocol {
            case 6, 17: return "internet(\(externalSource)):\(sourcePort) -> \(destination):\(destinationPort) proto \(ipProtocol)"
            case 1: return "internet(\(externalSource)) -> \(destination) icmp \(icmpType)/\(icmpCode)"
            default: return "internet(\(externalSource)) -> \(destination) proto \(ipProtocol)"
            }
        }
        switch ipProtocol {
        case 6, 17: return "\(sourceInterfaceID):\(sourcePort) -> \(destination):\(destinationPort) proto \(ipProtocol)"
        case 1: return "\(sourceInterfaceID) -> \(destination) icmp \(icmpType)/\(icmpCode)"
        default: return "\(sourceInterfaceID) -> \(destination) proto \(ipProtocol)"
        }
    }
}

public enum OracleDirection: String, Sendable {
    case request, response
}

/// The hop kinds of docs/semantics.md §2; the Evaluator's trace names drop locations with the same words.
public enum OracleHopKind: String, Sendable, CaseIterable {
    case interface
    case subnet
    case routeTable = "route-table"
    case internetGateway = "internet-gateway"
    case natGateway = "nat-gateway"
    case vpcEndpoint = "vpc-endpoint"
    case peering
    case transitGateway = "transit-gateway"
    case vpnGateway = "vpn-gateway"
    case vpnConnection = "vpn-connection"
    case directConnectGateway = "direct-connect-gateway"
    case onPrem = "on-prem"
    case loadBalancer = "load-balancer"
    case internet
    case service
}

/// The reason codes of docs/semantics.md §9, as constants so that tests cannot misspell them.
public enum OracleReason: String, Sendable, CaseIterable {
    case noSourceOrDestination = "NO_SOURCE_OR_DESTINATION"
    case vpceIntraVPCTraffic = "VPCE_INTRA_VPC_TRAFFIC"
    case ngwCannotInitiate = "NGW_CANNOT_INITIATE"
    case eniSGRulesMismatch = "ENI_SG_RULES_MISMATCH"
    case subnetACLRestriction = "SUBNET_ACL_RESTRICTION"
    case noRouteToDestination = "NO_ROUTE_TO_DESTINATION"
    case badStateRoute = "BAD_STATE_ROUTE"
    case tgwRTBBadStateRoute = "TGW_RTB_BAD_STATE_ROUTE"
    case noPossibleDestination = "NO_POSSIBLE_DESTINATION"
    case igwDestinationNotPublic = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"
    case igwPublicIPAssociationForEgress = "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
    case igwPrivateIPAssociationForIngress = "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
    case protocolRestriction = "PROTOCOL_RESTRICTION"
    case natGatewayUnsolicitedInbound = "NAT_GATEWAY_UNSOLICITED_INBOUND"
    case vpceGatewayProtocolRestriction = "VPCE_GATEWAY_PROTOCOL_RESTRICTION"
    case pcxRequiresAddressInVPCCIDR = "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"
    case tgwAttachmentNotInAZ = "TGW_ATTACHMENT_NOT_IN_AZ"
    case eniSourceDestCheckRestriction = "ENI_SOURCE_DEST_CHECK_RESTRICTION"
    case elbv2ListenersMismatch = "ELBV2_LISTENERS_MISMATCH"
    case routingLoop = "ROUTING_LOOP"
    case responsePathMismatch = "RESPONSE_PATH_MISMATCH"
}

/// What the oracle says about one flow. Strings (not the enums above) so that a verdict can be
/// compared field by field with whatever the Evaluator produces.
public struct OracleVerdict: Equatable, Sendable, CustomStringConvertible {
    public var reachable: Bool
    public var reason: String?
    public var dropKind: String?
    public var dropEntityID: String?
    public var dropDirection: OracleDirection?
    /// An interface id, `internet`, `service:NAME`, or `on-prem:NAME`; set whenever the request was delivered.
    public var finalDestination: String?
    /// The request's source address as the destination saw it (after any NAT or IGW translation).
    public var translatedSource: IPv4Address?

    public init(reachable: Bool, reason: String?, dropKind: String?, dropEntityID: String?, dropDirection: OracleDirection?,
                finalDestination: String?, translatedSource: IPv4Address?) {
        self.reachable = reachable; self.reason = reason; self.dropKind = dropKind; self.dropEntityID = dropEntityID
        self.dropDirection = dropDirection; self.finalDestination = finalDestination; self.translatedSource = translatedSource
    }

    public static func delivered(to destination: String, source: IPv4Address) -> OracleVerdict {
        OracleVerdict(reachable: true, reason: nil, dropKind: nil, dropEntityID: nil, dropDirection: nil,
                      finalDestination: destination, translatedSource: source)
    }

    public static func dropped(_ reason: OracleReason, at kind: OracleHopKind, _ entity: String, _ direction: OracleDirection,
                               finalDestination: String? = nil, translatedSource: IPv4Address? = nil) -> OracleVerdict {
        OracleVerdict(reachable: false, reason: reason.rawValue, dropKind: kind.rawValue, dropEntityID: entity,
                      dropDirection: direction, finalDestination: finalDestination, translatedSource: translatedSource)
    }

    public var description: String {
        let place = finalDestination.map { " delivered to \($0)" } ?? ""
        let seen = translatedSource.map { " as \($0)" } ?? ""
        if reachable { return "reachable:\(place)\(seen)" }
        return "dropped \(reason ?? "?") at \(dropKind ?? "?") \(dropEntityID ?? "?") (\(dropDirection?.rawValue ?? "?"))\(place)\(seen)"
    }
}
