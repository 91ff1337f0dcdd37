import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Evaluates many flows at once with the one `Evaluator` (no recorder): the path behind complete
/// answers, the reachability matrix and replays.
///
/// - Flows are grouped by source (a counting sort into a permutation), so one source's interface,
///   subnet, route table and security groups stay in cache while its flows are walked — when
///   sources have enough flows each for that to pay (`groupingThreshold`): the grouped order reads
///   the flow columns and writes the verdicts at random, which costs more than it saves when most
///   sources send only a few flows.
/// - On a large network flows go 16 at a time: the first hop's lookups — the destination's owner in
///   the source's VPC (a hash probe into every private address of the network) and the route in the
///   source's table — advance in lock step for all 16 (`DataPlane.owners`,
///   `RouteTrieSet.lookupInterleaved`), and so does a prefetch of the receiving interface, subnet,
///   ACL and security group; their cache misses overlap. Each walk then continues alone with those
///   answers (`FirstHop`).
/// - The batch (grouped or in input order) is cut into chunks of 4096 flows dealt round-robin to `jobs` threads; each
///   writes only its own flows' verdicts, so no locks are taken.
/// - Nothing is allocated per flow: the permutation and counts live in buffers this value keeps
///   between calls, and the walk itself is allocation-free (`Walk` keeps its state inline).
public struct BatchEvaluator: Sendable {
    public let evaluator: Evaluator
    /// Threads to use; 1 evaluates on the calling thread.
    public var jobs: Int
    /// Whether the first hop's lookups and the prefetch stage run in lock step ahead of the walks
    /// (true), or each walk does its own lookups (false: the same verdicts). The default turns it on
    /// for networks whose interfaces outgrow the caches (more than `lockStepThreshold`), where it hides
    /// memory latency; on a small network everything is in L1/L2 and the extra stage only costs.
    public var lockStep: Bool
    public static let lockStepThreshold = 4096

    private var order: [UInt32] = []
    private var bucketStarts: [Int] = []

    /// Flows are grouped by source when the batch has at least this many flows per distinct
    /// source, on average. Measured with 1M random flows: on seed 000 (a handful of sources,
    /// ~100k flows each) grouping is 8-12% faster than input order; on the 100k-interface network
    /// (~11 per source) 2-47% slower, in every run (Benchmarks: eval-seed000-1core vs -ungrouped,
    /// eval-100k-1core vs -grouped).
    public static let defaultGroupingThreshold = 16
    /// `defaultGroupingThreshold` unless set: 0 always groups, `Int.max` never does. The verdicts
    /// are the same either way; only the speed differs.
    public var groupingThreshold = BatchEvaluator.defaultGroupingThreshold
    /// Whether `VerdictColumns.delivered` is filled (where each flow was delivered, for the matrix's
    /// "delivered to its target" rule). Off by default: the column costs a fifth of the walk's speed
    /// when every flow must materialise its delivery place.
    public var recordsDelivery = false
    /// Whether the last batch was walked grouped by source (else in input order).
    public private(set) var lastBatchWasGrouped = false

    /// `jobs` defaults to every active core.
    public init(_ plane: DataPlane, jobs: Int? = nil) {
        self.evaluator = Evaluator(plane)
        self.jobs = max(1, jobs ?? BatchEvaluator.activeCores)
        self.lockStep = plane.interfaces.count > Self.lockStepThreshold
    }

