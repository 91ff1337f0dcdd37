import Testing
import VPCModel
import VPCOracle
@testable import VPCEngine

@Suite("Batch evaluation pieces")
struct BatchTests {
    /// The lock-step hash probes find the same owner as the one-key lookup and as the sorted index
    /// they are built from, for every private address of every VPC, addresses next to them, addresses
    /// in no VPC and the one key that equals the empty-slot marker.
    @Test func lockStepOwnersEqualOneAtATime() {
        for seed in UInt64(1)...UInt64(40) {
            let plane = DataPlane(RandomNetwork.make(seed: seed))
            var keys: [UInt64] = []
            for vpc in 0..<UInt32(plane.vpcs.count + 1) {
                for a in plane.interfaceAddresses { keys += [UInt64(vpc) << 32 | UInt64(a), UInt64(vpc) << 32 | UInt64(a &+ 1), UInt64(vpc) << 32 | UInt64(a &- 1)] }
                keys.append(UInt64(vpc) << 32 | 0x0808_0808)
            }
            keys.append(.max)
            var owners = [UInt32](repeating: 0, count: keys.count)
            var slots = [Int](repeating: 0, count: keys.count)
            keys.withUnsafeBufferPointer { k in
                owners.withUnsafeMutableBufferPointer { o in
                    slots.withUnsafeMutableBufferPointer { b in
                        var i = 0
                        while i < k.count {
                            let c = min(16, k.count - i)
                            plane.owners(keys: k.baseAddress! + i, count: c, into: o.baseAddress! + i, slots: b.baseAddress! + i)
                            i += c
                        }
                    }
                }
            }
            for (i, key) in keys.enumerated() {
                let expected = plane.owner(of: UInt32(truncatingIfNeeded: key), inVPC: UInt32(key >> 32))
                let s = plane.privateOwnerKeys.firstIndex(of: key)
                let sorted = key == .max ? noIndex : s.map { plane.privateOwners[$0] } ?? noIndex
                #expect(owners[i] == expected && expected == sorted, "seed \(seed) key \(String(key, radix: 16))")
                if owners[i] != expected { return }
            }
        }
    }

    /// A generated network above the lock-step threshold (the batch's default turns the stage on):
    /// every verdict of sampled traffic equals the single-flow Evaluator's.
    @Test func largeGeneratedNetworkBatchEqualsSingle() throws {
        let options = GeneratorOptions(vpcs: 40, subnetsPerVPC: 6, interfaces: 6000, securityGroupRules: 3000, peering: .hub, seed: 9)
        let plane = DataPlane(try NetworkGenerator.generate(options))
        var batch = BatchEvaluator(plane, jobs: 2)
        #expect(batch.lockStep)
        var sampler = FlowSampler(plane, seed: 11)
        let flows = sampler.sample(count: 30_000)
        let (mismatches, reachable) = DifferentialTests.compareWithSingle(&batch, Evaluator(plane), flows, label: "generated")
        #expect(!batch.lastBatchWasGrouped)  // 5 flows per source: walked in input order
        #expect(mismatches == 0)
        #expect(reachable > flows.count / 50, "\(reachable) reachable")
    }

    /// One BatchEvaluator reused across batches of different sizes whose grouping decision flips
    /// both ways, and with grouping forced on a large network with lock step: every verdict equals
    /// the single-flow Evaluator's, and `lastBatchWasGrouped` follows the rule.
    @Test func groupingDecisionsAcrossReusedBatches() throws {
        let seed = DataPlane(try TopologyLoader.loadDefault().network)
        var sampler = FlowSampler(seed, seed: 21)
        let many = sampler.sample(count: 5_000), few = sampler.sample(count: 10)
        var batch = BatchEvaluator(seed, jobs: 2)
        for (flows, grouped) in [(many, true), (few, false), (many, true), (FlowColumns(), false), (few, false)] {
            let (mismatches, _) = DifferentialTests.compareWithSingle(&batch, Evaluator(seed), flows, label: "seed \(flows.count)")
            #expect(mismatches == 0)
            #expect(batch.lastBatchWasGrouped == grouped, "\(flows.count) flows")
        }
        batch.groupingThreshold = .max  // never, without overflowing
        _ = DifferentialTests.compareWithSingle(&batch, Evaluator(seed), many, label: "never")
        #expect(!batch.lastBatchWasGrouped)

        let options = GeneratorOptions(vpcs: 20, subnetsPerVPC: 4, interfaces: 5000, securityGroupRules: 2000, peering: .hub, seed: 4)
        let large = DataPlane(try NetworkGenerator.generate(options))
        var largeSampler = FlowSampler(large, seed: 8)
        let flows = largeSampler.sample(count: 20_000)
        var forced = BatchEvaluator(large, jobs: 2)
        forced.groupingThreshold = 0
        #expect(forced.lockStep)
        let (mismatches, reachable) = DifferentialTests.compareWithSingle(&forced, Evaluator(large), flows, label: "forced grouping")
        #expect(forced.lastBatchWasGrouped)
        #expect(mismatches == 0)
        #expect(reachable > flows.count / 50)
    }

