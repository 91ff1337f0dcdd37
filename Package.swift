// swift-tools-version: 6.1
import PackageDescription

/// Release builds on x86-64 get hardware popcount (the route trie counts bits on every lookup);
/// swiftc emits none for the generic x86-64 target. See README "A fast binary" (docs/fast-binary.md).
/// (swiftc 6.3 rejects "x86-64-v3"; haswell is the same feature level: popcnt, bmi1/2, avx2.)
#if arch(x86_64)
let fastCPU: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux], configuration: .release))]
#else
let fastCPU: [SwiftSetting] = []
#endif

let package = Package(
    name: "vpcsim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vpcsim", targets: ["vpcsim"]),
        .library(name: "VPCModel", targets: ["VPCModel"]),
        .library(name: "VPCEngine", targets: ["VPCEngine"]),
        .library(name: "VPCCapture", targets: ["VPCCapture"]),
        .library(name: "VPCCheck", targets: ["VPCCheck"]),
        // The naive test oracle, for the differential tests and the benchmarks' baseline.
        .library(name: "VPCOracle", targets: ["VPCOracle"]),
        // For the Capture benchmark's raw pcap_dump baseline.
        .library(name: "CPcap", targets: ["CPcap"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"])]
        ),
        .target(
            name: "VPCModel",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "VPCEngine",
            dependencies: ["VPCModel"],
            swiftSettings: fastCPU
        ),
        /// docs/semantics.md written again, naively, from the document alone: the differential tests'
        /// reference. Depends on the model only — it must never see the Evaluator.
        .target(name: "VPCOracle", dependencies: ["VPCModel"]),
        .target(
            name: "VPCCapture",
            // EngineBridge.swift maps the Evaluator's traces onto capture points (CLI → Capture → Engine → Model).
            dependencies: ["CPcap", "VPCEngine", "VPCModel"]
        ),
        .target(
            name: "VPCCheck",
            dependencies: ["VPCModel", "VPCEngine", "VPCCapture", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "vpcsim",
            dependencies: [
                "VPCModel", "VPCEngine", "VPCCapture", "VPCCheck", "CPcap",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "VPCModelTests", dependencies: ["VPCModel"]),
        .testTarget(name: "VPCEngineTests", dependencies: ["VPCEngine", "VPCModel", "VPCOracle"]),
        .testTarget(name: "VPCCaptureTests", dependencies: ["VPCCapture", "CPcap", "VPCEngine", "VPCModel"]),
        .testTarget(name: "VPCCheckTests", dependencies: ["VPCCheck", "VPCModel", "VPCEngine", "VPCCapture", "VPCOracle"]),
        /// Runs the built `vpcsim` binary: exit codes and messages are part of the contract.
        .testTarget(name: "CLITests", dependencies: ["vpcsim"]),
    ],
    swiftLanguageModes: [.v6]
)
