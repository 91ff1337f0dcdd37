import Foundation
import VPCEngine
import VPCModel

/// The reachability difference between two networks (or one network before and after faults): both
/// networks' reachability matrices over the same endpoints, compared as data — per pair, per source
/// (each interface; the internet by source address), the exact set of (protocol, destination port,
/// destination address, load balancer listener) that gets through. A pair changed when that set or
/// its verdict differs; a different path with the same set is not a change. Only the cells that
/// changed are explained, one flow each on each side.
///
/// Endpoints (docs/diff-replay.md): every matrix row and column of either network — workloads,
/// standalone interfaces, load balancers, AWS services (with an endpoint or known addresses) and the
/// internet — matched by name, so a network whose AWS ids changed compares equal when it behaves the same.
public enum NetworkDiff {
    /// How one side answers a pair.
    public enum Verdict: Sendable, Hashable, CustomStringConvertible {
        case status(ConnectionStatus)
        /// Nothing to ask (an endpoint and itself, a service with no address).
        case notApplicable
        /// An end does not exist on this side, or stands for no interface (why in `reason`).
        case absent(String)

        public var description: String {
            switch self {
            case .status(let status): return status.rawValue
            case .notApplicable: return "n/a"
            case .absent: return "absent"
            }
        }
    }

    /// One group of cells of a pair whose outcome changed, with the same story on both sides.
    public struct Line: Sendable, Hashable, Encodable {
        public enum Kind: String, Sendable, Hashable, Encodable {
            /// Now gets through (it did not).
            case gained
            /// No longer gets through.
            case lost
            /// The internet: gets through from other source addresses than before.
            case sourcesChanged = "sources-changed"
        }

        public var kind: Kind
        /// The interface's name, or `internet`.
        public var source: String
        /// The packets, one class per protocol (lines equal but for the protocol are one line).
        public var traffic: [TrafficClass]
        /// The load balancer listener the packets are sent to, on a path through one.
        public var via: ListenerRef?
        /// The destination addresses, as the source addresses them (through `via`: the LB node's).
        public var destinations: AddressSet
        /// For the internet: the source addresses that got these packets through before and after.
        public var before: AddressSet?
        public var after: AddressSet?
        /// What happens on each side to one flow of the line: its path, or where and why it is blocked.
        public var was: CellExplanation
        public var now: CellExplanation
        /// The change in one sentence: "tcp/22 from 0.0.0.0/0 now reaches bastion (was 198.51.100.0/24)".
        public var text: String

