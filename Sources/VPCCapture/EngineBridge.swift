// From the engine to the wire: an evaluated flow (the Evaluator's trace events) becomes a
// SimulatedFlow with a capture point at every hop where AWS would see the packet, the addresses and
// ports as they are there, and what happened to it (translations, the drop and its rule).

import VPCEngine
import VPCModel

/// Turns flows the engine evaluates into `SimulatedFlow`s and their flow log records.
///
/// Capture points, in request order: the source interface (or `internet` for a flow from outside);
/// a NAT gateway's private side (before SNAT) and public side (after); an internet gateway's VPC side
/// and internet side (before and after 1:1 NAT, either way); a gateway endpoint; a load balancer's
/// client side (where its listener ends the client's connection) and target side (where its
/// connection to the target starts); an appliance; the destination interface, `internet` or the
/// AWS service. Route tables, network ACLs, peering and transit gateways have no point of their own;
/// they add latency to the next one.
public struct EngineCapture: Sendable {
    public let engine: QueryEngine
    public var latency: LatencyModel
    /// When the first flow starts, in nanoseconds since the Unix epoch.
    public var startTime: UInt64

    public init(engine: QueryEngine, latency: LatencyModel = .default, startTime: UInt64 = SimulatedFlow.defaultStartTime) {
        self.engine = engine
        self.latency = latency
        self.startTime = startTime
    }

    var plane: DataPlane { engine.plane }
    var network: Network { engine.plane.network }

    /// The wire protocol of an engine flow, or nil when vpcsim cannot synthesize it (ICMP other than
    /// echo request, protocols other than TCP, UDP and ICMP).
    public static func wireProtocol(of flow: Flow) -> FlowProtocol? {
        switch flow.ipProtocol {
        case 6: return .tcp
        case 17: return .udp
        case 1: return flow.icmpType == 8 ? .icmpEcho : nil
        default: return nil
        }
    }

    /// One flow (with the load balancer's connection to its target, when there is one) as it would be
    /// captured; nil when its protocol cannot be synthesized or it never leaves a source.
    public func simulatedFlow(_ representative: RepresentativeFlow, startTime: UInt64? = nil) -> SimulatedFlow? {
        guard let wire = Self.wireProtocol(of: representative.flow) else { return nil }
        let identifier = Self.echoIdentifier(representative.flow)
        var path = walk(representative.flow, wire: wire, identifier: identifier, role: .client)
        // The load balancer opens its own connection to a target once the client's request is
        // delivered; a client response dropped on the way back keeps its place.
        if path.drop?.response ?? true, let leg = representative.legs.first, Self.wireProtocol(of: leg) != nil {
            let legPath = walk(leg, wire: wire, identifier: identifier, role: .loadBalancerLeg)
            let offset = path.points.count
            path.points += legPath.points
            if path.drop == nil, let drop = legPath.drop {
                var shifted = drop
                shifted.drop.afterPoint += offset
                path.drop = shifted
            }
        }
        guard !path.points.isEmpty else { return nil }
        let outcome: FlowOutcome
        if let drop = path.drop {
            outcome = drop.response ? .responseDropped(drop.drop) : .requestDropped(drop.drop)
        } else {
            outcome = .delivered
        }
        return SimulatedFlow(flowProtocol: wire, points: path.points, outcome: outcome, startTime: startTime ?? self.startTime,
                             latency: latency)
    }

    /// Several flows, one after another: each starts on the first whole second at least one second
    /// after the previous one's last packet, so conversations do not interleave. Flows that cannot be
    /// synthesized are returned in `skipped`.
    public func simulatedFlows(_ representatives: [RepresentativeFlow]) throws(CaptureError)
        -> (flows: [SimulatedFlow], skipped: [RepresentativeFlow]) {
        var flows: [SimulatedFlow] = []
        var skipped: [RepresentativeFlow] = []
        var start = startTime
        let second: UInt64 = 1_000_000_000
        for representative in representatives {
            guard let flow = simulatedFlow(representative, startTime: start) else {
                skipped.append(representative)
                continue
            }
            flows.append(flow)
            let last = try flow.packets().last?.timestamp ?? start
            start = (last / second + 2) * second
        }
        return (flows, skipped)
    }

    /// The VPC Flow Log records of the flows, in the network's account.
    public func flowLogRecords(_ flows: [SimulatedFlow]) throws(CaptureError) -> [FlowLogRecord] {
        var records: [FlowLogRecord] = []
        for flow in flows { records += try FlowLog.records(for: flow, accountID: network.account) }
        return records
    }

