import Testing
@testable import VPCEngine
import VPCModel
import VPCOracle

/// AWS-like route table: local VPC /16, maybe a default route, peering /24s, prefix-list entries.
func awsLikeTable(seed: UInt64) -> [ResolvedPrefix] {
    var rng = SplitMix64(seed: seed)
    var routes = [ResolvedPrefix(prefix: 0x0A00_0000 | UInt32(rng.below(256)) << 16, length: 16, value: 0)]
    if rng.below(4) != 0 { routes.append(ResolvedPrefix(prefix: 0, length: 0, value: 1)) }
    for i in 0..<(3 + rng.below(45)) {
        let length = UInt8([16, 20, 24, 24, 24, 28, 32][rng.below(7)])
        let address = [0x0A00_0000 | rng.u32() & 0x00FF_FFFF, 0xAC10_0000 | rng.u32() & 0x000F_FFFF, rng.u32()][rng.below(3)]
        routes.append(ResolvedPrefix(prefix: address, length: length, value: UInt32(2 + i % 10)))
    }
    return routes
}

@Suite struct RouteTrieSetTests {
    /// Many small tables (with repeats) in one arena answer like one RouteTrie per table.
    @Test func matchesOneTriePerTable() {
        var tables = (0..<300).map { awsLikeTable(seed: UInt64($0 % 250)) }
        tables.append([])
        tables.append(randomTable(count: 3_000, seed: 8, valueRange: 20))  // gets a 16-bit direct array
        let set = RouteTrieSet(tables)
        #expect(set.tableCount == tables.count)
        #expect(set.distinctTableCount == 252)
        #expect(set.rangeTableCount > 0 && set.rangeTableCount < set.distinctTableCount)  // lanes mix both kinds
        let tries = tables.map { RouteTrie($0) }
        var rng = SplitMix64(seed: 11)
        var tableKeys: [UInt32] = []
        var addressKeys: [UInt32] = []
        for (t, table) in tables.enumerated() {
            for a in probeAddresses(Array(table.prefix(60)), random: 20, seed: UInt64(t)) where rng.below(2) == 0 {
                tableKeys.append(UInt32(t))
                addressKeys.append(a)
            }
        }
        // Shuffle so that consecutive keys hit different tables (lanes of a group differ).
        for i in stride(from: tableKeys.count - 1, to: 0, by: -1) {
            let j = rng.below(i + 1)
            tableKeys.swapAt(i, j)
            addressKeys.swapAt(i, j)
        }
        let expected = zip(tableKeys, addressKeys).map { tries[Int($0)].lookup($1) }
        let linearSample = (0..<500).allSatisfy { i in
            LinearRouteTable(tables[Int(tableKeys[i])]).lookup(addressKeys[i]) == expected[i]
        }
        #expect(linearSample)
        let scalar = zip(tableKeys, addressKeys).map { set.lookup(table: $0, address: $1) }
        #expect(scalar == expected)
        for n in [0, 1, 16, 31, tableKeys.count] {
            var batch = [UInt32](repeating: 0, count: n)
            var interleaved = [UInt32](repeating: 0, count: n)
            let t = Array(tableKeys.prefix(n)), a = Array(addressKeys.prefix(n))
            t.withUnsafeBufferPointer { tb in
                a.withUnsafeBufferPointer { ab in
                    batch.withUnsafeMutableBufferPointer { set.lookup(tables: tb, addresses: ab, into: $0) }
                    interleaved.withUnsafeMutableBufferPointer { set.lookupInterleaved(tables: tb, addresses: ab, into: $0) }
                }
            }
            #expect(batch == Array(expected.prefix(n)), "batch n=\(n)")
            #expect(interleaved == Array(expected.prefix(n)), "interleaved n=\(n)")
        }
        for i in stride(from: 0, to: tableKeys.count - 16, by: 16) {
            var t = SIMD16<UInt32>(), a = SIMD16<UInt32>()
            for l in 0..<16 {
                t[l] = tableKeys[i + l]
                a[l] = addressKeys[i + l]
            }
            let r = set.lookupInterleaved(tables: t, addresses: a)
            for l in 0..<16 { #expect(r[l] == expected[i + l]) }
        }
    }

    /// k disjoint /24s with distinct values make 2k + 1 ranges; a /32 at the very top adds one, a
    /// /31 and a /32 at the top add two (255.255.255.255 then starts a range; with k = 27 it heads
    /// the last chunk), and two top /32s with one value add one (their ranges merge, after the
    /// sweep went one over the limit at k = 31). Tables of 1 to 67 ranges, across every chunk
    /// boundary and the 64-range limit, answer like a linear scan at every prefix edge, one at a
    /// time and in lock step, and exactly the tables of at most 64 ranges become range tables.
    @Test func rangeTablesAtEveryChunkBoundaryAndTheLimit() {
        var tables: [[ResolvedPrefix]] = []
        var ranges: [Int] = []
        for k in 0...32 {
            let table = (0..<k).map { ResolvedPrefix(prefix: 0x0A00_0000 | UInt32(2 * $0) << 8, length: 24, value: UInt32(100 + $0)) }
            tables.append(table)
            ranges.append(2 * k + 1)
            // A /0 under them keeps the count; a host route at 255.255.255.255 adds one range.
            tables.append(table + [ResolvedPrefix(prefix: 0, length: 0, value: 7), ResolvedPrefix(prefix: .max, length: 32, value: 8)])
            ranges.append(2 * k + 2)
            tables.append(table + [ResolvedPrefix(prefix: .max - 1, length: 31, value: 9), ResolvedPrefix(prefix: .max, length: 32, value: 10)])
            ranges.append(2 * k + 3)
            tables.append(table + [ResolvedPrefix(prefix: .max - 1, length: 32, value: 11), ResolvedPrefix(prefix: .max, length: 32, value: 11)])
            ranges.append(2 * k + 2)
        }
        let set = RouteTrieSet(tables)
        #expect(set.distinctTableCount == tables.count)
        #expect(set.rangeTableCount == ranges.filter { $0 <= RouteTrieSet.rangeTableLimit }.count)
        #expect(ranges.contains(RouteTrieSet.rangeTableLimit) && ranges.contains(RouteTrieSet.rangeTableLimit + 1))
        #expect(set.rangeTableCount > 0 && set.rangeTableCount < tables.count)
        var tableKeys: [UInt32] = []
        var addressKeys: [UInt32] = []
        var expected: [UInt32] = []
        for (t, table) in tables.enumerated() {
            let linear = LinearRouteTable(table)
            let probes = probeAddresses(table, random: 30, seed: UInt64(t))
            #expect(firstMismatch(probes, { set.lookup(table: UInt32(t), address: $0) }, linear.lookup) == nil,
                    "table \(t) (\(ranges[t]) ranges)")
            for a in probes {
                tableKeys.append(UInt32(t))
                addressKeys.append(a)
                expected.append(linear.lookup(a))
            }
        }
        // Lock step over lanes mixing range tables and tries, in a scrambled order.
        var rng = SplitMix64(seed: 64)
        for i in stride(from: tableKeys.count - 1, to: 0, by: -1) {
            let j = rng.below(i + 1)
            tableKeys.swapAt(i, j)
            addressKeys.swapAt(i, j)
            expected.swapAt(i, j)
        }
        var interleaved = [UInt32](repeating: 0, count: tableKeys.count)
        var batch = interleaved
        tableKeys.withUnsafeBufferPointer { tb in
            addressKeys.withUnsafeBufferPointer { ab in
                interleaved.withUnsafeMutableBufferPointer { set.lookupInterleaved(tables: tb, addresses: ab, into: $0) }
                batch.withUnsafeMutableBufferPointer { set.lookup(tables: tb, addresses: ab, into: $0) }
            }
        }
        #expect(interleaved == expected)
        #expect(batch == expected)
    }

