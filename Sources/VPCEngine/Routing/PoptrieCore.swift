#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// Poptrie (Asai & Ohara, "Poptrie: A Compressed Trie with Population Count for Fast and Scalable
// Software IP Routing Table Lookup", SIGCOMM 2015), written from the paper.
//
// Layout. Table t starts at its root node, nodes[1 + t] (a fixed position, so a lookup needs no
// per-table header load). A node consumes 6 address bits: bit i of `vector` says slot i is an
// internal child; children are contiguous from `base1`, so the child of slot i is
// nodes[base1 + popcount(vector & mask(0...i)) - 1]. Slots that are leaves are run-length
// compressed: bit i of `leafvec` says a run of equal leaves starts at slot i (internal slots never
// start a run), and the leaf of slot i is leaves[base0 + popcount(leafvec & mask(0...i)) - 1].
// Past the 32 address bits the key is padded with zeros, so the last level repeats each leaf.
//
// A large table instead starts with a direct-indexed array of 2^s entries for its top s bits (the
// paper's "direct pointing"); its root slot then holds a marker node (leafvec == vector == 0, which
// no real node has) with base0 = first direct entry and base1 = s. A direct entry with the top bit
// set is a leaf (the low 31 bits are a value index), otherwise the index of a node at offset s.
//
// A small table of a `RouteTrieSet` may instead be a range table (PoptrieBuilder.addRangeTable):
// its sorted range starts are compared with the address 8 at a time (SIMD), and the number of
// starts <= address indexes its value. Its root is also a marker node, with base1 =
// `poptrieRangeFlag | chunks of 8`. Small AWS tables cut the address space into a few dozen
// ranges, so this is two dependent 32-byte loads (summary, chunk) compared in a few instructions,
// then the value, where the trie walk takes 3-5 dependent node loads (a VPC /16 and the /24s
// under it are 3-4 levels down).
//
// Leaves are indices into one values array shared by every table of the arena (values[0] is
// `RouteTrie.noRoute`): 16 bits when the arena has at most 65 536 distinct values (the common
// case: smaller and more cache-resident), else 32 bits. Identical leaf blocks and identical child
// blocks are stored once (hash-consing), which also shares whole subtrees between tables.
//
// Index 0 of the node and leaf arrays is a sentinel (a node whose every slot is leaf 0): the
// lock-step walk parks lanes that ended in a direct array there, so it needs no branch per lane.

/// One 64-way node: 24 bytes, plain data, read through raw pointers.
@usableFromInline
struct PoptrieNode: Sendable, Hashable {
    /// Bit i set: a run of equal leaves starts at slot i.
    @usableFromInline var leafvec: UInt64
    /// Bit i set: slot i is an internal node.
    @usableFromInline var vector: UInt64
    /// Index of this node's first leaf.
    @usableFromInline var base0: UInt32
    /// Index of this node's first child.
    @usableFromInline var base1: UInt32

    @inlinable
    init(leafvec: UInt64, vector: UInt64, base0: UInt32, base1: UInt32) {
        self.leafvec = leafvec
        self.vector = vector
        self.base0 = base0
        self.base1 = base1
    }

    /// Every slot resolves to leaf 0; the lock-step walk parks finished lanes here.
    @usableFromInline static let sentinel = PoptrieNode(leafvec: 1, vector: 0, base0: 0, base1: 0)

    /// Root of a table with a direct-indexed top level of `bits` bits starting at `direct`.
    static func directMarker(direct: UInt32, bits: UInt32) -> PoptrieNode {
        PoptrieNode(leafvec: 0, vector: 0, base0: direct, base1: bits)
    }

    /// True for `directMarker` nodes and range-table roots (a real node always has a leaf or a
    /// child); `poptrieRangeFlag` in base1 tells them apart.
    @inlinable @inline(__always)
    var isDirectMarker: Bool { leafvec | vector == 0 }

