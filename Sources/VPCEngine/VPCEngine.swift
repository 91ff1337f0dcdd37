/// VPCEngine compiles a `VPCModel.Network` into an immutable data plane and evaluates flows over it.
public enum VPCEngine {}
