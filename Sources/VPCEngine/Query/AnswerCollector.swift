import VPCModel

/// Keeps only what decides a blocked cell's explanation: the last ACL entry and SG check seen.
/// Cheap (no allocation), so every cell can be grouped by the exact rule that stopped it.
struct DecidingRuleRecorder: EvaluationRecorder {
    static var isRecording: Bool { true }
    var lastACL: UInt32 = noIndex
    var lastSG: UInt32 = noIndex
    var lastRoute: UInt32 = noIndex

    mutating func record(_ event: TraceEvent) {
        switch event {
        case .networkACL(_, _, _, let entry, _, _): lastACL = entry
        case .source(let i, _, _), .arrive(let i, _, _), .appliance(let i, _, _, _): lastSG = i
        case .route(_, _, let route, _): lastRoute = route
        default: break
        }
    }
}

/// Collects cell outcomes and merges them into an `Answer`: neighbouring ports with equal outcome
/// become ranges, address cells with equal port sets become destination lists.
struct AnswerCollector: PlanConsumer {
    let engine: QueryEngine
    let query: Query
    var plane: DataPlane { engine.plane }

    /// Allowed: (source, target, protocol, path) → address cell → port ranges.
    struct AllowedKey: Hashable { var source: String; var target: String; var ipProtocol: UInt8; var path: [String]; var via: String? }
    struct AllowedInfo { var hops: [Hop]; var translated: String?; var cells: [AddressCell: [ClosedRange<Int>]] = [:]; var order: Int; var representative: RepresentativeFlow }
    /// Blocked: (protocol, reason, place, rule) per (source, target) → address cell → port ranges.
    struct BlockedKey: Hashable {
        var ipProtocol: UInt8; var reason: Reason; var kind: HopKind; var entity: UInt32; var direction: Direction
        var acl: UInt32; var sg: UInt32; var route: UInt32; var via: String?
        var source: String; var target: String
    }
    struct BlockedInfo { var flow: Flow; var legOf: ProxyPath?; var cells: [AddressCell: [ClosedRange<Int>]] = [:]; var order: Int; var representative: RepresentativeFlow }

    var allowed: [AllowedKey: AllowedInfo] = [:]
    var blocked: [BlockedKey: BlockedInfo] = [:]
    var pathCache: [PathCacheKey: ([Hop], String?, [String])] = [:]
    struct PathCacheKey: Hashable { var source: String; var address: UInt32; var ipProtocol: UInt8; var via: String? }
    /// source name → what it reaches
    var sourceReach: [String: SourceReach] = [:]
    var counter = 0
    var targetCellCounts: [String: Int] = [:]
    var unaddressable: [(Int, BlockedClass)] = []
    var protocolsEvaluated: Set<UInt8> = []

    init(engine: QueryEngine, query: Query) { self.engine = engine; self.query = query }

    static var familiarAddress: UInt32 { AddressCell.familiarAddress }

    // MARK: - Evaluation

    mutating func evaluate(source: PlannedSource, target: PlannedTarget, lanes: [Lane], cells: [AddressCell]) {
        for lane in lanes {
            for cell in cells { evaluate(source: source, target: target, address: cell, lane: lane) }
        }
    }

    mutating func evaluate(source: PlannedSource, target: PlannedTarget, address: AddressCell, lane: Lane) {
        let planner = engine.planner
        targetCellCounts[target.label] = target.addressCells.count
        var outcome: (Verdict, Flow, DecidingRuleRecorder)?
        for sourcePort in lane.sourcePorts {
            let flow = planner.flow(source: source, to: address, lane: lane, sourcePort: sourcePort)
            var recorder = DecidingRuleRecorder()
            let verdict = engine.evaluator.evaluate(flow, recorder: &recorder)
            if outcome == nil || !verdict.reachable { outcome = (verdict, flow, recorder) }
            if !verdict.reachable { break }
        }
        guard let (verdict, flow, recorder) = outcome else { return }
        record(source: source, target: target.label, address: address, lane: lane, verdict: verdict, flow: flow, recorder: recorder,
               via: nil, proxy: nil, representative: RepresentativeFlow(flow: flow))
    }

