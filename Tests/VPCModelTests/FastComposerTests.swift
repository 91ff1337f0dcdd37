import Foundation
import Testing
import Yams
@testable import VPCModel

/// The fast composer must build exactly the tree Yams builds (text, tags, styles, marks), and leave
/// every error to Yams.
@Suite struct FastComposerTests {
    static let files: [String] = {
        let root = Repository.path("Fixtures")
        let paths = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return paths.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted().map { "Fixtures/\($0)" }
    }()

    /// The first difference between two trees, or nil; marks, styles and written tags included,
    /// which `Node`'s own equality ignores.
    static func difference(_ fast: Node, _ yams: Node, at path: String = "$") -> String? {
        guard fast.mark?.line == yams.mark?.line, fast.mark?.column == yams.mark?.column else {
            return "\(path): mark \(String(describing: fast.mark)) vs \(String(describing: yams.mark))"
        }
        guard fast.tag.description == yams.tag.description else { return "\(path): tag \(fast.tag) vs \(yams.tag)" }
        switch (fast, yams) {
        case (.scalar(let a), .scalar(let b)):
            return a.string == b.string && a.style == b.style ? nil : "\(path): scalar '\(a.string)' \(a.style) vs '\(b.string)' \(b.style)"
        case (.sequence(let a), .sequence(let b)):
            guard a.count == b.count, a.style == b.style else { return "\(path): sequence of \(a.count) vs \(b.count)" }
            for (index, (left, right)) in zip(a, b).enumerated() {
                if let difference = difference(left, right, at: "\(path)[\(index)]") { return difference }
            }
            return nil
        case (.mapping(let a), .mapping(let b)):
            guard a.count == b.count, a.style == b.style else { return "\(path): mapping of \(a.count) vs \(b.count)" }
            for (left, right) in zip(a, b) {
                let name = "\(path).\(left.key.string ?? "?")"
                if let difference = difference(left.key, right.key, at: name) ?? difference(left.value, right.value, at: name) { return difference }
            }
            return nil
        default:
            return "\(path): \(fast) vs \(yams)"
        }
    }

    @Test(arguments: files)
    func buildsTheTreeYamsBuilds(file: String) throws {
        let text = try String(contentsOfFile: Repository.path(file), encoding: .utf8)
        guard case .node(let fast) = FastComposer.compose(text) else {
            Issue.record("\(file): the fast composer gave up on a valid file")
            return
        }
        let yams = try #require(try Yams.compose(yaml: text))
        #expect(Self.difference(fast, yams) == nil, "\(Self.difference(fast, yams) ?? "")")
    }

    @Test func anchorsQuotingAndTagsLikeYams() throws {
        let text = """
        base: &base {name: a, 'quoted': "x", tagged: !!str 12, number: 12, empty: , nothing: ~}
        copy: *base
        list: &list [1, two, "3"]
        again: *list
        block: |
          two
          lines
        1: int key
        "1": string key
        """
        guard case .node(let fast) = FastComposer.compose(text) else {
            Issue.record("the fast composer gave up")
            return
        }
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
    ])
    func leavesEveryErrorToYams(text: String) {
        guard case .useYams = FastComposer.compose(text) else {
            Issue.record("composed input that Yams rejects or reads as empty: \(text.debugDescription)")
            return
        }
        #expect(throws: (any Error).self) {
            guard try Yams.compose(yaml: text) != nil else { throw CocoaError(.fileReadCorruptFile) }
        }
    }
}
