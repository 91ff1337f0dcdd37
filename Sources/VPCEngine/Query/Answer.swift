import VPCModel

// The typed answer of a question. Every field a consumer decides on is typed (sets of ports and
// addresses, `Reason`, `Direction`, `HopKind`, `ConnectionStatus`); the strings next to them are
// for people. The JSON encoding (docs/json.md) renders the typed fields into the documented words.

/// One step of a path, named for people and machines: the AWS id when the network has one, the name
/// people gave it, its kind (docs/semantics.md §2), and what happened there.
public struct Hop: Sendable, Hashable, Encodable {
    public var kind: HopKind
    public var id: String
    public var name: String
    /// What happened here, one line: "route 0.0.0.0/0 → nat-0a1b (NAT-GW-A)", "egress allowed by sg-… rule tcp 443 to 0.0.0.0/0".
    public var detail: String
    /// Address translation at this hop (NAT gateway, internet gateway), as `address:port` before and after.
    public var translation: Translation?

    public init(kind: HopKind, id: String, name: String, detail: String, translation: Translation? = nil) {
        self.kind = kind; self.id = id; self.name = name; self.detail = detail; self.translation = translation
    }

    enum CodingKeys: String, CodingKey { case kind, id, name, detail, translation }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind.name, forKey: .kind)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(detail, forKey: .detail)
        try c.encodeIfPresent(translation, forKey: .translation)
    }
}

public struct Translation: Sendable, Hashable, Codable {
    public var before: String
    public var after: String
    public init(before: String, after: String) { self.before = before; self.after = after }
}

/// Where and why a flow stops.
public struct Block: Sendable, Hashable, Encodable {
    public var reason: Reason
    public var direction: Direction
    /// The hop where the flow stops.
    public var at: Hop
    /// The rule that decided, or the rule that is missing: "sg-0ab (Lambda-SG) egress allows only tcp 443 to sg-0cd (Endpoints-SG)".
    public var rule: String

    public init(reason: Reason, direction: Direction, at: Hop, rule: String) {
        self.reason = reason; self.direction = direction; self.at = at; self.rule = rule
    }

    /// One line: what the code means.
    public var summary: String { reason.summary }

    enum CodingKeys: String, CodingKey { case reason, summary, direction, at, rule }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reason.code, forKey: .reason)
        try c.encode(summary, forKey: .summary)
        try c.encode(direction.name, forKey: .direction)
        try c.encode(at, forKey: .at)
        try c.encode(rule, forKey: .rule)
    }
}

/// The full hop-by-hop story of one concrete flow, request and response.
public struct FlowTrace: Sendable, Hashable, Encodable {
    public var source: String
    public var destination: String
    /// `tcp 10.0.1.5:40000 → 10.0.2.9:443`, as the source sent it.
    public var packet: String
    public var reachable: Bool
    /// Where the request was delivered (an interface id, `internet`, `service:NAME`), if it was.
    public var deliveredTo: String?
    public var request: [Hop]
    public var response: [Hop]
    public var block: Block?
    /// The connection a load balancer opens to a target, when the request ended at a load balancer
    /// listener that forwards to the asked-for destination.
    public var targetLeg: [FlowTrace]?
}

/// A load balancer in the middle of a path: the listener the client connects to and the target
/// group it forwards to.
public struct LoadBalancerVia: Sendable, Hashable {
    /// Index into `Network.loadBalancers`.
    public var loadBalancer: UInt32
    /// Index into the load balancer's `listeners`.
    public var listener: UInt32
    /// "ALB listener HTTPS:443 → target group app (HTTP:8080)".
    public var text: String
}

/// The sources an answer entry holds for: interfaces by name, and for the internet the public
/// addresses it holds for.
public struct EntrySources: Sendable, Hashable {
    /// Interface names; `internet` for internet addresses.
    public var names: [String]
    /// For the internet (or an on-premises network) as a source: the source addresses this entry holds for.
    public var internetAddresses: AddressSet?

