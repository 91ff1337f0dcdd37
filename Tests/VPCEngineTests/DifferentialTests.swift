import Testing
import VPCModel
import VPCOracle
import VPCEngine

/// Converts between the oracle's string-keyed world and the Evaluator's indices, so that verdicts can
/// be compared field by field. Only ids and names cross this boundary; no semantics do.
struct EvaluatorAdapter {
    let plane: DataPlane
    let evaluator: Evaluator

    init(_ network: Network) {
        plane = DataPlane(network)
        evaluator = Evaluator(plane)
    }

    func flow(_ flow: OracleFlow) -> Flow {
        if let client = flow.externalSource {
            return Flow(source: Flow.internet, externalSource: client.value, destination: flow.destination.value, ipProtocol: flow.ipProtocol,
                        sourcePort: flow.sourcePort, destinationPort: flow.destinationPort, icmpType: flow.icmpType, icmpCode: flow.icmpCode)
        }
        // An unknown interface id maps past the end, which the Evaluator reports as NO_SOURCE_OR_DESTINATION.
        let source = plane.interfaceIndex(id: flow.sourceInterfaceID) ?? UInt32(plane.interfaces.count)
        return Flow(source: source, destination: flow.destination.value, ipProtocol: flow.ipProtocol, sourcePort: flow.sourcePort,
                    destinationPort: flow.destinationPort, icmpType: flow.icmpType, icmpCode: flow.icmpCode)
    }

    /// The Evaluator's verdict in the oracle's terms.
    func evaluate(_ oracleFlow: OracleFlow) -> OracleVerdict {
        let verdict = evaluator.evaluate(flow(oracleFlow))
        return convert(verdict, flow: oracleFlow)
    }

    func convert(_ verdict: Verdict, flow: OracleFlow) -> OracleVerdict {
        var entity: String?
        if let kind = verdict.dropKind {
            entity = plane.id(of: kind, verdict.dropEntity)
            // The oracle names an unknown source by the id it was given.
            if verdict.reason == .noSourceOrDestination { entity = flow.sourceInterfaceID }
        }
        return OracleVerdict(reachable: verdict.reachable, reason: verdict.reason?.code, dropKind: verdict.dropKind?.name,
                             dropEntityID: entity, dropDirection: verdict.direction.map { $0 == .request ? .request : .response },
                             finalDestination: plane.destinationID(verdict.delivered),
                             translatedSource: verdict.wasDelivered ? IPv4Address(verdict.translatedSource) : nil)
    }
}

@Suite("Evaluator agrees with the naive oracle")
struct DifferentialTests {
    /// ≥ 100 000 random flows over random networks (several VPCs, peering, TGW, NAT, endpoints,
    /// appliances, random SG/NACL rules): zero disagreements on any verdict field.
    @Test func randomFlowsOnRandomNetworks() {
        let tally = Self.compare(networks: 200, seedFactor: 0x2545_F491_4F6C_DD1D) { network, rng in
            RandomNetwork.randomFlows(network, count: 520, rng: &rng)
        }
        let (compared, reachable, reasons, disagreements) = (tally.compared, tally.reachable, tally.reasons, tally.disagreements)
        #expect(compared >= 100_000)
        #expect(disagreements.isEmpty, "\(disagreements.count)+ disagreements:\n\(disagreements.joined(separator: "\n"))")
        // The comparison must cover the contract, not one corner of it.
        #expect(reachable > compared / 20)
        #expect(reasons.count >= 12, "reasons seen: \(reasons.keys.sorted())")
    }

