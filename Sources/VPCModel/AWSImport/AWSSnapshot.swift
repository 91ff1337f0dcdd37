import Foundation
import Yams

/// Everything a folder of `aws ec2 describe-*` / `aws elbv2 describe-*` outputs says, read file by
/// file with locations, before any cross-reference is resolved. Files are recognised by their
/// top-level keys, not their names (except `get-managed-prefix-list-entries`, whose output names no
/// prefix list: its file name is the only link).
struct AWSSnapshot {
    struct Context {
        var file: String
        var region: String?
        var account: String?
    }

    struct VPC { var id: String; var cidrs: [CIDR]; var state: String?; var name: String?; var owner: String?; var region: String?; var location: SourceLocation }
    struct Subnet { var id: String; var vpcID: String; var cidr: CIDR; var zone: String; var state: String?; var name: String?; var region: String?; var location: SourceLocation }
    struct RouteTable {
        var id: String; var vpcID: String; var name: String?; var isMain: Bool; var subnetIDs: [String]; var routes: [Route]
        /// `PropagatingVgws`: the virtual private gateways whose routes the table learns.
        var propagatingVGWs: [(id: String, location: SourceLocation)]
        var location: SourceLocation
    }
    struct Route {
        /// nil for IPv6 destinations, which vpcsim does not model.
        var destination: VPCModel.Route.Destination?
        var destinationText: String
        /// The field that named the target (`GatewayId`, `NatGatewayId`, …) and its value.
        var targetField: String?
        var targetID: String?
        var instanceID: String?
        var blackhole: Bool
        var propagated: Bool
        var location: SourceLocation
    }
    enum Peer { case cidr(CIDR), prefixList(String), group(String, userID: String?) }
    struct Permission { var ipProtocol: IPProtocol; var ports: PortRange; var icmp: ICMPMatch; var peers: [(peer: Peer, description: String?, location: SourceLocation)] }
    struct SecurityGroup { var id: String; var vpcID: String; var name: String?; var groupName: String?; var description: String?; var ingress: [Permission]; var egress: [Permission]; var location: SourceLocation }
    struct NetworkACL { var id: String; var vpcID: String; var name: String?; var isDefault: Bool; var subnetIDs: [String]; var ingress: [NetworkACLEntry]; var egress: [NetworkACLEntry]; var location: SourceLocation }
    struct Interface {
        var id: String; var subnetID: String; var privateIPs: [IPv4Address]; var publicIP: IPv4Address?; var elastic: Bool
        var groupIDs: [String]; var sourceDestCheck: Bool; var interfaceType: String?; var requesterManaged: Bool
        var description: String?; var instanceID: String?; var deviceIndex: Int?; var mac: String?; var name: String?
        var tags: [String: String]; var location: SourceLocation
    }
    struct Instance { var id: String; var state: String?; var name: String?; var tags: [String: String]; var interfaces: [Interface]; var location: SourceLocation }
    struct NATGateway { var id: String; var subnetID: String; var state: String?; var isPrivate: Bool; var privateIP: IPv4Address?; var publicIP: IPv4Address?; var interfaceID: String?; var name: String?; var location: SourceLocation }
    struct InternetGateway { var id: String; var vpcID: String?; var name: String?; var location: SourceLocation }
    struct Endpoint { var id: String; var vpcID: String; var type: String; var serviceName: String; var state: String?; var routeTableIDs: [String]; var subnetIDs: [String]; var groupIDs: [String]; var privateDNS: Bool; var interfaceIDs: [String]; var name: String?; var location: SourceLocation }
    struct Peering { var id: String; var requesterVPCID: String; var accepterVPCID: String; var status: String?; var name: String?; var location: SourceLocation }
    struct PrefixList { var id: String; var name: String; var cidrs: [CIDR]?; var owner: String?; var region: String?; var state: String?; var location: SourceLocation }
    struct Entries { var listID: String; var cidrs: [CIDR]; var location: SourceLocation }
    struct Address { var publicIP: IPv4Address; var allocationID: String?; var interfaceID: String?; var privateIP: IPv4Address? }
    struct TransitGateway {
        var id: String; var name: String?; var state: String?; var region: String?
        /// `Options`: new attachments are associated with / propagate into these tables.
        var defaultAssociation: Bool; var associationTableID: String?
        var defaultPropagation: Bool; var propagationTableID: String?
        var securityGroupReferencing: Bool
        var location: SourceLocation
    }
    /// One record of an attachment. The same attachment is described by several calls, each with
    /// part of what vpcsim needs; the builder merges the records of one (gateway, attachment id).
    struct TGWAttachment {
        enum Source: String { case attachments, vpcAttachments, peering, reference }
        var id: String; var tgwID: String; var source: Source
        /// `vpc`, `vpn`, `direct-connect-gateway`, `peering`, `connect`, …, and the id of what is attached.
        var resourceType: String?; var resourceID: String?
        /// VPC attachments (describe-transit-gateway-vpc-attachments only).
        var subnetIDs: [String]?; var subnetsLocation: SourceLocation?; var applianceMode: Bool?; var securityGroupReferencing: Bool?
        /// describe-transit-gateway-attachments prints the association when there is one.
        var association: TGWLink?
        var state: String?; var name: String?; var location: SourceLocation
    }
    /// describe-transit-gateway-peering-attachments: one attachment id, seen from both gateways.
    struct TGWPeering { var id: String; var requesterTGW: String; var accepterTGW: String; var state: String?; var name: String?; var location: SourceLocation }
    struct TGWRouteTable {
        var id: String; var tgwID: String; var name: String?; var state: String?
        var defaultAssociation: Bool; var defaultPropagation: Bool; var location: SourceLocation
    }
    /// One list of a route table's routes, associations or propagations. AWS's outputs do not say
    /// which table they list (only the file name can); Batfish's layouts do.
    struct TGWListing {
        enum Kind: String {
            case routes, associations, propagations

            var command: String {
                switch self {
                case .routes: return "search-transit-gateway-routes"
                case .associations: return "get-transit-gateway-route-table-associations"
                case .propagations: return "get-transit-gateway-route-table-propagations"
                }
            }
        }
        var kind: Kind; var tableID: String?; var file: String; var location: SourceLocation
    }
    /// An attachment as routes, associations and propagations name it.
    struct TGWAttachmentRef { var id: String; var resourceType: String?; var resourceID: String?; var location: SourceLocation }
    struct TGWRoute {
        var listing: Int
        /// nil for a prefix-list route printed without a CIDR.
        var destination: CIDR?
        var prefixListID: String?
        var attachments: [TGWAttachmentRef]
        var propagated: Bool; var state: String?; var location: SourceLocation
    }
    /// An association or a propagation: from a listing (its table is the listing's), or an
    /// attachment's `Association` (which names its table).
    struct TGWLink { var listing: Int?; var tableID: String?; var attachment: TGWAttachmentRef; var state: String?; var location: SourceLocation }
    struct VPNGateway { var id: String; var name: String?; var state: String?; var vpcID: String?; var location: SourceLocation }
    struct CustomerGateway { var id: String; var name: String?; var state: String?; var ipAddress: IPv4Address?; var asn: UInt32?; var location: SourceLocation }
    struct VPNConnection {
        var id: String; var name: String?; var state: String?; var customerGatewayID: String?
        var vpnGatewayID: String?; var transitGatewayID: String?; var coreNetworkARN: String?
        var staticRoutesOnly: Bool?
        var staticRoutes: [(cidr: CIDR, location: SourceLocation)]
        /// vpcsim's own tag (`vpcsim:bgp-prefixes`): what its exporter knows the customer gateway advertises.
        var bgpPrefixes: [CIDR]
        var location: SourceLocation
    }
    struct LoadBalancer { var arn: String; var name: String; var type: String; var scheme: String; var vpcID: String; var state: String?; var subnetIDs: [String]; var groupIDs: [String]; var location: SourceLocation }
    struct TargetGroup { var arn: String; var name: String; var targetProtocol: String; var port: UInt16; var vpcID: String?; var targetType: String?; var location: SourceLocation }
    struct Listener { var loadBalancerARN: String; var port: UInt16; var listenerProtocol: String; var targetGroupARN: String?; var location: SourceLocation }
    struct TargetHealth {
        var file: String
        /// Batfish's `LoadBalancerTargetHealth` names its target group; describe-target-health does not.
        var targetGroupARN: String?
        var targets: [(id: String, port: UInt16?, state: String?, location: SourceLocation)]; var location: SourceLocation
    }

