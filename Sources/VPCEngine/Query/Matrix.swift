import VPCModel

/// One row or column of the matrix: an endpoint named as a query names it, resolved once.
public struct MatrixEndpoint: Sendable, Hashable {
    /// The name shown: a workload's, load balancer's, group's or subnet's own name, a service name,
    /// `internet`, or the text as given (ids, IPs, CIDRs).
    public var label: String
    let endpoint: ResolvedEndpoint

    /// The column or row is the whole internet (not some public addresses given by the user).
    public var isWholeInternet: Bool { if case .internet(nil) = endpoint { true } else { false } }
}

/// A pair's answer in one word: the one verdict (`ConnectionStatus`, as `vpcsim query` says it), and
/// `n/a` when there is nothing to ask (an interface and itself, the internet and itself, a service
/// with no address).
public enum MatrixStatus: String, Sendable, Hashable, Codable {
    case yes, partly, no
    case notApplicable = "n/a"

    public init(_ status: ConnectionStatus) {
        switch status {
        case .yes: self = .yes
        case .partly: self = .partly
        case .no: self = .no
        }
    }

    /// The verdict, or nil for `n/a`.
    public var connectionStatus: ConnectionStatus? {
        switch self {
        case .yes: return .yes
        case .partly: return .partly
        case .no: return .no
        case .notApplicable: return nil
        }
    }
}

/// The load balancer listener a box of allowed traffic goes through, named so that two networks
/// compare by what users see (indices differ between networks).
public struct ListenerRef: Sendable, Hashable, Comparable {
    public var loadBalancer: String
    public var listenerProtocol: String
    public var port: UInt16
    /// The target interface the path reaches (a pair's column may stand for several).
    public var target: String

    public static func < (a: ListenerRef, b: ListenerRef) -> Bool {
        (a.loadBalancer, a.port, a.listenerProtocol, a.target) < (b.loadBalancer, b.port, b.listenerProtocol, b.target)
    }

    /// `ALB listener HTTPS:443 to web@app-a`.
    public var text: String { "\(loadBalancer) listener \(listenerProtocol):\(port) to \(target)" }
}

/// One box of what gets through from one source of a pair: a protocol, destination ports, and the
/// destination addresses (as the source addresses them); through a listener, the LB node's address.
public struct ReachBox: Sendable, Hashable {
    public var ipProtocol: TrafficProtocol
    public var via: ListenerRef?
    public var ports: ClosedRange<UInt16>
    public var destinations: ClosedRange<UInt32>
}

/// Everything that gets through from one source of a pair, exactly (every cell the Planner cut): an
/// interface, or one cell of internet source addresses. What `diff` compares.
public struct SourceOutcome: Sendable, Hashable {
    /// The interface's name, or `internet`.
    public var source: String
    /// For the internet: the source addresses this outcome holds for.
    public var internetAddresses: ClosedRange<UInt32>?
    public var allowed: [ReachBox]
}

/// Allowed packets of a pair: one protocol and one merged port range.
public struct MatrixPorts: Sendable, Hashable, Codable {
    /// `tcp`, `udp`, `icmp`, a protocol number, `other` (every number no rule names), or `all`.
    public var `protocol`: String
    /// `443`, `1024-65535`, `all`; `echo` for icmp; `-` for protocols without ports.
    public var ports: String
    /// Every source of the row (each interface, each internet address range) gets through on these
    /// ports; false when only some do.
    public var everySource: Bool
}

/// Who reaches whom for one (source, destination): what `vpcsim query --from A --to B` would answer,
/// without the paths and blocks.
public struct MatrixPair: Sendable, Hashable, Encodable {
    public var from: String
    public var to: String
    public var status: MatrixStatus
    /// As `Answer.reachable`: every source reaches on at least one protocol/port.
    public var reachable: Bool
    /// As `Answer.partial`: some sources reach and others do not.
    public var partial: Bool
    /// What gets through from some source, merged: `tcp/443`, `tcp/80,443 udp/53 icmp`, `all`; `nothing`; `-` for n/a.
    public var summary: String
    /// The same, one entry per protocol and port range, with whether every source gets it.
    public var allowed: [MatrixPorts]
    /// Per source, as `Answer.sources`.
    public var sources: [SourceResult]
    /// How the pair was read (private DNS, no address to send to), as `Answer.notes`.
    public var notes: [String]
    /// Per source, every box that gets through; only when the matrix was asked to keep them
    /// (`keepOutcomes`), not part of the JSON output.
    public var outcomes: [SourceOutcome]? = nil

