// Application bytes for synthesized packets. Wireshark dissects payloads by port, so bytes that
// mean nothing to the protocol on that port make it cry "malformed". vpcsim therefore writes real
// messages for the ports where that matters most (HTTP on 80, DNS on 53) and plain ASCII filler
// elsewhere: filler that the common AWS service ports (22, 443, 3306, 5432, 6379, 8080, …)
// dissect without complaint, and that a person reading the hex dump recognises.

enum Payloads {
    /// The application data of the request and of the response for a flow.
    static func make(for flow: SimulatedFlow) -> (request: [UInt8], response: [UInt8]) {
        let requestSize = flow.effectiveRequestSize
        let responseSize = flow.effectiveResponseSize
        let serverPorts = Set(flow.points.map(\.header.destinationPort))
        switch flow.flowProtocol {
        case .icmpEcho:
            // Like ping's pattern after its timestamp; the reply echoes it.
            let data = (0..<requestSize).map { UInt8(truncatingIfNeeded: 0x10 + $0) }
            return (data, data)
        case .udp where serverPorts.contains(53):
            return (dnsQuery(), dnsResponse())
        case .tcp where serverPorts.contains(53):
            return (lengthPrefixed(dnsQuery()), lengthPrefixed(dnsResponse()))
        case .tcp where serverPorts.contains(80):
            let host = formatIPv4(flow.points[0].header.destinationAddress)
            return (httpRequest(host: host, size: requestSize), httpResponse(size: responseSize))
        case .tcp, .udp:
            return (filler("vpcsim simulated request. ", requestSize), filler("vpcsim simulated response. ", responseSize))
        }
    }

    static func filler(_ text: String, _ size: Int) -> [UInt8] {
        let pattern = Array(text.utf8)
        return (0..<size).map { pattern[$0 % pattern.count] }
    }

    /// `GET / HTTP/1.1` padded to `size` bytes through the User-Agent. A size too small for a
    /// request line and Host header grows to the minimum: half an HTTP request would look broken.
    static func httpRequest(host: String, size: Int) -> [UInt8] {
        guard size > 0 else { return [] }
        let head = "GET / HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: vpcsim"
        let tail = "\r\n\r\n"
        let padding = max(0, size - head.utf8.count - tail.utf8.count)
        return Array((head + String(repeating: "-", count: padding) + tail).utf8)
    }

    /// `HTTP/1.1 200 OK` with a matching Content-Length, `size` bytes in all (at least the headers).
    static func httpResponse(size: Int) -> [UInt8] {
        guard size > 0 else { return [] }
        let fixed = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \r\n\r\n".utf8.count
        var body = 0
        for digits in 1...5 {
            let candidate = size - fixed - digits
            if candidate >= 0, String(candidate).utf8.count == digits { body = candidate }
        }
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(body)\r\n\r\n"
        return Array(head.utf8) + filler("vpcsim simulated response.\n", body)
    }

    static let dnsName = "vpcsim.example"
    static let dnsID: UInt16 = 0x5643

    /// A standard query for `vpcsim.example` A, recursion desired.
    static func dnsQuery() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(dnsID)
        bytes.appendBigEndian(UInt16(0x0100))  // RD
        bytes.appendBigEndian(UInt16(1))  // QDCOUNT
        bytes.appendBigEndian(UInt16(0))
        bytes.appendBigEndian(UInt16(0))
        bytes.appendBigEndian(UInt16(0))
        appendQuestion(&bytes)
        return bytes
    }

    /// The answer: `vpcsim.example` A 192.0.2.1 (TEST-NET-1), TTL 60.
    static func dnsResponse() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(dnsID)
        bytes.appendBigEndian(UInt16(0x8180))  // QR, RD, RA, NOERROR
        bytes.appendBigEndian(UInt16(1))
        bytes.appendBigEndian(UInt16(1))  // ANCOUNT
        bytes.appendBigEndian(UInt16(0))
        bytes.appendBigEndian(UInt16(0))
        appendQuestion(&bytes)
        bytes.appendBigEndian(UInt16(0xC00C))  // name: pointer to the question
        bytes.appendBigEndian(UInt16(1))  // A
        bytes.appendBigEndian(UInt16(1))  // IN
        bytes.appendBigEndian(UInt32(60))
        bytes.appendBigEndian(UInt16(4))
        bytes.appendBigEndian(UInt32(0xC000_0201))
        return bytes
    }

    static func appendQuestion(_ bytes: inout [UInt8]) {
        for label in dnsName.split(separator: ".") {
            bytes.append(UInt8(label.utf8.count))
            bytes.append(contentsOf: label.utf8)
        }
        bytes.append(0)
        bytes.appendBigEndian(UInt16(1))  // A
        bytes.appendBigEndian(UInt16(1))  // IN
    }

    /// DNS over TCP: a two-byte length before each message.
    static func lengthPrefixed(_ message: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendBigEndian(UInt16(truncatingIfNeeded: message.count))
        return bytes + message
    }
}
