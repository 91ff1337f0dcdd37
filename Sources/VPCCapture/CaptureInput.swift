// The neutral input of VPCCapture. EngineBridge.swift maps the Evaluator's hop-by-hop trace onto
// these types; everything else in VPCCapture uses only them and can be tested on its own.

/// The IP protocols vpcsim can turn into a conversation on the wire.
public enum FlowProtocol: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// ICMP echo request / echo reply (ping). The ICMP echo identifier travels in the port fields
    /// of `PacketHeader` (see there), because NAT gateways remap it the way they remap ports.
    case icmpEcho = 1
    case tcp = 6
    case udp = 17

    /// The IANA protocol number (as in the IPv4 header and in flow logs).
    public var number: UInt8 { rawValue }

    public init?(number: UInt8) { self.init(rawValue: number) }

    public var description: String {
        switch self {
        case .icmpEcho: "icmp"
        case .tcp: "tcp"
        case .udp: "udp"
        }
    }
}

/// The IPv4 addresses and ports of a request packet as seen at one capture point. Each point has its
/// own, because translations (NAT gateway SNAT, internet gateway 1:1 NAT, load balancers) change them
/// along the way. Addresses are host-order `UInt32` (10.0.1.5 is `0x0A00_0105`).
///
/// For ICMP echo, `sourcePort` carries the echo identifier and `destinationPort` is 0: a NAT gateway
/// remaps the identifier as it remaps a source port, and the reply carries it back.
public struct PacketHeader: Sendable, Hashable, CustomStringConvertible {
    public var sourceAddress: UInt32
    public var sourcePort: UInt16
    public var destinationAddress: UInt32
    public var destinationPort: UInt16

    public init(sourceAddress: UInt32, sourcePort: UInt16, destinationAddress: UInt32, destinationPort: UInt16) {
        self.sourceAddress = sourceAddress
        self.sourcePort = sourcePort
        self.destinationAddress = destinationAddress
        self.destinationPort = destinationPort
    }

    /// The header of the response at the same point: source and destination swapped.
    public var reversed: PacketHeader {
        PacketHeader(
            sourceAddress: destinationAddress, sourcePort: destinationPort,
            destinationAddress: sourceAddress, destinationPort: sourcePort)
    }

    /// `10.0.11.25:43512 → 54.1.2.3:443`
    public var description: String {
        "\(formatIPv4(sourceAddress)):\(sourcePort) → \(formatIPv4(destinationAddress)):\(destinationPort)"
    }
}

/// A place on the path where packets are observed: one interface in the pcapng file.
public struct CapturePoint: Sendable, Hashable {
    /// Which way the request crosses this interface. It decides which MAC is the Ethernet source:
    /// a request leaving an ENI has the ENI's MAC as source and the peer (the VPC router) as
    /// destination; a request arriving has them the other way round. Responses are the reverse.
    public enum RequestDirection: Sendable, Hashable {
        /// The request leaves through this interface (the client's ENI, a NAT gateway's public side).
        case outbound
        /// The request arrives on this interface (the server's ENI, a NAT gateway's private side).
        case inbound
    }

    /// The interface name in pcapng (`if_name`), e.g. `eni-0abc Lambda-Internet A`. Points of several
    /// flows with the same name share one interface in the file.
    public var name: String
    /// The interface description in pcapng (`if_description`), e.g. `NAT gateway nat-0123, private side`.
    public var description: String
    /// Stable identity for MAC derivation; two sides of one NAT gateway ENI share it.
    public var id: String
    /// The ENI whose flow log sees packets here (`eni-…`); nil where AWS has no flow log
    /// (internet gateway, gateway endpoint, the internet).
    public var interfaceID: String?
    /// This interface's MAC; nil means `MACAddress.derived(from: id)`.
    public var mac: MACAddress?
    /// The MAC of the other end of the link (usually the VPC router); nil means derived from `id + "#peer"`.
    public var peerMAC: MACAddress?
    public var requestDirection: RequestDirection
    /// The request as seen here; the response is `header.reversed`.
    public var header: PacketHeader
    /// One-way latency from the previous point (for the first point: from the sending host), in nanoseconds.
    /// Set it from `LatencyModel`.
    public var latencyFromPrevious: UInt64
    /// What happened to request packets here, e.g. `SNAT 10.0.11.25:43512 → 54.1.2.3:1027`; a pcapng packet comment.
    public var comment: String?
    /// What happened to response packets here, e.g. `DNAT 54.1.2.3:1027 → 10.0.11.25:43512`.
    public var responseComment: String?

