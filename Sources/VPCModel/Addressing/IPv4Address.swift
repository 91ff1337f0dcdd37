/// An IPv4 address as a host-order `UInt32`: the engine indexes and compares addresses as integers.
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Strict dotted-quad: four decimal octets 0–255, no leading zeros (they mean octal to some tools).
    /// Read byte by byte: a topology holds one address per interface, 100k of them at scale.
    public init?(_ text: some StringProtocol) {
        var result: UInt32 = 0, octet: UInt32 = 0
        var digits = 0, dots = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                result = result << 8 | octet
                (octet, digits, dots) = (0, 0, dots + 1)
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                // A second digit after a leading 0, a fourth digit, or more than 255.
                guard !(digits == 1 && octet == 0), digits < 3 else { return nil }
                octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                guard octet <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, dots == 3 else { return nil }
        value = result << 8 | octet
    }

    public var octets: (UInt8, UInt8, UInt8, UInt8) {
        (UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }

    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }

    /// RFC 1918 private, loopback, link-local, CGNAT, multicast and reserved space: never "the internet".
    public var isPublic: Bool {
        for block in IPv4Address.nonPublicBlocks where block.contains(self) { return false }
        return true
    }

    /// The blocks that are never "the internet"; the Planner cuts address space at their edges too.
    public static let nonPublicBlocks: [CIDR] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
    ].compactMap { CIDR($0) }
}

/// An IPv4 prefix. The network address must have no host bits set, as AWS requires for VPCs, subnets
/// and rules; `init(lenient:)` masks them for imported data.
public struct CIDR: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let network: IPv4Address
    public let length: UInt8

    public init?(network: IPv4Address, length: Int) {
        guard (0...32).contains(length) else { return nil }
        let mask = CIDR.mask(length)
        guard network.value & ~mask == 0 else { return nil }
        self.network = network
        self.length = UInt8(length)
    }

    /// Masks host bits instead of rejecting them.
    public init(masking address: IPv4Address, length: Int) {
        let clamped = max(0, min(32, length))
        self.network = IPv4Address(address.value & CIDR.mask(clamped))
        self.length = UInt8(clamped)
    }

    public init?(_ text: some StringProtocol) {
        guard case .success(let cidr) = CIDR.parse(text) else { return nil }
        self = cidr
    }

    public enum ParseError: Error, Equatable, Sendable {
        case malformed
        case badLength
        case hostBitsSet(suggestion: CIDR)
    }

    /// Parses `a.b.c.d/len`; a bare address is a /32.
    public static func parse(_ text: some StringProtocol) -> Result<CIDR, ParseError> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPv4Address(parts[0]) else { return .failure(.malformed) }
        var length = 32
        if parts.count == 2 {
            let lengthText = parts[1]
            guard !lengthText.isEmpty, lengthText.count <= 2, lengthText.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let parsed = Int(lengthText), parsed <= 32
            else { return .failure(.badLength) }
            length = parsed
        }
        guard let cidr = CIDR(network: address, length: length) else {
            return .failure(.hostBitsSet(suggestion: CIDR(masking: address, length: length)))
        }
        return .success(cidr)
    }

    @inlinable
    public static func mask(_ length: Int) -> UInt32 {
        length <= 0 ? 0 : (length >= 32 ? .max : ~(UInt32.max >> UInt32(length)))
    }

    public var mask: UInt32 { CIDR.mask(Int(length)) }
    public var first: IPv4Address { network }
    public var last: IPv4Address { IPv4Address(network.value | ~mask) }
    /// Number of addresses, as UInt64 so that /0 fits.
    public var size: UInt64 { UInt64(1) << UInt64(32 - Int(length)) }

    public func contains(_ address: IPv4Address) -> Bool { address.value & mask == network.value }
    public func contains(_ other: CIDR) -> Bool { other.length >= length && contains(other.network) }
    public func overlaps(_ other: CIDR) -> Bool { contains(other.network) || other.contains(network) }

    public var description: String { "\(network)/\(length)" }

    public static func < (lhs: CIDR, rhs: CIDR) -> Bool {
        (lhs.network, lhs.length) < (rhs.network, rhs.length)
    }

    public static let any = CIDR(masking: IPv4Address(0), length: 0)
}
