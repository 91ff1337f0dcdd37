import VPCModel

/// Transit gateways, virtual private gateways, VPN connections, Direct Connect gateways and
/// on-premises networks, compiled (docs/semantics.md §5.6, §5.10, §5.11): every reference an index,
/// each TGW route table one trie table with its propagated routes and AWS's priority classes.
extension DataPlaneCompiler {
    /// The prefixes a virtual private gateway learns, with their class: each Direct Connect gateway's
    /// prefixes, then each VPN connection's static routes and BGP prefixes (§5.10).
    func onPremPrefixes(ofVPNGateway id: String) -> [(CIDR, RouteOrigin)] {
        var result: [(CIDR, RouteOrigin)] = []
        for gateway in network.directConnectGateways where gateway.vpnGatewayIDs.contains(id) {
            result += gateway.prefixes.map { ($0, .propagatedDirectConnect) }
        }
        for connection in network.vpnConnections where connection.gateway == .vpnGateway(id) {
            result += connection.staticRoutes.map { ($0, .propagatedVPNStatic) }
            result += connection.bgpPrefixes.map { ($0, .propagatedVPNBGP) }
        }
        return result
    }

    mutating func compileTransit(_ plane: inout DataPlane, _ tries: inout [[ResolvedPrefix]], vpcIndex: [String: UInt32],
                                 tgwIndex: [String: UInt32], vgwIndex: [String: UInt32]) {
        let vpnIndex = Self.indexMap(network.vpnConnections, \.id)
        let dxIndex = Self.indexMap(network.directConnectGateways, \.id)
        plane.vpnGateways = network.vpnGateways.map { $0.vpcID.flatMap { vpcIndex[$0] } ?? noIndex }

        // Attachments first (routes and VPN connections refer to them by global index).
        var attachmentStart: [Int] = []
        var vpcKeys: [(UInt64, UInt32)] = []
        for (g, tgw) in network.transitGateways.enumerated() {
            attachmentStart.append(plane.tgwAttachments.count)
            let tableStart = plane.tgwRouteTables.count
            let tableIndex = Self.indexMap(tgw.routeTables, \.id)
            for (a, attachment) in tgw.attachments.enumerated() {
                var kind = CompiledTGWAttachment.Kind.vpc
                var resource = noIndex
                switch attachment.resource {
                case .vpc(let id): resource = vpcIndex[id] ?? noIndex
                case .vpn(let id): kind = .vpn; resource = vpnIndex[id] ?? noIndex
                case .directConnect(let id): kind = .directConnect; resource = dxIndex[id] ?? noIndex
                case .peering(let id): kind = .peering; resource = tgwIndex[id] ?? noIndex
                }
                let subnetStart = plane.tgwAttachmentSubnets.count
                plane.tgwAttachmentSubnets += attachment.subnetIDs.compactMap { subnetIndex[$0] }
                let table = attachment.routeTableID.flatMap { tableIndex[$0] }.map { UInt32(tableStart) + $0 } ?? noIndex
                let global = UInt32(plane.tgwAttachments.count)
                plane.tgwAttachments.append(CompiledTGWAttachment(
                    gateway: UInt32(g), kind: kind, resource: resource,
                    subnets: Range32(subnetStart, plane.tgwAttachmentSubnets.count), applianceMode: attachment.applianceMode,
                    routeTable: table, modelIndex: UInt32(a)))
                // The first attachment of a VPC wins, as everywhere else ("first in model order").
                if kind == .vpc, resource != noIndex { vpcKeys.append((UInt64(g) << 32 | UInt64(resource), global)) }
            }
            // Route tables: static routes, then what each attachment propagates into them.
            for (t, table) in tgw.routeTables.enumerated() {
                let start = plane.tgwRoutes.count
                var candidates: [RouteCandidate] = []
                func add(_ cidr: CIDR, _ origin: RouteOrigin, attachment: UInt32, modelRoute: UInt32) {
                    let local = UInt32(plane.tgwRoutes.count - start)
                    plane.tgwRoutes.append(CompiledTGWRoute(attachment: attachment, modelRoute: modelRoute, propagated: CompiledCIDR(cidr)))
                    candidates.append(RouteCandidate(prefix: cidr.network.value, length: cidr.length, origin: origin, value: local))
                }
                let attachmentIndex = Self.indexMap(tgw.attachments, \.id)
                for (r, route) in table.routes.enumerated() {
                    let target = route.attachmentID.flatMap { attachmentIndex[$0] }.map { UInt32(attachmentStart[g]) + $0 } ?? noIndex
                    switch route.destination {
                    case .cidr(let cidr): add(cidr, route.propagated ? .propagated : .staticCIDR, attachment: target, modelRoute: UInt32(r))
                    case .prefixList(let id):
                        guard let list = prefixListIndex[id] else { continue }
                        for cidr in network.prefixLists[Int(list)].cidrs {
                            add(cidr, route.propagated ? .propagated : .prefixList, attachment: target, modelRoute: UInt32(r))
                        }
                    }
                }
                for (a, attachment) in tgw.attachments.enumerated() where attachment.propagatesTo.contains(table.id) {
                    let global = UInt32(attachmentStart[g] + a)
                    switch attachment.resource {
                    case .vpc(let id):
                        for cidr in vpcIndex[id].map({ network.vpcs[Int($0)].cidrs }) ?? [] {
                            add(cidr, .propagated, attachment: global, modelRoute: noIndex)
                        }
                    case .directConnect(let id):
                        for cidr in dxIndex[id].map({ network.directConnectGateways[Int($0)].prefixes }) ?? [] {
                            add(cidr, .propagatedDirectConnect, attachment: global, modelRoute: noIndex)
                        }
                    case .vpn(let id):
                        guard let connection = vpnIndex[id].map({ network.vpnConnections[Int($0)] }) else { continue }
                        // A VPN's static routes rank as static routes in a TGW table (AWS's route evaluation order).
                        for cidr in connection.staticRoutes { add(cidr, .staticCIDR, attachment: global, modelRoute: noIndex) }
                        for cidr in connection.bgpPrefixes { add(cidr, .propagatedVPNBGP, attachment: global, modelRoute: noIndex) }
                    case .peering:
                        break   // peerings carry static routes only
                    }
                }
                plane.tgwRouteTables.append(CompiledTGWRouteTable(trie: UInt32(tries.count), routes: Range32(start, plane.tgwRoutes.count),
                                                                  modelIndex: UInt32(t)))
                tries.append(RoutePriority.resolve(candidates))
            }
            plane.transitGateways.append(CompiledTransitGateway(
                attachments: Range32(attachmentStart[g], plane.tgwAttachments.count),
                routeTables: Range32(tableStart, plane.tgwRouteTables.count), securityGroupReferencing: tgw.securityGroupReferencing))
        }
        var firstByKey: [UInt64: UInt32] = [:]
        for (key, attachment) in vpcKeys where firstByKey[key] == nil { firstByKey[key] = attachment }
        let sorted = firstByKey.sorted { $0.key < $1.key }
        plane.tgwVPCAttachmentKeys = sorted.map(\.key)
        plane.tgwVPCAttachments = sorted.map(\.value)

        // VPN connections, Direct Connect gateways, on-premises networks.
        for connection in network.vpnConnections {
            switch connection.gateway {
            case .vpnGateway(let id):
                plane.vpnConnections.append(CompiledVPNConnection(toTransitGateway: false, gateway: vgwIndex[id] ?? noIndex, attachment: noIndex))
            case .transitGateway(let id):
                let gateway = tgwIndex[id] ?? noIndex
                var attachment = noIndex
                if gateway != noIndex, let a = network.transitGateways[Int(gateway)].attachments.firstIndex(where: { $0.resource == .vpn(connection.id) }) {
                    attachment = UInt32(attachmentStart[Int(gateway)] + a)
                }
                plane.vpnConnections.append(CompiledVPNConnection(toTransitGateway: true, gateway: gateway, attachment: attachment))
            }
        }
        for gateway in network.directConnectGateways {
            let start = plane.directConnectMembers.count
            plane.directConnectMembers += gateway.vpnGatewayIDs.compactMap { vgwIndex[$0] }
            let middle = plane.directConnectMembers.count
            plane.directConnectMembers += gateway.transitGatewayIDs.compactMap { tgwIndex[$0] }
            plane.directConnectGateways.append(CompiledDirectConnectGateway(vpnGateways: Range32(start, middle),
                                                                            transitGateways: Range32(middle, plane.directConnectMembers.count)))
        }
        for item in network.onPremNetworks {
            let start = plane.onPremCIDRs.count
            plane.onPremCIDRs += item.cidrs.map(CompiledCIDR.init)
            switch item.via {
            case .vpnConnection(let id):
                plane.onPremNetworks.append(CompiledOnPremNetwork(cidrs: Range32(start, plane.onPremCIDRs.count), edgeIsVPN: true,
                                                                  edge: vpnIndex[id] ?? noIndex))
            case .directConnectGateway(let id):
                plane.onPremNetworks.append(CompiledOnPremNetwork(cidrs: Range32(start, plane.onPremCIDRs.count), edgeIsVPN: false,
                                                                  edge: dxIndex[id] ?? noIndex))
            }
        }
    }
}
