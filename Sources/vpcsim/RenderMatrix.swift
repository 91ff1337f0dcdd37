import Foundation
import VPCEngine

/// The matrix for people: a grid with sources as rows and numbered destinations as columns (names
/// would make it too wide), the columns' legend, what gets through for every pair that reaches,
/// then totals and the time taken.
struct MatrixText {
    let matrix: ReachabilityMatrix
    let style: Style
    let seconds: Double
    let threads: Int

    init(_ matrix: ReachabilityMatrix, style: Style, seconds: Double, threads: Int) {
        self.matrix = matrix; self.style = style; self.seconds = seconds; self.threads = threads
    }

    /// The grid's symbol for a pair (docs/matrix.md).
    static func symbol(_ status: MatrixStatus) -> String {
        switch status {
        case .yes: return "✓"
        case .partly: return "~"
        case .no: return "·"
        case .notApplicable: return "-"
        }
    }

    func styled(_ status: MatrixStatus, _ text: String) -> String {
        switch status {
        case .yes: return style.good(text)
        case .partly: return style.warn(text)
        case .no, .notApplicable: return style.dim(text)
        }
    }

    func render() -> String {
        let columns = matrix.destinations.count
        let rowWidth = matrix.sources.map(\.count).max() ?? 0
        var lines = [style.bold("Who reaches whom") + " — rows reach columns; \(matrix.sources.count) sources × \(columns) destinations", ""]
        // Column numbers written downwards (tens above units), so that every cell is one character wide.
        let digits = String(columns).count
        for d in 0..<digits {
            let row = (1...max(1, columns)).prefix(columns).map { n -> String in
                let text = String(n)
                let position = d - (digits - text.count)
                return position < 0 ? " " : String(Array(text)[position])
            }
            lines.append(("  " + padded("", rowWidth) + "  " + row.joined(separator: " ")).trimmingTrailingSpaces)
        }
        for (r, source) in matrix.sources.enumerated() {
            let cells = (0..<columns).map { c -> String in
                let status = matrix[r, c].status
                return styled(status, Self.symbol(status))
            }
            lines.append("  " + padded(source, rowWidth) + "  " + cells.joined(separator: " "))
        }
        lines += ["", style.dim("✓ reaches   ~ partly (some sources only)   · nothing gets through   - n/a"), ""]
        lines.append(style.bold("Columns"))
        lines += legend()

        let groups = reachedGroups()
        if !groups.isEmpty {
            lines += ["", style.bold("What gets through")]
            let sourceWidth = groups.map(\.source.count).max() ?? 0
            let whatWidth = groups.map(\.what.count).max() ?? 0
            var previous = ""
            for group in groups {
                let source = group.source == previous ? "" : group.source
                previous = group.source
                var line = "  \(padded(source, sourceWidth))  \(styled(group.status, padded(group.what, whatWidth)))  \(group.destinations.joined(separator: ", "))"
                if let detail = group.detail { line += style.dim(" (\(detail))") }
                lines.append(line)
            }
        }
        var notes: [String] = []
        // An interface and itself has nothing to send to; saying so on every diagonal pair is noise.
        for pair in matrix.pairs where pair.from != pair.to {
            for note in pair.notes where !notes.contains(note) { notes.append(note) }
        }
        if !notes.isEmpty {
            lines += ["", style.bold("Notes")] + notes.map { "  " + style.dim($0) }
        }
        let counts = Dictionary(grouping: matrix.pairs, by: \.status).mapValues(\.count)
        let total = "\(counts[.yes] ?? 0) reach, \(counts[.partly] ?? 0) partly, \(counts[.no] ?? 0) do not, \(counts[.notApplicable] ?? 0) n/a"
        let time = seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : String(format: "%.2f s", seconds)
        lines += ["", "\(matrix.pairs.count) pairs: \(total) — \(Self.count(matrix.flows)) flows in \(time) (\(threads) thread\(threads == 1 ? "" : "s"))"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Per source, the destinations it reaches grouped by what gets through (in the order first
    /// seen); a partly reached destination on its own, with what each source gets.
    func reachedGroups() -> [(source: String, status: MatrixStatus, what: String, destinations: [String], detail: String?)] {
        var groups: [(source: String, status: MatrixStatus, what: String, destinations: [String], detail: String?)] = []
        for (r, source) in matrix.sources.enumerated() {
            let first = groups.count
            for c in matrix.destinations.indices {
                let pair = matrix[r, c]
                switch pair.status {
                case .yes:
                    if let i = groups[first...].firstIndex(where: { $0.status == .yes && $0.what == pair.summary }) {
                        groups[i].destinations.append(pair.to)
                    } else {
                        groups.append((source, .yes, pair.summary, [pair.to], nil))
                    }
                case .partly:
                    groups.append((source, .partly, "partly " + pair.summary, [pair.to],
                                   pair.sources.map { "\($0.name): \($0.summary)" }.joined(separator: "; ")))
                case .no, .notApplicable: continue
                }
            }
        }
        return groups
    }

    /// `  1 Lambda-Internet   2 Lambda-Internal …`, packed into lines of about 100 characters.
    func legend() -> [String] {
        let entries = matrix.destinations.enumerated().map { "\(String(repeating: " ", count: String(matrix.destinations.count).count - String($0.offset + 1).count))\($0.offset + 1) \($0.element)" }
        let width = (entries.map(\.count).max() ?? 0) + 3
        let perLine = max(1, 100 / max(1, width))
        return stride(from: 0, to: entries.count, by: perLine).map { start in
            ("  " + entries[start..<min(start + perLine, entries.count)].map { padded($0, width) }.joined()).trimmingTrailingSpaces
        }
    }

    /// 1234567 → `1,234,567`.
    static func count(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }
}

/// The matrix for machines: a header, then one row per (from, to, protocol, port range). `reachable`
/// is `yes` when every source of the row gets those ports, `partly` when only some do; a pair where
/// nothing gets through has one row with empty protocol and ports and `no` (or `n/a`).
enum MatrixCSV {
    static let header = ["from", "to", "protocol", "ports", "reachable"]

    static func render(_ matrix: ReachabilityMatrix) -> String {
        var rows = [header]
        for pair in matrix.pairs {
            if pair.allowed.isEmpty {
                rows.append([pair.from, pair.to, "", "", pair.status.rawValue])
            }
            for entry in pair.allowed {
                rows.append([pair.from, pair.to, entry.protocol, entry.ports, entry.everySource ? "yes" : "partly"])
            }
        }
        return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