    mutating func evaluate(source: PlannedSource, proxy: ProxyPath) {
        let planner = engine.planner
        let via = describeVia(proxy)
        let cell = AddressCell(lower: proxy.clientAddress, upper: proxy.clientAddress)
        let lane = planner.clientLane(proxy)
        for sourcePort in proxy.sourcePorts {
            let client = planner.flow(source: source, to: cell, lane: lane, sourcePort: sourcePort)
            var recorder = DecidingRuleRecorder()
            let verdict = engine.evaluator.evaluate(client, recorder: &recorder)
            guard verdict.reachable else {
                record(source: source, target: proxy.targetLabel, address: cell, lane: lane, verdict: verdict, flow: client,
                       recorder: recorder, via: via, proxy: proxy, representative: RepresentativeFlow(flow: client))
                return
            }
            let legs = planner.loadBalancerLegs(client: client, verdict: verdict, lbNode: proxy.node).filter { $0.target == proxy.target }
            for leg in legs {
                var legRecorder = DecidingRuleRecorder()
                let legVerdict = engine.evaluator.evaluate(leg.flow, recorder: &legRecorder)
                if !legVerdict.reachable {
                    record(source: source, target: proxy.targetLabel, address: cell, lane: lane, verdict: legVerdict, flow: leg.flow,
                           recorder: legRecorder, via: via, proxy: proxy, representative: RepresentativeFlow(flow: client, legs: [leg.flow]))
                    return
                }
            }
            if sourcePort == proxy.sourcePorts.last {
                record(source: source, target: proxy.targetLabel, address: cell, lane: lane, verdict: verdict, flow: client,
                       recorder: recorder, via: via, proxy: proxy, representative: RepresentativeFlow(flow: client, legs: legs.map(\.flow)))
            }
        }
    }

    /// A destination in another VPC that is neither peered nor attached to a shared transit gateway,
    /// and has no public IP: the source has no address to send to; its private address, if used,
    /// would be routed inside the source's own VPC (docs/semantics.md §5.1).
    mutating func recordUnaddressable(source: PlannedSource, target: PlannedTarget) {
        guard case .interface(let s) = source, let d = target.interface else { return }
        counter += 1
        let key = sourceKey(source)
        register(source, as: key)
        let subnet = plane.interfaces[Int(s)].subnet
        let table = subnet == noIndex ? noIndex : plane.subnets[Int(subnet)].routeTable
        let destinationVPC = plane.interfaces[Int(d)].vpc
        let vpcName = destinationVPC == noIndex ? "its VPC" : "VPC \(plane.network.vpcs[Int(destinationVPC)].name)"
        let at = Hop(kind: HopKind.routeTable.name, id: plane.id(of: .routeTable, table), name: plane.name(of: .routeTable, table),
                     detail: "no route to \(vpcName)")
        let rule = "\(target.label) is in \(vpcName), which is not peered with or attached to a transit gateway shared with the source's VPC, "
            + "and it has no public IP: no route reaches it"
        let ipProtocol = query.ipProtocol.map { $0.isAll ? "all" : $0.name } ?? "all"
        let ports = query.ports?.description ?? "all"
        unaddressable.append((counter, BlockedClass(protocol: ipProtocol, ports: ports, destinations: [target.label], sources: [key],
                                                    reason: Reason.noRouteToDestination.code, summary: Reason.noRouteToDestination.summary,
                                                    direction: "request", at: at, rule: rule)))
    }

    /// First sight of a source: its id and AZ, in the order sources appear.
    mutating func register(_ source: PlannedSource, as key: String) {
        guard sourceReach[key] == nil else { return }
        sourceReach[key] = SourceReach(source, plane: plane, order: counter)
    }

    func describeVia(_ proxy: ProxyPath) -> String {
        let network = plane.network
        let listener = plane.listeners[Int(proxy.listener)]
        let model = network.loadBalancers[Int(proxy.loadBalancer)].listeners[Int(listener.modelIndex)]
        let group = listener.targetGroup == noIndex ? nil : network.targetGroups[Int(listener.targetGroup)]
        return "\(network.loadBalancers[Int(proxy.loadBalancer)].name) listener \(model.listenerProtocol):\(model.port)"
            + (group.map { " → target group \($0.name) (\($0.targetProtocol):\($0.port))" } ?? "")
    }

    func sourceKey(_ source: PlannedSource) -> String { SourceReach.key(source, plane: plane) }