    /// A stable ICMP echo identifier for a flow (the engine's packets carry none).
    static func echoIdentifier(_ flow: Flow) -> UInt16 {
        var hash = FNV1a()
        hash.combine(UInt64(flow.source) << 32 | UInt64(flow.destination))
        hash.combine(UInt64(flow.externalSource))
        return UInt16(truncatingIfNeeded: hash.value) | 1
    }

    // MARK: - Walking the trace

    enum Role { case client, loadBalancerLeg }

    struct LocatedDrop {
        var drop: FlowDrop
        var response: Bool
    }

    struct Path {
        var points: [CapturePoint] = []
        /// Where the request or the response stops, if it does.
        var drop: LocatedDrop?
    }

    func walk(_ flow: Flow, wire: FlowProtocol, identifier: UInt16, role: Role) -> Path {
        let (verdict, events) = engine.evaluator.trace(flow)
        var builder = PointBuilder(capture: self, wire: wire, identifier: identifier, role: role,
                                   rejection: FlowLogRule.rejection(of: flow, events: events, in: plane))
        for event in events { builder.consume(event) }
        if builder.points.isEmpty, Int(flow.source) < plane.interfaces.count, case .dropped = events.last {
            // Dropped before the walk began (an endpoint or NAT gateway ENI cannot start a flow).
            builder.addInterface(flow.source, requestDirection: .outbound, header: builder.header(Self.startPacket(flow, plane)),
                                 key: "eni:\(flow.source)", latency: 0)
        }
        var path = Path(points: builder.points)
        if let drop = builder.dropAt {
            let trace = TraceBuilder(plane).build(flow: flow, verdict: verdict, events: events, sourceName: "", destinationName: "")
            var comment = "dropped: \(drop.reason.code)"
            if let block = trace.block, !block.rule.isEmpty { comment += " — \(block.rule)" }
            path.drop = LocatedDrop(drop: FlowDrop(afterPoint: max(0, min(drop.afterPoint, path.points.count - 1)), comment: comment,
                                                   rejected: drop.rejected),
                                    response: drop.response)
        }
        return path
    }

    static func startPacket(_ flow: Flow, _ plane: DataPlane) -> Packet {
        let source = Int(flow.source) < plane.interfaces.count ? plane.interfaces[Int(flow.source)].primaryIP : flow.externalSource
        return Packet(source: source, destination: flow.destination, sourcePort: flow.sourcePort, destinationPort: flow.destinationPort,
                      ipProtocol: flow.ipProtocol, icmpType: flow.icmpType, icmpCode: flow.icmpCode)
    }
}

/// Builds the capture points of one engine walk, event by event.
struct PointBuilder {
    let capture: EngineCapture
    let wire: FlowProtocol
    let identifier: UInt16
    let role: EngineCapture.Role
    /// The interface whose flow log records the drop as REJECT (`FlowLogRule`): the drop is drawn at its point.
    let rejection: FlowLogEntry?
    var points: [CapturePoint] = []
    var keys: [String] = []
    /// The interface (DataPlane index) whose flow log each point feeds, or noIndex.
    var pointInterfaces: [UInt32] = []
    var direction: Direction = .request
    /// Latency of hops without a point (peering, transit gateway), added to the next point.
    var pendingLatency: UInt64 = 0
    /// Lowest point index (request order) the response has reached.
    var responseReached = 0
    /// `rejected`: the point is the rejecting interface's, so its flow log records REJECT.
    var dropAt: (reason: Reason, afterPoint: Int, response: Bool, rejected: Bool)?

    init(capture: EngineCapture, wire: FlowProtocol, identifier: UInt16, role: EngineCapture.Role, rejection: FlowLogEntry?) {
        self.capture = capture
        self.wire = wire
        self.identifier = identifier
        self.role = role
        self.rejection = rejection
    }

    var plane: DataPlane { capture.plane }
    var network: Network { capture.network }
    var latency: LatencyModel { capture.latency }

    func header(_ packet: Packet) -> PacketHeader {
        if wire == .icmpEcho {
            return PacketHeader(sourceAddress: packet.source, sourcePort: identifier, destinationAddress: packet.destination,
                                destinationPort: 0)
        }
        return PacketHeader(sourceAddress: packet.source, sourcePort: packet.sourcePort, destinationAddress: packet.destination,
                            destinationPort: packet.destinationPort)
    }

