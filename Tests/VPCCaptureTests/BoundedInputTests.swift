import Foundation
import Testing
import VPCModel
@testable import VPCCapture

@Suite struct BoundedInputTests {
    @Test("a classic pcap timestamp past 2106 is an error, and no file is written")
    func pcapTimestampRange() throws {
        let path = NSTemporaryDirectory() + "vpcsim-late-\(UUID().uuidString).pcap"
        let frame = [UInt8](repeating: 0, count: 60)
        let late = PacketCapture(interfaces: [], packets: [
            CapturedPacket(timestamp: 1_000_000_000, interfaceIndex: 0, frame: frame),
            CapturedPacket(timestamp: PcapWriter.maximumTimestamp + 1, interfaceIndex: 0, frame: frame),
        ])
        let error = #expect(throws: CaptureError.self) { try late.write(to: path) }
        #expect(error?.description.hasPrefix("\(path): packet 2: error: the timestamp 4294967296 s after 1970 is past what classic pcap holds") == true)
        #expect(!FileManager.default.fileExists(atPath: path))
        let inRange = PacketCapture(interfaces: [], packets: [CapturedPacket(timestamp: PcapWriter.maximumTimestamp, interfaceIndex: 0, frame: frame)])
        defer { unlink(path) }
        #expect(try inRange.write(to: path) == 1)
    }

    @Test("a flow log that is a device is refused before any read; a line past 64 KiB is a located error")
    func flowLogBounds() throws {
        let device = #expect(throws: FlowLogError.self) { try FlowLog.read(path: "/dev/zero") }
        #expect(device?.description.hasPrefix("/dev/zero: error: the flow log is not a regular file (it is a character device)\n  hint: ") == true)
        let long = "\n" + String(repeating: "x", count: InputLimits.maximumLineLength + 1) + "\n"
        let error = #expect(throws: FlowLogError.self) { try FlowLog.parse(long, path: "f.log") }
        #expect(error?.diagnostics.first?.description
                == "f.log:2:65537: error: the line is 65537 bytes long, more than the 65536 vpcsim reads (a flow log record is one short line; is this a flow log?)")
    }

    @Test("a capture input that is a FIFO is refused, not read")
    func captureFIFO() throws {
        let path = NSTemporaryDirectory() + "vpcsim-fifo-\(UUID().uuidString).pcap"
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        let error = #expect(throws: CaptureError.self) { try CaptureReader.read(path: path) }
        #expect(error?.description.hasPrefix("\(path): error: the capture is not a regular file (it is a FIFO)") == true)
    }
}
