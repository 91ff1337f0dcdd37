// libyaml is Yams's own C module (a dependency of the Yams product); Yams reads its events the same way.
internal import CYaml
import Yams

/// Composes a topology file into `FastNode`s straight from libyaml's events, for input without
/// errors. On a 15 MB topology (100k interfaces) Yams's composer spends most of its time resolving
/// every mapping key's tag through seven regular expressions to look for duplicate keys, and on
/// objects per node (tag, event) that the loader never uses; here keys are compared by text first
/// and only keys with the same text are compared as Yams compares them.
///
/// Anything that is not plain success (a syntax error, a duplicate key, a key that is not a
/// scalar, an undefined alias, a second document, empty input) returns `.useYams`: the loader then
/// composes with Yams, so errors and their locations are Yams's own, unchanged.
enum FastComposer {
    enum Outcome {
        case node(FastNode)
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

    /// libyaml's parser and its current event, at fixed addresses (no exclusivity checks on every
    /// event, as stored properties of a class would have).
    final class EventReader {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        private var initialized = false
        private var holdsEvent = false

        init() {
            parser.initialize(to: yaml_parser_t())
            event.initialize(to: yaml_event_t())
        }

        func start(_ input: UnsafePointer<UInt8>, _ count: Int) -> Bool {
            guard yaml_parser_initialize(parser) == 1 else { return false }
            initialized = true
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(parser, input, count)
            return next() && event.pointee.type == YAML_STREAM_START_EVENT
        }

        /// Moves to the next event; false on a parse error.
        func next() -> Bool {
            if holdsEvent { yaml_event_delete(event) }
            holdsEvent = yaml_parser_parse(parser, event) == 1
            return holdsEvent
        }

        var type: yaml_event_type_t { event.pointee.type }

        var place: FastPlace {
            FastPlace(line: Int32(truncatingIfNeeded: event.pointee.start_mark.line + 1),
                      column: Int32(truncatingIfNeeded: event.pointee.start_mark.column + 1))
        }

        deinit {
            if holdsEvent { yaml_event_delete(event) }
            if initialized { yaml_parser_delete(parser) }
            parser.deallocate()
            event.deallocate()
        }
    }

    struct Composer {
        let reader: EventReader
        var anchors: [String: FastNode] = [:]
        /// The key texts of the mappings being read, innermost last.
        var keyTexts: [String] = []

        init(reader: EventReader) { self.reader = reader }

        /// The single document of the stream, as Yams's `Parser.singleRoot()` reads it.
        mutating func document() -> FastNode? {
            guard reader.next(), reader.type == YAML_DOCUMENT_START_EVENT, reader.next(), let root = node() else { return nil }
            guard reader.next(), reader.type == YAML_DOCUMENT_END_EVENT,
                  reader.next(), reader.type == YAML_STREAM_END_EVENT else { return nil }
            return root
        }

        /// The node that starts at the current event.
        mutating func node() -> FastNode? {
            switch reader.type {
            case YAML_SCALAR_EVENT: return scalar()
            case YAML_SEQUENCE_START_EVENT: return sequence()
            case YAML_MAPPING_START_EVENT: return mapping()
            case YAML_ALIAS_EVENT: return Self.string(reader.event.pointee.data.alias.anchor).flatMap { anchors[$0] }
            default: return nil
            }
        }

        mutating func scalar() -> FastNode? {
            let data = reader.event.pointee.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            // As Yams: a quoted scalar is a string; otherwise its tag is written or implicit.
            let tag = data.quoted_implicit == 1 ? Tag.Name.str.rawValue : Self.string(data.tag)
            let node = FastNode.scalar(FastScalar(text: text, tag: tag, place: reader.place))
            if let anchor = Self.string(data.anchor) { anchors[anchor] = node }
            return node
        }

        mutating func sequence() -> FastNode? {
            // The event's strings are freed with it: read them before moving on.
            let (place, anchor) = (reader.place, Self.string(reader.event.pointee.data.sequence_start.anchor))
            var items: [FastNode] = []
            while true {
                guard reader.next() else { return nil }
                if reader.type == YAML_SEQUENCE_END_EVENT { break }
                guard let item = node() else { return nil }
                items.append(item)
            }
            let node = FastNode.sequence(items, place)
            if let anchor { anchors[anchor] = node }
            return node
        }

        mutating func mapping() -> FastNode? {
            let (place, anchor) = (reader.place, Self.string(reader.event.pointee.data.mapping_start.anchor))
            let firstKey = keyTexts.count
            defer { keyTexts.removeSubrange(firstKey...) }
            var pairs: [(key: FastNode, value: FastNode)] = []
            while true {
                guard reader.next() else { return nil }
                if reader.type == YAML_MAPPING_END_EVENT { break }
                // A mapping or sequence as a key: Yams compares whole nodes; let it.
                guard let key = node(), case .scalar(let keyScalar) = key, reader.next(), let value = node() else { return nil }
                keyTexts.append(keyScalar.text)
                pairs.append((key, value))
            }
            guard !Self.hasDuplicateKeys(pairs, texts: keyTexts[firstKey...]) else { return nil }
            let node = FastNode.mapping(pairs, place)
            if let anchor { anchors[anchor] = node }
            return node
        }

        /// Yams's duplicate-key test (same text and same resolved tag), resolving tags only for
        /// keys whose text repeats. Every key is a scalar; `texts` are theirs, in order.
        static func hasDuplicateKeys(_ pairs: [(key: FastNode, value: FastNode)], texts: ArraySlice<String>) -> Bool {
            guard pairs.count > 1 else { return false }
            func same(_ earlier: Int, _ later: Int) -> Bool {
                guard case .scalar(let a) = pairs[earlier].key, case .scalar(let b) = pairs[later].key else { return false }
                return a.tag == b.tag || yamsNode(a) == yamsNode(b)
            }
            let base = texts.startIndex
            if texts.count <= 16 {
                for later in 1..<texts.count {
                    for earlier in 0..<later where texts[base + earlier] == texts[base + later] && same(earlier, later) { return true }
                }
                return false
            }
            var seen: [String: [Int]] = [:]
            for (later, text) in texts.enumerated() {
                for earlier in seen[text] ?? [] where same(earlier, later) { return true }
                seen[text, default: []].append(later)
            }
            return false
        }

        /// The scalar as Yams would hold it, for Yams's own equality (text and resolved tag).
        static func yamsNode(_ scalar: FastScalar) -> Node {
            .scalar(Node.Scalar(scalar.text, Tag(scalar.tag.map { Tag.Name(rawValue: $0) } ?? .implicit)))
        }

        static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            guard let pointer else { return nil }
            return String(decodingCString: pointer, as: UTF8.self)
        }
    }
}
