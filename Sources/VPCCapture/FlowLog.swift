#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import VPCModel

/// An address in a flow log record. Version-2 records carry IPv6 addresses too, so the reader
/// accepts them rather than rejecting real AWS files.
public enum FlowLogAddress: Sendable, Hashable, CustomStringConvertible {
    case ipv4(UInt32)
    /// The 16 address bytes as two big-endian halves.
    case ipv6(high: UInt64, low: UInt64)

    public init?(_ text: some StringProtocol) {
        if let v4 = parseIPv4(text) {
            self = .ipv4(v4)
            return
        }
        guard text.contains(":") else { return nil }
        var storage = in6_addr()
        let ok = String(text).withCString { inet_pton(AF_INET6, $0, &storage) } == 1
        guard ok else { return nil }
        let bytes = withUnsafeBytes(of: &storage) { Array($0) }
        self = .ipv6(
            high: bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) },
            low: bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) })
    }

    public var description: String {
        switch self {
        case .ipv4(let address):
            return formatIPv4(address)
        case .ipv6(let high, let low):
            var storage = in6_addr()
            withUnsafeMutableBytes(of: &storage) { raw in
                for i in 0..<8 {
                    raw[i] = UInt8(truncatingIfNeeded: high >> UInt64(56 - 8 * i))
                    raw[8 + i] = UInt8(truncatingIfNeeded: low >> UInt64(56 - 8 * i))
                }
            }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
            guard inet_ntop(AF_INET6, &storage, &text, socklen_t(text.count)) != nil else { return "::" }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}

/// One record of a VPC Flow Log in the default (version 2) format:
/// `version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status`.
///
/// How AWS logs traffic (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html):
/// each network interface has its own records, one per direction of a flow (the response is a
/// separate record with source and destination swapped), aggregated over an interval (`start`,
/// `end` in Unix seconds). `action` is ACCEPT when the security groups and network ACLs let the
/// packets through at that interface and REJECT when one of them dropped them there, so a request
/// rejected at its destination shows ACCEPT at the source ENI and REJECT at the destination ENI, and
/// a response blocked by a stateless NACL shows an ACCEPT record for the request and a REJECT record
/// for the response. Interfaces with no traffic in an interval log NODATA; records AWS could not
/// capture are summarised as SKIPDATA; both have `-` for the fields they lack. ICMP records have ports 0.
public struct FlowLogRecord: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        case accept = "ACCEPT"
        case reject = "REJECT"
    }

    public enum LogStatus: String, Sendable, Hashable {
        case ok = "OK"
        case noData = "NODATA"
        case skipData = "SKIPDATA"
    }

    /// The field names line AWS writes at the top of each file delivered to S3.
    public static let fieldNames = [
        "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol",
        "packets", "bytes", "start", "end", "action", "log-status",
    ]
    public static let header = fieldNames.joined(separator: " ")

    public var version: Int
    /// nil is written as `-`.
    public var accountID: String?
    public var interfaceID: String?
    public var sourceAddress: FlowLogAddress?
    public var destinationAddress: FlowLogAddress?
    public var sourcePort: UInt16?
    public var destinationPort: UInt16?
    public var protocolNumber: UInt8?
    public var packets: UInt64?
    public var bytes: UInt64?
    /// Unix seconds.
    public var start: UInt64
    public var end: UInt64
    public var action: Action?
    public var logStatus: LogStatus

    public init(
        version: Int = 2, accountID: String?, interfaceID: String?, sourceAddress: FlowLogAddress?,
        destinationAddress: FlowLogAddress?, sourcePort: UInt16?, destinationPort: UInt16?, protocolNumber: UInt8?,
        packets: UInt64?, bytes: UInt64?, start: UInt64, end: UInt64, action: Action?, logStatus: LogStatus = .ok
    ) {
        self.version = version
        self.accountID = accountID
        self.interfaceID = interfaceID
        self.sourceAddress = sourceAddress
        self.destinationAddress = destinationAddress
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.protocolNumber = protocolNumber
        self.packets = packets
        self.bytes = bytes
        self.start = start
        self.end = end
        self.action = action
        self.logStatus = logStatus
    }

    /// The record as one line (no newline).
    public var line: String {
        func field(_ value: (some CustomStringConvertible)?) -> String { value.map(\.description) ?? "-" }
        return [
            String(version), accountID ?? "-", interfaceID ?? "-", field(sourceAddress), field(destinationAddress),
            field(sourcePort), field(destinationPort), field(protocolNumber), field(packets), field(bytes),
            String(start), String(end), action?.rawValue ?? "-", logStatus.rawValue,
        ].joined(separator: " ")
    }
}