    /// Cores the process may use (sched affinity aside): the `--jobs` default.
    public static var activeCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// Verdict `i` answers flow `i`. `verdicts` is resized when its count differs.
    public mutating func evaluate(_ flows: FlowColumns, into verdicts: inout VerdictColumns) {
        let n = flows.count
        verdicts.resize(to: n, delivery: recordsDelivery)
        guard n > 0 else { lastBatchWasGrouped = false; return }
        groupBySource(flows)
        let evaluator = self.evaluator
        let lockStep = self.lockStep
        let recordsDelivery = self.recordsDelivery
        let jobs = min(self.jobs, max(1, n / Self.chunkSize))
        order.withUnsafeBufferPointer { orderBuffer in
            let order = WalkOrder(indices: orderBuffer)
            withColumnPointers(flows) { input in
                withVerdictPointers(&verdicts) { output in
                    if jobs == 1 {
                        if recordsDelivery {
                            Self.evaluate(evaluator, input, output, order: order, from: 0, to: n, lockStep: lockStep, delivery: RecordDelivery.self)
                        } else {
                            Self.evaluate(evaluator, input, output, order: order, from: 0, to: n, lockStep: lockStep, delivery: SkipDelivery.self)
                        }
                    } else {
                        // Chunks dealt round-robin: a source's flows cost what its rules make them cost
                        // (a closed security group drops at once), so equal halves of the sorted batch
                        // would not be equal work; interleaved small chunks are, statistically.
                        let chunk = Self.chunkSize
                        DispatchQueue.concurrentPerform(iterations: jobs) { job in
                            var start = job * chunk
                            while start < n {
                                if recordsDelivery {
                                    Self.evaluate(evaluator, input, output, order: order, from: start, to: min(n, start + chunk), lockStep: lockStep,
                                                  delivery: RecordDelivery.self)
                                } else {
                                    Self.evaluate(evaluator, input, output, order: order, from: start, to: min(n, start + chunk), lockStep: lockStep,
                                                  delivery: SkipDelivery.self)
                                }
                                start += jobs * chunk
                            }
                        }
                    }
                }
            }
        }
    }

    /// The verdicts of `flows` in a new buffer.
    public mutating func evaluate(_ flows: FlowColumns) -> VerdictColumns {
        var verdicts = VerdictColumns(count: flows.count)
        evaluate(flows, into: &verdicts)
        return verdicts
    }

    // MARK: - Grouping

    /// Fills `order` with flow indices sorted by source (stable), internet flows and out-of-range
    /// sources in one last bucket; or in input order when sources average fewer than
    /// `groupingThreshold` flows each (`lastBatchWasGrouped` says which).
    private mutating func groupBySource(_ flows: FlowColumns) {
        let buckets = evaluator.plane.interfaces.count + 1
        let last = UInt32(truncatingIfNeeded: buckets - 1)
        if bucketStarts.count != buckets + 1 { bucketStarts = [Int](repeating: 0, count: buckets + 1) }
        if order.count != flows.count { order = [UInt32](repeating: 0, count: flows.count) }
        bucketStarts.withUnsafeMutableBufferPointer { starts in
            for i in starts.indices { starts[i] = 0 }
            flows.sources.withUnsafeBufferPointer { sources in
                for s in sources { starts[Int(min(s, last)) &+ 1] &+= 1 }
                var activeSources = 0
                for b in 1..<starts.count where starts[b] != 0 { activeSources &+= 1 }
                // An overflowing product (a threshold of Int.max) means "never", not a trap.
                let (needed, overflow) = max(0, groupingThreshold).multipliedReportingOverflow(by: activeSources)
                lastBatchWasGrouped = !overflow && sources.count >= needed
                if !lastBatchWasGrouped {
                    order.withUnsafeMutableBufferPointer { order in
                        for i in order.indices { order[i] = UInt32(truncatingIfNeeded: i) }
                    }
                    return
                }
                for b in 1..<starts.count { starts[b] &+= starts[b &- 1] }
                order.withUnsafeMutableBufferPointer { order in
                    for (i, s) in sources.enumerated() {
                        let b = Int(min(s, last))
                        order[starts[b]] = UInt32(truncatingIfNeeded: i)
                        starts[b] &+= 1
                    }
                }
            }
        }
    }

    // MARK: - The loop

    /// The batch's flow indices in walking order (grouped by source or not), shared read-only by the jobs.
    struct WalkOrder: @unchecked Sendable {
        let indices: UnsafeBufferPointer<UInt32>
    }

    struct Input: @unchecked Sendable {
        let sources, externalSources, destinations: UnsafePointer<UInt32>
        let protocols: UnsafePointer<UInt8>
        let sourcePorts, destinationPorts: UnsafePointer<UInt16>
    }

