import Foundation

/// Transit gateways (route tables, associations, propagations, routes, attachments of every kind)
/// and the hybrid edges (virtual private gateways, customer gateways, VPN connections, and Direct
/// Connect gateways as far as transit gateway attachments show them), read the way AWS evaluates
/// them (docs/semantics.md §5.6, §5.10). On-premises networks are never made up: no describe-*
/// call names them; the prefixes behind an edge become the VPN connection's static routes and BGP
/// prefixes, or the Direct Connect gateway's prefixes.
extension AWSNetworkBuilder {
    // MARK: - Hybrid edges

    /// Transit gateway states in which it (or one of its attachments) carries traffic.
    static let liveTransitStates = ["available", "modifying"]

    func buildHybridEdges() {
        for raw in dedupe(snapshot.vpnGateways, id: \.id, location: \.location, kind: "virtual private gateway") {
            guard isLive(raw.state, "virtual private gateway '\(raw.id)'", at: raw.location) else { leftOut.insert(raw.id); continue }
            var vpcID = raw.vpcID
            if let attached = vpcID, vpc(attached) == nil { vpcID = nil }
            sourceMap.record(raw.id, raw.location)
            network.vpnGateways.append(VPNGateway(id: raw.id, name: uniqueName("vgw", raw.name, id: raw.id), vpcID: vpcID))
        }
        for raw in dedupe(snapshot.customerGateways, id: \.id, location: \.location, kind: "customer gateway") {
            guard isLive(raw.state, "customer gateway '\(raw.id)'", at: raw.location) else { leftOut.insert(raw.id); continue }
            sourceMap.record(raw.id, raw.location)
            network.customerGateways.append(CustomerGateway(id: raw.id, name: uniqueName("cgw", raw.name, id: raw.id), ipAddress: raw.ipAddress, asn: raw.asn))
        }
        let transitGateways = Set(snapshot.transitGateways.map(\.id))
        let liveTransitGateways = Set(snapshot.transitGateways.filter { $0.state.map(AWSNetworkBuilder.liveTransitStates.contains) ?? true }.map(\.id))
        for raw in dedupe(snapshot.vpnConnections, id: \.id, location: \.location, kind: "VPN connection") {
            guard isLive(raw.state, "VPN connection '\(raw.id)'", at: raw.location) else { leftOut.insert(raw.id); continue }
            let end: VPNConnection.Gateway
            if let id = raw.vpnGatewayID {
                guard network.vpnGateways.contains(where: { $0.id == id }) else {
                    if !leftOut.contains(id) { absent(id, "virtual private gateway", at: raw.location, "VPN connection '\(raw.id)' is left out") }
                    leftOut.insert(raw.id)
                    continue
                }
                end = .vpnGateway(id)
            } else if let id = raw.transitGatewayID {
                guard liveTransitGateways.contains(id) else {
                    if !transitGateways.contains(id) { absent(id, "transit gateway", at: raw.location, "VPN connection '\(raw.id)' is left out") }
                    leftOut.insert(raw.id)
                    continue
                }
                end = .transitGateway(id)
            } else {
                log.warning(raw.location, "VPN connection '\(raw.id)' is left out: it ends at "
                                + (raw.coreNetworkARN != nil ? "a Cloud WAN core network, which vpcsim does not model" : "neither a virtual private gateway nor a transit gateway"),
                            hint: "traffic to the networks behind it is answered as having no route")
                leftOut.insert(raw.id)
                continue
            }
            var customer = raw.customerGatewayID
            if let id = customer, !network.customerGateways.contains(where: { $0.id == id }) {
                if !leftOut.contains(id) { absent(id, "customer gateway", at: raw.location, "VPN connection '\(raw.id)' is kept without it") }
                customer = nil
            }
            let statics = raw.staticRoutes.map(\.cidr)
            sourceMap.record(raw.id, raw.location)
            network.vpnConnections.append(VPNConnection(id: raw.id, name: uniqueName("vpn", raw.name, id: raw.id), customerGatewayID: customer, gateway: end,
                                                        staticRoutes: statics, bgpPrefixes: raw.bgpPrefixes.filter { !statics.contains($0) }))
        }
    }

