import Benchmark
import VPCCheck
import VPCEngine
import VPCModel

// `vpcsim diff` against the matrix it is built from (issue #14: diff ≤ 3× matrix), on the generated
// hub network of ~400 interfaces — `vpcsim generate --vpcs 10 --subnets-per-vpc 6 --interfaces 390
// --peering hub --seed 1` — under an AZ outage:
//   matrix-10x: one default matrix of the network (every row × every column, all flows batched);
//   diff-10x:   NetworkDiff.compare(old: network, new: network with az-outage us-east-1a), i.e. two
//               matrices with their outcomes kept, compared as data, and every changed group explained.
// Both run in the same process, so their ratio is the figure to read. Run from Benchmarks/:
//   swift package --allow-writing-to-package-directory benchmark --target Diff

struct DiffWorkload: @unchecked Sendable {
    let network: Network
    let faulted: Network

    static let tenVPCs: DiffWorkload = {
        let options = GeneratorOptions(vpcs: 10, subnetsPerVPC: 6, interfaces: 390, peering: .hub, seed: 1)
        do {
            let network = try NetworkGenerator.generate(options)
            let faulted = try FaultInjector.apply(try NetworkDiff.parseFaults(["az-outage=us-east-1a"]), to: network)
            return DiffWorkload(network: network, faulted: faulted)
        } catch {
            fatalError("the diff benchmark network does not build: \(error)")
        }
    }()
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident],
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(30),
        maxIterations: 8,
        setup: { _ = DiffWorkload.tenVPCs }
    )

    Benchmark("matrix-10x", configuration: configuration) { benchmark in
        let engine = QueryEngine(network: DiffWorkload.tenVPCs.network)
        guard let sources = try? engine.matrixEndpoints(nil, asSource: true),
              let destinations = try? engine.matrixEndpoints(nil, asSource: false) else { fatalError("no endpoints") }
        benchmark.startMeasurement()
        blackHole(engine.matrix(from: sources, to: destinations).pairs.count)
    }

    Benchmark("diff-10x", configuration: configuration) { benchmark in
        let workload = DiffWorkload.tenVPCs
        benchmark.startMeasurement()
        blackHole(NetworkDiff.compare(old: workload.network, new: workload.faulted).changes.count)
    }
}