    struct Output: @unchecked Sendable {
        let reachable, reasons, dropKinds, directions: UnsafeMutablePointer<UInt8>
        let dropEntities: UnsafeMutablePointer<UInt32>
        let delivered: UnsafeMutablePointer<UInt32>
    }

    /// Flows whose first-hop lookups are done together.
    static let lanes = 16

    /// Evaluates the flows `order[from..<to]`; one thread's share. Flows go `lanes` at a time: the
    /// first hop's lookups (owner of the destination in the source's VPC, route in the source's
    /// table) for all lanes in lock step, then each lane's walk with those results.
    static func evaluate<D: DeliveryColumn>(_ evaluator: Evaluator, _ input: Input, _ output: Output, order: WalkOrder,
                                            from: Int, to: Int, lockStep: Bool, delivery: D.Type) {
        let plane = evaluator.plane
        let tries = plane.routeLookup.tries
        let interfaceCount = plane.interfaces.count
        var recorder = NoRecorder()
        let g = lanes
        // Per lane: its flow and flow index, a 64-bit key, an Int slot and five 32-bit words
        // (owner, table, destination, route, source).
        withUnsafeTemporaryAllocation(of: Flow.self, capacity: g) { laneFlowBuffer in
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 6 * g) { scratch in
            guard let base = scratch.baseAddress, let laneFlows = laneFlowBuffer.baseAddress else { return }
            let laneIndices = UnsafeMutableRawPointer(base + 5 * g).bindMemory(to: Int.self, capacity: g)
            let keys = base
            let slots = UnsafeMutableRawPointer(base + g).bindMemory(to: Int.self, capacity: g)
            let words = UnsafeMutableRawPointer(base + 2 * g).bindMemory(to: UInt32.self, capacity: 6 * g)
            let owners = words, tables = words + g, addresses = words + 2 * g, routes = words + 3 * g
            let sourceAddresses = words + 4 * g
            var warm: UInt32 = 0
            var k = from
            while k < to {
                let c = min(g, to &- k)
                var prepared: UInt32 = 0   // bit l: lane l has its lookups
                // The lanes' columns first, in one loop: in grouped order these reads are random, and
                // here their misses overlap (read inside each walk, they came one walk at a time: a
                // quarter of the time on the 100k network).
                for l in 0..<c {
                    let i = Int(order.indices[k &+ l])
                    laneIndices[l] = i
                    (laneFlows + l).initialize(to: FlowColumns.flow(source: input.sources[i], externalSource: input.externalSources[i],
                                                    destination: input.destinations[i], ipProtocol: input.protocols[i],
                                                    sourcePort: input.sourcePorts[i], destinationPort: input.destinationPorts[i]))
                }
                if lockStep {
                    // The sources' interfaces, then their subnets: one level per loop across the
                    // lanes, so each level's misses are in flight together (one loop per lane
                    // chained them).
                    for l in 0..<c {
                        let source = laneFlows[l].source
                        addresses[l] = laneFlows[l].destination
                        tables[l] = noIndex  // the lane's subnet until the next loop
                        sourceAddresses[l] = 0
                        keys[l] = 0
                        guard Int(source) < interfaceCount else { continue }
                        let eni = plane.interfaces[Int(source)]
                        tables[l] = eni.subnet
                        sourceAddresses[l] = eni.primaryIP
                    }
                    for l in 0..<c {
                        let subnetIndex = tables[l]
                        tables[l] = 0
                        guard subnetIndex != noIndex else { continue }
                        let subnet = plane.subnets[Int(subnetIndex)]
                        guard subnet.routeTable != noIndex else { continue }
                        tables[l] = subnet.routeTable
                        keys[l] = UInt64(subnet.vpc) << 32 | UInt64(addresses[l])
                        prepared |= 1 << UInt32(l)
                    }
                    if prepared != 0 {
                        plane.owners(keys: keys, count: c, into: owners, slots: slots)
                        tries.lookupInterleaved(tables: UnsafeBufferPointer(start: tables, count: c),
                                                addresses: UnsafeBufferPointer(start: addresses, count: c),
                                                into: UnsafeMutableBufferPointer(start: routes, count: c))
                    }
                    warm &+= Self.prefetch(plane, lanes: c, destinations: addresses, sources: sourceAddresses)
                }
                for l in 0..<c {
                    let i = laneIndices[l]
                    let hint = prepared & (1 << UInt32(l)) != 0 ? FirstHop(localOwner: owners[l], route: routes[l]) : nil
                    let verdict = evaluator.evaluate(laneFlows[l], firstHop: hint, recorder: &recorder)
                    output.reachable[i] = verdict.reachable ? 1 : 0
                    output.reasons[i] = verdict.reason?.rawValue ?? VerdictColumns.none
                    output.dropKinds[i] = verdict.dropKind?.rawValue ?? VerdictColumns.none
                    output.dropEntities[i] = verdict.dropEntity
                    output.directions[i] = verdict.direction?.rawValue ?? VerdictColumns.none
                    if D.enabled { output.delivered[i] = verdict.delivered.code }
                }
                k &+= c
            }
            Self.keep(warm)
        }
        }
    }

    /// Warms the caches the lanes' walks will most likely need after the first hop: the receiving
    /// interface, its entry in the owner table (and the client's, for the response), its VPC's CIDRs,
    /// its subnet, network ACL entries, route table, its first security group and rules. Plain loads, level by
    /// level across all lanes, so the misses of one level overlap (the walks themselves would take
    /// them one after another). Touches data only; decides nothing.
    @inline(__always)
    static func prefetch(_ plane: DataPlane, lanes: Int, destinations: UnsafePointer<UInt32>,
                         sources: UnsafePointer<UInt32>) -> UInt32 {
        var sum: UInt32 = 0
        var receivers = SIMD16<UInt32>(repeating: noIndex)
        for l in 0..<lanes { receivers[l] = plane.likelyOwner(of: destinations[l]) }
        var subnets = SIMD16<UInt32>(repeating: noIndex), groups = SIMD16<UInt32>(repeating: noIndex)
        var vpcs = SIMD16<UInt32>(repeating: noIndex)
        for l in 0..<lanes where receivers[l] != noIndex {
            let eni = plane.interfaces[Int(receivers[l])]
            subnets[l] = eni.subnet
            vpcs[l] = eni.vpc
            if !eni.groups.isEmpty { groups[l] = plane.interfaceGroups[Int(eni.groups.lower)] }
        }
        var acls = SIMD16<UInt32>(repeating: noIndex), tables = SIMD16<UInt32>(repeating: noIndex)
        for l in 0..<lanes {
            if vpcs[l] != noIndex {
                let key = UInt64(vpcs[l]) << 32 | UInt64(destinations[l])
                sum &+= UInt32(truncatingIfNeeded: plane.ownerSlotKeys[DataPlane.ownerSlot(key, bits: plane.ownerSlotBits)])
                // The response's same-subnet check looks the client's address up in the server's VPC.
                let back = UInt64(vpcs[l]) << 32 | UInt64(sources[l])
                sum &+= UInt32(truncatingIfNeeded: plane.ownerSlotKeys[DataPlane.ownerSlot(back, bits: plane.ownerSlotBits)])
                let cidrs = plane.vpcs[Int(vpcs[l])].cidrs
                if !cidrs.isEmpty { sum &+= plane.vpcCIDRs[Int(cidrs.lower)].mask }
            }
            if subnets[l] != noIndex {
                let subnet = plane.subnets[Int(subnets[l])]
                acls[l] = subnet.networkACL
                tables[l] = subnet.routeTable
            }
            if groups[l] != noIndex {
                let rules = plane.securityGroups[Int(groups[l])].ingress
                // Every cache line of the first group's ingress rules (two rules per line or so).
                var r = Int(rules.lower)
                while r < Int(rules.upper) { sum &+= plane.securityGroupRules[r].modelIndex; r &+= 2 }
            }
        }
        for l in 0..<lanes {
            if acls[l] != noIndex {
                let entries = plane.networkACLs[Int(acls[l])]
                if !entries.ingress.isEmpty { sum &+= plane.aclEntries[Int(entries.ingress.lower)].modelIndex }
                if !entries.egress.isEmpty { sum &+= plane.aclEntries[Int(entries.egress.lower)].modelIndex }
            }
            if tables[l] != noIndex { sum &+= plane.routeTables[Int(tables[l])].routes.lower }
        }
        return sum
    }

    /// Consumes the prefetch stage's sum where the optimiser cannot see it unused, so the loads that
    /// produced it stay (an unused load would be deleted). The same device as package-benchmark's `blackHole`.
    @inline(never) @_optimize(none)
    static func keep(_ value: UInt32) {}

    /// Flows per chunk handed to a job: large enough that a chunk's sources stay grouped, small
    /// enough that the jobs' shares even out.
    static let chunkSize = 4096
}

