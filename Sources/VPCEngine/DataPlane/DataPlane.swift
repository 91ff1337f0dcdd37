import VPCModel

/// "No such entity" in every index field of the DataPlane.
public let noIndex: UInt32 = .max

/// A validated `Network` compiled for evaluation: flat arrays of small structs that refer to each
/// other by `UInt32` index, route tables compiled into one `RouteTrieSet` with AWS priority already
/// resolved, sorted address → interface indexes, and security-group / network-ACL rules flattened into
/// matchers. Immutable once built, so one DataPlane serves any number of threads.
///
/// Every index follows the model's array order (interface i is `network.interfaces[i]`), which keeps
/// "first in array order" tie-breaks of docs/semantics.md trivially true and lets the trace name
/// things by looking the model up.
public struct DataPlane: Sendable {
    public private(set) var network: Network

    // Entities, index-aligned with the model's arrays.
    public internal(set) var interfaces: [CompiledInterface] = []
    public internal(set) var subnets: [CompiledSubnet] = []
    public internal(set) var vpcs: [CompiledVPC] = []
    public internal(set) var routeTables: [CompiledRouteTable] = []
    public internal(set) var natGateways: [CompiledNATGateway] = []
    public internal(set) var endpoints: [CompiledEndpoint] = []
    public internal(set) var internetGateways: [UInt32] = []          // attached VPC or noIndex
    public internal(set) var peerings: [(requester: UInt32, accepter: UInt32)] = []
    public internal(set) var transitGateways: [CompiledTransitGateway] = []
    public internal(set) var loadBalancers: [CompiledLoadBalancer] = []
    public internal(set) var securityGroups: [CompiledSecurityGroup] = []
    public internal(set) var networkACLs: [CompiledNetworkACL] = []

    // Pools the entities point into.
    public internal(set) var interfaceAddresses: [UInt32] = []
    public internal(set) var interfaceGroups: [UInt32] = []
    public internal(set) var vpcCIDRs: [CompiledCIDR] = []
    public internal(set) var routes: [CompiledRoute] = []
    public internal(set) var tgwRoutes: [CompiledTGWRoute] = []
    public internal(set) var tgwAttachments: [CompiledTGWAttachment] = []
    public internal(set) var tgwAttachmentSubnets: [UInt32] = []
    public internal(set) var tgwRouteTables: [CompiledTGWRouteTable] = []
    /// (gateway << 32 | vpc) → the gateway's attachment of that VPC, sorted by key.
    public internal(set) var tgwVPCAttachmentKeys: [UInt64] = []
    public internal(set) var tgwVPCAttachments: [UInt32] = []
    /// Per virtual private gateway: its attached VPC, or noIndex.
    public internal(set) var vpnGateways: [UInt32] = []
    public internal(set) var vpnConnections: [CompiledVPNConnection] = []
    public internal(set) var directConnectGateways: [CompiledDirectConnectGateway] = []
    /// Virtual private gateways, then transit gateways, of each Direct Connect gateway.
    public internal(set) var directConnectMembers: [UInt32] = []
    public internal(set) var onPremNetworks: [CompiledOnPremNetwork] = []
    public internal(set) var onPremCIDRs: [CompiledCIDR] = []
    public internal(set) var securityGroupRules: [CompiledSecurityGroupRule] = []
    public internal(set) var groupMembers: [UInt32] = []              // sorted per group
    public internal(set) var listeners: [CompiledListener] = []
    public internal(set) var aclEntries: [CompiledACLEntry] = []
    public internal(set) var prefixListCIDRs: [CompiledCIDR] = []
    public internal(set) var prefixLists: [Range32] = []
    public internal(set) var serviceRanges: [(cidr: CompiledCIDR, service: UInt32)] = []
    /// Per service, its entries in `serviceRanges` (contiguous: ranges are added service by service).
    public internal(set) var serviceAddresses: [Range32] = []

