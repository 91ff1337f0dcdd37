import Foundation
import Testing
import VPCCapture
import VPCCheck
import VPCEngine
import VPCModel

/// `NetworkDiff` finds exactly the changes a fault introduces; `FlowLogReplay` counts agreements and
/// disagreements correctly on a flow log `EngineCapture` generates, with planted errors.
@Suite struct DiffReplayTests {
    static let seed000 = "000-lambda-endpoints"

    @Test func aNetworkAgainstItselfHasNoChanges() throws {
        let network = try Repository.seed(Self.seed000)
        let result = NetworkDiff.compare(old: network, new: network)
        #expect(result.pairs > 100)
        #expect(result.changes.isEmpty, "\(result.changes.map { "\($0.source) -> \($0.destination)" })")
        #expect(result.notes.isEmpty)
    }

    @Test func removingNATGatewayBChangesOnlyTheInternetPathsOfZoneB() throws {
        let network = try Repository.seed(Self.seed000)
        let faulted = try FaultInjector.apply(try NetworkDiff.parseFaults(["remove=NAT-GW-B"]), to: network)
        let result = NetworkDiff.compare(old: network, new: faulted)
        #expect(!result.changes.isEmpty)
        // Only the zone-B interfaces of the two workloads whose egress allows the internet lose it, and
        // only towards the internet or public AWS services without an endpoint (reached through
        // NAT-GW-B and the IGW).
        let endpointServices = Set(network.endpoints.map(\.service))
        for change in result.changes {
            #expect(["Lambda-Internet", "OpenSearch"].contains(change.source), "\(change.source) -> \(change.destination)")
            #expect(change.destination == "internet" || !endpointServices.contains(change.destination), "\(change.destination)")
            #expect(!change.lines.isEmpty)
            for line in change.lines {
                #expect(line.source.hasSuffix("@private-b") && line.kind == .lost, "\(line.text)")
                guard case .blocked(let block) = line.now else { Issue.record("\(line.text): now \(line.now)"); continue }
                #expect(block.reason == .badStateRoute)
                guard case .path(let hops, _) = line.was else { Issue.record("\(line.text): was \(line.was)"); continue }
                #expect(hops.contains { $0.name == "NAT-GW-B" })
            }
        }
        let pairs = Set(result.changes.map { "\($0.source) -> \($0.destination)" })
        #expect(pairs.contains("Lambda-Internet -> internet"))
        #expect(pairs.contains("OpenSearch -> internet"))
        let lambda = try #require(result.changes.first { $0.source == "Lambda-Internet" && $0.destination == "internet" })
        // Still yes from zone A: the verdict holds, the change is in what zone B gets.
        #expect(lambda.old == .status(.yes) && lambda.new == .status(.partly))
        let tcp443: [[TrafficClass]] = [[TrafficClass(.tcp, PortSet(443...443))]]
        #expect(lambda.lines.map(\.traffic) == tcp443, "\(lambda.lines.map(\.text))")
        #expect(lambda.lines.first?.text == "tcp/443 from Lambda-Internet@private-b no longer reaches internet", "\(lambda.lines.map(\.text))")
    }

    @Test func anAZOutageShowsTheLostSourcesAndDestinations() throws {
        let network = try Repository.seed(Self.seed000)
        let faulted = try FaultInjector.apply(try NetworkDiff.parseFaults(["az-outage: us-east-1a"]), to: network)
        let result = NetworkDiff.compare(old: network, new: faulted)
        let lines = result.changes.filter { $0.source == "Lambda-Internet" }.flatMap(\.lines)
        // The zone-A interface is gone: everything it reached is lost, and it is not there to explain.
        let zoneA = lines.filter { $0.source == "Lambda-Internet@private-a" }
        #expect(!zoneA.isEmpty && zoneA.allSatisfy { $0.kind == .lost && $0.now == .absent }, "\(zoneA.map(\.text))")
        // Zone B loses only destinations that were in zone A (OpenSearch's zone-A interface).
        let opensearchA = try #require(network.interfaces.first { $0.name == "OpenSearch@private-a" }?.privateIPs.first)
        let zoneB = lines.filter { $0.source == "Lambda-Internet@private-b" }
        #expect(zoneB.allSatisfy { $0.kind == .lost && $0.destinations == AddressSet([opensearchA.value...opensearchA.value]) }, "\(zoneB.map(\.text))")
        #expect(!result.changes.flatMap(\.lines).contains { $0.source == "Lambda-Internet@private-b" && $0.destinations.contains(0x0808_0808) })
        #expect(result.notes.contains { $0.contains("only in the old network") && $0.contains("Lambda-Internet@private-a") }, "\(result.notes)")
    }

