import Foundation
import Testing
@testable import VPCModel

@Suite struct InputFileTests {
    static func fifo() throws -> String {
        let path = NSTemporaryDirectory() + "vpcsim-fifo-\(UUID().uuidString)"
        #expect(mkfifo(path, 0o600) == 0)
        return path
    }

    @Test("a FIFO, a device or a directory is refused before any read")
    func onlyRegularFiles() throws {
        let fifo = try Self.fifo()
        defer { unlink(fifo) }
        let fromFIFO = #expect(throws: InputError.self) { try TopologyLoader.load(path: fifo) }
        #expect(fromFIFO?.description.hasPrefix("\(fifo): error: the topology is not a regular file (it is a FIFO)\n  hint: ") == true)
        let fromDevice = #expect(throws: InputError.self) { try InputFile.read("/dev/zero", what: "the flow log") }
        #expect(fromDevice?.description.hasPrefix("/dev/zero: error: the flow log is not a regular file (it is a character device)") == true)
        let fromFolder = #expect(throws: InputError.self) { try InputFile.read(NSTemporaryDirectory(), what: "the scenario") }
        #expect(fromFolder?.diagnostics.first?.message == "the scenario is not a regular file (it is a directory)")
    }

    @Test("a file larger than the limit is refused by its size, before it is read")
    func boundedSize() throws {
        let path = NSTemporaryDirectory() + "vpcsim-big-\(UUID().uuidString)"
        defer { unlink(path) }
        try Data(repeating: 0x41, count: 3 << 20).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: InputError.self) { try InputFile.read(path, what: "the topology", maximumSize: 1 << 20) }
        #expect(error?.diagnostics.first?.message == "the topology is 3 MiB, more than the 1 MiB vpcsim reads")
        #expect(try InputFile.read(path, what: "the topology").count == 3 << 20)
        #expect(InputLimits.maximumFileSize == 1 << 30)
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("IPv6 network ACL entries (and rule 32768) load, reported once; IPv4 entries stay; null OwnerId is absent")
    func dualStackSnapshot() throws {
        let loaded = try TopologyLoader.load(path: Self.root.appendingPathComponent("Fixtures/aws/ipv6-acl").path)
        let ipv6 = loaded.warnings.filter { $0.message.contains("IPv6") }
        #expect(ipv6.count == 1)
        #expect(ipv6.first?.message == "4 IPv6 network ACL entries not modelled; IPv4 answers are unaffected")
        #expect(ipv6.first?.location?.line == 9)
        #expect(loaded.network.account != "null")
        let acl = try #require(loaded.network.networkACLs.first { $0.id == "acl-0a11b22c33d44e55f" })
        #expect(acl.ingress.map(\.ruleNumber) == [100])
        #expect(acl.egress.map(\.ruleNumber) == [100])
    }

    @Test("a boolean where AWS prints a string is a located error")
    func wrongType() throws {
        let vpcs = #"{"Vpcs": [{"VpcId": "vpc-0a11b22c33d44e55f", "CidrBlock": "10.9.0.0/16", "OwnerId": true}]}"#
        let error = #expect(throws: InputError.self) {
            try AWSImporter.load(files: [(vpcs, AWSSnapshot.Context(file: "describe-vpcs.json", region: "us-east-1", account: nil))],
                                 name: "t", folder: ".")
        }
        let diagnostic = error?.diagnostics.first { $0.severity == .error }
        #expect(diagnostic?.message == "'OwnerId' in a VPC must be a string, not a boolean (true)")
        #expect(diagnostic?.location == SourceLocation(file: "describe-vpcs.json", line: 1, column: 85))
    }
}