    public init(names: [String], internetAddresses: AddressSet? = nil) { self.names = names; self.internetAddresses = internetAddresses }

    /// As people read them: `Lambda-Internet@private-a`, `internet 198.51.100.0/24`.
    public var labels: [String] {
        names.map { name in
            guard let addresses = internetAddresses else { return name }
            return "\(name) " + AddressSet.describe(addresses)
        }
    }
}

extension IntervalSet where Bound == UInt32 {
    /// `198.51.100.0/24`, `1.0.0.0/8, 2.0.0.0/7 (+12 more)`: a readable, bounded list of blocks.
    public static func describe(_ set: AddressSet, limit: Int = 6) -> String {
        let blocks = set.cidrs
        if blocks.count <= limit { return blocks.joined(separator: ", ") }
        return blocks.prefix(limit).joined(separator: ", ") + " (+\(blocks.count - limit) more)"
    }
}

/// A group of packets that get through the same way.
public struct AllowedPath: Sendable, Hashable, Encodable {
    public var traffic: TrafficClass
    /// Destination names or ranges as the source addresses them (for people).
    public var destinations: [String]
    /// The destination addresses, as the source addresses them.
    public var destinationAddresses: AddressSet
    public var sources: EntrySources
    /// The request's path, source to destination (through a load balancer: the client leg, then the target leg).
    public var hops: [Hop]
    /// The source address as the destination sees it, when translated (NAT, IGW).
    public var translatedSource: IPv4Address?
    /// A load balancer in the middle.
    public var via: LoadBalancerVia?
    /// One concrete flow of this path (what `--pcap` simulates). Not part of the JSON output.
    public var representative: RepresentativeFlow? = nil

    /// `tcp`, `udp`, `icmp`, a number, `other`, `all`.
    public var `protocol`: String { traffic.ipProtocol.label }
    /// `443`, `1024-65535`, `all`, `80, 443`; `echo` for icmp; `-` without ports.
    public var ports: String { traffic.portsText }

    enum CodingKeys: String, CodingKey { case `protocol`, ports, destinations, sources, hops, translatedSource, via }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.protocol, forKey: .protocol)
        try c.encode(ports, forKey: .ports)
        try c.encode(destinations, forKey: .destinations)
        try c.encode(sources.labels, forKey: .sources)
        try c.encode(hops, forKey: .hops)
        try c.encodeIfPresent(translatedSource?.description, forKey: .translatedSource)
        try c.encodeIfPresent(via?.text, forKey: .via)
    }
}

/// A group of packets blocked at the same place for the same reason.
public struct BlockedClass: Sendable, Hashable, Encodable {
    public var traffic: TrafficClass
    public var destinations: [String]
    public var destinationAddresses: AddressSet
    public var sources: EntrySources
    public var block: Block
    /// The load balancer the blocked packets were sent through, when they were.
    public var via: LoadBalancerVia?
    /// One concrete flow of this class (what `--pcap` simulates); nil for a destination the source
    /// has no address for. Not part of the JSON output.
    public var representative: RepresentativeFlow? = nil

    public var `protocol`: String { traffic.ipProtocol.label }
    public var ports: String { traffic.portsText }
    public var reason: Reason { block.reason }
    public var direction: Direction { block.direction }
    public var at: Hop { block.at }
    /// The rule, prefixed with the load balancer when the block is on a path through one.
    public var rule: String { via.map { "via \($0.text): \(block.rule)" } ?? block.rule }

    enum CodingKeys: String, CodingKey { case `protocol`, ports, destinations, sources, reason, summary, direction, at, rule }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.protocol, forKey: .protocol)
        try c.encode(ports, forKey: .ports)
        try c.encode(destinations, forKey: .destinations)
        try c.encode(sources.labels, forKey: .sources)
        try c.encode(reason.code, forKey: .reason)
        try c.encode(reason.summary, forKey: .summary)
        try c.encode(direction.name, forKey: .direction)
        try c.encode(at, forKey: .at)
        try c.encode(rule, forKey: .rule)
    }
}

