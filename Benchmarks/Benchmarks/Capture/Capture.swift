import Benchmark
import CPcap
import Foundation
import VPCCapture

// Writing captures: vpcsim's writers against raw `pcap_dump` of the same prebuilt frames, in the
// same run, so the ratio does not depend on the machine. Run from Benchmarks/:
//   swift package --allow-writing-to-package-directory benchmark --target Capture

/// ~100k frames from TCP, UDP and ICMP flows over two- and five-point paths, built once.
let prebuilt: PacketCapture = {
    func ip(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32) -> UInt32 { a << 24 | b << 16 | c << 8 | d }
    var flows: [SimulatedFlow] = []
    for i in 0..<2048 {
        let clientPort = UInt16(32768 + i)
        let inside = PacketHeader(
            sourceAddress: ip(10, 0, UInt32(i % 200), 25), sourcePort: clientPort,
            destinationAddress: ip(54, 1, 2, 3), destinationPort: 443)
        let outside = PacketHeader(
            sourceAddress: ip(52, 1, 1, 1), sourcePort: UInt16(1024 + i),
            destinationAddress: ip(54, 1, 2, 3), destinationPort: 443)
        let nat: [CapturePoint] = [
            CapturePoint(name: "eni-\(i % 16)", interfaceID: "eni-\(i % 16)", requestDirection: .outbound, header: inside),
            CapturePoint(name: "nat-private", requestDirection: .inbound, header: inside, latencyFromPrevious: 100_000),
            CapturePoint(
                name: "nat-public", requestDirection: .outbound, header: outside, latencyFromPrevious: 500_000,
                comment: "SNAT \(inside) → \(outside)"),
            CapturePoint(name: "igw", requestDirection: .outbound, header: outside, latencyFromPrevious: 100_000),
            CapturePoint(name: "internet", requestDirection: .inbound, header: outside, latencyFromPrevious: 40_000_000),
        ]
        let start = SimulatedFlow.defaultStartTime + UInt64(i) * 1_000_000
        let flowProtocol: FlowProtocol = i % 8 == 0 ? .udp : (i % 8 == 1 ? .icmpEcho : .tcp)
        flows.append(SimulatedFlow(flowProtocol: flowProtocol, points: i % 2 == 0 ? nat : Array(nat[0...1]), startTime: start))
    }
    do {
        return try PacketCapture(flows: flows)
    } catch {
        fatalError("benchmark flows must synthesize: \(error)")
    }
}()

/// The same frames as pcap_dump wants them: headers and one contiguous byte buffer.
struct RawFrames: @unchecked Sendable {
    var headers: [pcap_pkthdr] = []
    var bytes: [UInt8] = []
    var offsets: [Int] = []

    init(_ capture: PacketCapture) {
        for packet in capture.packets {
            var header = pcap_pkthdr()
            header.ts.tv_sec = Int(packet.timestamp / 1_000_000_000)
            header.ts.tv_usec = Int(packet.timestamp % 1_000_000_000)
            header.caplen = UInt32(packet.frame.count)
            header.len = header.caplen
            headers.append(header)
            offsets.append(bytes.count)
            bytes.append(contentsOf: packet.frame)
        }
    }
}

let raw = RawFrames(prebuilt)

