import VPCModel

/// The one verdict of a question (docs/semantics.md §12): what `query` answers, what the matrix
/// shows, what `expect:` compares and what `diff` reports a change of. Decided once, in
/// `SourceReach.results`; every consumer reads it, none derives it again.
public enum ConnectionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every source reaches the destination (request delivered, response back) on something asked.
    case yes
    /// Something gets through, but not from every source (for the internet: not from every address).
    case partly
    /// Nothing asked gets through from any source.
    case no
}

/// A protocol as the Planner asks about it: a protocol number, `other` (one representative for every
/// number no rule names) or `all` (classes equal on every protocol, merged for reading).
public enum TrafficProtocol: Sendable, Hashable, Comparable {
    case number(UInt8)
    case other
    case all

    public static let tcp = TrafficProtocol.number(6)
    public static let udp = TrafficProtocol.number(17)
    public static let icmp = TrafficProtocol.number(1)

    /// `tcp`, `udp`, `icmp`, `47`, `other`, `all`: the word the text and JSON outputs use.
    public var label: String {
        switch self {
        case .number(6): return "tcp"
        case .number(17): return "udp"
        case .number(1): return "icmp"
        case .number(let n): return String(n)
        case .other: return "other"
        case .all: return "all"
        }
    }

    /// TCP and UDP are cut by destination port; the others are one class each.
    public var hasPorts: Bool { self == .tcp || self == .udp }
}

/// A set of unsigned integers as sorted, disjoint, non-adjacent closed ranges, so that equal sets
/// compare equal: the ports (`PortSet`) and addresses (`AddressSet`) of answers and diffs.
public struct IntervalSet<Bound: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable, Hashable {
    public private(set) var ranges: [ClosedRange<Bound>]

    public init(_ ranges: [ClosedRange<Bound>] = []) {
        self.ranges = IntervalMath.merge(ranges.map { (UInt64($0.lowerBound), UInt64($0.upperBound)) }).map { Bound($0.0)...Bound($0.1) }
    }

    public init(_ range: ClosedRange<Bound>) { ranges = [range] }

    public var isEmpty: Bool { ranges.isEmpty }
    public var count: Int { ranges.reduce(0) { $0 + Int(UInt64($1.upperBound) - UInt64($1.lowerBound)) + 1 } }

    public func contains(_ value: Bound) -> Bool { range(containing: value) != nil }

    /// The range of the set that holds `value`, if one does (binary search).
    public func range(containing value: Bound) -> ClosedRange<Bound>? {
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound < value { low = mid + 1 } else { high = mid }
        }
        return low < ranges.count && ranges[low].contains(value) ? ranges[low] : nil
    }

    public func union(_ other: IntervalSet) -> IntervalSet { IntervalSet(ranges + other.ranges) }
    public func subtracting(_ other: IntervalSet) -> IntervalSet { IntervalSet(IntervalMath.subtract(wide, other.wide).map(Self.narrow)) }
    public func intersection(_ other: IntervalSet) -> IntervalSet { IntervalSet(IntervalMath.intersect(wide, other.wide).map(Self.narrow)) }

    var wide: [(UInt64, UInt64)] { ranges.map { (UInt64($0.lowerBound), UInt64($0.upperBound)) } }
    static func narrow(_ interval: (UInt64, UInt64)) -> ClosedRange<Bound> { Bound(interval.0)...Bound(interval.1) }
}

/// TCP/UDP ports (or, for protocols without ports, the single class `0...0`).
public typealias PortSet = IntervalSet<UInt16>
/// IPv4 addresses.
public typealias AddressSet = IntervalSet<UInt32>

extension IntervalSet where Bound == UInt16 {
    public static var all: PortSet { PortSet(0...65535) }
    /// The one class of a protocol without ports.
    public static var portless: PortSet { PortSet(0...0) }

    /// `443`, `80, 443`, `1024-65535`, `all`.
    public var text: String {
        if self == .all { return "all" }
        return ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ", ")
    }
}

extension IntervalSet where Bound == UInt32 {
    public static var everything: AddressSet { AddressSet([0...UInt32.max]) }

    /// The first address of the set that is 8.8.8.8 if it holds it: traces read better with it.
    public var representative: UInt32? {
        contains(AddressCell.familiarAddress) ? AddressCell.familiarAddress : ranges.first?.lowerBound
    }

    /// The fewest CIDR blocks that cover exactly the set, in address order (`10.0.0.0/8`, `1.2.3.4/32`).
    public var cidrs: [String] {
        var out: [String] = []
        for range in ranges {
            var start = UInt64(range.lowerBound)
            let high = UInt64(range.upperBound)
            while start <= high {
                var length = 32
                while length > 0 {
                    let size = UInt64(1) << UInt64(33 - length)
                    if start % size != 0 || start + size - 1 > high { break }
                    length -= 1
                }
                out.append("\(IPv4Address(UInt32(start)))/\(length)")
                start += UInt64(1) << UInt64(32 - length)
            }
        }
        return out
    }
}

/// Closed-interval arithmetic over UInt64 bounds, shared by the port and address sets.
enum IntervalMath {
    /// Sorted, with overlapping and adjacent intervals joined.
    static func merge(_ intervals: [(UInt64, UInt64)]) -> [(UInt64, UInt64)] {
        var result: [(UInt64, UInt64)] = []
        for interval in intervals.sorted(by: { $0.0 < $1.0 }) {
            if let last = result.last, interval.0 <= last.1 + 1 {
                result[result.count - 1].1 = max(last.1, interval.1)
            } else {
                result.append(interval)
            }
        }
        return result
    }

    /// `a` without `b`; both merged.
    static func subtract(_ a: [(UInt64, UInt64)], _ b: [(UInt64, UInt64)]) -> [(UInt64, UInt64)] {
        var result: [(UInt64, UInt64)] = []
        var j = 0
        let cut = merge(b)
        for interval in merge(a) {
            var start = interval.0
            while j < cut.count && cut[j].1 < start { j += 1 }
            var k = j
            while k < cut.count && cut[k].0 <= interval.1 {
                if cut[k].0 > start { result.append((start, cut[k].0 - 1)) }
                start = max(start, cut[k].1 + 1)
                k += 1
            }
            if start <= interval.1 { result.append((start, interval.1)) }
        }
        return result
    }

    static func intersect(_ a: [(UInt64, UInt64)], _ b: [(UInt64, UInt64)]) -> [(UInt64, UInt64)] {
        let a = merge(a), b = merge(b)
        var result: [(UInt64, UInt64)] = []
        var i = 0, j = 0
        while i < a.count && j < b.count {
            let low = max(a[i].0, b[j].0), high = min(a[i].1, b[j].1)
            if low <= high { result.append((low, high)) }
            if a[i].1 < b[j].1 { i += 1 } else { j += 1 }
        }
        return result
    }
}

/// A header class: one protocol and the ports of it (for protocols without ports, `PortSet.portless`).
public struct TrafficClass: Sendable, Hashable {
    public var ipProtocol: TrafficProtocol
    public var ports: PortSet

    public init(_ ipProtocol: TrafficProtocol, _ ports: PortSet) { self.ipProtocol = ipProtocol; self.ports = ports }

    /// The word for the ports column: `443`, `all`; `echo` for ICMP (the Planner asks echo requests);
    /// `-` for protocols without ports.
    public var portsText: String {
        switch ipProtocol {
        case .number(1): return "echo"
        case .number(6), .number(17): return ports.text
        case .all: return "all"
        default: return "-"
        }
    }
}
