#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// Poptrie (Asai & Ohara, "Poptrie: A Compressed Trie with Population Count for Fast and Scalable
// Software IP Routing Table Lookup", SIGCOMM 2015), written from the paper.
//
// Layout. A table starts with a direct-indexed array of 2^s entries for the top s address bits
// (s = 0 gives a single entry). An entry with the top bit set is a leaf (the low 31 bits are a
// table-local value index); otherwise it is the index of a node that consumes the next 6 bits.
// In a node, bit i of `vector` says slot i is an internal child; children are contiguous from
// `base1`, so the child of slot i is nodes[base1 + popcount(vector & mask(0...i)) - 1]. Slots that
// are leaves are run-length compressed: bit i of `leafvec` says a run of equal leaves starts at
// slot i (internal slots never start a run), and the leaf of slot i is
// leaves[base0 + popcount(leafvec & mask(0...i)) - 1]. Past the 32 address bits the key is padded
// with zeros, so the last level simply repeats each leaf.
//
// A leaf holds a table-local value index; values[valueBase + index] is the caller's value, and
// index 0 of every table is `RouteTrie.noRoute`. Leaves are 16 bits when every table has at most
// 65 536 distinct values (the common case: smaller and more cache-resident), else 32 bits.
//
// Index 0 of the node and leaf arrays is a sentinel (a node whose every slot is leaf 0): the
// lock-step walk parks lanes that ended in the direct array there, so it needs no branch per lane.

/// One 64-way node: 24 bytes, plain data, read through raw pointers.
@usableFromInline
struct PoptrieNode: Sendable, Equatable {
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
}

/// Where one compiled table lives in an arena.
@usableFromInline
struct PoptrieRoot: Sendable, Hashable {
    /// Index of the table's first direct entry.
    @usableFromInline var directBase: UInt32
    /// 32 - s: the direct index is `UInt64(address) >> directShift` (0 when s == 0).
    @usableFromInline var directShift: UInt32
    /// s: bits consumed by the direct array.
    @usableFromInline var topBits: UInt32
    /// Index of the table's value 0 in the shared values array.
    @usableFromInline var valueBase: UInt32

    @inlinable
    init(directBase: UInt32, topBits: UInt32, valueBase: UInt32) {
        self.directBase = directBase
        self.directShift = 32 &- topBits
        self.topBits = topBits
        self.valueBase = valueBase
    }
}

/// Direct entries with this bit set are leaves.
@usableFromInline let poptrieLeafFlag: UInt32 = 0x8000_0000

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
    let directCount: Int
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
        let narrow = b.maxLocalValue <= 0xFFFF
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
    }

    var byteCount: Int {
        directCount * 4 + nodeCount * MemoryLayout<PoptrieNode>.stride + (leafCount << leafShift) + valueCount * 4
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

    /// Longest-prefix match of one address in one table.
    @inlinable @inline(__always)
    func lookup(_ root: PoptrieRoot, _ address: UInt32) -> UInt32 {
        let d = direct[Int(root.directBase &+ UInt32(truncatingIfNeeded: UInt64(address) &>> UInt64(root.directShift)))]
        if d & poptrieLeafFlag != 0 {
            return values[Int(root.valueBase &+ (d & ~poptrieLeafFlag))]
        }
        // `k` holds the unconsumed address bits at the top; its top 6 bits select the slot.
        var k = address &<< root.topBits
        var node = nodes[Int(d)]
        // Shifting the slot's bit to bit 63 both tests it and keeps exactly the bits 0...slot.
        var t = node.vector &<< UInt64(63 &- (k &>> 26))
        while Int64(bitPattern: t) < 0 {
            node = nodes[Int(node.base1 &+ UInt32(truncatingIfNeeded: t.nonzeroBitCount) &- 1)]
            k = k &<< 6
            t = node.vector &<< UInt64(63 &- (k &>> 26))
        }
        let runs = (node.leafvec &<< UInt64(63 &- (k &>> 26))).nonzeroBitCount
        let index = leaf(node.base0 &+ UInt32(truncatingIfNeeded: runs) &- 1)
        return values[Int(root.valueBase &+ index)]
    }

    /// Looks up `count` addresses in lock step: every lane advances one level per round with no
    /// data-dependent branch (finished lanes re-read their node), so the loads of all lanes are in
    /// flight together. This is what makes dependent lookups (a path walk) fast.
    /// `scratch` must hold 4 * count UInt32.
    @inlinable @inline(__always)
    func lookupLockstep<R: PoptrieLaneRoots>(
        count: Int, roots: R, addresses: UnsafePointer<UInt32>, results: UnsafeMutablePointer<UInt32>,
        scratch: UnsafeMutablePointer<UInt32>
    ) {
        let index = scratch
        let key = scratch + count
        let valueBase = scratch + 2 * count
        let directValue = scratch + 3 * count
        for l in 0..<count {
            let root = roots.root(lane: l)
            let a = addresses[l]
            let d = direct[Int(root.directBase &+ UInt32(truncatingIfNeeded: UInt64(a) &>> UInt64(root.directShift)))]
            let leafMask = 0 &- (d &>> 31)
            index[l] = d & ~leafMask  // a leaf parks the lane on the sentinel node, whose leaf is 0
            directValue[l] = d & ~poptrieLeafFlag & leafMask  // 0 unless the lane ended here
            key[l] = a &<< root.topBits
            valueBase[l] = root.valueBase
        }
        while true {
            var more: UInt32 = 0
            for l in 0..<count {
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
        for l in 0..<count {
            let node = nodes[Int(index[l])]
            let runs = (node.leafvec &<< UInt64(63 &- (key[l] &>> 26))).nonzeroBitCount
            let local = leaf(node.base0 &+ UInt32(truncatingIfNeeded: runs) &- 1) | directValue[l]
            results[l] = values[Int(valueBase[l] &+ local)]
        }
    }
}

/// Supplies the table of each lane of a lock-step walk; generic (specialized), never an existential.
@usableFromInline
protocol PoptrieLaneRoots {
    func root(lane: Int) -> PoptrieRoot
}

/// Every lane in the same table (`RouteTrie`).
@usableFromInline
struct PoptrieUniformRoot: PoptrieLaneRoots {
    @usableFromInline let shared: PoptrieRoot
    @inlinable init(_ shared: PoptrieRoot) { self.shared = shared }
    @inlinable @inline(__always) func root(lane: Int) -> PoptrieRoot { shared }
}

/// Lane l in table tables[l] (`RouteTrieSet`).
@usableFromInline
struct PoptrieTableRoots: PoptrieLaneRoots {
    @usableFromInline let roots: UnsafeMutablePointer<PoptrieRoot>
    @usableFromInline let tableCount: UInt32
    @usableFromInline let tables: UnsafePointer<UInt32>
    @inlinable init(roots: UnsafeMutablePointer<PoptrieRoot>, tableCount: UInt32, tables: UnsafePointer<UInt32>) {
        self.roots = roots
        self.tableCount = tableCount
        self.tables = tables
    }
    @inlinable @inline(__always) func root(lane: Int) -> PoptrieRoot {
        let t = tables[lane]
        precondition(t < tableCount, "RouteTrieSet: table index out of range")
        return roots[Int(t)]
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
