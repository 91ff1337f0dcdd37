import Benchmark
import Foundation
import VPCEngine

// Route lookup benchmarks. Every lookup benchmark does exactly 1 000 000 lookups per iteration
// (scalingFactor .mega), so the throughput column (iterations/s) reads directly as millions of
// lookups per second (Mlps); with `--scale` it is shown as (M) lookups/s. The external benchmarks
// take iteration i's keys from [i * 1M, (i + 1) * 1M) of the key file, wrapping, so every key is
// used across iterations. Each group has a baseline measured in the same run.
//
//   VPCSIM_LPM_ROUTES=/tmp/lpm/c800k/table.txt VPCSIM_LPM_KEYS=/tmp/lpm/c800k/keys_uniform.bin \
//     swift package --allow-writing-to-package-directory benchmark --target RouteTrie
//
// Without the variables the external benchmarks use a generated 800k-prefix table and uniform keys.

let lookupsPerIteration = 1_000_000

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock],
        scalingFactor: .mega,
        maxDuration: .seconds(3),
        maxIterations: 1_000
    )

    // (a) One big table, independent keys.
    Benchmark("lpm-external") { benchmark in
        let data = External.shared
        var results = [UInt32](repeating: 0, count: lookupsPerIteration)
        data.keys.withUnsafeBufferPointer { keys in
            results.withUnsafeMutableBufferPointer { out in
                let start = (benchmark.currentIteration * lookupsPerIteration) % data.keyCount
                benchmark.startMeasurement()
                data.trie.lookup(UnsafeBufferPointer(rebasing: keys[start..<(start + lookupsPerIteration)]), into: out)
                benchmark.stopMeasurement()
            }
        }
        blackHole(results[benchmark.currentIteration % lookupsPerIteration])
    }

    Benchmark("lpm-external-interleaved") { benchmark in
        let data = External.shared
        var results = [UInt32](repeating: 0, count: lookupsPerIteration)
        data.keys.withUnsafeBufferPointer { keys in
            results.withUnsafeMutableBufferPointer { out in
                let start = (benchmark.currentIteration * lookupsPerIteration) % data.keyCount
                benchmark.startMeasurement()
                data.trie.lookupInterleaved(UnsafeBufferPointer(rebasing: keys[start..<(start + lookupsPerIteration)]), into: out)
                benchmark.stopMeasurement()
            }
        }
        blackHole(results[benchmark.currentIteration % lookupsPerIteration])
    }

    // Same-run baseline: binary search over the table's disjoint address ranges (the usual
    // "sorted array" LPM). A linear scan of 800k prefixes would take minutes per iteration.
    Benchmark("lpm-external-bsearch") { benchmark in
        let data = External.shared
        let ranges = External.ranges
        var sum: UInt32 = 0
        data.keys.withUnsafeBufferPointer { keys in
            let start = (benchmark.currentIteration * lookupsPerIteration) % data.keyCount
            benchmark.startMeasurement()
            for i in start..<(start + lookupsPerIteration) { sum &+= ranges.lookup(keys[i]) }
            benchmark.stopMeasurement()
        }
        blackHole(sum)
    }

    Benchmark("lpm-build-800k", configuration: .init(metrics: [.wallClock], scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 5)) { benchmark in
        let prefixes = External.shared.prefixes
        benchmark.startMeasurement()
        let trie = RouteTrie(prefixes)
        benchmark.stopMeasurement()
        blackHole(trie.memoryBytes)
    }

    // (b) 10 000 AWS-like route tables in one arena, (table, address) keys in random order;
    // "-grouped": the same keys ordered by table, as an evaluator meets them (flows by source subnet).
    let awsVariants: [(String, @Sendable () -> (set: RouteTrieSet, linear: [LinearRouteTable], tables: [UInt32], addresses: [UInt32]))] = [
        ("", { let d = AWSTables.organization; return (d.set, d.linear, d.tableKeys, d.addressKeys) }),
        ("-grouped", { let d = AWSTables.organization; return (d.set, d.linear, d.groupedTableKeys, d.groupedAddressKeys) }),
        ("-independent", { let d = AWSTables.independent; return (d.set, d.linear, d.tableKeys, d.addressKeys) }),
    ]
    for (suffix, input) in awsVariants {
        Benchmark("lpm-aws-10k-tables\(suffix)") { benchmark in
            let data = input()
            var results = [UInt32](repeating: 0, count: lookupsPerIteration)
            data.tables.withUnsafeBufferPointer { t in
                data.addresses.withUnsafeBufferPointer { a in
                    results.withUnsafeMutableBufferPointer { out in
                        benchmark.startMeasurement()
                        data.set.lookup(tables: t, addresses: a, into: out)
                        benchmark.stopMeasurement()
                    }
                }
            }
            blackHole(results[benchmark.currentIteration % lookupsPerIteration])
        }

        Benchmark("lpm-aws-10k-tables\(suffix)-interleaved") { benchmark in
            let data = input()
            var results = [UInt32](repeating: 0, count: lookupsPerIteration)
            data.tables.withUnsafeBufferPointer { t in
                data.addresses.withUnsafeBufferPointer { a in
                    results.withUnsafeMutableBufferPointer { out in
                        benchmark.startMeasurement()
                        data.set.lookupInterleaved(tables: t, addresses: a, into: out)
                        benchmark.stopMeasurement()
                    }
                }
            }
            blackHole(results[benchmark.currentIteration % lookupsPerIteration])
        }

        // Same-run baseline: one linear scan per key over its table's routes.
        Benchmark("lpm-aws-10k-tables\(suffix)-linear") { benchmark in
            let data = input()
            var sum: UInt32 = 0
            benchmark.startMeasurement()
            for i in 0..<lookupsPerIteration {
                sum &+= data.linear[Int(data.tables[i])].lookup(data.addresses[i])
            }
            benchmark.stopMeasurement()
            blackHole(sum)
        }
    }

    // (c) Dependent chains: the next address is derived from the previous result (a path walk).
    Benchmark("lpm-chain-scalar") { benchmark in
        let trie = External.shared.trie
        var total: UInt32 = 0
        benchmark.startMeasurement()
        for chain in 0..<UInt32(Chain.lanes) {
            var key = Chain.seed(chain &+ UInt32(truncatingIfNeeded: benchmark.currentIteration) &* 16)
            for _ in 0..<Chain.steps {
                key = Chain.next(key, trie.lookup(key))
            }
            total &+= key
        }
        benchmark.stopMeasurement()
        blackHole(total)
    }

    Benchmark("lpm-chain-interleaved") { benchmark in
        let trie = External.shared.trie
        var keys = SIMD16<UInt32>()
        for l in 0..<Chain.lanes {
            keys[l] = Chain.seed(UInt32(l) &+ UInt32(truncatingIfNeeded: benchmark.currentIteration) &* 16)
        }
        benchmark.startMeasurement()
        for _ in 0..<Chain.steps {
            keys = Chain.next(keys, trie.lookupInterleaved(keys))
        }
        benchmark.stopMeasurement()
        blackHole(keys)
    }

    // The same over the 10k AWS tables: each step picks the next table and an address in 10/8
    // from the previous result, like an evaluator following a path from subnet to subnet.
    Benchmark("lpm-aws-chain-scalar") { benchmark in
        let set = AWSTables.organization.set
        let n = UInt32(set.tableCount)
        var total: UInt32 = 0
        benchmark.startMeasurement()
        for chain in 0..<UInt32(Chain.lanes) {
            var key = Chain.seed(chain &+ UInt32(truncatingIfNeeded: benchmark.currentIteration) &* 16)
            for _ in 0..<Chain.steps {
                key = Chain.next(key, set.lookup(table: key % n, address: 0x0A00_0000 | key & 0x00FF_FFFF))
            }
            total &+= key
        }
        benchmark.stopMeasurement()
        blackHole(total)
    }

    Benchmark("lpm-aws-chain-interleaved") { benchmark in
        let set = AWSTables.organization.set
        let n = SIMD16<UInt32>(repeating: UInt32(set.tableCount))
        var keys = SIMD16<UInt32>()
        for l in 0..<Chain.lanes {
            keys[l] = Chain.seed(UInt32(l) &+ UInt32(truncatingIfNeeded: benchmark.currentIteration) &* 16)
        }
        benchmark.startMeasurement()
        for _ in 0..<Chain.steps {
            let result = set.lookupInterleaved(tables: keys % n, addresses: 0x0A00_0000 | keys & 0x00FF_FFFF)
            keys = Chain.next(keys, result)
        }
        benchmark.stopMeasurement()
        blackHole(keys)
    }
}

