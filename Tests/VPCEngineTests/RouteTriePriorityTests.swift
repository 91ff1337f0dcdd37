import Testing
@testable import VPCEngine
import VPCModel
import VPCOracle

/// AWS route priority: https://docs.aws.amazon.com/vpc/latest/userguide/route-tables.html#route-tables-priority
@Suite struct RouteTriePriorityTests {
    @Test func staticBeatsPrefixListBeatsPropagatedAtEqualPrefix() {
        let all = [candidate("10.2.0.0/16", .propagated, 1), candidate("10.2.0.0/16", .prefixList, 2), candidate("10.2.0.0/16", .staticCIDR, 3)]
        #expect(RoutePriority.resolve(all) == [cidr("10.2.0.0/16", 3)])
        #expect(RoutePriority.resolve(all.reversed()) == [cidr("10.2.0.0/16", 3)])
        #expect(RoutePriority.resolve([all[0], all[1]]) == [cidr("10.2.0.0/16", 2)])
        #expect(RoutePriority.resolve([all[1], all[0]]) == [cidr("10.2.0.0/16", 2)])
        #expect(RoutePriority.resolve([all[0], all[2]]) == [cidr("10.2.0.0/16", 3)])
    }

    @Test func longerPropagatedBeatsShorterStatic() {
        let routes = RoutePriority.resolve([candidate("10.0.0.0/16", .staticCIDR, 1), candidate("10.0.1.0/24", .propagated, 2)])
        let trie = RouteTrie(routes)
        #expect(trie.lookup(ip("10.0.1.5")) == 2)
        #expect(trie.lookup(ip("10.0.2.5")) == 1)
        #expect(trie.lookup(ip("10.1.0.0")) == RouteTrie.noRoute)
    }

    @Test func remainingTiesGoToTheLowestValue() {
        let routes = [candidate("0.0.0.0/0", .propagated, 9), candidate("0.0.0.0/0", .propagated, 4), candidate("0.0.0.0/0", .propagated, 6)]
        #expect(RoutePriority.resolve(routes) == [cidr("0.0.0.0/0", 4)])
    }

    /// Each entry of a prefix list is its own candidate; it beats a propagated route of the same
    /// prefix, loses to a static one, and longest match still applies across entries.
    @Test func prefixListEntries() {
        let routes = RoutePriority.resolve([
            candidate("0.0.0.0/0", .staticCIDR, 1),
            candidate("52.216.0.0/15", .prefixList, 9),
            candidate("3.5.0.0/19", .prefixList, 9),
            candidate("52.216.0.0/15", .propagated, 4),
            candidate("3.5.0.0/19", .staticCIDR, 5),
            candidate("52.216.4.0/24", .propagated, 6),
        ])
        let trie = RouteTrie(routes)
        #expect(trie.lookup(ip("52.216.1.1")) == 9)
        #expect(trie.lookup(ip("52.217.255.255")) == 9)
        #expect(trie.lookup(ip("52.216.4.4")) == 6)
        #expect(trie.lookup(ip("3.5.0.1")) == 5)
        #expect(trie.lookup(ip("8.8.8.8")) == 1)
    }

    @Test func outputIsMaskedAndSortedByPrefixThenLength() {
        let out = RoutePriority.resolve([
            candidate("10.0.1.7/24", .staticCIDR, 1), candidate("10.0.0.0/16", .staticCIDR, 2),
            candidate("0.0.0.0/0", .staticCIDR, 3), candidate("10.0.0.9/8", .staticCIDR, 4),
            candidate("10.0.0.1/40", .staticCIDR, 5),
        ])
        #expect(out == [cidr("0.0.0.0/0", 3), cidr("10.0.0.0/8", 4), cidr("10.0.0.0/16", 2), cidr("10.0.0.1/32", 5), cidr("10.0.1.0/24", 1)])
        #expect(RoutePriority.resolve([]) == [])
    }

    @Test func originsAreOrderedLowerWins() {
        #expect(RouteOrigin.staticCIDR < .prefixList)
        #expect(RouteOrigin.prefixList < .propagated)
    }

    /// Resolution then lookup equals a brute-force reading of the rules on random candidate sets.
    @Test func randomCandidatesMatchBruteForce() {
        var rng = SplitMix64(seed: 77)
        for round in 0..<40 {
            var cands: [RouteCandidate] = []
            for _ in 0..<(1 + rng.below(40)) {
                let len = UInt8([0, 8, 16, 16, 24, 24, 28, 32][rng.below(8)])
                let base = UInt32(0x0A00_0000) | (rng.u32() & 0x0003_0F0F)
                let origin = RouteOrigin(rawValue: UInt8(rng.below(3))) ?? .staticCIDR
                cands.append(RouteCandidate(prefix: base, length: len, origin: origin, value: UInt32(rng.below(50))))
            }
            let trie = RouteTrie(RoutePriority.resolve(cands))
            for _ in 0..<200 {
                let a = UInt32(0x0A00_0000) | (rng.u32() & 0x0003_0F0F)
                // Brute force: longest length, then origin, then value.
                var best: RouteCandidate? = nil
                for c in cands where a & PrefixMath.mask(c.length) == c.prefix & PrefixMath.mask(c.length) {
                    if let b = best {
                        if (c.length, b.origin.rawValue, b.value) > (b.length, c.origin.rawValue, c.value) { best = c }
                    } else {
                        best = c
                    }
                }
                #expect(trie.lookup(a) == (best?.value ?? RouteTrie.noRoute), "round \(round) address \(dotted(a))")
            }
        }
    }
}

@Suite struct RouteTrieCacheTests {
    @Test func identicalTablesShareOneTrie() {
        var cache = RouteTrieCache()
        let a = cache.trie(for: [cidr("10.0.0.0/16", 0), cidr("0.0.0.0/0", 1)])
        let b = cache.trie(for: [cidr("0.0.0.0/0", 1), cidr("10.0.0.0/16", 0)])
        let c = cache.trie(for: [cidr("0.0.0.0/0", 2), cidr("10.0.0.0/16", 0)])
        #expect(a === b)
        #expect(a !== c)
        #expect(cache.count == 2)
        #expect(c.lookup(ip("8.8.8.8")) == 2)
    }
}