    var vpcs: [VPC] = []
    var subnets: [Subnet] = []
    var routeTables: [RouteTable] = []
    var securityGroups: [SecurityGroup] = []
    var networkACLs: [NetworkACL] = []
    var interfaces: [Interface] = []
    var instances: [Instance] = []
    var natGateways: [NATGateway] = []
    var internetGateways: [InternetGateway] = []
    var endpoints: [Endpoint] = []
    var peerings: [Peering] = []
    var prefixLists: [PrefixList] = []
    var entries: [Entries] = []
    var addresses: [Address] = []
    var transitGateways: [TransitGateway] = []
    var tgwAttachments: [TGWAttachment] = []
    var tgwPeerings: [TGWPeering] = []
    var tgwRouteTables: [TGWRouteTable] = []
    var tgwListings: [TGWListing] = []
    var tgwRoutes: [TGWRoute] = []
    var tgwAssociations: [TGWLink] = []
    var tgwPropagations: [TGWLink] = []
    var vpnGateways: [VPNGateway] = []
    var customerGateways: [CustomerGateway] = []
    var vpnConnections: [VPNConnection] = []
    var loadBalancers: [LoadBalancer] = []
    var targetGroups: [TargetGroup] = []
    var listeners: [Listener] = []
    var targetHealth: [TargetHealth] = []
    /// The regions the folder layout names, in first-seen order (a fallback for VPCs without subnets).
    var layoutRegions: [String] = []
    var accounts: [String] = []

    /// Top-level keys that carry no resources (paging, metadata).
    static let ignoredTopLevelKeys: Set<String> = ["NextToken", "ResponseMetadata", "AdditionalRoutesAvailable"]
    static let resourceKeys = ["Vpcs", "Subnets", "RouteTables", "SecurityGroups", "NetworkAcls", "NetworkInterfaces",
                               "InternetGateways", "NatGateways", "VpcEndpoints", "VpcPeeringConnections", "PrefixLists",
                               "Entries", "Addresses", "Reservations", "TransitGateways", "TransitGatewayAttachments",
                               "TransitGatewayVpcAttachments", "TransitGatewayPeeringAttachments", "TransitGatewayRouteTables",
                               "Routes", "Associations", "TransitGatewayRouteTablePropagations", "TransitGatewayStaticRoutes",
                               "TransitGatewayPropagations", "VpnGateways", "CustomerGateways", "VpnConnections", "LoadBalancers",
                               "TargetGroups", "Listeners", "LoadBalancerListeners", "TargetHealthDescriptions", "LoadBalancerTargetHealth"]

    /// Top-level keys of Batfish's AWS collection that hold resources vpcsim does not model: what
    /// answers lack without them.
    static let unmodelledKeys: [String: String] = [
        "DirectConnectGateways": "Direct Connect gateways are read from transit gateway attachments (resource type direct-connect-gateway) and the routes they propagate; their associations with virtual private gateways are not modelled",
        "DirectConnectGatewayAssociations": "associations of Direct Connect gateways with virtual private gateways are not modelled; on-premises prefixes reach VPCs only through transit gateway attachments",
        "VirtualInterfaces": "Direct Connect virtual interfaces are not modelled; the prefixes a Direct Connect gateway carries are read from the routes its transit gateway attachment propagates",
        "LoadBalancerAttributes": "load balancer attributes (cross-zone load balancing, …) are not modelled: every target of a target group is reachable from every node",
    ]

    // MARK: - Reading one file

