import CPcap
import Foundation
import Testing
import VPCCapture

@Suite struct ReaderTests {
    static let flows: [SimulatedFlow] = [
        Fixtures.scenario("tcp-nat-delivered"),
        Fixtures.scenario("tcp-dropped-at-source"),
        Fixtures.scenario("udp-delivered"),
        Fixtures.scenario("icmp-delivered"),
    ]

    struct Expected: Hashable {
        var protocolNumber: UInt8
        var header: PacketHeader
    }

    /// What a reader must find: one conversation per distinct header the points saw.
    static func expectedFlows(_ flows: [SimulatedFlow]) -> Set<Expected> {
        var result: Set<Expected> = []
        for flow in flows {
            var last = flow.points.count - 1
            if case .requestDropped(let drop) = flow.outcome { last = drop.afterPoint }
            for point in flow.points[0...last] {
                var header = point.header
                if flow.flowProtocol == .icmpEcho { header.destinationPort = 0 }
                result.insert(Expected(protocolNumber: flow.flowProtocol.number, header: header))
            }
        }
        return result
    }

    @Test("write then read gives the same flows", arguments: CaptureFormat.allCases)
    func roundTrip(format: CaptureFormat) throws {
        let capture = try PacketCapture(flows: Self.flows)
        try withTemporaryDirectory { dir in
            let path = "\(dir)/round.\(format.rawValue)"
            try capture.write(to: path)
            let contents = try CaptureReader.read(path: path)
            #expect(contents.linkType == 1)
            #expect(contents.records == capture.packets.count)
            #expect(contents.skipped == 0)
            #expect(contents.packets.map(\.timestamp) == capture.packets.map(\.timestamp))
            let flows = contents.flows
            #expect(Set(flows.map { Expected(protocolNumber: $0.protocolNumber, header: $0.header) }) == Self.expectedFlows(Self.flows))
            #expect(flows.map(\.packets).reduce(0, +) == capture.packets.count)
            let ipBytes: Int = capture.packets.map { $0.frame.count - 14 }.reduce(0, +)
            let observedBytes: Int = flows.map(\.bytes).reduce(0, +)
            #expect(observedBytes == ipBytes)

            // The inside view of the NAT flow: two points × 9 packets, oriented from the SYN.
            let inside = try #require(flows.first { $0.header == Fixtures.natPath(protocol: .tcp, port: 443)[0].header })
            #expect(inside.packets == 18)
            #expect(inside.requestPackets == 12)  // SYN, ACK, request, ACK, FIN, ACK at both points
            #expect(inside.firstSeen == SimulatedFlow.defaultStartTime)
            #expect(!inside.unansweredSYN)
            let dropped = try #require(flows.first { $0.header.destinationPort == 3306 })
            #expect(dropped.unansweredSYN)
            #expect(dropped.packets == 3)
            let filtered = try CaptureReader.readFlows(path: path, filter: "udp")
            #expect(filtered.count == 1)
            #expect(filtered.first?.protocolNumber == 17)
        }
    }

    @Test("direction comes from the SYN even when the SYN-ACK is seen first")
    func orientation() {
        let client = PacketHeader(sourceAddress: 0x0A00_0001, sourcePort: 40000, destinationAddress: 0x0A00_0002, destinationPort: 443)
        func packet(_ header: PacketHeader, _ flags: TCPFlags, _ t: UInt64) -> DecodedPacket {
            DecodedPacket(number: 0, timestamp: t, protocolNumber: 6, header: header, tcpFlags: flags, icmpType: nil, ipLength: 40)
        }
        let flows = CaptureReader.flows(from: [
            packet(client.reversed, [.syn, .ack], 5), packet(client, [.syn], 3), packet(client, [.ack], 7),
        ])
        #expect(flows.count == 1)
        #expect(flows.first?.header == client)
        #expect(flows.first?.requestPackets == 2)
        #expect(flows.first?.firstSeen == 3)
        #expect(flows.first?.unansweredSYN == false)
    }

