import Testing
import VPCEngine
import VPCModel

/// `Query.parse`: every accepted sentence form, and clear errors with the forms as a hint otherwise.
@Suite struct QuerySentenceTests {
    static let accepted: [(String, Query)] = [
        ("can Lambda-Internal reach the internet", Query(from: "Lambda-Internal", to: "internet")),
        ("Can Lambda-Internal REACH The Internet?", Query(from: "Lambda-Internal", to: "internet")),
        ("can Lambda-Internal reach internet ?", Query(from: "Lambda-Internal", to: "internet")),
        ("can A reach B on tcp/443", Query(from: "A", to: "B", ipProtocol: .tcp, ports: PortRange(port: 443))),
        ("can A reach B on TCP/443?", Query(from: "A", to: "B", ipProtocol: .tcp, ports: PortRange(port: 443))),
        ("can A reach B on udp 53", Query(from: "A", to: "B", ipProtocol: .udp, ports: PortRange(port: 53))),
        ("can A reach B on tcp port 22", Query(from: "A", to: "B", ipProtocol: .tcp, ports: PortRange(port: 22))),
        ("can A reach B on port 22", Query(from: "A", to: "B", ipProtocol: .tcp, ports: PortRange(port: 22))),
        ("can A reach B on icmp", Query(from: "A", to: "B", ipProtocol: .icmp)),
        ("can A reach B on tcp", Query(from: "A", to: "B", ipProtocol: .tcp)),
        ("can A reach B on all", Query(from: "A", to: "B")),
        ("can A reach B on 50", Query(from: "A", to: "B", ipProtocol: IPProtocol(number: 50))),
        ("can A reach B on tcp/1024-65535", Query(from: "A", to: "B", ipProtocol: .tcp, ports: PortRange(1024, 65535))),
        ("can A talk to B?", Query(from: "A", to: "B")),
        ("can A connect to B on udp/123", Query(from: "A", to: "B", ipProtocol: .udp, ports: PortRange(port: 123))),
        ("A -> B:443", Query(from: "A", to: "B", ipProtocol: .tcp, ports: PortRange(port: 443))),
        ("A->B:8000-8080", Query(from: "A", to: "B", ipProtocol: .tcp, ports: PortRange(8000, 8080))),
        ("A → 10.0.1.5:443", Query(from: "A", to: "10.0.1.5", ipProtocol: .tcp, ports: PortRange(port: 443))),
        ("A -> B on udp/53", Query(from: "A", to: "B", ipProtocol: .udp, ports: PortRange(port: 53))),
        ("A to B", Query(from: "A", to: "B")),
        ("A TO the internet", Query(from: "A", to: "internet")),
        ("the internet -> ALB:443", Query(from: "internet", to: "ALB", ipProtocol: .tcp, ports: PortRange(port: 443))),
        ("can sg-0123abcd reach 10.0.0.0/16 on tcp/5432", Query(from: "sg-0123abcd", to: "10.0.0.0/16", ipProtocol: .tcp, ports: PortRange(port: 5432))),
        ("can ecr.api reach s3", Query(from: "ecr.api", to: "s3")),
        ("can 'web server' reach \"the internet\"", Query(from: "web server", to: "the internet")),
        ("  can   A   reach   B  ", Query(from: "A", to: "B")),
    ]

    @Test(arguments: accepted)
    func readsEveryForm(sentence: String, expected: Query) throws {
        let query = try Query.parse(sentence)
        #expect(query == expected, "\(sentence)")
    }

    @Test(arguments: [
        "", "?", "can", "can A", "A B", "can A see B", "can reach B", "can A reach", "can A reach ?",
        "can A reach B on", "can A reach B on xyz", "can A reach B on tcp/99999", "can A reach B on tcp/443 extra",
        "can A reach B on icmp/8", "can A reach B on all 443", "can A talk B", "A -> B:443 on tcp/80", "can 'A reach B",
    ])
    func rejectsWithTheAcceptedForms(sentence: String) {
        #expect(throws: QueryError.self, "\(sentence)") { try Query.parse(sentence) }
        do {
            _ = try Query.parse(sentence)
        } catch {
            #expect(!error.message.isEmpty)
            #expect(error.hint?.isEmpty == false, "no hint for \(sentence)")
        }
    }

    @Test func grammarErrorsListTheForms() {
        do {
            _ = try Query.parse("can A see B")
            Issue.record("parsed")
        } catch {
            #expect(error.message.contains("can A see B"))
            #expect(error.hint?.contains("can A reach B on tcp/443") == true)
            #expect(error.hint?.contains("A -> B:443") == true)
        }
    }

    @Test func aPortIsNotAProtocol() {
        do {
            _ = try Query.parse("can A reach B on 443")
            Issue.record("parsed")
        } catch {
            #expect(error.hint?.contains("tcp/443") == true)
        }
    }

    @Test func flagsReadLikeTheSentence() throws {
        #expect(try Query.protocolAndPorts(protocol: nil, ports: nil) == (nil, nil))
        let tcp = try Query.protocolAndPorts(protocol: nil, ports: "443")
        #expect(tcp.0 == .tcp && tcp.1 == PortRange(port: 443))
        let udp = try Query.protocolAndPorts(protocol: "UDP", ports: "1024-65535")
        #expect(udp.0 == .udp && udp.1 == PortRange(1024, 65535))
        let all = try Query.protocolAndPorts(protocol: "all", ports: nil)
        #expect(all.0 == nil && all.1 == nil)
        #expect(throws: QueryError.self) { try Query.protocolAndPorts(protocol: "icmp", ports: "8") }
        #expect(throws: QueryError.self) { try Query.protocolAndPorts(protocol: "tcp", ports: "-1") }
        #expect(throws: QueryError.self) { try Query.protocolAndPorts(protocol: "tcp", ports: "443-80") }
        #expect(throws: QueryError.self) { try Query.protocolAndPorts(protocol: "bogus", ports: nil) }
    }
}
