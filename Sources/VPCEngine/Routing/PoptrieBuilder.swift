/// Compiles route tables into Poptrie arrays, or small ones into range tables (see PoptrieCore.swift
/// for both layouts).
///
/// One recursive pass per table over its prefixes sorted by (network, length): in that order a
/// prefix comes before every prefix it contains, and the prefixes inside any aligned block are
/// contiguous. So a node paints its 64 slots with its short prefixes (length <= offset + 6) in
/// array order — a containing prefix is painted first, then overwritten by the ones it contains,
/// which is longest-match — and hands each run of longer prefixes to a child. Children are built
/// first (post-order), so a child whose 64 slots all hold one value collapses into a leaf of its
/// parent, a node's children can be appended contiguously as `base1` requires, and a block of
/// leaves or children equal to one already stored is reused (hash-consing).
/// Cost: O(prefixes x levels + nodes x 64); 0.1-0.4 s for 800k prefixes.
struct PoptrieBuilder {
    private(set) var direct: [UInt32] = []
    private(set) var nodes: [PoptrieNode]
    private(set) var leaves: [UInt32] = [0]
    /// Range tables (see `addRangeTable`): per table, a chunk summary, range starts, values.
    private(set) var ranges: [UInt32] = []
    /// Distinct values of every table; index 0 is "no route".
    private(set) var values: [UInt32] = [RouteTrie.noRoute]
    private var valueIndex: [UInt32: UInt32] = [RouteTrie.noRoute: 0]
    private var leafBlocks: [[UInt32]: UInt32] = [:]
    private var childBlocks: [[PoptrieNode]: UInt32] = [:]

    // The table being compiled: normalized prefixes and their value indices.
    private var prefix: [UInt32] = []
    private var length: [UInt8] = []
    private var local: [UInt32] = []

    /// Per-depth scratch: slot values and built children of the node being compiled at each depth.
    private static let maxDepth = 7
    private var slotValue = [UInt32](repeating: 0, count: 64 * maxDepth)
    private var childNode = [PoptrieNode](repeating: .sentinel, count: 64 * maxDepth)

    /// Largest accepted direct-array width (64 MiB of entries).
    static let maxTopLevelBits = 24

    /// Direct-array width for a table of `count` distinct prefixes: none for small tables (AWS
    /// tables are small and numerous, and a 0-bit top level keeps one to a few hundred bytes), 16
    /// bits once the array is small next to the nodes, 18 for Internet-scale tables as in the paper.
    static func automaticTopLevelBits(prefixCount count: Int) -> Int {
        if count <= 2_048 { return 0 }
        if count <= 100_000 { return 16 }
        return 18
    }

    /// An arena for `tableCount` tables: node 0 is the sentinel, nodes 1...tableCount the roots.
    init(tableCount: Int) {
        nodes = [PoptrieNode](repeating: .sentinel, count: 1 + tableCount)
    }

    /// Masks host bits, clamps lengths, sorts by (network, length) and keeps the first of duplicates.
    static func normalize(_ input: [ResolvedPrefix]) -> [ResolvedPrefix] {
        var keyed = [(key: UInt64, index: Int)]()
        keyed.reserveCapacity(input.count)
        for (i, p) in input.enumerated() {
            let len = PrefixMath.clampedLength(p.length)
            let net = p.prefix & PrefixMath.mask(len)
            keyed.append((UInt64(net) << 8 | UInt64(len), i))
        }
        keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
        var out = [ResolvedPrefix]()
        out.reserveCapacity(keyed.count)
        var last: UInt64 = .max
        for (key, i) in keyed where key != last {
            last = key
            out.append(ResolvedPrefix(prefix: UInt32(truncatingIfNeeded: key >> 8), length: UInt8(truncatingIfNeeded: key), value: input[i].value))
        }
        return out
    }