private func withColumnPointers<T>(_ flows: FlowColumns, _ body: (BatchEvaluator.Input) -> T) -> T {
    flows.sources.withUnsafeBufferPointer { s in
        flows.externalSources.withUnsafeBufferPointer { e in
            flows.destinations.withUnsafeBufferPointer { d in
                flows.protocols.withUnsafeBufferPointer { p in
                    flows.sourcePorts.withUnsafeBufferPointer { sp in
                        flows.destinationPorts.withUnsafeBufferPointer { dp in
                            // Every column has `count` elements; a column shorter than `sources` is a caller bug.
                            precondition(e.count == s.count && d.count == s.count && p.count == s.count && sp.count == s.count
                                         && dp.count == s.count, "FlowColumns: columns of different lengths")
                            guard let s0 = s.baseAddress, let e0 = e.baseAddress, let d0 = d.baseAddress, let p0 = p.baseAddress,
                                  let sp0 = sp.baseAddress, let dp0 = dp.baseAddress else {
                                preconditionFailure("FlowColumns: empty columns reached the loop")
                            }
                            return body(BatchEvaluator.Input(sources: s0, externalSources: e0, destinations: d0, protocols: p0,
                                                             sourcePorts: sp0, destinationPorts: dp0))
                        }
                    }
                }
            }
        }
    }
}