    /// Random small tables with every prefix length 0...32, nested prefixes and shared values
    /// (so neighbouring ranges merge), as range tables and as forced tries, against a linear scan.
    @Test func randomSmallTablesAsRangesAndTries() {
        let tables = (0..<400).map { randomTable(count: 1 + $0 % 40, seed: 5_000 + UInt64($0), valueRange: 1 + $0 % 6) }
        let ranged = RouteTrieSet(tables)
        let tries = RouteTrieSet(tables, topLevelBits: 0)
        #expect(ranged.rangeTableCount > 300)
        #expect(tries.rangeTableCount == 0)
        for (t, table) in tables.enumerated() {
            let linear = LinearRouteTable(table)
            let probes = probeAddresses(table, random: 20, seed: UInt64(t))
            #expect(firstMismatch(probes, { ranged.lookup(table: UInt32(t), address: $0) }, linear.lookup) == nil, "ranges, table \(t)")
            #expect(firstMismatch(probes, { tries.lookup(table: UInt32(t), address: $0) }, linear.lookup) == nil, "trie, table \(t)")
            // In lock step, each probe's lanes alternating with other tables' (range and trie lanes mixed).
            let others = probes.indices.map { UInt32(($0 * 7 + t) % tables.count) }
            var laneTables: [UInt32] = [], laneAddresses: [UInt32] = []
            for (i, a) in probes.enumerated() {
                laneTables += [UInt32(t), others[i]]
                laneAddresses += [a, a]
            }
            var out = [UInt32](repeating: 0, count: laneTables.count)
            laneTables.withUnsafeBufferPointer { tb in
                laneAddresses.withUnsafeBufferPointer { ab in
                    out.withUnsafeMutableBufferPointer { ranged.lookupInterleaved(tables: tb, addresses: ab, into: $0) }
                }
            }
            let expected = probes.enumerated().flatMap { [linear.lookup($1), LinearRouteTable(tables[Int(others[$0])]).lookup($1)] }
            #expect(out == expected, "lock step, table \(t)")
        }
    }

