import Foundation
import Testing
import VPCCapture

@Suite struct FlowLogTests {
    /// The records of AWS's own examples page.
    static let awsExamples = """
        version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
        2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK
        2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK
        2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA
        2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA
        2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 ACCEPT OK

        """

    @Test("AWS's examples parse; writing them back gives the same text")
    func awsExamplesRoundTrip() throws {
        let records = try FlowLog.parse(Self.awsExamples, path: "examples.log")
        #expect(records.count == 5)
        let first = try #require(records.first)
        #expect(first.accountID == "123456789010")
        #expect(first.interfaceID == "eni-1235b8ca123456789")
        #expect(first.sourceAddress == .ipv4(0xAC1F_108B))
        #expect(first.destinationPort == 22)
        #expect(first.protocolNumber == 6)
        #expect(first.packets == 20)
        #expect(first.bytes == 4249)
        #expect(first.action == .accept)
        #expect(records[1].action == .reject)
        #expect(records[2].logStatus == .noData)
        #expect(records[2].sourceAddress == nil && records[2].action == nil && records[2].packets == nil)
        #expect(records[3].logStatus == .skipData)
        #expect(records[4].sourceAddress?.description == "2001:db8:1234:a100:8d6e:3477:df66:f105")
        #expect(FlowLog.format(records) == Self.awsExamples.replacingOccurrences(of: "\n\n", with: "\n"))
        #expect(try FlowLog.parse(FlowLog.format(records, includeHeader: false)) == records)
    }

