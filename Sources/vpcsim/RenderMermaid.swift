import VPCEngine

/// `--format mermaid`: the answer's allowed paths as solid edges (labelled with the traffic and the
/// translations) and each blocked class as a dashed edge to where it stops (labelled ✖ and the
/// reason), as a `flowchart LR` to paste into Markdown.
struct MermaidAnswer {
    let answer: Answer

    init(_ answer: Answer) { self.answer = answer }

    struct Node { var id: String; var label: String }
    struct Edge { var from: String; var to: String; var blocked: Bool; var labels: [String] }

    func render() -> String {
        var nodes: [String: Node] = [:]   // by kind + AWS id
        var order: [String] = []
        var edges: [Edge] = []

        func node(_ kind: String, _ id: String, _ name: String) -> String {
            let key = "\(kind) \(id)"
            if let existing = nodes[key] { return existing.id }
            let nodeID = "n\(order.count)_" + Self.sanitize(id.isEmpty ? name : id)
            let label = name.isEmpty || name == id ? Self.escape(id.isEmpty ? name : id)
                : Self.escape(name) + (id.isEmpty ? "" : "<br/>" + Self.escape(id))
            nodes[key] = Node(id: nodeID, label: label)
            order.append(key)
            return nodeID
        }
        func node(_ hop: Hop) -> String { node(hop.kind.name, hop.id, hop.name) }
        func edge(_ from: String, _ to: String, blocked: Bool, _ label: String?) {
            if let index = edges.firstIndex(where: { $0.from == from && $0.to == to && $0.blocked == blocked }) {
                if let label, !edges[index].labels.contains(label) { edges[index].labels.append(label) }
            } else {
                edges.append(Edge(from: from, to: to, blocked: blocked, labels: label.map { [$0] } ?? []))
            }
        }

        for path in answer.allowed {
            let points = Pieces.waypoints(path.hops)
            for (index, pair) in zip(points, points.dropFirst()).enumerated() {
                let label = index == 0 ? Pieces.traffic(path.protocol, path.ports)
                    : pair.0.kind == .loadBalancer ? path.via?.text : Pieces.translation(pair.0)
                edge(node(pair.0), node(pair.1), blocked: false, label)
            }
        }

        // Where the question points: the end of an allowed path, else a node for the asked-for name.
        let destination: String = {
            if let last = answer.allowed.first.flatMap({ Pieces.waypoints($0.hops).last }) { return node(last) }
            return answer.to == "internet" ? node("internet", "internet", "internet") : node("destination", answer.to, answer.to)
        }()
        for (group, traffic) in Pieces.byPlace(Pieces.groupBlocked(answer.blocked)) {
            let item = group.first
            let label = "✖ \(traffic.joined(separator: ", ")): \(item.reason.code)"
            let named = answer.sources.filter { group.sources.contains($0.name) }
            let sourceIDs = named.isEmpty ? answer.sources : named
            for atID in group.atIDs {
                var at = item.block.at
                at.id = atID
                if let source = answer.sources.first(where: { $0.id == atID }) { at.name = source.name }
                if at.kind == .interface && sourceIDs.contains(where: { $0.id == atID }) {
                    // Stopped as it left the source: the edge it could not take.
                    edge(node(at), destination, blocked: true, label)
                } else {
                    let stop = node(at)
                    for source in sourceIDs {
                        let from = node(source.id == "internet" ? "internet" : "interface", source.id, source.name)
                        if from != stop { edge(from, stop, blocked: true, label) }
                    }
                }
            }
        }

        var lines = ["flowchart LR"]
        let traffic = answer.protocol.map { " on " + Pieces.traffic($0, answer.port ?? "-") } ?? ""
        lines.append("  %% vpcsim: can \(Self.comment(answer.from)) reach \(Self.comment(answer.to))\(Self.comment(traffic))? "
                     + answer.status.rawValue)
        for key in order {
            if let n = nodes[key] { lines.append("  \(n.id)[\"\(n.label)\"]") }
        }
        var blockedLinks: [Int] = []
        for (index, e) in edges.enumerated() {
            let shown = e.labels.count > 4 ? Array(e.labels.prefix(4)) + ["… \(e.labels.count - 4) more"] : e.labels
            let label = shown.isEmpty ? "" : "|\"\(shown.map(Self.escape).joined(separator: "<br/>"))\"|"
            lines.append("  \(e.from) \(e.blocked ? "-.->" : "-->")\(label) \(e.to)")
            if e.blocked { blockedLinks.append(index) }
        }
        if !blockedLinks.isEmpty {
            lines.append("  linkStyle \(blockedLinks.map(String.init).joined(separator: ",")) stroke:#d62728,color:#d62728")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Mermaid node ids: letters, digits and `_` only.
    static func sanitize(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// Text inside a quoted Mermaid label: quotes and markup characters as entity codes.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\"": out += "#quot;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "#": out += "#35;"
            case "|": out += "#124;"
            case "\n": out += "<br/>"
            default: out.append(character)
            }
        }
        return out
    }

    /// A `%%` comment stays on one line.
    static func comment(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ")
    }
}
