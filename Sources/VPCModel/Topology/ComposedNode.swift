import Yams

/// What `YAMLReader` needs from a composed YAML tree. Yams's `Node` is one (scenario files, AWS
/// JSON); `FastNode` is the lighter tree the topology loader composes itself.
public protocol ComposedNode {
    /// Where the node starts, 1-based.
    var place: (line: Int, column: Int)? { get }
    var shape: ComposedShape<Self> { get }
}

public enum ComposedShape<Node> {
    /// A scalar's text; `taggedNull` when its written tag is YAML's null tag (`!!null`).
    case scalar(String, taggedNull: Bool)
    case sequence([Node])
    case mapping([(key: Node, value: Node)])
    case alias
}

extension Node: ComposedNode {
    public var place: (line: Int, column: Int)? { mark.map { ($0.line, $0.column) } }

    public var shape: ComposedShape<Node> {
        switch self {
        // The tag as written: Yams resolves an implicit tag only when asked (`Node.tag`).
        case .scalar(let scalar): return .scalar(scalar.string, taggedNull: scalar.tag.description.hasSuffix("null"))
        case .sequence(let sequence): return .sequence(Array(sequence))
        case .mapping(let mapping): return .mapping(mapping.map { ($0.key, $0.value) })
        case .alias: return .alias
        }
    }
}

/// A node of the tree `FastComposer` builds for the topology loader: text, written tag and place,
/// without the tag object, anchor reference and style Yams keeps for every node.
enum FastNode: ComposedNode {
    case scalar(FastScalar)
    case sequence([FastNode], FastPlace)
    case mapping([(key: FastNode, value: FastNode)], FastPlace)

    var place: (line: Int, column: Int)? {
        switch self {
        case .scalar(let scalar): return (Int(scalar.place.line), Int(scalar.place.column))
        case .sequence(_, let place), .mapping(_, let place): return (Int(place.line), Int(place.column))
        }
    }

    var shape: ComposedShape<FastNode> {
        switch self {
        case .scalar(let scalar): return .scalar(scalar.text, taggedNull: scalar.taggedNull)
        case .sequence(let items, _): return .sequence(items)
        case .mapping(let pairs, _): return .mapping(pairs)
        }
    }
}

struct FastPlace: Equatable {
    var line: Int32
    var column: Int32
}

struct FastScalar {
    var text: String
    /// As written: nil when implicit (plain, no tag), `tag:yaml.org,2002:str` when quoted.
    var tag: String?
    var place: FastPlace

    var taggedNull: Bool { tag?.hasSuffix("null") ?? false }
}
