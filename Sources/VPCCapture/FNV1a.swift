/// 64-bit FNV-1a. vpcsim needs identifiers (MAC addresses, initial sequence numbers, IP ids) that
/// are the same on every run and every machine; Swift's `Hasher` is seeded per process, so it is
/// unusable for anything that ends up in a file.
public struct FNV1a: Sendable, Hashable {
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    public private(set) var value: UInt64 = FNV1a.offsetBasis

    public init() {}

    public mutating func combine(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* FNV1a.prime
    }

    public mutating func combine<S: Sequence>(bytes: S) where S.Element == UInt8 {
        for byte in bytes { combine(byte) }
    }

    public mutating func combine(_ string: String) {
        combine(bytes: string.utf8)
    }

    /// Little-endian, so the result does not depend on the host.
    public mutating func combine(_ integer: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { combine(UInt8(truncatingIfNeeded: integer >> UInt64(shift))) }
    }

    public static func hash(_ string: String) -> UInt64 {
        var h = FNV1a()
        h.combine(string)
        return h.value
    }
}
