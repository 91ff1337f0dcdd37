/// Where a route came from. At equal prefix and length AWS prefers a static CIDR route, then a
/// prefix-list route, then a propagated one; the raw values are ordered so that lower wins.
/// https://docs.aws.amazon.com/vpc/latest/userguide/route-tables.html#route-tables-priority
public enum RouteOrigin: UInt8, Sendable, Comparable {
    case staticCIDR = 0
    case prefixList = 1
    case propagated = 2
    /// Transit gateway and VGW propagations below the VPC's own: Direct Connect, then a VPN's static
    /// routes, then its BGP prefixes. https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html
    case propagatedDirectConnect = 3
    case propagatedVPNStatic = 4
    case propagatedVPNBGP = 5

    public static func < (lhs: RouteOrigin, rhs: RouteOrigin) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One route of a table before priority resolution. A prefix-list route is expanded by the caller
/// into one candidate per CIDR entry, all with origin `.prefixList` and the same `value`.
public struct RouteCandidate: Sendable, Hashable {
    /// Network address in host order (10.0.0.0 == 0x0A00_0000); bits beyond `length` are ignored.
    public var prefix: UInt32
    /// Prefix length 0...32; larger values are treated as 32.
    public var length: UInt8
    public var origin: RouteOrigin
    /// The caller's route index: what a lookup returns.
    public var value: UInt32

    public init(prefix: UInt32, length: UInt8, origin: RouteOrigin, value: UInt32) {
        self.prefix = prefix
        self.length = length
        self.origin = origin
        self.value = value
    }
}

/// A prefix with the route that won it: the input of `RouteTrie` and `LinearRouteTable`.
public struct ResolvedPrefix: Sendable, Hashable {
    /// Network address in host order; bits beyond `length` are ignored (masked when compiled).
    public var prefix: UInt32
    /// Prefix length 0...32; larger values are treated as 32.
    public var length: UInt8
    /// The caller's route index; `RouteTrie.noRoute` (UInt32.max) means "no route" here.
    public var value: UInt32

    public init(prefix: UInt32, length: UInt8, value: UInt32) {
        self.prefix = prefix
        self.length = length
        self.value = value
    }
}

/// Mask helpers shared by the resolver, the reference table and the trie builder.
@usableFromInline
enum PrefixMath {
    /// Lengths above 32 are treated as 32 so that malformed input cannot trap or shift out of range.
    @inlinable @inline(__always)
    static func clampedLength(_ length: UInt8) -> UInt8 { length > 32 ? 32 : length }

    /// Netmask of a length 0...32 (0 for /0, all ones for /32).
    @inlinable @inline(__always)
    static func mask(_ length: UInt8) -> UInt32 {
        UInt32(truncatingIfNeeded: UInt64(0xFFFF_FFFF) &<< UInt64(32 &- clampedLength(length)))
    }
}

/// AWS route priority for one route table, independent of the network model.
public enum RoutePriority {
    /// Longest prefix first; at equal prefix and length: static CIDR > prefix-list > propagated;
    /// remaining ties: the lowest value (first declared) wins. Deterministic output order (prefix, length).
    ///
    /// The longest-prefix part happens at lookup time (`RouteTrie`); this keeps one route per
    /// (prefix, length), which is all a lookup structure needs.
    public static func resolve(_ candidates: [RouteCandidate]) -> [ResolvedPrefix] {
        var sorted = candidates.map { candidate -> RouteCandidate in
            var c = candidate
            c.length = PrefixMath.clampedLength(c.length)
            c.prefix &= PrefixMath.mask(c.length)
            return c
        }
        sorted.sort { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            if a.length != b.length { return a.length < b.length }
            if a.origin != b.origin { return a.origin < b.origin }
            return a.value < b.value
        }
        var out: [ResolvedPrefix] = []
        out.reserveCapacity(sorted.count)
        for c in sorted {
            if let last = out.last, last.prefix == c.prefix, last.length == c.length { continue }
            out.append(ResolvedPrefix(prefix: c.prefix, length: c.length, value: c.value))
        }
        return out
    }
}