    mutating func read(text: String, context: Context, log: AWSDiagnostics) {
        let reader = NodeReader(file: context.file)
        defer { log.add(reader.diagnostics) }
        if text.allSatisfy(\.isWhitespace) {
            log.warning(nil, file: context.file, "the file is empty; it is ignored", hint: "a failed `aws … > file.json` leaves an empty file: re-run the call")
            return
        }
        guard let root = TopologyLoader.compose(text, reader: reader) else { return }
        guard case .mapping(let mapping) = root else {
            log.error(reader.location(root), "\(context.file) is not an AWS CLI JSON output: it must be a JSON object",
                      hint: "vpcsim reads what `aws ec2 describe-… --output json` prints")
            return
        }
        if let region = context.region, !layoutRegions.contains(region) { layoutRegions.append(region) }
        if let account = context.account, !accounts.contains(account) { accounts.append(account) }
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else { continue }
            let file = FileParser(reader: reader, log: log, context: context)
            switch key.string {
            case "Vpcs": vpcs += file.each(value, "a VPC", file.vpc)
            case "Subnets": subnets += file.each(value, "a subnet", file.subnet)
            case "RouteTables": routeTables += file.each(value, "a route table", file.routeTable)
            case "SecurityGroups": securityGroups += file.each(value, "a security group", file.securityGroup)
            case "NetworkAcls": networkACLs += file.each(value, "a network ACL", file.networkACL)
            case "NetworkInterfaces": interfaces += file.each(value, "a network interface", { file.interface($0, subnetFallback: nil) })
            case "Reservations": instances += file.each(value, "a reservation", file.reservation).flatMap { $0 }
            case "InternetGateways": internetGateways += file.each(value, "an internet gateway", file.internetGateway)
            case "NatGateways": natGateways += file.each(value, "a NAT gateway", file.natGateway)
            case "VpcEndpoints": endpoints += file.each(value, "a VPC endpoint", file.endpoint)
            case "VpcPeeringConnections": peerings += file.each(value, "a VPC peering connection", file.peering)
            case "PrefixLists": prefixLists += file.each(value, "a prefix list", file.prefixList)
            case "Entries":
                let cidrs = file.each(value, "a prefix-list entry", file.entry)
                if let listID = AWSSnapshot.prefixListID(inFileName: context.file) {
                    entries.append(Entries(listID: listID, cidrs: cidrs, location: reader.location(value)))
                } else {
                    log.warning(reader.location(keyNode), "prefix-list entries in \(context.file) are ignored: the file name does not say which prefix list they belong to",
                                hint: "get-managed-prefix-list-entries prints no prefix-list id; save it as get-managed-prefix-list-entries-pl-XXXX.json")
                }
            case "Addresses": addresses += file.each(value, "an Elastic IP address", file.address)
            case "TransitGateways": transitGateways += file.each(value, "a transit gateway", file.transitGateway)
            case "TransitGatewayAttachments":
                tgwAttachments += file.each(value, "a transit gateway attachment") { file.tgwAttachment($0, source: .attachments) }
            case "TransitGatewayVpcAttachments":
                tgwAttachments += file.each(value, "a transit gateway VPC attachment") { file.tgwAttachment($0, source: .vpcAttachments) }
            case "TransitGatewayPeeringAttachments":
                tgwPeerings += file.each(value, "a transit gateway peering attachment", file.tgwPeering)
            case "TransitGatewayRouteTables": tgwRouteTables += file.each(value, "a transit gateway route table", file.tgwRouteTable)
            case "Routes": readListing(.routes, file.items(value, "a transit gateway route"), tableID: nil, at: reader.location(keyNode), file)
            case "Associations":
                readListing(.associations, file.items(value, "a transit gateway route table association"), tableID: nil, at: reader.location(keyNode), file)
            case "TransitGatewayRouteTablePropagations":
                readListing(.propagations, file.items(value, "a transit gateway route table propagation"), tableID: nil, at: reader.location(keyNode), file)
            // Batfish's collection wraps one call per route table: [{TransitGatewayRouteTableId, Routes}].
            case "TransitGatewayStaticRoutes":
                for wrapper in file.each(value, "a route table's transit gateway routes", { file.object($0, "a route table's transit gateway routes", "TransitGatewayRouteTableId Routes AdditionalRoutesAvailable") }) {
                    guard let tableID = wrapper.required("TransitGatewayRouteTableId") else { continue }
                    readListing(.routes, wrapper.nodes("Routes"), tableID: tableID, at: wrapper.location, file)
                }
            case "TransitGatewayPropagations":
                for wrapper in file.each(value, "a route table's propagations", { file.object($0, "a route table's propagations", "TransitGatewayRouteTableId TransitGatewayRouteTablePropagations") }) {
                    guard let tableID = wrapper.required("TransitGatewayRouteTableId") else { continue }
                    readListing(.propagations, wrapper.nodes("TransitGatewayRouteTablePropagations"), tableID: tableID, at: wrapper.location, file)
                }
            case "VpnGateways": vpnGateways += file.each(value, "a virtual private gateway", file.vpnGateway)
            case "CustomerGateways": customerGateways += file.each(value, "a customer gateway", file.customerGateway)
            case "VpnConnections": vpnConnections += file.each(value, "a VPN connection", file.vpnConnection)
            case "LoadBalancers": loadBalancers += file.each(value, "a load balancer", file.loadBalancer)
            case "TargetGroups": targetGroups += file.each(value, "a target group", file.targetGroup)
            case "Listeners": listeners += file.each(value, "a listener") { file.listener($0, loadBalancerARN: nil) }
            // Batfish: [{LoadBalancerArn, Listeners: [...]}] (older collections list the listeners themselves).
            case "LoadBalancerListeners":
                listeners += file.each(value, "a load balancer's listeners", file.loadBalancerListeners).flatMap { $0 }
            case "TargetHealthDescriptions":
                targetHealth.append(TargetHealth(file: context.file, targetGroupARN: nil,
                                                 targets: file.each(value, "a target health description", file.targetHealth),
                                                 location: reader.location(value)))
            // Batfish: [{TargetGroupArn, TargetHealthDescriptions}], one per target group.
            case "LoadBalancerTargetHealth":
                for wrapper in file.each(value, "a target group's target health", { file.object($0, "a target group's target health", "TargetGroupArn TargetHealthDescriptions") }) {
                    guard let arn = wrapper.required("TargetGroupArn") else { continue }
                    targetHealth.append(TargetHealth(file: context.file, targetGroupARN: arn,
                                                     targets: wrapper.nodes("TargetHealthDescriptions").compactMap(file.targetHealth),
                                                     location: wrapper.location))
                }
            case let other where AWSSnapshot.unmodelledKeys[other] != nil:
                if case .sequence(let items) = value, items.isEmpty { break }
                log.warning(reader.location(keyNode), "'\(other)' in \(context.file) is ignored: \(AWSSnapshot.unmodelledKeys[other] ?? "")")
            case let other where AWSSnapshot.ignoredTopLevelKeys.contains(other): break
            case let other:
                log.warning(reader.location(keyNode), "unknown top-level key '\(other)' in \(context.file) is ignored",
                            hint: Suggest.didYouMean(other, AWSSnapshot.resourceKeys)
                                ?? "vpcsim reads the outputs of describe-vpcs, describe-subnets, describe-route-tables, … (see docs/aws-import.md)")
            }
        }
    }

    /// A list of one route table's routes, associations or propagations. Its items are read now;
    /// which table it lists is decided once every route table is known.
    private mutating func readListing(_ kind: TGWListing.Kind, _ items: [Node], tableID: String?, at location: SourceLocation, _ file: FileParser) {
        let index = tgwListings.count
        tgwListings.append(TGWListing(kind: kind, tableID: tableID, file: file.context.file, location: location))
        switch kind {
        case .routes: tgwRoutes += items.compactMap { file.tgwRoute($0, listing: index) }
        case .associations: tgwAssociations += items.compactMap { file.tgwLink($0, listing: index, "a transit gateway route table association") }
        case .propagations: tgwPropagations += items.compactMap { file.tgwLink($0, listing: index, "a transit gateway route table propagation") }
        }
    }

    static func idInFileName(_ path: String, prefix: String) -> String? {
        let name = (path as NSString).lastPathComponent
        guard let range = name.range(of: prefix) else { return nil }
        let rest = name[range.upperBound...].prefix { $0.isHexDigit }
        return rest.isEmpty ? nil : prefix + rest
    }

    static func prefixListID(inFileName path: String) -> String? {
        let name = (path as NSString).lastPathComponent
        var search = name.startIndex
        while let range = name.range(of: "pl-", range: search..<name.endIndex) {
            let rest = name[range.upperBound...].prefix { $0.isHexDigit }
            if !rest.isEmpty { return "pl-" + rest }
            search = range.upperBound
        }
        return nil
    }
}

/// Parses the resources of one file.
private struct FileParser {
    let reader: NodeReader
    let log: AWSDiagnostics
    let context: AWSSnapshot.Context

    func each<T>(_ node: Node, _ what: String, _ parse: (Node) -> T?) -> [T] {
        items(node, what).compactMap(parse)
    }

    /// The items of a top-level list (JSON null reads as an empty list).
    func items(_ node: Node, _ what: String) -> [Node] {
        guard case .sequence(let sequence) = node else {
            if !AWSObject.isNull(node) {
                log.error(reader.location(node), "the list of \(what)s must be a JSON list, not \(reader.describe(node))")
            }
            return []
        }
        return Array(sequence)
    }

    func object(_ node: Node, _ what: String, _ known: String) -> AWSObject? {
        AWSObject(node, what, known: known, reader: reader, log: log)
    }

    func tags(_ object: AWSObject, _ key: String = "Tags") -> [String: String] {
        var result: [String: String] = [:]
        for tag in object.objects(key, "a tag", known: "Key Value") {
            if let key = tag.string("Key") { result[key] = tag.string("Value") ?? "" }
        }
        return result
    }

    // MARK: EC2

    func vpc(_ node: Node) -> AWSSnapshot.VPC? {
        guard let o = object(node, "a VPC", "VpcId CidrBlock CidrBlockAssociationSet Ipv6CidrBlockAssociationSet State Tags OwnerId IsDefault InstanceTenancy DhcpOptionsId BlockPublicAccessStates EncryptionControl"),
              let id = o.required("VpcId"), let primary = o.cidr("CidrBlock") ?? (o.has("CidrBlock") ? nil : missing(o, "CidrBlock")) else { return nil }
        var cidrs = [primary]
        for association in o.objects("CidrBlockAssociationSet", "a CIDR block association of VPC \(id)", known: "AssociationId CidrBlock CidrBlockState") {
            let state = association.object("CidrBlockState", "a CIDR block state", known: "State StatusMessage")?.string("State")
            guard state == nil || state == "associated", let cidr = association.cidr("CidrBlock"), !cidrs.contains(cidr) else { continue }
            cidrs.append(cidr)
        }
        return AWSSnapshot.VPC(id: id, cidrs: cidrs, state: o.string("State"), name: o.tag("Name"), owner: o.string("OwnerId") ?? context.account,
                               region: context.region, location: o.location)
    }

    /// Reports a missing required field and yields nil (for `??` chains).
    func missing<T>(_ o: AWSObject, _ key: String) -> T? { _ = o.required(key); return nil }

