// libyaml is Yams's own C module (a dependency of the Yams product); Yams reads its events the same way.
internal import CYaml
import Yams

/// Builds the node tree `Yams.compose(yaml:)` builds, straight from libyaml's events, for input
/// without errors. On a 15 MB topology (100k interfaces) Yams spends most of its time resolving
/// every mapping key's tag through seven regular expressions to look for duplicate keys, and on a
/// class allocation per event; here keys are compared by text first and only keys with the same
/// text have their tags resolved, which finds exactly the duplicates Yams finds.
///
/// Anything that is not plain success (a syntax error, a duplicate key, an undefined alias, a second
/// document, empty input) returns `.useYams`, and the caller composes with Yams, so errors and their
/// locations are Yams's own, unchanged.
enum FastComposer {
    enum Outcome {
        case node(Node)
        case useYams
    }

    static func compose(_ text: String) -> Outcome {
        var text = text
        guard !text.isEmpty else { return .useYams }
        return text.withUTF8 { bytes -> Outcome in
            guard let base = bytes.baseAddress else { return .useYams }
            let reader = EventReader()
            guard reader.start(base, bytes.count) else { return .useYams }
            var composer = Composer(reader: reader)
            guard let node = composer.document() else { return .useYams }
            return .node(node)
        }
    }

    /// libyaml's parser and its current event.
    final class EventReader {
        var parser = yaml_parser_t()
        var event = yaml_event_t()
        private var initialized = false
        private var holdsEvent = false

        func start(_ input: UnsafePointer<UInt8>, _ count: Int) -> Bool {
            guard yaml_parser_initialize(&parser) == 1 else { return false }
            initialized = true
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, input, count)
            return next() && event.type == YAML_STREAM_START_EVENT
        }

        /// Moves to the next event; false on a parse error.
        func next() -> Bool {
            if holdsEvent { yaml_event_delete(&event) }
            holdsEvent = yaml_parser_parse(&parser, &event) == 1
            return holdsEvent
        }

