import Foundation
import Testing
import VPCCapture
import VPCCheck
import VPCEngine
import VPCModel

/// The flow log writer, flow log replay and capture replay agree: what vpcsim writes for a simulated
/// flow reads back as that flow with that outcome (they share `ObservationReader` and `FlowLogRule`).
@Suite struct ObservationRoundTripTests {
    /// Flows from every workload or standalone interface of a seed to every interface's private and
    /// public IP and to the internet, and from the internet to every public IP, on `services`; each
    /// source has its own ephemeral source port (so a response record reads as one). No load balancer
    /// legs: a target's answer to the load balancer's port below 32768 reads as a request (the
    /// documented limit of reading one record alone).
    static func flows(_ network: Network, services: [(ipProtocol: UInt8, port: UInt16)]) -> [Flow] {
        let sources = network.interfaces.indices.filter {
            switch network.interfaces[$0].owner {
            case .workload, .none: return true
            default: return false
            }
        }
        var destinations: [UInt32] = [IPv4Address(8, 8, 8, 8).value]
        var seen: Set<UInt32> = Set(destinations)
        for interface in network.interfaces {
            for address in interface.privateIPs.prefix(1) + (interface.publicIP.map { [$0] } ?? []) where seen.insert(address.value).inserted {
                destinations.append(address.value)
            }
        }
        let publicIPs = network.interfaces.compactMap(\.publicIP?.value)
        func flow(_ source: UInt32, external: UInt32 = 0, to destination: UInt32, _ service: (ipProtocol: UInt8, port: UInt16),
                  sourcePort: UInt16) -> Flow {
            service.ipProtocol == 1
                ? Flow(source: source, externalSource: external, destination: destination, ipProtocol: 1, icmpType: 8)
                : Flow(source: source, externalSource: external, destination: destination, ipProtocol: service.ipProtocol,
                       sourcePort: sourcePort, destinationPort: service.port)
        }
        var flows: [Flow] = []
        for (n, source) in sources.enumerated() {
            // Not to its own addresses: that traffic never leaves the instance, so no flow log sees it.
            let own = Set(network.interfaces[source].privateIPs.map(\.value))
            for destination in destinations where !own.contains(destination) {
                for service in services { flows.append(flow(UInt32(source), to: destination, service, sourcePort: 40000 + UInt16(n))) }
            }
        }
        for destination in publicIPs {
            for service in services {
                flows.append(flow(Flow.internet, external: IPv4Address(198, 51, 100, 7).value, to: destination, service, sourcePort: 50000))
            }
        }
        return flows
    }

    /// A pcapng of the flows as vpcsim simulates them, every capture point in one file.
    static func capture(_ flows: [Flow], _ engine: QueryEngine, in folder: URL, name: String) throws -> URL {
        let simulated = try EngineCapture(engine: engine).simulatedFlows(flows.map { RepresentativeFlow(flow: $0) })
        #expect(simulated.skipped.isEmpty)
        let url = folder.appendingPathComponent(name)
        _ = try PacketCapture(flows: simulated.flows).write(to: url.path)
        return url
    }

    static let flowLogServices: [(ipProtocol: UInt8, port: UInt16)] = [(6, 443), (6, 22), (6, 80), (17, 53)]

    @Test(arguments: Repository.seedNames)
    func flowLogsVpcsimWritesReplayAsAllAgree(seed: String) throws {
        let network = try Repository.seed(seed)
        let engine = QueryEngine(network: network)
        let capture = EngineCapture(engine: engine)
        let simulated = try capture.simulatedFlows(Self.flows(network, services: Self.flowLogServices).map { RepresentativeFlow(flow: $0) })
        #expect(simulated.skipped.isEmpty)
        let records = try capture.flowLogRecords(simulated.flows)
        #expect(records.contains { $0.action == .reject } && records.contains { $0.action == .accept })

        let result = FlowLogReplay.replay(records, in: engine)
        #expect(result.disagreements.isEmpty, "\(seed): \(result.disagreements.prefix(5).map { "\($0.flow): \($0.explanation)" })")
        #expect(result.replayed.count + result.skippedCount == records.count)
        // What the replay skips of vpcsim's own records: only NAT gateways' (and a private NAT gateway's
        // client, when a seed has one).
        let expectedSkips: Set<FlowLogReplay.SkipReason> = [.notAFlow(.natGatewayInterface), .notAFlow(.clientBehindNATGateway)]
        #expect(Set(result.skipped.map(\.reason)).isSubset(of: expectedSkips), "\(seed): \(result.skipped)")
    }

