import Foundation
import Testing
import VPCCapture
import VPCEngine
import VPCModel

/// Flows the engine evaluates on seed 000, captured and read back by the real tshark.
@Suite struct EngineCaptureTests {
    static let engine: QueryEngine? = (try? TopologyLoader.loadDefault()).map { QueryEngine(network: $0.network) }

    static func setup() throws -> (EngineCapture, QueryEngine) {
        let engine = try #require(engine)
        return (EngineCapture(engine: engine), engine)
    }

    /// The traced flows of `from → to tcp/443`, restricted to the `@private-a` source.
    static func tracedFlow(_ from: String, _ to: String = "internet") throws -> SimulatedFlow {
        let (capture, engine) = try setup()
        let traced = try engine.traceFlows(Query(from: from, to: to, ipProtocol: .tcp, ports: PortRange(port: 443)))
        let first = try #require(traced.first { $0.sourceName.hasSuffix("@private-a") })
        return try #require(capture.simulatedFlow(first.flow))
    }

    static func write(_ flow: SimulatedFlow, _ path: String) throws {
        try PacketCapture(flow: flow).write(to: path)
    }

    @Test("Lambda-Internet → internet: clean in tshark, handshake completed, source translated at the NAT and the IGW",
          arguments: CaptureFormat.allCases)
    func natFlow(format: CaptureFormat) throws {
        let flow = try Self.tracedFlow("Lambda-Internet")
        #expect(flow.outcome == .delivered)
        let names = flow.points.map(\.name)
        #expect(names.contains { $0.hasSuffix("NAT-GW-A (private side)") })
        #expect(names.contains { $0.hasSuffix("NAT-GW-A (public side)") })
        #expect(names.contains { $0.hasSuffix("(VPC side)") } && names.contains { $0.hasSuffix("(internet side)") })
        #expect(names.last == "internet")
        let (_, engine) = try Self.setup()
        let network = engine.plane.network
        let nat = try #require(network.natGateways.first { $0.name == "NAT-GW-A" })
        let natENI = try #require(network.interfaces.first { $0.owner == .natGateway(nat.id) })
        let natIP = try #require(natENI.primaryIP).description
        let eip = try #require(natENI.publicIP).description
        let source = try #require(network.interfaces.first { $0.name == "Lambda-Internet@private-a" })
        let sourceIP = try #require(source.primaryIP).description

        try withTemporaryDirectory { dir in
            let path = "\(dir)/nat.\(format.rawValue)"
            try Self.write(flow, path)
            let problems = try TShark.problems(path)
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
            // The handshake completes: the SYN-ACK comes back to the source, which answers with an ACK,
            // and Wireshark measures the initial RTT; the connection ends with FINs.
            let frames = try TShark.fields(path, ["ip.src", "tcp.flags"], filter: "ip.addr == \(sourceIP)")
            let synAck = try #require(frames.firstIndex { $0[0] != sourceIP && $0[1] == "0x0012" })
            #expect(frames[..<synAck].contains { $0 == [sourceIP, "0x0002"] })
            #expect(frames[(synAck + 1)...].first { $0[0] == sourceIP }?[1] == "0x0010")
            #expect(frames.contains { $0[1] == "0x0011" })
            #expect(try !TShark.lines(path, ["-Y", "tcp.analysis.initial_rtt"]).isEmpty)
            // SYNs in order along the path: the source, NAT private (before), NAT public (after), IGW in, IGW out, internet.
            let syns = try TShark.fields(path, ["ip.src"], filter: "tcp.flags == 0x002").map { $0[0] }
            #expect(syns == [sourceIP, sourceIP, natIP, natIP, eip, eip])
            if format == .pcapng {
                let named = try TShark.fields(path, ["frame.interface_name", "ip.src", "frame.comment"], filter: "tcp.flags == 0x002")
                let afterNAT = try #require(named.first { $0[0].hasSuffix("(public side)") })
                #expect(afterNAT[1] == natIP)
                #expect(afterNAT[2].hasPrefix("SNAT \(sourceIP):40000 → \(natIP):"))
                let afterIGW = try #require(named.first { $0[0].hasSuffix("(internet side)") })
                #expect(afterIGW[1] == eip)
                #expect(afterIGW[2] == "1:1 NAT source \(natIP) → \(eip)")
                #expect(named.first?[0] == "\(source.id) Lambda-Internet@private-a")
            }
        }
    }