    func subnet(_ node: Node) -> AWSSnapshot.Subnet? {
        guard let o = object(node, "a subnet", "SubnetId VpcId CidrBlock AvailabilityZone AvailabilityZoneId State Tags OwnerId SubnetArn AssignIpv6AddressOnCreation Ipv6CidrBlockAssociationSet Ipv6Native PrivateDnsNameOptionsOnLaunch AvailableIpAddressCount DefaultForAz MapPublicIpOnLaunch MapCustomerOwnedIpOnLaunch EnableDns64 EnableLniAtDeviceIndex OutpostArn CustomerOwnedIpv4Pool BlockPublicAccessStates"),
              let id = o.required("SubnetId"), let vpcID = o.required("VpcId"), let zone = o.required("AvailabilityZone") else { return nil }
        guard let cidr = o.cidr("CidrBlock") ?? missing(o, "CidrBlock") else { return nil }
        return AWSSnapshot.Subnet(id: id, vpcID: vpcID, cidr: cidr, zone: zone, state: o.string("State"), name: o.tag("Name"),
                                  region: AWSRegion.fromARN(o.string("SubnetArn")) ?? AWSRegion.fromZone(zone) ?? context.region, location: o.location)
    }

    static let routeTargets = ["GatewayId", "NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId", "NetworkInterfaceId",
                               "EgressOnlyInternetGatewayId", "CarrierGatewayId", "LocalGatewayId", "CoreNetworkArn"]

    func routeTable(_ node: Node) -> AWSSnapshot.RouteTable? {
        guard let o = object(node, "a route table", "RouteTableId VpcId Associations Routes Tags PropagatingVgws OwnerId"),
              let id = o.required("RouteTableId"), let vpcID = o.required("VpcId") else { return nil }
        var isMain = false
        var subnets: [String] = []
        for association in o.objects("Associations", "an association of route table \(id)", known: "Main RouteTableAssociationId RouteTableId SubnetId GatewayId AssociationState") {
            let state = association.object("AssociationState", "an association state", known: "State StatusMessage")?.string("State")
            guard state == nil || state == "associated" else { continue }
            if association.bool("Main") == true { isMain = true }
            if let subnet = association.string("SubnetId") { subnets.append(subnet) }
        }
        let routes = o.objects("Routes", "a route of \(id)", known: "DestinationCidrBlock DestinationIpv6CidrBlock DestinationPrefixListId " + FileParser.routeTargets.joined(separator: " ") + " InstanceId InstanceOwnerId Origin State").compactMap(route)
        let propagating = o.objects("PropagatingVgws", "a propagating gateway of route table \(id)", known: "GatewayId").compactMap { gateway in
            gateway.required("GatewayId").map { (id: $0, location: gateway.location) }
        }
        return AWSSnapshot.RouteTable(id: id, vpcID: vpcID, name: o.tag("Name"), isMain: isMain, subnetIDs: subnets, routes: routes,
                                      propagatingVGWs: propagating, location: o.location)
    }

    func route(_ o: AWSObject) -> AWSSnapshot.Route? {
        let destination: Route.Destination?
        let text: String
        if let cidr = o.string("DestinationCidrBlock") {
            text = cidr
            guard let parsed = AWSObject.parseCIDR(cidr, at: o.locationOf("DestinationCidrBlock"), what: "a route destination", log: log) else { return nil }
            destination = .cidr(parsed)
        } else if let list = o.string("DestinationPrefixListId") {
            text = list; destination = .prefixList(list)
        } else if let ipv6 = o.string("DestinationIpv6CidrBlock") {
            text = ipv6; destination = nil
        } else {
            _ = o.required("DestinationCidrBlock")
            return nil
        }
        let field = FileParser.routeTargets.first { o.has($0) }
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Route.html — Origin: CreateRouteTable | CreateRoute | EnableVgwRoutePropagation; State: active | blackhole.
        return AWSSnapshot.Route(destination: destination, destinationText: text, targetField: field, targetID: field.flatMap { o.string($0) },
                                 instanceID: o.string("InstanceId"), blackhole: o.string("State") == "blackhole",
                                 propagated: o.string("Origin") == "EnableVgwRoutePropagation", location: o.location)
    }

    func protocolFields(_ o: AWSObject, protocolKey: String) -> IPProtocol? {
        guard let text = o.required(protocolKey) else { return nil }
        guard let parsed = IPProtocol(text) else {
            log.error(o.locationOf(protocolKey), "'\(protocolKey)' in \(o.what) is not a protocol: '\(text)'", hint: "AWS prints tcp, udp, icmp, icmpv6, -1 or a number")
            return nil
        }
        return parsed
    }

    func permission(_ o: AWSObject) -> AWSSnapshot.Permission? {
        guard let ipProtocol = protocolFields(o, protocolKey: "IpProtocol") else { return nil }
        let from = o.int("FromPort"), to = o.int("ToPort")
        var ports = PortRange.all
        var icmp = ICMPMatch.any
        if ipProtocol.hasPorts, let from, let to, from != -1 {
            guard let range = PortRange(from, to) else {
                log.error(o.locationOf("FromPort"), "\(o.what) has an invalid port range \(from)-\(to)")
                return nil
            }
            ports = range
        } else if ipProtocol == .icmp || ipProtocol == .icmpv6, let from {
            // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html — for ICMP, FromPort is the type and ToPort the code (-1 = all).
            icmp = ICMPMatch(type: from, code: to ?? -1) ?? .any
        }
        var peers: [(AWSSnapshot.Peer, String?, SourceLocation)] = []
        for range in o.objects("IpRanges", "an IP range", known: "CidrIp Description") {
            guard let cidr = range.cidr("CidrIp") ?? missing(range, "CidrIp") else { continue }
            peers.append((.cidr(cidr), range.string("Description"), range.location))
        }
        for list in o.objects("PrefixListIds", "a prefix-list reference", known: "PrefixListId Description") {
            guard let id = list.required("PrefixListId") else { continue }
            peers.append((.prefixList(id), list.string("Description"), list.location))
        }
        for pair in o.objects("UserIdGroupPairs", "a security-group reference", known: "GroupId GroupName UserId VpcId VpcPeeringConnectionId PeeringStatus Description") {
            guard let id = pair.required("GroupId") else { continue }
            peers.append((.group(id, userID: pair.string("UserId")), pair.string("Description"), pair.location))
        }
        if !o.nodes("Ipv6Ranges").isEmpty {
            log.warning(once: "ipv6-sg", o.locationOf("Ipv6Ranges"), "IPv6 ranges in security group rules are ignored: vpcsim models IPv4")
        }
        return AWSSnapshot.Permission(ipProtocol: ipProtocol, ports: ports, icmp: icmp, peers: peers)
    }

    func securityGroup(_ node: Node) -> AWSSnapshot.SecurityGroup? {
        guard let o = object(node, "a security group", "GroupId VpcId GroupName Description IpPermissions IpPermissionsEgress Tags OwnerId SecurityGroupArn"),
              let id = o.required("GroupId"), let vpcID = o.required("VpcId") else { return nil }
        let known = "IpProtocol FromPort ToPort IpRanges Ipv6Ranges PrefixListIds UserIdGroupPairs"
        return AWSSnapshot.SecurityGroup(id: id, vpcID: vpcID, name: o.tag("Name"), groupName: o.string("GroupName"), description: o.string("Description").flatMap { $0.isEmpty ? nil : $0 },
                                         ingress: o.objects("IpPermissions", "an inbound rule of \(id)", known: known).compactMap(permission),
                                         egress: o.objects("IpPermissionsEgress", "an outbound rule of \(id)", known: known).compactMap(permission),
                                         location: o.location)
    }