    /// True for the root of a range table.
    @inlinable @inline(__always)
    var isRangeMarker: Bool { isDirectMarker && base1 & poptrieRangeFlag != 0 }
}

/// Direct entries with this bit set are leaves.
@usableFromInline let poptrieLeafFlag: UInt32 = 0x8000_0000

/// Set in `base1` of a marker node whose table is a range table (a direct array's base1 is its
/// width, at most 24).
@usableFromInline let poptrieRangeFlag: UInt32 = 0x8000_0000

/// Raw storage of one or more compiled tables. Plain pointers so that the lookup has no ARC,
/// bounds checks or exclusivity checks; the owning class (`RouteTrie`, `RouteTrieSet`) frees it
/// in `deinit` and never mutates it after init.
@usableFromInline
struct PoptrieArena {
    @usableFromInline let direct: UnsafeMutablePointer<UInt32>
    @usableFromInline let nodes: UnsafeMutablePointer<PoptrieNode>
    /// 16- or 32-bit leaves, plus 4 bytes of padding so a 32-bit load of the last 16-bit leaf stays inside.
    @usableFromInline let leaves: UnsafeMutableRawPointer
    /// log2 of the leaf width in bytes (1 or 2).
    @usableFromInline let leafShift: Int
    /// 0xFFFF for 16-bit leaves, 0xFFFF_FFFF for 32-bit ones.
    @usableFromInline let leafMask: UInt32
    @usableFromInline let values: UnsafeMutablePointer<UInt32>
    /// Range tables: summaries, starts and values (see PoptrieBuilder.addRangeTable), 64-byte aligned.
    @usableFromInline let ranges: UnsafeMutablePointer<UInt32>
    let directCount: Int
    let rangeCount: Int
    let nodeCount: Int
    let leafCount: Int
    let valueCount: Int

    /// Copies a builder's arrays into aligned memory (huge pages for big arrays on Linux).
    init(_ b: PoptrieBuilder) {
        directCount = b.direct.count
        nodeCount = b.nodes.count
        leafCount = b.leaves.count
        valueCount = b.values.count
        direct = ArenaMemory.allocate(UInt32.self, count: b.direct.count)
        direct.initialize(from: b.direct, count: b.direct.count)
        nodes = ArenaMemory.allocate(PoptrieNode.self, count: b.nodes.count)
        nodes.initialize(from: b.nodes, count: b.nodes.count)
        values = ArenaMemory.allocate(UInt32.self, count: b.values.count)
        values.initialize(from: b.values, count: b.values.count)
        rangeCount = b.ranges.count
        ranges = ArenaMemory.allocate(UInt32.self, count: b.ranges.count)
        ranges.initialize(from: b.ranges, count: b.ranges.count)
        let narrow = b.values.count <= 0x1_0000
        leafShift = narrow ? 1 : 2
        leafMask = narrow ? 0xFFFF : 0xFFFF_FFFF
        let leafBytes = (b.leaves.count << leafShift) + 4
        leaves = ArenaMemory.allocateBytes(leafBytes)
        leaves.initializeMemory(as: UInt8.self, repeating: 0, count: leafBytes)
        for (i, v) in b.leaves.enumerated() {
            if narrow {
                leaves.storeBytes(of: UInt16(truncatingIfNeeded: v), toByteOffset: i << 1, as: UInt16.self)
            } else {
                leaves.storeBytes(of: v, toByteOffset: i << 2, as: UInt32.self)
            }
        }
    }

    func deallocate() {
        direct.deallocate()
        nodes.deallocate()
        leaves.deallocate()
        values.deallocate()
        ranges.deallocate()
    }

    var byteCount: Int {
        directCount * 4 + nodeCount * MemoryLayout<PoptrieNode>.stride + (leafCount << leafShift) + valueCount * 4 + rangeCount * 4
    }