    /// Compiles table `table` (its root goes to nodes[1 + table]) from normalized prefixes.
    mutating func addTable(_ table: Int, normalized prefixes: [ResolvedPrefix], topLevelBits s: Int) {
        let s = min(max(s, 0), Self.maxTopLevelBits)
        prefix.removeAll(keepingCapacity: true)
        length.removeAll(keepingCapacity: true)
        local.removeAll(keepingCapacity: true)
        for p in prefixes {
            prefix.append(p.prefix)
            length.append(p.length)
            local.append(index(of: p.value))
        }
        let n = prefix.count
        if s == 0 {
            // Root node at offset 0; a /0 (first after sorting) is inherited by every slot.
            let first = n > 0 && length[0] == 0 ? 1 : 0
            let inherited = first == 1 ? local[0] : 0
            switch first < n ? buildNode(offset: 0, lo: first, hi: n, inherited: inherited, depth: 0) : .leaf(inherited) {
            case .node(let node):
                nodes[1 + table] = node
            case .leaf(let v):
                nodes[1 + table] = PoptrieNode(leafvec: 1, vector: 0, base0: store(leaves: [v]), base1: 0)
            }
            return
        }
        // Direct array: paint the short prefixes, build a node for each run of longer ones.
        let directBase = direct.count
        nodes[1 + table] = .directMarker(direct: UInt32(truncatingIfNeeded: directBase), bits: UInt32(s))
        direct.append(contentsOf: repeatElement(poptrieLeafFlag, count: 1 << s))
        var i = 0
        while i < n {
            let slot = Int(truncatingIfNeeded: UInt64(prefix[i]) >> UInt64(32 - s))
            let len = Int(length[i])
            if len <= s {
                let entry = poptrieLeafFlag | local[i]
                for x in slot..<(slot + (1 << (s - len))) { direct[directBase + x] = entry }
                i += 1
            } else {
                var end = i + 1
                while end < n, Int(truncatingIfNeeded: UInt64(prefix[end]) >> UInt64(32 - s)) == slot { end += 1 }
                let inherited = direct[directBase + slot] & ~poptrieLeafFlag
                switch buildNode(offset: s, lo: i, hi: end, inherited: inherited, depth: 0) {
                case .leaf(let v):
                    direct[directBase + slot] = poptrieLeafFlag | v
                case .node(let node):
                    direct[directBase + slot] = UInt32(truncatingIfNeeded: nodes.count)
                    nodes.append(node)
                }
                i = end
            }
        }
    }

    /// Largest number of ranges a range table can hold: 8 chunks of 8, so one 8-wide summary.
    static let maxRanges = 64

    /// Compiles table `table` as a range table when its prefixes cut the address space into at
    /// most `maxRanges` ranges of one value each, and returns false, adding nothing, otherwise.
    ///
    /// Layout at `ranges[o...]` (o a multiple of 16, so 64-byte aligned), for n ranges in C =
    /// ceil(n / 8) chunks of 8: a summary of 8 (the first start of each chunk, padded with
    /// UInt32.max), the 8C range starts ascending from 0 (padded with UInt32.max), then their 8C
    /// values (padded with the last one; the values themselves, not indices into `values`: one
    /// dependent load less). An address a is in chunk k - 1 where k = count(summary <= a), and in
    /// range 8(k - 1) + j - 1 where j = count(chunk starts <= a): two 8-wide compares, whatever n
    /// (a padding start is <= a only for a == UInt32.max: k is capped at C, and in the last chunk
    /// the padding values repeat the last one). The root becomes a marker node like a direct-array
    /// root, with base0 = o and base1 = `poptrieRangeFlag | C`.
    mutating func addRangeTable(_ table: Int, normalized prefixes: [ResolvedPrefix]) -> Bool {
        var starts: [UInt32] = [0]
        var values: [UInt32] = [RouteTrie.noRoute]
        func emit(_ at: UInt64, _ value: UInt32) {
            guard at <= UInt64(UInt32.max) else { return }
            let a = UInt32(truncatingIfNeeded: at)
            if starts.last == a {
                values[values.count - 1] = value
                if values.count >= 2, values[values.count - 2] == value {
                    starts.removeLast()
                    values.removeLast()
                }
            } else if values.last != value {
                starts.append(a)
                values.append(value)
            }
        }
        // Sorted by (network, length), a prefix follows every prefix containing it: a stack of
        // the open prefixes gives, at each boundary, the value of the innermost one still open.
        var open: [(last: UInt64, value: UInt32)] = []
        for p in prefixes {
            let first = UInt64(p.prefix)
            while let top = open.last, top.last < first {
                open.removeLast()
                emit(top.last + 1, open.last?.value ?? RouteTrie.noRoute)
            }
            // Every emit at one address leaves at most one start more than the final count (the
            // next emit there may merge it away), so only a count above the limit + 1 is final.
            if starts.count > Self.maxRanges + 1 { return false }
            emit(first, p.value)
            open.append((first + (UInt64(1) << UInt64(32 - Int(p.length))) - 1, p.value))
        }
        while let top = open.popLast() { emit(top.last + 1, open.last?.value ?? RouteTrie.noRoute) }
        guard starts.count <= Self.maxRanges else { return false }
        let chunks = (starts.count + 7) / 8
        let padded = chunks * 8
        let offset = ranges.count
        ranges += stride(from: 0, to: padded, by: 8).map { starts[$0] }
        ranges += repeatElement(UInt32.max, count: 8 - chunks)
        ranges += starts
        ranges += repeatElement(UInt32.max, count: padded - starts.count)
        ranges += values
        ranges += repeatElement(values[values.count - 1], count: padded - values.count)
        ranges += repeatElement(0, count: (16 - ranges.count % 16) % 16)  // next table 64-byte aligned
        nodes[1 + table] = PoptrieNode(leafvec: 0, vector: 0, base0: UInt32(truncatingIfNeeded: offset),
                                       base1: poptrieRangeFlag | UInt32(truncatingIfNeeded: chunks))
        return true
    }

