import Testing
@testable import VPCEngine

/// RouteTrie against the linear-scan reference (and a hash oracle for big tables).
@Suite struct RouteTrieTests {
    /// Random tables of every length, checked at every prefix edge, for each top-level width.
    @Test(arguments: [1, 2, 3, 10, 64, 300, 1_500])
    func matchesLinearScanOnRandomTables(count: Int) {
        for (seed, valueRange) in [(UInt64(count), 0), (UInt64(count) &+ 1_000, 4)] {
            let table = randomTable(count: count, seed: seed, valueRange: valueRange)
            let linear = LinearRouteTable(table)
            let probes = probeAddresses(table, random: 2_000, seed: seed &+ 7)
            let expected = probes.map(linear.lookup)
            for bits in [nil, 0, 16, 18] as [Int?] {
                let trie = RouteTrie(table, topLevelBits: bits)
                let got = probes.map(trie.lookup)
                let bad = zip(probes, zip(got, expected)).first { $0.1.0 != $0.1.1 }
                #expect(bad == nil, "count \(count) values \(valueRange) bits \(String(describing: bits)): \(bad.map { "\(dotted($0.0)) got \($0.1.0) expected \($0.1.1)" } ?? "")")
            }
        }
    }

    /// Every direct-array width gives the same answers.
    @Test func everyTopLevelWidth() {
        let table = randomTable(count: 200, seed: 42, valueRange: 6)
        let linear = LinearRouteTable(table)
        let probes = probeAddresses(table, random: 500, seed: 43)
        for bits in Array(0...20) + [24] {
            let trie = RouteTrie(table, topLevelBits: bits)
            #expect(trie.topLevelBits == bits)
            #expect(firstMismatch(probes, trie.lookup, linear.lookup) == nil, "bits \(bits)")
        }
        #expect(RouteTrie(table, topLevelBits: 99).topLevelBits == 24)
        #expect(RouteTrie(table, topLevelBits: -3).topLevelBits == 0)
    }

    /// 20 000 prefixes with few values (16-bit leaves) for the automatic, 0- and 18-bit top levels.
    @Test func largeTableNarrowLeaves() {
        let table = randomTable(count: 20_000, seed: 2_024, valueRange: 300)
        let oracle = HashOracle(table)
        var probes = probeAddresses(table, random: 20_000, seed: 9)
        probes = stride(from: 0, to: probes.count, by: 3).map { probes[$0] }
        let expected = probes.map(oracle.lookup)
        for bits in [nil, 0, 18] as [Int?] {
            let trie = RouteTrie(table, topLevelBits: bits)
            #expect(trie.arena.leafShift == 1)
            #expect(probes.map(trie.lookup) == expected, "bits \(String(describing: bits))")
        }
        // The oracle itself agrees with the linear scan on a sample.
        let linear = LinearRouteTable(table)
        #expect(firstMismatch(Array(probes.prefix(300)), oracle.lookup, linear.lookup) == nil)
    }

    /// 100 000 prefixes with distinct values: more than 65 536 values, so 32-bit leaves.
    @Test func hundredThousandPrefixesWideLeaves() {
        let table = randomTable(count: 100_000, seed: 100_000, minLength: 14)
        let trie = RouteTrie(table)
        #expect(trie.topLevelBits == 16)
        #expect(trie.arena.leafShift == 2)
        let oracle = HashOracle(table)
        let all = probeAddresses(table, random: 10_000, seed: 5)
        let probes = stride(from: 0, to: all.count, by: 4).map { all[$0] }
        #expect(firstMismatch(probes, trie.lookup, oracle.lookup) == nil)
    }