    /// The value of `address` in the range table whose root marker is `marker`: one 8-wide
    /// compare with the chunk summary picks the chunk, one with the chunk picks the range; no
    /// loop and no branch, so the walk costs the same for every table and address.
    @inlinable @inline(__always)
    func rangeValue(_ marker: PoptrieNode, _ address: UInt32) -> UInt32 {
        let chunks = Int(marker.base1 & ~poptrieRangeFlag)
        let base = UnsafeRawPointer(ranges + Int(marker.base0))
        let key = SIMD8<UInt32>(repeating: address)
        // min: for address UInt32.max the summary's padding counts too.
        let k = min(Self.countNotAbove(base.loadUnaligned(as: SIMD8<UInt32>.self), key), chunks)
        let j = Self.countNotAbove(base.loadUnaligned(fromByteOffset: k &<< 5, as: SIMD8<UInt32>.self), key)
        return ranges[Int(marker.base0) &+ ((chunks &+ k) &<< 3) &+ j &- 1]
    }

    /// Number of lanes of `starts` that are <= the lanes of `key`.
    @inlinable @inline(__always)
    static func countNotAbove(_ starts: SIMD8<UInt32>, _ key: SIMD8<UInt32>) -> Int {
        // A true lane is all ones: -1 each.
        Int(0 &- unsafeBitCast(starts .<= key, to: SIMD8<UInt32>.self).wrappedSum())
    }

    /// Leaf i (a table-local value index). On little-endian machines a 32-bit load masked to the
    /// leaf width serves both widths without a branch.
    @inlinable @inline(__always)
    func leaf(_ i: UInt32) -> UInt32 {
        #if _endian(little)
        return leaves.loadUnaligned(fromByteOffset: Int(i) &<< leafShift, as: UInt32.self) & leafMask
        #else
        return leafShift == 1
            ? UInt32(leaves.load(fromByteOffset: Int(i) &<< 1, as: UInt16.self))
            : leaves.load(fromByteOffset: Int(i) &<< 2, as: UInt32.self)
        #endif
    }

    /// Longest-prefix match of one address in the table whose root node is nodes[rootIndex].
    @inlinable @inline(__always)
    func lookup(rootIndex: Int, _ address: UInt32) -> UInt32 {
        lookup(root: nodes[rootIndex], address)
    }

    /// Longest-prefix match of one address in the table whose root node is `root` (a copy kept
    /// in a register by `RouteTrie`: re-reading it through the pointer after every result store
    /// measured 4x slower in a batch loop).
    @inlinable @inline(__always)
    func lookup(root: PoptrieNode, _ address: UInt32) -> UInt32 {
        var node = root
        // `k` holds the unconsumed address bits at the top; its top 6 bits select the slot.
        var k = address
        if node.isDirectMarker {
            if node.isRangeMarker { return rangeValue(node, address) }
            let s = node.base1
            let d = direct[Int(node.base0 &+ UInt32(truncatingIfNeeded: UInt64(address) &>> UInt64(32 &- s)))]
            if d & poptrieLeafFlag != 0 {
                return values[Int(d & ~poptrieLeafFlag)]
            }
            node = nodes[Int(d)]
            k = address &<< s
        }
        // Shifting the slot's bit to bit 63 both tests it and keeps exactly the bits 0...slot.
        var t = node.vector &<< UInt64(63 &- (k &>> 26))
        while Int64(bitPattern: t) < 0 {
            node = nodes[Int(node.base1 &+ UInt32(truncatingIfNeeded: t.nonzeroBitCount) &- 1)]
            k = k &<< 6
            t = node.vector &<< UInt64(63 &- (k &>> 26))
        }
        let runs = (node.leafvec &<< UInt64(63 &- (k &>> 26))).nonzeroBitCount
        return values[Int(leaf(node.base0 &+ UInt32(truncatingIfNeeded: runs) &- 1))]
    }

