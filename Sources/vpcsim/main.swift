import ArgumentParser
import CPcap
import VPCModel

struct VPCSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vpcsim",
        abstract: "Simulates AWS VPC networking: reachability answers, explanations and packet captures.",
        version: versionText()
    )

    static func versionText() -> String {
        let pcapVersion = pcap_lib_version().map { String(cString: $0) } ?? "libpcap (unknown version)"
        return "vpcsim \(VPCSimVersion.string) (\(pcapVersion))"
    }
}

VPCSim.main()
