// swift-tools-version: 6.1
import PackageDescription

/// A benchmark executable in Benchmarks/NAME, run by package-benchmark's plugin.
func benchmark(_ name: String, _ products: [String], swiftSettings: [SwiftSetting] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "Benchmark", package: "package-benchmark")]
            + products.map { .product(name: $0, package: "vpcsim") },
        path: "Benchmarks/\(name)",
        swiftSettings: swiftSettings,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
    )
}

/// Benchmarks live in their own package so that `swift test` on vpcsim never builds package-benchmark.
/// Run from this folder: `swift package --allow-writing-to-package-directory benchmark`.
let package = Package(
    name: "vpcsim-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        // Named, so `package: "vpcsim"` resolves whatever the checkout folder is called.
        .package(name: "vpcsim", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        benchmark("RouteTrie", ["VPCEngine"], swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"])]),
        benchmark("Capture", ["VPCCapture", "CPcap"]),
        // Flow verdicts per second (issue #5: eval-seed000-*, eval-100k-*), with the trace and oracle baselines.
        benchmark("Evaluator", ["VPCEngine", "VPCModel", "VPCOracle"], swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"])]),
        // Loading and compiling the 100k-interface network of issue #5 (`load-100k`).
        benchmark("Load", ["VPCModel", "VPCEngine"]),
        // `vpcsim diff` beside the matrix it is made of (issue #14: `diff-10x` ≤ 3× `matrix-10x`).
        benchmark("Diff", ["VPCCheck", "VPCEngine", "VPCModel"], swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"])]),
    ],
    swiftLanguageModes: [.v6]
)
