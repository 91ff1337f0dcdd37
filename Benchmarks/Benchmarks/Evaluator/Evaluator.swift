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
// (c) hub and spoke through centralized inspection and egress (issue #15): 1 000 spoke VPCs on one
// transit gateway, an inspection VPC with an appliance per AZ (appliance mode) and an egress VPC with
// a NAT gateway per AZ (`vpcsim generate --vpcs 1000 --subnets-per-vpc 6 --interfaces 20000
// --peering hub --central-egress --seed 1`); half the sampled flows go from spoke hosts to the
// internet or other spokes, each crossing the gateway two to four times.
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

    init(plane: DataPlane, flows: FlowColumns) { self.plane = plane; self.flows = flows }

    static let seed000: Workload = {
        guard let network = try? TopologyLoader.loadDefault().network else { fatalError("the embedded default network does not load") }
        return Workload(network)
    }()

    static let network100k: Workload = {
        let options = GeneratorOptions(vpcs: 1000, subnetsPerVPC: 10, interfaces: 100_000, securityGroupRules: 50_000, peering: .hub, seed: 1)
        do { return Workload(try NetworkGenerator.generate(options)) } catch { fatalError("\(error)") }
    }()

    static let hubEgress: Workload = {
        var options = GeneratorOptions(vpcs: 1000, subnetsPerVPC: 6, interfaces: 20_000, securityGroupRules: 10_000, peering: .hub, seed: 1)
        options.centralEgress = true
        let network: Network
        do { network = try NetworkGenerator.generate(options) } catch { fatalError("\(error)") }
        let plane = DataPlane(network)
        var sampler = FlowSampler(plane, seed: 2026)
        let sampled = sampler.sample(count: flowsPerIteration)
        // Every other flow: a spoke host to the internet (through inspection and egress) or to another
        // spoke's host (through inspection), the paths this benchmark is about.
        let hosts = plane.interfaces.indices.filter { plane.interfaces[$0].owner == .workload }.map { UInt32($0) }
        var rng = SplitMix64(seed: 15)
        var flows = FlowColumns(minimumCapacity: sampled.count)
        for i in 0..<sampled.count {
            guard i % 2 == 0, !hosts.isEmpty else { flows.append(sampled[i]); continue }
            let source = hosts[Int(rng.next() % UInt64(hosts.count))]
            let toInternet = rng.next() % 2 == 0
            let destination = toInternet ? IPv4Address(8, 8, 8, 8).value
                : plane.interfaces[Int(hosts[Int(rng.next() % UInt64(hosts.count))])].primaryIP
            flows.append(Flow(source: source, destination: destination, ipProtocol: 6, sourcePort: 40000, destinationPort: 443))
        }
        return Workload(plane: plane, flows: flows)
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
    batchBenchmark("eval-hub-egress", { Workload.hubEgress }, jobs: 1)
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
