import Benchmark
import Foundation
import VPCEngine
import VPCModel
import VPCOracle

// Flow-verdict throughput. Each iteration evaluates `flowsPerIteration` flows (request and
// response) and the scaling factor matches, so the throughput column reads directly as millions
// of flows per second ((M) with --scale). The baselines run in the same process on the same flows:
// the single-flow Evaluator with the TraceRecorder (what `vpcsim trace` runs) and the naive oracle
// (the test reference; 1 000 flows per iteration with scaling factor .kilo, so its column reads in
// thousands of flows per second: (K)).
//
// Workloads: (a) seed 000, the embedded default network, with 1M sampled flows between its hosts,
// its public addresses, the AWS services and the internet; (b) the generated network of 1 000 VPCs,
// 10 000 subnets, 100 000 interfaces and 50 000 security-group rules (`vpcsim generate --vpcs 1000
// --subnets-per-vpc 10 --interfaces 100000 --sg-rules 50000 --peering hub --seed 1`), 1M sampled flows.
//
//   cd Benchmarks && swift package --allow-writing-to-package-directory benchmark --target Evaluator

let flowsPerIteration = 1_000_000
let oracleFlowsPerIteration = 1_000

/// A compiled network and 1M flows sampled over it (FlowSampler, fixed seed).
struct Workload: @unchecked Sendable {
    let plane: DataPlane
    let flows: FlowColumns

    init(_ network: Network) {
        plane = DataPlane(network)
        var sampler = FlowSampler(plane, seed: 2026)
        flows = sampler.sample(count: flowsPerIteration)
    }

    static let seed000: Workload = {
        guard let network = try? TopologyLoader.loadDefault().network else { fatalError("the embedded default network does not load") }
        return Workload(network)
    }()

    static let network100k: Workload = {
        let options = GeneratorOptions(vpcs: 1000, subnetsPerVPC: 10, interfaces: 100_000, securityGroupRules: 50_000, peering: .hub, seed: 1)
        do { return Workload(try NetworkGenerator.generate(options)) } catch { fatalError("\(error)") }
    }()

    /// The same flows as the oracle takes them (interface ids, addresses).
    func oracleFlows(_ count: Int) -> [OracleFlow] {
        (0..<count).map { i in
            let f = flows[i]
            let destination = IPv4Address(f.destination)
            if f.isFromInternet {
                return OracleFlow.fromInternet(IPv4Address(f.externalSource), to: destination, ipProtocol: f.ipProtocol,
                                               sourcePort: f.sourcePort, destinationPort: f.destinationPort,
                                               icmpType: f.icmpType, icmpCode: f.icmpCode)
            }
            return OracleFlow(sourceInterfaceID: plane.network.interfaces[Int(f.source)].id, destination: destination,
                              ipProtocol: f.ipProtocol, sourcePort: f.sourcePort, destinationPort: f.destinationPort,
                              icmpType: f.icmpType, icmpCode: f.icmpCode)
        }
    }
}

/// One BatchEvaluator and one verdict buffer per benchmark, reused by every iteration as a caller
/// evaluating batch after batch would (the API keeps its permutation buffer between calls); the
/// first, warm-up iteration allocates them.
final class BatchState: @unchecked Sendable {
    var batch: BatchEvaluator?
    var verdicts = VerdictColumns(count: 0)
}

func batchBenchmark(_ name: String, _ workload: @escaping @Sendable () -> Workload, jobs: Int?, lockStep: Bool? = nil,
                    groupingThreshold: Int? = nil) {
    let state = BatchState()
    Benchmark(name) { benchmark in
        let w = workload()
        // Taken out of the state, so its buffers have one owner (no copy on write).
        var batch = state.batch ?? BatchEvaluator(w.plane, jobs: jobs)
        state.batch = nil
        if let lockStep { batch.lockStep = lockStep }
        if let groupingThreshold { batch.groupingThreshold = groupingThreshold }
        if state.verdicts.count != w.flows.count { state.verdicts = VerdictColumns(count: w.flows.count) }
        benchmark.startMeasurement()
        batch.evaluate(w.flows, into: &state.verdicts)
        benchmark.stopMeasurement()
        state.batch = batch
        blackHole(state.verdicts.reachable[benchmark.currentIteration % state.verdicts.count])
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        scalingFactor: .mega,
        maxDuration: .seconds(3),
        maxIterations: 100
    )

    batchBenchmark("eval-seed000-1core", { Workload.seed000 }, jobs: 1)
    batchBenchmark("eval-seed000-allcores", { Workload.seed000 }, jobs: nil)

    batchBenchmark("eval-100k-1core", { Workload.network100k }, jobs: 1)
    batchBenchmark("eval-100k-allcores", { Workload.network100k }, jobs: nil)
    // What the lock-step stage buys: the same, each walk doing its own lookups.
    batchBenchmark("eval-100k-1core-no-lockstep", { Workload.network100k }, jobs: 1, lockStep: false)
    // What grouping flows by source costs or buys (BatchEvaluator.groupingThreshold): the default
    // groups seed 000's flows (many per source) and not the 100k network's (~11 per source).
    batchBenchmark("eval-seed000-1core-ungrouped", { Workload.seed000 }, jobs: 1, groupingThreshold: .max)
    batchBenchmark("eval-100k-1core-grouped", { Workload.network100k }, jobs: 1, groupingThreshold: 0)

    traceBaseline("eval-seed000-trace-baseline", { Workload.seed000 })
    oracleBaseline("eval-seed000-oracle-baseline", { Workload.seed000 })
    traceBaseline("eval-100k-trace-baseline", { Workload.network100k })
    oracleBaseline("eval-100k-oracle-baseline", { Workload.network100k })
}

func traceBaseline(_ name: String, _ workload: @escaping @Sendable () -> Workload) {
    Benchmark(name) { benchmark in
        let w = workload()
        let evaluator = Evaluator(w.plane)
        var reachable = 0
        benchmark.startMeasurement()
        for i in 0..<w.flows.count {
            let (verdict, events) = evaluator.trace(w.flows[i])
            if verdict.reachable { reachable &+= events.count }
        }
        benchmark.stopMeasurement()
        blackHole(reachable)
    }
}

func oracleBaseline(_ name: String, _ workload: @escaping @Sendable () -> Workload) {
    Benchmark(name, configuration: .init(metrics: [.throughput, .wallClock], scalingFactor: .kilo, maxDuration: .seconds(3),
                                         maxIterations: 20)) { benchmark in
        let w = workload()
        let flows = w.oracleFlows(oracleFlowsPerIteration)
        let oracle = NaiveOracle(network: w.plane.network)
        var reachable = 0
        benchmark.startMeasurement()
        for flow in flows where oracle.evaluate(flow).reachable { reachable &+= 1 }
        benchmark.stopMeasurement()
        blackHole(reachable)
    }
}
