import VPCModel

extension Query {
    /// The sentence forms `parse` accepts, for hints and help text.
    public static let sentenceForms = """
    can A reach B                    every protocol and port
    can A reach the internet?        "internet" or "the internet"
    can A reach B on tcp/443         also: on udp 53, on icmp, on tcp/1024-65535, on 50 (a protocol number)
    can A talk to B?                 also: can A connect to B
    A -> B:443                       tcp implied; also A → B:443
    A -> B on udp/53
    A to B
    """

    /// Reads a reachability question written as a sentence:
    /// `can Lambda-Internal reach the internet`, `can A reach B on tcp/443`, `can A reach B on udp 53`,
    /// `can A reach B on icmp`, `can A talk to B?`, `A -> B:443` (tcp implied), `A -> B on udp/53`,
    /// `A to B`. Keywords are case-insensitive; endpoint names keep their case (quote a name that has
    /// spaces: `can 'web server' reach internet`). `on all` (every protocol) means the same as no
    /// protocol at all.
    public static func parse(_ sentence: String) throws(QueryError) -> Query {
        var tokens = try SentenceTokens.split(sentence)
        // A trailing "?" (or ".") is punctuation, glued or on its own.
        if let last = tokens.last, !last.quoted {
            var text = last.text
            while let end = text.last, end == "?" || end == "." { text.removeLast() }
            if text.isEmpty { tokens.removeLast() } else { tokens[tokens.count - 1].text = text }
        }
        guard !tokens.isEmpty else { throw sentenceError("the question is empty", sentence) }
        if tokens.count > 1, tokens[0].is("can") { tokens.removeFirst() }

        // The verb: the first of reach, talk to, connect to, ->, to.
        guard let verb = tokens.firstIndex(where: { $0.isVerb }) else {
            throw sentenceError("no 'reach', 'talk to', '->' or 'to' between the two endpoints", sentence)
        }
        var verbLength = 1
        if tokens[verb].is("talk") || tokens[verb].is("connect") {
            guard verb + 1 < tokens.count, tokens[verb + 1].is("to") else {
                throw sentenceError("'\(tokens[verb].text)' must be followed by 'to'", sentence)
            }
            verbLength = 2
        }
        let fromTokens = Array(tokens[..<verb])
        var rest = Array(tokens[(verb + verbLength)...])
        guard !fromTokens.isEmpty else { throw sentenceError("the source is missing before '\(tokens[verb].text)'", sentence) }

        // The protocol clause: "on …" or "port …" after the destination.
        var clause: [SentenceTokens.Token] = []
        if let on = rest.firstIndex(where: { $0.is("on") || $0.is("port") || $0.is("ports") }) {
            clause = Array(rest[on...])
            rest = Array(rest[..<on])
            if clause[0].is("on") { clause.removeFirst() }
            guard !clause.isEmpty else { throw sentenceError("'on' must be followed by a protocol, e.g. 'on tcp/443'", sentence) }
        }
        guard !rest.isEmpty else { throw sentenceError("the destination is missing after '\(tokens[verb].text)'", sentence) }

        var to = endpoint(rest)
        var ipProtocol: IPProtocol?
        var ports: PortRange?
        // "B:443" — tcp implied (only when the name is not quoted and the suffix is a port or range).
        if let last = rest.last, !last.quoted, let colon = to.lastIndex(of: ":") {
            let suffix = to[to.index(after: colon)...]
            let name = String(to[..<colon])
            if let range = PortRange(suffix), !suffix.isEmpty, suffix.first?.isNumber == true, !name.isEmpty {
                guard clause.isEmpty else {
                    throw sentenceError("give the port once: either 'B:\(suffix)' or 'on …'", sentence)
                }
                to = name
                ipProtocol = .tcp
                ports = range
            }
        }
        if !clause.isEmpty {
            (ipProtocol, ports) = try protocolClause(clause, sentence)
        }
        return Query(from: endpoint(fromTokens), to: to, ipProtocol: ipProtocol, ports: ports)
    }

    /// Reads a protocol and optional ports the way `--proto`/`--port` give them: `tcp` + `443`,
    /// `udp` + `1024-65535`, `icmp`, `all`, a number. A port without a protocol means tcp. `all`
    /// (every protocol) gives a nil protocol: the question covers every packet.
    public static func protocolAndPorts(protocol text: String?, ports portText: String?) throws(QueryError) -> (IPProtocol?, PortRange?) {
        var ipProtocol: IPProtocol?
        if let text {
            guard let parsed = IPProtocol(text) else {
                throw QueryError("unknown protocol '\(text)'", hint: "use tcp, udp, icmp, all, or a protocol number 0-255")
            }
            ipProtocol = parsed.isAll ? nil : parsed
            if parsed.isAll, portText != nil {
                throw QueryError("'\(text)' means every protocol and has no ports", hint: "give a protocol with ports: tcp or udp")
            }
        }
        guard let portText else { return (ipProtocol, nil) }
        guard let ports = PortRange(portText), portText.first?.isNumber == true || portText.lowercased() == "all" else {
            throw QueryError("'\(portText)' is not a port or port range", hint: "a port is 0-65535; a range is LOW-HIGH, e.g. 1024-65535")
        }
        let resolved = ipProtocol ?? .tcp
        guard resolved.hasPorts else {
            throw QueryError("\(resolved.name) has no ports, but port \(portText) was given", hint: "only tcp and udp have ports; drop the port or use tcp/\(portText)")
        }
        return (resolved, ports)
    }

