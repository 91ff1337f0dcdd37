import VPCModel

/// Traffic seen at an interface, before anyone knows which flow it belongs to: the addresses, ports
/// and protocol of packets as they were there — a capture's conversation, or one VPC Flow Log
/// record. `ObservationReader` turns it into the `Flow` to evaluate; capture replay and flow log
/// replay both go through it, so they read traffic the same way.
public struct TrafficObservation: Sendable, Hashable {
    /// What the observer knows about which way the packets went.
    public enum Orientation: Sendable, Hashable {
        /// The source opened the conversation: a capture's conversation, oriented from its TCP SYN
        /// or ICMP echo request.
        case fromClient
        /// One direction of a connection, request or response: a flow log record (AWS logs each
        /// direction separately). The ports tell them apart (`TrafficObservation.looksLikeResponse`).
        case eitherWay
    }

    public var sourceAddress: UInt32
    public var destinationAddress: UInt32
    /// TCP and UDP only; ignored for other protocols.
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var ipProtocol: UInt8
    /// Where the packets were seen (DataPlane interface indices): the one ENI of a flow log record, or
    /// every interface a capture's `interface:` stands for (a workload has several). The first of
    /// them holding the source address, else the first holding the destination address, is the one
    /// the observation is read at.
    public var interfaces: [UInt32]
    public var orientation: Orientation

    public init(sourceAddress: UInt32, destinationAddress: UInt32, sourcePort: UInt16, destinationPort: UInt16,
                ipProtocol: UInt8, at interfaces: [UInt32], orientation: Orientation) {
        self.sourceAddress = sourceAddress
        self.destinationAddress = destinationAddress
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.ipProtocol = ipProtocol
        self.interfaces = interfaces
        self.orientation = orientation
    }

    var hasPorts: Bool { ipProtocol == 6 || ipProtocol == 17 }

    /// A TCP/UDP packet from a low port to a higher one, with the low port below 1024 or the high
    /// one in the ephemeral range (32768 and above), is taken for a server's answer to a client.
    /// A response from a server port ≥ 1024 to a client port < 32768 (8080 → 2000) reads as a
    /// request: nothing in one record tells them apart.
    public var looksLikeResponse: Bool {
        hasPorts && sourcePort < destinationPort && (sourcePort < 1024 || destinationPort >= 32768)
    }
}

/// An observation read as a flow: the request to evaluate, and the observing interface's place in it.
public struct FlowAtInterface: Sendable, Hashable {
    /// The two ends of a connection.
    public enum End: Sendable, Hashable {
        /// Sends the request (and receives the response).
        case client
        /// Receives the request (and sends the response).
        case server
    }

    /// The request, client → server, with the destination as the client addressed it.
    public var flow: Flow
    /// The interface the observation was read at (one of `TrafficObservation.interfaces`).
    public var interface: UInt32
    public var end: End
    /// Whether the observed packets are the request or the response.
    public var direction: Direction

    public init(flow: Flow, interface: UInt32, end: End, direction: Direction) {
        self.flow = flow
        self.interface = interface
        self.end = end
        self.direction = direction
    }

    /// The interface sent the observed packets (request at the client, response at the server).
    public var interfaceSent: Bool { (end == .client) == (direction == .request) }
}

/// Why an observation is not turned into a flow.
public enum ObservationSkip: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Observed at a NAT gateway's interface: traffic passing through, whose ends see it too and are
    /// where it is judged (a NAT gateway starts no flow and accepts none).
    case natGatewayInterface
    /// Neither address is a private IP of the observing interface (a capture of several points also
    /// holds what NAT and internet gateways saw).
    case notAtInterface
    /// The client is a NAT gateway's private IP: the connection was opened by some interface behind
    /// that NAT gateway, and which one the observation does not say.
    case clientBehindNATGateway
    /// The client is a public address, but the observing interface has no public IP for it to have
    /// addressed (it came through something else, a load balancer perhaps).
    case noPublicIP
    /// The other address is neither an interface of the network nor a public address.
    case unknownPeer

    public var description: String {
        switch self {
        case .natGatewayInterface: return "a NAT gateway's interface (traffic passing through; judged at its ends)"
        case .notAtInterface: return "neither address is one of the interface's private IPs"
        case .clientBehindNATGateway: return "the client is a NAT gateway's address (which interface behind it is unknown)"
        case .noPublicIP: return "a public peer, but the interface has no public IP (through a load balancer?)"
        case .unknownPeer: return "the other address is neither an interface of the network nor public"
        }
    }
}