    /// ≥ 20 000 flows that start on the internet (§4b) over random networks: to instances' public IPs,
    /// NAT gateway EIPs, load balancer nodes, private and unowned addresses, from random public
    /// clients and clients inside the rules' CIDRs. Zero disagreements on any verdict
    /// field. (It found the Evaluator treating a response routed into a gateway endpoint as delivered.)
    @Test func internetFlowsOnRandomNetworks() {
        let tally = Self.compare(networks: 200, seedFactor: 0x5851_F42D_4C95_7F2D) { network, rng in
            RandomNetwork.randomInternetFlows(network, count: 110, rng: &rng)
        }
        let (compared, reachable, responseDrops, reasons, disagreements) =
            (tally.compared, tally.reachable, tally.responseDrops, tally.reasons, tally.disagreements)
        #expect(compared >= 20_000)
        #expect(disagreements.isEmpty, "\(disagreements.count)+ disagreements:\n\(disagreements.joined(separator: "\n"))")
        // Every step of §4b must be exercised: delivered and answered, dropped on the way in, dropped on
        // the way back. (Random route tables send few responses back to the IGW, hence the low bar.)
        #expect(reachable > compared / 50, "only \(reachable) of \(compared) internet flows are reachable")
        #expect(responseDrops > compared / 20, "only \(responseDrops) response drops")
        let expected: Set<String> = ["NO_ROUTE_TO_DESTINATION", "NO_POSSIBLE_DESTINATION", "SUBNET_ACL_RESTRICTION", "ENI_SG_RULES_MISMATCH",
                                     "NAT_GATEWAY_UNSOLICITED_INBOUND", "RESPONSE_PATH_MISMATCH", "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS",
                                     "ELBV2_LISTENERS_MISMATCH"]
        #expect(expected.isSubset(of: Set(reasons.keys)), "never seen: \(expected.subtracting(reasons.keys).sorted()); seen \(reasons)")
    }

    /// What a comparison over random networks saw: counts, reasons (the oracle's), first disagreements.
    struct Tally {
        var compared = 0, reachable = 0, responseDrops = 0
        var reasons: [String: Int] = [:]
        var disagreements: [String] = []
    }

    /// Oracle vs Evaluator on `networks` random networks, each with the flows `flows` draws for it.
    static func compare(networks: Int, seedFactor: UInt64,
                        flows: (Network, inout SplitMix64) -> [OracleFlow]) -> Tally {
        var tally = Tally()
        for seed in UInt64(1)...UInt64(networks) {
            var rng = SplitMix64(seed: seed &* seedFactor)
            let network = RandomNetwork.make(rng: &rng)
            let oracle = NaiveOracle(network: network)
            let adapter = EvaluatorAdapter(network)
            for flow in flows(network, &rng) {
                let expected = oracle.evaluate(flow)
                let actual = adapter.evaluate(flow)
                tally.compared += 1
                if expected.reachable { tally.reachable += 1 }
                if expected.dropDirection == .response { tally.responseDrops += 1 }
                if let reason = expected.reason { tally.reasons[reason, default: 0] += 1 }
                if expected != actual && tally.disagreements.count < 15 {
                    tally.disagreements.append("seed \(seed) \(flow)\n  oracle:    \(expected)\n  evaluator: \(actual)")
                }
            }
        }
        return tally
    }

    /// The seed networks, on random flows between their interfaces, public IPs, services and the internet.
    @Test func seedNetworksAgreeOnEveryInterfacePair() throws {
        for path in ["000-lambda-endpoints", "001-omnigen", "002-multi-region-dr", "003-eks-fargate",
                     "004-lang-portal"] {
            let file = fixturePath("Fixtures/seeds/\(path).yaml")
            guard let network = try? TopologyLoader.load(path: file).network else {
                Issue.record("cannot load \(file)")
                continue
            }
            let oracle = NaiveOracle(network: network)
            let adapter = EvaluatorAdapter(network)
            var rng = SplitMix64(seed: 77)
            for flow in RandomNetwork.randomFlows(network, count: 3000, rng: &rng) {
                let expected = oracle.evaluate(flow), actual = adapter.evaluate(flow)
                #expect(expected == actual, "\(path) \(flow)\n  oracle:    \(expected)\n  evaluator: \(actual)")
                if expected != actual { break }
            }
            // And from the internet (§4b).
            for flow in RandomNetwork.randomInternetFlows(network, count: 1000, rng: &rng) {
                let expected = oracle.evaluate(flow), actual = adapter.evaluate(flow)
                #expect(expected == actual, "\(path) \(flow)\n  oracle:    \(expected)\n  evaluator: \(actual)")
                if expected != actual { break }
            }
        }
    }
}

/// Absolute path of a file in the repository (tests run from the package root or elsewhere).
func fixturePath(_ relative: String) -> String {
    let here = #filePath
    guard let range = here.range(of: "/Tests/") else { return relative }
    return String(here[..<range.lowerBound]) + "/" + relative
}