    @Test func badFaultSpecsAreLocatedInputErrors() {
        let error = inputError { () throws(InputError) in try NetworkDiff.parseFaults(["bogus=1"]) }
        #expect(error?.description.contains("--fault 'bogus=1'") == true, "\(String(describing: error))")
        let route = try? NetworkDiff.parseFaults(["route: {table: private-a, destination: 0.0.0.0/0, action: blackhole}"])
        #expect(route?.count == 1)
    }

    // MARK: - Flow-log replay

    /// The flow log records `EngineCapture` writes for flows from every workload interface to the
    /// internet and to every other workload interface, on tcp/443 and tcp/80.
    static func generatedRecords(_ network: Network, engine: QueryEngine) throws -> [FlowLogRecord] {
        let workloads = network.interfaces.indices.filter { if case .workload = network.interfaces[$0].owner { return true } else { return false } }
        var representatives: [RepresentativeFlow] = []
        for (n, source) in workloads.enumerated() {
            for port: UInt16 in [443, 80] {
                let external = Flow(source: UInt32(source), destination: IPv4Address("8.8.8.8")?.value ?? 0, ipProtocol: 6,
                                    sourcePort: 40000 + UInt16(n), destinationPort: port)
                representatives.append(RepresentativeFlow(flow: external))
                for destination in workloads where destination != source {
                    let flow = Flow(source: UInt32(source), destination: network.interfaces[destination].privateIPs[0].value, ipProtocol: 6,
                                    sourcePort: 41000 + UInt16(n), destinationPort: port)
                    representatives.append(RepresentativeFlow(flow: flow))
                }
            }
        }
        let capture = EngineCapture(engine: engine)
        let simulated = try capture.simulatedFlows(representatives)
        #expect(simulated.skipped.isEmpty)
        return try capture.flowLogRecords(simulated.flows)
    }

