import ArgumentParser
import Foundation
import VPCCapture
import VPCEngine

/// `--pcap`, `--filter`, `--flow-logs`, `--capture-start`: the simulated packets of a trace or an
/// answer, written for Wireshark and as VPC Flow Logs (docs/captures.md).
struct CaptureOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write the simulated packets to FILE: .pcap (libpcap) or .pcapng (interface names, comments).",
                               valueName: "FILE"))
    var pcap: String?

    @Option(help: ArgumentHelp("Keep only packets matching a BPF expression (tcpdump syntax) in --pcap.", valueName: "BPF"))
    var filter: String?

    @Option(name: .customLong("flow-logs"),
            help: ArgumentHelp("Write VPC Flow Log records (version 2, default format) for every interface the flows touch.",
                               valueName: "FILE"))
    var flowLogs: String?

    @Option(name: .customLong("capture-start"),
            help: ArgumentHelp("When the first simulated packet is sent: Unix seconds or an ISO 8601 time (default 2026-01-01T00:00:00Z).",
                               valueName: "TIME"))
    var captureStart: String?

    var wanted: Bool { pcap != nil || flowLogs != nil }

    func validate() throws {
        if filter != nil && pcap == nil {
            throw ValidationError("--filter selects the packets written by --pcap; add --pcap FILE")
        }
        if captureStart != nil && !wanted {
            throw ValidationError("--capture-start sets the time of simulated packets; add --pcap FILE or --flow-logs FILE")
        }
    }

    /// The start time in nanoseconds since the Unix epoch.
    func startTime() throws(QueryError) -> UInt64 {
        guard let text = captureStart else { return SimulatedFlow.defaultStartTime }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds >= 0, seconds < 1.0e10 {
            return UInt64((seconds * 1e9).rounded())
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var date = formatter.date(from: trimmed)
        if date == nil {
            formatter.formatOptions = [.withInternetDateTime]
            date = formatter.date(from: trimmed)
        }
        guard let date, date.timeIntervalSince1970 >= 0 else {
            throw QueryError("--capture-start '\(text)' is not a time",
                             hint: "give Unix seconds (1767225600) or an ISO 8601 time (2026-01-01T00:00:00Z)")
        }
        return UInt64((date.timeIntervalSince1970 * 1e9).rounded())
    }

    /// Checks the output names and the filter before any work is done: exit 2 with the reason. The
    /// outputs must not name one of `inputs` (what the command reads) or each other.
    func check(inputs: [NamedPath]) throws {
        try OutputPaths.check(outputs: [pcap.map { NamedPath(path: $0, role: "--pcap") }, flowLogs.map { NamedPath(path: $0, role: "--flow-logs") }]
                                .compactMap { $0 },
                              inputs: inputs)
        do throws(CaptureError) {
            if let pcap { _ = try CaptureFormat(path: pcap) }
            if let filter { _ = try PacketFilter(filter) }
        } catch {
            Terminal.error(error.description)
            throw ExitCode(2)
        }
        do { _ = try startTime() } catch { throw usageFailure(error) }
    }

    /// Simulates the flows and writes the files asked for. Notes (flows that cannot be simulated,
    /// counts) go to stderr so stdout stays the answer.
    func write(_ representatives: [RepresentativeFlow], engine: QueryEngine) throws {
        guard wanted else { return }
        let start: UInt64
        do { start = try startTime() } catch { throw usageFailure(error) }
        let capture = EngineCapture(engine: engine, startTime: start)
        var records: [FlowLogRecord] = []
        do throws(CaptureError) {
            let (flows, skipped) = try capture.simulatedFlows(representatives)
            if !skipped.isEmpty {
                let protocols = Set(skipped.map { TraceBuilder.protocolName($0.flow.ipProtocol) }).sorted()
                Terminal.error("note: \(skipped.count) flow\(skipped.count == 1 ? "" : "s") not simulated (\(protocols.joined(separator: ", "))): "
                               + "captures hold tcp, udp and icmp echo")
            }
            if let pcap {
                let written = try PacketCapture(flows: flows).write(to: pcap, filter: filter)
                Terminal.error("wrote \(written) packet\(written == 1 ? "" : "s") of \(flows.count) flow\(flows.count == 1 ? "" : "s") to \(pcap)")
            }
            if flowLogs != nil { records = try capture.flowLogRecords(flows) }
        } catch {
            Terminal.error(error.description)
            throw ExitCode(2)
        }
        guard let flowLogs else { return }
        do throws(FlowLogError) { try FlowLog.write(records, to: flowLogs) } catch {
            Terminal.error(error.description)
            throw ExitCode(2)
        }
        Terminal.error("wrote \(records.count) flow log record\(records.count == 1 ? "" : "s") to \(flowLogs)")
    }
}
