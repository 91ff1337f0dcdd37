import VPCModel

/// What happens to one cell of a question — one source, one protocol and port, one destination
/// address (through a listener, when given) — with the path it takes or the block that stops it.
/// `diff` uses it to explain what changed without answering whole questions again.
public enum CellExplanation: Sendable, Hashable {
    /// It gets through: the request's path (client leg then target leg through a load balancer).
    case path([Hop], translatedSource: IPv4Address?)
    case blocked(Block)
    /// The cell does not exist on this network (the source or the listener is gone).
    case absent
}

extension QueryEngine {
    /// Explains one cell on this network. `source` is an interface name, or `internet` with
    /// `internetAddress` the source address; `address` is the destination as the source addresses it
    /// (for a path through `via`, the load balancer node's address); `destination` is the matrix column.
    public func explain(source: String, internetAddress: UInt32?, destination: MatrixEndpoint, ipProtocol: TrafficProtocol,
                        port: UInt16, address: UInt32, via: ListenerRef?) -> CellExplanation {
        let planned: PlannedSource
        if source == "internet" {
            guard let internetAddress else { return .absent }
            planned = .internet(AddressCell(lower: internetAddress, upper: internetAddress))
        } else if let site = network.onPremNetworks.firstIndex(where: { $0.name == source }) {
            guard let internetAddress else { return .absent }
            planned = .onPrem(UInt32(site), AddressCell(lower: internetAddress, upper: internetAddress))
        } else {
            guard let index = network.interfaces.firstIndex(where: { $0.name == source }) else { return .absent }
            planned = .interface(UInt32(index))
        }
        let number: UInt8
        switch ipProtocol {
        case .number(let n): number = n
        case .other, .all:
            guard let unnamed = planner.unnamedProtocol else { return .absent }
            number = unnamed
        }
        let hasPorts = number == 6 || number == 17
        guard let via else {
            var first: Flow?
            for sourcePort in hasPorts ? planner.sourcePorts(planned) : [0] {
                let flow = planner.flow(source: planned, destination: address, ipProtocol: number, port: port, sourcePort: sourcePort)
                if first == nil { first = flow }
                if !evaluator.evaluate(flow).reachable { return explanation(of: flow, legs: []) }
            }
            guard let first else { return .absent }
            return explanation(of: first, legs: [])
        }
        var notes: [String] = []
        for target in planner.targets(for: planned, to: destination.endpoint, notes: &notes) {
            let query = Query(from: source, to: destination.label, ipProtocol: IPProtocol(number: Int(number)),
                              ports: hasPorts ? PortRange(port: port) : nil)
            for proxy in planner.loadBalancerPaths(for: planned, target: target, query: query) where proxy.clientAddress == address && proxy.ipProtocol == number {
                guard listenerRef(proxy) == via else { continue }
                let outcome = planner.composeThroughLoadBalancer(source: planned, proxy: proxy) { (evaluator.evaluate($0), ()) }
                if !outcome.reachable { return explanation(of: outcome.decidingFlow, legs: []) }
                return explanation(of: outcome.representative.flow, legs: outcome.representative.legs)
            }
        }
        return .absent
    }

    /// A flow's block, or its path with its legs' paths after it.
    func explanation(of flow: Flow, legs: [Flow]) -> CellExplanation {
        let trace = traceFlow(flow, sourceName: "", destinationName: "")
        if let block = trace.block { return .blocked(block) }
        let (verdict, _) = evaluator.trace(flow)
        var hops = trace.request
        for leg in legs { hops += traceFlow(leg, sourceName: "", destinationName: "").request }
        let translated = verdict.translatedSource != flow.externalSource || !flow.isExternal ? IPv4Address(verdict.translatedSource) : nil
        return .path(hops, translatedSource: translated)
    }

    /// The listener a path goes through, named as two networks compare it.
    func listenerRef(_ proxy: ProxyPath) -> ListenerRef {
        let listener = plane.listeners[Int(proxy.listener)]
        let lb = network.loadBalancers[Int(proxy.loadBalancer)]
        let model = lb.listeners[Int(listener.modelIndex)]
        return ListenerRef(loadBalancer: lb.name, listenerProtocol: model.listenerProtocol, port: model.port,
                           target: plane.name(of: .interface, proxy.target))
    }
}