    enum CodingKeys: String, CodingKey { case from, to, status, reachable, partial, summary, allowed, sources, notes }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(status, forKey: .status)
        try c.encode(reachable, forKey: .reachable)
        try c.encode(partial, forKey: .partial)
        try c.encode(summary, forKey: .summary)
        try c.encode(allowed, forKey: .allowed)
        try c.encode(sources, forKey: .sources)
        try c.encode(notes, forKey: .notes)
    }
}

/// Every pair of sources (rows) and destinations (columns): `pairs` is row-major.
public struct ReachabilityMatrix: Sendable, Hashable, Encodable {
    public var sources: [String]
    public var destinations: [String]
    public var pairs: [MatrixPair]
    /// Flows the batched evaluator judged (client flows, then load balancer legs).
    public var flows: Int

    public subscript(row: Int, column: Int) -> MatrixPair { pairs[row * destinations.count + column] }

    /// Flows per batch: 512 Ki flows are ~22 MB while they are judged, and a progress report every
    /// tenth of a second or so.
    public static let defaultChunkSize = 1 << 19
}

/// Reported after every evaluated chunk: pairs whose flows are all judged, of how many, flows judged
/// so far, and the part of the work done (by flows: pairs differ by orders of magnitude, the internet's
/// most of all).
public struct MatrixProgress: Sendable {
    public var pairsDone: Int
    public var pairs: Int
    public var flows: Int
    /// 0…1: client flows judged of all the plan holds (load balancer legs are not known beforehand).
    public var fraction: Double
}

extension QueryEngine {
    /// Matrix rows (`asSource`) or columns from names as `vpcsim query` takes them; `nil` is the
    /// default set (`EndpointResolver.defaultSources` / `defaultDestinations`). Repeated names count once.
    public func matrixEndpoints(_ names: [String]?, asSource: Bool) throws(QueryError) -> [MatrixEndpoint] {
        let resolver = EndpointResolver(network: network)
        var endpoints: [MatrixEndpoint] = []
        if let names {
            for name in names {
                let resolved = try resolver.resolve(name, asSource: asSource)
                if asSource && planner.sources(resolved).isEmpty {
                    throw QueryError.noInterface(name)
                }
                endpoints.append(MatrixEndpoint(label: Self.label(resolved, given: name), endpoint: resolved))
            }
        } else {
            for resolved in asSource ? resolver.defaultSources : resolver.defaultDestinations {
                var given = "internet"
                if case .onPrem(let site, _) = resolved { given = network.onPremNetworks[Int(site)].name }
                endpoints.append(MatrixEndpoint(label: Self.label(resolved, given: given), endpoint: resolved))
            }
        }
        var seen: Set<String> = []
        return endpoints.filter { seen.insert($0.label).inserted }
    }

    /// The network's own spelling of a name (`fargate` → `Fargate`); addresses as given.
    static func label(_ endpoint: ResolvedEndpoint, given: String) -> String {
        switch endpoint {
        case .interfaces(_, let label), .addresses(_, let label): return label
        case .service(let name): return name
        case .internet(let only): return only == nil ? "internet" : EndpointResolver.trimmed(given)
        case .onPrem: return EndpointResolver.trimmed(given)
        }
    }

