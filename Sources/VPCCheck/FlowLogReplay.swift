import Foundation
import VPCCapture
import VPCEngine
import VPCModel

/// Replays VPC Flow Log records (default version-2 format) against the simulator: for each record,
/// the flow it describes is evaluated with the Evaluator, and the action AWS would log at the
/// record's interface is compared with the logged one. Disagreements are drift between the model and
/// the real network, or a misunderstood rule.
///
/// Reading a record (docs/diff-replay.md):
/// - The record's interface is the **source side** when `srcaddr` is one of its private IPs, else the
///   **destination side** when `dstaddr` is; otherwise the record is skipped.
/// - A TCP/UDP record whose source port is below its destination port, with the source port below 1024
///   or the destination port 32768 or above, is a **response** (AWS logs each direction separately);
///   it is evaluated as the request it answers. Everything else is a request.
/// - The other end of the flow is the interface holding that private IP, or the internet for a public
///   address (addressed to the interface's public IP).
/// - Simulated action at the interface: a request's **source** logs REJECT when the flow is dropped at
///   that interface (security group) or at its subnet's network ACL on the way out, else ACCEPT; a
///   request's **destination** logs ACCEPT when the request is delivered to it, else REJECT (dropped at
///   or before it). A response's **source** (the server) logs ACCEPT when the request was delivered to
///   it and the response was not dropped by its own subnet's ACL; a response's **destination** (the
///   client) logs ACCEPT when the response gets back to it.
/// - NODATA and SKIPDATA records, IPv6 records, records of interfaces the network does not have,
///   records of NAT gateway interfaces (traffic passing through, whose ends log it too), and records
///   whose other end is unknown are skipped and counted by reason.
public enum FlowLogReplay {
    /// How a record was read.
    public enum Role: String, Sendable, Hashable, Codable {
        case requestSource = "request source"
        case requestDestination = "request destination"
        case responseSource = "response source"
        case responseDestination = "response destination"
    }

    /// One replayed record.
    public struct Replayed: Sendable, Hashable {
        /// 1-based line in the file (or record number when parsed from text without lines).
        public var line: Int
        public var record: FlowLogRecord
        public var role: Role
        public var logged: FlowAction
        public var simulated: FlowAction
        /// For a disagreement: the simulated path or block; for an agreement, a short summary.
        public var explanation: String

        public var agrees: Bool { logged == simulated }

        /// `eni-0a1b 10.0.1.5:40000 -> 52.216.0.10:443 tcp`.
        public var flow: String {
            let r = record
            let proto = r.protocolNumber.map { IPProtocol(number: Int($0))?.name ?? String($0) } ?? "-"
            func end(_ address: FlowLogAddress?, _ port: UInt16?) -> String {
                let a = address?.description ?? "-"
                guard let port, r.protocolNumber == 6 || r.protocolNumber == 17 else { return a }
                return "\(a):\(port)"
            }
            return "\(r.interfaceID ?? "-") \(end(r.sourceAddress, r.sourcePort)) -> \(end(r.destinationAddress, r.destinationPort)) \(proto)"
        }
    }

    public struct Result: Sendable, Hashable {
        public var records: Int
        public var replayed: [Replayed]
        /// Skip reason → count, in order of first appearance.
        public var skipped: [(reason: String, count: Int)]

        public var agreed: Int { replayed.filter(\.agrees).count }
        public var disagreements: [Replayed] { replayed.filter { !$0.agrees } }
        public var skippedCount: Int { skipped.reduce(0) { $0 + $1.count } }

        public static func == (a: Result, b: Result) -> Bool {
            a.records == b.records && a.replayed == b.replayed && a.skipped.map(\.reason) == b.skipped.map(\.reason)
                && a.skipped.map(\.count) == b.skipped.map(\.count)
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(records); hasher.combine(replayed) }
    }