    /// A BGP connection whose learned prefixes the snapshot does not show leaves answers without a
    /// route to what is behind it: said once per connection, after every route has been read.
    func reportUnlearnedBGP() {
        for connection in network.vpnConnections where connection.prefixes.isEmpty {
            guard let raw = snapshot.vpnConnections.first(where: { $0.id == connection.id }), raw.staticRoutesOnly == false else { continue }
            let hint: String
            switch connection.gateway {
            case .transitGateway:
                hint = "the prefixes a transit gateway learns are its propagated routes: include search-transit-gateway-routes of the route tables the VPN attachment propagates into"
            case .vpnGateway(let id):
                hint = "the prefixes a virtual private gateway learns are propagated routes: include describe-route-tables with a route table that propagates routes from \(id)"
            }
            log.warning(raw.location, "VPN connection '\(connection.id)' uses BGP, but the snapshot shows no prefix learned over it: answers have no route to the networks behind it",
                        hint: hint)
        }
    }

    // MARK: - Transit gateways

    private struct TableInfo {
        var id: String
        var name: String?
        var location: SourceLocation
        var defaultAssociation = false
        var defaultPropagation = false
    }

    /// One attachment as every record that describes it says (attachments, VPC attachments,
    /// peering attachments, and the ids routes, associations and propagations name).
    private struct MergedAttachment {
        var id: String
        var tgwID: String
        var resourceType: String?
        var resourceID: String?
        var subnetIDs: [String]?
        var subnetsLocation: SourceLocation?
        var applianceMode = false
        var securityGroupReferencing: Bool?
        /// describe-transit-gateway-attachments lists it, and prints its association if it has one.
        var listed = false
        var associations: [AWSSnapshot.TGWLink] = []
        var states: [(state: String, location: SourceLocation)] = []
        var name: String?
        var location: SourceLocation
    }

    private struct Propagation { var tableID: String; var enabled: Bool }

