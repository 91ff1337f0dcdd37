import Foundation
import Testing
import VPCModel
import VPCOracle

/// The reachability facts of Fixtures/aws/README.md, asked of the imported networks. The naive
/// oracle answers them today; the Evaluator must give the same answers once it exists.
@Suite("Imported AWS fixtures: README reachability facts")
struct AWSFixtureReachabilityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func oracle(_ name: String) throws -> NaiveOracle {
        NaiveOracle(network: try TopologyLoader.load(path: root.appendingPathComponent("Fixtures/aws/\(name)").path).network)
    }

    static func ip(_ text: String) throws -> IPv4Address { try #require(IPv4Address(text)) }

    @Test func publicPrivateNAT() throws {
        let oracle = try Self.oracle("public-private-nat")
        let privateHost = "eni-0ed0a3f8e7bc2326d", publicHost = "eni-0e25f7000f7e8ea7f", albNode = "eni-047252c8893558267"
        // 1. Through the NAT; the internet sees the EIP.
        let out = oracle.evaluate(.tcp(privateHost, try Self.ip("8.8.8.8"), port: 80))
        let eip = try Self.ip("52.4.118.23")
        #expect(out.reachable && out.translatedSource == eip, "\(out)")
        // 2. The reply to UDP/53 and ICMP is dropped by the private subnet's ACL.
        let dns = oracle.evaluate(.udp(privateHost, try Self.ip("8.8.8.8"), port: 53))
        #expect(!dns.reachable && dns.reason == "SUBNET_ACL_RESTRICTION" && dns.dropDirection == .response, "\(dns)")
        #expect(!oracle.evaluate(.icmp(privateHost, try Self.ip("8.8.8.8"))).reachable)
        // 6. The public instance goes straight out through the IGW with its public IP.
        let direct = oracle.evaluate(.tcp(publicHost, try Self.ip("8.8.8.8"), port: 443))
        let publicIP = try Self.ip("54.173.22.160")
        #expect(direct.reachable && direct.translatedSource == publicIP, "\(direct)")
        // 7. The ALB node reaches its target on 8080.
        #expect(oracle.evaluate(.tcp(albNode, try Self.ip("10.0.2.10"), port: 8080)).reachable)
        // 8. SSH from the public host is allowed by CIDR; 8080 only from the ALB's group.
        #expect(oracle.evaluate(.tcp(publicHost, try Self.ip("10.0.2.10"), port: 22)).reachable)
        let blocked = oracle.evaluate(.tcp(publicHost, try Self.ip("10.0.2.10"), port: 8080))
        #expect(!blocked.reachable && blocked.reason == "ENI_SG_RULES_MISMATCH", "\(blocked)")
    }

    @Test func endpoints() throws {
        let oracle = try Self.oracle("endpoints")
        let lambdaA = "eni-0aa0214382f5026c0", lambdaB = "eni-00e4041f9da6db066"
        // 1, 2. S3 and DynamoDB through the gateway endpoints.
        for address in ["52.216.10.20", "54.231.0.10", "3.5.0.10", "16.182.0.10", "52.94.0.10"] {
            #expect(oracle.evaluate(.tcp(lambdaA, try Self.ip(address), port: 443)).reachable, "\(address)")
        }
        #expect(oracle.evaluate(.tcp(lambdaB, try Self.ip("52.216.10.20"), port: 443)).reachable)
        // 3. Interface endpoint ENIs, same AZ and cross-AZ.
        for address in ["10.1.1.34", "10.1.2.187", "10.1.1.78", "10.1.2.29"] {
            #expect(oracle.evaluate(.tcp(lambdaA, try Self.ip(address), port: 443)).reachable, "\(address)")
        }
        #expect(oracle.evaluate(.tcp(lambdaB, try Self.ip("10.1.2.187"), port: 443)).reachable)
        // 4. Only 443 is open on the endpoints.
        #expect(!oracle.evaluate(.tcp(lambdaA, try Self.ip("10.1.1.34"), port: 80)).reachable)
        // 5. No route to the internet or past the prefix lists.
        for address in ["8.8.8.8", "52.218.0.1"] {
            let verdict = oracle.evaluate(.tcp(lambdaA, try Self.ip(address), port: 443))
            #expect(!verdict.reachable && verdict.reason == "NO_ROUTE_TO_DESTINATION", "\(address): \(verdict)")
        }
        // 6. Nothing opens connections to the Lambda ENIs.
        #expect(!oracle.evaluate(.tcp("eni-0ef61b19dd1bed676", try Self.ip("10.1.1.115"), port: 443)).reachable)
    }

    @Test func peered() throws {
        let oracle = try Self.oracle("peered")
        let hostA = try interface(oracle, "10.2.1.10"), hostB = try interface(oracle, "10.3.1.20"), hostC = try interface(oracle, "10.4.1.30")
        #expect(oracle.evaluate(.tcp(hostA, try Self.ip("10.3.1.20"), port: 5432)).reachable)        // 1
        #expect(!oracle.evaluate(.tcp(hostA, try Self.ip("10.3.1.20"), port: 22)).reachable)         // 2
        #expect(oracle.evaluate(.tcp(hostC, try Self.ip("10.3.1.20"), port: 5432)).reachable)        // 3
        #expect(oracle.evaluate(.tcp(hostB, try Self.ip("10.2.1.10"), port: 8080)).reachable)        // 4
        #expect(!oracle.evaluate(.tcp(hostB, try Self.ip("10.2.1.10"), port: 22)).reachable)
        #expect(oracle.evaluate(.tcp(hostB, try Self.ip("10.4.1.30"), port: 22)).reachable)          // 5
        let transit = oracle.evaluate(.tcp(hostA, try Self.ip("10.4.1.30"), port: 22))              // 6
        #expect(!transit.reachable && transit.reason == "NO_ROUTE_TO_DESTINATION", "\(transit)")
        #expect(!oracle.evaluate(.tcp(hostC, try Self.ip("10.2.1.10"), port: 22)).reachable)
        for host in [hostA, hostB, hostC] { #expect(!oracle.evaluate(.tcp(host, try Self.ip("8.8.8.8"), port: 443)).reachable) } // 7
    }

    func interface(_ oracle: NaiveOracle, _ address: String) throws -> String {
        try #require(oracle.network.interfaces.first { $0.primaryIP?.description == address }?.id)
    }
}