/// A malformed flow log line: `file:line:column: error: message`.
public struct FlowLogDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(path):\(line):\(column): error: \(message)" }
}

/// Every malformed line of a flow log (up to a limit), or why the file could not be read.
public struct FlowLogError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var diagnostics: [FlowLogDiagnostic]
    /// Set when the file itself could not be read or written.
    public var ioMessage: String?

    public var description: String {
        if let ioMessage { return "\(path): error: \(ioMessage)" }
        return diagnostics.map(\.description).joined(separator: "\n")
    }
}

public enum FlowLog {
    /// Stop collecting after this many bad lines: a wrong file would otherwise produce one per line.
    public static let maximumDiagnostics = 20

    /// The records as a file: the field names line (as in S3), then one line per record.
    public static func format(_ records: [FlowLogRecord], includeHeader: Bool = true) -> String {
        var text = includeHeader ? FlowLogRecord.header + "\n" : ""
        for record in records {
            text += record.line
            text += "\n"
        }
        return text
    }

    public static func write(_ records: [FlowLogRecord], to path: String, includeHeader: Bool = true) throws(FlowLogError) {
        let text = format(records, includeHeader: includeHeader)
        guard let file = fopen(path, "wb") else {
            throw FlowLogError(path: path, diagnostics: [], ioMessage: "cannot create: \(String(cString: strerror(errno)))")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let closed = fclose(file)
        guard written == bytes.count, closed == 0 else {
            throw FlowLogError(path: path, diagnostics: [], ioMessage: "write failed: \(String(cString: strerror(errno)))")
        }
    }

    public static func read(path: String) throws(FlowLogError) -> [FlowLogRecord] {
        try readNumbered(path: path).map(\.record)
    }

    /// The records of a flow log file with their 1-based line numbers. Only a regular file of at most
    /// `InputLimits.maximumFileSize` bytes is read (a FIFO or `/dev/zero` is refused before any read).
    public static func readNumbered(path: String) throws(FlowLogError) -> [(line: Int, record: FlowLogRecord)] {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(path, what: "the flow log")
        } catch {
            let message = error.diagnostics.map { diagnostic in
                diagnostic.message + (diagnostic.hint.map { "\n  hint: \($0)" } ?? "")
            }.joined(separator: "\n")
            throw FlowLogError(path: path, diagnostics: [], ioMessage: message)
        }
        return try parseNumbered(String(decoding: bytes, as: UTF8.self), path: path)
    }

    /// Parses default-format records. Blank lines and the field names line are skipped; fields are
    /// separated by spaces. Throws every malformed line (up to `maximumDiagnostics`) at once.
    public static func parse(_ text: String, path: String = "<flow log>") throws(FlowLogError) -> [FlowLogRecord] {
        try parseNumbered(text, path: path).map(\.record)
    }

