import Testing
import VPCModel
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
        let networks = 200, flowsPerNetwork = 520
        var disagreements: [String] = []
        var compared = 0, reachable = 0
        var reasons: [String: Int] = [:]
        for seed in UInt64(1)...UInt64(networks) {
            var rng = SplitMix64(seed: seed &* 0x2545_F491_4F6C_DD1D)
            let network = RandomNetwork.make(rng: &rng)
            let oracle = NaiveOracle(network: network)
            let adapter = EvaluatorAdapter(network)
            for flow in RandomNetwork.randomFlows(network, count: flowsPerNetwork, rng: &rng) {
                let expected = oracle.evaluate(flow)
                let actual = adapter.evaluate(flow)
                compared += 1
                if expected.reachable { reachable += 1 }
                if let reason = expected.reason { reasons[reason, default: 0] += 1 }
                if expected != actual && disagreements.count < 15 {
                    disagreements.append("seed \(seed) \(flow)\n  oracle:    \(expected)\n  evaluator: \(actual)")
                }
            }
        }
        #expect(compared >= 100_000)
        #expect(disagreements.isEmpty, "\(disagreements.count)+ disagreements:\n\(disagreements.joined(separator: "\n"))")
        // The comparison must cover the contract, not one corner of it.
        #expect(reachable > compared / 20)
        #expect(reasons.count >= 12, "reasons seen: \(reasons.keys.sorted())")
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
        }
    }
}

/// Absolute path of a file in the repository (tests run from the package root or elsewhere).
func fixturePath(_ relative: String) -> String {
    let here = #filePath
    guard let range = here.range(of: "/Tests/") else { return relative }
    return String(here[..<range.lowerBound]) + "/" + relative
}