    /// (vpc << 32 | address) → first interface in that VPC holding it, sorted by key.
    public internal(set) var privateOwnerKeys: [UInt64] = []
    public internal(set) var privateOwners: [UInt32] = []
    /// The same map as an open-addressing hash table (linear probing, at most half full): one or two
    /// cache lines per lookup instead of a binary search's ~17 dependent probes on a large network.
    /// Empty slots hold `UInt64.max`, a key no interface has (its VPC would be noIndex).
    public internal(set) var ownerSlotKeys: [UInt64] = []
    public internal(set) var ownerSlotValues: [UInt32] = []
    /// log2 of the slot count.
    public internal(set) var ownerSlotBits = 0
    /// address → some interface holding it as a private IP, in any VPC (the last one added): not a
    /// semantic lookup (addresses repeat across VPCs) but where a flow to that address will most
    /// likely arrive — what the BatchEvaluator's prefetch stage warms. Empty slots have value noIndex.
    public internal(set) var addressSlotKeys: [UInt32] = []
    public internal(set) var addressSlotValues: [UInt32] = []
    /// public address → first interface holding it, sorted by address.
    public internal(set) var publicOwnerKeys: [UInt32] = []
    public internal(set) var publicOwners: [UInt32] = []

    /// Route tables first (VPC table i is trie table i), then one table per transit gateway.
    public private(set) var routeLookup: RouteLookup

    public init(_ network: Network) {
        self.network = network
        var compiler = DataPlaneCompiler(network: network)
        let (plane, tables) = compiler.compile()
        self = plane
        self.routeLookup = RouteLookup(tables: tables)
        buildOwnerSlots()
    }

    private mutating func buildOwnerSlots() {
        var bits = 4
        while (1 << bits) < 2 * privateOwnerKeys.count { bits += 1 }
        var keys = [UInt64](repeating: .max, count: 1 << bits)
        var values = [UInt32](repeating: noIndex, count: 1 << bits)
        let mask = (1 << bits) - 1
        // Sorted order and first-wins keep "first interface holding it" (keys are unique already).
        for (key, value) in zip(privateOwnerKeys, privateOwners) {
            var slot = Self.ownerSlot(key, bits: bits)
            while keys[slot] != .max && keys[slot] != key { slot = (slot + 1) & mask }
            if keys[slot] == .max { keys[slot] = key; values[slot] = value }
        }
        ownerSlotKeys = keys
        ownerSlotValues = values
        ownerSlotBits = bits
        var addressKeys = [UInt32](repeating: 0, count: 1 << bits)
        var addressValues = [UInt32](repeating: noIndex, count: 1 << bits)
        for (key, value) in zip(privateOwnerKeys, privateOwners) {
            let address = UInt32(truncatingIfNeeded: key)
            var slot = Self.ownerSlot(UInt64(address), bits: bits)
            while addressValues[slot] != noIndex && addressKeys[slot] != address { slot = (slot + 1) & mask }
            addressKeys[slot] = address
            addressValues[slot] = value
        }
        addressSlotKeys = addressKeys
        addressSlotValues = addressValues
    }

    /// A likely receiver of `address` (see `addressSlotKeys`), or noIndex; only a cache hint.
    @inlinable @inline(__always)
    public func likelyOwner(of address: UInt32) -> UInt32 {
        let slot = Self.ownerSlot(UInt64(address), bits: ownerSlotBits)
        return addressSlotKeys[slot] == address ? addressSlotValues[slot] : noIndex
    }

