import Foundation
import Testing
import VPCCapture

/// Every file vpcsim writes, read back by the real tshark.
@Suite struct WiresharkTests {
    static let scenarioNames = Fixtures.scenarios.map(\.name)

    @Test("tshark finds no checksum errors, warnings or malformed packets", arguments: scenarioNames, CaptureFormat.allCases)
    func clean(scenario: String, format: CaptureFormat) throws {
        try withTemporaryDirectory { dir in
            let path = "\(dir)/\(scenario).\(format.rawValue)"
            let written = try PacketCapture(flow: Fixtures.scenario(scenario)).write(to: path)
            #expect(written > 0)
            let problems = try TShark.problems(path)
            #expect(problems.isEmpty, "tshark flagged \(problems.count) frames of \(scenario):\n\(problems.joined(separator: "\n"))")
            #expect(try TShark.lines(path, []).count == written)
        }
    }

    /// Wireshark 4.0 tracks a TCP conversation by addresses and ports only, so in a file with several
    /// capture points the copy of a segment at the second point (same header, no NAT between)
    /// is flagged as a retransmission, dup ACK or keep-alive (notes). Those must be the only flags,
    /// besides the intended SYN retransmissions of a dropped flow.
    @Test("in merged files TCP analysis flags only copies and intended SYN retransmissions", arguments: scenarioNames)
    func flagsOnlyCopies(scenario: String) throws {
        let flow = Fixtures.scenario(scenario)
        guard flow.flowProtocol == .tcp else { return }
        try withTemporaryDirectory { dir in
            let path = "\(dir)/\(scenario).pcapng"
            try PacketCapture(flow: flow).write(to: path)
            let frames = try TShark.fields(
                path, ["frame.number", "frame.interface_id", "ip.id", "tcp.seq_raw", "tcp.ack_raw", "tcp.flags", "frame.time_relative"])
            let flagged = Set(try TShark.fields(path, ["frame.number"], filter: "tcp.analysis.flags").map { $0[0] })
            var seen: [String: String] = [:]  // logical packet identity → first interface
            var allowed: Set<String> = []
            for frame in frames {
                let identity = frame[2...5].joined(separator: "/")
                if let firstInterface = seen[identity], firstInterface != frame[1] { allowed.insert(frame[0]) }
                if seen[identity] == nil { seen[identity] = frame[1] }
                let isHandshake = frame[5] == "0x0002" || frame[5] == "0x0012"
                if case .delivered = flow.outcome {} else if isHandshake, (Double(frame[6]) ?? 0) >= 1 {
                    allowed.insert(frame[0])
                }
            }
            let unexpected = flagged.subtracting(allowed).sorted { Int($0) ?? 0 < Int($1) ?? 0 }
            #expect(unexpected.isEmpty, "frames flagged by TCP analysis that are neither copies nor intended: \(unexpected)")
            // Notes, not warnings.
            let severities = try TShark.fields(path, ["_ws.expert.severity"], filter: "tcp.analysis.flags")
                .flatMap { $0[0].split(whereSeparator: { $0 == "," || $0 == "|" }).compactMap { Int($0) } }
            #expect(severities.allSatisfy { $0 <= TShark.note })
        }
    }

    /// One capture point alone is what a capture on that interface would show: Wireshark's TCP
    /// analysis must find nothing at all in a delivered flow, and only the intended SYN (or
    /// SYN-ACK) retransmissions in a dropped one.
    @Test("each capture point alone passes TCP analysis", arguments: scenarioNames)
    func perPointAnalysis(scenario: String) throws {
        let flow = Fixtures.scenario(scenario)
        guard flow.flowProtocol == .tcp else { return }
        let capture = try PacketCapture(flow: flow)
        try withTemporaryDirectory { dir in
            for index in capture.interfaces.indices {
                let path = "\(dir)/\(scenario)-\(index).pcap"
                let written = try capture.restricted(toInterfaces: [index]).write(to: path)
                let name = capture.interfaces[index].name
                #expect(try TShark.problems(path).isEmpty, "\(name)")
                let unexpected = try TShark.lines(path, ["-Y", "tcp.analysis.flags && !tcp.analysis.retransmission"])
                #expect(unexpected.isEmpty, "\(scenario) at \(name): \(unexpected)")
                let retransmissions = try TShark.lines(path, ["-Y", "tcp.analysis.retransmission"]).count
                switch flow.outcome {
                case .delivered:
                    #expect(retransmissions == 0, "\(scenario) at \(name)")
                case .requestDropped, .responseDropped:
                    // Three SYNs (or SYN-ACKs) per kind of handshake packet seen here: two are retransmissions.
                    #expect(retransmissions == (written / 3) * 2, "\(scenario) at \(name): \(written) frames")
                }
            }
        }
    }

