import Foundation
import VPCModel

/// The terminal report: per scenario a header, one line per check (`PASS`/`FAIL` and the name), the
/// explanation under each failure, then a summary line.
public enum TextReporter {
    public static func render(_ reports: [ScenarioReport]) -> String {
        var lines: [String] = []
        for report in reports {
            let faults = report.scenario.faults.isEmpty ? "" : ", faults: \(report.scenario.faults.map(\.description).joined(separator: ", "))"
            lines.append("\(report.scenario.file) (\(report.scenario.topology)\(faults))")
            for item in report.cases {
                if item.passed {
                    lines.append("  PASS  \(item.name)")
                } else {
                    lines.append("  FAIL  \(item.name)  (\(item.location))")
                    lines += item.explanation.split(separator: "\n", omittingEmptySubsequences: false).map { "        \($0)" }
                }
            }
        }
        lines.append(summary(reports))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `12 checks in 2 files: 11 passed, 1 failed`.
    public static func summary(_ reports: [ScenarioReport]) -> String {
        let cases = reports.flatMap(\.cases)
        let failed = cases.filter { !$0.passed }.count
        let files = reports.count == 1 ? "1 file" : "\(reports.count) files"
        return "\(cases.count) check\(cases.count == 1 ? "" : "s") in \(files): \(cases.count - failed) passed, \(failed) failed"
    }
}

/// JUnit XML as Jenkins, GitLab, GitHub test reporters and most CI systems read it: one `<testsuite>`
/// per scenario file, one `<testcase>` per check or traffic entry, a `<failure>` carrying the explanation.
/// Valid against the common JUnit schema (Tests/junit.xsd).
public enum JUnitWriter {
    /// `timestamp` (ISO 8601, local time without zone, as the schema's tools expect) is omitted when nil.
    public static func xml(_ reports: [ScenarioReport], name: String = "vpcsim check", timestamp: Date? = nil) -> String {
        let cases = reports.flatMap(\.cases)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"\(attribute(name))\" tests=\"\(cases.count)\" failures=\"\(cases.filter { !$0.passed }.count)\" errors=\"0\" time=\"\(time(cases.map(\.seconds).reduce(0, +)))\">\n"
        for report in reports {
            let suite = report.cases
            let failures = suite.filter { !$0.passed }.count
            out += "  <testsuite name=\"\(attribute(report.scenario.name))\" tests=\"\(suite.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\""
            out += " time=\"\(time(suite.map(\.seconds).reduce(0, +)))\""
            if let timestamp { out += " timestamp=\"\(iso8601(timestamp))\"" }
            out += " file=\"\(attribute(report.scenario.file))\">\n"
            out += "    <properties>\n"
            out += "      <property name=\"topology\" value=\"\(attribute(report.scenario.topology.description))\"/>\n"
            for fault in report.scenario.faults {
                out += "      <property name=\"fault\" value=\"\(attribute(fault.description))\"/>\n"
            }
            out += "    </properties>\n"
            for item in suite {
                out += "    <testcase name=\"\(attribute(item.name))\" classname=\"\(attribute(report.scenario.name))\" time=\"\(time(item.seconds))\""
                if item.passed {
                    out += "/>\n"
                } else {
                    let firstLine = item.explanation.split(separator: "\n").first.map(String.init) ?? "check failed"
                    out += ">\n      <failure message=\"\(attribute(firstLine))\" type=\"expectation\">"
                    out += text("\(item.location): \(item.name)\n\(item.explanation)")
                    out += "</failure>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// Seconds with millisecond precision, as the schema's time pattern wants (digits, a dot, digits).
    static func time(_ seconds: Double) -> String {
        let millis = max(0, Int((seconds * 1000).rounded()))
        let fraction = String(millis % 1000)
        return "\(millis / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    static func iso8601(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: date)
    }

    /// Escaped for an attribute value in double quotes. Line breaks and tabs become character references,
    /// since parsers normalise literal ones in attributes to spaces.
    public static func attribute(_ value: String) -> String {
        escape(value, inAttribute: true)
    }

    /// Escaped for element content.
    public static func text(_ value: String) -> String {
        escape(value, inAttribute: false)
    }

    static func escape(_ value: String, inAttribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where inAttribute: out += "&quot;"
            case "'" where inAttribute: out += "&apos;"
            case "\n" where inAttribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t" where inAttribute: out += "&#9;"
            default:
                // XML 1.0 allows tab, LF, CR, and U+0020 upward except U+FFFE and U+FFFF; anything else
                // cannot be written even escaped. https://www.w3.org/TR/xml/#charsets
                let allowed = scalar == "\t" || scalar == "\n" || (scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF)
                out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return out
    }
}

/// GitHub Actions workflow commands: a failing check becomes an `::error` annotation on its line of
/// the scenario file. https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
public enum GitHubAnnotations {
    /// True when running in GitHub Actions (`GITHUB_ACTIONS=true`).
    public static func enabled(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["GITHUB_ACTIONS"] == "true"
    }

    /// One `::error` line per failing check or traffic entry.
    public static func annotations(_ reports: [ScenarioReport]) -> [String] {
        reports.flatMap { report in
            report.cases.filter { !$0.passed }.map { item in
                error(file: item.location.file, line: item.location.line, column: item.location.column,
                      title: "vpcsim check failed: \(item.name)", message: item.explanation)
            }
        }
    }

    public static func error(file: String, line: Int, column: Int? = nil, title: String? = nil, message: String) -> String {
        var properties = ["file=\(property(file))", "line=\(line)"]
        if let column { properties.append("col=\(column)") }
        if let title { properties.append("title=\(property(title))") }
        return "::error \(properties.joined(separator: ","))::\(data(message))"
    }

    /// Escaping for the message: `%`, CR and LF.
    public static func data(_ value: String) -> String {
        value.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Escaping for a property value: as for data, and also `:` and `,`, which separate properties.
    public static func property(_ value: String) -> String {
        data(value).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
