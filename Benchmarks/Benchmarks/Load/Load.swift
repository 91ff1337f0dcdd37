import Benchmark
import Foundation
import VPCEngine
import VPCModel

#if canImport(Glibc)
import Glibc
#endif

// Loading the benchmark network — `vpcsim generate --vpcs 1000 --subnets-per-vpc 10
// --interfaces 100000 --sg-rules 50000 --peering hub` — as every vpcsim command does before it
// answers: TopologyLoader.load(path:) (read, compose, parse, build, validate) then DataPlane(network)
// (`load-100k`), and the DataPlane compile alone (`compile-100k`). The file is generated once per
// benchmark, before any measurement. Issue #5's target for load-100k: under 2 s and 1 GiB.
// Run from Benchmarks/:
//   swift package --allow-writing-to-package-directory benchmark --target Load

let options = GeneratorOptions(vpcs: 1000, subnetsPerVPC: 10, interfaces: 100_000, securityGroupRules: 50_000, peering: .hub, seed: 1)

/// In memory-backed /dev/shm when there is one, so that the disk does not set the pace.
let topologyPath: String = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return "\(folder)/vpcsim-bench-\(getpid())-load-100k.yaml"
}()

func writeTopology() throws {
    let network = try NetworkGenerator.generate(options)
    try TopologyWriter.yaml(network).write(toFile: topologyPath, atomically: true, encoding: .utf8)
    releaseFreedMemory()
}

/// Writing builds a large YAML tree; glibc keeps the freed pages resident unless asked, and they
/// would count as the loader's resident memory. (`malloc_trim` is not in Swift's Glibc module.)
func releaseFreedMemory() {
    #if canImport(Glibc)
    typealias MallocTrim = @convention(c) (Int) -> Int32
    if let program = dlopen(nil, RTLD_NOW), let symbol = dlsym(program, "malloc_trim") {
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
    }
    #endif
}

/// The loaded network `compile-100k` compiles, between its setup and teardown.
nonisolated(unsafe) var loadedNetwork: Network?

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident, .throughput],
        warmupIterations: 1,
        maxDuration: .seconds(30),
        maxIterations: 10,
        setup: { try writeTopology() },
        teardown: { unlink(topologyPath) }
    )

    Benchmark("load-100k", configuration: configuration) { benchmark in
        var loaded: LoadedTopology?
        var plane: DataPlane?
        benchmark.startMeasurement()
        do {
            loaded = try TopologyLoader.load(path: topologyPath)
        } catch {
            fatalError("the generated network must load: \(error)")
        }
        if let network = loaded?.network { plane = DataPlane(network) }
        benchmark.stopMeasurement()
        // Freed after the measurement: tearing down 100k interfaces is not part of loading them.
        blackHole(plane?.interfaces.count)
        blackHole(loaded?.network.interfaces.count)
    }

    // The DataPlane compile alone, on the network loaded once in setup.
    let compileConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput],
        warmupIterations: 1,
        maxDuration: .seconds(20),
        maxIterations: 20,
        setup: {
            try writeTopology()
            loadedNetwork = try TopologyLoader.load(path: topologyPath).network
        },
        teardown: {
            loadedNetwork = nil
            unlink(topologyPath)
            releaseFreedMemory()
        }
    )

    Benchmark("compile-100k", configuration: compileConfiguration) { benchmark in
        guard let network = loadedNetwork else { fatalError("setup loads the network") }
        benchmark.startMeasurement()
        let plane = DataPlane(network)
        benchmark.stopMeasurement()
        blackHole(plane.interfaces.count)
    }
}
