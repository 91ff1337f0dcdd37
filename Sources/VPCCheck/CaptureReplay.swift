import Foundation
import VPCCapture
import VPCEngine
import VPCModel

/// Replays a pcap/pcapng capture taken at one interface (a scenario's `traffic: {pcap: FILE,
/// interface: NAME}`): every conversation of the file (`CaptureReader`: one per 5-tuple, oriented
/// client → server from its SYN or echo request) is read as a flow by the engine's
/// `ObservationReader` — the reading flow log replay uses too — and its simulated outcome (accept:
/// delivered and answered) is compared with the entry's `expect`.
///
/// - The interface is the flow's **source** when the client address is one of its private IPs, else
///   its **destination** when the server address is.
/// - The other end is the interface holding that private IP, or the internet for a public address
///   (the flow then addresses the interface's public IP, as a packet from outside does before the
///   internet gateway translates it).
/// - ICMP conversations are echo requests; other protocols carry no ports.
/// - Conversations the reader skips (neither end at the interface: a capture of several points, like
///   the ones vpcsim writes, also holds the packets seen at NAT and internet gateways; a client behind
///   a NAT gateway; …), IPv6 and non-IP records are not replayed. A capture with nothing to replay at
///   the interface is an input error.
public enum CaptureReplay {
    public struct Replayed: Sendable, Hashable {
        /// The 1-based number of the conversation's first packet in the file.
        public var packet: Int
        public var observed: ObservedFlow
        public var flow: Flow
        /// The interface sends the request (true) or receives it (false).
        public var interfaceIsSource: Bool
        public var action: FlowAction
        public var explanation: String

        /// `10.0.11.11:40000 -> 8.8.8.8:443 tcp`.
        public var description: String {
            let h = observed.header
            let proto = IPProtocol(number: Int(observed.protocolNumber))?.name ?? String(observed.protocolNumber)
            let ported = observed.protocolNumber == 6 || observed.protocolNumber == 17
            func end(_ address: UInt32, _ port: UInt16) -> String {
                ported ? "\(IPv4Address(address)):\(port)" : IPv4Address(address).description
            }
            return "\(end(h.sourceAddress, h.sourcePort)) -> \(end(h.destinationAddress, h.destinationPort)) \(proto)"
        }
    }

    public struct Result: Sendable, Hashable {
        public var conversations: Int
        public var replayed: [Replayed]
        /// Conversations not replayed, by reason.
        public var skipped: [ObservationSkip: Int]
    }

    /// The interfaces a `interface:` value stands for: an interface by id or name, or a workload
    /// (every interface it has), case-insensitively.
    static func interfaces(named written: String, in network: Network) -> [Int] {
        let key = written.trimmingCharacters(in: .whitespaces).lowercased()
        if let index = network.interfaces.firstIndex(where: { $0.id.lowercased() == key || $0.name.lowercased() == key }) {
            return [index]
        }
        if let workload = network.workloads.first(where: { $0.id.lowercased() == key || $0.name.lowercased() == key }) {
            return network.interfaces.indices.filter { workload.interfaceIDs.contains(network.interfaces[$0].id) }
        }
        return []
    }

