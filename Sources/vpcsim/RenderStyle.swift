import Foundation

/// ANSI styling for text output: on only when stdout is a terminal and NO_COLOR is unset or empty
/// (https://no-color.org).
struct Style: Sendable {
    var enabled: Bool

    static let plain = Style(enabled: false)

    static var forStandardOutput: Style {
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return Style(enabled: isatty(STDOUT_FILENO) == 1 && !noColor && ProcessInfo.processInfo.environment["TERM"] != "dumb")
    }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func good(_ text: String) -> String { wrap(text, "1;32") }
    func bad(_ text: String) -> String { wrap(text, "1;31") }
    func warn(_ text: String) -> String { wrap(text, "1;33") }
    func code(_ text: String) -> String { wrap(text, "31") }
}

/// Pads to a width counted in characters (styling is applied after padding).
func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
