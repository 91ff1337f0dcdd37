import VPCModel

/// A what-if change applied to a network before checks run: a pure `Network → Network` transformation.
public struct Fault: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A NAT gateway, VPC endpoint, internet gateway, peering connection or transit gateway, by name or id.
        case remove(Located<String>)
        /// Everything running in one Availability Zone is gone.
        case azOutage(Located<String>)
        /// One route of a table removed or blackholed.
        case route(RouteFault)
        /// Security-group rules removed.
        case securityGroupRule(SecurityGroupRuleFault)
    }

    public var kind: Kind
    /// Where the fault was written (its list item).
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) { self.kind = kind; self.location = location }

    /// The fault as a scenario file spells it, e.g. `az-outage us-east-1a`; also the key that identifies
    /// what it does (two faults with the same description are the same change).
    public var description: String {
        switch kind {
        case .remove(let name): return "remove \(name.value)"
        case .azOutage(let zone): return "az-outage \(zone.value)"
        case .route(let route): return "route \(route.table.value) \(route.destination.value) \(route.action.rawValue)"
        case .securityGroupRule(let rule): return "sg-rule \(rule)"
        }
    }
}

public struct RouteFault: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// The route is deleted: traffic falls through to the next most specific route.
        case remove
        /// The route stays but drops traffic, as AWS shows a route whose target is gone.
        case blackhole
    }

    /// Route table name or id.
    public var table: Located<String>
    /// A CIDR, or a prefix list id or name.
    public var destination: Located<String>
    public var action: Action

    public init(table: Located<String>, destination: Located<String>, action: Action) {
        self.table = table; self.destination = destination; self.action = action
    }
}

public struct SecurityGroupRuleFault: Sendable, Hashable, CustomStringConvertible {
    public enum Direction: String, Sendable, Hashable, CaseIterable { case ingress, egress }

    public enum Peer: Sendable, Hashable {
        case cidr(CIDR)
        /// A security group name or id.
        case securityGroup(Located<String>)
        /// A prefix list name or id.
        case prefixList(Located<String>)
    }

    /// Security group name or id.
    public var group: Located<String>
    public var direction: Direction
    /// The rule's position in the group's list for that direction, from 0; nil: select by the matchers.
    public var index: Located<Int>?
    /// Matchers: a rule is removed when every given one matches it.
    public var ipProtocol: IPProtocol?
    public var ports: PortRange?
    public var peer: Peer?

    public init(group: Located<String>, direction: Direction, index: Located<Int>? = nil,
                ipProtocol: IPProtocol? = nil, ports: PortRange? = nil, peer: Peer? = nil) {
        self.group = group; self.direction = direction; self.index = index
        self.ipProtocol = ipProtocol; self.ports = ports; self.peer = peer
    }

    public var description: String {
        var parts = [group.value, direction.rawValue]
        if let index { parts.append("#\(index.value)") }
        if let ipProtocol { parts.append(ipProtocol.name) }
        if let ports { parts.append("ports \(ports)") }
        switch peer {
        case .cidr(let cidr)?: parts.append(cidr.description)
        case .securityGroup(let name)?: parts.append("group \(name.value)")
        case .prefixList(let name)?: parts.append("prefix list \(name.value)")
        case nil: break
        }
        return parts.joined(separator: " ")
    }
}
