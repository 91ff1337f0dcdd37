import ArgumentParser
import CPcap
import VPCModel
import Foundation

struct VPCSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vpcsim",
        abstract: "Simulates AWS VPC networking: reachability answers, explanations and packet captures.",
        version: versionText(),
        subcommands: [Validate.self]
    )

    static func versionText() -> String {
        let pcapVersion = pcap_lib_version().map { String(cString: $0) } ?? "libpcap (unknown version)"
        return "vpcsim \(VPCSimVersion.string) (\(pcapVersion))"
    }
}

struct Validate: ParsableCommand {
    @Argument var path: String
    func run() throws {
        do {
            let loaded = try TopologyLoader.load(path: path)
            print("ok: \(loaded.network.vpcs.count) VPCs, \(loaded.network.subnets.count) subnets, \(loaded.network.interfaces.count) interfaces")
            for r in loaded.network.routeTables { print(r.name, r.routes.map { "\($0.destination)->\($0.target)" }) }
            for i in loaded.network.interfaces { print(i.name, i.id, i.privateIPs, i.publicIP as Any) }
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8)); throw ExitCode(2)
        }
    }
}

VPCSim.main()