    func networkACL(_ node: Node) -> AWSSnapshot.NetworkACL? {
        guard let o = object(node, "a network ACL", "NetworkAclId VpcId IsDefault Associations Entries Tags OwnerId"),
              let id = o.required("NetworkAclId"), let vpcID = o.required("VpcId") else { return nil }
        let subnets = o.objects("Associations", "an association of network ACL \(id)", known: "NetworkAclAssociationId NetworkAclId SubnetId").compactMap { $0.string("SubnetId") }
        var ingress: [NetworkACLEntry] = [], egress: [NetworkACLEntry] = []
        for entry in o.objects("Entries", "an entry of network ACL \(id)", known: "CidrBlock Ipv6CidrBlock Egress Protocol RuleAction RuleNumber PortRange IcmpTypeCode") {
            // IPv6 entries (and AWS's IPv6 catch-all, rule 32768) match no IPv4 packet: skipped, counted, reported once.
            if entry.has("Ipv6CidrBlock") && !entry.has("CidrBlock") {
                log.ipv6ACLEntry(at: entry.location)
                continue
            }
            guard let number = entry.int("RuleNumber") ?? missing(entry, "RuleNumber"), let egressFlag = entry.bool("Egress") ?? missing(entry, "Egress"),
                  let actionText = entry.required("RuleAction"), let ipProtocol = protocolFields(entry, protocolKey: "Protocol") else { continue }
            // https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html — the final rule `*` (32767) denies; it is implicit in the model.
            if number == 32767 { continue }
            guard (1...32766).contains(number) else {
                log.error(entry.locationOf("RuleNumber"), "network ACL rule number \(number) is outside 1–32766"); continue
            }
            guard let action = NetworkACLEntry.Action(rawValue: actionText.lowercased()) else {
                log.error(entry.locationOf("RuleAction"), "'RuleAction' must be allow or deny, not '\(actionText)'"); continue
            }
            guard entry.has("CidrBlock") else { _ = entry.required("CidrBlock"); continue }
            guard let cidr = entry.cidr("CidrBlock") else { continue }
            var ports = PortRange.all
            if ipProtocol.hasPorts, let range = entry.object("PortRange", "a port range", known: "From To") {
                guard let from = range.int("From"), let to = range.int("To"), let parsed = PortRange(from, to) else {
                    log.error(range.location, "network ACL rule \(number) has an invalid port range"); continue
                }
                ports = parsed
            }
            var icmp = ICMPMatch.any
            if let code = entry.object("IcmpTypeCode", "an ICMP type and code", known: "Type Code") {
                icmp = ICMPMatch(type: code.int("Type") ?? -1, code: code.int("Code") ?? -1) ?? .any
            }
            let parsed = NetworkACLEntry(ruleNumber: number, action: action, ipProtocol: ipProtocol, ports: ports, icmp: icmp, cidr: cidr)
            if egressFlag { egress.append(parsed) } else { ingress.append(parsed) }
        }
        // AWS prints entries by direction and number; the model keeps them lowest first.
        ingress.sort { $0.ruleNumber < $1.ruleNumber }
        egress.sort { $0.ruleNumber < $1.ruleNumber }
        return AWSSnapshot.NetworkACL(id: id, vpcID: vpcID, name: o.tag("Name"), isDefault: o.bool("IsDefault") ?? false, subnetIDs: subnets,
                                      ingress: ingress, egress: egress, location: o.location)
    }

    static let interfaceFields = "NetworkInterfaceId SubnetId VpcId AvailabilityZone Description Groups InterfaceType Ipv6Addresses MacAddress OwnerId PrivateDnsName PrivateIpAddress PrivateIpAddresses RequesterId RequesterManaged SourceDestCheck Status TagSet Association Attachment Ipv4Prefixes Ipv6Prefixes DenyAllIgwTraffic Ipv6Native Ipv6Address Operator ConnectionTrackingConfiguration AvailabilityZoneId PublicIpDnsNameOptions PublicDnsName AssociatedSubnets"

    func interface(_ node: Node, subnetFallback: String?) -> AWSSnapshot.Interface? {
        guard let o = object(node, "a network interface", FileParser.interfaceFields), let id = o.required("NetworkInterfaceId") else { return nil }
        guard let subnetID = o.string("SubnetId") ?? subnetFallback ?? o.required("SubnetId") else { return nil }
        var ips: [IPv4Address] = []
        var publicIP: IPv4Address?
        var elastic = false
        for entry in o.objects("PrivateIpAddresses", "a private address of \(id)", known: "Association Primary PrivateDnsName PrivateIpAddress") {
            guard let address = entry.address("PrivateIpAddress") ?? missing(entry, "PrivateIpAddress") else { continue }
            let primary = entry.bool("Primary") ?? false
            if primary { ips.insert(address, at: 0) } else { ips.append(address) }
            guard let association = entry.object("Association", "a public IP association", known: "AllocationId AssociationId IpOwnerId PublicDnsName PublicIp CarrierIp CustomerOwnedIp") else { continue }
            guard let address = association.address("PublicIp") else { continue }
            if primary {
                publicIP = address
                elastic = association.has("AllocationId") || (association.string("IpOwnerId").map { $0 != "amazon" } ?? false)
            } else {
                log.warning(once: "secondary-public:\(id)", association.location,
                            "public IP \(address) of a secondary private address of \(id) is ignored: vpcsim maps a public IP to the primary private address")
            }
        }
        if ips.isEmpty, let primary = o.address("PrivateIpAddress") { ips = [primary] }
        if publicIP == nil, let association = o.object("Association", "a public IP association", known: "AllocationId AssociationId IpOwnerId PublicDnsName PublicIp CarrierIp CustomerOwnedIp"),
           let address = association.address("PublicIp") {
            publicIP = address
            elastic = association.has("AllocationId") || (association.string("IpOwnerId").map { $0 != "amazon" } ?? false)
        }
        let attachment = o.object("Attachment", "an attachment", known: "AttachTime AttachmentId DeleteOnTermination DeviceIndex NetworkCardIndex InstanceId InstanceOwnerId Status EnaSrdSpecification EnaQueueCount")
        let description = o.string("Description")
        return AWSSnapshot.Interface(id: id, subnetID: subnetID, privateIPs: ips, publicIP: publicIP, elastic: elastic,
                                     groupIDs: o.objects("Groups", "a group of \(id)", known: "GroupId GroupName").compactMap { $0.required("GroupId") },
                                     sourceDestCheck: o.bool("SourceDestCheck") ?? true, interfaceType: o.string("InterfaceType"),
                                     requesterManaged: o.bool("RequesterManaged") ?? false,
                                     description: description?.isEmpty == false ? description : nil,
                                     instanceID: attachment?.string("InstanceId"), deviceIndex: attachment?.int("DeviceIndex"),
                                     mac: o.string("MacAddress"), name: o.tag("Name", in: "TagSet"), tags: tags(o, "TagSet"), location: o.location)
    }

    func reservation(_ node: Node) -> [AWSSnapshot.Instance]? {
        guard let o = object(node, "a reservation", "ReservationId OwnerId RequesterId Groups Instances") else { return nil }
        return o.nodes("Instances").compactMap(instance)
    }

    func instance(_ node: Node) -> AWSSnapshot.Instance? {
        let known = "InstanceId State Tags NetworkInterfaces SubnetId VpcId PrivateIpAddress PublicIpAddress SecurityGroups SourceDestCheck Architecture BlockDeviceMappings ClientToken EbsOptimized Hypervisor RootDeviceName RootDeviceType SriovNetSupport VirtualizationType HibernationOptions MetadataOptions PlatformDetails UsageOperation UsageOperationUpdateTime ImageId PrivateDnsName PublicDnsName StateTransitionReason StateReason AmiLaunchIndex ProductCodes InstanceType LaunchTime Placement Monitoring KeyName IamInstanceProfile CpuOptions CapacityReservationSpecification EnclaveOptions MaintenanceOptions PrivateDnsNameOptions CurrentInstanceBootMode BootMode NetworkPerformanceOptions Operator EnaSupport Platform InstanceLifecycle SpotInstanceRequestId ElasticGpuAssociations ElasticInferenceAcceleratorAssociations Licenses OutpostArn Ipv6Address TpmSupport CapacityReservationId NetworkInterfaceCount"
        guard let o = object(node, "an instance", known), let id = o.required("InstanceId") else { return nil }
        let state = o.object("State", "an instance state", known: "Code Name")?.string("Name")
        var interfaces: [AWSSnapshot.Interface] = []
        for eniNode in o.nodes("NetworkInterfaces") {
            if var eni = interface(eniNode, subnetFallback: o.string("SubnetId")) {
                eni.instanceID = id
                interfaces.append(eni)
            }
        }
        return AWSSnapshot.Instance(id: id, state: state, name: o.tag("Name"), tags: tags(o), interfaces: interfaces, location: o.location)
    }

