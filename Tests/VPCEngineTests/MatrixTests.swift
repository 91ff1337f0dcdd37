import Testing
import VPCModel
@testable import VPCEngine

/// The reachability matrix batches what `QueryEngine.answer` evaluates cell by cell: for every pair
/// it must say what the answer says (yes/no/partly, per source, which protocols and ports).
@Suite("Reachability matrix")
struct MatrixTests {
    /// Protocol label → merged port ranges (0...0 for protocols without ports); `all` spelled out.
    static func normalized(_ entries: [(protocol: String, ports: String)], labels: [String]) -> [String: [ClosedRange<Int>]] {
        var result: [String: [ClosedRange<Int>]] = [:]
        for (proto, ports) in entries {
            let full = { (label: String) in label == "tcp" || label == "udp" ? 0...65535 : 0...0 }
            if proto == "all" {
                for label in labels { result[label, default: []].append(full(label)) }
                continue
            }
            switch ports {
            case "all": result[proto, default: []].append(0...65535)
            case "echo", "-": result[proto, default: []].append(0...0)
            default:
                for part in ports.split(separator: ",") {
                    let bounds = part.trimmingCharacters(in: .whitespaces).split(separator: "-").compactMap { Int($0) }
                    guard let low = bounds.first, let high = bounds.last else { Issue.record("bad ports \(ports)"); continue }
                    result[proto, default: []].append(low...high)
                }
            }
        }
        return result.mapValues { AnswerCollector.merge($0) }
    }

    /// Every pair of a network's default matrix (the five seeds, three AWS describe-* folders) against
    /// `answer` for the same two names. Small chunks and two jobs, so that chunks end inside pairs and
    /// between a load balancer's client flows and legs.
    @Test(arguments: ["seeds/000-lambda-endpoints.yaml", "seeds/001-omnigen.yaml", "seeds/002-multi-region-dr.yaml",
                      "seeds/003-eks-fargate.yaml", "seeds/004-lang-portal.yaml", "aws/public-private-nat", "aws/peered", "aws/endpoints"])
    func everyPairAgreesWithTheQueryAnswer(seed: String) throws {
        let engine = QueryEngine(network: try TopologyLoader.load(path: fixturePath("Fixtures/\(seed)")).network)
        let statuses = try Self.checkAgreement(engine, name: seed)
        // Something gets through, and in the seeds something does not.
        #expect(statuses[.yes, default: 0] > 0, "\(seed): \(statuses)")
        if seed.hasPrefix("seeds/") { #expect(statuses[.no, default: 0] > 0, "\(seed): \(statuses)") }
    }

    /// The query tests' network has sources that reach only partly (a subnet without a route).
    @Test func partlyPairsAgreeWithTheQueryAnswer() throws {
        let statuses = try Self.checkAgreement(try QueryEngineTests.engine(), name: "query-test")
        #expect(statuses[.partly, default: 0] > 0, "\(statuses)")
    }

    /// Asserts that every pair of the default matrix says what `answer` says; returns the statuses seen.
    static func checkAgreement(_ engine: QueryEngine, name network: String) throws -> [MatrixStatus: Int] {
        let sources = try engine.matrixEndpoints(nil, asSource: true)
        let destinations = try engine.matrixEndpoints(nil, asSource: false)
        #expect(sources.last?.label == "internet" && destinations.last?.label == "internet")
        var reports: [MatrixProgress] = []
        let matrix = engine.matrix(from: sources, to: destinations, jobs: 2, chunkSize: 997) { reports.append($0) }
        #expect(matrix.pairs.count == sources.count * destinations.count)
        #expect(reports.count > 1 && matrix.flows > 0)
        #expect(reports.last?.pairsDone == matrix.pairs.count && reports.last?.fraction == 1 && reports.last?.flows == matrix.flows)
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.fraction <= $1.fraction && $0.pairsDone <= $1.pairsDone })
        let labels = ([6, 17, 1] + engine.planner.otherProtocols).map(engine.planner.protocolLabel)
        var statuses: [MatrixStatus: Int] = [:]
        for pair in matrix.pairs {
            statuses[pair.status, default: 0] += 1
            if pair.from == "internet" && pair.to == "internet" {
                #expect(pair.status == .notApplicable)
                continue
            }
            let answer = try engine.answer(Query(from: pair.from, to: pair.to))
            let name = "\(network): \(pair.from) → \(pair.to)"
            #expect(pair.reachable == answer.reachable, "\(name)")
            #expect(pair.partial == answer.partial, "\(name)")
            #expect(pair.sources == answer.sources, "\(name)")
            #expect(Set(pair.notes) == Set(answer.notes), "\(name)")
            #expect(pair.status == .notApplicable ? answer.sources.isEmpty : !answer.sources.isEmpty, "\(name)")
            let fromAnswer = normalized(answer.allowed.map { ($0.protocol, $0.ports) }, labels: labels)
            let fromMatrix = normalized(pair.allowed.map { ($0.protocol, $0.ports) }, labels: labels)
            #expect(fromAnswer == fromMatrix, "\(name): answer \(fromAnswer), matrix \(fromMatrix)")
            // With one source, whatever gets through gets through from every source.
            if pair.sources.count == 1 && pair.sources.first?.name != "internet" {
                #expect(pair.allowed.allSatisfy { $0.everySource }, "\(name)")
            }
            // A partly pair has ports that only some sources get.
            if pair.status == .partly { #expect(pair.allowed.contains { !$0.everySource }, "\(name)") }
        }
        return statuses
    }