/// Dependent-chain parameters: 16 chains x 62 500 steps = 1 000 000 lookups.
enum Chain {
    static let lanes = 16
    static let steps = lookupsPerIteration / lanes

    @inline(__always) static func seed(_ i: UInt32) -> UInt32 { (i &+ 1) &* 0x9E37_79B1 }

    /// Mixes the result into the key so each lookup depends on the one before (and keys stay spread).
    @inline(__always) static func next(_ key: UInt32, _ result: UInt32) -> UInt32 {
        let x = (key ^ result) &* 0x9E37_79B1
        return x ^ (x &>> 15)
    }

    @inline(__always) static func next(_ key: SIMD16<UInt32>, _ result: SIMD16<UInt32>) -> SIMD16<UInt32> {
        let x = (key ^ result) &* 0x9E37_79B1
        return x ^ (x &>> 15)
    }
}

/// The table named by VPCSIM_LPM_ROUTES and keys from VPCSIM_LPM_KEYS, or a generated stand-in.
final class External: Sendable {
    static let shared = External()
    static let ranges = RangeTable(shared.prefixes)

    let prefixes: [ResolvedPrefix]
    let trie: RouteTrie
    /// Keys, with the first `lookupsPerIteration` repeated at the end so every iteration reads a contiguous slice.
    let keys: [UInt32]
    let keyCount: Int

