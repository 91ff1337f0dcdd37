// Turns a SimulatedFlow into the frames each capture point would record. The conversation is
// scripted once, as logical packets sent by the client or the server at a given time; each logical
// packet is then rendered at every point it reaches, with that point's addresses, ports and MACs,
// at the time it passes there. TCP sequence and acknowledgement numbers belong to the logical
// packet, so they are identical at every point (a NAT changes ports, never sequence numbers).

/// One frame as recorded at one capture point.
public struct CapturedPacket: Sendable, Hashable {
    public enum Direction: Sendable, Hashable {
        case request
        case response
    }

    /// Nanoseconds since the Unix epoch.
    public var timestamp: UInt64
    /// Which capture point (interface) recorded it: an index into the flow's points, or into
    /// `PacketCapture.interfaces` once flows are merged.
    public var interfaceIndex: Int
    /// The Ethernet frame, without FCS.
    public var frame: [UInt8]
    /// pcapng packet comments: what the point did to the packet, and why it was dropped there.
    public var comments: [String]
    public var direction: Direction
    /// The packet is dropped at this point by a filter (security group or network ACL): its flow
    /// log records it as REJECT.
    public var rejected: Bool

    public init(
        timestamp: UInt64, interfaceIndex: Int, frame: [UInt8], comments: [String] = [],
        direction: Direction = .request, rejected: Bool = false
    ) {
        self.timestamp = timestamp
        self.interfaceIndex = interfaceIndex
        self.frame = frame
        self.comments = comments
        self.direction = direction
        self.rejected = rejected
    }
}

extension SimulatedFlow {
    /// The frames of this flow at each of its points (`interfaceIndex` = index into `points`), in
    /// timestamp order. Deterministic: the same flow gives the same bytes on every run.
    public func packets() throws(CaptureError) -> [CapturedPacket] {
        try validate()
        let script = ConversationScript(flow: self)
        return script.render()
    }
}

/// Linux-like constants, so the conversation reads like a real one in Wireshark.
enum TCPProfile {
    static let synWindow: UInt16 = 64240
    static let synAckWindow: UInt16 = 65160
    /// Raw window after the handshake; with scale 7 Wireshark shows 64256 and 65152.
    static let clientWindow: UInt16 = 502
    static let serverWindow: UInt16 = 509
    /// Initial retransmission timeout (RFC 6298): SYN retransmissions at +1 s and +3 s.
    static let synRetransmitOffsets: [UInt64] = [0, 1_000_000_000, 3_000_000_000]
    /// Gap between two segments an application writes back to back.
    static let backToBack: UInt64 = 10_000
}

/// A packet as its sender emits it, before it is seen anywhere.
struct LogicalPacket {
    enum Content {
        case tcp(sequence: UInt32, acknowledgement: UInt32, flags: TCPFlags, window: UInt16, options: [UInt8])
        case udp
        case icmpEcho(reply: Bool, sequence: UInt16)
    }

    var direction: CapturedPacket.Direction
    /// When the sender emits it: the client is before point 0, the server after the last point.
    var sendTime: UInt64
    var content: Content
    var payload: [UInt8]
    var ipID: UInt16
    /// The packet stops after this point (request order); nil means it reaches its destination.
    var stopsAfter: Int?
}

struct ConversationScript {
    let flow: SimulatedFlow
    /// `arrival[i]`: time from the client's send to point i seeing the packet.
    let arrival: [UInt64]
    /// Client to server one way.
    let oneWay: UInt64
    let seed: UInt64

    init(flow: SimulatedFlow) {
        self.flow = flow
        var cumulative: UInt64 = 0
        var arrival: [UInt64] = []
        for point in flow.points {
            cumulative &+= point.latencyFromPrevious
            arrival.append(cumulative)
        }
        self.arrival = arrival
        self.oneWay = cumulative
        var hash = FNV1a()
        hash.combine(flow.flowProtocol.number)
        for point in [flow.points[0], flow.points[flow.points.count - 1]] {
            hash.combine(UInt64(point.header.sourceAddress) << 16 | UInt64(point.header.sourcePort))
            hash.combine(UInt64(point.header.destinationAddress) << 16 | UInt64(point.header.destinationPort))
        }
        hash.combine(flow.startTime)
        self.seed = hash.value
    }