    /// Who reaches whom: every pair's flows, planned exactly as `answer` plans them, judged in batches
    /// of about `chunkSize` flows by the `BatchEvaluator` on `jobs` threads. `progress` is called on
    /// this thread after every batch.
    /// With `keepOutcomes`, every pair carries its `outcomes` (what `diff` compares).
    public func matrix(from sources: [MatrixEndpoint], to destinations: [MatrixEndpoint], jobs: Int? = nil,
                       chunkSize: Int = ReachabilityMatrix.defaultChunkSize, keepOutcomes: Bool = false,
                       progress: ((MatrixProgress) -> Void)? = nil) -> ReachabilityMatrix {
        var builder = MatrixBuilder(engine: self, jobs: jobs, chunkSize: chunkSize, pairCount: sources.count * destinations.count, progress: progress)
        builder.keepOutcomes = keepOutcomes
        if progress != nil {
            // A walk without flows (a few per cent of the work) so that progress is told by flows.
            var counter = FlowCounter()
            for source in sources {
                for destination in destinations { counter.count(from: source, to: destination, planner: planner) }
            }
            builder.plannedFlows = counter.flows
        }
        var plans: [MatrixBuilder.PairPlan] = []
        plans.reserveCapacity(sources.count * destinations.count)
        for source in sources {
            for destination in destinations { plans.append(builder.plan(from: source, to: destination)) }
        }
        builder.flush()
        return ReachabilityMatrix(sources: sources.map(\.label), destinations: destinations.map(\.label),
                                  pairs: plans.map { builder.result($0) }, flows: builder.flowsEvaluated)
    }
}

/// Builds a matrix: appends every flow of every pair to one batch, evaluates it when it holds
/// `chunkSize` flows (bounding memory: ~42 bytes a flow, buffer, columns and verdict), and folds the verdicts back
/// into what each source reaches. Chunks end between cells, never inside one (a cell's client-port
/// variants are judged together).
struct MatrixBuilder: PlanConsumer {
    let engine: QueryEngine
    let plane: DataPlane
    let planner: Planner
    var batch: BatchEvaluator
    let chunkSize: Int
    let pairCount: Int
    let progress: ((MatrixProgress) -> Void)?

    /// One source of one pair (an interface, or one internet address cell) and what it reaches:
    /// protocol → destination-port ranges (0...0 for protocols without ports).
    struct Unit {
        var source: PlannedSource
        var allowed: [UInt8: [ClosedRange<Int>]] = [:]
        /// Something the pair asks about is blocked from this source.
        var blocked = false
        /// Allowed boxes, kept when `keepOutcomes`.
        var boxes: [ReachBox] = []
    }

    /// Cells of one lane, one after another from `first`: `cells` cells of `perCell` client-port
    /// variants each. The unit gets the lane's ports when any one cell gets through on every variant.
    struct CellRun {
        var unit: Int
        var ipProtocol: UInt8
        var ports: ClosedRange<Int>
        var first: Int
        var cells: Int
        var perCell: Int
        /// The run's first cell in `cellStore` (cells follow one another there).
        var cellBase: Int
        /// `Delivery.code` the target must be delivered at (`Planner.judged`); nil: any receiver.
        var expected: UInt32?
    }

    struct PairPlan {
        var from: MatrixEndpoint
        var to: MatrixEndpoint
        var units: Range<Int>
        /// The internet source addresses the pair covers (nil when the row is not the internet).
        var internetAddresses: AddressSet?
        /// The on-premises source addresses, per network, the pair covers.
        var onPremAddresses: [String: AddressSet] = [:]
        var notes: [String]
    }

    var units: [Unit] = []
    /// The chunk being filled, and its copy for the evaluator.
    let buffer: FlowBuffer
    var flows = FlowColumns()
    var verdicts = VerdictColumns(count: 0)
    var runs: [CellRun] = []
    /// The address cells of the runs being filled.
    var cellStore: [AddressCell] = []
    var keepOutcomes = false
    var flowsEvaluated = 0
    /// Client flows judged, and all the plan holds (when progress is reported).
    var clientFlowsEvaluated = 0
    var plannedFlows = 0
    var pairsPlanned = 0
    /// The source whose work the plan is handing over.
    var current: PlannedSource?
    /// The lanes of `laneSource`, described for the loop (`describe`).
    var laneSource: PlannedSource?
    var laneRuns: [LaneRun] = []
    var clientPorts: [UInt16] = []

