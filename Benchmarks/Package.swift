// swift-tools-version: 6.1
import PackageDescription

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
        .executableTarget(
            name: "RouteTrie",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "VPCEngine", package: "vpcsim"),
            ],
            path: "Benchmarks/RouteTrie",
            swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"])],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "Evaluator",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "VPCEngine", package: "vpcsim"),
                .product(name: "VPCModel", package: "vpcsim"),
                .product(name: "VPCOracle", package: "vpcsim"),
            ],
            path: "Benchmarks/Evaluator",
            swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"])],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "Capture",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "VPCCapture", package: "vpcsim"),
                .product(name: "CPcap", package: "vpcsim"),
            ],
            path: "Benchmarks/Capture",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
