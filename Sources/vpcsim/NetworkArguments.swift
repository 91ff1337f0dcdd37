import ArgumentParser
import Foundation

/// How every command that reads one network takes it: a positional PATH or `--topology PATH`, the
/// same file either way, so that users need not remember which command takes which. `query`, whose
/// positional argument is its sentence, takes `--topology` only; `diff` reads two networks, OLD and NEW.
struct NetworkArguments: ParsableArguments {
    static let help = "A topology file or folder of AWS describe-* JSON (default: the embedded default network)."

    @Argument(help: ArgumentHelp(Self.help + " Same as --topology.", valueName: "PATH"))
    var path: String?

    @Option(help: ArgumentHelp(Self.help, valueName: "PATH"))
    var topology: String?

    func validate() throws {
        _ = try Self.one(path: path, topology: topology)
    }

    /// The network named, nil for the embedded default.
    var network: String? { path ?? topology }

    /// The inputs to keep outputs off (nothing for the embedded default).
    var inputs: [NamedPath] { NamedPath.topology(network) }

    /// PATH or --topology PATH, not both (a usage error that says so).
    static func one(path: String?, topology: String?) throws -> String? {
        if let path, let topology {
            throw usageError("the network is given twice: as PATH (\(path)) and with --topology (\(topology))",
                             hint: "give one of them; PATH and --topology PATH mean the same")
        }
        return path ?? topology
    }
}