    @Test func replayCountsAgreementsAndPlantedDisagreements() throws {
        let network = try Repository.seed(Self.seed000)
        let engine = QueryEngine(network: network)
        var records = try Self.generatedRecords(network, engine: engine)
        let workloads = network.interfaces.indices.filter { if case .workload = network.interfaces[$0].owner { return true } else { return false } }
        #expect(records.contains { $0.action == .reject } && records.contains { $0.action == .accept })
        // Records at NAT gateway interfaces are traffic passing through: skipped.
        let natIDs = Set(network.interfaces.filter { if case .natGateway = $0.owner { return true } else { return false } }.map(\.id))
        let atNAT = records.indices.filter { records[$0].interfaceID.map(natIDs.contains) ?? false }
        #expect(!atNAT.isEmpty, "flows to the internet pass the NAT gateways")
        // Both ends of a flow log, requests and responses, and the replay agrees with every record.
        let clean = FlowLogReplay.replay(records, in: engine)
        #expect(Set(clean.replayed.map(\.role)).count == 4)
        #expect(clean.disagreements.isEmpty, "\(clean.disagreements.map(\.explanation))")
        #expect(clean.replayed.count == records.count - atNAT.count)

        // Plant errors: flip every 7th record's action (and some at NAT gateways, which stay skipped).
        var flipped: Set<Int> = []
        for i in stride(from: 3, to: records.count, by: 7) {
            records[i].action = records[i].action == .accept ? .reject : .accept
            if !atNAT.contains(i) { flipped.insert(i + 1) }
        }
        #expect(flipped.count > 10)
        // Records to skip.
        let anyID = network.interfaces[workloads[0]].id
        records.append(FlowLogRecord(accountID: "123456789012", interfaceID: anyID, sourceAddress: nil, destinationAddress: nil, sourcePort: nil,
                                     destinationPort: nil, protocolNumber: nil, packets: nil, bytes: nil, start: 1, end: 2, action: nil, logStatus: .noData))
        records.append(FlowLogRecord(accountID: "123456789012", interfaceID: anyID, sourceAddress: nil, destinationAddress: nil, sourcePort: nil,
                                     destinationPort: nil, protocolNumber: nil, packets: nil, bytes: nil, start: 1, end: 2, action: nil, logStatus: .skipData))
        records.append(FlowLogRecord(accountID: "123456789012", interfaceID: "eni-0123456789abcdef0", sourceAddress: .ipv4(0x0A00_0001),
                                     destinationAddress: .ipv4(0x0808_0808), sourcePort: 40000, destinationPort: 443, protocolNumber: 6,
                                     packets: 1, bytes: 60, start: 1, end: 2, action: .accept))

        // Through the writer and the reader, as a file.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-replay-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: url) }
        try FlowLog.write(records, to: url.path)
        let read = try FlowLogReplay.read(path: url.path)
        #expect(read.count == records.count)
        #expect(read.first?.line == 2, "the field names line comes first")
        let result = FlowLogReplay.replay(read, in: engine)

        let replayedCount = records.count - 3 - atNAT.count
        #expect(result.records == records.count)
        #expect(result.replayed.count == replayedCount)
        #expect(result.disagreements.count == flipped.count)
        #expect(result.agreed == replayedCount - flipped.count)
        #expect(Set(result.disagreements.map { $0.line - 1 }) == flipped, "records by number (the header is line 1)")
        #expect(result.skippedCount == 3 + atNAT.count)
        #expect(result.skipped.map(\.reason) == [FlowLogReplay.SkipReason.notAFlow(.natGatewayInterface), FlowLogReplay.SkipReason.noData, FlowLogReplay.SkipReason.skipData,
                                                 FlowLogReplay.SkipReason.unknownInterface])
        for item in result.disagreements { #expect(item.explanation.contains("the simulator logs")) }
    }

    @Test func aResponseRecordIsJudgedByItsRequest() throws {
        let network = try Repository.seed(Self.seed000)
        let log = """
        2 123456789012 eni-c0ea899db29c896c5 8.8.8.8 10.0.11.11 443 40000 6 10 4000 1700000000 1700000060 ACCEPT OK
        2 123456789012 eni-10fabfd7dd9988501 10.0.11.12 8.8.8.8 40001 443 6 3 180 1700000000 1700000060 ACCEPT OK
        """
        let result = FlowLogReplay.replay(try FlowLog.parse(log), in: QueryEngine(network: network))
        #expect(result.replayed.map(\.role) == [.responseDestination, .requestSource])
        #expect(result.agreed == 1)
        let wrong = try #require(result.disagreements.first)
        #expect(wrong.line == 2)
        #expect(wrong.explanation.contains("ENI_SG_RULES_MISMATCH"), "\(wrong.explanation)")
    }

    @Test func scenarioTrafficReplaysAFlowLog() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-scenario-log-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: url) }
        try """
        2 123456789012 eni-c0ea899db29c896c5 10.0.11.11 8.8.8.8 40000 443 6 10 840 1700000000 1700000060 ACCEPT OK
        2 123456789012 eni-10fabfd7dd9988501 10.0.11.12 8.8.8.8 40001 443 6 3 180 1700000000 1700000060 ACCEPT OK
        """.write(to: url, atomically: true, encoding: .utf8)
        let engine = try EngineEvaluator().prepare(try Repository.seed(Self.seed000))
        let outcomes = try EngineEvaluator().replay(.flowLogs(path: url.path), in: engine)
        #expect(outcomes.count == 2)
        #expect(outcomes.map(\.logged) == [.accept, .accept])
        #expect(outcomes.map(\.action) == [.accept, .reject])
        #expect(outcomes[1].origin == "\(url.path):2")
    }
}
