import Foundation
import Yams

/// AWS-managed prefix lists and service address ranges every topology can use.
public struct BuiltinData: Sendable {
    public var prefixLists: [PrefixList]
    public var services: [AWSService]

    /// The data embedded in vpcsim (from `Fixtures/data/aws-managed.yaml`).
    public static let embedded: BuiltinData = {
        switch TopologyLoader.loadData(yaml: EmbeddedFiles.awsManaged, file: EmbeddedFiles.awsManagedPath) {
        case .success(let data): return data
        case .failure(let error): fatalError("vpcsim's embedded AWS data is invalid (a build defect):\n\(error)")
        }
    }()

    public static let empty = BuiltinData(prefixLists: [], services: [])
}

/// A loaded topology: the network, where its parts were written, and any warnings.
public struct LoadedTopology: Sendable {
    public var network: Network
    public var sourceMap: SourceMap
    public var warnings: [Diagnostic]
    public var file: String
}

/// Loads topology files (YAML, or the same schema as JSON) into a validated `Network`.
public enum TopologyLoader {
    /// The network vpcsim answers about when no `--topology` is given (seed 000).
    public static func loadDefault() throws(InputError) -> LoadedTopology {
        try load(yaml: EmbeddedFiles.defaultNetwork, file: "<default network: \(EmbeddedFiles.defaultNetworkPath)>")
    }

    /// A topology file, or a folder of AWS describe-* JSON outputs (see `AWSImporter`).
    public static func load(path: String) throws(InputError) -> LoadedTopology {
        if AWSImporter.isSnapshotFolder(path) { return try AWSImporter.load(directory: path) }
        let text = try InputFile.readText(path, what: "the topology",
                                          missingHint: "check the path; vpcsim reads a topology YAML/JSON file or a folder of AWS describe-* JSON")
        return try load(yaml: text, file: path)
    }

    public static func load(yaml text: String, file: String, builtins: BuiltinData = .embedded) throws(InputError) -> LoadedTopology {
        let (parsed, reader) = parse(text, file: file, dataFileOnly: false)
        guard let raw = parsed else { throw InputError(reader.diagnostics) }
        let builder = TopologyBuilder(reader: reader, builtins: builtins)
        let (network, sourceMap) = builder.build(raw)
        var diagnostics = reader.diagnostics
        // Checked even when references failed, so that one run reports every error.
        diagnostics += NetworkValidator.validate(network, sourceMap: sourceMap, file: file)
        diagnostics = sorted(diagnostics)
        if diagnostics.contains(where: { $0.severity == .error }) { throw InputError(diagnostics) }
        return LoadedTopology(network: network, sourceMap: sourceMap, warnings: diagnostics, file: file)
    }

    /// Loads a data file that holds only `prefix_lists` and `services`.
    public static func loadData(yaml text: String, file: String) -> Result<BuiltinData, InputError> {
        let (parsed, reader) = parse(text, file: file, dataFileOnly: true)
        guard let raw = parsed else { return .failure(InputError(reader.diagnostics)) }
        let builder = TopologyBuilder(reader: reader, builtins: .empty)
        let (network, _) = builder.build(raw)
        if reader.hasErrors { return .failure(InputError(reader.diagnostics)) }
        let lists = network.prefixLists.map { list -> PrefixList in var list = list; list.awsManaged = true; return list }
        let services = network.services.map { service -> AWSService in var service = service; service.builtIn = true; return service }
        return .success(BuiltinData(prefixLists: lists, services: services))
    }

    /// Composes and parses a topology: through `FastComposer` when it can, else through Yams, which
    /// then says what is wrong with the text. The log holds the diagnostics so far (nil topology:
    /// the text is not YAML); the builder goes on adding to it.
    static func parse(_ text: String, file: String, dataFileOnly: Bool) -> (RawTopology?, DiagnosticLog) {
        if case .node(let root) = FastComposer.compose(text) {
            let reader = YAMLReader<FastNode>(file: file)
            return (TopologyParser(reader: reader).parseTopology(root, dataFileOnly: dataFileOnly), reader)
        }
        let reader = NodeReader(file: file)
        guard let root = compose(text, reader: reader) else { return (nil, reader) }
        return (TopologyParser(reader: reader).parseTopology(root, dataFileOnly: dataFileOnly), reader)
    }

    /// Parses YAML (or JSON) text into a node tree; a syntax error becomes a located diagnostic in `reader`.
    public static func compose(_ text: String, reader: NodeReader) -> Node? {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                reader.error(SourceLocation(file: reader.file, line: 1, column: 1), "the file is empty", hint: "a topology starts with 'vpcs:'")
                return nil
            }
            return root
        } catch let error as YamlError {
            reader.error(location(of: error, file: reader.file), problem(of: error),
                         hint: "check indentation and quoting near this line; JSON input must be valid JSON")
            return nil
        } catch {
            reader.error(nil, "cannot parse: \(error)")
            return nil
        }
    }

    static func location(of error: YamlError, file: String) -> SourceLocation? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SourceLocation(file: file, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(_, let context):
            return SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
        case .reader(_, let offset, _, let yaml):
            guard let offset else { return nil }
            let prefix = yaml.utf8.prefix(offset)
            let line = prefix.filter { $0 == UInt8(ascii: "\n") }.count + 1
            return SourceLocation(file: file, line: line, column: 1)
        default:
            return nil
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            let extra = context.map { " (\($0.text))" } ?? ""
            return "invalid YAML: \(problem)\(extra)"
        case .duplicatedKeysInMapping(let duplicates, _):
            return "key '\(duplicates.joined(separator: "', '"))' appears twice in the same mapping"
        case .reader(let problem, _, _, _):
            return "unreadable input: \(problem)"
        default:
            return "invalid YAML: \(error)"
        }
    }

    static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { lhs, rhs in
            let left = lhs.element.location, right = rhs.element.location
            switch (left, right) {
            case let (l?, r?) where (l.line, l.column) != (r.line, r.column): return (l.line, l.column) < (r.line, r.column)
            case (nil, _?): return false
            case (_?, nil): return true
            default: return lhs.offset < rhs.offset
            }
        }.map(\.element)
    }
}
