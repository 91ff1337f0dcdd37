import ArgumentParser
import Foundation

/// `--format json`: the engine's Answer / [FlowTrace] as they are, keys sorted, pretty printed, so the
/// same network and question always print the same bytes (schema: docs/json.md).
enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
        } catch {
            Terminal.error("error: cannot encode the answer as JSON: \(error)")
            throw ExitCode(2)
        }
    }
}
