import Testing
import VPCModel
import VPCOracle

/// The hand-built transit gateway and hybrid cases of Sources/VPCOracle/TransitCases.swift (docs/semantics.md
/// §5.1 step 3, §5.6, §5.10, §5.11, §4c, §8 rules 5 and 7): the oracle must give the verdict written
/// there by hand, and the Evaluator the same one. (EvaluatorAdapter.flow must map a flow from
/// on-premises, `OracleFlow.onPremNetwork`, to the Evaluator's §4c flow.)
@Suite("Oracle and Evaluator: transit gateways and hybrid edges on hand-built networks")
struct OracleTransitTests {
    static let names = TransitCases.all.map(\.name)

    static func named(_ name: String) throws -> TransitCases.Case {
        try #require(TransitCases.all.first { $0.name == name })
    }

    @Test func everyCaseHasItsOwnName() {
        #expect(Set(Self.names).count == Self.names.count)
    }

    @Test(arguments: names) func oracleGivesTheDocumentedVerdict(name: String) throws {
        let item = try Self.named(name)
        let verdict = NaiveOracle(network: item.network).evaluate(item.flow)
        #expect(verdict == item.expected, "\(item.flow)\n  expected: \(item.expected)\n  oracle:   \(verdict)")
    }

    @Test(arguments: names) func evaluatorGivesTheDocumentedVerdict(name: String) throws {
        let item = try Self.named(name)
        let verdict = EvaluatorAdapter(item.network).evaluate(item.flow)
        #expect(verdict == item.expected, "\(item.flow)\n  expected:  \(item.expected)\n  evaluator: \(verdict)")
    }

    @Test func selfCheckPasses() {
        let failures = TransitCases.selfCheck()
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}

@Suite("Random networks with transit gateways and hybrid edges")
struct RandomTransitNetworkTests {
    @Test func generatedNetworksAreValid() {
        for seed in UInt64(1)...60 {
            let network = RandomNetwork.make(seed: seed, options: .all)
            let errors = NetworkValidator.validate(network).filter { $0.severity == .error }
            #expect(errors.isEmpty, "seed \(seed): \(errors.map(\.message).joined(separator: "; "))")
        }
    }

    @Test func optionsOffKeepTheBaseNetworks() {
        #expect(RandomNetwork.make(seed: 42, options: .base) == RandomNetwork.make(seed: 42))
        #expect(RandomNetwork.make(seed: 42, options: .all) == RandomNetwork.make(seed: 42, options: .all))
        // (A seed may draw none of the additions.)
        let changed = (UInt64(1)...10).filter { RandomNetwork.make(seed: $0, options: .all) != RandomNetwork.make(seed: $0) }
        #expect(changed.count >= 5, "only seeds \(changed) differ")
    }

    /// The oracle terminates on random flows (from interfaces and from on-premises) over such networks,
    /// its verdicts are well formed, and they reach the outcomes only transit gateways and hybrid edges produce.
    @Test func oracleVerdictsReachTheNewOutcomes() {
        var seen: Set<String> = []
        let knownReasons = Set(OracleReason.allCases.map(\.rawValue)), knownKinds = Set(OracleHopKind.allCases.map(\.rawValue))
        for seed in UInt64(1)...40 {
            var rng = SplitMix64(seed: seed &* 0x9E37_79B9)
            let network = RandomNetwork.make(rng: &rng, options: .all)
            let oracle = NaiveOracle(network: network)
            let flows = RandomNetwork.randomFlows(network, count: 250, rng: &rng) + RandomNetwork.randomOnPremFlows(network, count: 100, rng: &rng)
            for flow in flows {
                let verdict = oracle.evaluate(flow)
                if verdict.reachable {
                    #expect(verdict.reason == nil && verdict.finalDestination != nil, "\(flow): \(verdict)")
                    if verdict.finalDestination?.hasPrefix("on-prem:") == true { seen.insert("delivered on-prem") }
                    if flow.isFromOnPrem { seen.insert("reachable from on-prem") }
                } else {
                    #expect(verdict.reason.map(knownReasons.contains) == true && verdict.dropKind.map(knownKinds.contains) == true
                            && verdict.dropDirection != nil && verdict.dropEntityID != nil, "\(flow): \(verdict)")
                    seen.insert("\(verdict.reason ?? "") at \(verdict.dropKind ?? "")")
                }
            }
        }
        let expected: Set<String> = ["delivered on-prem", "reachable from on-prem", "TGW_ATTACHMENT_NOT_IN_AZ at transit-gateway",
                                     "TGW_RTB_BAD_STATE_ROUTE at transit-gateway", "NO_ROUTE_TO_DESTINATION at transit-gateway",
                                     "ROUTING_LOOP at transit-gateway", "NO_POSSIBLE_DESTINATION at vpn-gateway",
                                     "NO_POSSIBLE_DESTINATION at vpn-connection", "RESPONSE_PATH_MISMATCH at interface",
                                     "RESPONSE_PATH_MISMATCH at on-prem", "NO_ROUTE_TO_DESTINATION at direct-connect-gateway"]
        #expect(expected.isSubset(of: seen), "never seen: \(expected.subtracting(seen).sorted())")
    }
}
