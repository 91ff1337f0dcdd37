/// An IP protocol as AWS rules name it: a number 0–255, or `-1` for every protocol.
public struct IPProtocol: Hashable, Sendable, CustomStringConvertible {
    /// -1 means all protocols.
    public let number: Int16

    public init?(number: Int) {
        guard number == -1 || (0...255).contains(number) else { return nil }
        self.number = Int16(number)
    }

    private init(unchecked number: Int16) { self.number = number }

    public static let all = IPProtocol(unchecked: -1)
    public static let icmp = IPProtocol(unchecked: 1)
    public static let tcp = IPProtocol(unchecked: 6)
    public static let udp = IPProtocol(unchecked: 17)
    public static let icmpv6 = IPProtocol(unchecked: 58)

    static let names: [(String, Int16)] = [("all", -1), ("icmp", 1), ("tcp", 6), ("udp", 17), ("icmpv6", 58)]

    /// Accepts `tcp`, `udp`, `icmp`, `icmpv6`, `all`, `-1`, `any`, or a number.
    public init?(_ text: some StringProtocol) {
        let lowered = text.lowercased()
        if lowered == "-1" || lowered == "any" { self = .all; return }
        if let named = IPProtocol.names.first(where: { $0.0 == lowered }) { self.init(unchecked: named.1); return }
        guard let number = Int(lowered), let parsed = IPProtocol(number: number) else { return nil }
        self = parsed
    }

    public var isAll: Bool { number == -1 }
    /// AWS rules carry ports only for TCP and UDP; every other protocol means every port.
    public var hasPorts: Bool { number == 6 || number == 17 }

    public var name: String {
        IPProtocol.names.first(where: { $0.1 == number })?.0 ?? String(number)
    }

    public var description: String { name }

    public func matches(_ packetProtocol: UInt8) -> Bool { isAll || Int16(packetProtocol) == number }
}

/// An inclusive port range; `all` is 0–65535.
public struct PortRange: Hashable, Sendable, CustomStringConvertible {
    public let lower: UInt16
    public let upper: UInt16

    public init?(_ lower: Int, _ upper: Int) {
        guard (0...65535).contains(lower), (0...65535).contains(upper), lower <= upper else { return nil }
        self.lower = UInt16(lower)
        self.upper = UInt16(upper)
    }

    public init(port: UInt16) { lower = port; upper = port }

    public static let all = PortRange(unsafeLower: 0, upper: 65535)
    /// The ephemeral range NAT gateways, ELB and Lambda use for client ports.
    public static let awsEphemeral = PortRange(unsafeLower: 1024, upper: 65535)
    /// The Linux default ephemeral range (net.ipv4.ip_local_port_range).
    public static let linuxEphemeral = PortRange(unsafeLower: 32768, upper: 60999)

    private init(unsafeLower: UInt16, upper: UInt16) { lower = unsafeLower; self.upper = upper }

    /// `443`, `1024-65535`, `all`.
    public init?(_ text: some StringProtocol) {
        let trimmed = text.trimmingSpaces
        if trimmed.lowercased() == "all" || trimmed == "-1" { self = .all; return }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
              let low = Int(parts[0].trimmingSpaces), let high = Int(parts[parts.count - 1].trimmingSpaces),
              let range = PortRange(low, high)
        else { return nil }
        self = range
    }

    public var isAll: Bool { lower == 0 && upper == 65535 }
    public var count: Int { Int(upper) - Int(lower) + 1 }
    public func contains(_ port: UInt16) -> Bool { lower <= port && port <= upper }

    public var description: String {
        isAll ? "all" : (lower == upper ? "\(lower)" : "\(lower)-\(upper)")
    }
}

/// An ICMP type/code match; -1 matches any.
public struct ICMPMatch: Hashable, Sendable, CustomStringConvertible {
    public let type: Int16
    public let code: Int16

    public init?(type: Int, code: Int) {
        guard (-1...255).contains(type), (-1...255).contains(code) else { return nil }
        self.type = Int16(type)
        self.code = Int16(code)
    }

    public static let any = ICMPMatch(anyType: ())
    private init(anyType: Void) { type = -1; code = -1 }

    public func matches(type packetType: UInt8, code packetCode: UInt8) -> Bool {
        (type == -1 || type == Int16(packetType)) && (code == -1 || code == Int16(packetCode))
    }

    public var isAny: Bool { type == -1 && code == -1 }

    public var description: String {
        isAny ? "any" : "type \(type == -1 ? "any" : String(type)) code \(code == -1 ? "any" : String(code))"
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        // Nearly every port or protocol has no space around it: no need to reverse it twice.
        if let first, let last, first != " ", first != "\t", last != " ", last != "\t" { return String(self) }
        return String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
