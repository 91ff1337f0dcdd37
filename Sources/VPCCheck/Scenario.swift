import VPCModel

/// One scenario file: the network it is about, what-if faults, checks and traffic to replay.
/// Every item keeps the place it was written, so reports and CI annotations point at its line.
public struct Scenario: Sendable, Hashable {
    /// The scenario file as given (reports and annotations use this spelling).
    public var file: String
    /// The suite name in reports: `name:` in the file, else the file's base name.
    public var name: String
    public var description: String?
    public var topology: TopologyReference
    /// Applied, in order, before every check and every traffic entry.
    public var faults: [Fault]
    public var checks: [Check]
    public var traffic: [TrafficEntry]

    public init(file: String, name: String, description: String? = nil, topology: TopologyReference,
                faults: [Fault] = [], checks: [Check] = [], traffic: [TrafficEntry] = []) {
        self.file = file; self.name = name; self.description = description; self.topology = topology
        self.faults = faults; self.checks = checks; self.traffic = traffic
    }
}

/// The network a scenario applies to.
public enum TopologyReference: Sendable, Hashable, CustomStringConvertible {
    /// No `topology:` key: vpcsim's embedded default network (seed 000).
    case embeddedDefault
    /// A topology file or folder; `path` is resolved against the scenario file's folder, `written` is
    /// the value as written, where it was written.
    case path(String, written: Located<String>)

    public var description: String {
        switch self {
        case .embeddedDefault: return "the default network"
        case .path(let path, _): return path
        }
    }
}

/// What a check expects: the one verdict of its query (docs/semantics.md §12) — `reachable` is `yes`
/// (every source gets something asked through, and the response back; with `ports: all`, every
/// packet asked), `unreachable` is `no`, `partial` is `partly`.
public typealias Expectation = Reachability

/// A reachability question as the query layer receives it: endpoint names as written, and the packets asked about.
public struct CheckQuery: Sendable, Hashable, CustomStringConvertible {
    /// A workload, interface (`WORKLOAD@SUBNET`, name or id), load balancer, security group, subnet,
    /// IP or CIDR, `internet`, or an AWS service name, as written.
    public var from: String
    public var to: String
    /// nil: every protocol (`protocol: all` or no protocol given).
    public var ipProtocol: IPProtocol?
    /// TCP/UDP destination ports; nil: every port.
    public var ports: PortRange?
    /// ICMP type/code; nil: every type.
    public var icmp: ICMPMatch?
    /// `ports: all` was written: `expect: reachable` demands that every packet asked about gets
    /// through from every source, not only something (docs/semantics.md §12).
    public var everyPacket: Bool

    public init(from: String, to: String, ipProtocol: IPProtocol? = nil, ports: PortRange? = nil, icmp: ICMPMatch? = nil,
                everyPacket: Bool = false) {
        self.from = from; self.to = to; self.ipProtocol = ipProtocol; self.ports = ports; self.icmp = icmp
        self.everyPacket = everyPacket
    }

    /// `tcp/443`, `udp/1024-65535`, `icmp`, `all traffic`; `every packet` / `tcp/every port` for `ports: all`.
    public var packets: String {
        if everyPacket { return ipProtocol.map { "\($0.name)/every port" } ?? "every packet" }
        guard let ipProtocol else { return "all traffic" }
        if ipProtocol.hasPorts { return "\(ipProtocol.name)/\(ports?.description ?? "all")" }
        if let icmp, !icmp.isAny { return "\(ipProtocol.name) \(icmp)" }
        return ipProtocol.name
    }

    public var description: String { "\(from) -> \(to) \(packets)" }
}

/// One named check in a scenario file.
public struct Check: Sendable, Hashable {
    public var name: String
    /// The line of the check's first key.
    public var location: SourceLocation
    public var query: CheckQuery
    public var fromLocation: SourceLocation
    public var toLocation: SourceLocation
    public var expect: Expectation
    /// Hops (by name or id) every path must pass, in this order.
    public var via: [Located<String>]
    /// The reason code every blocked path must carry (`ENI_SG_RULES_MISMATCH`, …).
    public var reason: Located<String>?
    /// The source address the destination must see: an IP, or the name of a NAT gateway or interface.
    public var translatedTo: Located<String>?
    /// Applied after the scenario's faults, for this check only.
    public var faults: [Fault]
    /// Free text kept with the check and shown when it fails.
    public var note: String?

    public init(name: String, location: SourceLocation, query: CheckQuery, fromLocation: SourceLocation? = nil,
                toLocation: SourceLocation? = nil, expect: Expectation, via: [Located<String>] = [],
                reason: Located<String>? = nil, translatedTo: Located<String>? = nil, faults: [Fault] = [], note: String? = nil) {
        self.name = name; self.location = location; self.query = query
        self.fromLocation = fromLocation ?? location; self.toLocation = toLocation ?? location
        self.expect = expect; self.via = via; self.reason = reason; self.translatedTo = translatedTo
        self.faults = faults; self.note = note
    }
}

/// What a replayed flow is expected to do: `accept` = delivered and answered, `reject` = dropped.
public enum FlowAction: String, Sendable, Hashable, CaseIterable {
    case accept, reject
}

/// One concrete flow written in a scenario's `traffic:`.
public struct FlowSpec: Sendable, Hashable, CustomStringConvertible {
    /// A source interface (or a workload / name the query layer resolves to interfaces), as written.
    public var from: String
    /// A destination name or IP, as written.
    public var to: String
    public var ipProtocol: IPProtocol
    /// TCP/UDP destination port (nil for other protocols).
    public var port: UInt16?
    /// TCP/UDP source port; nil: the evaluator picks one from the source's ephemeral range.
    public var sourcePort: UInt16?
    /// ICMP type and code (nil for other protocols, or "echo request" by default).
    public var icmp: ICMPMatch?

    public init(from: String, to: String, ipProtocol: IPProtocol, port: UInt16? = nil, sourcePort: UInt16? = nil, icmp: ICMPMatch? = nil) {
        self.from = from; self.to = to; self.ipProtocol = ipProtocol; self.port = port; self.sourcePort = sourcePort; self.icmp = icmp
    }

    public var description: String {
        var text = "\(from) -> \(to) \(ipProtocol.name)"
        if let port { text += "/\(port)" }
        if let sourcePort { text += " from port \(sourcePort)" }
        if let icmp, !icmp.isAny { text += " \(icmp)" }
        return text
    }
}

/// Where replayed traffic comes from.
public enum TrafficQuery: Sendable, Hashable {
    /// One flow written inline.
    case flow(FlowSpec)
    /// Every packet of a pcap/pcapng file, as seen at the named interface (it is the packets' source side).
    case pcap(path: String, interface: String)
    /// Every record of a VPC Flow Logs file; each record's logged ACCEPT/REJECT is its expected outcome.
    case flowLogs(path: String)
}

/// One item of a scenario's `traffic:` list.
public struct TrafficEntry: Sendable, Hashable {
    public var name: String
    public var location: SourceLocation
    public var query: TrafficQuery
    /// The outcome every flow must have; nil for flow logs (each record carries its own).
    public var expect: FlowAction?

    public init(name: String, location: SourceLocation, query: TrafficQuery, expect: FlowAction?) {
        self.name = name; self.location = location; self.query = query; self.expect = expect
    }
}