    /// The same matrix whatever the chunk size and thread count.
    @Test func chunksAndJobsDoNotChangeTheMatrix() throws {
        let engine = QueryEngine(network: try TopologyLoader.loadDefault().network)
        let sources = try engine.matrixEndpoints(nil, asSource: true)
        let destinations = try engine.matrixEndpoints(nil, asSource: false)
        let whole = engine.matrix(from: sources, to: destinations, jobs: 1, chunkSize: 1 << 30)
        let chunked = engine.matrix(from: sources, to: destinations, jobs: 2, chunkSize: 101)
        #expect(whole == chunked)
        // No load balancer here: the progress count of the plan is every flow judged.
        var counter = FlowCounter()
        for source in sources { for destination in destinations { counter.count(from: source, to: destination, planner: engine.planner) } }
        #expect(counter.flows == whole.flows)
    }

    /// The outcomes `diff` compares are the same whatever the chunk size: chunks that end inside a
    /// target's cells keep every cell in its place (a run's cells are found again after a flush).
    @Test func keptOutcomesDoNotDependOnChunks() throws {
        let engine = QueryEngine(network: try TopologyLoader.loadDefault().network)
        let sources = try engine.matrixEndpoints(nil, asSource: true)
        let destinations = try engine.matrixEndpoints(nil, asSource: false)
        let whole = engine.matrix(from: sources, to: destinations, jobs: 1, chunkSize: 1 << 30, keepOutcomes: true)
        for chunk in [101, 7] {
            let chunked = engine.matrix(from: sources, to: destinations, jobs: 2, chunkSize: chunk, keepOutcomes: true)
            for (a, b) in zip(whole.pairs, chunked.pairs) {
                let both = (a.outcomes ?? []) + (b.outcomes ?? [])
                #expect(Self.points(a.outcomes ?? [], cutsOf: both) == Self.points(b.outcomes ?? [], cutsOf: both), "chunk \(chunk): \(a.from) → \(a.to)")
            }
        }
        #expect(whole.pairs.contains { ($0.outcomes ?? []).contains { !$0.allowed.isEmpty } })
    }

    /// Outcomes as a set of points on the grid cut by every box of `cutsOf`: (source, protocol, via,
    /// port cell, address cell) — equal exactly when the boxes cover the same packets.
    static func points(_ outcomes: [SourceOutcome], cutsOf all: [SourceOutcome]) -> Set<String> {
        func key(_ outcome: SourceOutcome, _ box: ReachBox) -> String {
            "\(outcome.source) \(String(describing: outcome.internetAddresses)) \(box.ipProtocol) \(box.via?.text ?? "-")"
        }
        var grouped: [String: [ReachBox]] = [:], cuts: [String: [ReachBox]] = [:]
        for outcome in outcomes { for box in outcome.allowed { grouped[key(outcome, box), default: []].append(box) } }
        for outcome in all { for box in outcome.allowed { cuts[key(outcome, box), default: []].append(box) } }
        var result: Set<String> = []
        for (key, boxes) in grouped {
            let cutting = cuts[key] ?? boxes
            let portCuts = Set(cutting.flatMap { [Int($0.ports.lowerBound), Int($0.ports.upperBound) + 1] }).sorted()
            let addressCuts = Set(cutting.flatMap { [UInt64($0.destinations.lowerBound), UInt64($0.destinations.upperBound) + 1] }).sorted()
            for box in boxes {
                for p in portCuts where p >= Int(box.ports.lowerBound) && p <= Int(box.ports.upperBound) {
                    for a in addressCuts where a >= UInt64(box.destinations.lowerBound) && a <= UInt64(box.destinations.upperBound) {
                        result.insert("\(key) \(p) \(a)")
                    }
                }
            }
        }
        return result
    }