    func internetGateway(_ node: Node) -> AWSSnapshot.InternetGateway? {
        guard let o = object(node, "an internet gateway", "InternetGatewayId Attachments Tags OwnerId"), let id = o.required("InternetGatewayId") else { return nil }
        let attached = o.objects("Attachments", "an attachment of \(id)", known: "State VpcId").first { ["available", "attached"].contains($0.string("State") ?? "available") }
        return AWSSnapshot.InternetGateway(id: id, vpcID: attached?.string("VpcId"), name: o.tag("Name"), location: o.location)
    }

    func natGateway(_ node: Node) -> AWSSnapshot.NATGateway? {
        guard let o = object(node, "a NAT gateway", "CreateTime DeleteTime FailureCode FailureMessage NatGatewayAddresses NatGatewayId ProvisionedBandwidth State SubnetId VpcId Tags ConnectivityType AvailabilityMode AutoScalingIps AutoProvisionZones AttachedAppliances RouteTableId"),
              let id = o.required("NatGatewayId"), let subnet = o.required("SubnetId") else { return nil }
        let addresses = o.objects("NatGatewayAddresses", "an address of \(id)", known: "AllocationId NetworkInterfaceId PrivateIp PublicIp AssociationId IsPrimary FailureMessage Status")
        let primary = addresses.first { $0.bool("IsPrimary") == true } ?? addresses.first
        return AWSSnapshot.NATGateway(id: id, subnetID: subnet, state: o.string("State"), isPrivate: o.string("ConnectivityType") == "private",
                                      privateIP: primary?.address("PrivateIp"), publicIP: primary?.address("PublicIp"),
                                      interfaceID: primary?.string("NetworkInterfaceId"), name: o.tag("Name"), location: o.location)
    }

    func endpoint(_ node: Node) -> AWSSnapshot.Endpoint? {
        guard let o = object(node, "a VPC endpoint", "VpcEndpointId VpcEndpointType VpcId ServiceName State PolicyDocument RouteTableIds SubnetIds Groups IpAddressType DnsOptions PrivateDnsEnabled RequesterManaged NetworkInterfaceIds DnsEntries CreationTimestamp Tags OwnerId LastError Ipv4Prefixes Ipv6Prefixes FailureReason ServiceNetworkArn ResourceConfigurationArn ServiceRegion"),
              let id = o.required("VpcEndpointId"), let vpcID = o.required("VpcId"), let service = o.required("ServiceName") else { return nil }
        return AWSSnapshot.Endpoint(id: id, vpcID: vpcID, type: o.string("VpcEndpointType") ?? "Gateway", serviceName: service, state: o.string("State"),
                                    routeTableIDs: o.strings("RouteTableIds"), subnetIDs: o.strings("SubnetIds"),
                                    groupIDs: o.objects("Groups", "a group of \(id)", known: "GroupId GroupName").compactMap { $0.required("GroupId") },
                                    privateDNS: o.bool("PrivateDnsEnabled") ?? false, interfaceIDs: o.strings("NetworkInterfaceIds"),
                                    name: o.tag("Name"), location: o.location)
    }

    func peering(_ node: Node) -> AWSSnapshot.Peering? {
        guard let o = object(node, "a VPC peering connection", "AccepterVpcInfo RequesterVpcInfo ExpirationTime Status Tags VpcPeeringConnectionId"),
              let id = o.required("VpcPeeringConnectionId") else { return nil }
        let info = "CidrBlock CidrBlockSet Ipv6CidrBlockSet OwnerId PeeringOptions VpcId Region"
        guard let requester = o.object("RequesterVpcInfo", "the requester of \(id)", known: info)?.required("VpcId") ?? missing(o, "RequesterVpcInfo"),
              let accepter = o.object("AccepterVpcInfo", "the accepter of \(id)", known: info)?.required("VpcId") ?? missing(o, "AccepterVpcInfo") else { return nil }
        return AWSSnapshot.Peering(id: id, requesterVPCID: requester, accepterVPCID: accepter,
                                   status: o.object("Status", "a peering status", known: "Code Message")?.string("Code"), name: o.tag("Name"), location: o.location)
    }

    func prefixList(_ node: Node) -> AWSSnapshot.PrefixList? {
        guard let o = object(node, "a prefix list", "PrefixListId PrefixListName Cidrs AddressFamily State StateMessage PrefixListArn MaxEntries Version Tags OwnerId IpamPrefixListResolverSyncEnabled IpamPrefixListResolverTargetId"),
              let id = o.required("PrefixListId") else { return nil }
        if o.string("AddressFamily") == "IPv6" { return nil }
        let name = o.string("PrefixListName") ?? id
        var cidrs: [CIDR]?
        if o.has("Cidrs") {
            cidrs = o.nodes("Cidrs").compactMap { node in
                reader.scalar(node, "an item of 'Cidrs'").flatMap { AWSObject.parseCIDR($0.value, at: $0.location, what: "a prefix-list CIDR", log: log) }
            }
        }
        let region = AWSRegion.fromARN(o.string("PrefixListArn")) ?? AWSRegion.fromServiceName(name) ?? context.region
        return AWSSnapshot.PrefixList(id: id, name: name, cidrs: cidrs, owner: o.string("OwnerId"), region: region, state: o.string("State"), location: o.location)
    }

    func entry(_ node: Node) -> CIDR? {
        guard let o = object(node, "a prefix-list entry", "Cidr Description") else { return nil }
        return o.cidr("Cidr") ?? missing(o, "Cidr")
    }

    func address(_ node: Node) -> AWSSnapshot.Address? {
        guard let o = object(node, "an Elastic IP address", "AllocationId AssociationId Domain NetworkInterfaceId NetworkInterfaceOwnerId PrivateIpAddress Tags PublicIpv4Pool NetworkBorderGroup PublicIp InstanceId CustomerOwnedIp CustomerOwnedIpv4Pool CarrierIp ServiceManaged SubnetId"),
              let publicIP = o.address("PublicIp") ?? missing(o, "PublicIp") else { return nil }
        return AWSSnapshot.Address(publicIP: publicIP, allocationID: o.string("AllocationId"), interfaceID: o.string("NetworkInterfaceId"), privateIP: o.address("PrivateIpAddress"))
    }

    /// `enable`/`disable` options (AWS prints strings); nil when absent.
    func enabled(_ o: AWSObject?, _ key: String) -> Bool? {
        guard let o, let text = o.string(key) else { return nil }
        switch text {
        case "enable": return true
        case "disable": return false
        default:
            log.error(o.locationOf(key), "'\(key)' in \(o.what) must be enable or disable, not '\(text)'")
            return nil
        }
    }

    func transitGateway(_ node: Node) -> AWSSnapshot.TransitGateway? {
        guard let o = object(node, "a transit gateway", "TransitGatewayId TransitGatewayArn State OwnerId Description CreationTime Options Tags"),
              let id = o.required("TransitGatewayId") else { return nil }
        let options = o.object("Options", "transit gateway options", known: "AmazonSideAsn TransitGatewayCidrBlocks AutoAcceptSharedAttachments DefaultRouteTableAssociation AssociationDefaultRouteTableId DefaultRouteTablePropagation PropagationDefaultRouteTableId VpnEcmpSupport DnsSupport SecurityGroupReferencingSupport MulticastSupport")
        // https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html — default route table association and propagation are on unless disabled; security group referencing is off unless enabled.
        return AWSSnapshot.TransitGateway(id: id, name: o.tag("Name"), state: o.string("State"),
                                          region: AWSRegion.fromARN(o.string("TransitGatewayArn")) ?? context.region,
                                          defaultAssociation: enabled(options, "DefaultRouteTableAssociation") ?? true,
                                          associationTableID: options?.string("AssociationDefaultRouteTableId"),
                                          defaultPropagation: enabled(options, "DefaultRouteTablePropagation") ?? true,
                                          propagationTableID: options?.string("PropagationDefaultRouteTableId"),
                                          securityGroupReferencing: enabled(options, "SecurityGroupReferencingSupport") ?? false, location: o.location)
    }