    /// Writes `frames` with libpcap itself under another link type.
    static func writeRaw(_ path: String, linkType: Int32, frames: [(UInt64, [UInt8])]) throws {
        let handle = try #require(pcap_open_dead_with_tstamp_precision(linkType, 65535, UInt32(PCAP_TSTAMP_PRECISION_NANO)))
        defer { pcap_close(handle) }
        let dumper = try #require(pcap_dump_open(handle, path))
        for (timestamp, bytes) in frames {
            var header = pcap_pkthdr()
            header.ts.tv_sec = Int(timestamp / 1_000_000_000)
            header.ts.tv_usec = Int(timestamp % 1_000_000_000)
            header.caplen = UInt32(bytes.count)
            header.len = UInt32(bytes.count)
            bytes.withUnsafeBufferPointer { pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), &header, $0.baseAddress) }
        }
        pcap_dump_close(dumper)
    }

    @Test("raw IP and Linux cooked captures decode to the same flows")
    func otherLinkTypes() throws {
        let capture = try PacketCapture(flows: Self.flows)
        let ip = capture.packets.map { ($0.timestamp, Array($0.frame[14...])) }
        let sll = ip.map { ($0.0, [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 0, 0, 1, 0x08, 0x00] + $0.1) }
        let sll2 = ip.map { ($0.0, [0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 0, 0, 1] + $0.1) }
        let expected = Self.expectedFlows(Self.flows)
        try withTemporaryDirectory { dir in
            for (name, linkType, frames) in [("raw", Int32(12), ip), ("sll", 113, sll), ("sll2", 276, sll2)] {
                let path = "\(dir)/\(name).pcap"
                try Self.writeRaw(path, linkType: linkType, frames: frames)
                let contents = try CaptureReader.read(path: path)
                #expect(contents.skipped == 0, "\(name)")
                #expect(Set(contents.flows.map { Expected(protocolNumber: $0.protocolNumber, header: $0.header) }) == expected, "\(name)")
                // The filter compiles for the file's own link type.
                let icmp = expected.filter { $0.protocolNumber == 1 }.count
                #expect(try CaptureReader.readFlows(path: path, filter: "icmp").count == icmp, "\(name)")
            }
        }
    }

    @Test("decoding never traps on truncated or random bytes")
    func decodeRobust() throws {
        let capture = try PacketCapture(flows: Self.flows)
        var generator = SplitMix(seed: 42)
        for packet in capture.packets.prefix(20) {
            for length in 0...packet.frame.count {
                for linkType: Int32 in [0, 1, 12, 113, 276] {
                    _ = Array(packet.frame[0..<length]).withUnsafeBytes { CaptureReader.decode($0, linkType: linkType) }
                }
            }
        }
        for _ in 0..<2000 {
            let bytes = (0..<Int(generator.next() % 80)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = bytes.withUnsafeBytes { CaptureReader.decode($0, linkType: 1) }
            _ = bytes.withUnsafeBytes { CaptureReader.decode($0, linkType: 12) }
        }
    }

    @Test("a truncated pcap is a located error: record number and byte offset")
    func truncatedPcap() throws {
        let capture = try PacketCapture(flows: Self.flows)
        try withTemporaryDirectory { dir in
            let path = "\(dir)/cut.pcap"
            try capture.write(to: path)
            let data = try fileBytes(path)
            try data.prefix(data.count - 10).write(to: URL(fileURLWithPath: path))
            let lastOffset = 24 + capture.packets.dropLast().map { 16 + $0.frame.count }.reduce(0, +)
            let error = #expect(throws: CaptureError.self) { try CaptureReader.read(path: path) }
            guard case .unreadable(let errorPath, let packet, let offset, let message)? = error else {
                Issue.record("expected unreadable, got \(String(describing: error))")
                return
            }
            #expect(errorPath == path)
            #expect(packet == capture.packets.count)
            #expect(offset == Int64(lastOffset))
            #expect(message.contains("truncated"))
            #expect(error?.description.contains("\(path): packet \(capture.packets.count) (byte offset \(lastOffset)): error:") == true)

            // Cut inside a record header.
            try data.prefix(24 + 8).write(to: URL(fileURLWithPath: path))
            #expect(throws: CaptureError.self) { try CaptureReader.read(path: path) }
        }
    }

    @Test("a truncated or corrupt pcapng is a located error")
    func corruptPcapng() throws {
        let capture = try PacketCapture(flows: Self.flows)
        try withTemporaryDirectory { dir in
            let path = "\(dir)/cut.pcapng"
            try capture.write(to: path)
            let data = try fileBytes(path)
            try data.prefix(data.count - 10).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: CaptureError.self) { try CaptureReader.read(path: path) }
            guard case .unreadable(_, let packet, let offset, _)? = error else {
                Issue.record("expected unreadable, got \(String(describing: error))")
                return
            }
            #expect(packet == capture.packets.count)
            #expect(offset != nil)

            // A block length that runs past the end of the file, in the middle.
            var corrupt = data
            let blockStart = data.count / 2
            if let epb = (blockStart..<(data.count - 8)).first(where: { data[$0] == 6 && data[$0 + 1] == 0 && data[$0 + 2] == 0 && data[$0 + 3] == 0 && $0 % 4 == 0 }) {
                corrupt[epb + 4] = 0xFF
                corrupt[epb + 5] = 0xFF
                corrupt[epb + 6] = 0xFF
                corrupt[epb + 7] = 0x0F
            }
            try corrupt.write(to: URL(fileURLWithPath: path))
            #expect(throws: CaptureError.self) { try CaptureReader.read(path: path) }
        }
    }

    @Test("garbage, empty and missing files are errors with libpcap's reason")
    func garbage() throws {
        try withTemporaryDirectory { dir in
            var generator = SplitMix(seed: 7)
            let garbage = "\(dir)/garbage.pcap"
            try Data((0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }).write(to: URL(fileURLWithPath: garbage))
            let error = #expect(throws: CaptureError.self) { try CaptureReader.read(path: garbage) }
            guard case .unreadable(_, nil, nil, let message)? = error else {
                Issue.record("expected unreadable, got \(String(describing: error))")
                return
            }
            #expect(message.contains("unknown file format"))

            let empty = "\(dir)/empty.pcap"
            try Data().write(to: URL(fileURLWithPath: empty))
            #expect(throws: CaptureError.self) { try CaptureReader.read(path: empty) }

            let text = "\(dir)/flows.pcap"
            try Data(FlowLogRecord.header.utf8).write(to: URL(fileURLWithPath: text))
            #expect(throws: CaptureError.self) { try CaptureReader.read(path: text) }

            let missing = "\(dir)/missing.pcap"
            let missingError = #expect(throws: CaptureError.self) { try CaptureReader.read(path: missing) }
            #expect(missingError == .cannotOpen(path: missing, message: "No such file or directory"))

            let valid = "\(dir)/valid.pcap"
            try PacketCapture(flow: Fixtures.scenario("udp-delivered")).write(to: valid)
            let filterError = #expect(throws: CaptureError.self) { try CaptureReader.read(path: valid, filter: "udp port") }
            guard case .invalidFilter? = filterError else {
                Issue.record("expected invalidFilter, got \(String(describing: filterError))")
                return
            }
        }
    }
}

/// A tiny deterministic generator for fuzz inputs.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
