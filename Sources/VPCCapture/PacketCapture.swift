/// The file formats vpcsim writes; the output file's extension chooses one.
public enum CaptureFormat: String, Sendable, Hashable, CaseIterable {
    /// Classic libpcap format: opens in every tool; no interface names or comments.
    case pcap
    /// pcapng: one interface per capture point, with names and packet comments.
    case pcapng

    /// `.pcap` or `.pcapng` (any letter case); anything else is an error with a hint.
    public init(path: String) throws(CaptureError) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."),
            let format = CaptureFormat(rawValue: name[name.index(after: dot)...].lowercased())
        else { throw .unsupportedFormat(path: path) }
        self = format
    }
}

/// Frames from one or more simulated flows, merged in time order, ready to write. Capture points
/// with the same name (the same ENI seen by several flows) become one interface.
///
/// Usage: `try PacketCapture(flow: flow).write(to: "trace.pcapng", filter: "tcp port 443")`.
///
/// One file holds every capture point, as a multi-interface capture would. Wireshark 4.0 tracks TCP
/// and DNS by addresses and ports only, not by interface, so where two points see the same header
/// (no translation between them) it reports the second copy of a segment as a retransmission,
/// duplicate ACK or keep-alive (notes), and the second copy of a DNS message as a retransmission (a
/// warning). That is Wireshark's view of the merge, not an error in the packets: each interface on
/// its own (`restricted(toInterfaces:)`, or Wireshark's conversation deinterlacing by interface where
/// available) passes TCP analysis without a flag.
public struct PacketCapture: Sendable {
    public private(set) var interfaces: [CaptureInterface]
    public private(set) var packets: [CapturedPacket]

    /// Prebuilt frames; every `interfaceIndex` must index `interfaces`.
    public init(interfaces: [CaptureInterface], packets: [CapturedPacket]) {
        self.interfaces = interfaces
        self.packets = packets
    }

    public init(flow: SimulatedFlow) throws(CaptureError) {
        try self.init(flows: [flow])
    }

    /// Synthesizes every flow and merges them. Ties in time keep flow order, so the result is
    /// deterministic.
    public init(flows: [SimulatedFlow]) throws(CaptureError) {
        var interfaces: [CaptureInterface] = []
        var indexByName: [String: Int] = [:]
        var merged: [(packet: CapturedPacket, flow: Int, order: Int)] = []
        for (flowIndex, flow) in flows.enumerated() {
            let packets = try flow.packets()
            var mapping: [Int] = []
            for point in flow.points {
                if let existing = indexByName[point.name] {
                    mapping.append(existing)
                } else {
                    indexByName[point.name] = interfaces.count
                    mapping.append(interfaces.count)
                    interfaces.append(
                        CaptureInterface(name: point.name, description: point.description, mac: point.effectiveMAC))
                }
            }
            for (order, packet) in packets.enumerated() {
                var packet = packet
                packet.interfaceIndex = mapping[packet.interfaceIndex]
                merged.append((packet, flowIndex, order))
            }
        }
        merged.sort { a, b in
            if a.packet.timestamp != b.packet.timestamp { return a.packet.timestamp < b.packet.timestamp }
            if a.flow != b.flow { return a.flow < b.flow }
            return a.order < b.order
        }
        self.interfaces = interfaces
        self.packets = merged.map(\.packet)
    }

    /// Only the frames that match a BPF expression (tcpdump syntax).
    public func filtered(by expression: String) throws(CaptureError) -> PacketCapture {
        let filter = try PacketFilter(expression)
        return PacketCapture(interfaces: interfaces, packets: packets.filter { filter.matches($0.frame) })
    }

    /// Only the frames recorded on the given interfaces (indices keep their meaning).
    public func restricted(toInterfaces indices: Set<Int>) -> PacketCapture {
        PacketCapture(interfaces: interfaces, packets: packets.filter { indices.contains($0.interfaceIndex) })
    }

    /// Writes the capture in the format the extension of `path` names, keeping only frames that
    /// match `filter` if one is given. Returns the number of frames written.
    @discardableResult
    public func write(to path: String, filter: String? = nil) throws(CaptureError) -> Int {
        let format = try CaptureFormat(path: path)
        var compiled: PacketFilter?
        if let filter { compiled = try PacketFilter(filter) }
        switch format {
        case .pcap:
            // Checked before the file is created: classic pcap cannot hold the time, and libpcap would cut it.
            if let index = packets.firstIndex(where: { $0.timestamp > PcapWriter.maximumTimestamp }) {
                let seconds = packets[index].timestamp / 1_000_000_000
                throw .timestampOutOfRange(
                    path: path, packet: index + 1, timestamp: packets[index].timestamp,
                    message: "the timestamp \(seconds) s after 1970 is past what classic pcap holds "
                        + "(32-bit seconds: \(UInt32.max), 2106-02-07 06:28:15 UTC)")
            }
            var writer = try PcapWriter(path: path, filter: compiled)
            for packet in packets { writer.write(packet) }
            let count = writer.packetsWritten
            try writer.close()
            return count
        case .pcapng:
            var writer = try PcapngWriter(path: path, interfaces: interfaces, filter: compiled)
            for packet in packets { try writer.write(packet) }
            let count = writer.packetsWritten
            try writer.close()
            return count
        }
    }
}
