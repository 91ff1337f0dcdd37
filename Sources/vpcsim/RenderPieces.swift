import VPCEngine

/// Words and groupings the text and Mermaid renderers share.
enum Pieces {
    /// `tcp/443`, `tcp/1024-65535`, `tcp/all`, `icmp`, `all traffic`, `protocol 50`.
    static func traffic(_ ipProtocol: String, _ ports: String) -> String {
        let name = Int(ipProtocol) != nil ? "protocol \(ipProtocol)" : ipProtocol
        if ipProtocol == "all" || ipProtocol == "-1" { return "all traffic" }
        if ports.isEmpty || ports == "-" { return name }
        return "\(name)/\(ports.replacingOccurrences(of: ", ", with: ","))"
    }

    /// Hop kinds a path is drawn through; the others (subnet, route table, rules) are details of a trace.
    static let waypointKinds: Set<HopKind> = [.interface, .natGateway, .internetGateway, .vpcEndpoint, .peering,
                                              .transitGateway, .loadBalancer, .internet, .service, .vpnGateway,
                                              .onPrem]

    /// The places a request passes, in order, each once.
    static func waypoints(_ hops: [Hop]) -> [Hop] {
        var out: [Hop] = []
        for hop in hops where waypointKinds.contains(hop.kind) {
            if let last = out.last, last.kind == hop.kind, last.id == hop.id {
                if hop.translation != nil { out[out.count - 1].translation = hop.translation }
                continue
            }
            // A load balancer's own interface opens the target connection: ENI → LB → same ENI reads as ENI → LB.
            if out.count >= 2, out[out.count - 1].kind == .loadBalancer, out[out.count - 2].kind == hop.kind, out[out.count - 2].id == hop.id {
                continue
            }
            out.append(hop)
        }
        return out
    }

    /// A hop's name for people: its name, else its id.
    static func name(_ hop: Hop) -> String { hop.name.isEmpty ? hop.id : hop.name }

    /// `Lambda-Internal (interface eni-0a1b)`, `internet`.
    static func located(_ hop: Hop, ids: [String]? = nil) -> String {
        let ids = ids ?? [hop.id]
        let shown = ids.filter { !$0.isEmpty && $0 != hop.name }
        if hop.name.isEmpty && shown.isEmpty { return hop.kind.name }
        if shown.isEmpty { return hop.name }
        let kind = hop.kind.name.replacingOccurrences(of: "-", with: " ") + (shown.count > 1 ? "s" : "")
        if hop.name.isEmpty { return "\(kind) \(shown.joined(separator: ", "))" }
        return "\(hop.name) (\(kind) \(shown.joined(separator: ", ")))"
    }

    /// `SNAT 10.0.11.5:40000 → 10.0.1.9:1027` at a NAT gateway, `10.0.1.9:1027 → 52.1.2.3:1027` elsewhere.
    static func translation(_ hop: Hop) -> String? {
        guard let t = hop.translation else { return nil }
        return (hop.kind == .natGateway ? "SNAT " : "") + "\(t.before) → \(t.after)"
    }

    /// Blocked classes that differ only in the interface they stop at (one per ENI of a workload)
    /// read as one: the same traffic, reason, rule and place name.
    struct BlockGroup {
        var first: BlockedClass
        var atIDs: [String]
        /// Source names (`internet` for internet addresses).
        var sources: [String]
        /// Source names as people read them (`internet 198.51.100.0/24`).
        var sourceLabels: [String]
    }

    static func groupBlocked(_ blocked: [BlockedClass]) -> [BlockGroup] {
        var groups: [BlockGroup] = []
        for original in blocked {
            // Interfaces of one workload are named `Workload@subnet`: the group speaks of the workload.
            var item = original
            let base = baseName(item.at.name)
            if base != item.at.name {
                item.block.rule = item.block.rule.replacingOccurrences(of: item.at.name, with: base)
                item.block.at.name = base
            }
            if let index = groups.firstIndex(where: {
                let f = $0.first
                return f.protocol == item.protocol && f.ports == item.ports && f.destinations == item.destinations
                    && f.reason == item.reason && f.rule == item.rule && f.direction == item.direction
                    && f.at.kind == item.at.kind && f.at.name == item.at.name
            }) {
                if !groups[index].atIDs.contains(item.at.id) { groups[index].atIDs.append(item.at.id) }
                for source in item.sources.names where !groups[index].sources.contains(source) { groups[index].sources.append(source) }
                for label in item.sources.labels where !groups[index].sourceLabels.contains(label) { groups[index].sourceLabels.append(label) }
            } else {
                groups.append(BlockGroup(first: item, atIDs: [item.at.id], sources: item.sources.names, sourceLabels: item.sources.labels))
            }
        }
        return groups
    }

    /// Blocked groups that differ only in their traffic, merged (in first-seen order).
    static func byPlace(_ groups: [BlockGroup]) -> [(group: BlockGroup, traffic: [String])] {
        var out: [(group: BlockGroup, traffic: [String])] = []
        for group in groups {
            let f = group.first
            let traffic = Pieces.traffic(f.protocol, f.ports)
            if let index = out.firstIndex(where: {
                let o = $0.group.first
                return o.reason == f.reason && o.rule == f.rule && o.direction == f.direction && o.destinations == f.destinations
                    && o.at.kind == f.at.kind && o.at.name == f.at.name && $0.group.atIDs == group.atIDs && $0.group.sources == group.sources
            }) {
                out[index].traffic.append(traffic)
            } else {
                out.append((group, [traffic]))
            }
        }
        return out
    }

    /// At most `limit` characters: a long list of address ranges ends in `…`.
    static func short(_ text: String, limit: Int = 72) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// `Lambda-Internal` for the interface `Lambda-Internal@private-a`.
    static func baseName(_ name: String) -> String {
        guard let at = name.lastIndex(of: "@"), at != name.startIndex else { return name }
        return String(name[..<at])
    }

    /// The first few items and how many more.
    static func list(_ items: [String], limit: Int = 3) -> String {
        guard items.count > limit else { return items.joined(separator: ", ") }
        return items.prefix(limit).joined(separator: ", ") + " … (\(items.count) in all)"
    }
}
