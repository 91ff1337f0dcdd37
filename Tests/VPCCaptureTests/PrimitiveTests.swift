import Testing
import VPCCapture

@Suite struct PrimitiveTests {
    @Test("FNV-1a 64 matches the reference vectors")
    func fnv() {
        #expect(FNV1a.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(FNV1a.hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(FNV1a.hash("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test("derived MACs are stable, unicast and locally administered")
    func derivedMAC() {
        let a = MACAddress.derived(from: "eni-0abc")
        #expect(a == MACAddress.derived(from: "eni-0abc"))
        #expect(a != MACAddress.derived(from: "eni-0abd"))
        for id in ["eni-0abc", "nat-1", "", "igw-0c33#peer"] {
            let first = MACAddress.derived(from: id).octets[0]
            #expect(first & 0x02 == 0x02)
            #expect(first & 0x01 == 0)
        }
        // FNV-1a("eni-0abc") = …, low 48 bits with the two flag bits adjusted.
        let hash = FNV1a.hash("eni-0abc") & 0xFFFF_FFFF_FFFF
        #expect(a.rawValue == (hash & ~(UInt64(1) << 40)) | UInt64(2) << 40)
    }

    @Test("MAC parsing and printing")
    func macText() {
        let mac = MACAddress("0a:1B:2c:3d:4e:5f")
        #expect(mac?.description == "0a:1b:2c:3d:4e:5f")
        #expect(MACAddress("0a-1b-2c-3d-4e-5f") == mac)
        #expect(MACAddress(bytes: [0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f]) == mac)
        for bad in ["", "0a:1b:2c:3d:4e", "0a:1b:2c:3d:4e:5g", "0a:1b:2c:3d:4e:5f:00", "a:1b:2c:3d:4e:5f"] {
            #expect(MACAddress(bad) == nil, "\(bad)")
        }
        #expect(MACAddress(bytes: [1, 2, 3]) == nil)
    }

    @Test("Internet checksum: the classic IPv4 header example, and a packet verifies to zero")
    func checksum() throws {
        let header: [UInt8] = [0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7]
        #expect(InternetChecksum.checksum(header, range: 0..<20) == 0xb861)
        let frame = PacketBuilder.ethernetFrame(
            ethernet: EthernetHeader(destination: .derived(from: "b"), source: .derived(from: "a")),
            ip: IPv4Header(identification: 1, protocolNumber: 17, source: 0x0A00_0001, destination: 0x0A00_0002),
            transport: .udp(UDPHeader(sourcePort: 1, destinationPort: 2)), payload: [1, 2, 3])
        #expect(InternetChecksum.checksum(frame, range: 14..<34) == 0)  // a header with its checksum sums to zero
        #expect(frame.count == 14 + 20 + 8 + 3)
        #expect(frame[20] == 0x40)  // don't fragment
        #expect(frame[22] == 64)  // TTL
    }

    @Test("packet headers reverse and print")
    func header() {
        let h = PacketHeader(sourceAddress: 0x0A00_0B19, sourcePort: 43512, destinationAddress: 0x3601_0203, destinationPort: 443)
        #expect(h.description == "10.0.11.25:43512 → 54.1.2.3:443")
        #expect(h.reversed.reversed == h)
        #expect(h.reversed.sourcePort == 443)
        #expect(FlowProtocol(number: 6) == .tcp)
        #expect(FlowProtocol(number: 47) == nil)
    }
}
