import Foundation
import Testing
@testable import VPCCheck
import VPCEngine
import VPCModel

/// How `EngineEvaluator` turns the engine's answer into the verdict a check compares: the engine's
/// own verdict, never one derived from the answer's text.
@Suite struct EngineVerdictTests {
    static let network = """
    name: verdicts
    vpcs:
      - name: main
        region: us-east-1
        cidr: 10.0.0.0/16
        internet_gateway: igw-main
        subnets:
          - {name: public-a, cidr: 10.0.1.0/24, az: us-east-1a, route_table: public}
        route_tables:
          - name: public
            routes: [{destination: 0.0.0.0/0, target: igw-main}]
        security_groups:
          - name: bastion
            ingress: [{protocol: tcp, ports: 22, cidr: 198.51.100.0/24}]
        interfaces:
          - {name: bastion, subnet: public-a, public_ip: true, security_groups: [bastion]}
    """

    static func outcome(_ check: CheckQuery) throws -> CheckOutcome {
        let network = try TopologyLoader.load(yaml: network, file: "verdicts.yaml").network
        let evaluator = EngineEvaluator()
        return try evaluator.reachability(check, in: try evaluator.prepare(network))
    }

    @Test func theInternetReachingFromSomeAddressesIsPartial() throws {
        let outcome = try Self.outcome(CheckQuery(from: "internet", to: "bastion", ipProtocol: .tcp, ports: PortRange(port: 22)))
        #expect(outcome.reachability == .partial)
        let verdict = try #require(outcome.verdicts.first)
        #expect(verdict.reachability == .partial)
        #expect(verdict.hops.map(\.name) == ["internet", "igw-main", "public-a", "bastion"])
        #expect(verdict.reasons == ["ENI_SG_RULES_MISMATCH"])
        #expect(verdict.explanation.contains("198.51.100.0/24"))
    }

    /// The verdict is the query's: reachable on something asked is `yes` even when other ports are
    /// blocked; `ports: all` demands every packet.
    @Test func everyPacketIsDemandedOnlyWithPortsAll() throws {
        let some = try Self.outcome(CheckQuery(from: "internet", to: "bastion", ipProtocol: .tcp))
        #expect(some.reachability == .partial)
        let fromInside = try Self.outcome(CheckQuery(from: "bastion", to: "internet"))
        #expect(fromInside.reachability == .reachable)
        let every = try Self.outcome(CheckQuery(from: "bastion", to: "internet", everyPacket: true))
        // The default group of a new SG egress allows everything; nothing is blocked on the way out.
        #expect(every.reachability == .reachable)
    }
}