    @Test("Lambda-Internal → internet: the SYN and its retransmissions at the source only, with the drop comment")
    func droppedFlow() throws {
        let flow = try Self.tracedFlow("Lambda-Internal")
        guard case .requestDropped(let drop) = flow.outcome else {
            Issue.record("expected a dropped request, got \(flow.outcome)")
            return
        }
        #expect(drop.afterPoint == 0)
        #expect(drop.rejected)
        #expect(drop.comment.hasPrefix("dropped: ENI_SG_RULES_MISMATCH — "))
        #expect(drop.comment.contains("sg-"))
        try withTemporaryDirectory { dir in
            for format in CaptureFormat.allCases {
                let path = "\(dir)/drop.\(format.rawValue)"
                try Self.write(flow, path)
                #expect(try TShark.problems(path).isEmpty)
                let frames = try TShark.fields(path, ["frame.time_relative", "tcp.flags"])
                #expect(frames.map { $0[1] } == ["0x0002", "0x0002", "0x0002"])
                #expect(frames.map { Double($0[0]) ?? -1 } == [0, 1, 3])
                if format == .pcapng {
                    let comments = try TShark.fields(path, ["frame.comment"]).map { $0[0] }
                    #expect(comments.allSatisfy { $0.hasPrefix("dropped: ENI_SG_RULES_MISMATCH") })
                }
            }
        }
    }

    @Test("two runs give byte-identical files")
    func deterministic() throws {
        try withTemporaryDirectory { dir in
            for format in CaptureFormat.allCases {
                var files: [Data] = []
                for run in 0..<2 {
                    let (capture, engine) = try Self.setup()
                    let answer = try engine.answer(Query(from: "Lambda-Internet", to: "internet"))
                    let flows = try capture.simulatedFlows(answer.allowed.compactMap(\.representative) + answer.blocked.compactMap(\.representative))
                    let path = "\(dir)/run\(run).\(format.rawValue)"
                    try PacketCapture(flows: flows.flows).write(to: path)
                    files.append(try fileBytes(path))
                }
                #expect(files[0] == files[1])
                #expect(!files[0].isEmpty)
            }
        }
    }

    @Test("flow logs: ACCEPT at every interface of a delivered flow, REJECT where a security group drops it")
    func flowLogs() throws {
        let (capture, _) = try Self.setup()
        let delivered = try capture.flowLogRecords([try Self.tracedFlow("Lambda-Internet")])
        #expect(!delivered.isEmpty)
        #expect(delivered.allSatisfy { $0.action == .accept })
        // The Lambda ENI and the NAT gateway ENI (both sides), request and response.
        #expect(Set(delivered.compactMap(\.interfaceID)).count == 2)
        #expect(delivered.count == 6)
        let rejected = try capture.flowLogRecords([try Self.tracedFlow("Lambda-Internal")])
        #expect(rejected.count == 1)
        #expect(rejected.first?.action == .reject)
        #expect(rejected.first?.packets == 3)
        #expect(rejected.first?.interfaceID?.hasPrefix("eni-") == true)
    }

    @Test("a query captures one flow per allowed path and blocked class; the file is clean")
    func queryRepresentatives() throws {
        let (capture, engine) = try Self.setup()
        let answer = try engine.answer(Query(from: "Fargate", to: "secretsmanager"))
        let representatives = answer.allowed.compactMap(\.representative) + answer.blocked.compactMap(\.representative)
        #expect(representatives.count == answer.allowed.count + answer.blocked.count)
        let (flows, skipped) = try capture.simulatedFlows(representatives)
        #expect(flows.count + skipped.count == representatives.count)
        #expect(!flows.isEmpty)
        try withTemporaryDirectory { dir in
            let path = "\(dir)/query.pcapng"
            try PacketCapture(flows: flows).write(to: path)
            #expect(try TShark.problems(path).isEmpty)
        }
    }
}
