import ArgumentParser
import Foundation
import VPCModel

/// `vpcsim import aws DIR -o topology.yaml`: a folder of describe-* JSON as a topology file.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Converts a network from another format into a topology file.",
        subcommands: [ImportAWSCommand.self]
    )
}

struct ImportAWSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aws",
        abstract: "Writes the topology file for a folder of `aws ec2 describe-*` / `aws elbv2 describe-*` JSON outputs.",
        discussion: """
        DIR holds one JSON file per CLI call (any names; the top-level keys say what a file holds), directly or in \
        aws_configs/, aws_configs/<region>/ or accounts/<account>/<region>/ subfolders. See docs/aws-import.md.
        """
    )

    @Argument(help: "The folder of AWS CLI JSON outputs.")
    var directory: String

    @Option(name: .shortAndLong, help: "Where to write the topology YAML (default: standard output).")
    var output: String?

    func run() throws {
        guard AWSImporter.isSnapshotFolder(directory) else {
            Terminal.error("\(directory): error: not a folder\n  hint: vpcsim import aws reads a folder of describe-* JSON files")
            throw ExitCode(2)
        }
        if let output { try OutputPaths.check(outputs: [NamedPath(path: output, role: "-o")], inputs: [NamedPath(path: directory, role: "the imported folder")]) }
        let loaded = try loadTopology(directory)
        let yaml = "# Imported by vpcsim from \(directory)\n" + TopologyWriter.yaml(loaded.network)
        guard let output else { print(yaml, terminator: ""); return }
        try writeOrExit(yaml, to: output)
        let network = loaded.network
        print("wrote \(output): \(network.vpcs.count) VPC\(network.vpcs.count == 1 ? "" : "s"), \(network.subnets.count) subnets, "
              + "\(network.workloads.count) workloads, \(network.interfaces.count) interfaces")
    }
}

/// `vpcsim export aws TOPOLOGY -o DIR`: the describe-* JSON AWS would print for a network.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Writes a network in another format.",
        subcommands: [ExportAWSCommand.self]
    )
}

struct ExportAWSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aws",
        abstract: "Writes the `aws ec2 describe-*` / `aws elbv2 describe-*` JSON AWS would print for a network, one file per call.",
        discussion: "vpcsim reads the folder back (validate, show, --topology DIR) as an equivalent network; see docs/aws-import.md."
    )

    @OptionGroup var network: NetworkArguments

    @Option(name: .shortAndLong, help: "The folder to write the JSON files into (created if missing).")
    var output: String

    func run() throws {
        let files = AWSExporter.files(try loadTopology(network.network).network)
        let paths = files.map { (output as NSString).appendingPathComponent($0.name) }
        try OutputPaths.check(outputs: [NamedPath(path: output, role: "-o")] + paths.map { NamedPath(path: $0, role: "the exported file", option: "-o") }, inputs: network.inputs)
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            Terminal.error("\(output): error: cannot create the folder: \(error.localizedDescription)")
            throw ExitCode(2)
        }
        for (file, path) in zip(files, paths) { try writeOrExit(file.text, to: path) }
        print("wrote \(files.count) files to \(output)")
    }
}

func writeOrExit(_ text: String, to path: String) throws {
    do {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
        Terminal.error("\(path): error: cannot write: \(error.localizedDescription)\n  hint: check that the folder exists and is writable")
        throw ExitCode(2)
    }
}