    func endpoint(_ address: UInt32, _ port: UInt16) -> String {
        wire == .icmpEcho ? IPv4Address(address).description : "\(IPv4Address(address)):\(port)"
    }

    mutating func append(_ point: CapturePoint, key: String, interface: UInt32) {
        var point = point
        point.latencyFromPrevious = points.isEmpty && role == .client ? 0 : point.latencyFromPrevious + pendingLatency
        pendingLatency = 0
        points.append(point)
        keys.append(key)
        pointInterfaces.append(interface)
    }

    func label(_ id: String, _ name: String) -> String { name.isEmpty || name == id ? id : "\(id) \(name)" }

    func routerMAC(vpc: UInt32) -> MACAddress? {
        Int(vpc) < network.vpcs.count ? .derived(from: "\(network.vpcs[Int(vpc)].id) router") : nil
    }

    mutating func addInterface(_ index: UInt32, requestDirection: CapturePoint.RequestDirection, header: PacketHeader, key: String,
                               latency: UInt64, suffix: String = "", comment: String? = nil) {
        guard Int(index) < network.interfaces.count else { return }
        let eni = network.interfaces[Int(index)]
        let compiled = plane.interfaces[Int(index)]
        let address = compiled.primaryIP == 0 ? "" : ", \(IPv4Address(compiled.primaryIP))"
        let description = "interface \(eni.id) (\(eni.name)) in \(eni.subnetID)\(address)\(suffix)"
        append(CapturePoint(name: label(eni.id, eni.name) + suffix, description: description, id: eni.id, interfaceID: eni.id,
                            mac: eni.mac.flatMap { MACAddress($0) }, peerMAC: routerMAC(vpc: compiled.vpc),
                            requestDirection: requestDirection, header: header, latencyFromPrevious: latency, comment: comment),
               key: key, interface: index)
    }

    /// A gateway point (internet gateway side, NAT gateway side, gateway endpoint, the internet, a service).
    mutating func addPlace(kind: HopKind, entity: UInt32, side: String?, requestDirection: CapturePoint.RequestDirection,
                           header: PacketHeader, key: String, latency: UInt64, comment: String? = nil, responseComment: String? = nil) {
        var id = plane.id(of: kind, entity)
        var name = plane.name(of: kind, entity)
        var interfaceID: String?
        var interfaceIndex = noIndex
        var mac: MACAddress?
        var what = kind.name.replacingOccurrences(of: "-", with: " ")
        switch kind {
        case .natGateway:
            // The NAT gateway's ENI sees both sides; its flow log records both.
            let eni = Int(entity) < plane.natGateways.count ? plane.natGateways[Int(entity)].interface : noIndex
            if Int(eni) < network.interfaces.count {
                interfaceID = network.interfaces[Int(eni)].id
                interfaceIndex = eni
                mac = network.interfaces[Int(eni)].mac.flatMap { MACAddress($0) }
            }
            what = "NAT gateway"
        case .internet:
            id = "internet"
            name = ""
            what = "a host on the internet"
        case .service:
            id = "service \(name)"
            name = ""
            what = "the AWS service"
        case .onPrem:
            id = "on-prem \(name)"
            name = ""
            what = "a host on premises"
        case .vpcEndpoint:
            what = "gateway endpoint"
        case .internetGateway:
            what = "internet gateway"
        default:
            break
        }
        if id.isEmpty { id = "\(kind.name)-\(entity)" }
        let sideText = side.map { " (\($0))" } ?? ""
        append(CapturePoint(name: label(id, name) + sideText, description: "\(what) \(label(id, name))\(sideText)", id: id,
                            interfaceID: interfaceID, mac: mac, requestDirection: requestDirection, header: header,
                            latencyFromPrevious: latency, comment: comment, responseComment: responseComment),
               key: key, interface: interfaceIndex)
    }

    func indices(prefix: String) -> [Int] {
        keys.indices.filter { keys[$0].hasPrefix(prefix) }
    }

    mutating func reached(_ prefix: String) {
        if let lowest = indices(prefix: prefix).min() { responseReached = min(responseReached, lowest) }
    }