    init() {
        let env = ProcessInfo.processInfo.environment
        var source = "generated 800k random table, uniform keys (set VPCSIM_LPM_ROUTES / VPCSIM_LPM_KEYS)"
        var prefixes: [ResolvedPrefix] = []
        if let path = env["VPCSIM_LPM_ROUTES"], let text = FileManager.default.contents(atPath: path) {
            prefixes = parseRoutes(text)
            source = path
        }
        if prefixes.isEmpty { prefixes = generatedTable(count: 800_000, seed: 1) }
        var keys: [UInt32] = []
        if let path = env["VPCSIM_LPM_KEYS"], let data = FileManager.default.contents(atPath: path) {
            keys = data.withUnsafeBytes { raw in
                (0..<(raw.count / 4)).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
            }
            source += " keys \(path)"
        }
        if keys.count < lookupsPerIteration {
            var rng = SplitMix64(seed: 2)
            keys = (0..<(1 << 22)).map { _ in UInt32(truncatingIfNeeded: rng.next()) }
        }
        keyCount = keys.count
        keys.append(contentsOf: keys[0..<lookupsPerIteration])
        self.keys = keys
        self.prefixes = prefixes
        let clock = ContinuousClock()
        var trie: RouteTrie?
        let elapsed = clock.measure { trie = RouteTrie(prefixes) }
        self.trie = trie ?? RouteTrie([])
        let t = self.trie
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3
        FileHandle.standardError.write(Data("""
            lpm: \(source)
            lpm: \(prefixes.count) routes, \(t.prefixCount) distinct prefixes, top level \(t.topLevelBits) bits, \
            \(t.memoryBytes) bytes (\(String(format: "%.2f", Double(t.memoryBytes) / Double(max(t.prefixCount, 1)))) bytes/prefix), \
            built in \(String(format: "%.0f", ms)) ms

            """.utf8))
    }
}

/// 10 000 AWS-like route tables and 1 000 000 (table, address) keys: half inside the table's own
/// VPC, a quarter inside one of its routes, a quarter anywhere. Values are table-local route
/// indices (the position of the route in its table), as `RouteTrieSet` recommends.
///
/// `.organization`: 1 500-odd VPCs with 2-10 route tables each (main, public, private per AZ...);
/// the tables of a VPC share the local route, peering routes, a transit-gateway route, routes
/// propagated from on-premises and the S3/DynamoDB prefix lists, and differ in their default route
/// and in per-AZ /24 routes through middleboxes. `.independent`: every table drawn on its own
/// (random peering /24s, on-premises routes and peered /16s): no structure to share, the worst case.
final class AWSTables: Sendable {
    enum Model { case organization, independent }