    init(engine: QueryEngine, jobs: Int?, chunkSize: Int, pairCount: Int, progress: ((MatrixProgress) -> Void)?) {
        self.engine = engine
        plane = engine.plane
        planner = engine.planner
        batch = BatchEvaluator(engine.plane, jobs: jobs)
        batch.recordsDelivery = true
        self.chunkSize = max(1, chunkSize)
        self.pairCount = pairCount
        self.progress = progress
        buffer = FlowBuffer(capacity: min(self.chunkSize, 1 << 22) + 1024)
    }

    // MARK: - Planning

    /// Appends the pair's flows (evaluating full chunks on the way) and notes which units are its.
    mutating func plan(from: MatrixEndpoint, to: MatrixEndpoint) -> PairPlan {
        defer { pairsPlanned += 1 }
        var plan = PairPlan(from: from, to: to, units: units.count..<units.count, internetAddresses: nil, notes: [])
        if case .internet = from.endpoint, case .internet = to.endpoint { return plan }
        let planner = self.planner
        let sources = planner.sources(from.endpoint)
        plan.internetAddresses = AnswerCollector.internetAddresses(of: sources)
        plan.onPremAddresses = AnswerCollector.onPremAddresses(of: sources, plane: plane)
        var notes: [String] = []
        current = nil
        planner.plan(sources, to: to.endpoint, named: to.label, query: Query(from: from.label, to: to.label), notes: &notes, into: &self)
        plan.units = plan.units.lowerBound..<units.count
        var seen: Set<String> = []
        plan.notes = notes.filter { seen.insert($0).inserted }
        return plan
    }

    /// The unit of `source` in the pair being planned: a source's work is contiguous in the plan, and
    /// its first piece registers it, as in an answer.
    mutating func unit(_ source: PlannedSource) -> Int {
        if source != current {
            units.append(Unit(source: source))
            current = source
        }
        return units.count - 1
    }

    mutating func recordUnaddressable(source: PlannedSource, target: PlannedTarget) {
        // Blocked, as the answer records it: nothing can be sent to this target.
        units[unit(source)].blocked = true
    }

    /// Appends every lane's flows to every cell, a run per lane; a full chunk is evaluated between
    /// two cells.
    mutating func evaluate(source: PlannedSource, target: PlannedTarget, lanes: [Lane], cells: [AddressCell]) {
        let unit = unit(source)
        if laneSource != source { describe(lanes, of: source) }
        assert(laneRuns.count == lanes.count, "a source's lanes are the same for every target")
        // Locals, so that the loops below hold nothing: lanes as plain values, client ports as a pointer.
        let buffer = self.buffer, planner = self.planner, chunkSize = self.chunkSize
        let laneRuns = self.laneRuns, clientPorts = self.clientPorts, noPorts: [UInt16] = [0]
        var cellBase = cellStore.count
        cellStore.append(contentsOf: cells)
        clientPorts.withUnsafeBufferPointer { clientPorts in noPorts.withUnsafeBufferPointer { noPorts in
            laneRuns.withUnsafeBufferPointer { laneRuns in
                for lane in laneRuns {
                    let ports = lane.hasPorts ? clientPorts : noPorts
                    var run = CellRun(unit: unit, ipProtocol: lane.ipProtocol, ports: lane.ports, first: buffer.count, cells: 0, perCell: ports.count,
                                      cellBase: cellBase, expected: target.expected)
                    for (k, cell) in cells.enumerated() {
                        if buffer.count + ports.count > chunkSize && buffer.count > 0 {
                            if run.cells > 0 { runs.append(run) }
                            flush()
                            // The flush emptied the cell store: this target's cells go back in, for this
                            // lane's rest and the lanes after it.
                            cellBase = cellStore.count
                            cellStore.append(contentsOf: cells)
                            run.first = buffer.count
                            run.cells = 0
                            run.cellBase = cellBase + k
                        }
                        buffer.reserve(ports.count)
                        for port in ports {
                            buffer.append(planner.flow(source: source, destination: cell.representative, ipProtocol: lane.ipProtocol,
                                                       port: lane.portLower, sourcePort: port))
                        }
                        run.cells += 1
                    }
                    if run.cells > 0 { runs.append(run) }
                }
            }
        } }
    }

