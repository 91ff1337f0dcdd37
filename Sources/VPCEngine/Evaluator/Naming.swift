import VPCModel

/// AWS ids and names of the DataPlane's entities, for traces, answers and comparisons with the model.
extension DataPlane {
    /// The AWS id of a drop location or hop: an ENI, subnet, route table, … id; `internet`; or a
    /// service name. An index that names nothing gives "".
    public func id(of kind: HopKind, _ index: UInt32) -> String { entity(kind, index).id }

    /// The name people gave an entity (a Name tag or topology name); "" for an index that names nothing.
    public func name(of kind: HopKind, _ index: UInt32) -> String { entity(kind, index).name }

    private func entity(_ kind: HopKind, _ index: UInt32) -> (id: String, name: String) {
        let i = Int(index)
        func pick<T>(_ items: [T], _ id: (T) -> String, _ name: (T) -> String) -> (String, String) {
            i < items.count ? (id(items[i]), name(items[i])) : ("", "")
        }
        switch kind {
        case .interface: return pick(network.interfaces, \.id, \.name)
        case .subnet: return pick(network.subnets, \.id, \.name)
        case .routeTable: return pick(network.routeTables, \.id, \.name)
        case .internetGateway: return pick(network.internetGateways, \.id, \.name)
        case .natGateway: return pick(network.natGateways, \.id, \.name)
        case .vpcEndpoint: return pick(network.endpoints, \.id, \.name)
        case .peering: return pick(network.peerings, \.id, \.name)
        case .transitGateway: return pick(network.transitGateways, \.id, \.name)
        case .loadBalancer: return pick(network.loadBalancers, \.id, \.name)
        case .internet: return ("internet", "internet")
        case .service: return pick(network.services, \.name, \.name)
        case .vpnGateway: return pick(network.vpnGateways, \.id, \.name)
        case .vpnConnection: return pick(network.vpnConnections, \.id, \.name)
        case .directConnectGateway: return pick(network.directConnectGateways, \.id, \.name)
        case .onPrem: return pick(network.onPremNetworks, \.name, \.name)
        }
    }

    /// `eni-…`, `internet` or `service:NAME` (docs/semantics.md §1 `finalDestination`); nil when not delivered.
    public func destinationID(_ delivery: Delivery) -> String? {
        switch delivery {
        case .none: return nil
        case .interface(let i): return id(of: .interface, i)
        case .interfaceEndpoint(let e, _):
            return Int(e) < network.endpoints.count ? "service:\(network.endpoints[Int(e)].service)" : nil
        case .internet: return "internet"
        case .service(let s): return "service:\(id(of: .service, s))"
        case .onPrem(let n): return "on-prem:\(id(of: .onPrem, n))"
        }
    }

    /// Index of the interface with this AWS id, if any.
    public func interfaceIndex(id: String) -> UInt32? {
        network.interfaces.firstIndex { $0.id == id }.map { UInt32($0) }
    }
}