    static let organization = AWSTables(.organization)
    static let independent = AWSTables(.independent)

    let tables: [[ResolvedPrefix]]
    let linear: [LinearRouteTable]
    let set: RouteTrieSet
    let tableKeys: [UInt32]
    let addressKeys: [UInt32]
    /// The same keys, stably ordered by table.
    let groupedTableKeys: [UInt32]
    let groupedAddressKeys: [UInt32]

    init(_ model: Model) {
        var rng = SplitMix64(seed: 10_000)
        // Two AWS-managed prefix lists (S3- and DynamoDB-like), expanded entry by entry.
        let s3 = (0..<8).map { _ in (UInt32(truncatingIfNeeded: rng.next()) & 0xFFFF_0000, UInt8(15 + rng.below(4))) }
        let ddb = (0..<4).map { _ in (UInt32(truncatingIfNeeded: rng.next()) & 0xFFFF_FF00, UInt8(22 + rng.below(3))) }
        var tables: [[ResolvedPrefix]] = []
        var vpcOfTable: [(UInt32, UInt8)] = []
        switch model {
        case .organization:
            let onPrem = (0..<40).map { _ in
                rng.below(3) == 0 ? (0xC0A8_0000 | UInt32(rng.below(256)) << 8, UInt8(24))
                    : (0xAC10_0000 | UInt32(rng.below(1 << 12)) << 8 & 0xFFFF_F000, UInt8(20 + rng.below(5)))
            }
            let vpcs: [(UInt32, UInt8)] = (0..<1_500).map { _ in
                let length = UInt8(rng.below(5) < 3 ? 16 : 18 + rng.below(5))
                return (0x0A00_0000 | UInt32(truncatingIfNeeded: rng.next()) & 0x00FF_FFFF & PrefixMask.of(length), length)
            }
            while tables.count < 10_000 {
                let vpc = vpcs[rng.below(vpcs.count)]
                var shared = [(vpc.0, vpc.1, RouteOrigin.staticCIDR)]
                for _ in 0..<rng.below(7) { let p = vpcs[rng.below(vpcs.count)]; shared.append((p.0, p.1, .staticCIDR)) }
                if rng.below(2) == 0 { shared.append((0x0A00_0000, 8, .staticCIDR)) }
                if rng.below(5) == 0 { shared.append((0xAC10_0000, 12, .staticCIDR)) }
                if rng.below(5) < 2 { for _ in 0..<(3 + rng.below(10)) { let p = onPrem[rng.below(onPrem.count)]; shared.append((p.0, p.1, .propagated)) } }
                if rng.below(2) == 0 { shared += s3.map { ($0.0, $0.1, .prefixList) } }
                if rng.below(10) < 3 { shared += ddb.map { ($0.0, $0.1, .prefixList) } }
                for _ in 0..<min(2 + rng.below(9), 10_000 - tables.count) {
                    var routes = shared
                    if rng.below(10) != 0 { routes.append((0, 0, .staticCIDR)) }  // to an IGW or a NAT gateway
                    if rng.below(5) == 0 {
                        for _ in 0..<(1 + rng.below(3)) {
                            routes.append((vpc.0 | UInt32(truncatingIfNeeded: rng.next()) & ~PrefixMask.of(vpc.1) & 0xFFFF_FF00, 24, .staticCIDR))
                        }
                    }
                    tables.append(RoutePriority.resolve(routes.enumerated().map {
                        RouteCandidate(prefix: $1.0, length: $1.1, origin: $1.2, value: UInt32($0))
                    }))
                    vpcOfTable.append(vpc)
                }
            }
        case .independent:
            for _ in 0..<10_000 {
                let vpc = 0x0A00_0000 | UInt32(rng.below(256)) << 16
                vpcOfTable.append((vpc, 16))
                var candidates = [RouteCandidate(prefix: vpc, length: 16, origin: .staticCIDR, value: 0)]
                if rng.below(5) != 0 { candidates.append(RouteCandidate(prefix: 0, length: 0, origin: .staticCIDR, value: 1)) }
                if rng.below(3) == 0 { candidates += s3.map { RouteCandidate(prefix: $0.0, length: $0.1, origin: .prefixList, value: 2) } }
                if rng.below(4) == 0 { candidates += ddb.map { RouteCandidate(prefix: $0.0, length: $0.1, origin: .prefixList, value: 3) } }
                let extra = max(0, 5 + rng.below(46) - candidates.count)
                for i in 0..<extra {
                    let (prefix, length): (UInt32, UInt8) = switch rng.below(4) {
                    case 0: (0x0A00_0000 | UInt32(rng.below(1 << 16)) << 8, 24)  // peering / TGW to another VPC's subnet
                    case 1: (0xAC10_0000 | UInt32(rng.below(1 << 12)) << 8, UInt8(20 + rng.below(5)))  // on-prem via VGW
                    case 2: (vpc | UInt32(rng.below(256)) << 8, 24)  // a subnet of this VPC through a middlebox
                    default: (0x0A00_0000 | UInt32(rng.below(256)) << 16, 16)  // peered VPC
                    }
                    candidates.append(RouteCandidate(prefix: prefix, length: length, origin: rng.below(5) == 0 ? .propagated : .staticCIDR, value: UInt32(4 + i)))
                }
                tables.append(RoutePriority.resolve(candidates))
            }
        }
        var tableKeys: [UInt32] = []
        var addressKeys: [UInt32] = []
        for _ in 0..<lookupsPerIteration {
            let t = rng.below(tables.count)
            let routes = tables[t]
            let address: UInt32
            switch rng.below(4) {
            case 0, 1:  // inside the VPC
                let (cidr, length) = vpcOfTable[t]
                address = cidr | UInt32(truncatingIfNeeded: rng.next()) & ~PrefixMask.of(length)
            case 2:
                let r = routes[rng.below(routes.count)]
                address = r.prefix | UInt32(truncatingIfNeeded: rng.next()) & ~PrefixMask.of(r.length)
            default: address = UInt32(truncatingIfNeeded: rng.next())
            }
            tableKeys.append(UInt32(t))
            addressKeys.append(address)
        }
        self.tables = tables
        self.linear = tables.map { LinearRouteTable($0) }
        self.tableKeys = tableKeys
        self.addressKeys = addressKeys
        let order = tableKeys.indices.sorted { (tableKeys[$0], $0) < (tableKeys[$1], $1) }
        groupedTableKeys = order.map { tableKeys[$0] }
        groupedAddressKeys = order.map { addressKeys[$0] }
        let clock = ContinuousClock()
        var set: RouteTrieSet?
        let elapsed = clock.measure { set = RouteTrieSet(tables) }
        self.set = set ?? RouteTrieSet([])
        let routes = tables.reduce(0) { $0 + $1.count }
        FileHandle.standardError.write(Data("""
            lpm-aws (\(model)): \(tables.count) tables (\(self.set.distinctTableCount) distinct, \(self.set.rangeTableCount) range tables), \(routes) routes, \
            \(self.set.memoryBytes) bytes (\(self.set.memoryBytes / max(routes, 1)) bytes/route), built in \(elapsed)

            """.utf8))
    }
}