    /// A lane without references: what the loop needs of it.
    struct LaneRun {
        var ipProtocol: UInt8
        var portLower: UInt16
        /// Destination ports the lane stands for (0...0 without ports).
        var ports: ClosedRange<Int>
        /// Client ports are the source's cuts (`clientPorts`), else only 0.
        var hasPorts: Bool
    }

    /// `laneRuns` and `clientPorts` for a source's lanes: the Planner gives every target of a source
    /// the same lanes (they depend on the source only), so they are described once per source.
    mutating func describe(_ lanes: [Lane], of source: PlannedSource) {
        laneSource = source
        clientPorts = lanes.first { $0.ipProtocol == 6 || $0.ipProtocol == 17 }?.sourcePorts ?? []
        laneRuns = lanes.map { lane in
            let hasPorts = lane.ipProtocol == 6 || lane.ipProtocol == 17
            assert(lane.sourcePorts == (hasPorts ? clientPorts : [0]), "client ports: the source's cuts with ports, else 0")
            return LaneRun(ipProtocol: lane.ipProtocol, portLower: lane.portLower,
                           ports: hasPorts ? Int(lane.portLower)...Int(lane.portUpper) : 0...0, hasPorts: hasPorts)
        }
    }

    /// A path through a load balancer, judged by the one composition (`Planner.composeThroughLoadBalancer`)
    /// on the spot: its legs depend on each client flow's verdict, and such paths are few.
    mutating func evaluate(source: PlannedSource, proxy: ProxyPath) {
        let unit = unit(source)
        let evaluator = batch.evaluator
        let outcome = planner.composeThroughLoadBalancer(source: source, proxy: proxy) { (evaluator.evaluate($0), ()) }
        flowsEvaluated += outcome.flows
        let lane = planner.clientLane(proxy)
        guard outcome.reachable else { units[unit].blocked = true; return }
        units[unit].allowed[lane.ipProtocol, default: []].append(Int(lane.portLower)...Int(lane.portUpper))
        if keepOutcomes {
            units[unit].boxes.append(ReachBox(ipProtocol: planner.trafficProtocol(lane.ipProtocol), via: listenerRef(proxy),
                                              ports: lane.portLower...lane.portUpper, destinations: proxy.clientAddress...proxy.clientAddress))
        }
    }

    func listenerRef(_ proxy: ProxyPath) -> ListenerRef { engine.listenerRef(proxy) }

    // MARK: - Evaluating and folding

    /// Evaluates the flows gathered so far and folds their verdicts into the units: a cell is allowed
    /// only when every client-port variant of it is (docs/semantics.md §10); a load balancer path
    /// when every client flow is and then every leg to the target.
    mutating func flush() {
        guard buffer.count > 0 else { return }
        buffer.copy(into: &flows)
        buffer.removeAll()
        batch.evaluate(flows, into: &verdicts)
        flowsEvaluated += flows.count
        clientFlowsEvaluated += flows.count
        for run in runs { fold(run) }
        runs.removeAll(keepingCapacity: true)
        cellStore.removeAll(keepingCapacity: true)
        progress?(MatrixProgress(pairsDone: pairsPlanned, pairs: pairCount, flows: flowsEvaluated,
                                 fraction: plannedFlows == 0 ? 1 : min(1, Double(clientFlowsEvaluated) / Double(plannedFlows))))
    }