    /// A record of describe-transit-gateway-attachments or describe-transit-gateway-vpc-attachments.
    func tgwAttachment(_ node: Node, source: AWSSnapshot.TGWAttachment.Source) -> AWSSnapshot.TGWAttachment? {
        let what = source == .vpcAttachments ? "a transit gateway VPC attachment" : "a transit gateway attachment"
        guard let o = object(node, what, "TransitGatewayAttachmentId TransitGatewayId TransitGatewayOwnerId ResourceOwnerId ResourceType ResourceId VpcId VpcOwnerId SubnetIds State Association CreationTime Options Tags"),
              let id = o.required("TransitGatewayAttachmentId"), let tgwID = o.required("TransitGatewayId") else { return nil }
        var resourceType = o.string("ResourceType"), resourceID = o.string("ResourceId")
        if let vpcID = o.string("VpcId") { resourceType = resourceType ?? "vpc"; resourceID = resourceID ?? vpcID }
        if source == .vpcAttachments, resourceType == nil { _ = o.required("VpcId") }
        let options = o.object("Options", "the options of \(id)", known: "DnsSupport Ipv6Support ApplianceModeSupport SecurityGroupReferencingSupport")
        var association: AWSSnapshot.TGWLink?
        if let linked = o.object("Association", "the association of \(id)", known: "TransitGatewayRouteTableId State"),
           let tableID = linked.required("TransitGatewayRouteTableId") {
            association = AWSSnapshot.TGWLink(listing: nil, tableID: tableID,
                                              attachment: AWSSnapshot.TGWAttachmentRef(id: id, resourceType: resourceType, resourceID: resourceID, location: o.location),
                                              state: linked.string("State"), location: linked.location)
        }
        return AWSSnapshot.TGWAttachment(id: id, tgwID: tgwID, source: source, resourceType: resourceType, resourceID: resourceID,
                                         subnetIDs: o.has("SubnetIds") ? o.strings("SubnetIds") : nil, subnetsLocation: o.locationOf("SubnetIds"),
                                         applianceMode: enabled(options, "ApplianceModeSupport"),
                                         securityGroupReferencing: enabled(options, "SecurityGroupReferencingSupport"),
                                         association: association, state: o.string("State"), name: o.tag("Name"), location: o.location)
    }

    func tgwPeering(_ node: Node) -> AWSSnapshot.TGWPeering? {
        guard let o = object(node, "a transit gateway peering attachment", "TransitGatewayAttachmentId AccepterTransitGatewayAttachmentId RequesterTgwInfo AccepterTgwInfo Options Status State CreationTime Tags"),
              let id = o.required("TransitGatewayAttachmentId") else { return nil }
        let info = "TransitGatewayId CoreNetworkId OwnerId Region"
        guard let requester = o.object("RequesterTgwInfo", "the requester of \(id)", known: info)?.required("TransitGatewayId") ?? missing(o, "RequesterTgwInfo"),
              let accepter = o.object("AccepterTgwInfo", "the accepter of \(id)", known: info)?.required("TransitGatewayId") ?? missing(o, "AccepterTgwInfo") else { return nil }
        _ = o.object("Options", "the options of \(id)", known: "DynamicRouting")
        let status = o.object("Status", "the status of \(id)", known: "Code Message")?.string("Code")
        return AWSSnapshot.TGWPeering(id: id, requesterTGW: requester, accepterTGW: accepter, state: o.string("State") ?? status,
                                      name: o.tag("Name"), location: o.location)
    }

    func tgwRouteTable(_ node: Node) -> AWSSnapshot.TGWRouteTable? {
        guard let o = object(node, "a transit gateway route table", "TransitGatewayRouteTableId TransitGatewayId State DefaultAssociationRouteTable DefaultPropagationRouteTable CreationTime Tags"),
              let id = o.required("TransitGatewayRouteTableId"), let tgwID = o.required("TransitGatewayId") else { return nil }
        return AWSSnapshot.TGWRouteTable(id: id, tgwID: tgwID, name: o.tag("Name"), state: o.string("State"),
                                         defaultAssociation: o.bool("DefaultAssociationRouteTable") ?? false,
                                         defaultPropagation: o.bool("DefaultPropagationRouteTable") ?? false, location: o.location)
    }

    func tgwAttachmentRef(_ o: AWSObject) -> AWSSnapshot.TGWAttachmentRef? {
        guard let id = o.required("TransitGatewayAttachmentId") else { return nil }
        return AWSSnapshot.TGWAttachmentRef(id: id, resourceType: o.string("ResourceType"), resourceID: o.string("ResourceId"), location: o.location)
    }

    /// A route of search-transit-gateway-routes. A prefix-list reference is printed as one route
    /// per entry of the list, each with the list's id.
    /// https://docs.aws.amazon.com/vpc/latest/tgw/view-prefix-list-reference.html
    func tgwRoute(_ node: Node, listing: Int) -> AWSSnapshot.TGWRoute? {
        guard let o = object(node, "a transit gateway route", "DestinationCidrBlock PrefixListId TransitGatewayRouteTableAnnouncementId TransitGatewayAttachments Type State") else { return nil }
        let prefixList = o.string("PrefixListId")
        var destination: CIDR?
        if o.has("DestinationCidrBlock") {
            guard let cidr = o.cidr("DestinationCidrBlock") else { return nil }
            destination = cidr
        } else if prefixList == nil {
            _ = o.required("DestinationCidrBlock")
            return nil
        }
        let attachments = o.objects("TransitGatewayAttachments", "a route attachment", known: "ResourceId TransitGatewayAttachmentId ResourceType").compactMap(tgwAttachmentRef)
        let type = o.string("Type")
        if let type, type != "static" && type != "propagated" {
            log.error(o.locationOf("Type"), "'Type' of a transit gateway route must be static or propagated, not '\(type)'")
            return nil
        }
        return AWSSnapshot.TGWRoute(listing: listing, destination: destination, prefixListID: prefixList, attachments: attachments,
                                    propagated: type == "propagated", state: o.string("State"), location: o.location)
    }

    /// An item of get-transit-gateway-route-table-associations or -propagations.
    func tgwLink(_ node: Node, listing: Int, _ what: String) -> AWSSnapshot.TGWLink? {
        guard let o = object(node, what, "TransitGatewayAttachmentId ResourceId ResourceType State TransitGatewayRouteTableAnnouncementId"),
              let attachment = tgwAttachmentRef(o) else { return nil }
        return AWSSnapshot.TGWLink(listing: listing, tableID: nil, attachment: attachment, state: o.string("State"), location: o.location)
    }

    func vpnGateway(_ node: Node) -> AWSSnapshot.VPNGateway? {
        guard let o = object(node, "a virtual private gateway", "VpnGatewayId State Type AvailabilityZone VpcAttachments AmazonSideAsn Tags"),
              let id = o.required("VpnGatewayId") else { return nil }
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcAttachment.html — State: attaching | attached | detaching | detached.
        let attached = o.objects("VpcAttachments", "a VPC attachment of \(id)", known: "State VpcId").first { $0.string("State") == "attached" }
        return AWSSnapshot.VPNGateway(id: id, name: o.tag("Name"), state: o.string("State"), vpcID: attached?.required("VpcId"), location: o.location)
    }

