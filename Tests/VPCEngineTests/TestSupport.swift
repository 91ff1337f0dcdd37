@testable import VPCEngine
import VPCModel
import VPCOracle

/// The route-trie tests' draws on the shared seeded generator (Sources/VPCOracle/RandomNetwork.swift).
extension SplitMix64 {
    mutating func u32() -> UInt32 { UInt32(truncatingIfNeeded: next() >> 32) }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Random tables with every length 0...32. A third of the prefixes are nested under a few shared
/// blocks so that deep nodes, runs of equal leaves and collapsible children all occur; host bits
/// are left set on purpose (they must be ignored); values come from 0..<valueRange (0 = all distinct).
/// `minLength` > 0 makes nearly every prefix distinct (short lengths have few possible prefixes).
func randomTable(count: Int, seed: UInt64, valueRange: Int = 0, minLength: Int = 0) -> [ResolvedPrefix] {
    var rng = SplitMix64(seed: seed)
    let blocks = (0..<8).map { _ in rng.u32() }
    var table: [ResolvedPrefix] = []
    table.reserveCapacity(count)
    for i in 0..<count {
        let length: UInt8
        var address = rng.u32()
        if minLength > 0 {
            length = UInt8(minLength + rng.below(33 - minLength))
        } else if rng.below(3) == 0 {
            let block = blocks[rng.below(blocks.count)]
            length = UInt8(8 + rng.below(25))
            let keep = UInt32(truncatingIfNeeded: UInt64(0xFFFF_FFFF) << UInt64(32 - 8 - rng.below(17)))
            address = (block & keep) | (address & ~keep)
        } else {
            length = UInt8(rng.below(33))
        }
        let value = valueRange == 0 ? UInt32(i) : UInt32(rng.below(valueRange))
        table.append(ResolvedPrefix(prefix: address, length: length, value: value))
    }
    return table
}

/// First address, last address and the addresses just outside each prefix, plus random ones.
func probeAddresses(_ table: [ResolvedPrefix], random: Int, seed: UInt64) -> [UInt32] {
    var out: [UInt32] = [0, 1, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF]
    for p in table {
        let mask = PrefixMath.mask(p.length)
        let first = p.prefix & mask
        let last = first | ~mask
        out.append(contentsOf: [first, last, first &- 1, last &+ 1])
    }
    var rng = SplitMix64(seed: seed)
    for _ in 0..<random { out.append(rng.u32()) }
    return out
}

/// An independent oracle for tables too big for a linear scan in a debug build: one hash probe per
/// length, longest first; the first of duplicates wins, as in `LinearRouteTable`.
struct HashOracle {
    var byKey: [UInt64: UInt32] = [:]
    init(_ table: [ResolvedPrefix]) {
        for p in table {
            let len = min(p.length, 32)
            let key = UInt64(p.prefix & PrefixMath.mask(len)) << 8 | UInt64(len)
            if byKey[key] == nil { byKey[key] = p.value }
        }
    }
    func lookup(_ address: UInt32) -> UInt32 {
        for len in stride(from: 32, through: 0, by: -1) {
            let key = UInt64(address & PrefixMath.mask(UInt8(len))) << 8 | UInt64(len)
            if let v = byKey[key] { return v }
        }
        return RouteTrie.noRoute
    }
}

/// The first address where `actual` and `expected` differ, for a readable failure.
func firstMismatch(_ addresses: [UInt32], _ actual: (UInt32) -> UInt32, _ expected: (UInt32) -> UInt32) -> String? {
    for a in addresses {
        let x = actual(a), y = expected(a)
        if x != y { return "address \(dotted(a)): got \(x), expected \(y)" }
    }
    return nil
}

func dotted(_ a: UInt32) -> String { "\(a >> 24).\((a >> 16) & 255).\((a >> 8) & 255).\(a & 255)" }

/// Test-only parser for literals like "10.0.0.0/16" (a malformed literal is a test bug; it reads as 0).
func parseCIDR(_ s: String) -> (UInt32, UInt8) {
    let parts = s.split(separator: "/")
    let octets = (parts.first ?? "").split(separator: ".").map { UInt32($0) ?? 0 }
    let address = octets.reduce(0) { $0 << 8 | $1 }
    let length = parts.count > 1 ? UInt8(parts[1]) ?? 32 : 32
    return (address, length)
}

func cidr(_ s: String, _ value: UInt32) -> ResolvedPrefix {
    let (p, l) = parseCIDR(s)
    return ResolvedPrefix(prefix: p, length: l, value: value)
}

func candidate(_ s: String, _ origin: RouteOrigin, _ value: UInt32) -> RouteCandidate {
    let (p, l) = parseCIDR(s)
    return RouteCandidate(prefix: p, length: l, origin: origin, value: value)
}

func ip(_ s: String) -> UInt32 { parseCIDR(s).0 }