    @Test("write and read a file, with and without the header line")
    func fileRoundTrip() throws {
        let records = try FlowLog.records(for: Fixtures.scenario("tcp-nat-delivered"), accountID: "123456789012")
        try withTemporaryDirectory { dir in
            for header in [true, false] {
                let path = "\(dir)/flows-\(header).log"
                try FlowLog.write(records, to: path, includeHeader: header)
                #expect(try FlowLog.read(path: path) == records)
                let text = String(decoding: try fileBytes(path), as: UTF8.self)
                #expect(text.hasPrefix("version account-id") == header)
            }
        }
        let windows = FlowLog.format(records).replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try FlowLog.parse(windows) == records)
    }

    @Test("malformed lines are reported with file, line and column")
    func malformed() throws {
        let text = """
            version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
            2 123456789010 eni-1 10.0.0.1 10.0.0.2 443 51000 6 10 840 1418530010 1418530070 ACCEPT OK
            2 123456789010 eni-1 10.0.0.300 10.0.0.2 443 51000 6 10 840 1418530010 1418530070 ACCEPT OK
            2 123456789010 eni-1 10.0.0.1 10.0.0.2 70000 51000 6 10 840 1418530010 1418530070 ACCEPT OK
            2 123456789010 eni-1 10.0.0.1 10.0.0.2 443 51000 6 10 840 1418530010 1418530070 ALLOW OK
            2 123456789010 eni-1 10.0.0.1 10.0.0.2 443 51000 6 10 840
            5 123456789010 eni-1 10.0.0.1 10.0.0.2 443 51000 6 10 840 1418530010 1418530070 ACCEPT OK
            2 123456789010 eni-1 10.0.0.1 10.0.0.2 443 51000 6 10 840 1418530070 1418530010 ACCEPT OK
            2 123456789010 eni-1 - 10.0.0.2 443 51000 6 10 840 1418530010 1418530070 ACCEPT OK
            2 123456789010 eni-1 10.0.0.1 10.0.0.2 443 51000 6 10 840 1418530010 1418530070 ACCEPT DONE
            """
        let error = #expect(throws: FlowLogError.self) { try FlowLog.parse(text, path: "logs/eni.log") }
        let lines = error?.description.split(separator: "\n").map(String.init) ?? []
        #expect(lines == [
            "logs/eni.log:3:22: error: srcaddr: expected an IPv4 or IPv6 address or '-', found '10.0.0.300'",
            "logs/eni.log:4:40: error: srcport: expected a port 0-65535 or '-', found '70000'",
            "logs/eni.log:5:81: error: action: expected ACCEPT or REJECT or '-', found 'ALLOW'",
            "logs/eni.log:6:58: error: expected 14 space-separated fields (\(FlowLogRecord.header)), found 10",
            "logs/eni.log:7:1: error: version: only the default version-2 format is supported, found '5'; custom formats list their fields in the file's first line",
            "logs/eni.log:8:70: error: end: 1418530010 is before start 1418530070",
            "logs/eni.log:9:22: error: srcaddr: '-' in a record with log-status OK",
            "logs/eni.log:10:88: error: log-status: expected OK, NODATA or SKIPDATA, found 'DONE'",
        ])
        #expect(error?.diagnostics.first?.line == 3)
    }

    @Test("a file of garbage stops after a bounded number of diagnostics; I/O errors name the file")
    func limits() throws {
        let garbage = String(repeating: "not a flow log line\n", count: 1000)
        let error = #expect(throws: FlowLogError.self) { try FlowLog.parse(garbage) }
        #expect(error?.diagnostics.count == FlowLog.maximumDiagnostics)
        let missing = #expect(throws: FlowLogError.self) { try FlowLog.read(path: "/nonexistent-vpcsim/flows.log") }
        #expect(missing?.description.hasPrefix("/nonexistent-vpcsim/flows.log: error: no such file") == true)
        let unwritable = #expect(throws: FlowLogError.self) { try FlowLog.write([], to: "/nonexistent-vpcsim/flows.log") }
        #expect(unwritable?.ioMessage != nil)
    }

    @Test("records of a delivered flow: ACCEPT both ways at every ENI, with the addresses seen there")
    func deliveredRecords() throws {
        let flow = Fixtures.scenario("tcp-nat-delivered")
        let records = try FlowLog.records(for: flow, accountID: "123456789012")
        // Lambda ENI and NAT ENI (private and public side), each direction: the IGW and the internet have no flow log.
        #expect(records.count == 6)
        #expect(records.allSatisfy { $0.action == .accept && $0.logStatus == .ok && $0.protocolNumber == 6 })
        #expect(Set(records.compactMap(\.interfaceID)) == ["eni-0a11", "eni-0b22"])
        let lambdaOut = try #require(records.first { $0.interfaceID == "eni-0a11" && $0.sourceAddress == .ipv4(Fixtures.lambda) })
        #expect(lambdaOut.packets == 6)  // SYN, ACK, request, ACK, FIN, last ACK
        #expect(lambdaOut.destinationPort == 443)
        #expect(lambdaOut.start == SimulatedFlow.defaultStartTime / 1_000_000_000)
        let natPublicOut = try #require(records.first { $0.interfaceID == "eni-0b22" && $0.sourceAddress == .ipv4(Fixtures.natPrivate) })
        #expect(natPublicOut.sourcePort == 1027)
    }

    @Test("records of dropped flows: REJECT where a filter dropped the packets")
    func rejectedRecords() throws {
        let atSource = try FlowLog.records(for: Fixtures.scenario("tcp-dropped-at-source"), accountID: "123456789012")
        #expect(atSource.count == 1)
        #expect(atSource.first?.action == .reject)
        #expect(atSource.first?.interfaceID == "eni-0e55")
        #expect(atSource.first?.packets == 3)  // the SYN and its two retransmissions

        let response = try FlowLog.records(for: Fixtures.scenario("tcp-response-dropped"), accountID: "123456789012")
        let rejected = response.filter { $0.action == .reject }
        #expect(rejected.count == 1)
        #expect(rejected.first?.interfaceID == "eni-0b22")
        #expect(rejected.first?.sourceAddress == .ipv4(Fixtures.internetHost))
        #expect(rejected.first?.destinationAddress == .ipv4(Fixtures.natPrivate))
        // The Lambda ENI never sees an answer.
        #expect(!response.contains { $0.interfaceID == "eni-0a11" && $0.destinationAddress == .ipv4(Fixtures.lambda) })

        let ping = try FlowLog.records(for: Fixtures.scenario("icmp-response-dropped"), accountID: "123456789012")
        #expect(ping.allSatisfy { $0.sourcePort == 0 && $0.destinationPort == 0 && $0.protocolNumber == 1 })
    }
}