/// What an observation is: a flow to evaluate, or why it is none.
public enum ObservationReading: Sendable, Hashable {
    case flow(FlowAtInterface)
    case skipped(ObservationSkip)
}

/// Reads observations as flows over one DataPlane (docs/diff-replay.md, docs/scenarios.md):
///
/// - The observing interface is the **sender** when the source address is one of its private IPs,
///   else the **receiver** when the destination address is.
/// - With `.eitherWay` orientation, a packet that `looksLikeResponse` is the response; the flow is
///   the request it answers (addresses and ports swapped back). Everything else is a request.
/// - The client → server request is the flow. When the interface is the client, the server address
///   is the destination as the client addressed it. When it is the server, the client is the
///   interface holding that private IP; a public client is the internet, addressing the server's
///   public IP (what the packet carried before the internet gateway translated it) — also when the
///   public address is a NAT gateway's or another interface's: the server's side of the flow, which
///   is what the server observes, is the same.
/// - ICMP is an echo request (flow logs carry no type; a capture's conversation is oriented from
///   its echo request); other protocols than TCP and UDP carry no ports.
public struct ObservationReader: Sendable {
    public let plane: DataPlane
    /// Private IP → the first interface (model order) holding it, in any VPC.
    let interfaceByPrivateIP: [UInt32: UInt32]

    public init(_ plane: DataPlane) {
        self.plane = plane
        var index: [UInt32: UInt32] = [:]
        for (i, interface) in plane.interfaces.enumerated() {
            for a in interface.addresses.indices where index[plane.interfaceAddresses[a]] == nil {
                index[plane.interfaceAddresses[a]] = UInt32(i)
            }
        }
        interfaceByPrivateIP = index
    }

    public func read(_ observation: TrafficObservation) -> ObservationReading {
        let known = observation.interfaces.filter { Int($0) < plane.interfaces.count }
        if !known.isEmpty, known.allSatisfy({ plane.interfaces[Int($0)].owner == .natGateway }) {
            return .skipped(.natGatewayInterface)
        }
        let interface: UInt32
        let interfaceSent: Bool
        if let sender = known.first(where: { holds($0, observation.sourceAddress) }) {
            interface = sender
            interfaceSent = true
        } else if let receiver = known.first(where: { holds($0, observation.destinationAddress) }) {
            interface = receiver
            interfaceSent = false
        } else {
            return .skipped(.notAtInterface)
        }

        let direction: Direction = observation.orientation == .eitherWay && observation.looksLikeResponse ? .response : .request
        let isRequest = direction == .request
        let client = isRequest ? observation.sourceAddress : observation.destinationAddress
        let server = isRequest ? observation.destinationAddress : observation.sourceAddress
        let end: FlowAtInterface.End = interfaceSent == isRequest ? .client : .server

        var flow: Flow
        if end == .client {
            flow = Flow(source: interface, destination: server, ipProtocol: observation.ipProtocol)
        } else if let peer = interfaceByPrivateIP[client] {
            guard plane.interfaces[Int(peer)].owner != .natGateway else { return .skipped(.clientBehindNATGateway) }
            flow = Flow(source: peer, destination: server, ipProtocol: observation.ipProtocol)
        } else if IPv4Address(client).isPublic {
            let compiled = plane.interfaces[Int(interface)]
            guard compiled.hasPublicIP else { return .skipped(.noPublicIP) }
            flow = Flow(source: Flow.internet, externalSource: client, destination: compiled.publicIP, ipProtocol: observation.ipProtocol)
        } else {
            return .skipped(.unknownPeer)
        }
        if observation.hasPorts {
            flow.sourcePort = isRequest ? observation.sourcePort : observation.destinationPort
            flow.destinationPort = isRequest ? observation.destinationPort : observation.sourcePort
        } else if observation.ipProtocol == 1 {
            flow.icmpType = 8
        }
        return .flow(FlowAtInterface(flow: flow, interface: interface, end: end, direction: direction))
    }

    func holds(_ interface: UInt32, _ address: UInt32) -> Bool {
        plane.interfaces[Int(interface)].addresses.indices.contains { plane.interfaceAddresses[$0] == address }
    }
}