    /// ICMP type and code travel in the destination-port column (NetFlow's convention) and come back.
    @Test func flowColumnsRoundTrip() {
        let flows = [
            Flow(source: 3, destination: 0x0A00_0001, ipProtocol: 6, sourcePort: 40000, destinationPort: 443),
            Flow(source: 1, destination: 0x0A00_0002, ipProtocol: 1, icmpType: 8, icmpCode: 0),
            Flow(source: 1, destination: 0x0A00_0002, ipProtocol: 1, icmpType: 3, icmpCode: 4),
            Flow(source: Flow.internet, externalSource: 0x0808_0808, destination: 0x3400_0001, ipProtocol: 17, sourcePort: 5000, destinationPort: 53),
            Flow(source: 2, destination: 0x0A00_0003, ipProtocol: 50),
        ]
        let columns = FlowColumns(flows)
        #expect(columns.count == flows.count)
        #expect(columns.destinationPorts[2] == 3 << 8 | 4)
        for (i, flow) in flows.enumerated() { #expect(columns[i] == flow) }
    }

    /// Nothing to do, and a source that does not exist: the batch says what the Evaluator says.
    @Test func emptyBatchAndUnknownSource() throws {
        let plane = DataPlane(try TopologyLoader.loadDefault().network)
        var batch = BatchEvaluator(plane, jobs: 2)
        #expect(batch.evaluate(FlowColumns()).count == 0)
        let bad = Flow(source: UInt32(plane.interfaces.count + 5), destination: 0x0A00_0001, ipProtocol: 6, sourcePort: 1, destinationPort: 2)
        let verdicts = batch.evaluate(FlowColumns([bad]))
        #expect(!verdicts.isReachable(0))
        #expect(verdicts.reason(0) == .noSourceOrDestination)
        #expect(verdicts.direction(0) == .request)
        // A reused buffer of another size is resized, and every verdict overwritten.
        var reused = VerdictColumns(count: 3)
        batch.evaluate(FlowColumns([bad, bad]), into: &reused)
        #expect(reused.count == 2 && reused.reason(1) == .noSourceOrDestination)
    }

    /// The seed 000 question "can Lambda-Internet reach the internet on tcp/443" through the batch:
    /// reachable from both AZs; Lambda-Internal is blocked at its own security group.
    @Test func seedQuestionThroughTheBatch() throws {
        let plane = DataPlane(try TopologyLoader.loadDefault().network)
        let network = plane.network
        func interfaces(_ workload: String) -> [UInt32] {
            network.interfaces.indices.filter { network.interfaces[$0].name.hasPrefix(workload + "@") }.map(UInt32.init)
        }
        let internet = interfaces("Lambda-Internet"), closed = interfaces("Lambda-Internal")
        #expect(internet.count == 2 && closed.count == 2)
        let flows = FlowColumns((internet + closed).map {
            Flow(source: $0, destination: 0x0808_0808, ipProtocol: 6, sourcePort: 40000, destinationPort: 443)
        })
        var batch = BatchEvaluator(plane, jobs: 1)
        let verdicts = batch.evaluate(flows)
        #expect(verdicts.isReachable(0) && verdicts.isReachable(1))
        for i in 2...3 {
            #expect(!verdicts.isReachable(i))
            #expect(verdicts.reason(i) == .eniSGRulesMismatch)
            #expect(verdicts.dropKind(i) == .interface && verdicts.dropEntities[i] == flows.sources[i])
        }
    }
}