    /// A record's direction at its capture point: the request as seen at one of its interface's
    /// points, else the reverse of one (ICMP records carry no echo identifier, so a NAT gateway's
    /// hairpin request and its other point's reply can only be told apart in that order).
    static func direction(of record: FlowLogRecord, in flow: SimulatedFlow) -> Direction? {
        let ported = flow.flowProtocol != .icmpEcho
        for direction in [Direction.request, .response] {
            for point in flow.points where point.interfaceID == record.interfaceID {
                let header = direction == .request ? point.header : point.header.reversed
                guard record.sourceAddress == .ipv4(header.sourceAddress), record.destinationAddress == .ipv4(header.destinationAddress)
                else { continue }
                if !ported || (record.sourcePort == header.sourcePort && record.destinationPort == header.destinationPort) { return direction }
            }
        }
        return nil
    }

    struct Logged: Hashable, CustomStringConvertible {
        var interfaceID: String
        var direction: Direction
        var action: LoggedAction
        var description: String { "\(interfaceID) \(direction.name) \(action.rawValue)" }
    }

    @Test(arguments: Repository.seedNames)
    func theWritersRecordsAreTheRulesEntries(seed: String) throws {
        let network = try Repository.seed(seed)
        let engine = QueryEngine(network: network)
        let capture = EngineCapture(engine: engine)
        for flow in Self.flows(network, services: Self.flowLogServices + [(1, 0)]) {
            guard let simulated = capture.simulatedFlow(RepresentativeFlow(flow: flow)) else { continue }
            var written: Set<Logged> = []
            for record in try FlowLog.records(for: simulated, accountID: network.account) {
                let direction = try #require(Self.direction(of: record, in: simulated), "\(record.line)")
                let action: LoggedAction = record.action == .reject ? .reject : .accept
                written.insert(Logged(interfaceID: record.interfaceID ?? "-", direction: direction, action: action))
            }
            let events = engine.evaluator.trace(flow).1
            let ruled = Set(FlowLogRule.entries(of: flow, events: events, in: engine.plane).map {
                Logged(interfaceID: network.interfaces[Int($0.interface)].id, direction: $0.direction, action: $0.action)
            })
            #expect(written == ruled, "\(seed) \(flow) (points \(simulated.points.map(\.name))): written \(written.sorted { $0.description < $1.description }), rule \(ruled.sorted { $0.description < $1.description })")
        }
    }

    @Test(arguments: Repository.seedNames)
    func aCaptureVpcsimWritesReplaysAtItsSourceToTheSimulatedOutcome(seed: String) throws {
        let network = try Repository.seed(seed)
        let engine = QueryEngine(network: network)
        let folder = try CaptureReplayTests.folder()
        defer { try? FileManager.default.removeItem(at: folder) }

        let flows = Self.flows(network, services: Self.flowLogServices + [(1, 0)]).filter { !$0.isFromInternet }
        for (source, group) in Dictionary(grouping: flows, by: \.source) {
            let url = try Self.capture(group, engine, in: folder, name: "\(source).pcapng")
            let interface = network.interfaces[Int(source)].id
            let result = try CaptureReplay.replay(path: url.path, interface: interface, in: engine)
            let reachable = Dictionary(uniqueKeysWithValues: group.map { ($0, engine.evaluator.evaluate($0).reachable) })
            #expect(Set(result.replayed.map(\.flow)) == Set(group), "\(seed) \(interface): every flow, as it was, and nothing else")
            for item in result.replayed {
                #expect(item.interfaceIsSource)
                #expect((item.action == .accept) == reachable[item.flow], "\(seed) \(item.description): \(item.explanation)")
            }
        }
    }