    // MARK: - Pieces

    static func endpoint(_ tokens: [SentenceTokens.Token]) -> String {
        let text = tokens.map(\.text).joined(separator: " ")
        let lowered = text.lowercased()
        if tokens.allSatisfy({ !$0.quoted }), lowered == "internet" || lowered == "the internet" { return "internet" }
        return text
    }

    static func protocolClause(_ clause: [SentenceTokens.Token], _ sentence: String) throws(QueryError) -> (IPProtocol?, PortRange?) {
        var words = clause.map(\.text)
        // "port 443", "ports 1024-65535": tcp implied.
        if words[0].lowercased() == "port" || words[0].lowercased() == "ports" {
            guard words.count == 2 else { throw sentenceError("'\(words[0])' must be followed by one port or range", sentence) }
            return try wrapped(sentence) { () throws(QueryError) in try protocolAndPorts(protocol: nil, ports: words[1]) }
        }
        // "tcp/443", "tcp:443" → "tcp", "443".
        if words.count == 1, let separator = words[0].firstIndex(where: { $0 == "/" || $0 == ":" }) {
            let head = String(words[0][..<separator]), tail = String(words[0][words[0].index(after: separator)...])
            words = [head, tail]
        }
        // "tcp port 443" → "tcp", "443".
        if words.count == 3, words[1].lowercased() == "port" || words[1].lowercased() == "ports" { words.remove(at: 1) }
        guard words.count <= 2 else {
            throw sentenceError("cannot read the protocol '\(words.joined(separator: " "))'", sentence)
        }
        if IPProtocol(words[0]) == nil, let number = Int(words[0]), number > 255, PortRange(words[0]) != nil {
            throw QueryError("'on \(words[0])' is not a protocol (protocol numbers are 0-255)",
                             hint: "for port \(words[0]) say 'on tcp/\(words[0])' or 'on udp/\(words[0])'")
        }
        return try wrapped(sentence) { () throws(QueryError) in
            try protocolAndPorts(protocol: words[0], ports: words.count == 2 ? words[1] : nil)
        }
    }

    /// Adds the accepted sentence forms to a protocol/port error.
    static func wrapped<T>(_ sentence: String, _ body: () throws(QueryError) -> T) throws(QueryError) -> T {
        do { return try body() } catch {
            throw QueryError("\(error.message) in \"\(sentence)\"", hint: error.hint)
        }
    }

    static func sentenceError(_ problem: String, _ sentence: String) -> QueryError {
        QueryError("cannot read the question \"\(sentence)\": \(problem)",
                   hint: "ask in one of these forms (A and B are workload names, ids, IPs, CIDRs, services or internet):\n"
                         + sentenceForms.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    }
}

/// Splits a sentence into words, keeping quoted names whole and cutting arrows (`->`, `→`) loose.
enum SentenceTokens {
    struct Token {
        var text: String
        var quoted: Bool

        func `is`(_ word: String) -> Bool { !quoted && text.lowercased() == word }
        var isVerb: Bool { !quoted && ["reach", "talk", "connect", "->", "to"].contains(text.lowercased()) }
    }

    static func split(_ sentence: String) throws(QueryError) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var quote: Character?
        var wasQuoted = false
        func flush() {
            if !current.isEmpty || wasQuoted { tokens.append(Token(text: current, quoted: wasQuoted)) }
            current = ""; wasQuoted = false
        }
        let characters = Array(sentence.replacingArrows)
        for character in characters {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "'" || character == "\"" {
                if current.isEmpty { quote = character; wasQuoted = true } else { current.append(character) }
            } else if character.isWhitespace {
                flush()
            } else {
                current.append(character)
            }
        }
        if quote != nil {
            throw Query.sentenceError("a quote is not closed", sentence)
        }
        flush()
        return tokens
    }
}

extension String {
    /// `A->B` and `A→B` become `A -> B` (names may contain `-` but not `->`).
    var replacingArrows: String {
        var out = ""
        var iterator = Array(self)[...]
        while let character = iterator.first {
            iterator = iterator.dropFirst()
            if character == "→" {
                out += " -> "
            } else if character == "-", iterator.first == ">" {
                iterator = iterator.dropFirst()
                out += " -> "
            } else {
                out.append(character)
            }
        }
        return out
    }
}