    mutating func record(source: PlannedSource, target: String, address: AddressCell, lane: Lane, verdict: Verdict, flow: Flow,
                         recorder: DecidingRuleRecorder, via: String?, proxy: ProxyPath?, representative: RepresentativeFlow) {
        counter += 1
        protocolsEvaluated.insert(lane.ipProtocol)
        let key = sourceKey(source)
        let ports = lane.ipProtocol == 6 || lane.ipProtocol == 17 ? Int(lane.portLower)...Int(lane.portUpper) : 0...0
        register(source, as: key)
        // Source cells of the internet are one logical source: the address cell is the source's, so
        // a cell of allowed traffic is keyed by where it came from.
        let cellKey: AddressCell
        if case .internet(let sourceCell) = source { cellKey = sourceCell } else { cellKey = address }
        if verdict.reachable {
            sourceReach[key]?.reached = true
            let label = protocolLabel(lane.ipProtocol)
            sourceReach[key]?.allowed[label, default: []].append(ports)
            let cacheKey = PathCacheKey(source: key, address: address.representative, ipProtocol: lane.ipProtocol, via: via)
            if pathCache[cacheKey] == nil {
                let trace = engine.traceFlow(flow, sourceName: key, destinationName: target)
                var hops = trace.request
                if let proxy {
                    let legs = engine.planner.loadBalancerLegs(client: flow, verdict: verdict, lbNode: proxy.node).filter { $0.target == proxy.target }
                    for leg in legs { hops += engine.traceFlow(leg.flow, sourceName: "", destinationName: target).request }
                }
                let translated = verdict.translatedSource != flow.externalSource || !flow.isFromInternet
                    ? IPv4Address(verdict.translatedSource).description : nil
                pathCache[cacheKey] = (hops, translated, hops.map { "\($0.kind):\($0.id)" })
            }
            guard let (hops, translated, signature) = pathCache[cacheKey] else { return }
            let allowedKey = AllowedKey(source: key, target: target, ipProtocol: lane.ipProtocol, path: signature, via: via)
            if allowed[allowedKey] == nil {
                allowed[allowedKey] = AllowedInfo(hops: hops, translated: translated, order: counter, representative: representative)
            } else if flow.destination == Self.familiarAddress, allowed[allowedKey]?.representative.flow.destination != Self.familiarAddress {
                // Show 8.8.8.8 rather than the first cell's address when the group holds it.
                allowed[allowedKey]?.hops = hops
                allowed[allowedKey]?.translated = translated
                allowed[allowedKey]?.representative = representative
            }
            allowed[allowedKey]?.cells[cellKey, default: []].append(ports)
        } else {
            let blockedKey = BlockedKey(ipProtocol: lane.ipProtocol, reason: verdict.reason ?? .noPossibleDestination,
                                        kind: verdict.dropKind ?? .internet, entity: verdict.dropEntity, direction: verdict.direction ?? .request,
                                        acl: recorder.lastACL, sg: recorder.lastSG, route: recorder.lastRoute, via: via, source: key, target: target)
            if blocked[blockedKey] == nil {
                blocked[blockedKey] = BlockedInfo(flow: flow, legOf: proxy, order: counter, representative: representative)
            } else if flow.destination == Self.familiarAddress, blocked[blockedKey]?.flow.destination != Self.familiarAddress {
                blocked[blockedKey]?.flow = flow
                blocked[blockedKey]?.representative = representative
            }
            blocked[blockedKey]?.cells[cellKey, default: []].append(ports)
        }
    }

    // MARK: - Answer

    func protocolLabel(_ p: UInt8) -> String { engine.planner.protocolLabel(p) }

