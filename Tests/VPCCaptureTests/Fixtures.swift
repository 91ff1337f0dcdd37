import VPCCapture

/// Flows shaped like the ones the evaluator produces for the seed networks.
enum Fixtures {
    static func ip(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32) -> UInt32 { a << 24 | b << 16 | c << 8 | d }

    static let latency = LatencyModel.default
    static let lambda = ip(10, 0, 11, 25)
    static let natPrivate = ip(10, 0, 0, 9)
    static let natPublic = ip(52, 1, 1, 1)
    static let internetHost = ip(54, 1, 2, 3)
    static let database = ip(10, 0, 21, 40)

    /// Lambda ENI → NAT gateway (private side, public side) → internet gateway → internet host.
    static func natPath(protocol flowProtocol: FlowProtocol, port: UInt16, clientPort: UInt16 = 43512) -> [CapturePoint] {
        let inside = PacketHeader(
            sourceAddress: lambda, sourcePort: clientPort, destinationAddress: internetHost, destinationPort: port)
        let snat = PacketHeader(
            sourceAddress: natPrivate, sourcePort: 1027, destinationAddress: internetHost, destinationPort: port)
        let outside = PacketHeader(
            sourceAddress: natPublic, sourcePort: 1027, destinationAddress: internetHost, destinationPort: port)
        return [
            CapturePoint(
                name: "eni-0a11 Lambda-Internet A", description: "Lambda-Internet in subnet-priv-a",
                interfaceID: "eni-0a11", requestDirection: .outbound, header: inside),
            CapturePoint(
                name: "NAT-GW-A (private side)", description: "nat-0b22 in subnet-pub-a",
                id: "eni-0b22", interfaceID: "eni-0b22", requestDirection: .inbound, header: inside,
                latencyFromPrevious: latency.withinVPC),
            CapturePoint(
                name: "NAT-GW-A (public side)", description: "nat-0b22 in subnet-pub-a",
                id: "eni-0b22", interfaceID: "eni-0b22", requestDirection: .outbound, header: snat,
                latencyFromPrevious: latency.natGateway,
                comment: "SNAT 10.0.11.25:\(clientPort) → 10.0.0.9:1027",
                responseComment: "DNAT 10.0.0.9:1027 → 10.0.11.25:\(clientPort)"),
            CapturePoint(
                name: "igw-0c33", description: "internet gateway of vpc-0d44",
                requestDirection: .outbound, header: outside, latencyFromPrevious: latency.withinVPC,
                comment: "1:1 NAT 10.0.0.9 → 52.1.1.1", responseComment: "1:1 NAT 52.1.1.1 → 10.0.0.9"),
            CapturePoint(
                name: "internet 54.1.2.3", description: "a host on the internet",
                requestDirection: .inbound, header: outside, latencyFromPrevious: latency.internet),
        ]
    }

    /// Two ENIs in one VPC: app → database.
    static func vpcPath(protocol flowProtocol: FlowProtocol, port: UInt16, clientPort: UInt16 = 40112) -> [CapturePoint] {
        let header = PacketHeader(
            sourceAddress: ip(10, 0, 1, 10), sourcePort: clientPort, destinationAddress: database, destinationPort: port)
        return [
            CapturePoint(
                name: "eni-0e55 App A", description: "App in subnet-app-a", interfaceID: "eni-0e55",
                mac: MACAddress(0x02, 0x11, 0x22, 0x33, 0x44, 0x55), requestDirection: .outbound, header: header),
            CapturePoint(
                name: "eni-0f66 Database A", description: "Database in subnet-db-a", interfaceID: "eni-0f66",
                requestDirection: .inbound, header: header, latencyFromPrevious: latency.withinVPC),
        ]
    }

    static let sgDrop =
        "dropped: ENI_SG_RULES_MISMATCH — sg-0aa egress allows tcp/443 only to sg-0bb"
    static let naclDrop =
        "dropped: SUBNET_ACL_RESTRICTION — acl-0cc inbound rule 100 allows tcp 1024-65535 only from 10.0.0.0/16"

    /// DNS through the NAT gateway: real DNS messages, which Wireshark 4.0 tracks by transaction
    /// id per address/port pair, so copies at two points of one file look like retransmissions.
    static let dnsOverNAT = SimulatedFlow(flowProtocol: .udp, points: natPath(protocol: .udp, port: 53))

    static func scenario(_ name: String) -> SimulatedFlow {
        scenarios.first { $0.name == name }?.flow ?? SimulatedFlow(flowProtocol: .tcp, points: [])
    }

    /// The scenarios every writer test runs over: name → flow.
    static let scenarios: [(name: String, flow: SimulatedFlow)] = [
        ("tcp-delivered", SimulatedFlow(flowProtocol: .tcp, points: vpcPath(protocol: .tcp, port: 5432))),
        ("tcp-nat-delivered", SimulatedFlow(flowProtocol: .tcp, points: natPath(protocol: .tcp, port: 443))),
        ("tcp-nat-http", SimulatedFlow(flowProtocol: .tcp, points: natPath(protocol: .tcp, port: 80))),
        (
            "tcp-no-payload",
            SimulatedFlow(
                flowProtocol: .tcp, points: vpcPath(protocol: .tcp, port: 22), requestPayloadSize: 0, responsePayloadSize: 0)
        ),
        (
            "tcp-server-speaks-first",
            SimulatedFlow(
                flowProtocol: .tcp, points: vpcPath(protocol: .tcp, port: 25), requestPayloadSize: 0, responsePayloadSize: 120)
        ),
        (
            "tcp-dropped-mid-path",
            SimulatedFlow(
                flowProtocol: .tcp, points: natPath(protocol: .tcp, port: 443),
                outcome: .requestDropped(FlowDrop(afterPoint: 2, comment: naclDrop)))
        ),
        (
            "tcp-dropped-at-source",
            SimulatedFlow(
                flowProtocol: .tcp, points: vpcPath(protocol: .tcp, port: 3306),
                outcome: .requestDropped(FlowDrop(afterPoint: 0, comment: sgDrop)))
        ),
        (
            "tcp-response-dropped",
            SimulatedFlow(
                flowProtocol: .tcp, points: natPath(protocol: .tcp, port: 443),
                outcome: .responseDropped(FlowDrop(afterPoint: 2, comment: naclDrop)))
        ),
        ("udp-delivered", SimulatedFlow(flowProtocol: .udp, points: vpcPath(protocol: .udp, port: 5000))),
        (
            "udp-dropped",
            SimulatedFlow(
                flowProtocol: .udp, points: natPath(protocol: .udp, port: 123),
                outcome: .requestDropped(FlowDrop(afterPoint: 1, comment: naclDrop)))
        ),
        ("icmp-delivered", SimulatedFlow(flowProtocol: .icmpEcho, points: natPath(protocol: .icmpEcho, port: 0, clientPort: 7))),
        (
            "icmp-response-dropped",
            SimulatedFlow(
                flowProtocol: .icmpEcho, points: natPath(protocol: .icmpEcho, port: 0, clientPort: 7),
                outcome: .responseDropped(FlowDrop(afterPoint: 3, comment: naclDrop)))
        ),
    ]
}
