import VPCModel

/// One step of a path, named for people and machines: every hop has the AWS id when the network has
/// one, the name people gave it, its kind (docs/semantics.md §2 words, plus `security-group`,
/// `network-acl` and `listener` for the rules that decided), and what happened there.
public struct Hop: Sendable, Hashable, Codable {
    public var kind: String
    public var id: String
    public var name: String
    /// What happened here, one line: "route 0.0.0.0/0 → nat-0a1b (NAT-GW-A)", "egress allowed by sg-… rule tcp 443 to 0.0.0.0/0".
    public var detail: String
    /// Address translation at this hop (NAT gateway, internet gateway), as `address:port` before and after.
    public var translation: Translation?

    public init(kind: String, id: String, name: String, detail: String, translation: Translation? = nil) {
        self.kind = kind; self.id = id; self.name = name; self.detail = detail; self.translation = translation
    }
}

public struct Translation: Sendable, Hashable, Codable {
    public var before: String
    public var after: String
    public init(before: String, after: String) { self.before = before; self.after = after }
}

/// Where and why a flow stops.
public struct Block: Sendable, Hashable, Codable {
    /// Reachability Analyzer style code, e.g. `ENI_SG_RULES_MISMATCH`.
    public var reason: String
    /// One line: what the code means.
    public var summary: String
    /// `request` or `response`.
    public var direction: String
    /// The hop where the flow stops.
    public var at: Hop
    /// The rule that decided, or the rule that is missing: "sg-0ab (Lambda-SG) egress allows only tcp 443 to sg-0cd (Endpoints-SG)".
    public var rule: String
}

/// The full hop-by-hop story of one concrete flow, request and response.
public struct FlowTrace: Sendable, Hashable, Codable {
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

/// A group of packets that get through the same way.
public struct AllowedPath: Sendable, Hashable, Codable {
    /// `tcp`, `udp`, `icmp` (echo), or a protocol number.
    public var `protocol`: String
    /// `443`, `1024-65535`, `all`, or a list `22, 443`; `-` for protocols without ports.
    public var ports: String
    /// Destination addresses or ranges as the source addresses them.
    public var destinations: [String]
    /// Source names (interfaces) this path holds for.
    public var sources: [String]
    /// The request's path, source to destination.
    public var hops: [Hop]
    /// The source address as the destination sees it, when translated (NAT, IGW).
    public var translatedSource: String?
    /// A load balancer in the middle: "ALB listener tcp/443 → target group app (tcp/8080)".
    public var via: String?
    /// One concrete flow of this path (what `--pcap` simulates). Not part of the JSON output.
    public var representative: RepresentativeFlow? = nil

    enum CodingKeys: String, CodingKey {
        case `protocol`, ports, destinations, sources, hops, translatedSource, via
    }
}

/// A group of packets blocked at the same place for the same reason.
public struct BlockedClass: Sendable, Hashable, Codable {
    public var `protocol`: String
    public var ports: String
    public var destinations: [String]
    public var sources: [String]
    public var reason: String
    public var summary: String
    public var direction: String
    public var at: Hop
    public var rule: String
    /// One concrete flow of this class (what `--pcap` simulates); nil for a destination the source
    /// has no address for. Not part of the JSON output.
    public var representative: RepresentativeFlow? = nil

    enum CodingKeys: String, CodingKey {
        case `protocol`, ports, destinations, sources, reason, summary, direction, at, rule
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

/// Per source interface: does it reach, and on what.
public struct SourceResult: Sendable, Hashable, Codable {
    public var name: String
    public var id: String
    /// Availability zone, when the source is an interface.
    public var zone: String?
    public var reachable: Bool
    /// What gets through, e.g. `tcp/443`, or `nothing`.
    public var summary: String
}

/// The answer to "can A reach B": yes/no first, then what gets through and what is blocked.
public struct Answer: Sendable, Hashable, Codable {
    public var from: String
    public var to: String
    /// The protocol and port the question asked about, or nil for "every packet".
    public var `protocol`: String?
    public var port: String?
    /// True when every source reaches the destination on at least one protocol/port (or on the one asked).
    public var reachable: Bool
    /// True when some sources reach and others do not.
    public var partial: Bool
    public var sources: [SourceResult]
    public var allowed: [AllowedPath]
    public var blocked: [BlockedClass]
    /// Anything the user should know about how the question was read (e.g. "secretsmanager resolves to
    /// the endpoint interface in us-east-1a (private DNS)").
    public var notes: [String]
}
