import Foundation
import VPCCheck
import VPCModel

enum Repository {
    /// The package root, found from this file's path so tests run from any directory.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    static let seedNames = ["000-lambda-endpoints", "001-omnigen", "002-multi-region-dr", "003-eks-fargate", "004-lang-portal"]

    static func seed(_ name: String) throws -> Network {
        try TopologyLoader.load(path: path("Fixtures/seeds/\(name).yaml")).network
    }
}

/// A stand-in for the query engine, for tests only: answers from a table keyed by the query's
/// description; otherwise, for a workload source, one reachable verdict per interface the workload still
/// has (so tests can see which network — with which faults — the runner evaluated).
struct FakeEvaluator: ScenarioEvaluator {
    var answers: [String: CheckOutcome] = [:]
    var traffic: [TrafficQuery: [FlowOutcome]] = [:]

    func prepare(_ network: Network) throws(CheckQueryError) -> Network { network }

    func reachability(_ query: CheckQuery, in network: Network) throws(CheckQueryError) -> CheckOutcome {
        if let answer = answers[query.description] { return answer }
        guard let workload = network.workloads.first(where: { $0.name.lowercased() == query.from.lowercased() }) else {
            throw CheckQueryError(.from, "'\(query.from)' is not a known endpoint", hint: "the fake knows workloads only")
        }
        let verdicts = workload.interfaceIDs.compactMap { id in network.interfaces.first { $0.id == id } }.map { interface in
            PathVerdict(source: interface.name, destination: query.to, reachability: .reachable,
                        hops: [Hop(name: interface.name, id: interface.id, kind: "interface")], explanation: "fake: delivered")
        }
        return CheckOutcome(verdicts: verdicts, note: verdicts.isEmpty ? "'\(workload.name)' has no interface left" : nil)
    }

    func replay(_ query: TrafficQuery, in network: Network) throws(CheckQueryError) -> [FlowOutcome] {
        guard let outcomes = traffic[query] else { throw CheckQueryError(.traffic, "the fake has no answer for this traffic") }
        return outcomes
    }
}

/// Runs `body` expecting an `InputError`, and returns it (nil when nothing was thrown).
func inputError<T>(_ body: () throws(InputError) -> T) -> InputError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// Runs a command and returns its exit status and combined output.
func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
