import Yams

/// Problems found while importing AWS JSON, from every file of a snapshot. Warnings about the same
/// thing (an unknown field, a missing resource) are reported once, at the first place they occur.
final class AWSDiagnostics {
    private(set) var diagnostics: [Diagnostic] = []
    private var reported: Set<String> = []

    func add(_ diagnostics: [Diagnostic]) { self.diagnostics += diagnostics }

    func error(_ location: SourceLocation?, file: String? = nil, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(.error, at: location, file: file, message, hint: hint))
    }

    /// A warning, unless one with the same key was already given.
    func warning(once key: String? = nil, _ location: SourceLocation?, file: String? = nil, _ message: String, hint: String? = nil) {
        if let key, !reported.insert(key).inserted { return }
        diagnostics.append(Diagnostic(.warning, at: location, file: file, message, hint: hint))
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// IPv6 network ACL entries skipped so far, and where the first one is.
    private(set) var ipv6ACLEntries = 0
    private var firstIPv6ACLEntry: SourceLocation?

    func ipv6ACLEntry(at location: SourceLocation) {
        ipv6ACLEntries += 1
        if firstIPv6ACLEntry == nil { firstIPv6ACLEntry = location }
    }

    /// One warning for every IPv6 network ACL entry of the snapshot (called once all files are read).
    func reportIPv6ACLEntries() {
        guard ipv6ACLEntries > 0 else { return }
        let what = ipv6ACLEntries == 1 ? "1 IPv6 network ACL entry" : "\(ipv6ACLEntries) IPv6 network ACL entries"
        warning(firstIPv6ACLEntry, "\(what) not modelled; IPv4 answers are unaffected",
                hint: "vpcsim models IPv4; entries with Ipv6CidrBlock (and AWS's IPv6 catch-all rule 32768) match no IPv4 packet")
    }
}

/// One JSON object of an `aws … describe-*` output, read through the composed YAML tree (JSON is
/// YAML) so that every value keeps its line and column. Unknown fields are warnings: AWS adds
/// fields over time, and a snapshot from a newer CLI must still load.
struct AWSObject {
    let reader: NodeReader
    let log: AWSDiagnostics
    let node: Node
    /// What the object is, for messages: "a subnet (SubnetId subnet-…)".
    let what: String
    private let entries: [String: Node]

    var location: SourceLocation { reader.location(node) }

