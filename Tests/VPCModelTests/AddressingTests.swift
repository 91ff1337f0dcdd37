import Testing
@testable import VPCModel

@Suite struct AddressingTests {
    @Test(arguments: [("0.0.0.0", UInt32(0)), ("255.255.255.255", UInt32.max), ("10.0.1.25", UInt32(0x0A00_0119)), ("1.2.3.4", UInt32(0x0102_0304))])
    func parsesAndFormatsAddresses(text: String, value: UInt32) {
        #expect(IPv4Address(text)?.value == value)
        #expect(IPv4Address(value).description == text)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-1", "01.2.3.4", "1..2.3", "a.b.c.d", "1.2.3.4 ", " 1.2.3.4", "1.2.3.1000",
                         "00.1.2.3", "1.2.3.", ".1.2.3", "1.2.3.4.", "1.2.3.0x1", "1.2.3.\u{0661}", "1.2.3.4/24"])
    func rejectsMalformedAddresses(text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test func parsesCIDRsAtTheirEdges() throws {
        let any = try #require(CIDR("0.0.0.0/0"))
        #expect(any.size == 1 << 32)
        #expect(any.contains(IPv4Address(0)) && any.contains(IPv4Address(.max)))
        let host = try #require(CIDR("10.0.0.7/32"))
        #expect(host.first == host.last && host.size == 1)
        #expect(CIDR("10.0.0.7")?.length == 32)
        let subnet = try #require(CIDR("10.0.11.0/24"))
        #expect(subnet.first.description == "10.0.11.0" && subnet.last.description == "10.0.11.255")
        #expect(subnet.contains(IPv4Address("10.0.11.255")!) && !subnet.contains(IPv4Address("10.0.12.0")!))
        #expect(!subnet.contains(IPv4Address("10.0.10.255")!))
        #expect(subnet.description == "10.0.11.0/24")
    }

    @Test func rejectsCIDRsWithHostBitsAndSuggestsTheNetwork() {
        #expect(CIDR.parse("10.0.1.5/24") == .failure(.hostBitsSet(suggestion: CIDR("10.0.1.0/24")!)))
        #expect(CIDR.parse("10.0.0.0/33") == .failure(.badLength))
        #expect(CIDR.parse("10.0.0.0/") == .failure(.badLength))
        #expect(CIDR.parse("10.0.0/8") == .failure(.malformed))
        #expect(CIDR.parse("10.0.0.0/8/1") == .failure(.malformed))
    }

    @Test func containmentAndOverlap() throws {
        let vpc = try #require(CIDR("10.0.0.0/16")), a = try #require(CIDR("10.0.1.0/24")), b = try #require(CIDR("10.0.1.128/25"))
        #expect(vpc.contains(a) && a.contains(b) && !b.contains(a))
        #expect(a.overlaps(b) && b.overlaps(a) && !a.overlaps(CIDR("10.0.2.0/24")!))
    }

    @Test func protocolsByNameAndNumber() {
        #expect(IPProtocol("tcp") == .tcp && IPProtocol("TCP") == .tcp && IPProtocol("6") == .tcp)
        #expect(IPProtocol("-1") == .all && IPProtocol("all") == .all)
        #expect(IPProtocol("47")?.number == 47 && IPProtocol("47")?.hasPorts == false)
        #expect(IPProtocol("256") == nil && IPProtocol("tcpp") == nil)
        #expect(IPProtocol.all.matches(47) && IPProtocol.tcp.matches(6) && !IPProtocol.tcp.matches(17))
    }

    @Test func portRanges() {
        #expect(PortRange("443") == PortRange(port: 443))
        #expect(PortRange("1024-65535") == .awsEphemeral)
        #expect(PortRange("all")?.isAll == true && PortRange("0-65535")?.isAll == true)
        #expect(PortRange("65536") == nil && PortRange("10-5") == nil && PortRange("x") == nil)
        #expect(PortRange.linuxEphemeral.contains(32768) && PortRange.linuxEphemeral.contains(60999) && !PortRange.linuxEphemeral.contains(61000))
    }

    @Test func publicAddresses() {
        #expect(IPv4Address("8.8.8.8")!.isPublic && IPv4Address("203.0.113.7")!.isPublic)
        #expect(!IPv4Address("10.1.2.3")!.isPublic && !IPv4Address("172.31.0.1")!.isPublic && !IPv4Address("192.168.1.1")!.isPublic)
        #expect(!IPv4Address("100.64.0.1")!.isPublic && !IPv4Address("169.254.169.254")!.isPublic)
    }

    @Test func reservedSubnetAddresses() throws {
        let subnet = Subnet(id: "subnet-1", name: "a", vpcID: "vpc-1", cidr: try #require(CIDR("10.0.1.0/24")), availabilityZone: "us-east-1a")
        for last in [0, 1, 2, 3, 255] { #expect(subnet.isReserved(IPv4Address(10, 0, 1, UInt8(last)))) }
        for free in [4, 100, 254] { #expect(!subnet.isReserved(IPv4Address(10, 0, 1, UInt8(free)))) }
    }

    @Test func serviceNames() {
        #expect(VPCEndpoint.shortServiceName("com.amazonaws.us-east-1.s3") == "s3")
        #expect(VPCEndpoint.shortServiceName("com.amazonaws.us-west-2.ecr.dkr") == "ecr.dkr")
        #expect(VPCEndpoint.shortServiceName("secretsmanager") == "secretsmanager")
    }
}
