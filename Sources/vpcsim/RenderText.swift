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
        let entries = Pieces.byPlace(Pieces.groupBlocked(answer.blocked))
        let width = (answer.allowed.map { Pieces.traffic($0.protocol, $0.ports) } + entries.filter { $0.traffic.count == 1 }.flatMap(\.traffic))
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
                let mark = source.reachable ? style.good("reaches ") : source.allowed.isEmpty ? style.bad("does not") : style.warn("partly  ")
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
                if let via = path.via { lines.append(indent + "via \(via.text)") }
                if let from = path.sources.internetAddresses {
                    if let text = externalSources(from, of: path.sources.names.first ?? "internet") { lines.append(indent + style.dim("from \(text)")) }
                } else if ambiguous, let source = path.hops.first { lines.append(indent + style.dim("from \(sourceLabel(source))")) }
            }
        }
        if !entries.isEmpty {
            lines += ["", style.bold("Blocked")]
            let everySource = Set(answer.sources.map(\.name))
            // One entry per place, reason and rule: its traffic first, then its explanation below it,
            // so that no line of one class reads as another's.
            for entry in entries {
                let item = entry.group.first
                let response = item.direction == .response ? " (on the response)" : ""
                var details = ["\(style.code(item.reason.code)) at \(Pieces.located(item.at, ids: entry.group.atIDs))\(response)"]
                if showDestinations { details.append("to \(Pieces.list(item.destinations))") }
                details.append(item.reason.summary)
                if !item.rule.isEmpty { details.append(style.dim("rule: \(item.rule)")) }
                let covered = everySource.isSubset(of: Set(entry.group.sources))
                if let from = item.sources.internetAddresses, entry.group.sources.count == 1, let name = entry.group.sources.first {
                    if let text = externalSources(from, of: name) { details.append(style.dim("from \(text)")) }
                } else if !covered && !entry.group.sourceLabels.isEmpty {
                    details.append(style.dim("from \(Pieces.list(entry.group.sourceLabels.map { Pieces.short($0) }))"))
                }
                let traffic = entry.traffic.joined(separator: ", ")
                if traffic.count <= width {
                    lines.append("  \(style.bad(padded(traffic, width)))  \(details[0])")
                    lines += details.dropFirst().map { indent + $0 }
                } else {
                    lines.append("  \(style.bad(traffic))")
                    lines += details.map { indent + $0 }
                }
            }
        }
        if !answer.notes.isEmpty {
            lines.append("")
            lines += answer.notes.map { style.dim("note: \($0)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Source addresses of the internet or an on-premises network for people: nothing when they are
    /// all the question covered, `the internet except 198.51.100.0/24` when that is shorter than listing them.
    func externalSources(_ addresses: AddressSet, of name: String) -> String? {
        guard let whole = answer.sources.first(where: { $0.name == name })?.internetAddresses, addresses != whole else { return nil }
        let rest = whole.subtracting(addresses)
        if rest.cidrs.count < addresses.cidrs.count {
            return "\(name == "internet" ? "the internet" : name) except \(Pieces.short(AddressSet.describe(rest)))"
        }
        return "\(name) " + Pieces.short(AddressSet.describe(addresses))
    }

    // MARK: - Headline

    func headline() -> String {
        let asked = answer.protocol.map { Pieces.traffic($0, answer.port ?? "-") }
        switch answer.status {
        case .partly:
            return "\(style.warn("partly")): \(partlyText())"
        case .yes:
            if let asked { return "\(style.good("yes")), on \(asked)" }
            let allowed = unique(answer.allowed.map { Pieces.traffic($0.protocol, $0.ports) })
            if answer.blocked.isEmpty { return "\(style.good("yes")), on every protocol and port" }
            if allowed.count <= 3 { return "\(style.good("yes")), on \(allowed.joined(separator: ", ")) only" }
            return "\(style.good("yes")), on \(allowed.count) protocol/port ranges (see Allowed)"
        case .no:
            let groups = Pieces.groupBlocked(answer.blocked)
            guard let first = groups.first else { return style.bad("no") }
            let reasons = unique(groups.map(\.first.reason.code))
            let more = reasons.count > 1 ? " (and \(reasons.count - 1) other reason\(reasons.count == 2 ? "" : "s"), see Blocked)" : ""
            let on = asked.map { " on \($0)" } ?? ""
            return "\(style.bad("no"))\(on.isEmpty ? "" : ",")\(on): \(style.code(first.first.reason.code)) at \(Pieces.located(first.first.at, ids: first.atIDs))\(more)"
        }
    }

    /// What gets through and from where, then what does not: `tcp/22 from 198.51.100.0/24 only, not
    /// from the rest of the internet`, `tcp/443 from Fargate in us-east-1a; nothing from Fargate in us-east-1b`.
    func partlyText() -> String {
        let labels = sourceLabels()
        var reaching: [(what: String, who: [String])] = []
        var nothing: [String] = []
        for (source, label) in zip(answer.sources, labels) {
            let what = source.allowed.map { Pieces.traffic($0.ipProtocol.label, $0.portsText) }.joined(separator: ", ")
            if source.allowed.isEmpty { nothing.append(label); continue }
            if source.fromSomeAddressesOnly, let from = source.reachedFrom {
                let rest = source.name == "internet" ? "the rest of the internet" : "the rest of \(source.name)"
                reaching.append(("\(what) gets through from \(Pieces.short(AddressSet.describe(from, limit: 3))) only, not from \(rest)", []))
                continue
            }
            if let i = reaching.firstIndex(where: { $0.what == what && !$0.who.isEmpty }) { reaching[i].who.append(label) }
            else { reaching.append((what, [label])) }
        }
        var parts = reaching.map { $0.who.isEmpty ? $0.what : "\($0.what) gets through from \(Pieces.list($0.who))" }
        if !nothing.isEmpty { parts.append("nothing from \(Pieces.list(nothing))") }
        return parts.joined(separator: "; ")
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
            lines.append(indent + "\(style.bad("no")): \(style.code(block.reason.code)) at \(Pieces.located(block.at)) on the \(block.direction.name)")
        } else {
            lines.append(indent + style.bad("no"))
        }
        let all = trace.request + trace.response
        let kindWidth = all.map(\.kind.name.count).max() ?? 0
        let placeWidth = all.map { place($0).count }.max() ?? 0
        for (title, hops) in [("Request", trace.request), ("Response", trace.response)] where !hops.isEmpty {
            lines.append(indent + style.bold(title))
            for (number, hop) in hops.enumerated() {
                let n = String(number + 1)
                let numberText = String(repeating: " ", count: max(0, 3 - n.count)) + n
                lines.append(indent + "\(numberText)  \(padded(hop.kind.name, kindWidth))  \(padded(place(hop), placeWidth))  \(hop.detail)")
            }
        }
        if let block = trace.block {
            lines.append(indent + style.bold("Blocked") + "  \(style.code(block.reason.code)) (\(block.direction.name)) at \(Pieces.located(block.at))")
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