    func customerGateway(_ node: Node) -> AWSSnapshot.CustomerGateway? {
        guard let o = object(node, "a customer gateway", "CustomerGatewayId BgpAsn BgpAsnExtended IpAddress CertificateArn DeviceName State Type Tags"),
              let id = o.required("CustomerGatewayId") else { return nil }
        // AWS prints the ASN as a string ("65000"); BgpAsnExtended holds 4-byte ASNs.
        var asn: UInt32?
        for key in ["BgpAsnExtended", "BgpAsn"] where asn == nil && o.has(key) {
            guard let value = o.int(key) else { continue }
            guard let parsed = UInt32(exactly: value), parsed > 0 else {
                log.error(o.locationOf(key), "'\(key)' of customer gateway \(id) is not an ASN: \(value)", hint: "an ASN is 1 to 4294967294")
                continue
            }
            asn = parsed
        }
        return AWSSnapshot.CustomerGateway(id: id, name: o.tag("Name"), state: o.string("State"), ipAddress: o.has("IpAddress") ? o.address("IpAddress") : nil,
                                           asn: asn, location: o.location)
    }

    func vpnConnection(_ node: Node) -> AWSSnapshot.VPNConnection? {
        guard let o = object(node, "a VPN connection", "VpnConnectionId CustomerGatewayId CustomerGatewayConfiguration VpnGatewayId TransitGatewayId CoreNetworkArn CoreNetworkAttachmentArn GatewayAssociationState Category State Type Options Routes Tags VgwTelemetry PreSharedKeyArn"),
              let id = o.required("VpnConnectionId") else { return nil }
        let options = o.object("Options", "the options of \(id)", known: "EnableAcceleration StaticRoutesOnly LocalIpv4NetworkCidr RemoteIpv4NetworkCidr LocalIpv6NetworkCidr RemoteIpv6NetworkCidr OutsideIpAddressType TransportTransitGatewayAttachmentId TunnelInsideIpVersion TunnelOptions TunnelBandwidth")
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpnStaticRoute.html — State: pending | available | deleting | deleted.
        var routes: [(cidr: CIDR, location: SourceLocation)] = []
        for route in o.objects("Routes", "a static route of \(id)", known: "DestinationCidrBlock Source State") {
            guard let cidr = route.cidr("DestinationCidrBlock") ?? missing(route, "DestinationCidrBlock") else { continue }
            guard ["pending", "available"].contains(route.string("State") ?? "available") else { continue }
            if !routes.contains(where: { $0.cidr == cidr }) { routes.append((cidr, route.location)) }
        }
        var bgp: [CIDR] = []
        if let tagged = o.tag(AWSNetworkBuilder.Tag.bgpPrefixes) {
            for text in tagged.split(separator: " ") {
                if let cidr = AWSObject.parseCIDR(String(text), at: o.locationOf("Tags"), what: "a prefix in tag \(AWSNetworkBuilder.Tag.bgpPrefixes)", log: log), !bgp.contains(cidr) {
                    bgp.append(cidr)
                }
            }
        }
        return AWSSnapshot.VPNConnection(id: id, name: o.tag("Name"), state: o.string("State"), customerGatewayID: o.string("CustomerGatewayId"),
                                         vpnGatewayID: o.string("VpnGatewayId"), transitGatewayID: o.string("TransitGatewayId"),
                                         coreNetworkARN: o.string("CoreNetworkArn"), staticRoutesOnly: options?.bool("StaticRoutesOnly"),
                                         staticRoutes: routes, bgpPrefixes: bgp, location: o.location)
    }

    // MARK: ELBv2

    func loadBalancer(_ node: Node) -> AWSSnapshot.LoadBalancer? {
        guard let o = object(node, "a load balancer", "LoadBalancerArn DNSName CanonicalHostedZoneId CreatedTime LoadBalancerName Scheme VpcId State Type AvailabilityZones SecurityGroups IpAddressType CustomerOwnedIpv4Pool EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic EnablePrefixForIpv6SourceNat IpamPools"),
              let arn = o.required("LoadBalancerArn"), let vpcID = o.required("VpcId") else { return nil }
        let zones = o.objects("AvailabilityZones", "an Availability Zone of \(arn)", known: "ZoneName SubnetId OutpostId LoadBalancerAddresses SourceNatIpv6Prefixes")
        return AWSSnapshot.LoadBalancer(arn: arn, name: o.string("LoadBalancerName") ?? arn, type: o.string("Type") ?? "application",
                                        scheme: o.string("Scheme") ?? "internet-facing", vpcID: vpcID,
                                        state: o.object("State", "a load balancer state", known: "Code Reason")?.string("Code"),
                                        subnetIDs: zones.compactMap { $0.required("SubnetId") }, groupIDs: o.strings("SecurityGroups"), location: o.location)
    }

    func targetGroup(_ node: Node) -> AWSSnapshot.TargetGroup? {
        guard let o = object(node, "a target group", "TargetGroupArn TargetGroupName Protocol Port VpcId HealthCheckProtocol HealthCheckPort HealthCheckEnabled HealthCheckIntervalSeconds HealthCheckTimeoutSeconds HealthyThresholdCount UnhealthyThresholdCount HealthCheckPath Matcher LoadBalancerArns TargetType ProtocolVersion IpAddressType"),
              let arn = o.required("TargetGroupArn") else { return nil }
        let port = o.int("Port") ?? 0
        return AWSSnapshot.TargetGroup(arn: arn, name: o.string("TargetGroupName") ?? arn, targetProtocol: o.string("Protocol") ?? "TCP",
                                       port: UInt16(clamping: port), vpcID: o.string("VpcId"), targetType: o.string("TargetType"), location: o.location)
    }

    /// Batfish's `LoadBalancerListeners` item: a load balancer and its listeners, or (older
    /// collections) one listener with its `LoadBalancerArn`.
    func loadBalancerListeners(_ node: Node) -> [AWSSnapshot.Listener]? {
        let wrapped: Bool
        if case .mapping(let mapping) = node {
            wrapped = mapping.contains { entry in
                if case .scalar(let key) = entry.key { return key.string == "Listeners" }
                return false
            }
        } else {
            wrapped = false
        }
        guard wrapped else {
            return listener(node, loadBalancerARN: nil).map { [$0] }
        }
        guard let o = object(node, "a load balancer's listeners", "LoadBalancerArn Listeners"), let lb = o.required("LoadBalancerArn") else { return nil }
        return o.nodes("Listeners").compactMap { listener($0, loadBalancerARN: lb) }
    }

    func listener(_ node: Node, loadBalancerARN: String?) -> AWSSnapshot.Listener? {
        guard let o = object(node, "a listener", "ListenerArn LoadBalancerArn Port Protocol Certificates SslPolicy DefaultActions AlpnPolicy MutualAuthentication"),
              let lb = loadBalancerARN.flatMap({ o.has("LoadBalancerArn") ? nil : $0 }) ?? o.required("LoadBalancerArn"),
              let port = o.int("Port") ?? missing(o, "Port") else { return nil }
        var groupARN: String?
        for action in o.objects("DefaultActions", "a listener action", known: "Type TargetGroupArn ForwardConfig Order RedirectConfig FixedResponseConfig AuthenticateOidcConfig AuthenticateCognitoConfig") where action.string("Type") == "forward" {
            groupARN = action.string("TargetGroupArn")
                ?? action.object("ForwardConfig", "a forward action", known: "TargetGroups TargetGroupStickinessConfig")?
                    .objects("TargetGroups", "a forwarded target group", known: "TargetGroupArn Weight").first?.string("TargetGroupArn")
            if groupARN != nil { break }
        }
        return AWSSnapshot.Listener(loadBalancerARN: lb, port: UInt16(clamping: port), listenerProtocol: o.string("Protocol") ?? "TCP",
                                    targetGroupARN: groupARN, location: o.location)
    }

    func targetHealth(_ node: Node) -> (id: String, port: UInt16?, state: String?, location: SourceLocation)? {
        guard let o = object(node, "a target health description", "Target HealthCheckPort TargetHealth AnomalyDetection AdministrativeOverride"),
              let target = o.object("Target", "a target", known: "Id Port AvailabilityZone") ?? missing(o, "Target"), let id = target.required("Id") else { return nil }
        return (id, target.int("Port").map { UInt16(clamping: $0) }, o.object("TargetHealth", "a target health", known: "State Reason Description")?.string("State"), o.location)
    }
}
