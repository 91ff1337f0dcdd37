import Foundation
import Testing
import VPCModel
import VPCEngine

/// One line of Fixtures/seeds/QUESTIONS.md: `- from: A | to: B | protocol: P | port: N | expect: E | …`.
struct SeedQuestion: CustomStringConvertible {
    var seedFile: String
    var line: Int
    var fields: [String: String]

    var description: String { "QUESTIONS.md:\(line) \(fields["from"] ?? "?") → \(fields["to"] ?? "?") \(fields["protocol"] ?? "") \(fields["port"] ?? "")" }

    var query: Query {
        let proto = fields["protocol"].flatMap { $0 == "all" ? nil : IPProtocol($0) }
        return Query(from: fields["from"] ?? "", to: fields["to"] ?? "", ipProtocol: proto, ports: fields["port"].flatMap { PortRange($0) })
    }

    /// Every question of the document, each with the seed topology it is about.
    static func all() -> [SeedQuestion] {
        guard let text = try? String(contentsOfFile: fixturePath("Fixtures/seeds/QUESTIONS.md"), encoding: .utf8) else { return [] }
        var seed = ""
        var result: [SeedQuestion] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("## "), let open = line.firstIndex(of: "`"), let close = line[line.index(after: open)...].firstIndex(of: "`") {
                seed = String(line[line.index(after: open)..<close])
            }
            guard line.hasPrefix("- from: "), !seed.isEmpty else { continue }
            var fields: [String: String] = [:]
            for part in line.dropFirst(2).components(separatedBy: " | ") {
                guard let colon = part.firstIndex(of: ":") else { continue }
                fields[String(part[..<colon]).trimmingCharacters(in: .whitespaces)] = String(part[part.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            }
            result.append(SeedQuestion(seedFile: seed, line: i + 1, fields: fields))
        }
        return result
    }
}

@Suite("Seed documents: every question of QUESTIONS.md")
struct SeedQuestionTests {
    /// Asserted on verdict, blocking reason and path for every question without a what-if fault
    /// (those run as scenarios, which apply the fault first).
    @Test func everySeedQuestionIsAnsweredAsDocumented() throws {
        let questions = SeedQuestion.all().filter { $0.fields["fault"] == nil }
        #expect(questions.count >= 120)
        var engines: [String: QueryEngine] = [:]
        for question in questions {
            if engines[question.seedFile] == nil {
                engines[question.seedFile] = QueryEngine(network: try TopologyLoader.load(path: fixturePath("Fixtures/seeds/\(question.seedFile)")).network)
            }
            guard let engine = engines[question.seedFile] else { continue }
            let answer: Answer
            do { answer = try engine.answer(question.query) } catch {
                Issue.record("\(question): \(error)")
                continue
            }
            let expect = question.fields["expect"] ?? ""
            let reasons = Set(answer.blocked.map(\.reason.code))
            switch expect {
            case "reachable":
                #expect(answer.reachable,
                        "\(question): expected reachable; blocked: \(answer.blocked.map { "\($0.sources) \($0.reason) at \($0.at.name)" })")
            case "unreachable":
                #expect(!answer.reachable && answer.allowed.isEmpty,
                        "\(question): expected unreachable; allowed: \(answer.allowed.map { "\($0.sources) \($0.protocol)/\($0.ports) → \($0.destinations)" })")
            case "partial":
                #expect(!answer.allowed.isEmpty && !answer.blocked.isEmpty, "\(question): expected partial")
            default:
                Issue.record("\(question): unknown expectation \(expect)")
            }
            if let reason = question.fields["reason"], expect != "reachable" {
                #expect(reasons.contains(reason), "\(question): expected \(reason), got \(reasons.sorted())")
            }
            if let via = question.fields["via"], expect == "reachable" {
                let wanted = via.components(separatedBy: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                for path in answer.allowed {
                    let names = path.hops.map(\.name)
                    var position = names.startIndex
                    for hop in wanted {
                        guard let found = names[position...].firstIndex(where: { $0.caseInsensitiveCompare(hop) == .orderedSame }) else {
                            Issue.record("\(question): path \(names) does not pass \(hop) (want \(wanted))")
                            break
                        }
                        position = found
                    }
                }
            }
        }
    }
}
