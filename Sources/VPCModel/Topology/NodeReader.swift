import Yams

/// A YAML node with the place it was written, so every error can point at a line.
public struct Located<Value> {
    public var value: Value
    public var location: SourceLocation

    public init(value: Value, location: SourceLocation) { self.value = value; self.location = location }
}

extension Located: Sendable where Value: Sendable {}
extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

/// Collects one file's located diagnostics, and parses the values every reader of it needs.
public class DiagnosticLog {
    public let file: String
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: String) { self.file = file }

    public func error(_ location: SourceLocation?, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(.error, at: location, file: file, message, hint: hint))
    }

    public func warning(_ location: SourceLocation?, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(.warning, at: location, file: file, message, hint: hint))
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Reads typed fields out of a composed YAML tree, collecting located diagnostics instead of
/// stopping at the first problem. Generic over the tree: Yams's nodes (`NodeReader`) or the
/// topology loader's `FastNode`s.
public final class YAMLReader<N: ComposedNode>: DiagnosticLog {
    public func location(_ node: N) -> SourceLocation {
        let place = node.place
        return SourceLocation(file: file, line: place?.line ?? 1, column: place?.column ?? 1)
    }

    /// The fields of a mapping, checked against the keys a section allows.
    public func fields(_ node: N, _ what: String, allowed: [String], required: [String] = []) -> YAMLFields<N>? {
        guard case .mapping(let mapping) = node.shape else {
            error(location(node), "\(what) must be a mapping of keys to values, not \(describe(node))",
                  hint: "write it as 'key: value' lines (or {key: value} inline)")
            return nil
        }
        var entries = FieldEntries<N>()
        for (key, value) in mapping {
            guard case .scalar(let name, _) = key.shape else {
                error(location(key), "\(what) has a key that is not a plain word")
                continue
            }
            if !allowed.contains(name) {
                var hint = Suggest.didYouMean(name, allowed)
                if hint == nil { hint = "allowed keys: \(allowed.joined(separator: ", "))" }
                error(location(key), "unknown key '\(name)' in \(what)", hint: hint)
                continue
            }
            if entries[name] != nil {
                error(location(key), "key '\(name)' appears twice in \(what)", hint: "keep one of them")
                continue
            }
            entries.append(name, key, value)
        }
        for key in required where entries[key] == nil {
            error(location(node), "\(what) is missing required key '\(key)'", hint: "add '\(key): …'")
        }
        return YAMLFields(reader: self, node: node, what: what, entries: entries)
    }

    public func describe(_ node: N) -> String {
        switch node.shape {
        case .scalar(let text, _): return "the value '\(text)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    public func items(_ node: N, _ what: String) -> [N] {
        switch node.shape {
        case .sequence(let items): return items
        case .scalar(let text, let taggedNull) where text.isEmpty || taggedNull:
            return []
        default:
            error(location(node), "\(what) must be a list, not \(describe(node))", hint: "start each item with '- ' or write [a, b]")
            return []
        }
    }

    public func scalar(_ node: N, _ what: String) -> Located<String>? {
        guard case .scalar(let text, _) = node.shape else {
            error(location(node), "\(what) must be a single value, not \(describe(node))")
            return nil
        }
        return Located(value: text, location: location(node))
    }
}

/// The reader of Yams's trees: scenario files and AWS describe-* JSON.
public typealias NodeReader = YAMLReader<Node>
public typealias Fields = YAMLFields<Node>

/// A mapping's checked entries in file order. A mapping has a dozen keys at most, and a topology
/// hundreds of thousands of mappings: a linear search costs less than a dictionary per mapping.
struct FieldEntries<N> {
    /// Names apart from the nodes, so that a search does not copy (retain and release) the nodes it passes.
    private var names: [String] = []
    private var pairs: [(key: N, value: N)] = []

    mutating func append(_ name: String, _ key: N, _ value: N) {
        names.append(name)
        pairs.append((key, value))
    }