    /// A forced top-level width applies to every table of the set.
    @Test(arguments: [0, 16, 18])
    func forcedTopLevelBits(bits: Int) {
        let tables = (0..<20).map { awsLikeTable(seed: 1_000 + UInt64($0)) }
        let set = RouteTrieSet(tables, topLevelBits: bits)
        for (t, table) in tables.enumerated() {
            let linear = LinearRouteTable(table)
            let probes = probeAddresses(table, random: 50, seed: UInt64(t))
            #expect(firstMismatch(probes, { set.lookup(table: UInt32(t), address: $0) }, linear.lookup) == nil, "table \(t)")
        }
    }

    /// Tables that differ only far from a shared region store that region's nodes once.
    @Test func identicalSubtreesAreShared() {
        let vpc = (0..<40).map { cidr("10.1.\($0).0/24", UInt32($0 % 3)) } + [cidr("10.1.0.0/16", 7)]
        let a = vpc + [cidr("192.168.1.0/24", 9)]
        let b = vpc + [cidr("172.16.0.0/12", 9)]
        let one = RouteTrie(a)
        let set = RouteTrieSet([a, b], topLevelBits: 0)  // tries (a range table has no subtrees)
        // Without sharing: sentinel + 2 roots + 2 copies of everything below the roots.
        #expect(set.arena.nodeCount < 1 + 2 * (one.arena.nodeCount - 1))
        for address in [ip("10.1.5.9"), ip("10.1.200.1"), ip("192.168.1.1"), ip("172.16.3.3"), ip("8.8.8.8")] {
            #expect(set.lookup(table: 0, address: address) == LinearRouteTable(a).lookup(address))
            #expect(set.lookup(table: 1, address: address) == LinearRouteTable(b).lookup(address))
        }
    }

    /// A table index out of range is a caller bug: it traps instead of reading outside the arena.
    @Test func tableIndexOutOfRangeTraps() async {
        await #expect(processExitsWith: .failure) {
            let set = RouteTrieSet([[ResolvedPrefix(prefix: 0, length: 0, value: 1)]])
            _ = set.lookup(table: 1, address: 0)
        }
    }

    @Test func emptySet() {
        let set = RouteTrieSet([])
        #expect(set.tableCount == 0)
        #expect(set.distinctTableCount == 0)
    }
}