enum PrefixMask {
    static func of(_ length: UInt8) -> UInt32 { UInt32(truncatingIfNeeded: UInt64(0xFFFF_FFFF) << (32 - UInt64(min(length, 32)))) }
}

/// Baseline: the table flattened into disjoint address ranges, searched by binary search.
struct RangeTable: Sendable {
    let starts: [UInt32]
    let values: [UInt32]

    init(_ input: [ResolvedPrefix]) {
        let sorted = RoutePriority.resolve(input.map { RouteCandidate(prefix: $0.prefix, length: $0.length, origin: .staticCIDR, value: $0.value) })
        var starts: [UInt32] = [0]
        var values: [UInt32] = [RouteTrie.noRoute]
        func emit(_ at: UInt64, _ value: UInt32) {
            guard at <= 0xFFFF_FFFF else { return }
            let a = UInt32(at)
            if starts.last == a {
                values[values.count - 1] = value
            } else if values.last != value {
                starts.append(a)
                values.append(value)
            }
        }
        var stack: [(last: UInt64, value: UInt32)] = []
        for p in sorted {
            let first = UInt64(p.prefix)
            let last = first + (UInt64(1) << (32 - UInt64(p.length))) - 1
            while let top = stack.last, top.last < first {
                stack.removeLast()
                emit(top.last + 1, stack.last?.value ?? RouteTrie.noRoute)
            }
            emit(first, p.value)
            stack.append((last, p.value))
        }
        while let top = stack.popLast() { emit(top.last + 1, stack.last?.value ?? RouteTrie.noRoute) }
        self.starts = starts
        self.values = values
    }