    public init(
        name: String,
        description: String = "",
        id: String? = nil,
        interfaceID: String? = nil,
        mac: MACAddress? = nil,
        peerMAC: MACAddress? = nil,
        requestDirection: RequestDirection,
        header: PacketHeader,
        latencyFromPrevious: UInt64 = 0,
        comment: String? = nil,
        responseComment: String? = nil
    ) {
        self.name = name
        self.description = description
        self.id = id ?? interfaceID ?? name
        self.interfaceID = interfaceID
        self.mac = mac
        self.peerMAC = peerMAC
        self.requestDirection = requestDirection
        self.header = header
        self.latencyFromPrevious = latencyFromPrevious
        self.comment = comment
        self.responseComment = responseComment
    }

    /// The MAC used in frames: the given one, else a stable one derived from `id`.
    public var effectiveMAC: MACAddress { mac ?? .derived(from: id) }
    public var effectivePeerMAC: MACAddress { peerMAC ?? .derived(from: id + "#peer") }
}

/// Where a packet of the flow stops.
public struct FlowDrop: Sendable, Hashable {
    /// Index into `SimulatedFlow.points` (request order) of the last point that sees the dropped
    /// packet. A dropped response travels the points backwards, so it is seen at
    /// `points.count - 1` down to `afterPoint`.
    public var afterPoint: Int
    /// Why, shown as a packet comment on the dropped packets at `afterPoint`, e.g.
    /// `dropped: ENI_SG_RULES_MISMATCH — sg-0a egress allows tcp/443 only to sg-0b`.
    public var comment: String
    /// True when a security group or network ACL of `afterPoint`'s interface rejects the packet, so
    /// its flow log says REJECT; false for drops flow logs do not record as rejects (no route, blackhole).
    public var rejected: Bool

    public init(afterPoint: Int, comment: String, rejected: Bool = true) {
        self.afterPoint = afterPoint
        self.comment = comment
        self.rejected = rejected
    }
}

public enum FlowOutcome: Sendable, Hashable {
    /// The request reaches the last point and the response comes all the way back.
    case delivered
    /// The request stops after `FlowDrop.afterPoint`; nothing comes back. TCP retransmits its SYN.
    case requestDropped(FlowDrop)
    /// The request is delivered but the response stops on its way back (a stateless NACL, typically).
    case responseDropped(FlowDrop)
}

/// Typical one-way latencies, in nanoseconds. The caller sets each `CapturePoint.latencyFromPrevious`
/// from it (the hop kind is the caller's knowledge); the flow uses `hostProcessing` itself.
/// Defaults are round numbers of the right magnitude, not measurements.
public struct LatencyModel: Sendable, Hashable {
    /// Between two places inside one VPC (ENI ↔ VPC router ↔ ENI).
    public var withinVPC: UInt64
    /// Through a NAT gateway.
    public var natGateway: UInt64
    /// Through a gateway endpoint to S3 or DynamoDB.
    public var gatewayEndpoint: UInt64
    /// From an internet gateway to a host on the internet.
    public var internet: UInt64
    /// How long an end host takes to answer (kernel and application).
    public var hostProcessing: UInt64