    /// Nil (with a located error) when the node is not an object.
    init?(_ node: Node, _ what: String, known: String, reader: NodeReader, log: AWSDiagnostics) {
        guard case .mapping(let mapping) = node else {
            log.error(reader.location(node), "\(what) must be a JSON object, not \(reader.describe(node))",
                      hint: "this file does not look like what the AWS CLI prints; re-run the describe command with --output json")
            return nil
        }
        self.reader = reader; self.log = log; self.node = node; self.what = what
        let knownKeys = Set(known.split(separator: " ").map(String.init))
        var entries: [String: Node] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else { continue }
            entries[scalar.string] = value
            if !knownKeys.contains(scalar.string) {
                log.warning(once: "field:\(reader.file):\(what):\(scalar.string)", reader.location(key),
                            "unknown field '\(scalar.string)' in \(what) is ignored",
                            hint: Suggest.didYouMean(scalar.string, Array(knownKeys)).map { "\($0) (vpcsim reads the fields the AWS CLI prints)" })
            }
        }
        self.entries = entries
    }

    func has(_ key: String) -> Bool {
        guard let value = entries[key] else { return false }
        return !AWSObject.isNull(value)
    }

    /// JSON `null` (and YAML's spellings of it): emulators print absent fields as null.
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["null", "Null", "NULL", "~", ""].contains(scalar.string)
    }

    /// What a plain (unquoted) JSON scalar is: a boolean or a number. Nil for strings.
    static func plainType(_ scalar: Node.Scalar) -> String? {
        guard scalar.style == .plain else { return nil }
        if ["true", "false", "True", "False", "TRUE", "FALSE"].contains(scalar.string) { return "a boolean" }
        if Double(scalar.string) != nil { return "a number" }
        return nil
    }

    func locationOf(_ key: String) -> SourceLocation { entries[key].map { reader.location($0) } ?? location }

    /// A string field; nil when absent (or JSON null). A boolean or a number where AWS prints a
    /// string (`"GatewayId": true`) is a located error, not a value.
    func string(_ key: String) -> String? {
        guard let scalar = scalar(key) else { return nil }
        if let type = AWSObject.plainType(scalar) {
            log.error(locationOf(key), "'\(key)' in \(what) must be a string, not \(type) (\(scalar.string))",
                      hint: "the AWS CLI prints '\(key)' as a quoted string; the file may be edited or from another tool")
            return nil
        }
        return scalar.string
    }

    /// The scalar of a field, whatever its JSON type; nil when absent (or JSON null).
    private func scalar(_ key: String) -> Node.Scalar? {
        guard let value = entries[key], !AWSObject.isNull(value) else { return nil }
        guard case .scalar(let scalar) = value else {
            log.error(reader.location(value), "'\(key)' in \(what) must be a single value, not \(reader.describe(value))")
            return nil
        }
        return scalar
    }

    /// A field AWS always prints; a located error when it is missing.
    func required(_ key: String) -> String? {
        guard has(key) else {
            log.error(location, "\(what) is missing required field '\(key)'",
                      hint: "the AWS CLI always prints '\(key)' here; the file may be truncated or edited")
            return nil
        }
        guard let value = string(key) else { return nil }
        if value.isEmpty {
            log.error(locationOf(key), "'\(key)' in \(what) is empty", hint: "the AWS CLI always prints a value for '\(key)'")
            return nil
        }
        return value
    }

    func bool(_ key: String) -> Bool? {
        guard let text = scalar(key)?.string else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            log.error(locationOf(key), "'\(key)' in \(what) must be true or false, not '\(text)'")
            return nil
        }
    }

    func int(_ key: String) -> Int? {
        guard let text = scalar(key)?.string else { return nil }
        guard let value = Int(text) else {
            log.error(locationOf(key), "'\(key)' in \(what) must be a whole number, not '\(text)'")
            return nil
        }
        return value
    }

    func object(_ key: String, _ what: String, known: String) -> AWSObject? {
        guard let value = entries[key], !AWSObject.isNull(value) else { return nil }
        return AWSObject(value, what, known: known, reader: reader, log: log)
    }

    func objects(_ key: String, _ what: String, known: String) -> [AWSObject] {
        nodes(key).compactMap { AWSObject($0, what, known: known, reader: reader, log: log) }
    }

    func nodes(_ key: String) -> [Node] {
        guard let value = entries[key], !AWSObject.isNull(value) else { return [] }
        guard case .sequence(let sequence) = value else {
            log.error(reader.location(value), "'\(key)' in \(what) must be a list, not \(reader.describe(value))")
            return []
        }
        return Array(sequence)
    }

    /// A list of strings, e.g. `SubnetIds`.
    func strings(_ key: String) -> [String] {
        nodes(key).compactMap { reader.scalar($0, "an item of '\(key)' in \(what)")?.value }
    }

    /// The value of the `Name` tag, from `Tags` (most resources) or `TagSet` (network interfaces).
    func tag(_ name: String, in key: String = "Tags") -> String? {
        for node in nodes(key) {
            guard case .mapping(let mapping) = node else { continue }
            var tagKey: String?, tagValue: String?
            for (k, v) in mapping {
                guard case .scalar(let keyScalar) = k, case .scalar(let valueScalar) = v else { continue }
                if keyScalar.string == "Key" { tagKey = valueScalar.string }
                if keyScalar.string == "Value" { tagValue = valueScalar.string }
            }
            if tagKey == name, let tagValue, !tagValue.isEmpty { return tagValue }
        }
        return nil
    }

    func cidr(_ key: String) -> CIDR? {
        guard let text = string(key) else { return nil }
        return AWSObject.parseCIDR(text, at: locationOf(key), what: "'\(key)' in \(what)", log: log)
    }

    func address(_ key: String) -> IPv4Address? {
        guard let text = string(key) else { return nil }
        guard let address = IPv4Address(text) else {
            log.error(locationOf(key), "'\(key)' in \(what) is not an IPv4 address: '\(text)'")
            return nil
        }
        return address
    }

    /// AWS prints network addresses; a CIDR with host bits set is masked with a warning.
    static func parseCIDR(_ text: String, at location: SourceLocation, what: String, log: AWSDiagnostics) -> CIDR? {
        switch CIDR.parse(text) {
        case .success(let cidr): return cidr
        case .failure(.hostBitsSet(let suggestion)):
            log.warning(location, "\(what) '\(text)' has host bits set; read as \(suggestion)")
            return suggestion
        case .failure:
            log.error(location, "\(what) is not an IPv4 CIDR: '\(text)'", hint: "AWS prints a.b.c.d/len")
            return nil
        }
    }
}

/// The region of an ARN (`arn:aws:ec2:us-east-1:…`), of an AZ (`us-east-1a`), or of a service or
/// prefix-list name (`com.amazonaws.us-east-1.s3`).
enum AWSRegion {
    static func fromARN(_ arn: String?) -> String? {
        guard let arn else { return nil }
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count > 4, parts[0] == "arn", !parts[3].isEmpty else { return nil }
        return String(parts[3])
    }

    static func fromZone(_ zone: String?) -> String? {
        guard let zone, let last = zone.last, last.isLetter, zone.count > 1 else { return nil }
        let region = String(zone.dropLast())
        return NetworkValidator.Context.isRegionName(region) ? region : nil
    }

    static func fromServiceName(_ name: String?) -> String? {
        guard let name else { return nil }
        let parts = name.split(separator: ".")
        guard parts.count >= 3, parts[0] == "com", parts[1] == "amazonaws" else { return nil }
        let region = String(parts[2])
        return NetworkValidator.Context.isRegionName(region) ? region : nil
    }
}