    /// Branch-free binary search for the last range starting at or before `address`.
    @inline(__always)
    func lookup(_ address: UInt32) -> UInt32 {
        starts.withUnsafeBufferPointer { s in
            var base = 0
            var n = s.count
            while n > 1 {
                let half = n / 2
                base = s[base + half] <= address ? base + half : base
                n -= half
            }
            return values.withUnsafeBufferPointer { $0[base] }
        }
    }
}

/// Parses `a.b.c.d/len nexthop` lines; malformed lines are skipped.
func parseRoutes(_ text: Data) -> [ResolvedPrefix] {
    var out: [ResolvedPrefix] = []
    out.reserveCapacity(text.count / 18)
    text.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        var fields = [UInt32](repeating: 0, count: 6)
        var field = 0
        var digits = 0
        func finishLine() {
            if field == 5, digits > 0, fields[0] < 256, fields[1] < 256, fields[2] < 256, fields[3] < 256, fields[4] <= 32 {
                let prefix = fields[0] << 24 | fields[1] << 16 | fields[2] << 8 | fields[3]
                out.append(ResolvedPrefix(prefix: prefix, length: UInt8(fields[4]), value: fields[5]))
            }
            for i in 0..<6 { fields[i] = 0 }
            field = 0
            digits = 0
        }
        for byte in raw {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if field < 6, fields[field] < 100_000_000 { fields[field] = fields[field] * 10 + UInt32(byte - UInt8(ascii: "0")) }
                digits += 1
            case UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                if digits > 0 { field += 1 }
                digits = 0
            case UInt8(ascii: "\n"):
                finishLine()
            default:
                break
            }
        }
        finishLine()
    }
    return out
}

/// A BGP-like random table (length mix of a 2020s Internet table), like gen_lpm_random.py.
func generatedTable(count: Int, seed: UInt64) -> [ResolvedPrefix] {
    let mix: [(UInt8, Int)] = [(8, 1), (12, 10), (14, 30), (15, 50), (16, 140), (17, 80), (18, 150), (19, 300), (20, 450),
                               (21, 500), (22, 1_100), (23, 1_000), (24, 6_150), (25, 10), (26, 10), (28, 5), (30, 5), (32, 10)]
    let total = mix.reduce(0) { $0 + $1.1 }
    var rng = SplitMix64(seed: seed)
    var seen = Set<UInt64>()
    var out: [ResolvedPrefix] = []
    while out.count < count {
        var pick = rng.below(total)
        var length: UInt8 = 24
        for (l, w) in mix {
            if pick < w { length = l; break }
            pick -= w
        }
        let a = UInt32(truncatingIfNeeded: rng.next())
        let top = a >> 24
        if top == 0 || top == 10 || top == 127 || top >= 224 { continue }
        let prefix = a & UInt32(truncatingIfNeeded: UInt64(0xFFFF_FFFF) << (32 - UInt64(length)))
        guard seen.insert(UInt64(prefix) << 8 | UInt64(length)).inserted else { continue }
        out.append(ResolvedPrefix(prefix: prefix, length: length, value: UInt32(1 + rng.below(250))))
    }
    return out
}

struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