    subscript(name: String) -> (key: N, value: N)? {
        names.firstIndex(of: name).map { pairs[$0] }
    }
}

/// The checked fields of one mapping.
public struct YAMLFields<N: ComposedNode> {
    public let reader: YAMLReader<N>
    public let node: N
    public let what: String
    let entries: FieldEntries<N>

    public var location: SourceLocation { reader.location(node) }

    public func has(_ key: String) -> Bool { entries[key] != nil }

    public func node(_ key: String) -> N? { entries[key]?.value }

    public func locationOf(_ key: String) -> SourceLocation { entries[key].map { reader.location($0.value) } ?? location }

    public func string(_ key: String) -> Located<String>? {
        guard let value = entries[key]?.value else { return nil }
        guard let located = reader.scalar(value, "'\(key)' in \(what)") else { return nil }
        if located.value.isEmpty {
            reader.error(located.location, "'\(key)' in \(what) is empty")
            return nil
        }
        return located
    }

    /// A string or a list of strings (for keys like `subnets`, `security_groups`).
    public func strings(_ key: String) -> [Located<String>] {
        guard let value = entries[key]?.value else { return [] }
        if case .scalar(let text, _) = value.shape, !text.isEmpty { return [Located(value: text, location: reader.location(value))] }
        return reader.items(value, "'\(key)' in \(what)").compactMap { reader.scalar($0, "an item of '\(key)'") }
    }

    public func bool(_ key: String) -> Bool? {
        guard let located = string(key) else { return nil }
        switch located.value.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            reader.error(located.location, "'\(key)' must be true or false, not '\(located.value)'")
            return nil
        }
    }

    public func int(_ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let located = string(key) else { return nil }
        guard let value = Int(located.value), range.contains(value) else {
            reader.error(located.location, "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(located.value)'")
            return nil
        }
        return value
    }

    public func list(_ key: String) -> [N] {
        guard let value = entries[key]?.value else { return [] }
        return reader.items(value, "'\(key)' in \(what)")
    }

    public func cidr(_ key: String) -> CIDR? {
        guard let located = string(key) else { return nil }
        return reader.parseCIDR(located)
    }

    public func address(_ key: String) -> IPv4Address? {
        guard let located = string(key) else { return nil }
        return reader.parseAddress(located)
    }

    public func oneOf<T>(_ key: String, _ choices: [(String, T)]) -> T? {
        guard let located = string(key) else { return nil }
        if let match = choices.first(where: { $0.0.lowercased() == located.value.lowercased() }) { return match.1 }
        let names = choices.map(\.0)
        reader.error(located.location, "'\(key)' must be one of \(names.joined(separator: ", ")), not '\(located.value)'",
                     hint: Suggest.didYouMean(located.value, names))
        return nil
    }
}

extension DiagnosticLog {
    public func parseCIDR(_ located: Located<String>) -> CIDR? {
        switch CIDR.parse(located.value) {
        case .success(let cidr): return cidr
        case .failure(.malformed):
            error(located.location, "'\(located.value)' is not an IPv4 CIDR", hint: "write it as a.b.c.d/len, e.g. 10.0.0.0/16")
        case .failure(.badLength):
            error(located.location, "'\(located.value)' has a prefix length outside 0–32", hint: "write it as a.b.c.d/len, e.g. 10.0.0.0/16")
        case .failure(.hostBitsSet(let suggestion)):
            error(located.location, "'\(located.value)' has host bits set after the prefix length",
                  hint: "AWS requires the network address: did you mean '\(suggestion)'?")
        }
        return nil
    }

    public func parseAddress(_ located: Located<String>) -> IPv4Address? {
        guard let address = IPv4Address(located.value) else {
            error(located.location, "'\(located.value)' is not an IPv4 address", hint: "write four numbers 0–255 separated by dots, e.g. 10.0.1.10")
            return nil
        }
        return address
    }
}