    @Test("dropped flow: SYN retransmissions at +1 s and +3 s are notes, up to the drop point only")
    func droppedFlowRetransmissions() throws {
        let flow = Fixtures.scenario("tcp-dropped-mid-path")
        try withTemporaryDirectory { dir in
            let path = "\(dir)/drop.pcapng"
            try PacketCapture(flow: flow).write(to: path)
            let frames = try TShark.fields(path, ["frame.interface_name", "tcp.flags", "frame.time_relative"])
            #expect(frames.count == 9)  // 3 SYNs × points 0, 1, 2
            #expect(Set(frames.map { $0[0] }) == Set(flow.points[0...2].map(\.name)))
            #expect(frames.allSatisfy { $0[1] == "0x0002" })
            let times = Set(frames.map { (Double($0[2]) ?? -1).rounded(.down) })
            #expect(times == [0, 1, 3])
            let retransmitted = try TShark.fields(
                path, ["frame.interface_name", "_ws.expert.severity"],
                filter: "tcp.analysis.retransmission && frame.time_relative >= 1 && frame.interface_id == 0")
            #expect(retransmitted.count == 2)
            #expect(try TShark.problems(path).isEmpty)
        }
    }

    @Test("response dropped: the SYN reaches the server, SYN-ACKs stop at the drop point")
    func responseDropped() throws {
        let flow = Fixtures.scenario("tcp-response-dropped")
        try withTemporaryDirectory { dir in
            let path = "\(dir)/response-drop.pcapng"
            try PacketCapture(flow: flow).write(to: path)
            let synAcks = try TShark.fields(path, ["frame.interface_name", "frame.comment"], filter: "tcp.flags == 0x012")
            #expect(synAcks.count == 3 * 3)  // points 4, 3, 2, each SYN answered
            #expect(Set(synAcks.map { $0[0] }) == Set(flow.points[2...4].map(\.name)))
            let atDrop = synAcks.filter { $0[0] == flow.points[2].name }
            #expect(atDrop.count == 3)
            #expect(atDrop.allSatisfy { $0[1].contains(Fixtures.naclDrop) })
            let syns = try TShark.fields(path, ["frame.interface_name"], filter: "tcp.flags == 0x002")
            #expect(syns.count == 3 * 5)
        }
    }