    /// UInt32 of scratch per lane that `lookupLockstep` needs.
    @usableFromInline static let lockstepScratchPerLane = 5

    /// Looks up `count` addresses in lock step: every lane advances one level per round with no
    /// data-dependent branch (finished lanes re-read their node), so the loads of all lanes are in
    /// flight together; this is what makes dependent lookups (a path walk) fast.
    /// Lanes are first sorted, without branching, into range-table lanes and trie lanes; each
    /// kind then runs its own branch-free rounds over its own lanes (a per-lane branch on the
    /// kind mispredicts on a mix and stalls the loads of the lanes after it: 3x slower).
    /// `scratch` must hold `lockstepScratchPerLane * count` UInt32.
    @inlinable @inline(__always)
    func lookupLockstep<R: PoptrieLaneRoots>(
        count: Int, roots: R, addresses: UnsafePointer<UInt32>, results: UnsafeMutablePointer<UInt32>,
        scratch: UnsafeMutablePointer<UInt32>
    ) {
        let index = scratch
        let key = scratch + count
        let directValue = scratch + 2 * count
        let rangeLanes = scratch + 3 * count
        let trieLanes = scratch + 4 * count
        var rangeLaneCount = 0, trieCount = 0
        for l in 0..<count {
            let (rootIndex, root) = roots.root(lane: l, nodes: nodes)
            let isRange = root.isRangeMarker
            rangeLanes[rangeLaneCount] = UInt32(truncatingIfNeeded: l)
            trieLanes[trieCount] = UInt32(truncatingIfNeeded: l)
            rangeLaneCount &+= isRange ? 1 : 0
            trieCount &+= isRange ? 0 : 1
            index[l] = rootIndex
        }
        if rangeLaneCount > 0 {
            // Round 1: the summary picks the chunk (index = its offset; key = where its values start).
            for i in 0..<rangeLaneCount {
                let l = Int(rangeLanes[i])
                let root = nodes[Int(index[l])]
                let chunks = root.base1 & ~poptrieRangeFlag
                let summary = UnsafeRawPointer(ranges + Int(root.base0)).loadUnaligned(as: SIMD8<UInt32>.self)
                let k = min(UInt32(truncatingIfNeeded: Self.countNotAbove(summary, SIMD8(repeating: addresses[l]))), chunks)
                index[l] = root.base0 &+ (k &<< 3)
                key[l] = root.base0 &+ ((chunks &+ k) &<< 3) &- 1
            }
            // Round 2: the chunk picks the range, which holds the result.
            for i in 0..<rangeLaneCount {
                let l = Int(rangeLanes[i])
                let chunk = UnsafeRawPointer(ranges + Int(index[l])).loadUnaligned(as: SIMD8<UInt32>.self)
                let j = UInt32(truncatingIfNeeded: Self.countNotAbove(chunk, SIMD8(repeating: addresses[l])))
                results[l] = ranges[Int(key[l] &+ j)]
            }
        }
        if trieCount == 0 { return }
        for i in 0..<trieCount {
            let l = Int(trieLanes[i])
            let a = addresses[l]
            // The root again from `roots`: for one table that is a copy in a register (re-reading one
            // hot node through the pointer between stores measured several times slower).
            let (rootIndex, root) = roots.root(lane: l, nodes: nodes)
            if root.isDirectMarker {
                let s = root.base1
                let d = direct[Int(root.base0 &+ UInt32(truncatingIfNeeded: UInt64(a) &>> UInt64(32 &- s)))]
                let leafMask = 0 &- (d &>> 31)
                index[l] = d & ~leafMask  // a leaf parks the lane on the sentinel node, whose leaf is 0
                directValue[l] = d & ~poptrieLeafFlag & leafMask  // 0 unless the lane ended here
                key[l] = a &<< s
            } else {
                let t = root.vector &<< UInt64(63 &- (a &>> 26))
                let inner = UInt32(truncatingIfNeeded: t &>> 63)
                let m = 0 &- inner
                let next = root.base1 &+ UInt32(truncatingIfNeeded: t.nonzeroBitCount) &- 1
                index[l] = (next & m) | (rootIndex & ~m)
                key[l] = a &<< (inner &* 6)
                directValue[l] = 0
            }
        }
        while true {
            var more: UInt32 = 0
            for i in 0..<trieCount {
                let l = Int(trieLanes[i])
                let node = nodes[Int(index[l])]
                let k = key[l]
                let t = node.vector &<< UInt64(63 &- (k &>> 26))
                let inner = UInt32(truncatingIfNeeded: t &>> 63)
                let m = 0 &- inner
                let next = node.base1 &+ UInt32(truncatingIfNeeded: t.nonzeroBitCount) &- 1
                index[l] = (next & m) | (index[l] & ~m)
                key[l] = k &<< (inner &* 6)
                more |= inner
            }
            if more == 0 { break }
        }
        for i in 0..<trieCount {
            let l = Int(trieLanes[i])
            let node = nodes[Int(index[l])]
            let runs = (node.leafvec &<< UInt64(63 &- (key[l] &>> 26))).nonzeroBitCount
            results[l] = values[Int(leaf(node.base0 &+ UInt32(truncatingIfNeeded: runs) &- 1) | directValue[l])]
        }
    }
}

