import Foundation
import Testing
@testable import VPCCheck
import VPCEngine

/// How `EngineEvaluator` turns one source of an engine answer into a path verdict.
@Suite struct EngineVerdictTests {
    static let answer = """
    {"from": "internet", "to": "ALB", "protocol": "tcp", "port": "443", "reachable": false, "partial": true, "notes": [],
     "sources": [{"name": "internet", "id": "internet", "reachable": false, "summary": "tcp/443 (from some addresses only)"}],
     "allowed": [{"protocol": "tcp", "ports": "443", "destinations": ["ALB"], "sources": ["internet 198.51.100.0/24"],
                  "hops": [{"kind": "internet-gateway", "id": "igw-1", "name": "IGW", "detail": "in"},
                           {"kind": "interface", "id": "eni-1", "name": "ALB@public-a", "detail": "delivered"}]}],
     "blocked": [{"protocol": "tcp", "ports": "443", "destinations": ["ALB"], "sources": ["internet 0.0.0.0/1"],
                  "reason": "ENI_SG_RULES_MISMATCH", "summary": "no rule", "direction": "request",
                  "at": {"kind": "interface", "id": "eni-1", "name": "ALB@public-a", "detail": "dropped"},
                  "rule": "alb ingress allows 198.51.100.0/24 only"}]}
    """

    @Test func theInternetReachingFromSomeAddressesIsPartial() throws {
        let answer = try JSONDecoder().decode(Answer.self, from: Data(Self.answer.utf8))
        let source = try #require(answer.sources.first)
        let verdict = EngineEvaluator.verdict(for: source, in: answer)
        #expect(verdict.reachability == .partial)
        #expect(verdict.hops.map(\.name) == ["IGW", "ALB@public-a"])
        #expect(verdict.reasons == ["ENI_SG_RULES_MISMATCH"])
        #expect(verdict.explanation.contains("alb ingress allows 198.51.100.0/24 only"))
    }
}
