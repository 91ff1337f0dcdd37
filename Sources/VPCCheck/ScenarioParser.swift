import Foundation
import VPCEngine
import VPCModel
import Yams

/// Reads scenario files (YAML, documented in docs/scenarios.md) into `Scenario`s, reporting every
/// problem as `file:line:column: error: …` with a hint.
public enum ScenarioParser {
    /// The reason codes of docs/semantics.md §9 (what `reason:` may name).
    public static let reasonCodes = Reason.allCases.map(\.code)

    public static func parse(path: String) throws(InputError) -> Scenario {
        let text = try InputFile.readText(path, what: "the scenario", missingHint: "check the path; vpcsim check reads scenario YAML files")
        return try parse(yaml: text, file: path)
    }

    /// `file` names the scenario in messages and is the base for relative paths in it.
    public static func parse(yaml text: String, file: String) throws(InputError) -> Scenario {
        let reader = NodeReader(file: file)
        guard let root = TopologyLoader.compose(text, reader: reader) else { throw InputError(reader.diagnostics) }
        let scenario = Parser(reader: reader).scenario(root)
        if reader.hasErrors { throw InputError(reader.diagnostics.filter { $0.severity == .error }) }
        guard let scenario else { throw InputError(reader.diagnostics) }
        return scenario
    }

    /// `relative` resolved against the folder of `file`, lexically (`a/b/../c` → `a/c`).
    public static func resolve(_ relative: String, from file: String) -> String {
        let joined: String
        if relative.hasPrefix("/") {
            joined = relative
        } else {
            let folder = (file as NSString).deletingLastPathComponent
            joined = folder.isEmpty ? relative : folder + "/" + relative
        }
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        let body = parts.joined(separator: "/")
        return joined.hasPrefix("/") ? "/" + body : (body.isEmpty ? "." : body)
    }
}

private struct Parser {
    let reader: NodeReader

    func scenario(_ root: Node) -> Scenario? {
        guard let fields = reader.fields(root, "the scenario", allowed: ["name", "description", "topology", "faults", "checks", "traffic"]) else { return nil }
        let file = reader.file
        var topology = TopologyReference.embeddedDefault
        if let written = fields.string("topology") {
            topology = .path(ScenarioParser.resolve(written.value, from: file), written: written)
        }
        let faults = fields.list("faults").compactMap(fault)
        let checks = fields.list("checks").compactMap(check)
        let traffic = fields.list("traffic").compactMap(trafficEntry)
        if !fields.has("checks") && !fields.has("traffic") {
            reader.error(fields.location, "the scenario has no checks", hint: "add 'checks:' (and/or 'traffic:'); see docs/scenarios.md")
        }
        unique(checks.map { Located(value: $0.name, location: $0.location) } + traffic.map { Located(value: $0.name, location: $0.location) })
        let base = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        return Scenario(file: file, name: fields.string("name")?.value ?? base, description: fields.string("description")?.value,
                        topology: topology, faults: faults, checks: checks, traffic: traffic)
    }

    /// Names identify checks in reports and CI; two with one name would be indistinguishable.
    func unique(_ names: [Located<String>]) {
        var seen: [String: SourceLocation] = [:]
        for name in names {
            if let first = seen[name.value.lowercased()] {
                reader.error(name.location, "two checks are named '\(name.value)' (the first at line \(first.line))",
                             hint: "give each check its own name: reports and CI annotations identify checks by name")
            } else {
                seen[name.value.lowercased()] = name.location
            }
        }
    }

    // MARK: faults

    static let faultKinds = ["az-outage", "remove", "route", "sg-rule"]

    func fault(_ node: Node) -> Fault? {
        guard let fields = reader.fields(node, "a fault", allowed: Parser.faultKinds) else { return nil }
        let given = Parser.faultKinds.filter(fields.has)
        guard given.count == 1, let kind = given.first else {
            reader.error(fields.location, given.isEmpty ? "a fault needs one of \(Parser.faultKinds.joined(separator: ", "))" : "a fault has exactly one kind, not \(given.joined(separator: " and "))",
                         hint: "write each fault as its own item, e.g. '- az-outage: us-east-1a' or '- remove: NAT-GW-A'")
            return nil
        }
        switch kind {
        case "az-outage": return fields.string(kind).map { Fault(.azOutage($0), at: fields.location) }
        case "remove": return fields.string(kind).map { Fault(.remove($0), at: fields.location) }
        case "route":
            guard let value = fields.node(kind),
                  let route = reader.fields(value, "a route fault", allowed: ["table", "destination", "action"], required: ["table", "destination", "action"]),
                  let table = route.string("table"), let destination = route.string("destination"),
                  let action = route.oneOf("action", RouteFault.Action.allCases.map { ($0.rawValue, $0) })
            else { return nil }
            return Fault(.route(RouteFault(table: table, destination: destination, action: action)), at: fields.location)
        default:
            guard let value = fields.node(kind) else { return nil }
            return securityGroupRule(value).map { Fault(.securityGroupRule($0), at: fields.location) }
        }
    }