/// Supplies the root node of each lane of a lock-step walk; generic (specialized), never an existential.
@usableFromInline
protocol PoptrieLaneRoots {
    /// The lane's root node and its index.
    func root(lane: Int, nodes: UnsafeMutablePointer<PoptrieNode>) -> (UInt32, PoptrieNode)
}

/// Every lane in the same table (`RouteTrie`), whose root node is kept in a register.
@usableFromInline
struct PoptrieUniformRoot: PoptrieLaneRoots {
    @usableFromInline let node: PoptrieNode
    @inlinable init(_ node: PoptrieNode) { self.node = node }
    @inlinable @inline(__always) func root(lane: Int, nodes: UnsafeMutablePointer<PoptrieNode>) -> (UInt32, PoptrieNode) { (1, node) }
}

/// Lane l in table tables[l] (`RouteTrieSet`).
@usableFromInline
struct PoptrieTableRoots: PoptrieLaneRoots {
    @usableFromInline let tableCount: UInt32
    @usableFromInline let tables: UnsafePointer<UInt32>
    @inlinable init(tableCount: UInt32, tables: UnsafePointer<UInt32>) {
        self.tableCount = tableCount
        self.tables = tables
    }
    @inlinable @inline(__always) func root(lane: Int, nodes: UnsafeMutablePointer<PoptrieNode>) -> (UInt32, PoptrieNode) {
        let t = tables[lane]
        precondition(t < tableCount, "RouteTrieSet: table index out of range")
        return (1 &+ t, nodes[1 &+ Int(t)])
    }
}

/// Aligned allocation for the arena: 64-byte aligned (nodes do not straddle more lines than
/// needed); arrays of 2 MiB and more are 2 MiB aligned and marked for transparent huge pages on
/// Linux, because a big table's random walk otherwise misses the TLB on most loads.
enum ArenaMemory {
    static let hugePage = 1 << 21

    static func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        allocateBytes(max(count, 1) * MemoryLayout<T>.stride).bindMemory(to: T.self, capacity: max(count, 1))
    }

    static func allocateBytes(_ byteCount: Int) -> UnsafeMutableRawPointer {
        let bytes = max(byteCount, 1)
        let huge = bytes >= hugePage
        let alignment = huge ? hugePage : 64
        let rounded = (bytes + alignment - 1) & ~(alignment - 1)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: alignment)
        #if os(Linux)
        if huge { _ = madvise(raw, rounded, Int32(MADV_HUGEPAGE)) }
        #endif
        return raw
    }
}
