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
    var planner: Planner { engine.planner }

    /// A load balancer listener a path goes through.
    struct ViaKey: Hashable { var loadBalancer: UInt32; var listener: UInt32 }
    /// Allowed: (source, target, protocol, path) → address cell → port ranges.
    struct AllowedKey: Hashable { var source: String; var target: String; var ipProtocol: UInt8; var path: [String]; var via: ViaKey? }
    struct AllowedInfo {
        var hops: [Hop]; var translated: IPv4Address?; var cells: [AddressCell: [ClosedRange<Int>]] = [:]; var order: Int
        var representative: RepresentativeFlow
    }
    /// Blocked: (protocol, reason, place, rule) per (source, target) → address cell → port ranges.
    struct BlockedKey: Hashable {
        var ipProtocol: UInt8; var reason: Reason; var kind: HopKind; var entity: UInt32; var direction: Direction
        var acl: UInt32; var sg: UInt32; var route: UInt32; var via: ViaKey?
        var source: String; var target: String
    }
    struct BlockedInfo { var flow: Flow; var cells: [AddressCell: [ClosedRange<Int>]] = [:]; var order: Int; var representative: RepresentativeFlow }
    struct PathCacheKey: Hashable { var source: String; var address: UInt32; var ipProtocol: UInt8; var via: ViaKey?; var target: UInt32? }

    var allowed: [AllowedKey: AllowedInfo] = [:]
    var blocked: [BlockedKey: BlockedInfo] = [:]
    var pathCache: [PathCacheKey: ([Hop], IPv4Address?, [String])] = [:]
    /// source name → what it reaches
    var sourceReach: [String: SourceReach] = [:]
    var counter = 0
    /// Per target label: its address cells (to name a whole target by its label) .
    var targetCells: [String: [AddressCell]] = [:]
    var unaddressable: [(Int, BlockedClass)] = []
    /// Targets the internet cannot address that were already recorded (once for all its cells).
    var unaddressableFromInternet: Set<String> = []
    var protocolsEvaluated: Set<UInt8> = []
    /// Entry keys of on-premises sources: one per (network, source cell), so that an entry names the
    /// source addresses it holds for; merged back by name when the answer is made.
    var onPremEntrySources: [String: (name: String, cell: AddressCell)] = [:]

    init(engine: QueryEngine, query: Query) { self.engine = engine; self.query = query }

    static var familiarAddress: UInt32 { AddressCell.familiarAddress }

    // MARK: - Evaluation

    mutating func evaluate(source: PlannedSource, target: PlannedTarget, lanes: [Lane], cells: [AddressCell]) {
        for lane in lanes {
            for cell in cells { evaluate(source: source, target: target, address: cell, lane: lane) }
        }
    }

    mutating func evaluate(source: PlannedSource, target: PlannedTarget, address: AddressCell, lane: Lane) {
        targetCells[target.label] = target.addressCells
        var outcome: (Verdict, Flow, DecidingRuleRecorder)?
        for sourcePort in lane.sourcePorts {
            let flow = planner.flow(source: source, to: address, lane: lane, sourcePort: sourcePort)
            var recorder = DecidingRuleRecorder()
            let verdict = planner.judged(engine.evaluator.evaluate(flow, recorder: &recorder), expecting: target.expected)
            if outcome == nil || !verdict.reachable { outcome = (verdict, flow, recorder) }
            if !verdict.reachable { break }
        }
        guard let (verdict, flow, recorder) = outcome else { return }
        record(source: source, target: target.label, address: address, lane: lane, verdict: verdict, flow: flow, recorder: recorder,
               proxy: nil, representative: RepresentativeFlow(flow: flow))
    }

    mutating func evaluate(source: PlannedSource, proxy: ProxyPath) {
        let cell = AddressCell(lower: proxy.clientAddress, upper: proxy.clientAddress)
        targetCells[proxy.targetLabel] = targetCells[proxy.targetLabel] ?? []
        let lane = planner.clientLane(proxy)
        let outcome = planner.composeThroughLoadBalancer(source: source, proxy: proxy) { flow in
            var recorder = DecidingRuleRecorder()
            let verdict = engine.evaluator.evaluate(flow, recorder: &recorder)
            return (verdict, recorder)
        }
        record(source: source, target: proxy.targetLabel, address: cell, lane: lane, verdict: outcome.verdict, flow: outcome.decidingFlow,
               recorder: outcome.extra, proxy: proxy, representative: outcome.representative)
    }

    /// A destination the source has no address for (docs/semantics.md §10): an interface in another,
    /// unconnected VPC without a public IP, or, from the internet, an interface without a public IP.
    /// The Planner reports it only when no load balancer leads to the destination either.
    mutating func recordUnaddressable(source: PlannedSource, target: PlannedTarget) {
        guard let d = target.interface else { return }
        let key = sourceKey(source)
        let at: Hop, rule: String
        var sources = EntrySources(names: [key])
        switch source {
        case .interface(let s):
            let subnet = plane.interfaces[Int(s)].subnet
            let table = subnet == noIndex ? noIndex : plane.subnets[Int(subnet)].routeTable
            let destinationVPC = plane.interfaces[Int(d)].vpc
            let vpcName = destinationVPC == noIndex ? "its VPC" : "VPC \(plane.network.vpcs[Int(destinationVPC)].name)"
            at = Hop(kind: .routeTable, id: plane.id(of: .routeTable, table), name: plane.name(of: .routeTable, table),
                     detail: "no route to \(vpcName)")
            rule = "\(target.label) is in \(vpcName), which is not peered with or attached to a transit gateway shared with the source's VPC, "
                + "and it has no public IP: no route reaches it"
        case .internet:
            // One entry for every internet cell: the internet has no address for it, whichever cell sends.
            guard unaddressableFromInternet.insert(target.label).inserted else { return }
            sources.internetAddresses = AddressSet(planner.internetCells.map { $0.lower...$0.upper })
            at = Hop(kind: .internet, id: "internet", name: "internet", detail: "no public address for \(target.label)")
            rule = "\(target.label) has no public IP and no internet-facing load balancer forwards to it: the internet cannot address it"
        case .onPrem(let site, _):
            guard unaddressableFromInternet.insert("\(site):\(target.label)").inserted else { return }
            at = Hop(kind: .onPrem, id: plane.id(of: .onPrem, site), name: plane.name(of: .onPrem, site), detail: "no address for \(target.label)")
            rule = "\(target.label) has no private IP to reach over the VPN or Direct Connect"
        }
        counter += 1
        register(source, as: key)
        sourceReach[key]?.blocked = true
        let traffic = TrafficClass(query.ipProtocol.map { $0.isAll ? .all : planner.trafficProtocol(UInt8($0.number)) } ?? .all,
                                   query.ports.map { PortSet($0.lower...$0.upper) } ?? .all)
        unaddressable.append((counter, BlockedClass(traffic: traffic, destinations: [target.label], destinationAddresses: AddressSet(),
                                                    sources: sources,
                                                    block: Block(reason: .noRouteToDestination, direction: .request, at: at, rule: rule))))
    }

    /// First sight of a source: its id and AZ, in the order sources appear.
    mutating func register(_ source: PlannedSource, as key: String) {
        guard sourceReach[key] == nil else { return }
        sourceReach[key] = SourceReach(source, plane: plane, order: counter)
    }

    func via(_ proxy: ProxyPath?) -> ViaKey? { proxy.map { ViaKey(loadBalancer: $0.loadBalancer, listener: $0.listener) } }

    func sourceKey(_ source: PlannedSource) -> String { SourceReach.key(source, plane: plane) }

    mutating func record(source: PlannedSource, target: String, address: AddressCell, lane: Lane, verdict: Verdict, flow: Flow,
                         recorder: DecidingRuleRecorder, proxy: ProxyPath?, representative: RepresentativeFlow) {
        counter += 1
        protocolsEvaluated.insert(lane.ipProtocol)
        let key = sourceKey(source)
        let ports = lane.ipProtocol == 6 || lane.ipProtocol == 17 ? Int(lane.portLower)...Int(lane.portUpper) : 0...0
        register(source, as: key)
        let via = via(proxy)
        // Source cells of the internet are one logical source: the address cell is the source's, so
        // a cell of allowed traffic is keyed by where it came from.
        let cellKey: AddressCell
        var entryKey = key
        switch source {
        case .internet(let sourceCell): cellKey = sourceCell
        case .interface: cellKey = address
        case .onPrem(_, let sourceCell):
            // Destination cells, as for an interface; the source cell goes into the entry's key.
            cellKey = address
            entryKey = "\(key)\u{0}\(sourceCell.lower)-\(sourceCell.upper)"
            onPremEntrySources[entryKey] = (key, sourceCell)
        }
        if verdict.reachable {
            sourceReach[key]?.reach(lane.ipProtocol, ports, from: source)
            let cacheKey = PathCacheKey(source: entryKey, address: address.representative, ipProtocol: lane.ipProtocol, via: via, target: proxy?.target)
            if pathCache[cacheKey] == nil {
                var hops = engine.traceFlow(representative.flow, sourceName: key, destinationName: target).request
                for leg in representative.legs { hops += engine.traceFlow(leg, sourceName: "", destinationName: target).request }
                let translated = verdict.translatedSource != flow.externalSource || !flow.isExternal
                    ? IPv4Address(verdict.translatedSource) : nil
                pathCache[cacheKey] = (hops, translated, hops.map { "\($0.kind.name):\($0.id)" })
            }
            guard let (hops, translated, signature) = pathCache[cacheKey] else { return }
            let allowedKey = AllowedKey(source: entryKey, target: target, ipProtocol: lane.ipProtocol, path: signature, via: via)
            if allowed[allowedKey] == nil {
                allowed[allowedKey] = AllowedInfo(hops: hops, translated: translated, order: counter, representative: representative)
            } else if representative.flow.destination == Self.familiarAddress,
                      allowed[allowedKey]?.representative.flow.destination != Self.familiarAddress {
                // Show 8.8.8.8 rather than the first cell's address when the group holds it.
                allowed[allowedKey]?.hops = hops
                allowed[allowedKey]?.translated = translated
                allowed[allowedKey]?.representative = representative
            }
            allowed[allowedKey]?.cells[cellKey, default: []].append(ports)
        } else {
            sourceReach[key]?.blocked = true
            let blockedKey = BlockedKey(ipProtocol: lane.ipProtocol, reason: verdict.reason ?? .noPossibleDestination,
                                        kind: verdict.dropKind ?? .internet, entity: verdict.dropEntity, direction: verdict.direction ?? .request,
                                        acl: recorder.lastACL, sg: recorder.lastSG, route: recorder.lastRoute, via: via, source: entryKey, target: target)
            if blocked[blockedKey] == nil {
                blocked[blockedKey] = BlockedInfo(flow: flow, order: counter, representative: representative)
            } else if flow.destination == Self.familiarAddress, blocked[blockedKey]?.flow.destination != Self.familiarAddress {
                blocked[blockedKey]?.flow = flow
                blocked[blockedKey]?.representative = representative
            }
            blocked[blockedKey]?.cells[cellKey, default: []].append(ports)
        }
    }

    // MARK: - Answer

    static func merge(_ ranges: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        IntervalMath.merge(ranges.map { (UInt64($0.lowerBound), UInt64($0.upperBound)) }).map { Int($0.0)...Int($0.1) }
    }

    /// `443`, `80, 443`, `all`; `echo` for icmp; `-` for protocols without ports.
    static func portText(_ ipProtocol: UInt8, _ ranges: [ClosedRange<Int>]) -> String {
        TrafficClass(.number(ipProtocol), portSet(ranges)).portsText
    }

    /// Port ranges of a lane (0...0 for protocols without ports) as a port set.
    static func portSet(_ ranges: [ClosedRange<Int>]) -> PortSet {
        PortSet(ranges.map { UInt16(clamping: $0.lowerBound)...UInt16(clamping: $0.upperBound) })
    }

    static func addressSet(_ cells: [AddressCell]) -> AddressSet { AddressSet(cells.map { $0.lower...$0.upper }) }

    /// Groups address cells by identical port sets: [(ports, cells)].
    static func byPorts(_ cells: [AddressCell: [ClosedRange<Int>]]) -> [(PortSet, [AddressCell])] {
        var groups: [PortSet: [AddressCell]] = [:]
        var order: [PortSet] = []
        for (cell, ranges) in cells.sorted(by: { $0.key.lower < $1.key.lower }) {
            let merged = portSet(ranges)
            if groups[merged] == nil { order.append(merged) }
            groups[merged, default: []].append(cell)
        }
        return order.map { ($0, groups[$0] ?? []) }
    }

    func destinationsText(target: String, cells: [AddressCell], internetSource: Bool) -> [String] {
        if internetSource || cells.count == targetCells[target]?.count {
            return [target]
        }
        let addresses = Self.addressSet(cells).cidrs
        return addresses.count > 12 ? ["\(target) (\(addresses.count) ranges)"] : addresses.map { "\(target) \($0)" }
    }

    /// The typed entry parts of one group of cells: where it goes, and from where.
    func entryParts(source key: String, target: String, cells: [AddressCell]) -> (destinations: [String], addresses: AddressSet, sources: EntrySources) {
        if let site = onPremEntrySources[key] {
            return (destinationsText(target: target, cells: cells, internetSource: false), Self.addressSet(cells),
                    EntrySources(names: [site.name], internetAddresses: AddressSet([site.cell.lower...site.cell.upper])))
        }
        let internet = key == "internet"
        let destinations = destinationsText(target: target, cells: cells, internetSource: internet)
        // From the internet, the cells are source cells: the destination is the whole target.
        let addresses = Self.addressSet(internet ? targetCells[target] ?? [] : cells)
        let sources = internet ? EntrySources(names: ["internet"], internetAddresses: Self.addressSet(cells)) : EntrySources(names: [key])
        return (destinations, addresses, sources)
    }

    func viaText(_ via: ViaKey?) -> LoadBalancerVia? {
        guard let via else { return nil }
        let network = plane.network
        let listener = plane.listeners[Int(via.listener)]
        let lb = network.loadBalancers[Int(via.loadBalancer)]
        let model = lb.listeners[Int(listener.modelIndex)]
        let group = listener.targetGroup == noIndex ? nil : network.targetGroups[Int(listener.targetGroup)]
        let text = "\(lb.name) listener \(model.listenerProtocol):\(model.port)"
            + (group.map { " → target group \($0.name) (\($0.targetProtocol):\($0.port))" } ?? "")
        return LoadBalancerVia(loadBalancer: via.loadBalancer, listener: listener.modelIndex, text: text)
    }

    func answer(sources: [PlannedSource], notes: [String]) -> Answer {
        var allowedPaths: [(Int, AllowedPath)] = []
        for (key, info) in allowed {
            for (ports, cells) in Self.byPorts(info.cells) {
                let parts = entryParts(source: key.source, target: key.target, cells: cells)
                allowedPaths.append((info.order, AllowedPath(traffic: TrafficClass(planner.trafficProtocol(key.ipProtocol), ports),
                                                             destinations: parts.destinations, destinationAddresses: parts.addresses,
                                                             sources: parts.sources, hops: info.hops, translatedSource: info.translated,
                                                             via: viaText(key.via), representative: info.representative)))
            }
        }
        if !onPremEntrySources.isEmpty { allowedPaths = Self.mergeSourceAddresses(allowedPaths) }
        var blockedClasses: [(Int, BlockedClass)] = []
        for (key, info) in blocked {
            let trace = engine.traceFlow(info.flow, sourceName: key.source, destinationName: key.target)
            var found = trace.block
            if key.reason == .deliveredElsewhere, let last = trace.request.last {
                // The walk itself got through, to the wrong receiver: say which.
                found = Block(reason: .deliveredElsewhere, direction: .request, at: last,
                              rule: "\(IPv4Address(info.flow.destination)) is delivered to \(last.name.isEmpty ? last.id : last.name) (\(last.kind.name)), not to \(key.target)")
            }
            guard let block = found else { continue }
            for (ports, cells) in Self.byPorts(info.cells) {
                let parts = entryParts(source: key.source, target: key.target, cells: cells)
                blockedClasses.append((info.order, BlockedClass(traffic: TrafficClass(planner.trafficProtocol(key.ipProtocol), ports),
                                                                destinations: parts.destinations, destinationAddresses: parts.addresses,
                                                                sources: parts.sources, block: block, via: viaText(key.via),
                                                                representative: info.representative)))
            }
        }
        blockedClasses += unaddressable
        // Merge blocked classes that differ only in source or only in destination.
        var merged: [(Int, BlockedClass)] = []
        for (order, item) in blockedClasses.sorted(by: { $0.0 < $1.0 }) {
            if let i = merged.firstIndex(where: { m in
                m.1.traffic == item.traffic && m.1.block == item.block && m.1.via == item.via
                    && (m.1.sources == item.sources || m.1.destinations == item.destinations)
            }) {
                if merged[i].1.sources != item.sources {
                    for s in item.sources.names where !merged[i].1.sources.names.contains(s) { merged[i].1.sources.names.append(s) }
                    if let more = item.sources.internetAddresses {
                        merged[i].1.sources.internetAddresses = (merged[i].1.sources.internetAddresses ?? AddressSet()).union(more)
                    }
                } else {
                    for d in item.destinations where !merged[i].1.destinations.contains(d) { merged[i].1.destinations.append(d) }
                    merged[i].1.destinationAddresses = merged[i].1.destinationAddresses.union(item.destinationAddresses)
                }
            } else {
                merged.append((order, item))
            }
        }

        let everything = Set(protocolsEvaluated.map(planner.trafficProtocol))
        let blockedMerged = Self.mergeProtocols(merged.map(\.1), everything: everything)
        let allowedMerged = Self.mergeProtocols(allowedPaths.sorted { $0.0 < $1.0 }.map(\.1), everything: everything)
        let internetAddresses = Self.internetAddresses(of: sources)
        let decided = SourceReach.results(sourceReach, internetAddresses: internetAddresses,
                                          onPremAddresses: Self.onPremAddresses(of: sources, plane: plane), planner: planner)
        var seen: Set<String> = []
        return Answer(from: query.from, to: query.to, protocol: query.ipProtocol.map(\.name), port: query.ports.map(\.description),
                      status: decided.status, sources: decided.sources,
                      allowed: allowedMerged, blocked: blockedMerged, notes: notes.filter { seen.insert($0).inserted })
    }

    /// Allowed entries that differ only in their source addresses (an on-premises network's cells)
    /// become one, holding for the union.
    static func mergeSourceAddresses(_ paths: [(Int, AllowedPath)]) -> [(Int, AllowedPath)] {
        var merged: [(Int, AllowedPath)] = []
        for (order, path) in paths.sorted(by: { $0.0 < $1.0 }) {
            if let i = merged.firstIndex(where: { m in
                m.1.traffic == path.traffic && m.1.destinations == path.destinations && m.1.sources.names == path.sources.names
                    && m.1.via == path.via && m.1.hops.map { "\($0.kind.name):\($0.id)" } == path.hops.map { "\($0.kind.name):\($0.id)" }
            }), let more = path.sources.internetAddresses {
                merged[i].1.sources.internetAddresses = (merged[i].1.sources.internetAddresses ?? AddressSet()).union(more)
            } else {
                merged.append((order, path))
            }
        }
        return merged
    }

    /// The internet addresses a question's sources cover (nil when the internet is not a source).
    static func internetAddresses(of sources: [PlannedSource]) -> AddressSet? {
        let cells = sources.compactMap { source -> ClosedRange<UInt32>? in
            if case .internet(let cell) = source { return cell.lower...cell.upper }
            return nil
        }
        return cells.isEmpty ? nil : AddressSet(cells)
    }

    /// Per on-premises network among a question's sources, the addresses asked about.
    static func onPremAddresses(of sources: [PlannedSource], plane: DataPlane) -> [String: AddressSet] {
        var cells: [String: [ClosedRange<UInt32>]] = [:]
        for source in sources {
            if case .onPrem(let site, let cell) = source { cells[plane.name(of: .onPrem, site), default: []].append(cell.lower...cell.upper) }
        }
        return cells.mapValues { AddressSet($0) }
    }

    /// Entries that are equal but for the protocol, and together cover every protocol evaluated on
    /// every port, become one entry for `all` traffic.
    static func mergeProtocols<T: ProtocolMergeable>(_ items: [T], everything: Set<TrafficProtocol>) -> [T] {
        guard everything.count > 1 else { return items }
        var groups: [T.MergeKey: [Int]] = [:]
        for (i, item) in items.enumerated() { groups[item.mergeKey, default: []].append(i) }
        var dropped: Set<Int> = []
        var result = items
        for (_, members) in groups {
            let full = members.filter { items[$0].traffic.ports == (items[$0].traffic.ipProtocol.hasPorts ? .all : .portless) }
            guard Set(full.map { items[$0].traffic.ipProtocol }) == everything, let first = full.first else { continue }
            result[first].traffic = TrafficClass(.all, .all)
            for m in full where m != first { dropped.insert(m) }
        }
        return result.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
    }
}