    /// Where request and response packets stop, and which of them carry the drop comment.
    var requestStop: Int? {
        if case .requestDropped(let drop) = flow.outcome { return drop.afterPoint }
        return nil
    }

    var responseStop: Int? {
        if case .responseDropped(let drop) = flow.outcome { return drop.afterPoint }
        return nil
    }

    func logicalPackets() -> [LogicalPacket] {
        let (requestData, responseData) = Payloads.make(for: flow)
        let turnaround = flow.latency.hostProcessing
        var clientID = UInt16(truncatingIfNeeded: seed >> 16)
        var serverID = UInt16(truncatingIfNeeded: seed >> 32)
        var packets: [LogicalPacket] = []

        func send(
            _ direction: CapturedPacket.Direction, at time: UInt64, _ content: LogicalPacket.Content,
            payload: [UInt8] = []
        ) {
            let id: UInt16
            switch direction {
            case .request:
                id = clientID
                clientID &+= 1
            case .response:
                id = serverID
                serverID &+= 1
            }
            packets.append(
                LogicalPacket(
                    direction: direction, sendTime: time, content: content, payload: payload, ipID: id,
                    stopsAfter: direction == .request ? requestStop : responseStop))
        }

        let start = flow.startTime
        switch flow.flowProtocol {
        case .tcp:
            let client = UInt32(truncatingIfNeeded: seed)
            let server = UInt32(truncatingIfNeeded: seed >> 32) ^ 0x5A5A_5A5A
            let syn = LogicalPacket.Content.tcp(
                sequence: client, acknowledgement: 0, flags: .syn, window: TCPProfile.synWindow,
                options: TCPHeader.handshakeOptions)
            let synAck = LogicalPacket.Content.tcp(
                sequence: server, acknowledgement: client &+ 1, flags: [.syn, .ack],
                window: TCPProfile.synAckWindow, options: TCPHeader.handshakeOptions)
            if case .delivered = flow.outcome {
                var t = start
                send(.request, at: t, syn)
                t += oneWay + turnaround
                send(.response, at: t, synAck)
                t += oneWay + turnaround
                var clientSeq = client &+ 1
                var serverSeq = server &+ 1
                send(.request, at: t, clientSegment(clientSeq, serverSeq, [.ack]))
                if !requestData.isEmpty {
                    t += TCPProfile.backToBack
                    send(.request, at: t, clientSegment(clientSeq, serverSeq, [.psh, .ack]), payload: requestData)
                    clientSeq &+= UInt32(requestData.count)
                }
                if !responseData.isEmpty {
                    t += oneWay + turnaround
                    send(.response, at: t, serverSegment(serverSeq, clientSeq, [.psh, .ack]), payload: responseData)
                    serverSeq &+= UInt32(responseData.count)
                    t += oneWay + turnaround
                    send(.request, at: t, clientSegment(clientSeq, serverSeq, [.ack]))
                    t += TCPProfile.backToBack
                } else {
                    t += turnaround
                }
                // Client closes; the server answers with its own FIN; the client acknowledges it.
                send(.request, at: t, clientSegment(clientSeq, serverSeq, [.fin, .ack]))
                clientSeq &+= 1
                t += oneWay + turnaround
                send(.response, at: t, serverSegment(serverSeq, clientSeq, [.fin, .ack]))
                serverSeq &+= 1
                t += oneWay + turnaround
                send(.request, at: t, clientSegment(clientSeq, serverSeq, [.ack]))
            } else {
                // No handshake completes: the client retransmits its SYN after 1 s and 3 s. If the
                // SYN gets through, the server answers each copy with its SYN-ACK, which is lost.
                for offset in TCPProfile.synRetransmitOffsets {
                    send(.request, at: start + offset, syn)
                    if requestStop == nil {
                        send(.response, at: start + offset + oneWay + turnaround, synAck)
                    }
                }
            }
        case .udp:
            send(.request, at: start, .udp, payload: requestData)
            if requestStop == nil {
                send(.response, at: start + oneWay + turnaround, .udp, payload: responseData)
            }
        case .icmpEcho:
            send(.request, at: start, .icmpEcho(reply: false, sequence: 1), payload: requestData)
            if requestStop == nil {
                send(.response, at: start + oneWay + turnaround, .icmpEcho(reply: true, sequence: 1), payload: responseData)
            }
        }
        return packets
    }

