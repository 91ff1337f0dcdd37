/// Many route tables compiled into one arena (node, leaf, value and range arrays) with a root per
/// table: what an evaluator wants for all route tables of a network, so that a lookup is (table,
/// address) with no per-table object. A table that cuts the address space into at most
/// `rangeTableLimit` ranges (most AWS tables) is a range table: two 8-wide compares instead of a
/// 3-5 level walk. Larger ones are Poptries. Identical tables are compiled once, and identical
/// subtrees of different tries are stored once — so prefer table-local values (the route's index
/// in its table, plus a per-table base added by the caller): tables that share routes then share
/// memory, and fewer distinct values keep leaves 16 bits wide.
///
/// `@unchecked Sendable`: written once in `init`, read-only afterwards, freed only in `deinit`.
public final class RouteTrieSet: @unchecked Sendable {
    @usableFromInline let arena: PoptrieArena
    @usableFromInline let count32: UInt32

    /// Number of tables (valid table indices are 0..<tableCount).
    public let tableCount: Int
    /// Number of distinct compiled tables after sharing identical ones.
    public let distinctTableCount: Int

    /// Largest number of ranges (address intervals of one value) for which a table is compiled as
    /// a range table rather than a trie when no `topLevelBits` is forced: 8 chunks of 8 starts,
    /// so that one 8-wide summary compare picks the chunk (`PoptrieBuilder.maxRanges`). On 10k
    /// AWS-like tables (Benchmarks, lpm-aws-*) it took random-order lookups from 94 to ~250 Mlps.
    public static let rangeTableLimit = PoptrieBuilder.maxRanges

    /// Number of distinct tables compiled as range tables (tables sharing one are counted once).
    public let rangeTableCount: Int

    /// Compiles `tables[i]` as table i (same rules as `RouteTrie.init`). `topLevelBits` forces a
    /// Poptrie with that top level for every table; nil picks per table: a range table when its
    /// prefixes make at most `rangeTableLimit` ranges, else a Poptrie whose top level suits its size.
    public init(_ tables: [[ResolvedPrefix]], topLevelBits: Int? = nil) {
        var builder = PoptrieBuilder(tableCount: tables.count)
        var shared: [[ResolvedPrefix]: Int] = [:]
        var rangeTables = 0
        for (i, prefixes) in tables.enumerated() {
            let table = PoptrieBuilder.normalize(prefixes)
            if let first = shared[table] {
                builder.share(i, with: first)
            } else if topLevelBits == nil, builder.addRangeTable(i, normalized: table) {
                shared[table] = i
                rangeTables += 1
            } else {
                let s = topLevelBits ?? PoptrieBuilder.automaticTopLevelBits(prefixCount: table.count)
                builder.addTable(i, normalized: table, topLevelBits: s)
                shared[table] = i
            }
        }
        self.arena = PoptrieArena(builder)
        self.tableCount = tables.count
        self.count32 = UInt32(truncatingIfNeeded: tables.count)
        self.distinctTableCount = shared.count
        self.rangeTableCount = rangeTables
    }

    deinit { arena.deallocate() }

    /// Bytes of compiled storage (a 24-byte root node per table included).
    public var memoryBytes: Int { arena.byteCount }

    /// Value of the longest prefix of table `table` matching `address`, or `RouteTrie.noRoute`.
    /// `table` must be < `tableCount` (checked: a bad index is a caller bug, not a missing route).
    @inlinable
    public func lookup(table: UInt32, address: UInt32) -> UInt32 {
        precondition(table < count32, "RouteTrieSet: table index out of range")
        return arena.lookup(rootIndex: 1 &+ Int(table), address)
    }

    /// results[i] = lookup(table: tables[i], address: addresses[i]); all three counts must be equal.
    @inlinable
    public func lookup(tables: UnsafeBufferPointer<UInt32>, addresses: UnsafeBufferPointer<UInt32>,
                       into results: UnsafeMutableBufferPointer<UInt32>) {
        precondition(tables.count == addresses.count && results.count == addresses.count,
                     "RouteTrieSet.lookup: buffer counts differ")
        guard let t = tables.baseAddress, let a = addresses.baseAddress, let r = results.baseAddress else { return }
        let arena = self.arena, n = count32
        for i in 0..<addresses.count {
            let table = t[i]
            precondition(table < n, "RouteTrieSet: table index out of range")
            r[i] = arena.lookup(rootIndex: 1 &+ Int(table), a[i])
        }
    }

    /// Same results as `lookup(tables:addresses:into:)`, `RouteTrie.interleave` keys at a time in
    /// lock step. For independent keys the plain loop is faster (the core already overlaps range
    /// tables' loads: 10k AWS-like tables, 247 vs 157 Mlps); this form is for dependent lookups,
    /// such as 16 flows each walking its path (lpm-aws-chain: 38 -> 122 Mlps).
    @inlinable
    public func lookupInterleaved(tables: UnsafeBufferPointer<UInt32>, addresses: UnsafeBufferPointer<UInt32>,
                                  into results: UnsafeMutableBufferPointer<UInt32>) {
        precondition(tables.count == addresses.count && results.count == addresses.count,
                     "RouteTrieSet.lookupInterleaved: buffer counts differ")
        guard let t = tables.baseAddress, let a = addresses.baseAddress, let r = results.baseAddress else { return }
        let arena = self.arena
        let g = RouteTrie.interleave
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: PoptrieArena.lockstepScratchPerLane * g) { scratch in
            guard let s = scratch.baseAddress else { return }
            var i = 0
            while i < addresses.count {
                let c = min(g, addresses.count - i)
                let lanes = PoptrieTableRoots(tableCount: count32, tables: t + i)
                arena.lookupLockstep(count: c, roots: lanes, addresses: a + i, results: r + i, scratch: s)
                i += c
            }
        }
    }

    /// Lane i of the result is `lookup(table: tables[i], address: addresses[i])`, all lanes in lock step.
    @inlinable
    public func lookupInterleaved<V: SIMD>(tables: V, addresses: V) -> V where V.Scalar == UInt32 {
        let n = V.scalarCount
        let arena = self.arena
        var out = V()
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: (3 + PoptrieArena.lockstepScratchPerLane) * n) { buf in
            guard let s = buf.baseAddress else { return }
            for l in 0..<n {
                s[l] = addresses[l]
                s[n + l] = tables[l]
            }
            let lanes = PoptrieTableRoots(tableCount: count32, tables: s + n)
            arena.lookupLockstep(count: n, roots: lanes, addresses: s, results: s + 2 * n, scratch: s + 3 * n)
            for l in 0..<n { out[l] = s[2 * n + l] }
        }
        return out
    }
}
