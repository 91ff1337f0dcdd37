import ArgumentParser
import Foundation
import VPCEngine
import VPCModel

enum AnswerFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, mermaid
}

enum TraceFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Prints a question vpcsim cannot answer as asked (message + hint) and gives exit code 2.
func usageFailure(_ error: QueryError) -> ExitCode {
    Terminal.error(error.description)
    return ExitCode(2)
}

/// Prints a usage error of the command line itself (message + hint) and gives exit code 2.
func usageError(_ message: String, hint: String) -> ExitCode {
    usageFailure(QueryError(message, hint: hint))
}

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Answers \"can A reach B\": yes/no, what gets through and by which path, what is blocked where and why.",
        discussion: """
        Ask with a sentence or with --from/--to. Without --proto/--port the answer covers every protocol, \
        port and address; with them, only those packets. A and B are workload names, interface or instance \
        ids, security groups, subnets, IPs or CIDRs, AWS service names (s3, secretsmanager, …) or internet.

        Sentences:
        \(Query.sentenceForms)

        Examples:
          vpcsim query "can Lambda-Internal reach the internet"
          vpcsim query "Lambda-Internet -> internet:443"
          vpcsim query --from Fargate --to secretsmanager --proto tcp --port 443
          vpcsim query --topology Fixtures/seeds/001-omnigen.yaml "can internet reach ALB on tcp/443" --format json
          vpcsim query "can Fargate reach s3" --format mermaid > path.mmd
          vpcsim query "can Lambda-Internal reach the internet" --pcap blocked.pcapng --filter 'tcp'

        Exit codes: 0 answered (whatever the answer), 2 bad usage, bad input or an unknown endpoint.
        """
    )

    /// Only as an option: the positional argument is the sentence.
    @Option(help: ArgumentHelp(NetworkArguments.help + " Only as --topology: the argument is the sentence.", valueName: "PATH"))
    var topology: String?

    @Argument(help: ArgumentHelp("The question, e.g. \"can Lambda-Internal reach the internet\".", valueName: "SENTENCE"))
    var sentence: String?

    @Option(help: ArgumentHelp("The source (instead of a sentence).", valueName: "A"))
    var from: String?

    @Option(help: ArgumentHelp("The destination (instead of a sentence).", valueName: "B"))
    var to: String?

    @Option(name: .customLong("proto"), help: ArgumentHelp("tcp, udp, icmp, all, or a protocol number (default: every protocol).", valueName: "P"))
    var proto: String?

    @Option(help: ArgumentHelp("A port or range LO-HI (tcp when no --proto).", valueName: "N|LO-HI"))
    var port: String?

    @Option(help: ArgumentHelp("Output format: text, json (docs/json.md) or mermaid.", valueName: "FORMAT"))
    var format: AnswerFormat = .text

    @OptionGroup(title: "Captures (one representative flow per allowed path and per blocked class)")
    var capture: CaptureOptions

    func validate() throws {
        if sentence != nil && (from != nil || to != nil) {
            throw ValidationError("give either a sentence or --from/--to, not both")
        }
        if sentence == nil && (from == nil || to == nil) {
            throw ValidationError("give a sentence, e.g. \"can Lambda-Internal reach the internet\", or both --from and --to")
        }
    }

    /// The question as asked: a sentence (whose protocol/port `--proto`/`--port` may fill in) or flags.
    func question() throws(QueryError) -> Query {
        let (ipProtocol, ports) = try Query.protocolAndPorts(protocol: proto, ports: port)
        guard let sentence else {
            return Query(from: from ?? "", to: to ?? "", ipProtocol: ipProtocol, ports: ports)
        }
        var query = try Query.parse(sentence)
        if proto != nil || port != nil {
            guard query.ipProtocol == nil && query.ports == nil else {
                throw QueryError("the sentence already names a protocol or port; --proto/--port would change it",
                                 hint: "drop --proto/--port, or the 'on …' part of the sentence")
            }
            query.ipProtocol = ipProtocol
            query.ports = ports
        }
        return query
    }

    func run() throws {
        let query: Query
        do { query = try question() } catch { throw usageFailure(error) }
        try capture.check(inputs: NamedPath.topology(topology))
        let network = try loadTopology(topology).network
        let engine = QueryEngine(network: network)
        let answer: Answer
        do { answer = try engine.answer(query) } catch { throw usageFailure(error) }
        switch format {
        case .text: write(AnswerText(answer, style: .forStandardOutput).render())
        case .json: write(try JSONOutput.encode(answer))
        case .mermaid: write(MermaidAnswer(answer).render())
        }
        try capture.write(answer.allowed.compactMap(\.representative) + answer.blocked.compactMap(\.representative), engine: engine)
    }
}

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Follows one concrete flow hop by hop, request and response, with the rule that decided at each hop.",
        discussion: """
        One trace per source interface and destination address. --port is required for tcp and udp.

        Examples:
          vpcsim trace --from Lambda-Internet --to internet --proto tcp --port 443
          vpcsim trace --from Lambda-Internal --to internet --proto udp --port 53
          vpcsim trace --from Fargate --to secretsmanager --proto tcp --port 443 --format json
          vpcsim trace --from OpenSearch --to 10.0.12.10 --proto icmp
          vpcsim trace --from Lambda-Internet --to internet --proto tcp --port 443 --pcap nat.pcapng --flow-logs nat.log

        Exit codes: 0 traced (whatever the outcome), 2 bad usage, bad input or an unknown endpoint.
        """
    )

    @OptionGroup var network: NetworkArguments

    @Option(help: ArgumentHelp("The source.", valueName: "A"))
    var from: String

    @Option(help: ArgumentHelp("The destination.", valueName: "B"))
    var to: String

    @Option(name: .customLong("proto"), help: ArgumentHelp("tcp, udp, icmp, or a protocol number.", valueName: "P"))
    var proto: String

    @Option(help: ArgumentHelp("The destination port (tcp and udp).", valueName: "N"))
    var port: String?

    @Option(help: ArgumentHelp("Output format: text or json (docs/json.md).", valueName: "FORMAT"))
    var format: TraceFormat = .text

    @OptionGroup(title: "Captures (the traced flows)")
    var capture: CaptureOptions

    func question() throws(QueryError) -> Query {
        let (ipProtocol, ports) = try Query.protocolAndPorts(protocol: proto, ports: port)
        guard let ipProtocol else {
            throw QueryError("a trace follows one packet, and '\(proto)' is every protocol",
                             hint: "give one protocol: --proto tcp --port 443, --proto udp --port 53, --proto icmp; or use 'vpcsim query' for every packet")
        }
        if ipProtocol.hasPorts {
            guard let ports else {
                throw QueryError("a \(ipProtocol.name) trace needs a destination port",
                                 hint: "add --port, e.g. vpcsim trace --from \(from) --to \(to) --proto \(ipProtocol.name) --port 443")
            }
            guard ports.lower == ports.upper else {
                throw QueryError("a trace follows one packet, but --port \(ports) is a range",
                                 hint: "give one port (--port \(ports.lower)), or use 'vpcsim query' for a range")
            }
        }
        return Query(from: from, to: to, ipProtocol: ipProtocol, ports: ports)
    }

    func run() throws {
        let query: Query
        do { query = try question() } catch { throw usageFailure(error) }
        try capture.check(inputs: network.inputs)
        let engine = QueryEngine(network: try loadTopology(network.network).network)
        let traces: [FlowTrace]
        do { traces = try engine.trace(query) } catch { throw usageFailure(error) }
        switch format {
        case .text: write(TraceText(traces, style: .forStandardOutput).render())
        case .json: write(try JSONOutput.encode(traces))
        }
        if capture.wanted {
            let flows: [RepresentativeFlow]
            do { flows = try engine.traceFlows(query).map(\.flow) } catch { throw usageFailure(error) }
            try capture.write(flows, engine: engine)
        }
    }
}

/// Writes rendered output to stdout, ending with exactly one newline.
func write(_ text: String) {
    print(text.hasSuffix("\n") ? String(text.dropLast()) : text)
}