    /// A run's cells into its unit: the lane's ports are allowed when any cell gets through on every
    /// client-port variant; with `keepOutcomes`, one box per stretch of adjacent allowed cells.
    mutating func fold(_ run: CellRun) {
        var any = false, all = true
        var open: (lower: UInt32, upper: UInt32)?
        let keep = keepOutcomes
        let ipProtocol = planner.trafficProtocol(run.ipProtocol)
        let ports = UInt16(run.ports.lowerBound)...UInt16(run.ports.upperBound)
        var boxes: [ReachBox] = []
        let expected = run.expected
        verdicts.reachable.withUnsafeBufferPointer { r in verdicts.delivered.withUnsafeBufferPointer { delivered in
            var start = run.first
            for k in 0..<run.cells {
                // Reached: every client-port variant got through, to what the target is (Planner.judged).
                var reached = !r[start..<(start + run.perCell)].contains(0)
                if reached, let expected { reached = !delivered[start..<(start + run.perCell)].contains { $0 != expected } }
                start += run.perCell
                any = any || reached
                all = all && reached
                guard keep else { continue }
                let cell = cellStore[run.cellBase + k]
                if reached {
                    if let o = open, o.upper &+ 1 == cell.lower, o.upper != .max { open = (o.lower, cell.upper) }
                    else {
                        if let o = open { boxes.append(ReachBox(ipProtocol: ipProtocol, via: nil, ports: ports, destinations: o.lower...o.upper)) }
                        open = (cell.lower, cell.upper)
                    }
                } else if let o = open {
                    boxes.append(ReachBox(ipProtocol: ipProtocol, via: nil, ports: ports, destinations: o.lower...o.upper))
                    open = nil
                }
            }
        } }
        if let o = open { boxes.append(ReachBox(ipProtocol: ipProtocol, via: nil, ports: ports, destinations: o.lower...o.upper)) }
        if any { units[run.unit].allowed[run.ipProtocol, default: []].append(run.ports) }
        if !all { units[run.unit].blocked = true }
        // A lane that continues the previous one's single box (the next ports, the same addresses) extends it.
        if boxes.count == 1, let next = boxes.first, let last = units[run.unit].boxes.last, last.ipProtocol == next.ipProtocol,
           last.via == nil, last.destinations == next.destinations, last.ports.upperBound < .max, last.ports.upperBound + 1 == next.ports.lowerBound {
            units[run.unit].boxes[units[run.unit].boxes.count - 1].ports = last.ports.lowerBound...next.ports.upperBound
        } else if !boxes.isEmpty {
            units[run.unit].boxes += boxes
        }
    }

    func allReachable(_ verdicts: VerdictColumns, _ first: Int, _ count: Int) -> Bool {
        verdicts.reachable.withUnsafeBufferPointer { r in
            for i in first..<(first + count) where r[i] == 0 { return false }
            return true
        }
    }

    // MARK: - Results

    /// The pair's answer, decided by the code that decides `Answer.reachable` / `partial` / `sources`.
    func result(_ plan: PairPlan) -> MatrixPair {
        let units = self.units[plan.units]
        var pair = MatrixPair(from: plan.from.label, to: plan.to.label, status: .notApplicable, reachable: false, partial: false,
                              summary: "-", allowed: [], sources: [], notes: plan.notes)
        guard !units.isEmpty else { return pair }
        var reach: [String: SourceReach] = [:]
        for (order, unit) in units.enumerated() {
            let key = SourceReach.key(unit.source, plane: plane)
            var entry = reach[key] ?? SourceReach(unit.source, plane: plane, order: order)
            for (p, ranges) in unit.allowed {
                for range in ranges { entry.reach(p, range, from: unit.source) }
            }
            entry.blocked = entry.blocked || unit.blocked
            reach[key] = entry
        }
        let decided = SourceReach.results(reach, internetAddresses: plan.internetAddresses, onPremAddresses: plan.onPremAddresses,
                                          planner: planner)
        pair.sources = decided.sources
        pair.status = MatrixStatus(decided.status)
        pair.reachable = decided.status == .yes
        pair.partial = decided.status == .partly
        if keepOutcomes {
            pair.outcomes = units.map { unit in
                var cell: ClosedRange<UInt32>?
                switch unit.source {
                case .internet(let c), .onPrem(_, let c): cell = c.lower...c.upper
                case .interface: break
                }
                return SourceOutcome(source: SourceReach.key(unit.source, plane: plane), internetAddresses: cell, allowed: unit.boxes)
            }
        }
        (pair.allowed, pair.summary) = allowed(units)
        return pair
    }