    mutating func consume(_ event: TraceEvent) {
        if direction == .response {
            consumeResponse(event)
            return
        }
        switch event {
        case .direction(let d):
            direction = d
            responseReached = max(0, points.count - 1)
        case .source(let i, let packet, _):
            let isLoadBalancer = Int(i) < plane.interfaces.count && plane.interfaces[Int(i)].owner == .loadBalancer
            let comment = isLoadBalancer && role == .loadBalancerLeg
                ? "the load balancer opens its own connection to target \(IPv4Address(packet.destination))" : nil
            addInterface(i, requestDirection: .outbound, header: header(packet), key: "eni:\(i)",
                         latency: role == .loadBalancerLeg ? latency.hostProcessing : 0,
                         suffix: isLoadBalancer ? " (target side)" : "", comment: comment)
        case .externalSource(let packet):
            addPlace(kind: .internet, entity: 0, side: nil, requestDirection: .outbound, header: header(packet), key: "internet-source",
                     latency: 0)
        case .fromOnPrem(let network, let packet):
            addPlace(kind: .onPrem, entity: network, side: nil, requestDirection: .outbound, header: header(packet), key: "on-prem-source",
                     latency: 0)
        case .sameSubnet, .route, .networkACL, .listener, .delivered(.interface(_), _), .delivered(.interfaceEndpoint(_, _), _),
             .delivered(.none, _), .returned:
            break
        case .internetGateway(let gateway, let outbound, let before, let after):
            if outbound {
                addPlace(kind: .internetGateway, entity: gateway, side: "VPC side", requestDirection: .inbound, header: header(before),
                         key: "igw:\(gateway):vpc", latency: latency.withinVPC,
                         responseComment: "1:1 NAT destination \(IPv4Address(after.source)) → \(IPv4Address(before.source))")
                addPlace(kind: .internetGateway, entity: gateway, side: "internet side", requestDirection: .outbound, header: header(after),
                         key: "igw:\(gateway):internet", latency: 0,
                         comment: "1:1 NAT source \(IPv4Address(before.source)) → \(IPv4Address(after.source))")
            } else {
                let fromInternet = keys.last == "internet-source"
                addPlace(kind: .internetGateway, entity: gateway, side: "internet side", requestDirection: .inbound, header: header(before),
                         key: "igw:\(gateway):internet", latency: fromInternet ? latency.internet : latency.withinVPC,
                         responseComment: "1:1 NAT source \(IPv4Address(after.destination)) → \(IPv4Address(before.destination))")
                addPlace(kind: .internetGateway, entity: gateway, side: "VPC side", requestDirection: .outbound, header: header(after),
                         key: "igw:\(gateway):vpc", latency: 0,
                         comment: "1:1 NAT destination \(IPv4Address(before.destination)) → \(IPv4Address(after.destination))")
            }
        case .natGateway(let gateway, let before, let after, _):
            let original = endpoint(before.source, before.sourcePort)
            let translated = endpoint(after.source, after.sourcePort)
            addPlace(kind: .natGateway, entity: gateway, side: "private side", requestDirection: .inbound, header: header(before),
                     key: "nat:\(gateway):private", latency: latency.withinVPC, responseComment: "DNAT \(translated) → \(original)")
            addPlace(kind: .natGateway, entity: gateway, side: "public side", requestDirection: .outbound, header: header(after),
                     key: "nat:\(gateway):public", latency: latency.natGateway, comment: "SNAT \(original) → \(translated)")
        case .gatewayEndpoint(let endpoint, let packet):
            addPlace(kind: .vpcEndpoint, entity: endpoint, side: nil, requestDirection: .inbound, header: header(packet),
                     key: "vpce:\(endpoint)", latency: latency.withinVPC)
        case .peering, .transitGateway, .vpnGateway:
            pendingLatency += latency.withinVPC
        case .appliance(let i, let packet, _, _):
            addInterface(i, requestDirection: .inbound, header: header(packet), key: "eni:\(i)", latency: latency.withinVPC,
                         suffix: " (appliance)")
        case .arrive(let i, let packet, _):
            let isLoadBalancer = Int(i) < plane.interfaces.count && plane.interfaces[Int(i)].owner == .loadBalancer
            addInterface(i, requestDirection: .inbound, header: header(packet), key: "eni:\(i)", latency: latency.withinVPC,
                         suffix: isLoadBalancer ? " (client side)" : "",
                         comment: isLoadBalancer ? "the load balancer's listener ends the client's connection here" : nil)
        case .delivered(.internet, let packet):
            addPlace(kind: .internet, entity: 0, side: nil, requestDirection: .inbound, header: header(packet), key: "internet",
                     latency: latency.internet)
        case .delivered(.onPrem(let network), let packet):
            addPlace(kind: .onPrem, entity: network, side: nil, requestDirection: .inbound, header: header(packet), key: "on-prem",
                     latency: latency.internet)
        case .delivered(.service(let service), let packet):
            let viaEndpoint = keys.last?.hasPrefix("vpce:") ?? false
            addPlace(kind: .service, entity: service, side: nil, requestDirection: .inbound, header: header(packet), key: "service",
                     latency: viaEndpoint ? latency.gatewayEndpoint : latency.internet)
        case .dropped(let reason, let kind, let entity, let packet):
            locateRequestDrop(reason, kind: kind, entity: entity, packet: packet)
        }
    }

