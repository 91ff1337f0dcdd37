/// Shares one compiled trie between identical route tables (many subnets use the main table).
/// Tables are compared after normalization (masked, sorted, duplicates resolved), so the same
/// routes in another order share a trie too. Not thread-safe by itself: use it while compiling.
public struct RouteTrieCache {
    private var tries: [[ResolvedPrefix]: RouteTrie] = [:]

    public init() {}

    /// Number of distinct compiled tries.
    public var count: Int { tries.count }

    /// The trie for `prefixes`, compiled on first request (automatic top-level width).
    public mutating func trie(for prefixes: [ResolvedPrefix]) -> RouteTrie {
        let key = PoptrieBuilder.normalize(prefixes)
        if let t = tries[key] { return t }
        let t = RouteTrie(key)
        tries[key] = t
        return t
    }
}
