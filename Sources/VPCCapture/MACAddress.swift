/// A 48-bit Ethernet address. Stored as a `UInt64` so it is cheap to copy and compare.
public struct MACAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The address in the low 48 bits, first octet most significant.
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue & 0xFFFF_FFFF_FFFF
    }

    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8, _ b5: UInt8) {
        var v: UInt64 = 0
        for b in [b0, b1, b2, b3, b4, b5] { v = v << 8 | UInt64(b) }
        self.init(rawValue: v)
    }

    /// Fails unless `bytes` holds exactly six octets.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 6 else { return nil }
        self.init(bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5])
    }

    /// Parses `0a:1b:2c:3d:4e:5f` (also with `-` separators), as AWS prints an ENI's MacAddress.
    public init?(_ text: String) {
        let parts = text.split(omittingEmptySubsequences: false) { $0 == ":" || $0 == "-" }
        guard parts.count == 6 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard part.count == 2, let octet = UInt8(part, radix: 16) else { return nil }
            octets.append(octet)
        }
        self.init(bytes: octets)
    }

    /// A stable, locally administered, unicast address for something that has no real MAC in the
    /// input (a NAT gateway side, the VPC router, an internet host): FNV-1a of `id`, with the
    /// locally-administered bit set and the multicast bit cleared so Wireshark shows it as a plain host.
    public static func derived(from id: String) -> MACAddress {
        let hash = FNV1a.hash(id)
        var value = hash & 0xFFFF_FFFF_FFFF
        value &= ~(UInt64(0x01) << 40)  // unicast
        value |= UInt64(0x02) << 40  // locally administered
        return MACAddress(rawValue: value)
    }

    public var octets: [UInt8] {
        (0..<6).map { UInt8(truncatingIfNeeded: rawValue >> UInt64(40 - 8 * $0)) }
    }

    public var description: String {
        octets.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool { lhs.rawValue < rhs.rawValue }
}
