/// Compiles route tables into Poptrie arrays (see PoptrieCore.swift for the layout).
///
/// One recursive pass per table over its prefixes sorted by (network, length): in that order a
/// prefix comes before every prefix it contains, and the prefixes inside any aligned block are
/// contiguous. So a node paints its 64 slots with its short prefixes (length <= offset + 6) in
/// array order — a containing prefix is painted first, then overwritten by the ones it contains,
/// which is longest-match — and hands each run of longer prefixes to a child. Children are built
/// first (post-order) so a child whose 64 slots all hold one value collapses into a leaf of its
/// parent, and a node's children can then be appended contiguously, as `base1` requires.
/// Cost: O(prefixes x levels + nodes x 64), about a second for 800k prefixes.
struct PoptrieBuilder {
    private(set) var direct: [UInt32] = []
    private(set) var nodes: [PoptrieNode] = [.sentinel]
    private(set) var leaves: [UInt32] = [0]
    private(set) var values: [UInt32] = []
    /// Largest table-local value index so far: decides 16- or 32-bit leaves.
    private(set) var maxLocalValue: UInt32 = 0

    // The table being compiled: normalized prefixes and their table-local value indices.
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

    /// Compiles one table whose prefixes are already normalized; returns where it lives.
    mutating func addTable(normalized table: [ResolvedPrefix], topLevelBits s: Int) -> PoptrieRoot {
        let s = min(max(s, 0), Self.maxTopLevelBits)
        // Table-local value indices; 0 is "no route" (and so is a caller's value of noRoute).
        let valueBase = UInt32(truncatingIfNeeded: values.count)
        values.append(RouteTrie.noRoute)
        var indexOf: [UInt32: UInt32] = [RouteTrie.noRoute: 0]
        prefix.removeAll(keepingCapacity: true)
        length.removeAll(keepingCapacity: true)
        local.removeAll(keepingCapacity: true)
        for p in table {
            prefix.append(p.prefix)
            length.append(p.length)
            if let i = indexOf[p.value] {
                local.append(i)
            } else {
                let i = UInt32(truncatingIfNeeded: indexOf.count)
                indexOf[p.value] = i
                values.append(p.value)
                local.append(i)
            }
        }
        maxLocalValue = max(maxLocalValue, UInt32(truncatingIfNeeded: indexOf.count - 1))

        // Direct array: paint the short prefixes, build a node for each run of longer ones.
        let directBase = direct.count
        direct.append(contentsOf: repeatElement(poptrieLeafFlag, count: 1 << s))
        var i = 0
        let n = prefix.count
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
        return PoptrieRoot(directBase: UInt32(truncatingIfNeeded: directBase), topBits: UInt32(s), valueBase: valueBase)
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
        let base0 = leaves.count
        var previous: UInt32? = nil
        for j in 0..<64 where vector & (1 << UInt64(j)) == 0 {
            let v = slotValue[base + j]
            if v != previous {
                leafvec |= 1 << UInt64(j)
                leaves.append(v)
                previous = v
            }
        }
        if vector == 0, leafvec.nonzeroBitCount == 1, let v = previous {
            leaves.removeLast()
            return .leaf(v)
        }
        let base1 = nodes.count
        for j in 0..<64 where vector & (1 << UInt64(j)) != 0 {
            nodes.append(childNode[base + j])
        }
        return .node(PoptrieNode(
            leafvec: leafvec, vector: vector,
            base0: UInt32(truncatingIfNeeded: base0), base1: UInt32(truncatingIfNeeded: base1)))
    }
}