    /// Reads and replays `path` at `interface`; errors are located by the runner at the entry.
    public static func replay(path: String, interface written: String, in engine: QueryEngine) throws(CheckQueryError) -> Result {
        let network = engine.plane.network
        let own = interfaces(named: written, in: network)
        guard !own.isEmpty else {
            let names = network.interfaces.map(\.name).filter { $0.lowercased().hasPrefix(String(written.lowercased().prefix(3))) }
            throw CheckQueryError(.traffic, "'\(written)' is not an interface of the network",
                                  hint: names.isEmpty ? "name an interface (WORKLOAD@SUBNET or eni-…) or a workload"
                                      : "did you mean \(names.prefix(3).joined(separator: ", "))?")
        }
        let contents: CaptureContents
        do {
            contents = try CaptureReader.read(path: path)
        } catch {
            throw located(error)
        }
        var firstPacket: [PacketKey: Int] = [:]
        for packet in contents.packets {
            let key = PacketKey(protocolNumber: packet.protocolNumber, header: packet.header)
            if firstPacket[key] == nil { firstPacket[key] = packet.number }
        }

        let reader = ObservationReader(engine.plane)
        let conversations = contents.flows
        var replayed: [Replayed] = []
        var skipped: [ObservationSkip: Int] = [:]
        for observed in conversations {
            let header = observed.header
            let observation = TrafficObservation(sourceAddress: header.sourceAddress, destinationAddress: header.destinationAddress,
                                                 sourcePort: header.sourcePort, destinationPort: header.destinationPort,
                                                 ipProtocol: observed.protocolNumber, at: own.map { UInt32($0) }, orientation: .fromClient)
            let seen: FlowAtInterface
            switch reader.read(observation) {
            case .skipped(let reason): skipped[reason, default: 0] += 1; continue
            case .flow(let flow): seen = flow
            }
            let (verdict, explanation) = FlowLogReplay.story(of: seen.flow, in: engine)
            let key = PacketKey(protocolNumber: observed.protocolNumber, header: header)
            let reversed = PacketKey(protocolNumber: observed.protocolNumber, header: header.reversed)
            let number = [firstPacket[key], firstPacket[reversed]].compactMap { $0 }.min() ?? 0
            replayed.append(Replayed(packet: number, observed: observed, flow: seen.flow, interfaceIsSource: seen.end == .client,
                                     action: verdict.reachable ? .accept : .reject, explanation: explanation))
        }
        guard !replayed.isEmpty else {
            let addresses = own.flatMap { network.interfaces[$0].privateIPs.map(\.description) }.joined(separator: ", ")
            var message = "capture \(path) has no conversation at \(written) (\(addresses))"
            if conversations.isEmpty {
                message = "capture \(path) holds no IPv4 conversation (\(contents.records) record\(contents.records == 1 ? "" : "s"), \(contents.skipped) not IPv4)"
            } else {
                let reasons = skipped.map { "\($0.value) \($0.key)" }.sorted().joined(separator: "; ")
                message += ": \(conversations.count) conversation\(conversations.count == 1 ? "" : "s") skipped (\(reasons))"
            }
            throw CheckQueryError(.traffic, message, hint: "'interface' is where the packets were captured: one end of each conversation is its private IP")
        }
        return Result(conversations: conversations.count, replayed: replayed, skipped: skipped)
    }

    struct PacketKey: Hashable {
        var protocolNumber: UInt8
        var header: PacketHeader
    }

    /// A reader error as a message located at the traffic entry (the file, the packet and its offset).
    static func located(_ error: CaptureError) -> CheckQueryError {
        switch error {
        case .cannotOpen(let path, let message):
            return CheckQueryError(.traffic, "cannot read capture \(path): \(message)",
                                   hint: "the path is relative to the scenario file's folder")
        case .refused(let path, let message, let hint):
            return CheckQueryError(.traffic, "capture \(path): \(message)", hint: hint)
        case .unreadable(let path, let packet, let offset, let message):
            var place = "capture \(path)"
            if let packet { place += ", packet \(packet)" }
            if let offset { place += " (byte offset \(offset))" }
            return CheckQueryError(.traffic, "\(place) is unreadable: \(message)",
                                   hint: "the file is not a pcap/pcapng capture, or it is truncated or corrupt")
        default:
            return CheckQueryError(.traffic, "capture: \(error.description)")
        }
    }

    /// The replay as outcomes for a scenario's traffic entry.
    public static func outcomes(_ result: Result, file: String) -> [FlowOutcome] {
        result.replayed.map { item in
            FlowOutcome(flow: item.description, action: item.action, origin: "\(file) packet \(item.packet)",
                        explanation: "\(item.interfaceIsSource ? "sent" : "received") at the interface: \(item.explanation)")
        }
    }
}
