import ArgumentParser
import CPcap
import Foundation
import VPCModel

/// vpcsim's command line: parse, call the library, render. Exit codes: 0 answered / all checks pass,
/// 1 a check failed, 2 bad usage or bad input.
struct VPCSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vpcsim",
        abstract: "Simulates AWS VPC networking: reachability answers, explanations and packet captures.",
        discussion: """
        PATH is a topology YAML/JSON file (see docs/topology.md) or a folder of AWS describe-* JSON (docs/aws-import.md). Commands that read \
        one network take it as PATH or --topology PATH (query as --topology PATH: its argument is the sentence); without one, they use the \
        embedded default network (seed 000: Lambda functions, Fargate, OpenSearch, NAT gateways and VPC endpoints).
        Outputs (--pcap, --flow-logs, --junit, --pcap-dir, -o) never overwrite a file the command reads: naming one is bad usage.
        Exit codes: 0 success, 1 a check failed, 2 bad usage or bad input.
        """,
        version: versionText(),
        subcommands: [QueryCommand.self, TraceCommand.self, CheckCommand.self, ValidateCommand.self, ShowCommand.self,
                      ImportCommand.self, ExportCommand.self, DiffCommand.self, ReplayCommand.self, MatrixCommand.self,
                      GenerateCommand.self]
    )

    static func versionText() -> String {
        let pcapVersion = pcap_lib_version().map { String(cString: $0) } ?? "libpcap (unknown version)"
        return "vpcsim \(VPCSimVersion.string) (\(pcapVersion))"
    }
}

enum Terminal {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}

/// Loads a topology for a command, printing located errors and exiting 2 on bad input.
func loadTopology(_ path: String?) throws -> LoadedTopology {
    do throws(InputError) {
        let loaded = try (path != nil ? TopologyLoader.load(path: path ?? "") : TopologyLoader.loadDefault())
        for warning in loaded.warnings { Terminal.error(warning.description) }
        return loaded
    } catch {
        Terminal.error(error.description)
        let count = error.diagnostics.filter { $0.severity == .error }.count
        Terminal.error("\(count) error\(count == 1 ? "" : "s")")
        throw ExitCode(2)
    }
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Checks a topology and reports every error with its file, line and column.",
        discussion: "Prints 'ok' with a count of what was loaded, or every error found; exits 2 when there is any error."
    )

    @Argument(help: ArgumentHelp("The topology file or folder of AWS describe-* JSON to check. Same as --topology.", valueName: "PATH"))
    var path: String?

    @Option(help: ArgumentHelp("The topology file or folder of AWS describe-* JSON to check.", valueName: "PATH"))
    var topology: String?

    func validate() throws {
        _ = try NetworkArguments.one(path: path, topology: topology)
    }

    func run() throws {
        // Unlike other commands, no default: checking the embedded network would say nothing of the user's.
        guard let path = path ?? topology else {
            throw usageError("missing the topology to check", hint: "vpcsim validate PATH (or --topology PATH); PATH is a topology file or a folder of AWS describe-* JSON")
        }
        let network = try loadTopology(path).network
        print("ok: \(path): \(network.vpcs.count) VPC\(network.vpcs.count == 1 ? "" : "s"), \(network.subnets.count) subnets, "
              + "\(network.securityGroups.count) security groups, \(network.workloads.count) workloads, \(network.interfaces.count) interfaces")
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Prints a readable summary of a network: VPCs, subnets, routes, ACLs, security groups, gateways, workloads."
    )

    @OptionGroup var network: NetworkArguments

    func run() throws {
        print(NetworkSummary.text(try loadTopology(network.network).network), terminator: "")
    }
}

// ArgumentParser exits 64 on usage errors; vpcsim's contract is 2.
do {
    var command = try VPCSim.parseAsRoot()
    try command.run()
} catch {
    let code = VPCSim.exitCode(for: error)
    if code == .validationFailure {
        Terminal.error(VPCSim.fullMessage(for: error))
        Terminal.error("Run 'vpcsim --help' for usage.")
        Foundation.exit(2)
    }
    VPCSim.exit(withError: error)
}
