import Foundation
import Testing
import VPCCapture

@Suite struct WriterTests {
    static var allFlows: [SimulatedFlow] { Fixtures.scenarios.map(\.flow) + [Fixtures.dnsOverNAT] }

    @Test("two runs give byte-identical files", arguments: CaptureFormat.allCases)
    func deterministic(format: CaptureFormat) throws {
        try withTemporaryDirectory { dir in
            let first = "\(dir)/first.\(format.rawValue)"
            let second = "\(dir)/second.\(format.rawValue)"
            try PacketCapture(flows: Self.allFlows).write(to: first)
            try PacketCapture(flows: Self.allFlows).write(to: second)
            let a = try fileBytes(first)
            #expect(a.count > 1000)
            #expect(a == (try fileBytes(second)))
        }
    }

    @Test("merged flows are in timestamp order and share interfaces by name")
    func merged() throws {
        let capture = try PacketCapture(flows: Self.allFlows)
        #expect(zip(capture.packets, capture.packets.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
        let names = capture.interfaces.map(\.name)
        #expect(Set(names).count == names.count)
        let expected = Set(Self.allFlows.flatMap { $0.points.map(\.name) })
        #expect(Set(names) == expected)
    }

    @Test("latency: each point adds its latency; the response retraces it")
    func timing() throws {
        let flow = SimulatedFlow(flowProtocol: .udp, points: Fixtures.natPath(protocol: .udp, port: 5000))
        let packets = try flow.packets()
        #expect(packets.count == 10)
        let start = SimulatedFlow.defaultStartTime
        let l = Fixtures.latency
        let requestTimes = packets.filter { $0.direction == .request }.map { $0.timestamp - start }
        #expect(requestTimes == [0, l.withinVPC, l.withinVPC + l.natGateway, 2 * l.withinVPC + l.natGateway, 2 * l.withinVPC + l.natGateway + l.internet])
        let oneWay = 2 * l.withinVPC + l.natGateway + l.internet
        let responseTimes = packets.filter { $0.direction == .response }.map { $0.timestamp - start }
        #expect(responseTimes.first == oneWay + l.hostProcessing)
        #expect(responseTimes.last == 2 * oneWay + l.hostProcessing)
        #expect(packets.filter { $0.direction == .response }.map(\.interfaceIndex) == [4, 3, 2, 1, 0])
    }

    @Test("Ethernet addresses follow the request direction at each point")
    func macAddresses() throws {
        let flow = SimulatedFlow(flowProtocol: .udp, points: Fixtures.vpcPath(protocol: .udp, port: 5000))
        let packets = try flow.packets()
        func source(_ p: CapturedPacket) -> [UInt8] { Array(p.frame[6..<12]) }
        func destination(_ p: CapturedPacket) -> [UInt8] { Array(p.frame[0..<6]) }
        let app = flow.points[0], db = flow.points[1]
        let requestAtApp = packets.first { $0.direction == .request && $0.interfaceIndex == 0 }
        let requestAtDB = packets.first { $0.direction == .request && $0.interfaceIndex == 1 }
        let responseAtApp = packets.first { $0.direction == .response && $0.interfaceIndex == 0 }
        #expect(requestAtApp.map(source) == [0x02, 0x11, 0x22, 0x33, 0x44, 0x55])  // the given MAC
        #expect(requestAtApp.map(destination) == app.effectivePeerMAC.octets)
        #expect(requestAtDB.map(destination) == db.effectiveMAC.octets)
        #expect(requestAtDB.map(source) == db.effectivePeerMAC.octets)
        #expect(responseAtApp.map(destination) == app.effectiveMAC.octets)
    }

    @Test("BPF filter keeps only matching packets, in both formats", arguments: CaptureFormat.allCases)
    func filter(format: CaptureFormat) throws {
        let capture = try PacketCapture(flows: Self.allFlows)
        let expression = "tcp and host 10.0.11.25"
        let expected = capture.packets.filter { packet in
            packet.frame.withUnsafeBytes { bytes in
                guard let decoded = CaptureReader.decode(bytes, linkType: 1) else { return false }
                return decoded.protocolNumber == 6
                    && (decoded.header.sourceAddress == Fixtures.lambda || decoded.header.destinationAddress == Fixtures.lambda)
            }
        }.count
        #expect(expected > 0 && expected < capture.packets.count)
        try withTemporaryDirectory { dir in
            let path = "\(dir)/filtered.\(format.rawValue)"
            let written = try capture.write(to: path, filter: expression)
            #expect(written == expected)
            let frames = try TShark.fields(path, ["ip.src", "ip.dst", "ip.proto"])
            #expect(frames.count == expected)
            #expect(frames.allSatisfy { ($0[0] == "10.0.11.25" || $0[1] == "10.0.11.25") && $0[2] == "6" })
            #expect(try capture.filtered(by: expression).packets.count == expected)
        }
    }