    /// Fibonacci hashing: the top `bits` bits of key × 2^64/φ.
    @inlinable @inline(__always)
    static func ownerSlot(_ key: UInt64, bits: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) &>> UInt64(64 &- bits))
    }

    /// Transit gateway `gateway`'s attachment of VPC `vpc` (global attachment index), or noIndex: a
    /// binary search, since a hub with a thousand attachments is asked on every packet routed to it.
    @inlinable
    public func attachment(ofVPC vpc: UInt32, on gateway: UInt32) -> UInt32 {
        let key = UInt64(gateway) << 32 | UInt64(vpc)
        var low = 0, high = tgwVPCAttachmentKeys.count
        while low < high {
            let mid = (low + high) >> 1
            if tgwVPCAttachmentKeys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low < tgwVPCAttachmentKeys.count && tgwVPCAttachmentKeys[low] == key ? tgwVPCAttachments[low] : noIndex
    }

    /// Whether VPC `vpc` is attached to transit gateway `gateway`.
    @inlinable @inline(__always)
    public func isAttached(_ vpc: UInt32, to gateway: UInt32) -> Bool { attachment(ofVPC: vpc, on: gateway) != noIndex }

    /// The first on-premises network (model order) behind an edge that holds `address`: behind VPN
    /// connection `vpn`, Direct Connect gateway `directConnect`, or any edge of virtual private gateway
    /// `vpnGateway` (docs/semantics.md §5.6, §5.10). noIndex when none.
    public func onPremNetwork(holding address: UInt32, vpn: UInt32 = noIndex, directConnect: UInt32 = noIndex,
                              vpnGateway: UInt32 = noIndex) -> UInt32 {
        for (n, network) in onPremNetworks.enumerated() {
            let behind: Bool
            if network.edgeIsVPN {
                behind = (network.edge != noIndex && network.edge == vpn)
                    || (vpnGateway != noIndex && network.edge != noIndex && !vpnConnections[Int(network.edge)].toTransitGateway
                        && vpnConnections[Int(network.edge)].gateway == vpnGateway)
            } else {
                behind = (network.edge != noIndex && network.edge == directConnect)
                    || (vpnGateway != noIndex && network.edge != noIndex
                        && directConnectMembers[directConnectGateways[Int(network.edge)].vpnGateways.indices].contains(vpnGateway))
            }
            guard behind else { continue }
            for c in network.cidrs.indices where onPremCIDRs[c].contains(address) { return UInt32(n) }
        }
        return noIndex
    }

    /// Whether an on-premises network's CIDRs hold `address` (such addresses are not internet).
    public func isOnPrem(_ address: UInt32) -> Bool { onPremCIDRs.contains { $0.contains(address) } }

    /// Whether the ascending slice `range` of `pool` holds `value` (binary search).
    @inlinable
    static func sorted(_ pool: [UInt32], _ range: Range32, contains value: UInt32) -> Bool {
        var low = Int(range.lower), high = Int(range.upper)
        while low < high {
            let mid = (low + high) >> 1
            if pool[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < Int(range.upper) && pool[low] == value
    }

    /// Used by the compiler only; `routeLookup` is set by `init(_:)`.
    init(network: Network, placeholder: Void) {
        self.network = network
        self.routeLookup = RouteLookup(tables: [])
    }

    // MARK: - Lookups

    /// The first interface of VPC `vpc` that holds `address` as a private IP (docs/semantics.md §3).
    @inlinable @inline(__always)
    public func owner(of address: UInt32, inVPC vpc: UInt32) -> UInt32 {
        let key = UInt64(vpc) << 32 | UInt64(address)
        guard key != .max else { return noIndex }
        return ownerSlotKeys.withUnsafeBufferPointer { keys in
            guard let k = keys.baseAddress else { return noIndex }
            let mask = keys.count &- 1
            var slot = Self.ownerSlot(key, bits: ownerSlotBits)
            while true {
                let found = k[slot]
                if found == key { return ownerSlotValues[slot] }
                if found == .max { return noIndex }
                slot = (slot &+ 1) & mask
            }
        }
    }

    /// `owner(of:inVPC:)` for `count` keys (`vpc << 32 | address`) at once: every lane's first probe
    /// is loaded before any lane is finished, so the lanes' cache misses overlap instead of queueing;
    /// the rare collisions then finish lane by lane. `slots` is scratch for `count` positions.
    @inlinable
    public func owners(keys: UnsafePointer<UInt64>, count: Int, into owners: UnsafeMutablePointer<UInt32>,
                       slots: UnsafeMutablePointer<Int>) {
        ownerSlotKeys.withUnsafeBufferPointer { table in
            ownerSlotValues.withUnsafeBufferPointer { values in
                guard let k = table.baseAddress, let v = values.baseAddress else {
                    for l in 0..<count { owners[l] = noIndex }
                    return
                }
                let bits = ownerSlotBits
                for l in 0..<count { slots[l] = Self.ownerSlot(keys[l], bits: bits) }
                // Every lane's first probe: independent loads. A lane that hit another key (a
                // collision) is marked with slot -1 and finishes alone below.
                for l in 0..<count {
                    let found = k[slots[l]]
                    if found == keys[l] && found != .max {
                        owners[l] = v[slots[l]]
                    } else if found == .max {
                        owners[l] = noIndex
                    } else {
                        slots[l] = -1
                    }
                }
                for l in 0..<count where slots[l] < 0 {
                    owners[l] = owner(of: UInt32(truncatingIfNeeded: keys[l]), inVPC: UInt32(truncatingIfNeeded: keys[l] >> 32))
                }
            }
        }
    }

    /// The first interface whose public IP is `address`. (The hot lookups here are always inlined:
    /// a call passes the whole DataPlane indirectly, and the caller copied its ~460 bytes onto the
    /// stack for each call — a fifth of a batch's time on a transit-gateway hub network.)
    @inlinable @inline(__always)
    public func publicOwner(of address: UInt32) -> UInt32 {
        let i = lowerBound(publicOwnerKeys, address)
        return i < publicOwnerKeys.count && publicOwnerKeys[i] == address ? publicOwners[i] : noIndex
    }

    /// The first known AWS service whose public addresses contain `address`.
    @inlinable @inline(__always)
    public func service(containing address: UInt32) -> UInt32 {
        var best = noIndex
        for entry in serviceRanges where entry.cidr.contains(address) && entry.service < best { best = entry.service }
        return best
    }

    /// Whether service `service` answers on `address`.
    @inlinable @inline(__always)
    public func service(_ service: UInt32, answersOn address: UInt32) -> Bool {
        guard service != noIndex else { return false }
        for i in serviceAddresses[Int(service)].indices where serviceRanges[i].cidr.contains(address) { return true }
        return false
    }

    /// Whether `address` is in one of VPC `vpc`'s CIDR blocks.
    @inlinable @inline(__always)
    public func isInVPCCIDRs(_ address: UInt32, vpc: UInt32) -> Bool {
        guard vpc != noIndex else { return false }
        for i in vpcs[Int(vpc)].cidrs.indices where vpcCIDRs[i].contains(address) { return true }
        return false
    }

    /// Whether `address` is in prefix list `list` (an unknown list, `noIndex`, holds nothing).
    @inlinable @inline(__always)
    public func prefixList(_ list: UInt32, contains address: UInt32) -> Bool {
        guard list != noIndex else { return false }
        for i in prefixLists[Int(list)].indices where prefixListCIDRs[i].contains(address) { return true }
        return false
    }

    /// Whether `address` is a private IP of an interface carrying security group `group`.
    @inlinable @inline(__always)
    public func group(_ group: UInt32, hasMember address: UInt32) -> Bool {
        guard group != noIndex else { return false }
        return Self.sorted(groupMembers, securityGroups[Int(group)].members, contains: address)
    }

    @inlinable @inline(__always)
    func lowerBound<T: Comparable>(_ keys: [T], _ key: T) -> Int {
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) >> 1
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// A half-open range of indices into one of the DataPlane's pools.
public struct Range32: Sendable, Hashable {
    public var lower: UInt32
    public var upper: UInt32
    public init(_ lower: Int, _ upper: Int) { self.lower = UInt32(lower); self.upper = UInt32(upper) }
    public static let empty = Range32(0, 0)
    public var indices: Range<Int> { Int(lower)..<Int(upper) }
    public var isEmpty: Bool { lower == upper }
}

/// A CIDR as network and mask, for one AND and one compare per test.
public struct CompiledCIDR: Sendable, Hashable {
    public var network: UInt32
    public var mask: UInt32
    public init(_ cidr: CIDR) { network = cidr.network.value; mask = cidr.mask }
    @inlinable public func contains(_ address: UInt32) -> Bool { address & mask == network }
}

public struct CompiledInterface: Sendable {
    public enum Owner: UInt8, Sendable { case none, workload, natGateway, endpoint, loadBalancer }
    public var subnet: UInt32
    public var vpc: UInt32
    public var addresses: Range32
    /// The primary private IP (valid when `addresses` is not empty).
    public var primaryIP: UInt32
    public var publicIP: UInt32
    public var hasPublicIP: Bool
    public var groups: Range32
    public var sourceDestCheck: Bool
    public var owner: Owner
    public var ownerIndex: UInt32
}

public struct CompiledSubnet: Sendable {
    public var vpc: UInt32
    /// Explicit association if that table exists, else the VPC's first main table, else noIndex.
    public var routeTable: UInt32
    /// Explicit association if that ACL exists, else the VPC's first default ACL; noIndex = allow all.
    public var networkACL: UInt32
    public var zone: UInt32
}

public struct CompiledVPC: Sendable {
    public var cidrs: Range32
    /// The attached internet gateway (first in array order), or noIndex.
    public var internetGateway: UInt32
}

public struct CompiledRouteTable: Sendable {
    public var vpc: UInt32
    /// Global indices into `routes`; the trie stores `index - routes.lower`.
    public var routes: Range32
}

public struct CompiledRoute: Sendable {
    public enum Target: UInt8, Sendable {
        case local, internetGateway, natGateway, networkInterface, gatewayEndpoint, peering, transitGateway, vpnGateway
        /// An explicit blackhole, or a target id that names nothing in the network.
        case blackhole
    }
    public var target: Target
    public var targetIndex: UInt32
    public var isBlackhole: Bool
    /// Index of the route in the model's `routes` array of its table; noIndex for a route the
    /// table learns from a virtual private gateway (then `propagated` says which prefix).
    public var modelIndex: UInt32
    public var propagated: CompiledCIDR = CompiledCIDR(.any)
}

public struct CompiledNATGateway: Sendable {
    public var subnet: UInt32
    public var interface: UInt32
    public var privateIP: UInt32
    public var isPublic: Bool
}

public struct CompiledEndpoint: Sendable {
    public var vpc: UInt32
    public var isGateway: Bool
    /// The service of that name in the VPC's region, else the first of that name; noIndex if none.
    public var service: UInt32
}

public struct CompiledTransitGateway: Sendable {
    /// Global indices into `tgwAttachments` and `tgwRouteTables`.
    public var attachments: Range32
    public var routeTables: Range32
    public var securityGroupReferencing: Bool
}

public struct CompiledTGWAttachment: Sendable {
    public enum Kind: UInt8, Sendable { case vpc, vpn, directConnect, peering }
    public var gateway: UInt32
    public var kind: Kind
    /// The VPC, VPN connection, Direct Connect gateway or peer transit gateway; noIndex when gone.
    public var resource: UInt32
    /// Indices into `tgwAttachmentSubnets` (subnet indices, model order).
    public var subnets: Range32
    public var applianceMode: Bool
    /// The associated route table (global index into `tgwRouteTables`), or noIndex.
    public var routeTable: UInt32
    /// Index in the model's `attachments` of its gateway.
    public var modelIndex: UInt32
}

public struct CompiledTGWRouteTable: Sendable {
    /// Trie table of its routes.
    public var trie: UInt32
    /// Global indices into `tgwRoutes`; the trie stores `index - routes.lower`.
    public var routes: Range32
    public var modelIndex: UInt32
}

public struct CompiledTGWRoute: Sendable {
    /// The target attachment (global index), or noIndex: a blackhole or a gone attachment.
    public var attachment: UInt32
    /// Index in the model table's `routes`, or noIndex for a propagated route.
    public var modelRoute: UInt32
    /// For a propagated route: the prefix and the attachment that propagated it.
    public var propagated: CompiledCIDR
}

public struct CompiledVPNConnection: Sendable {
    public var toTransitGateway: Bool
    /// The virtual private gateway or transit gateway; noIndex when gone.
    public var gateway: UInt32
    /// On a transit gateway: its attachment for this connection (global), or noIndex.
    public var attachment: UInt32
}

public struct CompiledDirectConnectGateway: Sendable {
    /// Indices into `directConnectMembers`.
    public var vpnGateways: Range32
    public var transitGateways: Range32
}

public struct CompiledOnPremNetwork: Sendable {
    public var cidrs: Range32
    public var edgeIsVPN: Bool
    /// VPN connection or Direct Connect gateway index; noIndex when gone.
    public var edge: UInt32
}

public struct CompiledLoadBalancer: Sendable {
    public var listeners: Range32
}

public struct CompiledListener: Sendable {
    public var port: UInt16
    public var acceptsTCP: Bool
    public var acceptsUDP: Bool
    public var targetGroup: UInt32
    public var modelIndex: UInt32

    @inlinable public func accepts(ipProtocol: UInt8, port: UInt16) -> Bool {
        port == self.port && ((ipProtocol == 6 && acceptsTCP) || (ipProtocol == 17 && acceptsUDP))
    }
}

public struct CompiledSecurityGroup: Sendable {
    public var ingress: Range32
    public var egress: Range32
    public var members: Range32
}

public struct CompiledSecurityGroupRule: Sendable {
    public enum Peer: UInt8, Sendable { case cidr, prefixList, group }
    /// -1 for all protocols.
    public var ipProtocol: Int16
    public var portLower: UInt16
    public var portUpper: UInt16
    public var icmpType: Int16
    public var icmpCode: Int16
    public var peer: Peer
    public var cidr: CompiledCIDR
    /// Prefix list or group index; noIndex when the reference names nothing (matches nothing).
    public var peerIndex: UInt32
    /// Index of the rule in its group's model array (ingress or egress).
    public var modelIndex: UInt32
}

public struct CompiledNetworkACL: Sendable {
    /// Sorted by rule number.
    public var ingress: Range32
    public var egress: Range32
}

public struct CompiledACLEntry: Sendable {
    public var ipProtocol: Int16
    public var portLower: UInt16
    public var portUpper: UInt16
    public var icmpType: Int16
    public var icmpCode: Int16
    public var cidr: CompiledCIDR
    public var allow: Bool
    public var ruleNumber: Int32
    public var modelIndex: UInt32
}

/// Protocol/port matching shared by SG rules and ACL entries (docs/semantics.md §3).
@inlinable
func protocolMatches(ruleProtocol: Int16, portLower: UInt16, portUpper: UInt16, icmpType: Int16, icmpCode: Int16,
                     packet: Packet) -> Bool {
    if ruleProtocol == -1 { return true }
    guard ruleProtocol == Int16(packet.ipProtocol) else { return false }
    switch packet.ipProtocol {
    case 6, 17: return portLower <= packet.destinationPort && packet.destinationPort <= portUpper
    case 1: return (icmpType == -1 || icmpType == Int16(packet.icmpType)) && (icmpCode == -1 || icmpCode == Int16(packet.icmpCode))
    default: return true
    }
}

/// The one route-lookup API the Evaluator uses: (route table, destination) → route. Backed by
/// `RouteTrieSet` (range tables for small tables, Poptries for large ones); a table's compiled
/// form holds route indices local to that table.
public struct RouteLookup: Sendable {
    public let tries: RouteTrieSet

    init(tables: [[ResolvedPrefix]]) { tries = RouteTrieSet(tables) }

    /// Table-local index of the winning route, or nil.
    @inlinable
    public func route(table: UInt32, destination: UInt32) -> UInt32? {
        let value = tries.lookup(table: table, address: destination)
        return value == RouteTrie.noRoute ? nil : value
    }
}