    /// `parse` with the 1-based line number of each record. A line longer than
    /// `InputLimits.maximumLineLength` bytes is an error at its first byte past the limit.
    public static func parseNumbered(_ text: String, path: String = "<flow log>") throws(FlowLogError) -> [(line: Int, record: FlowLogRecord)] {
        var records: [(line: Int, record: FlowLogRecord)] = []
        var diagnostics: [FlowLogDiagnostic] = []
        var lineNumber = 0
        // Split on bytes: in Swift "\r\n" is one Character, and files may use either line ending.
        lines: for rawLine in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let bytes = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine[...]
            if bytes.count > InputLimits.maximumLineLength {
                diagnostics.append(FlowLogDiagnostic(
                    path: path, line: lineNumber, column: InputLimits.maximumLineLength + 1,
                    message: "the line is \(bytes.count) bytes long, more than the \(InputLimits.maximumLineLength) vpcsim reads "
                        + "(a flow log record is one short line; is this a flow log?)"))
                if diagnostics.count >= maximumDiagnostics { break lines }
                continue
            }
            let line = Substring(bytes)
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            switch parseLine(line) {
            case .header:
                continue
            case .record(let record):
                records.append((lineNumber, record))
            case .failure(let column, let message):
                diagnostics.append(FlowLogDiagnostic(path: path, line: lineNumber, column: column, message: message))
                if diagnostics.count >= maximumDiagnostics { break lines }
            }
        }
        if !diagnostics.isEmpty { throw FlowLogError(path: path, diagnostics: diagnostics) }
        return records
    }

    enum LineResult {
        case header
        case record(FlowLogRecord)
        case failure(column: Int, message: String)
    }

    static func parseLine(_ line: Substring) -> LineResult {
        // Fields with their 1-based columns.
        var fields: [(text: Substring, column: Int)] = []
        var index = line.startIndex
        var column = 1
        while index < line.endIndex {
            if line[index] == " " || line[index] == "\t" {
                index = line.index(after: index)
                column += 1
                continue
            }
            let start = index
            let startColumn = column
            while index < line.endIndex, line[index] != " ", line[index] != "\t" {
                index = line.index(after: index)
                column += 1
            }
            fields.append((line[start..<index], startColumn))
        }
        if fields.map(\.text) == FlowLogRecord.fieldNames.map({ Substring($0) }) { return .header }
        let names = FlowLogRecord.fieldNames
        guard fields.count == names.count else {
            let column = fields.count > names.count ? fields[names.count].column : line.count + 1
            return .failure(
                column: column,
                message: "expected \(names.count) space-separated fields (\(FlowLogRecord.header)), found \(fields.count)")
        }

        struct FieldError: Error {
            var column: Int
            var message: String
        }
        func fail(_ i: Int, _ expected: String) -> FieldError {
            FieldError(column: fields[i].column, message: "\(names[i]): expected \(expected), found '\(fields[i].text)'")
        }
        func optional<T>(_ i: Int, _ expected: String, _ parse: (Substring) -> T?) throws(FieldError) -> T? {
            let text = fields[i].text
            if text == "-" { return nil }
            guard let value = parse(text) else { throw fail(i, expected + " or '-'") }
            return value
        }
        func required<T>(_ i: Int, _ expected: String, _ parse: (Substring) -> T?) throws(FieldError) -> T {
            guard let value = parse(fields[i].text) else { throw fail(i, expected) }
            return value
        }
        func digits(_ text: Substring) -> Bool { !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber } }

        do throws(FieldError) {
            let version = try required(0, "2 (the default format)") { digits($0) ? Int($0) : nil }
            guard version == 2 else {
                throw FieldError(
                    column: fields[0].column,
                    message: "version: only the default version-2 format is supported, found '\(fields[0].text)'; "
                        + "custom formats list their fields in the file's first line")
            }
            let accountID = try optional(1, "an account id") { digits($0) ? String($0) : nil }
            let interfaceID = try optional(2, "an interface id") { String($0) }
            let source = try optional(3, "an IPv4 or IPv6 address") { FlowLogAddress($0) }
            let destination = try optional(4, "an IPv4 or IPv6 address") { FlowLogAddress($0) }
            let sourcePort = try optional(5, "a port 0-65535") { digits($0) ? UInt16($0) : nil }
            let destinationPort = try optional(6, "a port 0-65535") { digits($0) ? UInt16($0) : nil }
            let protocolNumber = try optional(7, "an IANA protocol number 0-255") { digits($0) ? UInt8($0) : nil }
            let packets = try optional(8, "a packet count") { digits($0) ? UInt64($0) : nil }
            let bytes = try optional(9, "a byte count") { digits($0) ? UInt64($0) : nil }
            let start = try required(10, "Unix seconds") { digits($0) ? UInt64($0) : nil }
            let end = try required(11, "Unix seconds") { digits($0) ? UInt64($0) : nil }
            let action = try optional(12, "ACCEPT or REJECT") { FlowLogRecord.Action(rawValue: String($0)) }
            let status = try required(13, "OK, NODATA or SKIPDATA") { FlowLogRecord.LogStatus(rawValue: String($0)) }
            guard end >= start else {
                throw FieldError(column: fields[11].column, message: "end: \(end) is before start \(start)")
            }
            if status == .ok {
                // An OK record describes traffic: every field is present.
                for i in 3...9 where fields[i].text == "-" {
                    throw FieldError(column: fields[i].column, message: "\(names[i]): '-' in a record with log-status OK")
                }
                if action == nil {
                    throw FieldError(column: fields[12].column, message: "action: '-' in a record with log-status OK")
                }
            }
            return .record(
                FlowLogRecord(
                    version: version, accountID: accountID, interfaceID: interfaceID, sourceAddress: source,
                    destinationAddress: destination, sourcePort: sourcePort, destinationPort: destinationPort,
                    protocolNumber: protocolNumber, packets: packets, bytes: bytes, start: start, end: end,
                    action: action, logStatus: status))
        } catch {
            return .failure(column: error.column, message: error.message)
        }
    }

    /// The records AWS would log for a simulated flow: at every capture point with an
    /// `interfaceID`, one record per direction and action, with the addresses as seen there.
    /// Packets the flow drops by a filter at a point are REJECT there; everything else is ACCEPT.
    public static func records(for flow: SimulatedFlow, accountID: String) throws(CaptureError) -> [FlowLogRecord] {
        let packets = try flow.packets()
        struct Key: Hashable {
            var point: Int
            var direction: CapturedPacket.Direction
            var rejected: Bool
        }
        struct Tally {
            var packets: UInt64 = 0
            var bytes: UInt64 = 0
            var first: UInt64 = .max
            var last: UInt64 = 0
        }
        var order: [Key] = []
        var tallies: [Key: Tally] = [:]
        for packet in packets where flow.points[packet.interfaceIndex].interfaceID != nil {
            let key = Key(point: packet.interfaceIndex, direction: packet.direction, rejected: packet.rejected)
            if tallies[key] == nil { order.append(key) }
            var tally = tallies[key, default: Tally()]
            tally.packets += 1
            tally.bytes += UInt64(packet.frame.count - EthernetHeader.length)
            tally.first = min(tally.first, packet.timestamp)
            tally.last = max(tally.last, packet.timestamp)
            tallies[key] = tally
        }
        // Two capture points on one ENI with the same view (rare) are one record.
        var records: [FlowLogRecord] = []
        var seen: [FlowLogRecord: Int] = [:]
        for key in order {
            guard let tally = tallies[key] else { continue }
            let point = flow.points[key.point]
            var header = key.direction == .request ? point.header : point.header.reversed
            if flow.flowProtocol == .icmpEcho {
                header.sourcePort = 0
                header.destinationPort = 0
            }
            let record = FlowLogRecord(
                accountID: accountID, interfaceID: point.interfaceID,
                sourceAddress: .ipv4(header.sourceAddress), destinationAddress: .ipv4(header.destinationAddress),
                sourcePort: header.sourcePort, destinationPort: header.destinationPort,
                protocolNumber: flow.flowProtocol.number, packets: tally.packets, bytes: tally.bytes,
                start: tally.first / 1_000_000_000, end: tally.last / 1_000_000_000 + 1,
                action: key.rejected ? .reject : .accept)
            var identity = record
            identity.packets = nil
            identity.bytes = nil
            identity.start = 0
            identity.end = 0
            if let existing = seen[identity] {
                records[existing].packets = (records[existing].packets ?? 0) + tally.packets
                records[existing].bytes = (records[existing].bytes ?? 0) + tally.bytes
                records[existing].start = min(records[existing].start, record.start)
                records[existing].end = max(records[existing].end, record.end)
            } else {
                seen[identity] = records.count
                records.append(record)
            }
        }
        return records
    }
}