/// A file in memory-backed /dev/shm when there is one, so the disk does not set the pace.
func scratchPath(_ name: String) -> String {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return "\(folder)/vpcsim-bench-\(getpid())-\(name)"
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        warmupIterations: 2,
        scalingFactor: .mega,
        maxDuration: .seconds(10),
        maxIterations: 15
    )

    // Baseline: libpcap's pcap_dump called directly on the prebuilt packets, nothing else.
    Benchmark("capture-raw-pcap-dump", configuration: configuration) { benchmark in
        let path = scratchPath("raw.pcap")
        defer { unlink(path) }
        guard let handle = pcap_open_dead_with_tstamp_precision(1, 65535, UInt32(PCAP_TSTAMP_PRECISION_NANO)),
            let dumper = pcap_dump_open(handle, path)
        else { fatalError("pcap_dump_open \(path)") }
        let user = UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self)
        let packets = prebuilt.packets
        let count = packets.count
        var index = 0
        for _ in benchmark.scaledIterations {
            var header = pcap_pkthdr()
            header.ts.tv_sec = Int(packets[index].timestamp / 1_000_000_000)
            header.ts.tv_usec = Int(packets[index].timestamp % 1_000_000_000)
            header.caplen = UInt32(packets[index].frame.count)
            header.len = header.caplen
            packets[index].frame.withUnsafeBufferPointer { pcap_dump(user, &header, $0.baseAddress) }
            index += 1
            if index == count { index = 0 }
        }
        pcap_dump_close(dumper)
        pcap_close(handle)
    }

    Benchmark("capture-write-pcap", configuration: configuration) { benchmark in
        let path = scratchPath("vpcsim.pcap")
        defer { unlink(path) }
        let packets = prebuilt.packets
        let count = packets.count
        do {
            var writer = try PcapWriter(path: path)
            var index = 0
            for _ in benchmark.scaledIterations {
                writer.write(packets[index])
                index += 1
                if index == count { index = 0 }
            }
            try writer.close()
        } catch {
            fatalError("\(error)")
        }
    }

    // The same pair on frames stored back to back (headers prebuilt for pcap_dump): without the
    // cache misses of ~100k separately allocated frames, the wrapper's own cost shows.
    Benchmark("capture-raw-pcap-dump-contiguous", configuration: configuration) { benchmark in
        let path = scratchPath("raw-contiguous.pcap")
        defer { unlink(path) }
        guard let handle = pcap_open_dead_with_tstamp_precision(1, 65535, UInt32(PCAP_TSTAMP_PRECISION_NANO)),
            let dumper = pcap_dump_open(handle, path)
        else { fatalError("pcap_dump_open \(path)") }
        let user = UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self)
        let count = raw.headers.count
        raw.bytes.withUnsafeBufferPointer { bytes in
            raw.headers.withUnsafeBufferPointer { headers in
                raw.offsets.withUnsafeBufferPointer { offsets in
                    guard let headerBase = headers.baseAddress, let byteBase = bytes.baseAddress else { return }
                    var index = 0
                    for _ in benchmark.scaledIterations {
                        pcap_dump(user, headerBase + index, byteBase + offsets[index])
                        index += 1
                        if index == count { index = 0 }
                    }
                }
            }
        }
        pcap_dump_close(dumper)
        pcap_close(handle)
    }

    Benchmark("capture-write-pcap-contiguous", configuration: configuration) { benchmark in
        let path = scratchPath("contiguous.pcap")
        defer { unlink(path) }
        let count = raw.headers.count
        do {
            var writer = try PcapWriter(path: path)
            raw.bytes.withUnsafeBytes { bytes in
                var index = 0
                for _ in benchmark.scaledIterations {
                    let start = raw.offsets[index]
                    let header = raw.headers[index]
                    let timestamp = UInt64(header.ts.tv_sec) * 1_000_000_000 + UInt64(header.ts.tv_usec)
                    writer.write(
                        timestamp: timestamp,
                        frame: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + Int(header.caplen))]))
                    index += 1
                    if index == count { index = 0 }
                }
            }
            try writer.close()
        } catch {
            fatalError("\(error)")
        }
    }

    Benchmark("capture-write-pcapng", configuration: configuration) { benchmark in
        let path = scratchPath("vpcsim.pcapng")
        defer { unlink(path) }
        let packets = prebuilt.packets
        let count = packets.count
        do {
            var writer = try PcapngWriter(path: path, interfaces: prebuilt.interfaces)
            var index = 0
            for _ in benchmark.scaledIterations {
                try writer.write(packets[index])
                index += 1
                if index == count { index = 0 }
            }
            try writer.close()
        } catch {
            fatalError("\(error)")
        }
    }

    // Synthesis: TCP conversations over a five-point NAT path, each 45 frames.
    Benchmark(
        "capture-synthesize-tcp-flow",
        configuration: .init(metrics: [.throughput, .wallClock], scalingFactor: .kilo, maxDuration: .seconds(10), maxIterations: 15)
    ) { benchmark in
        let flow = SimulatedFlow(
            flowProtocol: .tcp,
            points: prebuilt.interfaces.isEmpty ? [] : [
                CapturePoint(name: "a", requestDirection: .outbound, header: PacketHeader(sourceAddress: 0x0A00_0001, sourcePort: 40000, destinationAddress: 0x3601_0203, destinationPort: 443)),
                CapturePoint(name: "b", requestDirection: .inbound, header: PacketHeader(sourceAddress: 0x0A00_0001, sourcePort: 40000, destinationAddress: 0x3601_0203, destinationPort: 443), latencyFromPrevious: 100_000),
                CapturePoint(name: "c", requestDirection: .outbound, header: PacketHeader(sourceAddress: 0x0A00_0009, sourcePort: 1027, destinationAddress: 0x3601_0203, destinationPort: 443), latencyFromPrevious: 500_000),
                CapturePoint(name: "d", requestDirection: .outbound, header: PacketHeader(sourceAddress: 0x3401_0101, sourcePort: 1027, destinationAddress: 0x3601_0203, destinationPort: 443), latencyFromPrevious: 100_000),
                CapturePoint(name: "e", requestDirection: .inbound, header: PacketHeader(sourceAddress: 0x3401_0101, sourcePort: 1027, destinationAddress: 0x3601_0203, destinationPort: 443), latencyFromPrevious: 40_000_000),
            ])
        for _ in benchmark.scaledIterations {
            blackHole(try? flow.packets())
        }
    }
}