    public init(
        withinVPC: UInt64 = 100_000,
        natGateway: UInt64 = 500_000,
        gatewayEndpoint: UInt64 = 1_000_000,
        internet: UInt64 = 40_000_000,
        hostProcessing: UInt64 = 50_000
    ) {
        self.withinVPC = withinVPC
        self.natGateway = natGateway
        self.gatewayEndpoint = gatewayEndpoint
        self.internet = internet
        self.hostProcessing = hostProcessing
    }

    public static let `default` = LatencyModel()
}

/// One simulated flow: a request from the host before `points[0]` to the host after the last point,
/// observed at every point on the way, and its response (the same points in reverse).
public struct SimulatedFlow: Sendable, Hashable {
    /// 2026-01-01T00:00:00Z in nanoseconds since the Unix epoch: a fixed default so files are
    /// byte-identical across runs.
    public static let defaultStartTime: UInt64 = 1_767_225_600 * 1_000_000_000

    /// Largest payload vpcsim puts in one packet: one TCP segment of MSS 1460 (Ethernet MTU 1500);
    /// larger payloads would need segmentation, which the single-exchange model does not do.
    public static let maximumPayload = 1460

    public var flowProtocol: FlowProtocol
    /// The request path, in order. Must not be empty.
    public var points: [CapturePoint]
    public var outcome: FlowOutcome
    /// Bytes of application data in the request; nil means the protocol's default
    /// (TCP/UDP 64, ICMP 56 like `ping`).
    public var requestPayloadSize: Int?
    /// Bytes in the response; nil means TCP/UDP 256. Ignored for ICMP: an echo reply echoes the request.
    public var responsePayloadSize: Int?
    /// When the client sends the first packet, in nanoseconds since the Unix epoch.
    public var startTime: UInt64
    public var latency: LatencyModel

    public init(
        flowProtocol: FlowProtocol,
        points: [CapturePoint],
        outcome: FlowOutcome = .delivered,
        requestPayloadSize: Int? = nil,
        responsePayloadSize: Int? = nil,
        startTime: UInt64 = SimulatedFlow.defaultStartTime,
        latency: LatencyModel = .default
    ) {
        self.flowProtocol = flowProtocol
        self.points = points
        self.outcome = outcome
        self.requestPayloadSize = requestPayloadSize
        self.responsePayloadSize = responsePayloadSize
        self.startTime = startTime
        self.latency = latency
    }

    var effectiveRequestSize: Int {
        requestPayloadSize ?? (flowProtocol == .icmpEcho ? 56 : 64)
    }

    var effectiveResponseSize: Int {
        flowProtocol == .icmpEcho ? effectiveRequestSize : (responsePayloadSize ?? 256)
    }

    /// Checks what synthesis relies on, with a message that says what to change.
    public func validate() throws(CaptureError) {
        guard !points.isEmpty else {
            throw .invalidFlow("a simulated flow needs at least one capture point")
        }
        for (name, size) in [("request", effectiveRequestSize), ("response", effectiveResponseSize)] {
            guard size >= 0, size <= SimulatedFlow.maximumPayload else {
                throw .invalidFlow(
                    "\(name) payload of \(size) bytes is outside 0…\(SimulatedFlow.maximumPayload) "
                        + "(one packet; vpcsim does not segment)")
            }
        }
        switch outcome {
        case .delivered: break
        case .requestDropped(let drop), .responseDropped(let drop):
            guard drop.afterPoint >= 0, drop.afterPoint < points.count else {
                throw .invalidFlow(
                    "drop after point \(drop.afterPoint), but the flow has points 0…\(points.count - 1)")
            }
        }
    }
}

/// `10.0.1.5`
func formatIPv4(_ address: UInt32) -> String {
    "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
}

/// Strict dotted quad: four decimal octets, no leading `+`, no empty parts.
func parseIPv4<S: StringProtocol>(_ text: S) -> UInt32? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var value: UInt32 = 0
    for part in parts {
        guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
            let octet = UInt32(part), octet <= 255
        else { return nil }
        value = value << 8 | octet
    }
    return value
}