        enum CodingKeys: String, CodingKey { case kind, source, traffic, via, destinations, before, after, was, now, text }
        enum TrafficKeys: String, CodingKey { case `protocol`, ports }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(kind, forKey: .kind)
            try c.encode(source, forKey: .source)
            var list = c.nestedUnkeyedContainer(forKey: .traffic)
            for item in traffic {
                var entry = list.nestedContainer(keyedBy: TrafficKeys.self)
                try entry.encode(item.ipProtocol.label, forKey: .protocol)
                try entry.encode(item.portsText, forKey: .ports)
            }
            try c.encodeIfPresent(via?.text, forKey: .via)
            try c.encode(destinations.cidrs, forKey: .destinations)
            try c.encodeIfPresent(before?.cidrs, forKey: .before)
            try c.encodeIfPresent(after?.cidrs, forKey: .after)
            try c.encode(NetworkDiff.story(was), forKey: .was)
            try c.encode(NetworkDiff.story(now), forKey: .now)
            try c.encode(text, forKey: .text)
        }
    }

    /// A pair whose outcome differs between the two networks.
    public struct Change: Sendable, Hashable, Encodable {
        public var source: String
        public var destination: String
        public var old: Verdict
        public var new: Verdict
        public var lines: [Line]

        enum CodingKeys: String, CodingKey { case source, destination, old, new, reason, lines }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(source, forKey: .source)
            try c.encode(destination, forKey: .destination)
            try c.encode(old.description, forKey: .old)
            try c.encode(new.description, forKey: .new)
            var reasons: [String] = []
            for side in [old, new] { if case .absent(let why) = side { reasons.append(why) } }
            if !reasons.isEmpty { try c.encode(reasons.joined(separator: "; "), forKey: .reason) }
            try c.encode(lines, forKey: .lines)
        }
    }

    public struct Result: Sendable, Hashable, Encodable {
        /// How many (source, destination) pairs were compared.
        public var pairs: Int
        public var changes: [Change]
        /// Notes, e.g. endpoints present on one side only.
        public var notes: [String]
    }

    /// Rows and columns to compare: the union of both networks' matrix endpoints, by name, plus every
    /// AWS service with known addresses.
    static func endpointNames(_ engines: [QueryEngine]) -> (sources: [String], destinations: [String]) {
        var sources: [String] = [], destinations: [String] = []
        var seenSources: Set<String> = [], seenDestinations: Set<String> = []
        for engine in engines {
            for endpoint in (try? engine.matrixEndpoints(nil, asSource: true)) ?? [] where seenSources.insert(endpoint.label.lowercased()).inserted {
                sources.append(endpoint.label)
            }
            for endpoint in (try? engine.matrixEndpoints(nil, asSource: false)) ?? [] where seenDestinations.insert(endpoint.label.lowercased()).inserted {
                destinations.append(endpoint.label)
            }
        }
        for engine in engines {
            for service in engine.plane.network.services where !service.addresses.isEmpty && seenDestinations.insert(service.name.lowercased()).inserted {
                destinations.append(service.name)
            }
        }
        // The internet last, as in the matrix.
        return (sources.filter { $0 != "internet" } + ["internet"], destinations.filter { $0 != "internet" } + ["internet"])
    }

    /// One network's side: its engine, which names resolve, and its matrix over them.
    struct Side {
        let engine: QueryEngine
        var sources: [String: MatrixEndpoint] = [:]
        var destinations: [String: MatrixEndpoint] = [:]
        /// Names that do not resolve on this side, with why: as a row, as a column.
        var absentSources: [String: String] = [:]
        var absentDestinations: [String: String] = [:]
        var pairs: [String: MatrixPair] = [:]

        init(_ engine: QueryEngine, sources: [String], destinations: [String], jobs: Int?) {
            self.engine = engine
            var rows: [MatrixEndpoint] = [], columns: [MatrixEndpoint] = []
            for name in sources {
                do { let endpoint = try engine.matrixEndpoints([name], asSource: true); rows += endpoint; self.sources[name] = endpoint.first }
                catch { absentSources[name] = error.message }
            }
            for name in destinations {
                do { let endpoint = try engine.matrixEndpoints([name], asSource: false); columns += endpoint; self.destinations[name] = endpoint.first }
                catch { absentDestinations[name] = error.message }
            }
            let matrix = engine.matrix(from: rows, to: columns, jobs: jobs, keepOutcomes: true)
            for pair in matrix.pairs { pairs[Self.key(pair.from, pair.to)] = pair }
        }

        static func key(_ source: String, _ destination: String) -> String { source + "\u{0}" + destination }

        func verdict(_ source: String, _ destination: String) -> Verdict {
            if let why = absentSources[source] { return .absent("\(source): \(why)") }
            if let why = absentDestinations[destination] { return .absent("\(destination): \(why)") }
            guard let from = sources[source], let to = destinations[destination],
                  let pair = pairs[Self.key(from.label, to.label)] else { return .absent("\(source) -> \(destination): not asked") }
            return pair.status.connectionStatus.map(Verdict.status) ?? .notApplicable
        }

        func pair(_ source: String, _ destination: String) -> MatrixPair? {
            guard let from = sources[source], let to = destinations[destination] else { return nil }
            return pairs[Self.key(from.label, to.label)]
        }
    }

    /// Compares every pair on `old` and `new`.
    public static func compare(old: Network, new: Network, jobs: Int? = nil) -> Result {
        let engines = [QueryEngine(network: old), QueryEngine(network: new)]
        let (sources, destinations) = endpointNames(engines)
        // The two matrices at once: one's planning (a single thread) overlaps the other's batches.
        nonisolated(unsafe) var sides: [Side?] = [nil, nil]
        sides.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let buffer = buffer
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                buffer[i] = Side(engines[i], sources: sources, destinations: destinations, jobs: jobs)
            }
        }
        guard let before = sides[0], let after = sides[1] else { return Result(pairs: 0, changes: [], notes: []) }
        var changes: [Change] = []
        var pairs = 0
        for source in sources {
            for destination in destinations {
                if source == "internet" && destination == "internet" { continue }
                let was = before.verdict(source, destination), now = after.verdict(source, destination)
                if case .notApplicable = was, case .notApplicable = now { continue }
                pairs += 1
                var lines: [Line] = []
                if let oldPair = before.pair(source, destination), let newPair = after.pair(source, destination),
                   let to = after.destinations[destination] {
                    lines = compare(oldPair.outcomes ?? [], newPair.outcomes ?? [], destination: to, before: before, after: after)
                }
                guard was != now || !lines.isEmpty else { continue }
                changes.append(Change(source: source, destination: destination, old: was, new: now, lines: lines))
            }
        }
        var notes: [String] = []
        let gone = sources.filter { before.sources[$0] != nil && after.sources[$0] == nil }
            + destinations.filter { before.destinations[$0] != nil && after.destinations[$0] == nil && before.sources[$0] == nil }
        let appeared = sources.filter { before.sources[$0] == nil && after.sources[$0] != nil }
            + destinations.filter { before.destinations[$0] == nil && after.destinations[$0] != nil && after.sources[$0] == nil }
        // Interfaces that start connections, gone or new (an AZ outage takes a workload's interfaces there).
        let oldHosts = before.engine.hostInterfaceNames, newHosts = after.engine.hostInterfaceNames
        let goneHosts = oldHosts.filter { !Set(newHosts).contains($0) && !gone.contains($0) }
        let newHostsOnly = newHosts.filter { !Set(oldHosts).contains($0) && !appeared.contains($0) }
        if !gone.isEmpty || !goneHosts.isEmpty { notes.append("only in the old network: \((gone + goneHosts).joined(separator: ", "))") }
        if !appeared.isEmpty || !newHostsOnly.isEmpty { notes.append("only in the new network: \((appeared + newHostsOnly).joined(separator: ", "))") }
        return Result(pairs: pairs, changes: changes, notes: notes)
    }

    // MARK: - Comparing two pairs' outcomes

    /// What gets through from one source through one listener (or none) on one protocol.
    struct GroupKey: Hashable, Comparable {
        var source: String
        var ipProtocol: TrafficProtocol
        var via: ListenerRef?

        static func < (a: GroupKey, b: GroupKey) -> Bool {
            if a.source != b.source { return a.source < b.source }
            if a.ipProtocol != b.ipProtocol { return a.ipProtocol < b.ipProtocol }
            switch (a.via, b.via) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?): return x < y
            }
        }
    }

    /// A box of allowed traffic from one source address range (`0...0` for an interface).
    struct Atom: Hashable, Comparable {
        var source: ClosedRange<UInt32>
        var ports: ClosedRange<UInt16>
        var destinations: ClosedRange<UInt32>

        static func < (a: Atom, b: Atom) -> Bool {
            (a.source.lowerBound, a.ports.lowerBound, a.destinations.lowerBound, a.source.upperBound, a.ports.upperBound, a.destinations.upperBound)
                < (b.source.lowerBound, b.ports.lowerBound, b.destinations.lowerBound, b.source.upperBound, b.ports.upperBound, b.destinations.upperBound)
        }
    }

    /// The atoms of a pair's outcomes; internet addresses (source or destination) kept only where they
    /// are the internet on both networks (`clip`), so that an address that joins or leaves the
    /// network (a new VPC CIDR, a released EIP) is not read as a change of reachability.
    /// `clipSources` clips the internet's source cells (an on-premises network's cells are its own).
    static func atoms(_ outcomes: [SourceOutcome], clipSources: AddressSet?, clipDestinations: AddressSet?) -> [GroupKey: [Atom]] {
        func pieces(_ range: ClosedRange<UInt32>, _ clip: AddressSet?) -> [ClosedRange<UInt32>] {
            guard let clip else { return [range] }
            // Most boxes lie inside one range of the clip: no set arithmetic for them.
            if let inside = clip.range(containing: range.lowerBound), inside.contains(range.upperBound) { return [range] }
            return AddressSet([range]).intersection(clip).ranges
        }
        var groups: [GroupKey: [Atom]] = [:]
        for outcome in outcomes {
            let sources = outcome.internetAddresses.map { pieces($0, outcome.source == "internet" ? clipSources : nil) } ?? [0...0]
            for box in outcome.allowed {
                let key = GroupKey(source: outcome.source, ipProtocol: box.ipProtocol, via: box.via)
                for source in sources {
                    for destination in pieces(box.destinations, box.via == nil ? clipDestinations : nil) {
                        groups[key, default: []].append(Atom(source: source, ports: box.ports, destinations: destination))
                    }
                }
            }
        }
        return groups.mapValues { $0.sorted() }
    }

    /// The lines of a pair: per source, protocol and listener, the cells whose outcome differs, grouped
    /// by the same before/after (port ranges, then destination ranges joined).
    static func compare(_ old: [SourceOutcome], _ new: [SourceOutcome], destination: MatrixEndpoint, before: Side, after: Side) -> [Line] {
        let internet = before.engine.internetAddresses.intersection(after.engine.internetAddresses)
        let clipDestinations = destination.isWholeInternet ? internet : nil
        let clipSources = old.contains { $0.internetAddresses != nil } || new.contains { $0.internetAddresses != nil } ? internet : nil
        let destinationCoverage = clipDestinations
            ?? AddressSet((old + new).flatMap { $0.allowed.filter { $0.via == nil }.map(\.destinations) })
        let oldGroups = atoms(old, clipSources: clipSources, clipDestinations: clipDestinations)
        let newGroups = atoms(new, clipSources: clipSources, clipDestinations: clipDestinations)
        guard oldGroups != newGroups else { return [] }
        let internetCoverage = AddressSet(new.compactMap(\.internetAddresses)).intersection(internet)
        var lines: [Line] = []
        for key in Set(oldGroups.keys).union(newGroups.keys).sorted() {
            let was = oldGroups[key] ?? [], now = newGroups[key] ?? []
            guard was != now else { continue }
            for piece in differences(was, now) {
                let next = line(key, piece, destination: destination, destinationCoverage: destinationCoverage,
                                internetCoverage: internetCoverage, before: before, after: after)
                // Equal but for the protocol: one line for all of them.
                if let i = lines.firstIndex(where: { $0.kind == next.kind && $0.source == next.source && $0.via == next.via
                                                     && $0.destinations == next.destinations && $0.before == next.before
                                                     && $0.after == next.after && story($0.was) == story(next.was)
                                                     && story($0.now) == story(next.now) }) {
                    lines[i].traffic = (lines[i].traffic + next.traffic).sorted { order($0.ipProtocol) < order($1.ipProtocol) }
                    lines[i].text = sentence(lines[i], destination: destination, destinationCoverage: destinationCoverage,
                                             internetCoverage: internetCoverage)
                } else {
                    lines.append(next)
                }
            }
        }
        return lines
    }

    /// Cells of one group whose source sets differ, grouped: (ports, destinations, before, after).
    struct Piece {
        var ports: PortSet
        var destinations: AddressSet
        var before: AddressSet
        var after: AddressSet
    }

    static func differences(_ was: [Atom], _ now: [Atom]) -> [Piece] {
        func cuts<T: FixedWidthInteger>(_ ranges: [ClosedRange<T>]) -> [UInt64] {
            var points: Set<UInt64> = []
            for r in ranges { points.insert(UInt64(r.lowerBound)); points.insert(UInt64(r.upperBound) + 1) }
            return points.sorted()
        }
        let all = was + now
        let sourceCuts = cuts(all.map(\.source)), portCuts = cuts(all.map(\.ports)), destinationCuts = cuts(all.map(\.destinations))
        func index(_ cuts: [UInt64], _ value: UInt64) -> Int {
            var low = 0, high = cuts.count
            while low < high { let mid = (low + high) / 2; if cuts[mid] <= value { low = mid + 1 } else { high = mid } }
            return low - 1
        }
        /// (port cell, destination cell) → source cells, per side.
        func grid(_ atoms: [Atom]) -> [Int: Set<Int>] {
            var result: [Int: Set<Int>] = [:]
            for atom in atoms {
                let s0 = index(sourceCuts, UInt64(atom.source.lowerBound)), s1 = index(sourceCuts, UInt64(atom.source.upperBound))
                let p0 = index(portCuts, UInt64(atom.ports.lowerBound)), p1 = index(portCuts, UInt64(atom.ports.upperBound))
                let d0 = index(destinationCuts, UInt64(atom.destinations.lowerBound)), d1 = index(destinationCuts, UInt64(atom.destinations.upperBound))
                for p in p0...p1 {
                    for d in d0...d1 { result[p * destinationCuts.count + d, default: []].formUnion(s0...s1) }
                }
            }
            return result
        }
        let oldGrid = grid(was), newGrid = grid(now)
        func sourceSet(_ cells: Set<Int>) -> AddressSet {
            AddressSet(cells.map { UInt32(sourceCuts[$0])...UInt32(sourceCuts[$0 + 1] - 1) })
        }
        // (destination cell, before, after) → port cells.
        struct Story: Hashable { var before: Set<Int>; var after: Set<Int> }
        var byDestination: [Int: [Story: [Int]]] = [:]
        for cell in Set(oldGrid.keys).union(newGrid.keys) {
            let b = oldGrid[cell] ?? [], a = newGrid[cell] ?? []
            guard b != a else { continue }
            byDestination[cell % destinationCuts.count, default: [:]][Story(before: b, after: a), default: []].append(cell / destinationCuts.count)
        }
        // (ports, before, after) → destination cells.
        struct Group: Hashable { var ports: [Int]; var story: Story }
        var groups: [Group: [Int]] = [:]
        for (d, stories) in byDestination {
            for (story, ports) in stories { groups[Group(ports: ports.sorted(), story: story), default: []].append(d) }
        }
        return groups.map { group, destinations in
            Piece(ports: PortSet(group.ports.map { UInt16(portCuts[$0])...UInt16(portCuts[$0 + 1] - 1) }),
                  destinations: AddressSet(destinations.map { UInt32(destinationCuts[$0])...UInt32(destinationCuts[$0 + 1] - 1) }),
                  before: sourceSet(group.story.before), after: sourceSet(group.story.after))
        }.sorted { ($0.ports.ranges.first?.lowerBound ?? 0, $0.destinations.ranges.first?.lowerBound ?? 0)
                    < ($1.ports.ranges.first?.lowerBound ?? 0, $1.destinations.ranges.first?.lowerBound ?? 0) }
    }

    static func line(_ key: GroupKey, _ piece: Piece, destination: MatrixEndpoint, destinationCoverage: AddressSet, internetCoverage: AddressSet,
                     before: Side, after: Side) -> Line {
        // The internet and on-premises networks are sources of many addresses: a line names one that changed.
        let internet = key.source == "internet" || before.engine.plane.network.onPremNetworks.contains { $0.name == key.source }
        let kind: Line.Kind = piece.before.isEmpty ? .gained : piece.after.isEmpty ? .lost : .sourcesChanged
        let traffic = TrafficClass(key.ipProtocol, key.ipProtocol.hasPorts ? piece.ports : .portless)
        // One flow of the line on each side: from an address whose outcome changed.
        let changedSources = piece.after.subtracting(piece.before).union(piece.before.subtracting(piece.after))
        let sourceAddress = internet ? changedSources.representative : nil
        let port = piece.ports.ranges.first?.lowerBound ?? 0
        let address = piece.destinations.representative ?? 0
        func explain(_ side: Side) -> CellExplanation {
            guard let to = side.destinations[destination.label] ?? side.destinations.first(where: { $0.key.lowercased() == destination.label.lowercased() })?.value
            else { return .absent }
            return side.engine.explain(source: key.source, internetAddress: sourceAddress, destination: to, ipProtocol: key.ipProtocol,
                                       port: port, address: address, via: key.via)
        }
        var result = Line(kind: kind, source: key.source, traffic: [traffic], via: key.via, destinations: piece.destinations,
                          before: internet ? piece.before : nil, after: internet ? piece.after : nil,
                          was: explain(before), now: explain(after), text: "")
        result.text = sentence(result, destination: destination, destinationCoverage: destinationCoverage, internetCoverage: internetCoverage)
        return result
    }

    /// The change in one sentence: "tcp/22 from 0.0.0.0/0 now reaches bastion (was 198.51.100.0/24)".
    static func sentence(_ line: Line, destination: MatrixEndpoint, destinationCoverage: AddressSet, internetCoverage: AddressSet) -> String {
        // The destination's name, with the addresses when the line holds for only some of them.
        var target = destination.label
        if line.via == nil && line.destinations != destinationCoverage { target += " " + AddressSet.describe(line.destinations) }
        if let via = line.via { target += " through \(via.text)" }
        let packets = line.traffic.map { EngineEvaluator.packets($0.ipProtocol.label, $0.portsText) }.joined(separator: ", ")
        func from(_ set: AddressSet?) -> String {
            guard let set else { return "nowhere" }
            return set == internetCoverage ? "anywhere on the internet" : AddressSet.describe(set)
        }
        switch (line.source == "internet", line.kind) {
        case (false, .gained): return "\(packets) from \(line.source) now reaches \(target)"
        case (false, _): return "\(packets) from \(line.source) no longer reaches \(target)"
        case (true, .gained): return "\(packets) from \(from(line.after)) now reaches \(target) (was from nowhere)"
        case (true, .lost): return "\(packets) no longer reaches \(target) from the internet (was from \(from(line.before)))"
        case (true, .sourcesChanged): return "\(packets) from \(from(line.after)) now reaches \(target) (was \(from(line.before)))"
        }
    }

    /// Lines list tcp, udp and icmp first, as answers do.
    static func order(_ ipProtocol: TrafficProtocol) -> Int {
        switch ipProtocol {
        case .tcp: return 0
        case .udp: return 1
        case .icmp: return 2
        case .number(let n): return 3 + Int(n)
        case .other: return 300
        case .all: return 301
        }
    }

    /// One side's story of a cell, for people: `path: A → B → C` or `blocked: REASON at X (id): rule`.
    public static func story(_ explanation: CellExplanation) -> String {
        switch explanation {
        case .path(let hops, let translated):
            let names = hops.filter { $0.kind != .subnet && $0.kind != .routeTable }.map(\.name)
            var unique: [String] = []
            for name in names where unique.last != name { unique.append(name) }
            return "gets through: " + unique.joined(separator: " → ") + (translated.map { ", arriving as \($0)" } ?? "")
        case .blocked(let block):
            let at = block.at.id.isEmpty || block.at.id == block.at.name ? block.at.name : "\(block.at.name) (\(block.at.id))"
            return "blocked: \(block.reason.code) at \(at)\(block.direction == .response ? " on the response" : ""): \(block.rule)"
        case .absent:
            return "the source (or the listener) is not in this network"
        }
    }

    // MARK: - Faults written on the command line

    /// Parses `--fault` values with the scenario parser: `az-outage=us-east-1a`, `remove=NAT-GW-B`, or the
    /// scenario's YAML form (`route: {table: Private-RT-A, destination: 0.0.0.0/0, action: blackhole}`).
    public static func parseFaults(_ specs: [String]) throws(InputError) -> [Fault] {
        guard !specs.isEmpty else { return [] }
        var lines: [String] = []
        for spec in specs {
            var text = spec.trimmingCharacters(in: .whitespaces)
            // `kind=value` → `kind: value` when the kind comes before any ':' or '{'.
            if let equals = text.firstIndex(of: "="),
               !text[..<equals].contains(":"), !text[..<equals].contains("{") {
                text = text[..<equals].trimmingCharacters(in: .whitespaces) + ": " + text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            }
            lines.append("  - " + text)
        }
        let yaml = "faults:\n" + lines.joined(separator: "\n") + "\nchecks: []\n"
        do throws(InputError) {
            return try ScenarioParser.parse(yaml: yaml, file: "--fault").faults
        } catch {
            // Locate each problem at its option rather than at a line of the synthetic document.
            let diagnostics = error.diagnostics.map { diagnostic -> Diagnostic in
                let index = (diagnostic.location?.line ?? 2) - 2
                let spec = specs.indices.contains(index) ? specs[index] : specs.joined(separator: " ")
                return Diagnostic(diagnostic.severity, at: nil, file: "--fault '\(spec)'", diagnostic.message,
                                  hint: diagnostic.hint ?? "write --fault az-outage=ZONE, --fault remove=NAME, or a scenario fault in YAML")
            }
            throw InputError(diagnostics)
        }
    }
}