    public enum SkipReason {
        public static let noData = "NODATA record (no traffic in the interval)"
        public static let skipData = "SKIPDATA record (AWS could not capture the interval)"
        public static let noInterface = "no interface-id"
        public static let unknownInterface = "interface not in the network"
        public static let ipv6 = "IPv6 addresses are not modelled"
        public static let notThisInterface = "neither address is one of the interface's private IPs"
        public static let unknownPeer = "the other address is neither an interface of the network nor public"
        public static let noPublicIP = "a public peer, but the interface has no public IP (through a load balancer?)"
        public static let natGateway = "a NAT gateway's interface (traffic passing through; judged at its ends)"
    }

    /// Reads a flow log file: records with their line numbers. Malformed lines are `FlowLogError`s.
    public static func read(path: String) throws(FlowLogError) -> [(line: Int, record: FlowLogRecord)] {
        let records = try FlowLog.read(path: path)
        // Parsing succeeded, so every non-blank line other than the field names line is a record, in order.
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        var lines: [Int] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty || fields.map(String.init) == FlowLogRecord.fieldNames { continue }
            lines.append(index + 1)
        }
        return records.enumerated().map { (lines.indices.contains($0.offset) ? lines[$0.offset] : $0.offset + 1, $0.element) }
    }

    public static func replay(_ records: [FlowLogRecord], in engine: QueryEngine) -> Result {
        replay(records.enumerated().map { ($0.offset + 1, $0.element) }, in: engine)
    }

    public static func replay(_ records: [(line: Int, record: FlowLogRecord)], in engine: QueryEngine) -> Result {
        let network = engine.plane.network
        var byID: [String: Int] = [:]
        var byAddress: [UInt32: Int] = [:]
        for (index, interface) in network.interfaces.enumerated() {
            if byID[interface.id] == nil { byID[interface.id] = index }
            for address in interface.privateIPs where byAddress[address.value] == nil { byAddress[address.value] = index }
        }
        var replayed: [Replayed] = []
        var skipped: [(reason: String, count: Int)] = []
        func skip(_ reason: String) {
            if let i = skipped.firstIndex(where: { $0.reason == reason }) { skipped[i].count += 1 } else { skipped.append((reason, 1)) }
        }
        for (line, record) in records {
            switch record.logStatus {
            case .noData: skip(SkipReason.noData); continue
            case .skipData: skip(SkipReason.skipData); continue
            case .ok: break
            }
            guard let interfaceID = record.interfaceID else { skip(SkipReason.noInterface); continue }
            guard let index = byID[interfaceID] else { skip(SkipReason.unknownInterface); continue }
            guard case .ipv4(let source)? = record.sourceAddress, case .ipv4(let destination)? = record.destinationAddress,
                  let ipProtocol = record.protocolNumber, let action = record.action
            else { skip(SkipReason.ipv6); continue }
            let interface = network.interfaces[index]
            if case .natGateway = interface.owner { skip(SkipReason.natGateway); continue }
            let own = Set(interface.privateIPs.map(\.value))
            let sourcePort = record.sourcePort ?? 0
            let destinationPort = record.destinationPort ?? 0
            let isResponse = (ipProtocol == 6 || ipProtocol == 17) && sourcePort < destinationPort
                && (sourcePort < 1024 || destinationPort >= 32768)

            // The request flow, oriented client → server, and the interface's role in it.
            let role: Role
            let client: UInt32, server: UInt32, clientPort: UInt16, serverPort: UInt16
            if own.contains(source) {
                role = isResponse ? .responseSource : .requestSource
            } else if own.contains(destination) {
                role = isResponse ? .responseDestination : .requestDestination
            } else {
                skip(SkipReason.notThisInterface); continue
            }
            if isResponse {
                client = destination; server = source; clientPort = destinationPort; serverPort = sourcePort
            } else {
                client = source; server = destination; clientPort = sourcePort; serverPort = destinationPort
            }
            // The interface is the client (request source, response destination) or the server.
            let interfaceIsClient = role == .requestSource || role == .responseDestination
            var flow: Flow
            if interfaceIsClient {
                flow = Flow(source: UInt32(index), destination: server, ipProtocol: ipProtocol)
            } else if let peer = byAddress[client] {
                flow = Flow(source: UInt32(peer), destination: server, ipProtocol: ipProtocol)
            } else if IPv4Address(client).isPublic {
                guard let publicIP = interface.publicIP else { skip(SkipReason.noPublicIP); continue }
                flow = Flow(source: Flow.internet, externalSource: client, destination: publicIP.value, ipProtocol: ipProtocol)
            } else {
                skip(SkipReason.unknownPeer); continue
            }
            if ipProtocol == 6 || ipProtocol == 17 {
                flow.sourcePort = clientPort
                flow.destinationPort = serverPort
            } else if ipProtocol == 1 {
                flow.icmpType = 8  // flow logs carry no ICMP type: an echo request
            }

            let verdict = engine.evaluator.evaluate(flow)
            let node = UInt32(index)
            let subnet = Int(node) < engine.plane.interfaces.count ? engine.plane.interfaces[Int(node)].subnet : noIndex
            let simulated: Bool
            switch role {
            case .requestSource:
                let atInterface = verdict.dropKind == .interface && verdict.dropEntity == node
                let atOwnACL = verdict.dropKind == .subnet && verdict.dropEntity == subnet && verdict.reason == .subnetACLRestriction
                simulated = !(verdict.direction == .request && (atInterface || atOwnACL))
            case .requestDestination:
                simulated = delivered(verdict, to: node)
            case .responseSource:
                let atOwnACL = verdict.direction == .response && verdict.dropKind == .subnet && verdict.dropEntity == subnet
                simulated = delivered(verdict, to: node) && !atOwnACL
            case .responseDestination:
                simulated = verdict.reachable
            }
            let logged: FlowAction = action == .accept ? .accept : .reject
            let simulatedAction: FlowAction = simulated ? .accept : .reject
            var item = Replayed(line: line, record: record, role: role, logged: logged, simulated: simulatedAction, explanation: "")
            item.explanation = logged == simulatedAction
                ? "\(role.rawValue): \(simulatedAction.rawValue)"
                : explain(flow, role: role, simulated: simulatedAction, interface: interface, engine: engine)
            replayed.append(item)
        }
        return Result(records: records.count, replayed: replayed, skipped: skipped)
    }

    static func delivered(_ verdict: Verdict, to node: UInt32) -> Bool {
        switch verdict.delivered {
        case .interface(let i): return i == node
        case .interfaceEndpoint(_, let i): return i == node
        default: return false
        }
    }

    /// The simulated story of the flow: where it was blocked and why, or the path it took.
    static func explain(_ flow: Flow, role: Role, simulated: FlowAction, interface: NetworkInterface, engine: QueryEngine) -> String {
        "as the \(role.rawValue) at \(interface.name) (\(interface.id)) the simulator logs \(simulated.rawValue.uppercased()): "
            + story(of: flow, in: engine).text
    }

    /// `PACKET is blocked (REASON, direction) at HOP (id): rule`, or `… is delivered via A -> B and answered`,
    /// with the verdict it tells.
    static func story(of flow: Flow, in engine: QueryEngine) -> (verdict: Verdict, text: String) {
        let (verdict, events) = engine.evaluator.trace(flow)
        let sourceName = flow.isFromInternet ? "internet" : engine.plane.name(of: .interface, flow.source)
        let trace = TraceBuilder(engine.plane).build(flow: flow, verdict: verdict, events: events, sourceName: sourceName,
                                                      destinationName: IPv4Address(flow.destination).description)
        var text = trace.packet
        if let block = trace.block {
            text += " is blocked (\(block.reason.code), \(block.direction.name)) at \(block.at.name)"
            if !block.at.id.isEmpty && block.at.id != block.at.name { text += " (\(block.at.id))" }
            text += ": \(block.rule)"
        } else if trace.reachable {
            text += " is delivered via \(trace.request.map(\.name).joined(separator: " -> ")) and answered"
        } else {
            text += " is not delivered"
        }
        return (verdict, text)
    }

    /// The replay as outcomes for a scenario's traffic entry (each compared with its logged action).
    public static func outcomes(_ result: Result, file: String) -> [FlowOutcome] {
        result.replayed.map { item in
            FlowOutcome(flow: item.flow, action: item.simulated, logged: item.logged, origin: "\(file):\(item.line)",
                        explanation: item.explanation)
        }
    }
}
