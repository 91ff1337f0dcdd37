/// Linear-scan longest-prefix match: the obviously-correct reference for tests and the
/// benchmark baseline. Same semantics as `RouteTrie`: the longest matching prefix wins; among
/// duplicates of one (prefix, length) the first in the array wins; no match is `RouteTrie.noRoute`.
public struct LinearRouteTable: Sendable {
    @usableFromInline let prefixes: [UInt32]
    @usableFromInline let masks: [UInt32]
    @usableFromInline let lengths: [UInt8]
    @usableFromInline let values: [UInt32]

    public init(_ prefixes: [ResolvedPrefix]) {
        self.masks = prefixes.map { PrefixMath.mask($0.length) }
        self.prefixes = zip(prefixes, masks).map { $0.prefix & $1 }
        self.lengths = prefixes.map { PrefixMath.clampedLength($0.length) }
        self.values = prefixes.map(\.value)
    }

    public var count: Int { prefixes.count }

    /// Value of the longest matching prefix, or `RouteTrie.noRoute`.
    @inlinable
    public func lookup(_ address: UInt32) -> UInt32 {
        var best = RouteTrie.noRoute
        var bestLength = -1
        for i in prefixes.indices where address & masks[i] == prefixes[i] && Int(lengths[i]) > bestLength {
            bestLength = Int(lengths[i])
            best = values[i]
        }
        return best
    }
}