    @Test("delivered TCP: the full conversation at every point, same seq/ack through the NAT")
    func deliveredConversation() throws {
        let flow = Fixtures.scenario("tcp-nat-delivered")
        try withTemporaryDirectory { dir in
            let path = "\(dir)/nat.pcapng"
            try PacketCapture(flow: flow).write(to: path)
            let expectedFlags = ["0x0002", "0x0012", "0x0010", "0x0018", "0x0018", "0x0010", "0x0011", "0x0011", "0x0010"]
            var rawSequences: [[String]] = []
            for point in flow.points {
                let frames = try TShark.fields(
                    path, ["tcp.flags", "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "ip.src", "tcp.srcport", "ip.dst", "tcp.dstport"],
                    filter: "frame.interface_name == \"\(point.name)\"")
                #expect(frames.map { $0[0] } == expectedFlags, "\(point.name)")
                #expect(frames.map { $0[3] } == ["0", "0", "0", "64", "256", "0", "0", "0", "0"], "\(point.name)")
                rawSequences.append(frames.map { $0[1] + "/" + $0[2] })
                // The request as seen at this point: its own addresses and ports.
                let request = frames.first ?? []
                #expect(request.count == 8)
                if request.count == 8 {
                    #expect(request[4] == ipString(point.header.sourceAddress))
                    #expect(request[5] == String(point.header.sourcePort))
                    #expect(request[6] == ipString(point.header.destinationAddress))
                    #expect(request[7] == String(point.header.destinationPort))
                }
            }
            // Sequence numbers are a property of the connection, not of the point (NAT keeps them).
            #expect(Set(rawSequences).count == 1)
            // The handshake completed at the destination.
            let destination = "frame.interface_name == \"\(flow.points[4].name)\""
            #expect(try TShark.lines(path, ["-Y", "\(destination) && tcp.flags.syn == 1 && tcp.flags.ack == 1"]).count == 1)
            #expect(try TShark.lines(path, ["-Y", "\(destination) && tcp.flags == 0x010 && tcp.seq == 1 && tcp.ack == 1"]).count == 1)
        }
    }

    @Test("HTTP on port 80 is dissected as a GET and a 200 response")
    func httpDissected() throws {
        try withTemporaryDirectory { dir in
            let path = "\(dir)/http.pcap"
            try PacketCapture(flow: Fixtures.scenario("tcp-nat-http")).restricted(toInterfaces: [0]).write(to: path)
            #expect(try TShark.lines(path, ["-Y", "http.request.method == \"GET\""]).count == 1)
            #expect(try TShark.lines(path, ["-Y", "http.response.code == 200"]).count == 1)
        }
    }

    @Test("pcapng: interface names, descriptions and packet comments")
    func pcapngMetadata() throws {
        let flow = Fixtures.scenario("tcp-dropped-mid-path")
        try withTemporaryDirectory { dir in
            let path = "\(dir)/meta.pcapng"
            try PacketCapture(flow: flow).write(to: path)
            let frames = try TShark.fields(path, ["frame.interface_name", "frame.interface_description", "frame.comment"])
            for frame in frames {
                guard let point = flow.points.first(where: { $0.name == frame[0] }) else {
                    Issue.record("unknown interface \(frame[0])")
                    continue
                }
                #expect(frame[1] == point.description)
                var expected = [point.comment].compactMap { $0 }
                if point.name == flow.points[2].name { expected.append(Fixtures.naclDrop) }
                #expect(frame[2] == expected.joined(separator: "|"), "\(point.name)")
            }
            let dns = "\(dir)/dns.pcapng"
            try PacketCapture(flow: Fixtures.dnsOverNAT).write(to: dns)
            let comments = try TShark.fields(dns, ["frame.interface_name", "frame.comment"], filter: "dns.flags.response == 1")
            #expect(comments.contains { $0[0] == "NAT-GW-A (public side)" && $0[1] == "DNAT 10.0.0.9:1027 → 10.0.11.25:43512" })
        }
    }

    /// DNS is tracked by Wireshark per address/port pair and transaction id; the copy of the query
    /// at a second point with the same header is reported as a "retransmission" (a warning in
    /// Wireshark 4.0). Nothing else may be flagged, and each point alone is clean.
    @Test("DNS: real messages; only Wireshark's copy-as-retransmission warnings in a merged file")
    func dns() throws {
        let capture = try PacketCapture(flow: Fixtures.dnsOverNAT)
        try withTemporaryDirectory { dir in
            let merged = "\(dir)/dns.pcapng"
            try capture.write(to: merged)
            let warnings = try TShark.fields(merged, ["_ws.expert.message"], filter: TShark.problemFilter)
            #expect(warnings.count == 4)
            #expect(warnings.allSatisfy { $0[0].contains("DNS query retransmission") || $0[0].contains("DNS response retransmission") })
            for index in capture.interfaces.indices {
                let single = "\(dir)/dns-\(index).pcap"
                try capture.restricted(toInterfaces: [index]).write(to: single)
                #expect(try TShark.problems(single).isEmpty)
                #expect(try TShark.lines(single, ["-Y", "dns.a == 192.0.2.1"]).count == 1)
            }
        }
    }

    /// Wireshark dissects payloads by port; vpcsim's filler must not look malformed on the ports
    /// AWS workloads use.
    @Test("common AWS service ports dissect cleanly")
    func commonPorts() throws {
        let tcpPorts: [UInt16] = [21, 22, 25, 53, 80, 110, 143, 443, 465, 587, 636, 993, 995, 1433, 1521, 2049, 2379, 3306, 3389, 5432, 5439, 5671, 5672, 6379, 8080, 8443, 9092, 9200, 9243, 11211, 27017]
        let udpPorts: [UInt16] = [53, 123, 161, 514, 1812, 5000]
        var flows: [SimulatedFlow] = []
        for (i, port) in tcpPorts.enumerated() {
            flows.append(SimulatedFlow(flowProtocol: .tcp, points: [Fixtures.vpcPath(protocol: .tcp, port: port, clientPort: 33000 + UInt16(i))[1]]))
        }
        for (i, port) in udpPorts.enumerated() {
            flows.append(SimulatedFlow(flowProtocol: .udp, points: [Fixtures.vpcPath(protocol: .udp, port: port, clientPort: 34000 + UInt16(i))[1]]))
        }
        try withTemporaryDirectory { dir in
            let path = "\(dir)/ports.pcap"
            try PacketCapture(flows: flows).write(to: path)
            let problems = try TShark.fields(path, ["tcp.dstport", "udp.dstport", "_ws.expert.message"], filter: TShark.problemFilter)
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}

func ipString(_ address: UInt32) -> String {
    "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
}
