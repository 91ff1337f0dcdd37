import Foundation
import Testing
import Yams
@testable import VPCModel

/// The topology loader composes with `FastComposer` and falls back to Yams on anything unusual; both
/// roads must give the same tree, the same network and the same diagnostics, and every error must
/// be left to Yams.
@Suite struct FastComposerTests {
    static let files: [String] = {
        let root = Repository.path("Fixtures")
        let paths = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return paths.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted().map { "Fixtures/\($0)" }
    }()

    /// The first difference between the two trees as `YAMLReader` sees them (shape, text, place,
    /// written null tag), or nil. A key's null tag does not count: Yams resolves keys' tags while
    /// looking for duplicates, and the reader only takes a key's text.
    static func difference<A: ComposedNode, B: ComposedNode>(_ fast: A, _ yams: B, at path: String = "$", isKey: Bool = false) -> String? {
        guard fast.place?.line == yams.place?.line, fast.place?.column == yams.place?.column else {
            return "\(path): place \(String(describing: fast.place)) vs \(String(describing: yams.place))"
        }
        switch (fast.shape, yams.shape) {
        case (.scalar(let a, let aNull), .scalar(let b, let bNull)):
            return a == b && (aNull == bNull || isKey) ? nil : "\(path): '\(a)' \(aNull) vs '\(b)' \(bNull)"
        case (.sequence(let a), .sequence(let b)):
            guard a.count == b.count else { return "\(path): \(a.count) items vs \(b.count)" }
            for index in a.indices {
                if let found = difference(a[index], b[index], at: "\(path)[\(index)]") { return found }
            }
            return nil
        case (.mapping(let a), .mapping(let b)):
            guard a.count == b.count else { return "\(path): \(a.count) keys vs \(b.count)" }
            for index in a.indices {
                let name = "\(path).\(index)"
                if let found = difference(a[index].key, b[index].key, at: name, isKey: true) ?? difference(a[index].value, b[index].value, at: name) {
                    return found
                }
            }
            return nil
        default:
            return "\(path): different shapes"
        }
    }

    static func fastTree(_ text: String) -> FastNode? {
        if case .node(let node) = FastComposer.compose(text) { return node }
        return nil
    }

    @Test(arguments: files)
    func composesTheTreeYamsComposes(file: String) throws {
        let text = try String(contentsOfFile: Repository.path(file), encoding: .utf8)
        let fast = try #require(Self.fastTree(text), "the fast composer gave up on a valid file")
        let yams = try #require(try Yams.compose(yaml: text))
        #expect(Self.difference(fast, yams) == nil, "\(Self.difference(fast, yams) ?? "")")
    }

    @Test func anchorsQuotingAndTagsLikeYams() throws {
        let text = """
        base: &base {name: a, 'quoted': "x", tagged: !!str 12, null: !!null , number: 12, empty: , nothing: ~}
        copy: *base
        list: &list [1, two, "3"]
        again: *list
        block: |
          two
          lines
        1: int key
        "1": string key
        """
        let fast = try #require(Self.fastTree(text))
        let yams = try #require(try Yams.compose(yaml: text))
        #expect(Self.difference(fast, yams) == nil, "\(Self.difference(fast, yams) ?? "")")
    }

    @Test(arguments: [
        "",
        "# only a comment\n",
        "vpcs: [a, b",
        "name: a\nname: b\n",
        "{name: a, \"name\": b}",
        "a: *undefined\n",
        "a: 1\n---\nb: 2\n",
        "a:\n  - b\n c: d\n",
        "? [a, b]\n: c\n",
    ])
    func leavesEverythingUnusualToYams(text: String) {
        guard case .useYams = FastComposer.compose(text) else {
            Issue.record("composed input that Yams rejects, reads as empty, or keys by a collection: \(text.debugDescription)")
            return
        }
    }

    /// Loads `text` both ways: the loader's own road (the fast composer) and Yams's.
    static func loadBothWays(_ text: String) throws -> [(Network, SourceMap, [Diagnostic])] {
        let (fastRaw, fastLog) = TopologyLoader.parse(text, file: "t.yaml", dataFileOnly: false)
        let yamsReader = NodeReader(file: "t.yaml")
        let yamsRoot = try #require(TopologyLoader.compose(text, reader: yamsReader))
        let yamsRaw = TopologyParser(reader: yamsReader).parseTopology(yamsRoot)
        return try [(fastRaw, fastLog), (yamsRaw, yamsReader as DiagnosticLog)].map { raw, log in
            let (network, sourceMap) = TopologyBuilder(reader: log, builtins: .embedded).build(try #require(raw))
            return (network, sourceMap, log.diagnostics + NetworkValidator.validate(network, sourceMap: sourceMap, file: "t.yaml"))
        }
    }

    @Test(arguments: Repository.seeds + ["Fixtures/examples/two-tier.yaml"])
    func loadsFixturesAsYamsWould(file: String) throws {
        let results = try Self.loadBothWays(try String(contentsOfFile: Repository.path(file), encoding: .utf8))
        #expect(results[0].0 == results[1].0)
        #expect(results[0].1 == results[1].1)
        #expect(results[0].2 == results[1].2)
    }

    @Test(arguments: ValidationTests.cases)
    func reportsErrorsAsYamsWould(testCase: ValidationTests.Case) throws {
        let results = try Self.loadBothWays(ValidationTests.broken(testCase).yaml)
        #expect(!results[0].2.isEmpty)
        #expect(results[0].2 == results[1].2)
    }
}