    static func merge(_ ranges: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, r.lowerBound <= last.upperBound + 1 {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                result.append(r)
            }
        }
        return result
    }

    static func portText(_ ipProtocol: UInt8, _ ranges: [ClosedRange<Int>]) -> String {
        if ipProtocol == 1 { return "echo" }
        guard ipProtocol == 6 || ipProtocol == 17 else { return "-" }
        let merged = merge(ranges)
        if merged == [0...65535] { return "all" }
        return merged.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ", ")
    }

    /// Address cells as CIDRs (each cell split into the fewest prefixes), or a single label when the
    /// cells are every cell of the target.
    static func addressText(_ cells: [AddressCell]) -> [String] {
        var ranges: [(UInt64, UInt64)] = []
        for cell in cells.sorted(by: { $0.lower < $1.lower }) {
            if let last = ranges.last, last.1 + 1 == UInt64(cell.lower) { ranges[ranges.count - 1].1 = UInt64(cell.upper) }
            else { ranges.append((UInt64(cell.lower), UInt64(cell.upper))) }
        }
        var out: [String] = []
        for (low, high) in ranges {
            var start = low
            while start <= high {
                var length = 32
                while length > 0 {
                    let size = UInt64(1) << UInt64(33 - length)
                    if start % size != 0 || start + size - 1 > high { break }
                    length -= 1
                }
                out.append("\(IPv4Address(UInt32(start)))/\(length)")
                start += UInt64(1) << UInt64(32 - length)
            }
        }
        return out
    }

    /// Groups address cells by identical port sets: [(ports, cells)].
    static func byPorts(_ cells: [AddressCell: [ClosedRange<Int>]]) -> [([ClosedRange<Int>], [AddressCell])] {
        var groups: [[ClosedRange<Int>]: [AddressCell]] = [:]
        var order: [[ClosedRange<Int>]] = []
        for (cell, ranges) in cells.sorted(by: { $0.key.lower < $1.key.lower }) {
            let merged = merge(ranges)
            if groups[merged] == nil { order.append(merged) }
            groups[merged, default: []].append(cell)
        }
        return order.map { ($0, groups[$0] ?? []) }
    }

    func destinationsText(target: String, cells: [AddressCell], source: String) -> [String] {
        if source == "internet" || cells.count == targetCellCounts[target] {
            return [target]
        }
        let addresses = Self.addressText(cells)
        return addresses.count > 12 ? ["\(target) (\(addresses.count) ranges)"] : addresses.map { "\(target) \($0)" }
    }

    func answer(sources: [PlannedSource], notes: [String]) -> Answer {
        var allowedPaths: [(Int, AllowedPath)] = []
        for (key, info) in allowed {
            for (ports, cells) in Self.byPorts(info.cells) {
                let sourceNames = key.source == "internet" ? ["internet " + Self.addressText(cells).joined(separator: ", ")] : [key.source]
                allowedPaths.append((info.order, AllowedPath(protocol: protocolLabel(key.ipProtocol), ports: Self.portText(key.ipProtocol, ports),
                                                             destinations: destinationsText(target: key.target, cells: cells, source: key.source),
                                                             sources: sourceNames, hops: info.hops, translatedSource: info.translated, via: key.via,
                                                             representative: info.representative)))
            }
        }
        var blockedClasses: [(Int, BlockedClass)] = []
        var traced: [BlockedKey: FlowTrace] = [:]
        for (key, info) in blocked {
            let trace = traced[key] ?? engine.traceFlow(info.flow, sourceName: key.source, destinationName: key.target)
            traced[key] = trace
            guard let block = trace.block else { continue }
            for (ports, cells) in Self.byPorts(info.cells) {
                let sourceNames = key.source == "internet" ? ["internet " + Self.addressText(cells).joined(separator: ", ")] : [key.source]
                let rule = key.via.map { "via \($0): \(block.rule)" } ?? block.rule
                blockedClasses.append((info.order, BlockedClass(protocol: protocolLabel(key.ipProtocol), ports: Self.portText(key.ipProtocol, ports),
                                                                destinations: destinationsText(target: key.target, cells: cells, source: key.source),
                                                                sources: sourceNames, reason: block.reason, summary: block.summary,
                                                                direction: block.direction, at: block.at, rule: rule,
                                                                representative: info.representative)))
            }
        }
        blockedClasses += unaddressable
        // Merge blocked classes that differ only in source or destination.
        var merged: [(Int, BlockedClass)] = []
        for (order, item) in blockedClasses.sorted(by: { $0.0 < $1.0 }) {
            if let i = merged.firstIndex(where: { m in
                m.1.protocol == item.protocol && m.1.ports == item.ports && m.1.reason == item.reason && m.1.at == item.at
                    && m.1.rule == item.rule && m.1.direction == item.direction && (m.1.sources == item.sources || m.1.destinations == item.destinations)
            }) {
                for s in item.sources where !merged[i].1.sources.contains(s) { merged[i].1.sources.append(s) }
                for d in item.destinations where !merged[i].1.destinations.contains(d) { merged[i].1.destinations.append(d) }
            } else {
                merged.append((order, item))
            }
        }

        let labels = Set(protocolsEvaluated.map(protocolLabel))
        let blockedMerged = Self.mergeProtocols(merged.map(\.1), labels: labels)
        let allowedMerged = Self.mergeProtocols(allowedPaths.sorted { $0.0 < $1.0 }.map(\.1), labels: labels)
        let internetCells = sources.filter { if case .internet = $0 { return true } else { return false } }.count
        let reachedCells = Set(allowed.filter { $0.key.source == "internet" }.flatMap { $0.value.cells.keys }).count
        let (results, reachable, partial) = SourceReach.results(sourceReach, internetCells: internetCells, reachedInternetCells: reachedCells,
                                                                anyAllowed: !allowedPaths.isEmpty, planner: engine.planner)
        return Answer(from: query.from, to: query.to, protocol: query.ipProtocol.map(\.name), port: query.ports.map(\.description),
                      reachable: reachable, partial: partial, sources: results,
                      allowed: allowedMerged, blocked: blockedMerged, notes: notes)
    }

    /// Entries that are equal but for the protocol, and together cover every protocol evaluated on
    /// every port, become one entry for `all` traffic.
    static func mergeProtocols<T: ProtocolMergeable>(_ items: [T], labels everything: Set<String>) -> [T] {
        guard everything.count > 1 else { return items }
        var groups: [T.MergeKey: [Int]] = [:]
        for (i, item) in items.enumerated() { groups[item.mergeKey, default: []].append(i) }
        var dropped: Set<Int> = []
        var result = items
        for (_, members) in groups {
            let full = members.filter { items[$0].ports == "all" || items[$0].ports == "echo" || items[$0].ports == "-" }
            guard Set(full.map { items[$0].protocol }) == everything, let first = full.first else { continue }
            result[first].protocol = "all"
            result[first].ports = "all"
            for m in full where m != first { dropped.insert(m) }
        }
        return result.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
    }

}