    func securityGroupRule(_ node: Node) -> SecurityGroupRuleFault? {
        let peers = ["cidr", "security_group", "prefix_list"]
        guard let fields = reader.fields(node, "an sg-rule fault", allowed: ["group", "direction", "index", "protocol", "ports", "port"] + peers,
                                         required: ["group", "direction"]),
              let group = fields.string("group"),
              let direction = fields.oneOf("direction", SecurityGroupRuleFault.Direction.allCases.map { ($0.rawValue, $0) })
        else { return nil }
        var index: Located<Int>?
        if fields.has("index") {
            guard let value = fields.int("index", in: 0...9999) else { return nil }
            index = Located(value: value, location: fields.locationOf("index"))
        }
        var ipProtocol: IPProtocol?
        if let text = fields.string("protocol") {
            guard let parsed = protocolValue(text) else { return nil }
            ipProtocol = parsed
        }
        var ports: PortRange?
        if let text = fields.string("ports") ?? fields.string("port") {
            guard let range = PortRange(text.value) else {
                reader.error(text.location, "'\(text.value)' is not a port or port range", hint: "write 443, 1024-65535 or all")
                return nil
            }
            ports = range
        }
        let givenPeers = peers.filter(fields.has)
        if givenPeers.count > 1 {
            reader.error(fields.location, "an sg-rule fault matches one peer, not \(givenPeers.joined(separator: " and "))", hint: "keep one of them")
            return nil
        }
        var peer: SecurityGroupRuleFault.Peer?
        if let cidr = fields.string("cidr") {
            guard let parsed = reader.parseCIDR(cidr) else { return nil }
            peer = .cidr(parsed)
        } else if let name = fields.string("security_group") {
            peer = .securityGroup(name)
        } else if let name = fields.string("prefix_list") {
            peer = .prefixList(name)
        }
        if index == nil && ipProtocol == nil && ports == nil && peer == nil {
            reader.error(fields.location, "an sg-rule fault must say which rule: 'index', or one or more of protocol, ports, cidr, security_group, prefix_list",
                         hint: "e.g. {group: app, direction: egress, index: 0} or {group: app, direction: egress, protocol: tcp, ports: 443}")
            return nil
        }
        return SecurityGroupRuleFault(group: group, direction: direction, index: index, ipProtocol: ipProtocol, ports: ports, peer: peer)
    }

    // MARK: checks

    static let checkKeys = ["name", "from", "to", "protocol", "port", "ports", "icmp", "expect", "via", "reason", "translated_to", "faults", "note"]

