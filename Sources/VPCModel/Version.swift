/// The version vpcsim reports; bumped with each release.
public enum VPCSimVersion {
    public static let string = "0.1.0"
}
