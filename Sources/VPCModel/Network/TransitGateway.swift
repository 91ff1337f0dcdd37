/// A transit gateway: a regional router with attachments (VPCs, VPNs, Direct Connect gateways,
/// peerings with other transit gateways) and route tables. Each attachment is associated with at
/// most one route table, which routes the traffic it sends into the gateway, and propagates its
/// routes into any number of tables.
/// https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html
public struct TransitGateway: Hashable, Sendable {
    public struct Attachment: Hashable, Sendable {
        public enum Resource: Hashable, Sendable {
            /// A VPC, through one subnet per Availability Zone (the attachment's interfaces).
            case vpc(String)
            /// A Site-to-Site VPN connection whose AWS side is this transit gateway.
            case vpn(String)
            /// A Direct Connect gateway associated with this transit gateway.
            case directConnect(String)
            /// A peering with another transit gateway (another region or account); static routes only.
            case peering(transitGatewayID: String)
        }

        public var id: String
        public var name: String
        public var resource: Resource
        /// VPC attachments: one subnet per AZ, where the attachment's interfaces live.
        public var subnetIDs: [String]
        /// VPC attachments: the gateway keeps both directions of a flow on one AZ's interface of
        /// this VPC (for stateful appliances). https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-appliance-scenario.html
        public var applianceMode: Bool
        /// The route table associated with this attachment: it routes what the attachment sends in.
        /// nil = not associated; the gateway drops what such an attachment sends.
        public var routeTableID: String?
        /// The route tables this attachment propagates into (VPC CIDRs, BGP prefixes).
        public var propagatesTo: [String]

        public init(id: String, name: String? = nil, resource: Resource, subnetIDs: [String] = [], applianceMode: Bool = false,
                    routeTableID: String? = nil, propagatesTo: [String] = []) {
            self.id = id; self.name = name ?? id; self.resource = resource; self.subnetIDs = subnetIDs
            self.applianceMode = applianceMode; self.routeTableID = routeTableID; self.propagatesTo = propagatesTo
        }

        /// A VPC attachment (the common case).
        public init(id: String, vpcID: String, subnetIDs: [String], name: String? = nil, applianceMode: Bool = false,
                    routeTableID: String? = nil, propagatesTo: [String] = []) {
            self.init(id: id, name: name, resource: .vpc(vpcID), subnetIDs: subnetIDs, applianceMode: applianceMode,
                      routeTableID: routeTableID, propagatesTo: propagatesTo)
        }

        public var vpcID: String? {
            if case .vpc(let id) = resource { return id }
            return nil
        }
    }

    public struct Route: Hashable, Sendable {
        public enum Destination: Hashable, Sendable, CustomStringConvertible {
            case cidr(CIDR)
            /// A prefix-list reference: every CIDR of the list. https://docs.aws.amazon.com/vpc/latest/tgw/tgw-prefix-lists.html
            case prefixList(String)

            public var description: String {
                switch self {
                case .cidr(let cidr): return cidr.description
                case .prefixList(let id): return id
                }
            }
        }

        public var destination: Destination
        /// nil = blackhole.
        public var attachmentID: String?
        /// A route the table learned (as `search-transit-gateway-routes` prints it), not a static one.
        public var propagated: Bool

        public init(destination: Destination, attachmentID: String?, propagated: Bool = false) {
            self.destination = destination; self.attachmentID = attachmentID; self.propagated = propagated
        }

        public init(destination: CIDR, attachmentID: String?, propagated: Bool = false) {
            self.init(destination: .cidr(destination), attachmentID: attachmentID, propagated: propagated)
        }
    }

    public struct RouteTable: Hashable, Sendable {
        public var id: String
        public var name: String
        /// Static routes (and routes read as propagated from a snapshot); the routes propagations
        /// add are derived from the attachments, not stored.
        public var routes: [Route]

        public init(id: String, name: String, routes: [Route] = []) { self.id = id; self.name = name; self.routes = routes }
    }

    public var id: String
    public var name: String
    public var region: String
    public var attachments: [Attachment]
    public var routeTables: [RouteTable]
    /// Security-group references across the gateway (an option of the gateway and of each VPC
    /// attachment, off by default): when on, a group rule matches members in other attached VPCs.
    /// https://docs.aws.amazon.com/vpc/latest/tgw/tgw-sg-updates.html
    public var securityGroupReferencing: Bool

    public init(id: String, name: String, region: String, attachments: [Attachment], routeTables: [RouteTable],
                securityGroupReferencing: Bool = false) {
        self.id = id; self.name = name; self.region = region; self.attachments = attachments
        self.routeTables = routeTables; self.securityGroupReferencing = securityGroupReferencing
    }

    /// One route table that every attachment is associated with and propagates into: the
    /// default route table as AWS creates it, the shape of simple hub networks.
    public init(id: String, name: String, region: String, attachments: [Attachment], routes: [Route], propagatesAttachments: Bool = true) {
        let tableID = TransitGateway.defaultTableID(of: id)
        let linked = attachments.map { attachment -> Attachment in
            var a = attachment
            a.routeTableID = tableID
            a.propagatesTo = propagatesAttachments ? [tableID] : []
            return a
        }
        self.init(id: id, name: name, region: region, attachments: linked,
                  routeTables: [RouteTable(id: tableID, name: "\(name)-default", routes: routes)])
    }

    /// A stable id for a gateway's default route table when the input names none.
    public static func defaultTableID(of gatewayID: String) -> String {
        "tgw-rtb-" + gatewayID.replacingOccurrences(of: "tgw-", with: "")
    }

    public func attachment(id: String) -> Attachment? { attachments.first { $0.id == id } }
    public func attachment(forVPC vpcID: String) -> Attachment? { attachments.first { $0.vpcID == vpcID } }
}