/// A concrete flow standing for a trace or for an answer entry: the packets `--pcap` simulates.
public struct RepresentativeFlow: Sendable, Hashable {
    public var flow: Flow
    /// The connections a load balancer opens to its target when `flow` ends at its listener (only the
    /// one that matters: the leg that is dropped, or the legs to the asked-for target).
    public var legs: [Flow]

    public init(flow: Flow, legs: [Flow] = []) { self.flow = flow; self.legs = legs }
}

/// Per source: does it reach, and on what.
public struct SourceResult: Sendable, Hashable, Encodable {
    public var name: String
    public var id: String
    /// Availability zone, when the source is an interface.
    public var zone: String?
    /// This source reaches the destination (docs/semantics.md §12): for an interface, something asked
    /// gets through; for the internet, something gets through from every one of its addresses.
    public var reachable: Bool
    /// What gets through from this source (from some of its addresses, for the internet): per
    /// protocol, the destination ports.
    public var allowed: [TrafficClass]
    /// For the internet: the source addresses from which something gets through (nil for an interface).
    public var reachedFrom: AddressSet?
    /// The internet addresses the question covered (nil for an interface).
    public var internetAddresses: AddressSet?
    /// Nothing asked is blocked from this source: every packet gets through (`expect: reachable` with
    /// `ports: all` demands it).
    public var everything: Bool

    /// The internet as a source reaches from some of its addresses only.
    public var fromSomeAddressesOnly: Bool {
        guard let reachedFrom, let internetAddresses else { return false }
        return !reachedFrom.isEmpty && reachedFrom != internetAddresses
    }

    /// What gets through, e.g. `tcp/443`, or `nothing`; for the internet reaching from some addresses,
    /// which ones.
    public var summary: String {
        let text = allowed.isEmpty ? "nothing" : allowed.map { "\($0.ipProtocol.label)/\($0.portsText)" }.joined(separator: ", ")
        if fromSomeAddressesOnly, let reachedFrom { return text + " (from \(AddressSet.describe(reachedFrom)) only)" }
        return text
    }

    enum CodingKeys: String, CodingKey { case name, id, zone, reachable, summary }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(id, forKey: .id)
        try c.encodeIfPresent(zone, forKey: .zone)
        try c.encode(reachable, forKey: .reachable)
        try c.encode(summary, forKey: .summary)
    }
}

/// The answer to "can A reach B": the verdict first, then what gets through and what is blocked.
public struct Answer: Sendable, Hashable, Encodable {
    public var from: String
    public var to: String
    /// The protocol and port the question asked about, or nil for "every packet".
    public var `protocol`: String?
    public var port: String?
    /// The one verdict (docs/semantics.md §12).
    public var status: ConnectionStatus
    public var sources: [SourceResult]
    public var allowed: [AllowedPath]
    public var blocked: [BlockedClass]
    /// Anything the user should know about how the question was read (e.g. "secretsmanager resolves to
    /// the endpoint interface in us-east-1a (private DNS)").
    public var notes: [String]

    /// Every source reaches (status `yes`).
    public var reachable: Bool { status == .yes }
    /// Some sources reach and others do not (status `partly`).
    public var partial: Bool { status == .partly }

    enum CodingKeys: String, CodingKey { case from, to, `protocol`, port, status, reachable, partial, sources, allowed, blocked, notes }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encodeIfPresent(self.protocol, forKey: .protocol)
        try c.encodeIfPresent(port, forKey: .port)
        try c.encode(status, forKey: .status)
        try c.encode(reachable, forKey: .reachable)
        try c.encode(partial, forKey: .partial)
        try c.encode(sources, forKey: .sources)
        try c.encode(allowed, forKey: .allowed)
        try c.encode(blocked, forKey: .blocked)
        try c.encode(notes, forKey: .notes)
    }
}