/// What one source of a question reaches (an interface, or the internet as one source): what an
/// answer's `sources` and its verdict are made of. Shared by `AnswerCollector` (one question) and
/// the reachability matrix (many), so both decide alike.
struct SourceReach {
    var id: String
    var zone: String?
    /// protocol number → allowed destination-port ranges (0...0 without ports)
    var allowed: [UInt8: [ClosedRange<Int>]] = [:]
    /// For the internet: the source cells from which something got through.
    var reachedCells: [ClosedRange<UInt32>] = []
    /// Something asked was blocked from this source.
    var blocked = false
    /// First sight, to list sources in the order they were planned.
    var order: Int

    init(_ source: PlannedSource, plane: DataPlane, order: Int) {
        self.order = order
        id = "internet"
        if case .onPrem(let site, _) = source { id = "on-prem:\(plane.id(of: .onPrem, site))" }
        if case .interface(let i) = source {
            id = plane.id(of: .interface, i)
            let subnet = plane.interfaces[Int(i)].subnet
            if subnet != noIndex { zone = plane.network.subnets[Int(subnet)].availabilityZone }
        }
    }

    mutating func reach(_ ipProtocol: UInt8, _ ports: ClosedRange<Int>, from source: PlannedSource) {
        allowed[ipProtocol, default: []].append(ports)
        switch source {
        case .internet(let cell), .onPrem(_, let cell): reachedCells.append(cell.lower...cell.upper)
        case .interface: break
        }
    }