        deinit {
            if holdsEvent { yaml_event_delete(&event) }
            if initialized { yaml_parser_delete(&parser) }
        }
    }

    struct Composer {
        let reader: EventReader
        var anchors: [String: Node] = [:]
        /// One constructor for every tag, as Yams's parser shares its own (`Constructor.default`
        /// builds a new one, with its tables, on every use).
        let constructor = Constructor.default

        init(reader: EventReader) { self.reader = reader }

        /// The single document of the stream, as `Parser.singleRoot()` reads it.
        mutating func document() -> Node? {
            guard reader.next(), reader.event.type == YAML_DOCUMENT_START_EVENT, reader.next(), let root = node() else { return nil }
            guard reader.next(), reader.event.type == YAML_DOCUMENT_END_EVENT,
                  reader.next(), reader.event.type == YAML_STREAM_END_EVENT else { return nil }
            return root
        }

        /// The node that starts at the current event.
        mutating func node() -> Node? {
            switch reader.event.type {
            case YAML_SCALAR_EVENT: return scalar()
            case YAML_SEQUENCE_START_EVENT: return sequence()
            case YAML_MAPPING_START_EVENT: return mapping()
            case YAML_ALIAS_EVENT: return Self.string(reader.event.data.alias.anchor).flatMap { anchors[$0] }
            default: return nil
            }
        }

        var mark: Mark {
            FastComposer.mark(line: Int(reader.event.start_mark.line) + 1, column: Int(reader.event.start_mark.column) + 1)
        }

        mutating func scalar() -> Node? {
            let data = reader.event.data.scalar
            guard let style = Node.Scalar.Style(rawValue: numericCast(data.style.rawValue)) else { return nil }
            let value = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            // As Yams: a quoted scalar is a string; otherwise its tag is written or implicit.
            let tag = data.quoted_implicit == 1 ? Tag(.str, .default, constructor) : self.tag(data.tag)
            let node = Node.scalar(Node.Scalar(value, tag, style, mark))
            register(data.anchor, node)
            return node
        }

        // Yams takes a collection's style from its end event, which carries none: `.any`.
        mutating func sequence() -> Node? {
            let start = reader.event.data.sequence_start
            // The event's strings are freed with it: read them before moving on.
            let (tag, mark, anchor) = (collectionTag(start.implicit, start.tag), self.mark, Self.string(start.anchor))
            guard let items = items(until: YAML_SEQUENCE_END_EVENT) else { return nil }
            let node = Node.sequence(Node.Sequence(items, tag, .any, mark))
            if let anchor { anchors[anchor] = node }
            return node
        }

        mutating func mapping() -> Node? {
            let start = reader.event.data.mapping_start
            let (tag, mark, anchor) = (collectionTag(start.implicit, start.tag), self.mark, Self.string(start.anchor))
            guard let items = items(until: YAML_MAPPING_END_EVENT), items.count % 2 == 0 else { return nil }
            let pairs = stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
            guard !Self.hasDuplicateKeys(pairs) else { return nil }
            let node = Node.mapping(Node.Mapping(pairs, tag, .any, mark))
            if let anchor { anchors[anchor] = node }
            return node
        }

        /// The nodes up to the collection's end event (a mapping's keys and values alternate).
        mutating func items(until end: yaml_event_type_t) -> [Node]? {
            var items: [Node] = []
            while true {
                guard reader.next() else { return nil }
                if reader.event.type == end { return items }
                guard let item = node() else { return nil }
                items.append(item)
            }
        }

        mutating func register(_ anchor: UnsafeMutablePointer<yaml_char_t>?, _ node: Node) {
            if let name = Self.string(anchor) { anchors[name] = node }
        }

        /// Yams's duplicate-key test (`Node` equality: same text and same resolved tag), resolving
        /// tags only for keys whose text repeats.
        static func hasDuplicateKeys(_ pairs: [(Node, Node)]) -> Bool {
            guard pairs.count > 1 else { return false }
            var texts: [String] = []
            texts.reserveCapacity(pairs.count)
            for (key, _) in pairs {
                guard case .scalar(let scalar) = key else {
                    // A mapping or sequence as a key: compare whole nodes, as Yams does.
                    return Dictionary(grouping: pairs.map(\.0)) { $0 }.contains { $0.value.count > 1 }
                }
                texts.append(scalar.string)
            }
            if texts.count <= 16 {
                for later in texts.indices.dropFirst() {
                    for earlier in 0..<later where texts[earlier] == texts[later] && pairs[earlier].0 == pairs[later].0 { return true }
                }
                return false
            }
            var seen: [String: [Int]] = [:]
            for (later, text) in texts.enumerated() {
                for earlier in seen[text] ?? [] where pairs[earlier].0 == pairs[later].0 { return true }
                seen[text, default: []].append(later)
            }
            return false
        }

        func collectionTag(_ implicit: Int32, _ name: UnsafeMutablePointer<yaml_char_t>?) -> Tag {
            implicit != 0 ? Tag(.implicit, .default, constructor) : tag(name)
        }

        func tag(_ name: UnsafeMutablePointer<yaml_char_t>?) -> Tag {
            Tag(Self.string(name).map { Tag.Name(rawValue: $0) } ?? .implicit, .default, constructor)
        }

        static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            guard let pointer else { return nil }
            return String(decodingCString: pointer, as: UTF8.self)
        }
    }

    /// Yams gives `Mark` no public initializer; its layout is two `Int`s (line, column), which
    /// `FastComposerTests` checks against the marks Yams itself produces.
    private struct MarkLayout {
        var line: Int
        var column: Int
    }

    static func mark(line: Int, column: Int) -> Mark {
        unsafeBitCast(MarkLayout(line: line, column: column), to: Mark.self)
    }
}