    func clientSegment(_ seq: UInt32, _ ack: UInt32, _ flags: TCPFlags) -> LogicalPacket.Content {
        .tcp(sequence: seq, acknowledgement: ack, flags: flags, window: TCPProfile.clientWindow, options: [])
    }

    func serverSegment(_ seq: UInt32, _ ack: UInt32, _ flags: TCPFlags) -> LogicalPacket.Content {
        .tcp(sequence: seq, acknowledgement: ack, flags: flags, window: TCPProfile.serverWindow, options: [])
    }

    /// Every logical packet at every point it reaches, sorted by time. Ties keep causal order:
    /// earlier-sent packets first, then the order in which the packet crosses the points.
    func render() -> [CapturedPacket] {
        let points = flow.points
        let last = points.count - 1
        var dropComment: String?
        var dropRejected = false
        switch flow.outcome {
        case .delivered: break
        case .requestDropped(let drop), .responseDropped(let drop):
            dropComment = drop.comment
            dropRejected = drop.rejected
        }

        var rendered: [(packet: CapturedPacket, order: Int)] = []
        var order = 0
        for logical in logicalPackets() {
            let hops: [Int]
            switch logical.direction {
            case .request: hops = Array(0...(logical.stopsAfter ?? last))
            case .response: hops = Array(((logical.stopsAfter ?? 0)...last).reversed())
            }
            for index in hops {
                let point = points[index]
                let isRequest = logical.direction == .request
                let header = isRequest ? point.header : point.header.reversed
                // The request leaves an outbound point from the point's own MAC; everything else follows.
                let fromPoint = (point.requestDirection == .outbound) == isRequest
                let ethernet = EthernetHeader(
                    destination: fromPoint ? point.effectivePeerMAC : point.effectiveMAC,
                    source: fromPoint ? point.effectiveMAC : point.effectivePeerMAC)
                let ip = IPv4Header(
                    identification: logical.ipID, protocolNumber: flow.flowProtocol.number,
                    source: header.sourceAddress, destination: header.destinationAddress)
                let transport: TransportHeader
                switch logical.content {
                case .tcp(let seq, let ack, let flags, let window, let options):
                    transport = .tcp(
                        TCPHeader(
                            sourcePort: header.sourcePort, destinationPort: header.destinationPort,
                            sequenceNumber: seq, acknowledgementNumber: ack, flags: flags, window: window,
                            options: options))
                case .udp:
                    transport = .udp(UDPHeader(sourcePort: header.sourcePort, destinationPort: header.destinationPort))
                case .icmpEcho(let reply, let sequence):
                    // The echo identifier is the request's "source port" at this point, both ways.
                    transport = .icmpEcho(
                        ICMPEchoHeader(isReply: reply, identifier: point.header.sourcePort, sequenceNumber: sequence))
                }
                let frame = PacketBuilder.ethernetFrame(
                    ethernet: ethernet, ip: ip, transport: transport, payload: logical.payload)
                let time: UInt64
                if isRequest {
                    time = logical.sendTime &+ arrival[index]
                } else {
                    time = logical.sendTime &+ (oneWay - arrival[index])
                }
                var comments: [String] = []
                if let note = isRequest ? point.comment : point.responseComment, !note.isEmpty {
                    comments.append(note)
                }
                let droppedHere = logical.stopsAfter == index
                if droppedHere, let dropComment, !dropComment.isEmpty {
                    comments.append(dropComment)
                }
                rendered.append(
                    (
                        CapturedPacket(
                            timestamp: time, interfaceIndex: index, frame: frame, comments: comments,
                            direction: logical.direction, rejected: droppedHere && dropRejected),
                        order
                    ))
                order += 1
            }
        }
        rendered.sort { a, b in
            a.packet.timestamp != b.packet.timestamp ? a.packet.timestamp < b.packet.timestamp : a.order < b.order
        }
        return rendered.map(\.packet)
    }
}
