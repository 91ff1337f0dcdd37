/// Deterministic AWS-style ids for resources a topology names but gives no id, so that answers,
/// captures and exports are identical on every run.
public enum StableID {
    /// `prefix-` followed by 17 hex digits, like AWS's long ids: FNV-1a of `prefix:seed`, then the
    /// low nibble of FNV-1a of `seed#prefix`. Hashed and formatted without building those strings:
    /// a large topology derives an id for each of its 100k interfaces.
    public static func make(_ prefix: String, _ seed: String) -> String {
        let first = fnv1a64(seed.utf8, from: fnv1a64(CollectionOfOne(UInt8(ascii: ":")), from: fnv1a64(prefix.utf8)))
        let second = fnv1a64(prefix.utf8, from: fnv1a64(CollectionOfOne(UInt8(ascii: "#")), from: fnv1a64(seed.utf8)))
        let digits = hexDigits
        let prefixBytes = prefix.utf8
        return String(unsafeUninitializedCapacity: prefixBytes.count + 18) { buffer in
            var index = 0
            for byte in prefixBytes { buffer[index] = byte; index += 1 }
            buffer[index] = UInt8(ascii: "-")
            index += 1
            for shift in stride(from: 60, through: 0, by: -4) {
                buffer[index] = digits[Int(first >> UInt64(shift) & 0xF)]
                index += 1
            }
            buffer[index] = digits[Int(second & 0xF)]
            return index + 1
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func fnv1a64(_ text: String) -> UInt64 { fnv1a64(text.utf8) }

    /// FNV-1a over `bytes`, continuing from `hash` (the offset basis for a fresh hash).
    static func fnv1a64<Bytes: Sequence>(_ bytes: Bytes, from hash: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 where Bytes.Element == UInt8 {
        var hash = hash
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
