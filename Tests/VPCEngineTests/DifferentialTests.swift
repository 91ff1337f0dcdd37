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
        if let site = flow.onPremNetwork, let client = flow.externalSource {
            return Flow(source: Flow.onPrem(UInt32(site)), externalSource: client.value, destination: flow.destination.value,
                        ipProtocol: flow.ipProtocol, sourcePort: flow.sourcePort, destinationPort: flow.destinationPort,
                        icmpType: flow.icmpType, icmpCode: flow.icmpCode)
        }
        if let client = flow.externalSource {
            return Flow(source: Flow.internet, externalSource: client.value, destination: flow.destination.value, ipProtocol: flow.ipProtocol,
                        sourcePort: flow.sourcePort, destinationPort: flow.destinationPort, icmpType: flow.icmpType, icmpCode: flow.icmpCode)
        }
        // An unknown interface id maps past the end, which the Evaluator reports as NO_SOURCE_OR_DESTINATION.
        let source = plane.interfaceIndex(id: flow.sourceInterfaceID) ?? UInt32(plane.interfaces.count)
        return Flow(source: source, destination: flow.destination.value, ipProtocol: flow.ipProtocol, sourcePort: flow.sourcePort,
                    destinationPort: flow.destinationPort, icmpType: flow.icmpType, icmpCode: flow.icmpCode)
    }

    /// The BatchEvaluator's verdicts for `flows` (both cores, lock-step stage on: these networks are
    /// small enough that it would be off by default), index-aligned.
    func evaluateBatch(_ flows: [OracleFlow]) -> VerdictColumns {
        var batch = BatchEvaluator(plane, jobs: 2)
        batch.lockStep = true
        return batch.evaluate(FlowColumns(flows.map(flow)))
    }

    /// Whether batch verdict `i` says exactly what the single-flow verdict says.
    static func same(_ verdict: Verdict, _ columns: VerdictColumns, _ i: Int) -> Bool {
        verdict.reachable == columns.isReachable(i) && verdict.reason == columns.reason(i) && verdict.dropKind == columns.dropKind(i)
            && verdict.dropEntity == columns.dropEntities[i] && verdict.direction == columns.direction(i)
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

@Suite("Evaluator and BatchEvaluator agree with the naive oracle")
struct DifferentialTests {
    /// ≥ 850 000 random flows over random networks (several VPCs, peering, TGW, NAT, endpoints,
    /// appliances, random SG/NACL rules): the batch, the single-flow Evaluator and the oracle agree
    /// on every verdict field. With the internet flows below, over a million flows per run.
    /// In two halves of 500 networks, so that both run at once.
    @Test(arguments: [0, 1]) func randomFlowsOnRandomNetworks(half: Int) {
        let tally = Self.compare(networks: 500, firstSeed: 1 + 500 * half, seedFactor: 0x2545_F491_4F6C_DD1D) { network, rng in
            RandomNetwork.randomFlows(network, count: 850, rng: &rng)
        }
        let (compared, reachable, reasons, disagreements) = (tally.compared, tally.reachable, tally.reasons, tally.disagreements)
        #expect(compared >= 425_000)
        #expect(disagreements.isEmpty, "\(disagreements.count)+ disagreements:\n\(disagreements.joined(separator: "\n"))")
        // The comparison must cover the contract, not one corner of it.
        #expect(reachable > compared / 20)
        #expect(reasons.count >= 12, "reasons seen: \(reasons.keys.sorted())")
    }

    /// ≥ 150 000 flows that start on the internet (§4b) over random networks: to instances' public IPs,
    /// NAT gateway EIPs, load balancer nodes, private and unowned addresses, from random public
    /// clients and clients inside the rules' CIDRs. Zero disagreements on any verdict
    /// field. (It found the Evaluator treating a response routed into a gateway endpoint as delivered.)
    @Test func internetFlowsOnRandomNetworks() {
        let tally = Self.compare(networks: 1000, seedFactor: 0x5851_F42D_4C95_7F2D) { network, rng in
            RandomNetwork.randomInternetFlows(network, count: 160, rng: &rng)
        }
        let (compared, reachable, responseDrops, reasons, disagreements) =
            (tally.compared, tally.reachable, tally.responseDrops, tally.reasons, tally.disagreements)
        #expect(compared >= 150_000)
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

    /// Random hub-and-spoke and hybrid networks (RandomNetwork.Options.all: several TGW route tables,
    /// partial attachment subnets, egress and inspection VPCs with and without appliance mode, TGW
    /// peering, VPNs to VGWs and TGWs, on-premises networks): flows from interfaces, the internet and
    /// on premises, zero disagreements (docs/semantics.md §4c, §5.6, §5.10, §5.11, §8 rule 7).
    @Test(arguments: [0, 1]) func transitAndHybridNetworks(half: Int) {
        let tally = Self.compare(networks: 400, firstSeed: 1 + 400 * half, seedFactor: 0x9E37_79B9_7F4A_7C15, options: .all) { network, rng in
            RandomNetwork.randomFlows(network, count: 400, rng: &rng) + RandomNetwork.randomInternetFlows(network, count: 60, rng: &rng)
                + RandomNetwork.randomOnPremFlows(network, count: 120, rng: &rng)
        }
        #expect(tally.compared >= 200_000)
        #expect(tally.disagreements.isEmpty, "\(tally.disagreements.count)+ disagreements:\n\(tally.disagreements.joined(separator: "\n"))")
        #expect(tally.reachable > tally.compared / 30, "only \(tally.reachable) of \(tally.compared) reachable")
        let expected: Set<String> = ["TGW_ATTACHMENT_NOT_IN_AZ", "TGW_RTB_BAD_STATE_ROUTE", "RESPONSE_PATH_MISMATCH", "NO_ROUTE_TO_DESTINATION"]
        #expect(expected.isSubset(of: Set(tally.reasons.keys)), "never seen: \(expected.subtracting(tally.reasons.keys).sorted())")
    }

    /// What a comparison over random networks saw: counts, reasons (the oracle's), first disagreements.
    struct Tally {
        var compared = 0, reachable = 0, responseDrops = 0
        var reasons: [String: Int] = [:]
        var disagreements: [String] = []
    }

    /// Oracle vs Evaluator vs BatchEvaluator on `networks` random networks, each with the flows
    /// `flows` draws for it (evaluated by the batch in one call, on two threads).
    static func compare(networks: Int, firstSeed: Int = 1, seedFactor: UInt64, options: RandomNetwork.Options = .base,
                        flows: (Network, inout SplitMix64) -> [OracleFlow]) -> Tally {
        var tally = Tally()
        for seed in UInt64(firstSeed)..<UInt64(firstSeed + networks) {
            var rng = SplitMix64(seed: seed &* seedFactor)
            let network = RandomNetwork.make(rng: &rng, options: options)
            let oracle = NaiveOracle(network: network)
            let adapter = EvaluatorAdapter(network)
            let drawn = flows(network, &rng)
            let batch = adapter.evaluateBatch(drawn)
            for (i, flow) in drawn.enumerated() {
                let expected = oracle.evaluate(flow)
                let single = adapter.evaluator.evaluate(adapter.flow(flow))
                let actual = adapter.convert(single, flow: flow)
                if !EvaluatorAdapter.same(single, batch, i) && tally.disagreements.count < 15 {
                    tally.disagreements.append("seed \(seed) \(flow)\n  evaluator: \(single)\n  batch: flow \(i) of \(drawn.count)")
                }
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

    /// The batch on the seed networks with the engine's own traffic sampler (hosts, public IPs,
    /// services, the internet), on one thread and on two: every verdict equals the single-flow one.
    @Test func batchEqualsSingleFlowOnSeedNetworks() throws {
        for path in ["000-lambda-endpoints", "001-omnigen", "002-multi-region-dr", "003-eks-fargate", "004-lang-portal"] {
            let network = try TopologyLoader.load(path: fixturePath("Fixtures/seeds/\(path).yaml")).network
            let plane = DataPlane(network)
            let evaluator = Evaluator(plane)
            var sampler = FlowSampler(plane, seed: 5)
            let flows = sampler.sample(count: 20_000)
            #expect(flows.count == 20_000)
            for (jobs, lockStep) in [(1, false), (2, false), (1, true), (2, true)] {
                var batch = BatchEvaluator(plane, jobs: jobs)
                batch.lockStep = lockStep
                let (mismatches, reachable) = Self.compareWithSingle(&batch, evaluator, flows, label: "\(path) jobs \(jobs) lock step \(lockStep)")
                #expect(batch.lastBatchWasGrouped)  // a few dozen sources: grouped by source
                #expect(mismatches == 0)
                // The sample must exercise both outcomes, or the comparison says little.
                #expect(reachable > flows.count / 50 && reachable < flows.count, "\(path): \(reachable) reachable")
            }
        }
    }

    /// Batch verdicts vs single-flow verdicts on `flows`: (mismatches, reachable); the first few
    /// mismatches are recorded as issues.
    static func compareWithSingle(_ batch: inout BatchEvaluator, _ evaluator: Evaluator, _ flows: FlowColumns,
                                  label: String) -> (mismatches: Int, reachable: Int) {
        let verdicts = batch.evaluate(flows)
        var mismatches = 0, reachable = 0
        for i in 0..<flows.count {
            let single = evaluator.evaluate(flows[i])
            if single.reachable { reachable += 1 }
            if !EvaluatorAdapter.same(single, verdicts, i) {
                mismatches += 1
                if mismatches <= 3 { Issue.record("\(label) flow \(i) \(flows[i]): single \(single)") }
            }
        }
        return (mismatches, reachable)
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