    /// The default network's matrix: names, n/a pairs, a known yes, a known no, partly.
    @Test func defaultNetworkRowsColumnsAndKnownPairs() throws {
        let engine = QueryEngine(network: try TopologyLoader.loadDefault().network)
        let sources = try engine.matrixEndpoints(nil, asSource: true)
        let destinations = try engine.matrixEndpoints(nil, asSource: false)
        #expect(sources.map(\.label) == ["Lambda-Internet", "Lambda-Internal", "Fargate", "OpenSearch", "internet"])
        #expect(destinations.map(\.label).prefix(4) == ["Lambda-Internet", "Lambda-Internal", "Fargate", "OpenSearch"])
        #expect(destinations.map(\.label).contains("secretsmanager") && destinations.map(\.label).contains("s3"))
        let matrix = engine.matrix(from: sources, to: destinations)
        func pair(_ from: String, _ to: String) -> MatrixPair? { matrix.pairs.first { $0.from == from && $0.to == to } }
        #expect(pair("internet", "internet")?.status == .notApplicable)
        #expect(pair("Lambda-Internet", "internet")?.status == .yes)
        #expect(pair("Lambda-Internet", "internet")?.summary == "tcp/443")
        #expect(pair("Lambda-Internal", "internet")?.status == .no)
        #expect(pair("Lambda-Internal", "internet")?.summary == "nothing")
        #expect(pair("Fargate", "secretsmanager")?.summary == "tcp/443")
    }

    @Test func namedRowsAndColumnsResolveLikeAQuery() throws {
        let engine = QueryEngine(network: try TopologyLoader.loadDefault().network)
        let rows = try engine.matrixEndpoints(["fargate", "internet", "Fargate", "10.0.11.0/24"], asSource: true)
        #expect(rows.map(\.label) == ["Fargate", "internet", "10.0.11.0/24"])
        #expect(try engine.matrixEndpoints([" 8.8.8.8 "], asSource: true).map(\.label) == ["8.8.8.8"], "a public address: the internet, as given")
        #expect(throws: QueryError.self) { try engine.matrixEndpoints(["Fargat"], asSource: true) }
        do {
            _ = try engine.matrixEndpoints(["Fargat"], asSource: true)
        } catch {
            #expect(error.hint?.contains("did you mean 'Fargate'") == true)
        }
        #expect(throws: QueryError.self) { try engine.matrixEndpoints(["s3"], asSource: true) }
        #expect(try engine.matrixEndpoints(["s3"], asSource: false).map(\.label) == ["s3"])
    }

    @Test func rangesSplitWhereNotEverySourceGetsThem() throws {
        let every = MatrixBuilder.intersect([0...100, 200...300], [50...250])
        #expect(every == [50...100, 200...250])
        let pieces = MatrixBuilder.split([0...300], by: [50...100, 200...250])
        #expect(pieces.map(\.range) == [0...49, 50...100, 101...199, 200...250, 251...300])
        #expect(pieces.map(\.every) == [false, true, false, true, false])
        // Summaries are the union: the partly reached ports next to the ones all get read as one range.
        let engine = try QueryEngineTests.engine()
        let matrix = engine.matrix(from: try engine.matrixEndpoints(["App"], asSource: true), to: try engine.matrixEndpoints(["internet"], asSource: false))
        #expect(matrix.pairs.first?.summary == "tcp/all udp/all icmp")
        #expect(matrix.pairs.first?.allowed.map(\.everySource) == [false, false, false])
    }
}