    /// Makes sure the place that drops the request has a point, and records the drop there. A drop by
    /// a security group or network ACL is drawn at the interface whose flow log records the REJECT
    /// (`FlowLogRule`: for an ACL denying entry into a subnet, the interface the packet was going to).
    mutating func locateRequestDrop(_ reason: Reason, kind: HopKind, entity: UInt32, packet: Packet) {
        if let rejection, rejection.direction == .request {
            if !points.isEmpty, pointInterfaces.last != rejection.interface { addRejectingInterface(rejection.interface, packet) }
            dropAt = (reason, points.count - 1, false, pointInterfaces.last == rejection.interface)
            return
        }
        switch kind {
        case .internetGateway:
            if !(keys.last?.hasPrefix("igw:\(entity):") ?? false) {
                addPlace(kind: .internetGateway, entity: entity, side: "VPC side", requestDirection: .inbound, header: header(packet),
                         key: "igw:\(entity):vpc", latency: latency.withinVPC)
            }
        case .natGateway:
            if !(keys.last?.hasPrefix("nat:\(entity):") ?? false), !points.isEmpty {
                addPlace(kind: .natGateway, entity: entity, side: "private side", requestDirection: .inbound, header: header(packet),
                         key: "nat:\(entity):private", latency: latency.withinVPC)
            }
        case .vpcEndpoint:
            if Int(entity) < plane.endpoints.count, plane.endpoints[Int(entity)].isGateway, keys.last != "vpce:\(entity)", !points.isEmpty {
                addPlace(kind: .vpcEndpoint, entity: entity, side: nil, requestDirection: .inbound, header: header(packet),
                         key: "vpce:\(entity)", latency: latency.withinVPC)
            }
        case .interface:
            if keys.last != "eni:\(entity)", !points.isEmpty {
                addInterface(entity, requestDirection: .inbound, header: header(packet), key: "eni:\(entity)", latency: latency.withinVPC)
            }
        default:
            break
        }
        dropAt = (reason, points.count - 1, false, false)
    }

    /// The point of an interface the request was denied entry to: a NAT gateway's private side (the
    /// packet is not yet translated), else the interface.
    mutating func addRejectingInterface(_ index: UInt32, _ packet: Packet) {
        let isNAT = Int(index) < plane.interfaces.count && plane.interfaces[Int(index)].owner == .natGateway
        if isNAT {
            let nat = plane.interfaces[Int(index)].ownerIndex
            addPlace(kind: .natGateway, entity: nat, side: "private side", requestDirection: .inbound, header: header(packet),
                     key: "nat:\(nat):private", latency: latency.withinVPC)
        } else {
            addInterface(index, requestDirection: .inbound, header: header(packet), key: "eni:\(index)", latency: latency.withinVPC)
        }
    }

    mutating func consumeResponse(_ event: TraceEvent) {
        switch event {
        case .internetGateway(let gateway, _, _, _):
            reached("igw:\(gateway):")
        case .natGateway(let gateway, _, _, _):
            reached("nat:\(gateway):")
        case .gatewayEndpoint(let endpoint, _):
            reached("vpce:\(endpoint)")
        case .appliance(let i, _, _, _), .arrive(let i, _, _):
            reached("eni:\(i)")
        case .returned:
            responseReached = 0
        case .dropped(let reason, _, _, _):
            // A filter's drop is drawn at the rejecting interface's point: the one the response is
            // leaving, or the next one it was going to (the response travels to lower points).
            if let rejection, rejection.direction == .response,
               let point = pointInterfaces.indices.last(where: { $0 <= responseReached && pointInterfaces[$0] == rejection.interface }) {
                dropAt = (reason, point, true, true)
            } else {
                dropAt = (reason, responseReached, true, false)
            }
        default:
            break
        }
    }
}