    @Test("a bad filter expression is an error with libpcap's message")
    func badFilter() throws {
        let capture = try PacketCapture(flow: Fixtures.scenario("tcp-delivered"))
        try withTemporaryDirectory { dir in
            let path = "\(dir)/never.pcap"
            let error = #expect(throws: CaptureError.self) { try capture.write(to: path, filter: "tcp port") }
            guard case .invalidFilter(let expression, let message)? = error else {
                Issue.record("expected invalidFilter, got \(String(describing: error))")
                return
            }
            #expect(expression == "tcp port")
            #expect(message.contains("syntax error"))
            #expect(error?.description.contains("invalid capture filter 'tcp port'") == true)
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(throws: CaptureError.self) { try PacketFilter("host 999.1.1.1") }
        }
    }

    @Test("the extension chooses the format; anything else is an error with a hint")
    func formats() throws {
        #expect(try CaptureFormat(path: "out.pcap") == .pcap)
        #expect(try CaptureFormat(path: "/tmp/a.b/OUT.PCAPNG") == .pcapng)
        for bad in ["out.cap", "out", "/tmp/x.pcap/trace", "trace.pcap.gz"] {
            let error = #expect(throws: CaptureError.self) { try CaptureFormat(path: bad) }
            #expect(error == .unsupportedFormat(path: bad))
            #expect(error?.description.contains("*.pcapng") == true)
        }
    }

    @Test("an unwritable path is an error naming the file", arguments: CaptureFormat.allCases)
    func unwritable(format: CaptureFormat) throws {
        let path = "/nonexistent-vpcsim-dir/out.\(format.rawValue)"
        let capture = try PacketCapture(flow: Fixtures.scenario("udp-delivered"))
        let error = #expect(throws: CaptureError.self) { try capture.write(to: path) }
        guard case .cannotOpen(let errorPath, let message)? = error else {
            Issue.record("expected cannotOpen, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(message.contains("No such file or directory"))
    }

    @Test("flows that cannot be synthesized are errors, not crashes")
    func invalidFlows() {
        let points = Fixtures.vpcPath(protocol: .tcp, port: 443)
        let cases: [SimulatedFlow] = [
            SimulatedFlow(flowProtocol: .tcp, points: []),
            SimulatedFlow(flowProtocol: .tcp, points: points, outcome: .requestDropped(FlowDrop(afterPoint: 2, comment: "x"))),
            SimulatedFlow(flowProtocol: .udp, points: points, outcome: .responseDropped(FlowDrop(afterPoint: -1, comment: "x"))),
            SimulatedFlow(flowProtocol: .tcp, points: points, requestPayloadSize: 9000),
            SimulatedFlow(flowProtocol: .udp, points: points, responsePayloadSize: -1),
        ]
        for flow in cases {
            #expect(throws: CaptureError.self) { try flow.packets() }
            #expect(throws: CaptureError.self) { try PacketCapture(flow: flow) }
        }
    }

    @Test("payload sizes: zero-length TCP exchange, custom sizes, ICMP echoes its request")
    func payloadSizes() throws {
        let points = Fixtures.vpcPath(protocol: .tcp, port: 5432)
        let empty = try SimulatedFlow(flowProtocol: .tcp, points: points, requestPayloadSize: 0, responsePayloadSize: 0).packets()
        #expect(empty.count == 2 * 6)  // SYN, SYN-ACK, ACK, FIN-ACK, FIN-ACK, ACK at both points
        let sized = try SimulatedFlow(flowProtocol: .udp, points: points, requestPayloadSize: 1000, responsePayloadSize: 1460).packets()
        #expect(sized.map(\.frame.count).sorted() == [14 + 28 + 1000, 14 + 28 + 1000, 14 + 28 + 1460, 14 + 28 + 1460])
        let ping = try SimulatedFlow(flowProtocol: .icmpEcho, points: points, requestPayloadSize: 100, responsePayloadSize: 7).packets()
        #expect(Set(ping.map(\.frame.count)) == [14 + 20 + 8 + 100])
        #expect(Array(ping[0].frame[42...]) == Array(ping[ping.count - 1].frame[42...]))
    }
}
