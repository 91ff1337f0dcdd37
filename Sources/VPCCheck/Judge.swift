import VPCModel

/// Compares an evaluator's outcome with a check's expectations and says, when they differ, what
/// actually happens.
enum Judge {
    /// `translatedTo` is the set of addresses the `translated_to:` value stands for (already resolved).
    static func judge(_ check: Check, _ outcome: CheckOutcome, translatedTo: Set<IPv4Address>?) -> (passed: Bool, explanation: String) {
        var problems: [String] = []
        let verdicts = outcome.verdicts
        let actual = outcome.reachability
        if actual != check.expect {
            problems.append(reachabilityProblem(check, outcome))
        }
        // via: every path that delivers something (for an unreachable expectation: every path up to its block).
        if !check.via.isEmpty {
            let wanted = check.via.map(\.value)
            let paths = check.expect == .unreachable ? verdicts : verdicts.filter { $0.reachability != .unreachable }
            for verdict in paths where !passes(verdict.hops, wanted) {
                problems.append("\(verdict.source) does not pass \(wanted.joined(separator: ", ")) in this order; its path: \(path(verdict))")
            }
        }
        if let reason = check.reason?.value {
            for verdict in verdicts where verdict.reachability != .reachable && !verdict.reasons.contains(reason) {
                let got = verdict.reasons.isEmpty ? "no reason code" : verdict.reasons.joined(separator: ", ")
                problems.append("\(verdict.source) is blocked with \(got), not \(reason): \(verdict.explanation)")
            }
        }
        if let wanted = translatedTo, let written = check.translatedTo?.value {
            for verdict in verdicts where verdict.reachability != .unreachable {
                guard let seen = verdict.translatedSource else {
                    problems.append("\(verdict.source): the evaluator reports no translated source (expected \(written))")
                    continue
                }
                if !wanted.contains(seen) {
                    problems.append("\(verdict.source) arrives as \(seen), not as \(written)")
                }
            }
        }
        if problems.isEmpty { return (true, summary(outcome)) }
        var text = problems.joined(separator: "\n")
        if let note = check.note { text += "\nnote: \(note)" }
        return (false, text)
    }

    static func reachabilityProblem(_ check: Check, _ outcome: CheckOutcome) -> String {
        let verdicts = outcome.verdicts
        let expected = "expected \(check.expect.rawValue)"
        if verdicts.isEmpty {
            return "\(expected), but nothing was evaluated: \(outcome.note ?? "the query covers no source interface")"
        }
        let actual = outcome.reachability
        var lines: [String]
        switch check.expect {
        case .reachable:
            let failing = verdicts.filter { $0.reachability != .reachable }
            let what = check.query.everyPacket ? "get everything through" : "reach"
            lines = ["\(expected), but it is \(actual.rawValue): \(count(failing.count, of: verdicts.count)) \(failing.count == 1 ? "does" : "do") not \(what):"]
            lines += failing.map { "  \($0.source) -> \($0.destination): \($0.reachability.rawValue): \($0.explanation)" }
        case .unreachable:
            let leaking = verdicts.filter { $0.reachability != .unreachable }
            lines = ["\(expected), but \(count(leaking.count, of: verdicts.count)) \(leaking.count == 1 ? "gets" : "get") through:"]
            lines += leaking.map { "  \($0.source) -> \($0.destination): \($0.reachability.rawValue) via \(path($0)): \($0.explanation)" }
        case .partial:
            lines = ["\(expected), but it is \(actual.rawValue) for every path:"]
            lines += verdicts.map { "  \($0.source) -> \($0.destination): \($0.explanation)" }
        }
        return lines.joined(separator: "\n")
    }

    static func count(_ part: Int, of whole: Int) -> String {
        whole == 1 ? "the only source" : "\(part) of \(whole) sources"
    }

    /// The hops contain the wanted names as a subsequence (in order, others may come between).
    static func passes(_ hops: [Hop], _ wanted: [String]) -> Bool {
        var remaining = wanted[...]
        for hop in hops {
            guard let next = remaining.first else { break }
            if hop.matches(next) { remaining = remaining.dropFirst() }
        }
        return remaining.isEmpty
    }

    static func path(_ verdict: PathVerdict) -> String {
        verdict.hops.isEmpty ? "(no hops)" : verdict.hops.map(\.name).joined(separator: " -> ")
    }

    /// What happens, in one line, for a passing check.
    static func summary(_ outcome: CheckOutcome) -> String {
        if outcome.verdicts.isEmpty { return outcome.note ?? "nothing to evaluate" }
        let verdicts = outcome.verdicts
        if verdicts.count == 1, let only = verdicts.first { return "\(only.reachability.rawValue): \(only.explanation)" }
        let reachable = verdicts.filter { $0.reachability == .reachable }.count
        return "\(outcome.reachability.rawValue): \(reachable) of \(verdicts.count) sources reach"
    }
}