    /// Makes table `table` an alias of the already compiled table `other` (identical routes).
    mutating func share(_ table: Int, with other: Int) {
        nodes[1 + table] = nodes[1 + other]
    }

    /// Index of `value` in the shared values array (added on first use).
    private mutating func index(of value: UInt32) -> UInt32 {
        if let i = valueIndex[value] { return i }
        let i = UInt32(truncatingIfNeeded: values.count)
        valueIndex[value] = i
        values.append(value)
        return i
    }

    /// Where a block of leaves equal to `block` is stored, appending it if new.
    private mutating func store(leaves block: [UInt32]) -> UInt32 {
        if let at = leafBlocks[block] { return at }
        let at = UInt32(truncatingIfNeeded: leaves.count)
        leaves.append(contentsOf: block)
        leafBlocks[block] = at
        return at
    }

    /// Where a block of sibling nodes equal to `block` is stored, appending it if new.
    private mutating func store(children block: [PoptrieNode]) -> UInt32 {
        if let at = childBlocks[block] { return at }
        let at = UInt32(truncatingIfNeeded: nodes.count)
        nodes.append(contentsOf: block)
        childBlocks[block] = at
        return at
    }

    private enum Entry {
        case leaf(UInt32)
        case node(PoptrieNode)
    }

    /// Compiles the block whose first `offset` bits are fixed. prefix[lo..<hi] are exactly the
    /// prefixes longer than `offset` inside it; `inherited` is the value of the longest shorter one.
    private mutating func buildNode(offset: Int, lo: Int, hi: Int, inherited: UInt32, depth: Int) -> Entry {
        let base = depth * 64
        for j in 0..<64 { slotValue[base + j] = inherited }
        var vector: UInt64 = 0
        // The slot of an address at this node: address bits offset..<offset+6, zero-padded past 32.
        func slot(_ p: UInt32) -> Int { Int(truncatingIfNeeded: (UInt64(p) << UInt64(32 + offset)) >> 58) }
        var i = lo
        while i < hi {
            let j = slot(prefix[i])
            let len = Int(length[i])
            if len <= offset + 6 {
                let v = local[i]
                for x in j..<(j + (1 << (offset + 6 - len))) { slotValue[base + x] = v }
                i += 1
            } else {
                // Short prefixes of this slot start at the slot's first address with a smaller
                // length, so they sort before its long ones: the run from i is all long.
                var end = i + 1
                while end < hi, slot(prefix[end]) == j { end += 1 }
                switch buildNode(offset: offset + 6, lo: i, hi: end, inherited: slotValue[base + j], depth: depth + 1) {
                case .leaf(let v):
                    slotValue[base + j] = v
                case .node(let node):
                    vector |= 1 << UInt64(j)
                    childNode[base + j] = node
                }
                i = end
            }
        }
        var leafvec: UInt64 = 0
        var block: [UInt32] = []
        for j in 0..<64 where vector & (1 << UInt64(j)) == 0 {
            let v = slotValue[base + j]
            if block.last != v {
                leafvec |= 1 << UInt64(j)
                block.append(v)
            }
        }
        if vector == 0, block.count == 1 { return .leaf(block[0]) }
        var children: [PoptrieNode] = []
        children.reserveCapacity(vector.nonzeroBitCount)
        for j in 0..<64 where vector & (1 << UInt64(j)) != 0 { children.append(childNode[base + j]) }
        return .node(PoptrieNode(
            leafvec: leafvec, vector: vector,
            base0: block.isEmpty ? 0 : store(leaves: block),
            base1: children.isEmpty ? 0 : store(children: children)))
    }
}
