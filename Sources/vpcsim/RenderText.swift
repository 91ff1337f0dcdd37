import VPCEngine

/// The answer for people: `yes` / `no` / `partly` and a one-line summary first, then what gets
/// through (traffic, destinations, path with translations) and what is blocked (traffic, place,
/// reason, rule), aligned.
struct AnswerText {
    let answer: Answer
    let style: Style

    init(_ answer: Answer, style: Style) { self.answer = answer; self.style = style }

    func render() -> String {
        var lines = [headline()]
        let groups = Pieces.groupBlocked(answer.blocked)
        let width = (answer.allowed.map { Pieces.traffic($0.protocol, $0.ports) } + groups.map { Pieces.traffic($0.first.protocol, $0.first.ports) })
            .map(\.count).max() ?? 0
        let indent = String(repeating: " ", count: width + 4)
        // Destinations are worth printing only when they differ between entries.
        let destinationSets = Set(answer.allowed.map(\.destinations) + answer.blocked.map(\.destinations))
        let showDestinations = destinationSets.count > 1

        if answer.partial {
            lines += ["", style.bold("Sources")]
            let labels = sourceLabels()
            let labelWidth = labels.map(\.count).max() ?? 0
            for (source, label) in zip(answer.sources, labels) {
                let mark = source.reachable ? style.good("reaches") : style.bad("does not")
                lines.append("  \(padded(label, labelWidth))  \(mark)  \(source.summary)")
            }
        }
        if !answer.allowed.isEmpty {
            lines += ["", style.bold("Allowed")]
            // Paths of different sources that start at the same name need a "from" line.
            let starts = answer.allowed.compactMap { $0.hops.first }
            let ambiguous = Set(starts.map(\.id)).count > Set(starts.map(Pieces.name)).count
            for path in answer.allowed {
                let traffic = Pieces.traffic(path.protocol, path.ports)
                var first = path.hops.isEmpty ? "(no hops)" : pathLine(path.hops)
                if showDestinations { first = "to \(Pieces.list(path.destinations))" }
                lines.append("  \(style.good(padded(traffic, width)))  \(first)")
                if showDestinations && !path.hops.isEmpty { lines.append(indent + pathLine(path.hops)) }
                if let via = path.via { lines.append(indent + "via \(via)") }
                if ambiguous, let source = path.hops.first { lines.append(indent + style.dim("from \(sourceLabel(source))")) }
            }
        }
        if !groups.isEmpty {
            lines += ["", style.bold("Blocked")]
            let everySource = Set(answer.sources.map(\.name))
            // One entry per place, reason and rule; its traffic stacks in the first column.
            for entry in Pieces.byPlace(groups) {
                let item = entry.group.first
                let response = item.direction == "response" ? " (on the response)" : ""
                var details = ["\(style.code(item.reason)) at \(Pieces.located(item.at, ids: entry.group.atIDs))\(response)"]
                if showDestinations { details.append("to \(Pieces.list(item.destinations))") }
                if !item.summary.isEmpty { details.append(item.summary) }
                if !item.rule.isEmpty { details.append(style.dim("rule: \(item.rule)")) }
                let covered = everySource.allSatisfy { name in entry.group.sources.contains { $0 == name || $0.hasPrefix(name + " ") } }
                if !covered && !entry.group.sources.isEmpty {
                    details.append(style.dim("from \(Pieces.list(entry.group.sources.map { Pieces.short($0) }))"))
                }
                for row in 0..<max(details.count, entry.traffic.count) {
                    let traffic = row < entry.traffic.count ? style.bad(padded(entry.traffic[row], width)) : String(repeating: " ", count: width)
                    let detail = row < details.count ? details[row] : ""
                    lines.append("  \(traffic)  \(detail)".trimmingTrailingSpaces)
                }
            }
        }
        if !answer.notes.isEmpty {
            lines.append("")
            lines += answer.notes.map { style.dim("note: \($0)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Headline

    func headline() -> String {
        let asked = answer.protocol.map { Pieces.traffic($0, answer.port ?? "-") }
        if answer.partial {
            let labels = sourceLabels()
            let yes = zip(answer.sources, labels).filter { $0.0.reachable }.map(\.1)
            let no = zip(answer.sources, labels).filter { !$0.0.reachable }.map(\.1)
            return "\(style.warn("partly")): reaches from \(yes.joined(separator: ", ")); not from \(no.joined(separator: ", "))"
        }
        if answer.reachable {
            if let asked { return "\(style.good("yes")), on \(asked)" }
            let allowed = unique(answer.allowed.map { Pieces.traffic($0.protocol, $0.ports) })
            if answer.blocked.isEmpty { return "\(style.good("yes")), on every protocol and port" }
            if allowed.count <= 3 { return "\(style.good("yes")), on \(allowed.joined(separator: ", ")) only" }
            return "\(style.good("yes")), on \(allowed.count) protocol/port ranges (see Allowed)"
        }
        let groups = Pieces.groupBlocked(answer.blocked)
        guard let first = groups.first else { return style.bad("no") }
        let reasons = unique(groups.map(\.first.reason))
        let more = reasons.count > 1 ? " (and \(reasons.count - 1) other reason\(reasons.count == 2 ? "" : "s"), see Blocked)" : ""
        let on = asked.map { " on \($0)" } ?? ""
        return "\(style.bad("no"))\(on.isEmpty ? "" : ",")\(on): \(style.code(first.first.reason)) at \(Pieces.located(first.first.at, ids: first.atIDs))\(more)"
    }

    // MARK: - Pieces

    /// `Lambda-Internet → NAT-GW-A (SNAT 10.0.11.5:40000 → 10.0.1.9:1027) → igw (10.0.1.9:1027 → 52.1.2.3:1027) → internet`.
    func pathLine(_ hops: [Hop]) -> String {
        Pieces.waypoints(hops).map { hop in
            let name = Pieces.name(hop)
            return Pieces.translation(hop).map { "\(name) (\($0))" } ?? name
        }.joined(separator: " → ")
    }

    /// `Lambda-Internet in us-east-1a`, with the interface id when names and zones repeat.
    func sourceLabels() -> [String] {
        let plain = answer.sources.map { source in source.zone.map { "\(source.name) in \($0)" } ?? source.name }
        return zip(answer.sources, plain).map { source, label in
            plain.filter { $0 == label }.count > 1 ? "\(label) (\(source.id))" : label
        }
    }

    func sourceLabel(_ hop: Hop) -> String {
        let zone = answer.sources.first { $0.id == hop.id }?.zone
        return "\(Pieces.name(hop)) \(hop.id)" + (zone.map { " (\($0))" } ?? "")
    }

    func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}

/// Traces for people: per flow the packet, the outcome, then numbered hops for the request and the
/// response with what happened at each, and the block.
struct TraceText {
    let traces: [FlowTrace]
    let style: Style

    init(_ traces: [FlowTrace], style: Style) { self.traces = traces; self.style = style }

    func render() -> String {
        if traces.isEmpty { return "no flows to trace\n" }
        return traces.map { render($0, indent: "") }.joined(separator: "\n\n") + "\n"
    }

    func render(_ trace: FlowTrace, indent: String) -> String {
        var lines: [String] = []
        lines.append(indent + style.bold("\(trace.source) → \(trace.destination)") + "  \(trace.packet)")
        if trace.reachable {
            lines.append(indent + "\(style.good("yes")): delivered to \(trace.deliveredTo ?? trace.destination), response back at the source")
        } else if let block = trace.block {
            lines.append(indent + "\(style.bad("no")): \(style.code(block.reason)) at \(Pieces.located(block.at)) on the \(block.direction)")
        } else {
            lines.append(indent + style.bad("no"))
        }
        let all = trace.request + trace.response
        let kindWidth = all.map(\.kind.count).max() ?? 0
        let placeWidth = all.map { place($0).count }.max() ?? 0
        for (title, hops) in [("Request", trace.request), ("Response", trace.response)] where !hops.isEmpty {
            lines.append(indent + style.bold(title))
            for (number, hop) in hops.enumerated() {
                let n = String(number + 1)
                let numberText = String(repeating: " ", count: max(0, 3 - n.count)) + n
                lines.append(indent + "\(numberText)  \(padded(hop.kind, kindWidth))  \(padded(place(hop), placeWidth))  \(hop.detail)")
            }
        }
        if let block = trace.block {
            lines.append(indent + style.bold("Blocked") + "  \(style.code(block.reason)) (\(block.direction)) at \(Pieces.located(block.at))")
            if !block.summary.isEmpty { lines.append(indent + "         \(block.summary)") }
            if !block.rule.isEmpty { lines.append(indent + "         " + style.dim("rule: \(block.rule)")) }
        }
        for leg in trace.targetLeg ?? [] {
            lines.append(indent + style.bold("Target connection") + " (the load balancer opens it to the target)")
            lines.append(render(leg, indent: indent + "  "))
        }
        return lines.joined(separator: "\n")
    }

    /// `Lambda-Internet eni-0a1b`, or the id alone.
    func place(_ hop: Hop) -> String {
        if hop.name.isEmpty || hop.name == hop.id { return hop.id }
        return hop.id.isEmpty ? hop.name : "\(hop.name) \(hop.id)"
    }
}
