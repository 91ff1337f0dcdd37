import VPCModel

/// The result of one check.
public struct CheckResult: Sendable {
    public var check: Check
    public var passed: Bool
    /// For a failure: what actually happens, path by path. For a pass: a one-line summary.
    public var explanation: String
    public var outcome: CheckOutcome
    /// The network the check was evaluated on (topology with the scenario's and the check's faults), so a
    /// caller can trace or capture a failing check again (`--pcap-dir`).
    public var network: Network
    /// The faults applied, scenario's first, then the check's.
    public var faults: [Fault]
    public var seconds: Double
}

/// The result of one `traffic:` entry.
public struct TrafficResult: Sendable {
    public var entry: TrafficEntry
    public var passed: Bool
    public var explanation: String
    public var outcomes: [FlowOutcome]
    /// Flows whose outcome is the expected one, and those whose outcome is not.
    public var agreed: Int
    public var disagreed: Int
    public var seconds: Double
}

/// One line of a report: a check or a traffic entry, as the text, JUnit and GitHub reporters see it.
public struct ReportCase: Sendable, Hashable {
    public var name: String
    public var location: SourceLocation
    public var passed: Bool
    public var explanation: String
    public var seconds: Double
}

/// Everything one scenario file produced.
public struct ScenarioReport: Sendable {
    public var scenario: Scenario
    public var checks: [CheckResult]
    public var traffic: [TrafficResult]

    public var passed: Bool { checks.allSatisfy(\.passed) && traffic.allSatisfy(\.passed) }

    /// Checks then traffic entries, in file order within each.
    public var cases: [ReportCase] {
        checks.map { ReportCase(name: $0.check.name, location: $0.check.location, passed: $0.passed, explanation: $0.explanation, seconds: $0.seconds) }
            + traffic.map { ReportCase(name: $0.entry.name, location: $0.entry.location, passed: $0.passed, explanation: $0.explanation, seconds: $0.seconds) }
    }
}

/// `vpcsim check`'s exit codes.
public enum CheckExitCode: Int32, Sendable {
    /// Every check passed.
    case passed = 0
    /// A check failed.
    case failed = 1
    /// Bad usage or bad input (a scenario or topology with errors).
    case badInput = 2

    public static func of(_ reports: [ScenarioReport]) -> CheckExitCode {
        reports.allSatisfy(\.passed) ? .passed : .failed
    }
}