    @Test func emptyTable() {
        for bits in [nil, 0, 16, 18] as [Int?] {
            let trie = RouteTrie([], topLevelBits: bits)
            #expect(trie.prefixCount == 0)
            for a: UInt32 in [0, 1, 0x0A00_0000, 0xFFFF_FFFF] { #expect(trie.lookup(a) == RouteTrie.noRoute) }
        }
    }

    @Test func defaultRouteOnly() {
        for bits in [nil, 0, 16, 18] as [Int?] {
            let trie = RouteTrie([cidr("0.0.0.0/0", 7)], topLevelBits: bits)
            for a: UInt32 in [0, 1, 0x0A00_0000, 0x7FFF_FFFF, 0xFFFF_FFFF] { #expect(trie.lookup(a) == 7) }
        }
    }

    @Test func hostRoutesAtBothEndsOfTheSpace() {
        let table = [cidr("0.0.0.0/32", 1), cidr("255.255.255.255/32", 2), cidr("10.0.0.1/32", 3), cidr("10.0.0.0/31", 4)]
        for bits in [nil, 0, 16, 18] as [Int?] {
            let trie = RouteTrie(table, topLevelBits: bits)
            #expect(trie.lookup(0) == 1)
            #expect(trie.lookup(1) == RouteTrie.noRoute)
            #expect(trie.lookup(0xFFFF_FFFF) == 2)
            #expect(trie.lookup(0xFFFF_FFFE) == RouteTrie.noRoute)
            #expect(trie.lookup(ip("10.0.0.0")) == 4)
            #expect(trie.lookup(ip("10.0.0.1")) == 3)
            #expect(trie.lookup(ip("10.0.0.2")) == RouteTrie.noRoute)
        }
    }

    /// Duplicates of one (prefix, length), host bits included: the first one wins, as in the linear scan.
    @Test func duplicatePrefixesFirstWins() {
        let table = [cidr("10.0.0.0/8", 1), cidr("10.9.9.9/8", 2), cidr("10.0.0.0/8", 3), cidr("10.1.0.0/16", 4), cidr("10.1.255.255/16", 5)]
        let linear = LinearRouteTable(table)
        for bits in [nil, 0, 16, 18] as [Int?] {
            let trie = RouteTrie(table, topLevelBits: bits)
            #expect(trie.prefixCount == 2)
            #expect(trie.lookup(ip("10.200.0.1")) == 1)
            #expect(trie.lookup(ip("10.1.3.4")) == 4)
            #expect(linear.lookup(ip("10.200.0.1")) == 1)
            #expect(linear.lookup(ip("10.1.3.4")) == 4)
        }
    }

    /// A route whose value is `noRoute` is the longest match and reads as "no route".
    @Test func noRouteValueShadowsShorterPrefix() {
        let table = [cidr("10.0.0.0/8", 5), cidr("10.1.0.0/16", RouteTrie.noRoute)]
        let trie = RouteTrie(table)
        #expect(trie.lookup(ip("10.1.0.1")) == RouteTrie.noRoute)
        #expect(trie.lookup(ip("10.2.0.1")) == 5)
        #expect(LinearRouteTable(table).lookup(ip("10.1.0.1")) == RouteTrie.noRoute)
    }

    /// A more specific prefix with the same value as its cover adds no nodes (the child collapses).
    @Test func redundantPrefixesCollapse() {
        for bits in [0, 16, 18] {
            let one = RouteTrie([cidr("10.0.0.0/8", 1)], topLevelBits: bits)
            let redundant = RouteTrie([cidr("10.0.0.0/8", 1), cidr("10.1.0.0/16", 1), cidr("10.1.2.0/24", 1), cidr("10.1.2.3/32", 1)], topLevelBits: bits)
            #expect(redundant.arena.nodeCount == one.arena.nodeCount)
            #expect(redundant.lookup(ip("10.1.2.3")) == 1)
            #expect(redundant.lookup(ip("11.0.0.0")) == RouteTrie.noRoute)
        }
    }

    @Test func automaticTopLevelBits() {
        #expect(PoptrieBuilder.automaticTopLevelBits(prefixCount: 0) == 0)
        #expect(PoptrieBuilder.automaticTopLevelBits(prefixCount: 1_000) == 0)
        #expect(PoptrieBuilder.automaticTopLevelBits(prefixCount: 50_000) == 16)
        #expect(PoptrieBuilder.automaticTopLevelBits(prefixCount: 800_000) == 18)
    }

    /// An AWS-sized table stays a few hundred bytes with the automatic (0-bit) top level.
    @Test func awsTableIsSmall() {
        let table = [cidr("10.0.0.0/16", 0), cidr("0.0.0.0/0", 1), cidr("10.1.0.0/16", 2), cidr("172.16.5.0/24", 3), cidr("52.216.0.0/15", 4)]
        let trie = RouteTrie(table)
        #expect(trie.topLevelBits == 0)
        #expect(trie.memoryBytes < 1_024)
        #expect(trie.lookup(ip("10.0.3.4")) == 0)
        #expect(trie.lookup(ip("52.217.1.1")) == 4)
        #expect(trie.lookup(ip("8.8.8.8")) == 1)
    }

    /// Batch, buffer-interleaved and SIMD-interleaved lookups equal the scalar one, for 16- and
    /// 32-bit leaves, every tail length and both small and direct-indexed tables.
    @Test(arguments: [(300, 5, 0), (300, 0, 16), (70_000, 0, 16)])
    func batchAndInterleavedEqualScalar(count: Int, valueRange: Int, bits: Int) {
        let table = randomTable(count: count, seed: UInt64(count + valueRange), valueRange: valueRange, minLength: count > 65_535 ? 16 : 0)
        let trie = RouteTrie(table, topLevelBits: bits)
        #expect(trie.arena.leafShift == (count > 65_535 && valueRange == 0 ? 2 : 1))
        let all = probeAddresses(Array(table.prefix(600)), random: 1_000, seed: 3)
        let expected = all.map(trie.lookup)
        for n in [0, 1, 7, 15, 16, 17, 33, all.count] {
            let keys = Array(all.prefix(n))
            var batch = [UInt32](repeating: 0, count: n)
            var interleaved = [UInt32](repeating: 0, count: n)
            keys.withUnsafeBufferPointer { k in
                batch.withUnsafeMutableBufferPointer { trie.lookup(k, into: $0) }
                interleaved.withUnsafeMutableBufferPointer { trie.lookupInterleaved(k, into: $0) }
            }
            #expect(batch == Array(expected.prefix(n)), "batch n=\(n)")
            #expect(interleaved == Array(expected.prefix(n)), "interleaved n=\(n)")
        }
        for i in stride(from: 0, to: all.count - 16, by: 16) {
            var v16 = SIMD16<UInt32>()
            var v8 = SIMD8<UInt32>()
            var v4 = SIMD4<UInt32>()
            for l in 0..<16 { v16[l] = all[i + l] }
            for l in 0..<8 { v8[l] = all[i + l] }
            for l in 0..<4 { v4[l] = all[i + l] }
            let r16 = trie.lookupInterleaved(v16), r8 = trie.lookupInterleaved(v8), r4 = trie.lookupInterleaved(v4)
            for l in 0..<16 { #expect(r16[l] == expected[i + l]) }
            for l in 0..<8 { #expect(r8[l] == expected[i + l]) }
            for l in 0..<4 { #expect(r4[l] == expected[i + l]) }
        }
    }
}
