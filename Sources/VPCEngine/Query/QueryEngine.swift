import VPCModel

/// Answers reachability questions over one network: resolves the endpoints, lets the Planner cut
/// the question into cells of packets that every rule treats alike, evaluates one representative flow
/// per cell with the Evaluator, and merges cells with equal outcomes into the answer.
public struct QueryEngine: Sendable {
    public let plane: DataPlane
    public let evaluator: Evaluator
    let planner: Planner

    public init(network: Network) {
        plane = DataPlane(network)
        evaluator = Evaluator(plane)
        planner = Planner(plane: plane)
    }

    var network: Network { plane.network }

    /// The addresses `internet` stands for on this network (docs/DESIGN "Queries"): public, outside
    /// its VPCs, outside the AWS service ranges it knows and not a public IP of its own.
    public var internetAddresses: AddressSet { AddressSet(planner.internetCells.map { $0.lower...$0.upper }) }

    /// The names of the interfaces that start connections (workloads' and bare ones), as
    /// `EndpointResolver.hosts` decides it: NAT gateway, endpoint and load balancer interfaces only forward.
    public var hostInterfaceNames: [String] {
        EndpointResolver(network: network).hosts { _ in true }.map { network.interfaces[Int($0)].name }
    }

    // MARK: - Answer

    public func answer(_ query: Query) throws(QueryError) -> Answer {
        let resolver = EndpointResolver(network: network)
        let from = try resolver.resolve(query.from, asSource: true)
        let to = try resolver.resolve(query.to, asSource: false)
        if case .internet = from, case .internet = to { throw QueryError.bothEndsInternet }
        if let p = query.ipProtocol, query.ports != nil, !p.hasPorts {
            throw QueryError.protocolHasNoPorts(p.name)
        }
        let sources = planner.sources(from)
        guard !sources.isEmpty else {
            throw QueryError.noInterface(query.from)
        }
        var notes: [String] = []
        var collector = AnswerCollector(engine: self, query: query)
        planner.plan(sources, to: to, named: query.to, query: query, notes: &notes, into: &collector)
        return collector.answer(sources: sources, notes: notes)
    }

    // MARK: - Trace

    /// One trace per (source interface, destination address) of a concrete protocol and port.
    public func trace(_ query: Query) throws(QueryError) -> [FlowTrace] {
        try traceFlows(query).map { traced in
            var trace = traceFlow(traced.flow.flow, sourceName: traced.sourceName, destinationName: traced.destinationName)
            // Delivered to a load balancer: show the connections it opens to its targets.
            if !traced.flow.legs.isEmpty {
                trace.targetLeg = traced.flow.legs.map {
                    traceFlow($0, sourceName: plane.name(of: .interface, $0.source), destinationName: IPv4Address($0.destination).description)
                }
            }
            return trace
        }
    }

    /// The concrete flows `trace` follows, one per (source interface, destination address), with the
    /// connections a load balancer opens to its targets when the flow ends at its listener.
    public func traceFlows(_ query: Query) throws(QueryError) -> [(flow: RepresentativeFlow, sourceName: String, destinationName: String)] {
        guard let ipProtocol = query.ipProtocol, !ipProtocol.isAll else {
            throw QueryError.traceNeedsProtocol
        }
        if ipProtocol.hasPorts, query.ports == nil { throw QueryError.traceNeedsPort(ipProtocol.name) }
        let resolver = EndpointResolver(network: network)
        let from = try resolver.resolve(query.from, asSource: true)
        let to = try resolver.resolve(query.to, asSource: false)
        var notes: [String] = []
        var flows: [(flow: RepresentativeFlow, sourceName: String, destinationName: String)] = []
        let port = query.ports?.lower ?? 0
        for source in planner.sources(from) {
            for target in planner.targets(for: source, to: to, notes: &notes) {
                // One flow per target: for a set of addresses (the internet), 8.8.8.8 when it is in it.
                guard let cell = target.addressCells.first(where: { $0.representative == AddressCell.familiarAddress }) ?? target.addressCells.first else { continue }
                let flow = planner.flow(source: source, destination: cell.representative, ipProtocol: UInt8(ipProtocol.number),
                                        port: port, sourcePort: planner.representativeSourcePort(source))
                flows.append((RepresentativeFlow(flow: flow, legs: loadBalancerLegs(of: flow)), sourceName(source), target.label))
            }
        }
        return flows
    }

    /// The connections a load balancer opens to its targets for a flow delivered to its listener; empty otherwise.
    public func loadBalancerLegs(of flow: Flow) -> [Flow] {
        let verdict = evaluator.evaluate(flow)
        guard case .interface(let node) = verdict.delivered, plane.interfaces[Int(node)].owner == .loadBalancer else { return [] }
        return planner.loadBalancerLegs(client: flow, verdict: verdict, lbNode: node).map(\.flow)
    }

    func traceFlow(_ flow: Flow, sourceName: String, destinationName: String) -> FlowTrace {
        let (verdict, events) = evaluator.trace(flow)
        return TraceBuilder(plane).build(flow: flow, verdict: verdict, events: events, sourceName: sourceName, destinationName: destinationName)
    }

    func sourceName(_ source: PlannedSource) -> String { planner.sourceName(source) }
}
