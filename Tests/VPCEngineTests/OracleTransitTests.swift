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