    /// The name a source is listed under: its interface's name, or `internet` for every internet cell.
    static func key(_ source: PlannedSource, plane: DataPlane) -> String {
        switch source {
        case .interface(let i): return plane.name(of: .interface, i)
        case .internet: return "internet"
        case .onPrem(let site, _): return plane.name(of: .onPrem, site)
        }
    }

    /// The one verdict (docs/semantics.md §12): per source, in planned order, whether it reaches and
    /// what gets through; `yes` when every source reaches (the internet only from every one of its
    /// `internetAddresses`), `no` when nothing gets through from any, else `partly`.
    static func results(_ reach: [String: SourceReach], internetAddresses: AddressSet?, onPremAddresses: [String: AddressSet] = [:],
                        planner: Planner)
        -> (sources: [SourceResult], status: ConnectionStatus) {
        var results: [SourceResult] = []
        for (name, reach) in reach.sorted(by: { $0.value.order < $1.value.order }) {
            let allowed = planner.trafficProtocolOrder.compactMap { p -> TrafficClass? in
                guard let ranges = reach.allowed[p] else { return nil }
                return TrafficClass(planner.trafficProtocol(p), AnswerCollector.portSet(ranges))
            }
            var result = SourceResult(name: name, id: reach.id, zone: reach.zone, reachable: !allowed.isEmpty, allowed: allowed,
                                      reachedFrom: nil, internetAddresses: nil, everything: !reach.blocked && !allowed.isEmpty)
            if name == "internet", let internetAddresses {
                let reachedFrom = AddressSet(reach.reachedCells)
                result.reachedFrom = reachedFrom
                result.internetAddresses = internetAddresses
                result.reachable = reachedFrom == internetAddresses
            } else if let asked = onPremAddresses[name] {
                // An on-premises network reaches when something gets through from every one of its addresses.
                let reachedFrom = AddressSet(reach.reachedCells)
                result.reachedFrom = reachedFrom
                result.internetAddresses = asked
                result.reachable = reachedFrom == asked
            }
            results.append(result)
        }
        let status: ConnectionStatus
        if !results.isEmpty && results.allSatisfy(\.reachable) { status = .yes }
        else if results.contains(where: { !$0.allowed.isEmpty }) { status = .partly }
        else { status = .no }
        return (results, status)
    }
}

/// Answer entries that can be folded over protocols.
protocol ProtocolMergeable {
    associatedtype MergeKey: Hashable
    var traffic: TrafficClass { get set }
    var mergeKey: MergeKey { get }
}

extension BlockedClass: ProtocolMergeable {
    struct MergeKey: Hashable { var block: Block; var sources: EntrySources; var destinations: [String]; var via: LoadBalancerVia? }
    var mergeKey: MergeKey { MergeKey(block: block, sources: sources, destinations: destinations, via: via) }
}

extension AllowedPath: ProtocolMergeable {
    struct MergeKey: Hashable { var sources: EntrySources; var destinations: [String]; var path: [String]; var via: LoadBalancerVia? }
    var mergeKey: MergeKey { MergeKey(sources: sources, destinations: destinations, path: hops.map { "\($0.kind.name):\($0.id)" }, via: via) }
}
