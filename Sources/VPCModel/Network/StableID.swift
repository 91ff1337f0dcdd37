/// Deterministic AWS-style ids for resources a topology names but gives no id, so that answers,
/// captures and exports are identical on every run.
public enum StableID {
    /// `prefix-` followed by 17 hex digits, like AWS's long ids.
    public static func make(_ prefix: String, _ seed: String) -> String {
        let first = fnv1a64(prefix + ":" + seed)
        let second = fnv1a64(seed + "#" + prefix)
        let hex = String(first, radix: 16).leftPadded(to: 16) + String(second & 0xF, radix: 16)
        return "\(prefix)-\(hex)"
    }

    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
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
