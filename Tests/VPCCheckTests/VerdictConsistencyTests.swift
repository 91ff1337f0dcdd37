import Testing
@testable import VPCCheck
@testable import VPCEngine
import VPCModel
import VPCOracle

/// One verdict everywhere (docs/semantics.md §12): for every pair of a network's matrix, `query`'s
/// status, the matrix's status, the check with that expectation and `diff A A` agree; and a diff of
/// two networks reports exactly the pairs whose matrices differ.
@Suite struct VerdictConsistencyTests {
    static func networks() throws -> [(String, Network)] {
        try Repository.seedNames.map { ($0, try Repository.seed($0)) }
            + (1...4).map { ("random \($0)", RandomNetwork.make(seed: 0x5EED_0000 + UInt64($0))) }
    }

    @Test func queryMatrixCheckAndDiffAgreeOnEveryPair() throws {
        let evaluator = EngineEvaluator()
        for (name, network) in try Self.networks() {
            let engine = QueryEngine(network: network)
            let matrix = engine.matrix(from: try engine.matrixEndpoints(nil, asSource: true), to: try engine.matrixEndpoints(nil, asSource: false))
            var asked = 0
            for pair in matrix.pairs {
                guard let status = pair.status.connectionStatus else { continue }
                asked += 1
                let answer = try engine.answer(Query(from: pair.from, to: pair.to))
                #expect(answer.status == status, "\(name): \(pair.from) → \(pair.to): query \(answer.status), matrix \(status)")
                let check = try evaluator.reachability(CheckQuery(from: pair.from, to: pair.to), in: engine)
                #expect(check.reachability == Reachability(status), "\(name): \(pair.from) → \(pair.to): check \(check.reachability)")
                // With `ports: all`, reachable exactly when nothing asked is blocked from any source.
                let every = EngineEvaluator.decided(answer, everyPacket: true)
                let everything = status != .no && answer.sources.allSatisfy(\.everything) && answer.blocked.isEmpty
                #expect((every == .reachable) == everything, "\(name): \(pair.from) → \(pair.to): every packet \(every)")
            }
            #expect(asked > 0, "\(name)")
            let same = NetworkDiff.compare(old: network, new: network)
            #expect(same.changes.isEmpty, "\(name): \(same.changes.map { "\($0.source) → \($0.destination)" })")
        }
    }

    /// What one side's matrix says of a pair, independently of the diff: its status and, per source,
    /// the exact boxes that get through (sorted).
    static func fingerprint(_ pair: MatrixPair?) -> String {
        guard let pair else { return "absent" }
        let boxes = (pair.outcomes ?? []).map { outcome in
            "\(outcome.source) \(outcome.internetAddresses.map { "\($0)" } ?? ""): "
                + outcome.allowed.map { "\($0.ipProtocol) \($0.via?.text ?? "") \($0.ports) \($0.destinations)" }.sorted().joined(separator: "; ")
        }
        return pair.status.rawValue + " | " + boxes.sorted().joined(separator: " | ")
    }

    /// Random networks against themselves under a random fault: every pair the diff reports has a
    /// different matrix on the two sides, every pair whose matrices differ in verdict is reported,
    /// and each reported line's two stories say what the line says.
    @Test func aDiffAgreesPairByPairWithTheTwoMatrices() throws {
        var rng = SplitMix64(seed: 0xD1FF)
        for round in 0..<8 {
            let network = RandomNetwork.make(rng: &rng)
            var specs = network.natGateways.map { "remove=\($0.name)" } + network.workloads.map { "remove=\($0.name)" }
            specs += Set(network.subnets.map(\.availabilityZone)).sorted().map { "az-outage=\($0)" }
            specs += network.securityGroups.filter { !$0.ingress.isEmpty }.map { "sg-rule: {group: \($0.name), direction: ingress, index: 0}" }
            guard let spec = rng.anyOf(specs), let faulted = try? FaultInjector.apply(try NetworkDiff.parseFaults([spec]), to: network) else { continue }
            let result = NetworkDiff.compare(old: network, new: faulted)
            let old = QueryEngine(network: network), new = QueryEngine(network: faulted)
            func pairs(_ engine: QueryEngine) throws -> [String: MatrixPair] {
                let matrix = engine.matrix(from: try engine.matrixEndpoints(nil, asSource: true), to: try engine.matrixEndpoints(nil, asSource: false),
                                           keepOutcomes: true)
                return Dictionary(matrix.pairs.map { ("\($0.from) → \($0.to)", $0) }, uniquingKeysWith: { a, _ in a })
            }
            let before = try pairs(old), after = try pairs(new)
            let reported = Set(result.changes.map { "\($0.source) → \($0.destination)" })
            for key in Set(before.keys).union(after.keys) where !key.hasPrefix("internet → internet") {
                let was = before[key], now = after[key]
                if reported.contains(key) {
                    #expect(Self.fingerprint(was) != Self.fingerprint(now), "round \(round) \(spec): \(key) reported but both matrices agree")
                } else if let was, let now {
                    #expect(was.status == now.status, "round \(round) \(spec): \(key) not reported: \(was.status) → \(now.status)")
                }
            }
            for change in result.changes {
                for line in change.lines {
                    switch line.kind {
                    case .gained:
                        if case .path = line.now {} else { Issue.record("round \(round) \(spec): \(line.text): now \(line.now)") }
                        if case .path = line.was { Issue.record("round \(round) \(spec): \(line.text): it already got through") }
                    case .lost:
                        if case .path = line.now { Issue.record("round \(round) \(spec): \(line.text): it still gets through") }
                        if case .path = line.was {} else { Issue.record("round \(round) \(spec): \(line.text): was \(line.was)") }
                    case .sourcesChanged:
                        #expect(line.before != line.after)
                    }
                }
            }
        }
    }
}