    @Test func aCaptureReplaysAtTheDestinationToTheSameOutcome() throws {
        let network = try Repository.seed("000-lambda-endpoints")
        let engine = QueryEngine(network: network)
        let folder = try CaptureReplayTests.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let opensearch = try #require(network.interfaces.firstIndex { $0.name == "OpenSearch@private-a" })
        let address = network.interfaces[opensearch].privateIPs[0].value
        // Allowed from Lambda-Internet (tcp/443), blocked by OpenSearch's group otherwise.
        let flows = Self.flows(network, services: [(6, 443), (6, 22), (1, 0)]).filter {
            $0.destination == address && !$0.isFromInternet && $0.source != UInt32(opensearch)
        }
        let url = try Self.capture(flows, engine, in: folder, name: "opensearch.pcapng")
        let result = try CaptureReplay.replay(path: url.path, interface: network.interfaces[opensearch].name, in: engine)
        #expect(Set(result.replayed.map(\.flow)) == Set(flows))
        #expect(result.replayed.contains { $0.action == .accept } && result.replayed.contains { $0.action == .reject })
        for item in result.replayed {
            #expect(!item.interfaceIsSource)
            #expect((item.action == .accept) == engine.evaluator.evaluate(item.flow).reachable, "\(item.description)")
        }
    }

    // MARK: - Skip reasons, through both replays

    @Test func flowLogReplayCountsEachReasonItSkips() throws {
        let network = try Repository.seed("000-lambda-endpoints")
        func interface(_ name: String) throws -> NetworkInterface { try #require(network.interfaces.first { $0.name == name }) }
        let lambda = try interface("Lambda-Internet@private-a")
        let opensearch = try interface("OpenSearch@private-a")
        let nat = try #require(network.interfaces.first { if case .natGateway = $0.owner { return true } else { return false } })
        func record(_ at: NetworkInterface, _ source: String, _ destination: String, status: FlowLogRecord.LogStatus = .ok,
                    id: String? = nil) -> FlowLogRecord {
            FlowLogRecord(accountID: network.account, interfaceID: id ?? at.id, sourceAddress: FlowLogAddress(source),
                          destinationAddress: FlowLogAddress(destination), sourcePort: 40000, destinationPort: 443, protocolNumber: 6,
                          packets: 1, bytes: 60, start: 1, end: 2, action: .accept, logStatus: status)
        }
        let natIP = nat.privateIPs[0].description
        let lambdaIP = lambda.privateIPs[0].description
        var noInterface = record(lambda, lambdaIP, "8.8.8.8")
        noInterface.interfaceID = nil
        let records = [
            record(lambda, lambdaIP, "8.8.8.8", status: .noData),
            record(lambda, lambdaIP, "8.8.8.8", status: .skipData),
            noInterface,
            record(lambda, lambdaIP, "8.8.8.8", id: "eni-0000000000000000f"),
            record(lambda, "2001:db8::1", "2001:db8::2"),
            record(nat, natIP, "8.8.8.8"),
            record(lambda, "10.0.11.99", "8.8.8.8"),
            record(opensearch, natIP, opensearch.privateIPs[0].description),
            record(lambda, "8.8.8.8", lambdaIP),
            record(lambda, "10.99.0.5", lambdaIP),
        ]
        let result = FlowLogReplay.replay(records, in: QueryEngine(network: network))
        #expect(result.replayed.isEmpty)
        #expect(result.skipped.map(\.reason) == [
            .noData, .skipData, .noInterface, .unknownInterface, .ipv6, .notAFlow(.natGatewayInterface), .notAFlow(.notAtInterface),
            .notAFlow(.clientBehindNATGateway), .notAFlow(.noPublicIP), .notAFlow(.unknownPeer),
        ])
        #expect(result.skipped.allSatisfy { $0.count == 1 })
    }

    @Test func aCaptureAtANATGatewayIsNotReplayedThere() throws {
        let network = try Repository.seed("000-lambda-endpoints")
        let engine = QueryEngine(network: network)
        let folder = try CaptureReplayTests.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lambda = try #require(network.interfaces.firstIndex { $0.name == "Lambda-Internet@private-a" })
        let flow = Flow(source: UInt32(lambda), destination: IPv4Address(8, 8, 8, 8).value, ipProtocol: 6, sourcePort: 40000, destinationPort: 443)
        let url = try Self.capture([flow], engine, in: folder, name: "nat.pcapng")
        // At any NAT gateway's interface: the reader skips whatever it saw there.
        let nat = try #require(network.interfaces.first { if case .natGateway = $0.owner { return true } else { return false } })
        do {
            _ = try CaptureReplay.replay(path: url.path, interface: nat.id, in: engine)
            Issue.record("a capture with nothing to replay at the NAT gateway is an input error")
        } catch {
            #expect(error.message.contains("has no conversation at \(nat.id)"), "\(error.message)")
            #expect(error.message.contains(ObservationSkip.natGatewayInterface.description), "\(error.message)")
        }
    }
}