    func buildTransitGateways() {
        let gateways = dedupe(snapshot.transitGateways, id: \.id, location: \.location, kind: "transit gateway").filter { raw in
            if isLive(raw.state, "transit gateway '\(raw.id)'", at: raw.location, live: AWSNetworkBuilder.liveTransitStates) { return true }
            leftOut.insert(raw.id)
            return false
        }
        let gatewayIDs = Set(gateways.map(\.id))
        let knownGateways = Set(snapshot.transitGateways.map(\.id))

        // Route tables: describe-transit-gateway-route-tables, else the default tables the gateway's
        // options name.
        var tables: [String: [TableInfo]] = [:]
        var tableOwner: [String: String] = [:]
        func addTable(_ info: TableInfo, to gatewayID: String) {
            guard tableOwner[info.id] == nil else { return }
            tableOwner[info.id] = gatewayID
            tables[gatewayID, default: []].append(info)
        }
        for raw in dedupe(snapshot.tgwRouteTables, id: \.id, location: \.location, kind: "transit gateway route table") {
            guard gatewayIDs.contains(raw.tgwID) else {
                if !knownGateways.contains(raw.tgwID) { absent(raw.tgwID, "transit gateway", at: raw.location, "its route table '\(raw.id)' is left out") }
                leftOut.insert(raw.id)
                continue
            }
            guard isLive(raw.state, "transit gateway route table '\(raw.id)'", at: raw.location) else { leftOut.insert(raw.id); continue }
            addTable(TableInfo(id: raw.id, name: raw.name, location: raw.location, defaultAssociation: raw.defaultAssociation,
                               defaultPropagation: raw.defaultPropagation), to: raw.tgwID)
        }
        for gateway in gateways where tables[gateway.id, default: []].isEmpty {
            var defaults: [String] = []
            for id in [gateway.associationTableID, gateway.propagationTableID].compactMap({ $0 }) where !defaults.contains(id) && !leftOut.contains(id) {
                defaults.append(id)
                addTable(TableInfo(id: id, name: nil, location: gateway.location, defaultAssociation: id == gateway.associationTableID,
                                   defaultPropagation: id == gateway.propagationTableID), to: gateway.id)
            }
            if !defaults.isEmpty && !snapshot.tgwRouteTables.isEmpty {
                log.warning(gateway.location, "describe-transit-gateway-route-tables lists no route table of transit gateway '\(gateway.id)'; the default route table its options name is assumed (\(defaults.joined(separator: ", ")))",
                            hint: "include the describe-transit-gateway-route-tables output of its region")
            }
        }

        // Which table each routes/associations/propagations list is of.
        var listingTable: [Int: String] = [:]
        for (index, listing) in snapshot.tgwListings.enumerated() {
            let items = listing.kind.rawValue
            func named(_ id: String) -> String? {
                if tableOwner[id] != nil { return id }
                if leftOut.contains(id) { return nil }
                // Without describe-transit-gateway-route-tables, the one gateway's tables are the ones its lists name.
                if gateways.count == 1 && snapshot.tgwRouteTables.isEmpty {
                    addTable(TableInfo(id: id, name: nil, location: listing.location), to: gateways[0].id)
                    return id
                }
                absent(id, "transit gateway route table", at: listing.location, "the \(items) \(listing.file) lists for it are ignored")
                return nil
            }
            if let id = listing.tableID {
                listingTable[index] = named(id)
                continue
            }
            let fileName = (listing.file as NSString).lastPathComponent
            if let id = tableOwner.keys.filter({ fileName.contains($0) }).sorted(by: { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }).first {
                listingTable[index] = id
                continue
            }
            if let id = AWSSnapshot.idInFileName(listing.file, prefix: "tgw-rtb-") {
                listingTable[index] = named(id)
                continue
            }
            // The file does not say: the only table of the only gateway.
            if gateways.count == 1 {
                let only = tables[gateways[0].id, default: []]
                if only.count == 1 { listingTable[index] = only[0].id; continue }
                if only.isEmpty {
                    let id = TransitGateway.defaultTableID(of: gateways[0].id)
                    addTable(TableInfo(id: id, name: nil, location: listing.location), to: gateways[0].id)
                    listingTable[index] = id
                    continue
                }
            }
            log.warning(listing.location, "the \(items) in \(listing.file) are ignored: "
                            + (gateways.isEmpty ? "the snapshot has no transit gateway (describe-transit-gateways)" : "the file name does not say which transit gateway route table they belong to"),
                        hint: "\(listing.kind.command) prints no route table id: save it as \(listing.kind.command)-tgw-rtb-XXXX.json")
        }

        // Attachments: merge every record of one (gateway, attachment id).
        var merged: [MergedAttachment] = []
        var position: [String: Int] = [:]
        func key(_ gatewayID: String, _ id: String) -> String { gatewayID + "|" + id }
        func merge(_ raw: AWSSnapshot.TGWAttachment) {
            let k = key(raw.tgwID, raw.id)
            let index: Int
            if let existing = position[k] {
                index = existing
            } else {
                index = merged.count
                position[k] = index
                merged.append(MergedAttachment(id: raw.id, tgwID: raw.tgwID, location: raw.location))
            }
            var m = merged[index]
            m.resourceType = m.resourceType ?? raw.resourceType
            m.resourceID = m.resourceID ?? raw.resourceID
            if m.subnetIDs == nil, let subnets = raw.subnetIDs { m.subnetIDs = subnets; m.subnetsLocation = raw.subnetsLocation }
            m.applianceMode = m.applianceMode || raw.applianceMode == true
            m.securityGroupReferencing = m.securityGroupReferencing ?? raw.securityGroupReferencing
            if raw.source == .attachments { m.listed = true }
            if let association = raw.association { m.associations.append(association) }
            if let state = raw.state { m.states.append((state, raw.location)) }
            m.name = m.name ?? raw.name
            merged[index] = m
        }
        var seen: Set<String> = []
        for raw in snapshot.tgwAttachments {
            guard seen.insert(key(raw.tgwID, raw.id) + "|" + raw.source.rawValue).inserted else {
                log.warning(once: "dup:\(raw.tgwID):\(raw.id)", raw.location, "transit gateway attachment '\(raw.id)' appears more than once; the first is used")
                continue
            }
            guard gatewayIDs.contains(raw.tgwID) else {
                if !knownGateways.contains(raw.tgwID) { absent(raw.tgwID, "transit gateway", at: raw.location, "its attachment '\(raw.id)' is left out") }
                leftOut.insert(raw.id)
                continue
            }
            merge(raw)
        }
        // A peering attachment has one id, seen from both gateways. describe-transit-gateway-attachments
        // says which gateways of the snapshot hold it; without it, both ends that are in the snapshot do.
        let listed = Set(snapshot.tgwAttachments.filter { $0.source == .attachments }.map(\.id))
        var peerings: [String: AWSSnapshot.TGWPeering] = [:]
        for peering in snapshot.tgwPeerings {
            if let first = peerings[peering.id] {
                if Set([first.requesterTGW, first.accepterTGW]) != Set([peering.requesterTGW, peering.accepterTGW]) {
                    log.warning(once: "dup:\(peering.id)", peering.location, "transit gateway peering attachment '\(peering.id)' appears twice with different gateways; the first is used")
                }
                continue
            }
            peerings[peering.id] = peering
            for (side, peer) in [(peering.requesterTGW, peering.accepterTGW), (peering.accepterTGW, peering.requesterTGW)] where gatewayIDs.contains(side) {
                if listed.contains(peering.id) && position[key(side, peering.id)] == nil { continue }
                merge(AWSSnapshot.TGWAttachment(id: peering.id, tgwID: side, source: .peering, resourceType: "peering", resourceID: peer,
                                                subnetIDs: nil, subnetsLocation: nil, applianceMode: nil, securityGroupReferencing: nil, association: nil,
                                                state: peering.state, name: peering.name, location: peering.location))
            }
            if !gatewayIDs.contains(peering.requesterTGW) && !gatewayIDs.contains(peering.accepterTGW) {
                for id in [peering.requesterTGW, peering.accepterTGW] where !knownGateways.contains(id) {
                    absent(id, "transit gateway", at: peering.location, "peering attachment '\(peering.id)' is left out")
                }
            }
        }
        // VPN, Direct Connect and peering attachments that only routes, associations or propagations
        // name: their records say what they attach.
        var references: [(ref: AWSSnapshot.TGWAttachmentRef, listing: Int)] = []
        for route in snapshot.tgwRoutes { references += route.attachments.map { ($0, route.listing) } }
        for link in snapshot.tgwAssociations + snapshot.tgwPropagations { if let listing = link.listing { references.append((link.attachment, listing)) } }
        for (ref, listing) in references {
            guard let table = listingTable[listing], let owner = tableOwner[table], position[key(owner, ref.id)] == nil,
                  let type = ref.resourceType, ["vpn", "direct-connect-gateway", "peering"].contains(type), let resourceID = ref.resourceID,
                  !leftOut.contains(ref.id),
                  !merged.contains(where: { $0.id == ref.id && !($0.resourceType == "peering" && $0.resourceID == owner) }) else { continue }
            merge(AWSSnapshot.TGWAttachment(id: ref.id, tgwID: owner, source: .reference, resourceType: type, resourceID: resourceID,
                                            subnetIDs: nil, subnetsLocation: nil, applianceMode: nil, securityGroupReferencing: nil, association: nil,
                                            state: nil, name: nil, location: ref.location))
        }
        // AWS attaches a VPN connection to the transit gateway it ends at; without any record of that
        // attachment, it gets a stable id.
        for connection in network.vpnConnections {
            guard case .transitGateway(let gatewayID) = connection.gateway,
                  !merged.contains(where: { $0.tgwID == gatewayID && $0.resourceType == "vpn" && $0.resourceID == connection.id }),
                  let raw = snapshot.vpnConnections.first(where: { $0.id == connection.id }) else { continue }
            let id = StableID.make("tgw-attach", "\(gatewayID):\(connection.id)")
            log.warning(raw.location, "the transit gateway attachment of VPN connection '\(connection.id)' is not in the snapshot; vpcsim calls it '\(id)'",
                        hint: "include describe-transit-gateway-attachments: routes that name its real id are otherwise blackholes")
            merge(AWSSnapshot.TGWAttachment(id: id, tgwID: gatewayID, source: .reference, resourceType: "vpn", resourceID: connection.id,
                                            subnetIDs: nil, subnetsLocation: nil, applianceMode: nil, securityGroupReferencing: nil, association: nil,
                                            state: nil, name: nil, location: raw.location))
        }

        // Associations and propagations the route tables' lists claim.
        var propagations: [String: [Propagation]] = [:]
        for (links, isAssociation) in [(snapshot.tgwAssociations, true), (snapshot.tgwPropagations, false)] {
            for link in links {
                guard let listing = link.listing, let table = listingTable[listing], let owner = tableOwner[table] else { continue }
                let id = link.attachment.id
                guard let index = position[key(owner, id)] else {
                    if let other = merged.first(where: { $0.id == id }) {
                        log.error(link.location, "attachment '\(id)' of transit gateway '\(other.tgwID)' \(isAssociation ? "is associated with" : "propagates into") route table '\(table)' of transit gateway '\(owner)'",
                                  hint: "an attachment is associated with, and propagates into, route tables of its own transit gateway; the snapshot mixes two states")
                    } else if !leftOut.contains(id) {
                        absent(id, "transit gateway attachment", at: link.location, "its \(isAssociation ? "association with" : "propagation into") '\(table)' is ignored")
                    }
                    continue
                }
                if isAssociation {
                    var resolved = link
                    resolved.tableID = table
                    merged[index].associations.append(resolved)
                } else {
                    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TransitGatewayRouteTablePropagation.html — State: enabling | enabled | disabling | disabled.
                    propagations[key(owner, id), default: []].append(Propagation(tableID: table, enabled: ["enabled", "enabling"].contains(link.state ?? "enabled")))
                }
            }
        }
        let associationListed = Set(snapshot.tgwListings.indices.filter { snapshot.tgwListings[$0].kind == .associations }.compactMap { listingTable[$0] })
        let propagationListed = Set(snapshot.tgwListings.indices.filter { snapshot.tgwListings[$0].kind == .propagations }.compactMap { listingTable[$0] })
        // A propagated route names an attachment that propagates into its table (prefix-list routes
        // are printed as propagated too, but are references).
        var propagatedVia: [String: Set<String>] = [:]
        for route in snapshot.tgwRoutes where route.propagated && route.prefixListID == nil {
            guard let table = listingTable[route.listing], let attachment = route.attachments.first else { continue }
            propagatedVia[table, default: []].insert(attachment.id)
        }

        for gateway in gateways {
            let gatewayTables = tables[gateway.id, default: []]
            let tableIDs = Set(gatewayTables.map(\.id))
            let allAssociationsListed = !gatewayTables.isEmpty && gatewayTables.allSatisfy { associationListed.contains($0.id) }
            let defaultAssociation = gateway.defaultAssociation
                ? (gateway.associationTableID ?? gatewayTables.first(where: \.defaultAssociation)?.id).flatMap { tableIDs.contains($0) ? $0 : nil } : nil
            let defaultPropagation = gateway.defaultPropagation
                ? (gateway.propagationTableID ?? gatewayTables.first(where: \.defaultPropagation)?.id).flatMap { tableIDs.contains($0) ? $0 : nil } : nil
            // Tables whose propagations the snapshot does not show (no list, no propagated route).
            let unknownPropagations = gatewayTables.map(\.id).filter { !propagationListed.contains($0) && propagatedVia[$0] == nil }
            var assumedAssociations: [String] = []
            var attachments: [TransitGateway.Attachment] = []
            var groupReferencingOff: [String] = []

            for m in merged where m.tgwID == gateway.id {
                guard let resource = attachmentResource(m, gatewayID: gateway.id) else { leftOut.insert(m.id); continue }
                var subnetIDs: [String] = []
                if case .vpc(let vpcID) = resource {
                    for id in m.subnetIDs ?? [] {
                        guard let subnet = subnet(id) else {
                            if !leftOut.contains(id) { absent(id, "subnet", at: m.subnetsLocation ?? m.location, "attachment '\(m.id)' has no interface there") }
                            continue
                        }
                        guard subnet.vpcID == vpcID else {
                            log.error(m.subnetsLocation ?? m.location, "subnet '\(id)' of transit gateway attachment '\(m.id)' is in VPC '\(subnet.vpcID)', not in the VPC it attaches ('\(vpcID)')",
                                      hint: "an attachment's subnets belong to the VPC it attaches; the snapshot mixes two states")
                            continue
                        }
                        if !subnetIDs.contains(id) { subnetIDs.append(id) }
                    }
                    if m.securityGroupReferencing == false { groupReferencingOff.append(m.id) }
                }

                // Association: the attachment's own, or what the route tables' lists say; at most one.
                var claimed: (table: String, location: SourceLocation)?
                for link in m.associations {
                    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TransitGatewayAttachmentAssociation.html — State: associating | associated | disassociating | disassociated.
                    guard ["associated", "associating"].contains(link.state ?? "associated"), let table = link.tableID else { continue }
                    guard tableOwner[table] == gateway.id else {
                        if let owner = tableOwner[table] {
                            log.error(link.location, "attachment '\(m.id)' of transit gateway '\(gateway.id)' is associated with route table '\(table)' of transit gateway '\(owner)'",
                                      hint: "an attachment is associated with a route table of its own transit gateway; the snapshot mixes two states")
                        } else if !leftOut.contains(table) {
                            absent(table, "transit gateway route table", at: link.location, "attachment '\(m.id)' is not associated with it")
                        }
                        continue
                    }
                    if let first = claimed {
                        if first.table != table {
                            log.error(link.location, "attachment '\(m.id)' of transit gateway '\(gateway.id)' is associated with two route tables: '\(first.table)' (\(first.location)) and '\(table)'",
                                      hint: "an attachment is associated with one route table at most; the snapshot mixes two states of the gateway")
                        }
                        continue
                    }
                    claimed = (table, link.location)
                }
                var association = claimed?.table
                if claimed == nil && !m.listed && !allAssociationsListed {
                    association = defaultAssociation
                    assumedAssociations.append(m.id)
                }

                // Propagations, in the gateway's table order. Peering attachments carry static routes only.
                var propagatesTo: [String] = []
                if case .peering = resource {} else {
                    let claims = propagations[key(gateway.id, m.id)] ?? []
                    for table in gatewayTables {
                        let propagates: Bool
                        if propagationListed.contains(table.id) {
                            propagates = claims.contains { $0.tableID == table.id && $0.enabled }
                        } else if let via = propagatedVia[table.id] {
                            propagates = via.contains(m.id)
                        } else {
                            // As AWS sets up a new attachment.
                            propagates = table.id == defaultPropagation
                        }
                        if propagates { propagatesTo.append(table.id) }
                    }
                }
                sourceMap.record(m.id, m.location)
                attachments.append(TransitGateway.Attachment(id: m.id, name: uniqueName("tgw-attach:\(gateway.id)", m.name, id: m.id), resource: resource,
                                                             subnetIDs: subnetIDs, applianceMode: m.applianceMode, routeTableID: association,
                                                             propagatesTo: propagatesTo))
            }

            if !assumedAssociations.isEmpty {
                let which = assumedAssociations.count == 1 ? "attachment '\(assumedAssociations[0])' is" : "attachments \(assumedAssociations.map { "'\($0)'" }.joined(separator: ", ")) are"
                log.warning(gateway.location, "the snapshot does not say which route table of transit gateway '\(gateway.id)' \(which) associated with; "
                                + (defaultAssociation.map { "assumed: its default association route table '\($0)'" } ?? "assumed: none, so the gateway drops what they send"),
                            hint: "include describe-transit-gateway-attachments (it prints each attachment's Association)")
            }
            if !unknownPropagations.isEmpty && attachments.contains(where: { if case .peering = $0.resource { return false } else { return true } }) {
                var assumption = "no attachment is assumed to propagate into \(unknownPropagations.count == 1 ? "it" : "them")"
                if let table = defaultPropagation, unknownPropagations.contains(table) {
                    assumption = "every attachment is assumed to propagate into '\(table)' (its default propagation route table), as AWS sets up new attachments"
                        + (unknownPropagations.count > 1 ? ", and into none of the others" : "")
                }
                log.warning(gateway.location, "the propagations of transit gateway route table\(unknownPropagations.count == 1 ? "" : "s") \(unknownPropagations.map { "'\($0)'" }.joined(separator: ", ")) are not in the snapshot; " + assumption,
                            hint: "include get-transit-gateway-route-table-propagations-<route table id>.json for each route table")
            }

            // Routes. First what propagated routes say the VPN connections and Direct Connect
            // gateways advertise (they are derived from those, not stored), then each table's routes.
            let attachmentByID = Dictionary(attachments.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let gatewayRoutes = snapshot.tgwRoutes.filter { route in listingTable[route.listing].map { tableOwner[$0] == gateway.id } ?? false }
            for route in gatewayRoutes where route.propagated && route.prefixListID == nil {
                guard let table = listingTable[route.listing], let cidr = route.destination, (route.state ?? "active") == "active",
                      let ref = route.attachments.first, let attachment = attachmentByID[ref.id], attachment.propagatesTo.contains(table) else { continue }
                learn(cidr, over: attachment)
            }
            var routeTables = gatewayTables.map { table -> TransitGateway.RouteTable in
                sourceMap.record(table.id, table.location)
                return TransitGateway.RouteTable(id: table.id, name: uniqueName("tgw-rtb:\(gateway.id)", table.name, id: table.id))
            }
            var prefixListRoutes: Set<String> = []
            for route in gatewayRoutes {
                guard let tableID = listingTable[route.listing], let tableIndex = routeTables.firstIndex(where: { $0.id == tableID }) else { continue }
                // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TransitGatewayRoute.html — State: pending | active | blackhole | deleting | deleted.
                let state = route.state ?? "active"
                guard ["active", "blackhole", "pending"].contains(state) else { continue }
                let destinationText = route.destination?.description ?? route.prefixListID ?? "?"
                var attachmentID: String?
                if state != "blackhole", let ref = route.attachments.first {
                    if route.attachments.count > 1 {
                        log.warning(once: "ecmp:\(tableID):\(destinationText)", route.location,
                                    "the route to \(destinationText) in '\(tableID)' has \(route.attachments.count) attachments (equal-cost multipath); vpcsim uses the first, '\(ref.id)'")
                    }
                    if attachmentByID[ref.id] != nil {
                        attachmentID = ref.id
                    } else if let other = merged.first(where: { $0.id == ref.id && $0.tgwID != gateway.id && !($0.resourceType == "peering" && $0.resourceID == gateway.id) }) {
                        log.error(ref.location, "route \(destinationText) in route table '\(tableID)' of transit gateway '\(gateway.id)' uses attachment '\(ref.id)' of transit gateway '\(other.tgwID)'",
                                  hint: "a transit gateway route targets an attachment of its own gateway; the snapshot mixes two states")
                        continue
                    } else if !leftOut.contains(ref.id) {
                        absent(ref.id, "transit gateway attachment", at: ref.location, "routes to it are read as blackholes")
                    }
                }
                var routes = routeTables[tableIndex].routes
                defer { routeTables[tableIndex].routes = routes }
                if let list = route.prefixListID {
                    if network.prefixLists.contains(where: { $0.id == list }) {
                        // One route per entry of the list: the list stands for them all.
                        guard prefixListRoutes.insert("\(tableID)|\(list)|\(attachmentID ?? "")").inserted else { continue }
                        routes.append(TransitGateway.Route(destination: .prefixList(list), attachmentID: attachmentID))
                        continue
                    }
                    guard let cidr = route.destination else {
                        absent(list, "prefix list", at: route.location, "the transit gateway route to it is left out")
                        continue
                    }
                    log.warning(once: "tgw-pl:\(list)", route.location, "prefix list '\(list)' is not in the snapshot; its transit gateway routes are read as the CIDR routes search-transit-gateway-routes prints",
                                hint: "include describe-managed-prefix-lists and get-managed-prefix-list-entries-\(list).json")
                    if !routes.contains(where: { $0.destination == .cidr(cidr) && !$0.propagated }) {
                        routes.append(TransitGateway.Route(destination: .cidr(cidr), attachmentID: attachmentID))
                    }
                    continue
                }
                guard let cidr = route.destination else { continue }
                if route.propagated {
                    // What the table learns from an attachment that propagates into it is derived from the attachment.
                    guard state != "blackhole", let id = attachmentID, let attachment = attachmentByID[id] else { continue }
                    if attachment.propagatesTo.contains(tableID) && derivedPrefixes(of: attachment).contains(cidr) { continue }
                    if routes.contains(where: { $0.destination == .cidr(cidr) && $0.propagated && $0.attachmentID == id }) { continue }
                    routes.append(TransitGateway.Route(destination: .cidr(cidr), attachmentID: id, propagated: true))
                    continue
                }
                if state != "blackhole" && route.attachments.isEmpty {
                    log.warning(route.location, "the transit gateway route to \(cidr) names no attachment; it is read as a blackhole")
                }
                if let existing = routes.first(where: { $0.destination == .cidr(cidr) && !$0.propagated }) {
                    if existing.attachmentID != attachmentID {
                        log.warning(once: "tgw-dup:\(tableID):\(cidr)", route.location, "route table '\(tableID)' lists two static routes to \(cidr); the first is used")
                    }
                    continue
                }
                routes.append(TransitGateway.Route(destination: .cidr(cidr), attachmentID: attachmentID))
            }

            // Security-group referencing is an option of the gateway and of each VPC attachment; the
            // model has it per gateway, so a gateway that enables it for only some is read as off.
            var groupReferencing = gateway.securityGroupReferencing
            if groupReferencing && !groupReferencingOff.isEmpty {
                groupReferencing = false
                log.warning(gateway.location, "security group referencing is enabled on transit gateway '\(gateway.id)' but disabled on attachment\(groupReferencingOff.count == 1 ? "" : "s") \(groupReferencingOff.map { "'\($0)'" }.joined(separator: ", ")); vpcsim models the option per gateway and reads it as off",
                            hint: "answers match no security group reference across this gateway; AWS matches them between the VPCs whose attachments enable it")
            }
            let region = gateway.region
                ?? attachments.lazy.compactMap { $0.vpcID.flatMap { self.vpc($0)?.region } }.first
                ?? snapshot.layoutRegions.first ?? "us-east-1"
            sourceMap.record(gateway.id, gateway.location)
            network.transitGateways.append(TransitGateway(id: gateway.id, name: uniqueName("tgw", gateway.name, id: gateway.id), region: region,
                                                          attachments: attachments, routeTables: routeTables, securityGroupReferencing: groupReferencing))
        }
    }

    /// What an attachment's records say it attaches; nil (with a warning) when it is left out.
    private func attachmentResource(_ m: MergedAttachment, gatewayID: String) -> TransitGateway.Attachment.Resource? {
        for (state, location) in m.states where !AWSNetworkBuilder.liveTransitStates.contains(state) {
            _ = isLive(state, "transit gateway attachment '\(m.id)'", at: location, live: AWSNetworkBuilder.liveTransitStates)
            return nil
        }
        switch m.resourceType {
        case "vpc":
            guard let vpcID = m.resourceID, vpc(vpcID) != nil else {
                if let vpcID = m.resourceID, !leftOut.contains(vpcID) { absent(vpcID, "VPC", at: m.location, "attachment '\(m.id)' is left out") }
                return nil
            }
            return .vpc(vpcID)
        case "vpn":
            guard let id = m.resourceID, let connection = network.vpnConnections.first(where: { $0.id == id }) else {
                if let id = m.resourceID, !leftOut.contains(id) { absent(id, "VPN connection", at: m.location, "attachment '\(m.id)' is left out") }
                return nil
            }
            guard connection.gateway == .transitGateway(gatewayID) else {
                log.warning(m.location, "attachment '\(m.id)' of transit gateway '\(gatewayID)' attaches VPN connection '\(id)', which ends at another gateway; it is left out")
                return nil
            }
            return .vpn(id)
        case "direct-connect-gateway":
            guard let id = m.resourceID else { return nil }
            // No ec2 call describes a Direct Connect gateway: what vpcsim knows of it is its
            // attachments and the routes they propagate.
            if let index = network.directConnectGateways.firstIndex(where: { $0.id == id }) {
                if !network.directConnectGateways[index].transitGatewayIDs.contains(gatewayID) { network.directConnectGateways[index].transitGatewayIDs.append(gatewayID) }
            } else {
                sourceMap.record(id, m.location)
                network.directConnectGateways.append(DirectConnectGateway(id: id, name: uniqueName("dxgw", nil, id: id), transitGatewayIDs: [gatewayID]))
            }
            return .directConnect(id)
        case "peering":
            guard let peer = m.resourceID else { return nil }
            return .peering(transitGatewayID: peer)
        case let other?:
            log.warning(m.location, "transit gateway attachment '\(m.id)' of type \(other) is left out: vpcsim models vpc, vpn, direct-connect-gateway and peering attachments",
                        hint: "routes to it are read as blackholes")
            return nil
        case nil:
            log.warning(m.location, "transit gateway attachment '\(m.id)' does not say what it attaches (no ResourceType or VpcId); it is left out",
                        hint: "include describe-transit-gateway-attachments or describe-transit-gateway-vpc-attachments")
            return nil
        }
    }

    /// The prefixes a table learns from an attachment that propagates into it (§5.6 step 3).
    private func derivedPrefixes(of attachment: TransitGateway.Attachment) -> [CIDR] {
        switch attachment.resource {
        case .vpc(let id): return vpc(id)?.cidrs ?? []
        case .vpn(let id): return network.vpnConnections.first { $0.id == id }?.prefixes ?? []
        case .directConnect(let id): return network.directConnectGateways.first { $0.id == id }?.prefixes ?? []
        case .peering: return []
        }
    }

    /// A prefix a transit gateway learned over a VPN (BGP) or Direct Connect attachment.
    private func learn(_ cidr: CIDR, over attachment: TransitGateway.Attachment) {
        switch attachment.resource {
        case .vpn(let id):
            guard let index = network.vpnConnections.firstIndex(where: { $0.id == id }), !network.vpnConnections[index].prefixes.contains(cidr) else { return }
            network.vpnConnections[index].bgpPrefixes.append(cidr)
        case .directConnect(let id):
            guard let index = network.directConnectGateways.firstIndex(where: { $0.id == id }), !network.directConnectGateways[index].prefixes.contains(cidr) else { return }
            network.directConnectGateways[index].prefixes.append(cidr)
        case .vpc, .peering:
            return
        }
    }
}
