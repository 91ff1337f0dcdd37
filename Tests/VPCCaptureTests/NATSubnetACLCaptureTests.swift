import Foundation
import Testing
import VPCCapture
import VPCEngine
import VPCModel

/// A network ACL denying entry into a NAT gateway's subnet: the NAT gateway's interface logs the
/// REJECT (`FlowLogRule`), and its capture point shows the dropped packet.
@Suite struct NATSubnetACLCaptureTests {
    /// app (private, default route through NAT-GW); the public subnet's ACL denies tcp/8080 from the
    /// app subnet in, and everything from 8.8.4.4 in (Fixtures/networks/observations.yaml).
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/networks/observations.yaml").path

    static func records(to destination: String, port: UInt16) throws -> (SimulatedFlow, [FlowLogRecord], app: String, nat: String) {
        let network = try TopologyLoader.load(path: path).network
        let engine = QueryEngine(network: network)
        let app = try #require(network.interfaces.firstIndex { $0.name == "app" })
        let nat = try #require(network.interfaces.first { if case .natGateway = $0.owner { return true } else { return false } })
        let flow = Flow(source: UInt32(app), destination: try #require(IPv4Address(destination)).value, ipProtocol: 6,
                        sourcePort: 40000, destinationPort: port)
        let capture = EngineCapture(engine: engine)
        let simulated = try #require(capture.simulatedFlow(RepresentativeFlow(flow: flow)))
        return (simulated, try capture.flowLogRecords([simulated]), network.interfaces[app].id, nat.id)
    }

    @Test func aRequestDeniedEntryIsRejectedAtTheNATGatewaysPrivateSide() throws {
        let (flow, records, app, nat) = try Self.records(to: "8.8.8.8", port: 8080)
        #expect(flow.points.map(\.name).last?.hasSuffix("NAT-GW (private side)") == true, "\(flow.points.map(\.name))")
        guard case .requestDropped(let drop) = flow.outcome else {
            Issue.record("the request is dropped: \(flow.outcome)")
            return
        }
        #expect(drop.afterPoint == flow.points.count - 1 && drop.rejected)
        #expect(drop.comment.contains("SUBNET_ACL_RESTRICTION"), "\(drop.comment)")
        #expect(Set(records.map { "\($0.interfaceID ?? "-") \($0.action?.rawValue ?? "-")" }) == ["\(app) ACCEPT", "\(nat) REJECT"])
    }

    @Test func aResponseDeniedBackIsRejectedAtTheNATGatewaysPublicSide() throws {
        let (flow, records, app, nat) = try Self.records(to: "8.8.4.4", port: 443)
        guard case .responseDropped(let drop) = flow.outcome else {
            Issue.record("the response is dropped: \(flow.outcome)")
            return
        }
        #expect(flow.points[drop.afterPoint].name.hasSuffix("NAT-GW (public side)") && drop.rejected, "\(flow.points.map(\.name))")
        let rejected = records.filter { $0.action == .reject }
        #expect(rejected.map(\.interfaceID) == [nat])
        #expect(rejected.first?.sourceAddress == FlowLogAddress("8.8.4.4"), "the response as the NAT gateway's public side sees it")
        #expect(records.filter { $0.interfaceID == app }.map(\.action) == [.accept], "the request left app; no response came back")
    }
}