    /// The union over the pair's sources, per protocol in the Planner's order, each merged range split
    /// where it stops being reached from every source; `all` when every protocol gets through whole.
    /// With it the summary: `tcp/80,443 udp/53 icmp`, the union per protocol (`echo` and `-` need no ports).
    func allowed(_ units: ArraySlice<Unit>) -> (entries: [MatrixPorts], summary: String) {
        let protocols: [UInt8] = [6, 17, 1] + planner.otherProtocols
        var entries: [MatrixPorts] = []
        var summary: [String] = []
        var whole = true, everyWhole = true, anyEvery = false
        for p in protocols {
            let sets = units.map { AnswerCollector.merge($0.allowed[p] ?? []) }
            let union = AnswerCollector.merge(sets.flatMap { $0 })
            let every = sets.dropFirst().reduce(sets.first ?? []) { Self.intersect($0, $1) }
            let full = p == 6 || p == 17 ? [0...65535] : [0...0]
            whole = whole && union == full
            everyWhole = everyWhole && every == full
            anyEvery = anyEvery || !every.isEmpty
            for piece in Self.split(union, by: every) {
                entries.append(MatrixPorts(protocol: planner.protocolLabel(p), ports: AnswerCollector.portText(p, [piece.range]),
                                           everySource: piece.every))
            }
            if !union.isEmpty {
                let ports = AnswerCollector.portText(p, union)
                summary.append(ports == "-" || ports == "echo" ? planner.protocolLabel(p)
                               : "\(planner.protocolLabel(p))/\(ports.split(separator: ", ").joined(separator: ","))")
            }
        }
        if whole && (everyWhole || !anyEvery) { return ([MatrixPorts(protocol: "all", ports: "all", everySource: everyWhole)], "all") }
        return (entries, summary.isEmpty ? "nothing" : summary.joined(separator: " "))
    }

    /// Sorted, merged range lists → their intersection.
    static func intersect(_ a: [ClosedRange<Int>], _ b: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        IntervalMath.intersect(a.map { (UInt64($0.lowerBound), UInt64($0.upperBound)) }, b.map { (UInt64($0.lowerBound), UInt64($0.upperBound)) })
            .map { Int($0.0)...Int($0.1) }
    }

    /// Each range of `union` cut into the pieces inside `every` (a subset) and the pieces outside.
    static func split(_ union: [ClosedRange<Int>], by every: [ClosedRange<Int>]) -> [(range: ClosedRange<Int>, every: Bool)] {
        var pieces: [(range: ClosedRange<Int>, every: Bool)] = []
        for range in union {
            var start = range.lowerBound
            for e in every where e.overlaps(range) {
                if e.lowerBound > start { pieces.append((start...(e.lowerBound - 1), false)) }
                let high = min(e.upperBound, range.upperBound)
                pieces.append((max(e.lowerBound, start)...high, true))
                start = high + 1
            }
            if start <= range.upperBound { pieces.append((start...range.upperBound, false)) }
        }
        return pieces
    }

}

/// Counts the client flows the matrix will judge: the same plan walk, appending nothing.
struct FlowCounter: PlanConsumer {
    var flows = 0
    /// Client flows per cell for `source`'s lanes (the same for every target of a source).
    var source: PlannedSource?
    var perCell = 0

    mutating func count(from: MatrixEndpoint, to: MatrixEndpoint, planner: Planner) {
        if case .internet = from.endpoint, case .internet = to.endpoint { return }
        var notes: [String] = []
        planner.plan(planner.sources(from.endpoint), to: to.endpoint, named: to.label, query: Query(from: from.label, to: to.label),
                     notes: &notes, into: &self)
    }

    mutating func recordUnaddressable(source: PlannedSource, target: PlannedTarget) {}

    mutating func evaluate(source: PlannedSource, target: PlannedTarget, lanes: [Lane], cells: [AddressCell]) {
        if source != self.source {
            self.source = source
            perCell = lanes.reduce(0) { $0 + $1.sourcePorts.count }
        }
        flows += perCell * cells.count
    }

    /// Paths through load balancers are judged on the spot, outside the batches progress counts.
    mutating func evaluate(source: PlannedSource, proxy: ProxyPath) {}
}
