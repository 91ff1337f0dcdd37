import Benchmark
import Foundation
import VPCEngine
import VPCModel
import VPCOracle

// Flow-verdict throughput. Each iteration evaluates `flowsPerIteration` flows (request and
// response) and the scaling factor matches, so the throughput column reads directly as millions
// of flows per second ((M) with --scale). The baselines run in the same process on the same flows:
// the single-flow Evaluator with the TraceRecorder (what `vpcsim trace` runs) and the naive oracle
// (the test reference; 10 000 flows per iteration, so its column reads in thousands: (K)).
//
//   cd Benchmarks && swift package --allow-writing-to-package-directory benchmark --target Evaluator

let flowsPerIteration = 1_000_000
let oracleFlowsPerIteration = 10_000

/// Seed 000 (the embedded default network) and 1M sampled flows between its hosts, its public
/// addresses, the AWS services and the internet.
struct SeedWorkload: @unchecked Sendable {
    let plane: DataPlane
    let flows: FlowColumns

    static let seed000: SeedWorkload = {
        guard let network = try? TopologyLoader.loadDefault().network else { fatalError("the embedded default network does not load") }
        let plane = DataPlane(network)
        var sampler = FlowSampler(plane, seed: 2026)
        return SeedWorkload(plane: plane, flows: sampler.sample(count: flowsPerIteration))
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

func batchBenchmark(_ name: String, _ workload: @escaping @Sendable () -> SeedWorkload, jobs: Int?) {
    Benchmark(name) { benchmark in
        let w = workload()
        var batch = BatchEvaluator(w.plane, jobs: jobs)
        var verdicts = VerdictColumns(count: w.flows.count)
        benchmark.startMeasurement()
        batch.evaluate(w.flows, into: &verdicts)
        benchmark.stopMeasurement()
        blackHole(verdicts.reachable[benchmark.currentIteration % verdicts.count])
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        scalingFactor: .mega,
        maxDuration: .seconds(3),
        maxIterations: 100
    )

    batchBenchmark("eval-seed000-1core", { SeedWorkload.seed000 }, jobs: 1)
    batchBenchmark("eval-seed000-allcores", { SeedWorkload.seed000 }, jobs: nil)

    Benchmark("eval-seed000-trace-baseline") { benchmark in
        let w = SeedWorkload.seed000
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

    Benchmark("eval-seed000-oracle-baseline",
              configuration: .init(metrics: [.throughput, .wallClock], scalingFactor: .kilo, maxDuration: .seconds(3), maxIterations: 20)) { benchmark in
        let w = SeedWorkload.seed000
        let flows = w.oracleFlows(oracleFlowsPerIteration)
        let oracle = NaiveOracle(network: w.plane.network)
        var reachable = 0
        benchmark.startMeasurement()
        for flow in flows where oracle.evaluate(flow).reachable { reachable &+= 1 }
        benchmark.stopMeasurement()
        blackHole(reachable)
    }
}