/// What one source of a question reaches (an interface, or the internet as one source): what an
/// answer's `sources` and yes/no/partly are made of. Shared by `AnswerCollector` (one question) and
/// the reachability matrix (many), so both decide alike.
struct SourceReach {
    var id: String
    var zone: String?
    var reached = false
    /// protocol label (`tcp`, `icmp`, `other`, …) → allowed destination-port ranges (0...0 without ports)
    var allowed: [String: [ClosedRange<Int>]] = [:]
    /// First sight, to list sources in the order they were planned.
    var order: Int

    init(_ source: PlannedSource, plane: DataPlane, order: Int) {
        self.order = order
        id = "internet"
        if case .interface(let i) = source {
            id = plane.id(of: .interface, i)
            let subnet = plane.interfaces[Int(i)].subnet
            if subnet != noIndex { zone = plane.network.subnets[Int(subnet)].availabilityZone }
        }
    }

    /// The name a source is listed under: its interface's name, or `internet` for every internet cell.
    static func key(_ source: PlannedSource, plane: DataPlane) -> String {
        switch source {
        case .interface(let i): return plane.name(of: .interface, i)
        case .internet: return "internet"
        }
    }

    /// Per source, in planned order, with what gets through; `reachable` when every source reaches
    /// (the internet only when every one of its `internetCells` source cells does), `partial` when
    /// something gets through but not from every source.
    static func results(_ reach: [String: SourceReach], internetCells: Int, reachedInternetCells: Int, anyAllowed: Bool,
                        planner: Planner) -> (sources: [SourceResult], reachable: Bool, partial: Bool) {
        var results: [SourceResult] = []
        for (name, reach) in reach.sorted(by: { $0.value.order < $1.value.order }) {
            let summary = reach.allowed.sorted { $0.key < $1.key }.map {
                "\($0.key)/\(AnswerCollector.portText(planner.protocolNumber($0.key), $0.value))"
            }
            results.append(SourceResult(name: name, id: reach.id, zone: reach.zone, reachable: reach.reached,
                                        summary: summary.isEmpty ? "nothing" : summary.joined(separator: ", ")))
        }
        // The internet as a source: reachable only when every internet cell gets through.
        if internetCells > 0, let i = results.firstIndex(where: { $0.name == "internet" }) {
            results[i].reachable = reachedInternetCells == internetCells
            if reachedInternetCells > 0 && reachedInternetCells < internetCells { results[i].summary += " (from some addresses only)" }
        }
        let reachable = !results.isEmpty && results.allSatisfy(\.reachable)
        return (results, reachable, !reachable && anyAllowed)
    }
}

/// Answer entries that can be folded over protocols.
protocol ProtocolMergeable {
    associatedtype MergeKey: Hashable
    var `protocol`: String { get set }
    var ports: String { get set }
    var mergeKey: MergeKey { get }
}

extension BlockedClass: ProtocolMergeable {
    struct MergeKey: Hashable { var reason: String; var at: Hop; var direction: String; var sources: [String]; var destinations: [String]; var rule: String }
    var mergeKey: MergeKey { MergeKey(reason: reason, at: at, direction: direction, sources: sources, destinations: destinations, rule: rule) }
}

extension AllowedPath: ProtocolMergeable {
    struct MergeKey: Hashable { var sources: [String]; var destinations: [String]; var path: [String]; var via: String? }
    var mergeKey: MergeKey { MergeKey(sources: sources, destinations: destinations, path: hops.map { "\($0.kind):\($0.id)" }, via: via) }
}