    func check(_ node: Node) -> Check? {
        guard let fields = reader.fields(node, "a check", allowed: Parser.checkKeys, required: ["from", "to", "expect"]) else { return nil }
        let name = fields.string("name")
        let from = fields.string("from"), to = fields.string("to")
        let expect = fields.oneOf("expect", Expectation.allCases.map { ($0.rawValue, $0) })
        let packets = self.packets(fields, portRequired: false)
        let via = fields.strings("via").flatMap(splitCommas)
        let faults = fields.list("faults").compactMap(fault)
        var reason = fields.string("reason")
        if let code = reason {
            let upper = code.value.uppercased()
            if upper.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                reader.error(code.location, "'reason' is blank",
                             hint: "name the reason code the check expects, e.g. ENI_SG_RULES_MISMATCH, or remove 'reason'")
            } else if !ScenarioParser.reasonCodes.contains(upper) {
                reader.error(code.location, "'\(code.value)' is not a reason code vpcsim reports",
                             hint: Suggest.didYouMean(upper, ScenarioParser.reasonCodes) ?? "codes are listed in docs/semantics.md §9, e.g. ENI_SG_RULES_MISMATCH")
            }
            reason = Located(value: upper, location: code.location)
            if expect == .reachable {
                reader.error(code.location, "'reason' names why something is blocked, but this check expects reachable",
                             hint: "remove 'reason', or expect unreachable or partial")
            }
        }
        let translated = fields.string("translated_to")
        if let translated, expect == .unreachable {
            reader.error(translated.location, "'translated_to' is the source address the destination sees, but this check expects unreachable",
                         hint: "remove 'translated_to', or expect reachable or partial")
        }
        guard let from, let to, let expect, let packets else { return nil }
        let query = CheckQuery(from: from.value, to: to.value, ipProtocol: packets.ipProtocol, ports: packets.ports, icmp: packets.icmp,
                               everyPacket: packets.everyPacket)
        let faultSuffix = faults.isEmpty ? "" : " [\(faults.map(\.description).joined(separator: ", "))]"
        return Check(name: name?.value ?? "\(query)\(faultSuffix)", location: fields.location, query: query,
                     fromLocation: from.location, toLocation: to.location, expect: expect, via: via, reason: reason,
                     translatedTo: translated, faults: faults, note: fields.string("note")?.value)
    }

    /// `via: NAT-GW-A, IGW` written as one string means two hops.
    /// A blank entry (`via: ["\t"]`, `via: ","`, `via: "A,,B"`) is an error: it would assert nothing.
    func splitCommas(_ item: Located<String>) -> [Located<String>] {
        let parts = item.value.split(separator: ",", omittingEmptySubsequences: false)
            .map { Located(value: $0.trimmingCharacters(in: .whitespacesAndNewlines), location: item.location) }
        if parts.contains(where: { $0.value.isEmpty }) {
            reader.error(item.location, parts.count > 1 ? "'via' has a blank entry between its commas" : "'via' has a blank entry",
                         hint: "name each hop the path must cross, e.g. via: [nat-a, igw-main]; remove the blank entry")
        }
        return parts.filter { !$0.value.isEmpty }
    }

    func protocolValue(_ text: Located<String>) -> IPProtocol? {
        guard let parsed = IPProtocol(text.value) else {
            reader.error(text.location, "'\(text.value)' is not a protocol", hint: "use tcp, udp, icmp, all, or a number 0–255")
            return nil
        }
        return parsed
    }

    struct Packets { var ipProtocol: IPProtocol?; var ports: PortRange?; var icmp: ICMPMatch?; var everyPacket = false }

    /// `protocol`, `port`/`ports` and `icmp` of a check or flow. A port without a protocol means tcp;
    /// `protocol: all` (or none) means every packet. `ports: all` written out on a check demands every
    /// packet of the protocol (of every protocol when none or `all` is given), not just some
    /// (docs/semantics.md §12).
    func packets(_ fields: Fields, portRequired: Bool) -> Packets? {
        var ipProtocol: IPProtocol?
        if let text = fields.string("protocol") {
            guard let parsed = protocolValue(text) else { return nil }
            ipProtocol = parsed.isAll ? nil : parsed
        }
        var ports: PortRange?
        if !portRequired, let text = fields.string("port") ?? fields.string("ports"),
           text.value.trimmingCharacters(in: .whitespaces).lowercased() == "all" {
            if let ipProtocol, !ipProtocol.hasPorts {
                reader.error(text.location, "ports are only meaningful for tcp and udp, not \(ipProtocol.name)",
                             hint: "remove 'ports: all', or set protocol: all to demand every packet of every protocol")
                return nil
            }
            return Packets(ipProtocol: ipProtocol, ports: nil, icmp: nil, everyPacket: true)
        }
        if let text = fields.string("port") ?? fields.string("ports") {
            guard let range = PortRange(text.value) else {
                reader.error(text.location, "'\(text.value)' is not a port or port range", hint: "write 443, 1024-65535 or all")
                return nil
            }
            if !fields.has("protocol") { ipProtocol = .tcp }
            guard let ipProtocol, ipProtocol.hasPorts else {
                reader.error(text.location, "ports are only meaningful for tcp and udp, not \(ipProtocol?.name ?? "all")",
                             hint: "set protocol: tcp (or udp), or remove the port")
                return nil
            }
            ports = range
        } else if portRequired, let ipProtocol, ipProtocol.hasPorts {
            reader.error(fields.location, "a \(ipProtocol.name) flow needs a destination 'port'", hint: "add 'port: 443'")
            return nil
        }
        var icmp: ICMPMatch?
        if let node = fields.node("icmp") {
            guard ipProtocol == .icmp || ipProtocol == .icmpv6 else {
                reader.error(fields.locationOf("icmp"), "'icmp' only applies to protocol icmp", hint: "set protocol: icmp, or remove 'icmp'")
                return nil
            }
            guard let match = reader.fields(node, "an icmp match", allowed: ["type", "code"]) else { return nil }
            let type = match.has("type") ? match.int("type", in: -1...255) : -1
            let code = match.has("code") ? match.int("code", in: -1...255) : -1
            guard let type, let code, let parsed = ICMPMatch(type: type, code: code) else { return nil }
            icmp = parsed
        }
        return Packets(ipProtocol: ipProtocol, ports: ports, icmp: icmp)
    }

    // MARK: traffic

    func trafficEntry(_ node: Node) -> TrafficEntry? {
        let flowKeys = ["from", "to", "protocol", "port", "source_port", "icmp"]
        guard let fields = reader.fields(node, "a traffic entry", allowed: ["name", "expect", "pcap", "interface", "flow_logs"] + flowKeys) else { return nil }
        let name = fields.string("name")?.value
        let expect = fields.has("expect") ? fields.oneOf("expect", FlowAction.allCases.map { ($0.rawValue, $0) }) : nil
        if fields.has("expect") && expect == nil { return nil }
        let forms = ["pcap", "flow_logs"].filter(fields.has)
        if forms.count > 1 {
            reader.error(fields.location, "a traffic entry replays one source, not both pcap and flow_logs", hint: "write two entries")
            return nil
        }
        if let form = forms.first {
            for key in flowKeys where fields.has(key) {
                reader.error(fields.locationOf(key), "'\(key)' belongs to an inline flow, not to a \(form) entry",
                             hint: "the flows come from the file; remove '\(key)'")
            }
            guard let file = fields.string(form) else { return nil }
            let path = ScenarioParser.resolve(file.value, from: reader.file)
            if form == "flow_logs" {
                if fields.has("expect") {
                    reader.error(fields.locationOf("expect"), "a flow log records each flow's action (ACCEPT/REJECT); 'expect' does not apply",
                                 hint: "remove 'expect': every record is compared with its own logged action")
                }
                if fields.has("interface") {
                    reader.error(fields.locationOf("interface"), "'interface' belongs to a pcap entry; a flow log names each record's interface", hint: "remove 'interface'")
                }
                return TrafficEntry(name: name ?? "flow logs \(file.value)", location: fields.location, query: .flowLogs(path: path), expect: nil)
            }
            guard let interface = fields.string("interface") else {
                reader.error(fields.location, "a pcap entry needs the 'interface' the packets were captured at",
                             hint: "add 'interface: NAME' (an interface name like Lambda-Internet@private-a, or an eni- id)")
                return nil
            }
            return TrafficEntry(name: name ?? "pcap \(file.value) at \(interface.value)", location: fields.location,
                                query: .pcap(path: path, interface: interface.value), expect: expect ?? .accept)
        }
        if fields.has("interface") {
            reader.error(fields.locationOf("interface"), "'interface' belongs to a pcap entry", hint: "an inline flow names its source with 'from'")
        }
        for key in ["from", "to", "expect"] where !fields.has(key) {
            reader.error(fields.location, "an inline flow is missing required key '\(key)'",
                         hint: "write {from: A, to: B, protocol: tcp, port: 443, expect: accept}, or use pcap: / flow_logs:")
        }
        var sourcePort: UInt16?
        if fields.has("source_port") {
            guard let port = fields.int("source_port", in: 0...65535) else { return nil }
            sourcePort = UInt16(port)
        }
        guard let from = fields.string("from"), let to = fields.string("to"), let expect,
              let packets = packets(fields, portRequired: true) else { return nil }
        let ipProtocol = packets.ipProtocol ?? .tcp
        if packets.ipProtocol == nil && !fields.has("port") {
            reader.error(fields.locationOf("protocol"), "a flow is one packet: it needs one protocol (tcp, udp, icmp or a number), not all",
                         hint: "write protocol: tcp and port: 443")
            return nil
        }
        if let range = packets.ports, range.lower != range.upper {
            reader.error(fields.locationOf(fields.has("port") ? "port" : "ports"), "a flow has one destination port, not the range \(range)",
                         hint: "write one port; a range belongs in a check")
            return nil
        }
        if sourcePort != nil && !ipProtocol.hasPorts {
            reader.error(fields.locationOf("source_port"), "'source_port' only applies to tcp and udp", hint: "remove it")
            return nil
        }
        let flow = FlowSpec(from: from.value, to: to.value, ipProtocol: ipProtocol, port: packets.ports?.lower,
                            sourcePort: sourcePort, icmp: packets.icmp)
        return TrafficEntry(name: name ?? flow.description, location: fields.location, query: .flow(flow), expect: expect)
    }
}