/// Whether a batch fills `VerdictColumns.delivered`, as a type: the loop without it is specialised
/// without the delivery code at all (materialising every flow's delivery place slows the walk).
protocol DeliveryColumn { static var enabled: Bool { get } }
enum RecordDelivery: DeliveryColumn { static var enabled: Bool { true } }
enum SkipDelivery: DeliveryColumn { static var enabled: Bool { false } }

private func withVerdictPointers<T>(_ verdicts: inout VerdictColumns, _ body: (BatchEvaluator.Output) -> T) -> T {
    verdicts.reachable.withUnsafeMutableBufferPointer { r in
        verdicts.reasons.withUnsafeMutableBufferPointer { re in
            verdicts.dropKinds.withUnsafeMutableBufferPointer { k in
                verdicts.directions.withUnsafeMutableBufferPointer { d in
                    verdicts.dropEntities.withUnsafeMutableBufferPointer { e in verdicts.delivered.withUnsafeMutableBufferPointer { w in
                        guard let r0 = r.baseAddress, let re0 = re.baseAddress, let k0 = k.baseAddress, let d0 = d.baseAddress,
                              let e0 = e.baseAddress else {
                            preconditionFailure("VerdictColumns: empty columns reached the loop")
                        }
                        // Without a delivery column (not asked for) the loop never writes through this pointer.
                        let unused = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
                        defer { unused.deallocate() }
                        return body(BatchEvaluator.Output(reachable: r0, reasons: re0, dropKinds: k0, directions: d0, dropEntities: e0,
                                                          delivered: w.baseAddress ?? unused))
                    } }
                }
            }
        }
    }
}
