import Foundation

/// Loads a folder of `aws ec2 describe-*` (and `aws elbv2 describe-*`) JSON outputs into a
/// validated `Network`, like `TopologyLoader` does for topology files. Layouts: `DIR/*.json`,
/// `DIR/aws_configs/*.json`, `…/aws_configs/<region>/*.json`, `…/accounts/<account>/<region>/*.json`
/// (any folder below DIR, up to four levels; a folder named like a region or an account id says
/// where its files come from).
public enum AWSImporter {
    /// True when `path` is a folder (what vpcsim reads as an AWS snapshot).
    public static func isSnapshotFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    public static func load(directory: String, builtins: BuiltinData = .embedded) throws(InputError) -> LoadedTopology {
        let files = jsonFiles(in: directory)
        guard !files.isEmpty else {
            throw InputError(Diagnostic(.error, at: nil, file: directory, "the folder holds no .json files",
                                        hint: "save each `aws ec2 describe-… --output json` as a .json file in it (see docs/aws-import.md)"))
        }
        var texts: [(String, AWSSnapshot.Context)] = []
        var unreadable: [Diagnostic] = []
        for file in files {
            do {
                texts.append((try InputFile.readText(file.file, what: "the describe-* output"), file))
            } catch {
                unreadable += error.diagnostics
            }
        }
        return try load(files: texts, name: (directory as NSString).standardizingPath.split(separator: "/").last.map(String.init) ?? directory,
                        folder: directory, builtins: builtins, extra: unreadable)
    }

    /// Loads already-read files (tests and the exporter's round trip use it).
    static func load(files: [(text: String, context: AWSSnapshot.Context)], name: String, folder: String,
                     builtins: BuiltinData = .embedded, extra: [Diagnostic] = []) throws(InputError) -> LoadedTopology {
        let log = AWSDiagnostics()
        log.add(extra)
        var snapshot = AWSSnapshot()
        for (text, context) in files { snapshot.read(text: text, context: context, log: log) }
        log.reportIPv6ACLEntries()
        if snapshot.vpcs.isEmpty && !log.hasErrors {
            log.error(nil, file: folder, "no VPC found: none of the files holds describe-vpcs output (top-level key 'Vpcs')",
                      hint: "run `aws ec2 describe-vpcs --output json > describe-vpcs.json` in this folder")
        }
        let builder = AWSNetworkBuilder(snapshot: snapshot, log: log, builtins: builtins, name: name)
        let (network, sourceMap) = builder.build()
        var diagnostics = log.diagnostics
        diagnostics += NetworkValidator.validate(network, sourceMap: sourceMap, file: folder)
        diagnostics = sorted(diagnostics)
        if diagnostics.contains(where: { $0.severity == .error }) { throw InputError(diagnostics) }
        return LoadedTopology(network: network, sourceMap: sourceMap, warnings: diagnostics, file: folder)
    }

    /// The files `load(directory:)` reads, so that a command can refuse to write over one of them.
    public static func snapshotFiles(in directory: String) -> [String] {
        jsonFiles(in: directory).map(\.file)
    }

    /// File order, then line and column (TopologyLoader sorts one file's diagnostics the same way).
    static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let files = Array(Set(diagnostics.compactMap(\.file))).sorted()
        return files.flatMap { file in TopologyLoader.sorted(diagnostics.filter { $0.file == file }) }
            + diagnostics.filter { $0.file == nil }
    }

    /// Every `.json` file in the folder and its subfolders (up to four levels), sorted by path,
    /// with the region and account its folder names.
    static func jsonFiles(in directory: String) -> [AWSSnapshot.Context] {
        var result: [AWSSnapshot.Context] = []
        func walk(_ path: String, depth: Int, region: String?, account: String?, parent: String?) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            for name in names.sorted() where !name.hasPrefix(".") {
                let child = (path as NSString).appendingPathComponent(name)
                if isSnapshotFolder(child) {
                    guard depth < 4 else { continue }
                    let isRegion = NetworkValidator.Context.isRegionName(name)
                    let isAccount = name.count == 12 && name.allSatisfy(\.isNumber) && parent == "accounts"
                    walk(child, depth: depth + 1, region: isRegion ? name : region, account: isAccount ? name : account, parent: name)
                } else if name.lowercased().hasSuffix(".json") {
                    result.append(AWSSnapshot.Context(file: child, region: region, account: account))
                }
            }
        }
        walk(directory, depth: 0, region: nil, account: nil, parent: nil)
        return result
    }
}
