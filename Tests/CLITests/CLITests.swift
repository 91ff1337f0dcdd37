import Foundation
import Testing

/// Runs the real `vpcsim` executable, built next to this test bundle.
enum CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = here.deletingLastPathComponent()
        // The test runner may live inside a .xctest bundle directory.
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "Contents" || directory.lastPathComponent == "MacOS" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("vpcsim")
    }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite struct CLITests {
    @Test func versionNamesVpcsimAndLibpcap() throws {
        let result = try CLI.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("vpcsim "))
        #expect(result.stdout.contains("libpcap version"))
    }

    @Test(arguments: ["000-lambda-endpoints", "001-omnigen", "002-multi-region-dr", "003-eks-fargate", "004-lang-portal"])
    func validateAcceptsTheSeeds(seed: String) throws {
        let result = try CLI.run(["validate", "Fixtures/seeds/\(seed).yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("ok: "))
    }

    @Test func validateRejectsABrokenFileWithLocatedErrors() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-broken-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        vpcs:
          - name: main
            region: us-east-1
            cidr: 10.0.0.0/16
            subnets:
              - {name: a, cidr: 10.0.1.0/24, az: us-east-1a, route_tabel: x}
              - {name: b, cidr: 10.1.1.0/24, az: us-east-1b}
        """.write(to: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file.path):6:54: error: unknown key 'route_tabel' in a subnet"))
        #expect(result.stderr.contains("hint: did you mean 'route_table'?"))
        #expect(result.stderr.contains("\(file.path):7:25: error: subnet 'b' CIDR 10.1.1.0/24 is not inside VPC 'main'"))
        #expect(result.stderr.contains("2 errors"))
    }

    @Test func missingFileAndBadUsageExitTwo() throws {
        let missing = try CLI.run(["validate", "no/such/file.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no/such/file.yaml: error: no such file"))
        let usage = try CLI.run(["validate"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("Missing expected argument"))
        let unknown = try CLI.run(["frobnicate"])
        #expect(unknown.status == 2)
    }

    @Test func showReadsLikeTheSeedDocument() throws {
        let result = try CLI.run(["show", "Fixtures/seeds/001-omnigen.yaml"])
        #expect(result.status == 0)
        for expected in ["VPC omnigen-vpc", "10.0.1.0/24", "us-east-1b", "0.0.0.0/0    → internet gateway", "→ NAT gateway NAT",
                         "pl-63a5400a (com.amazonaws.us-east-1.s3)", "ALB-SG", "in   tcp/8080  from group ALB-SG",
                         "Load balancer ALB (application, internet-facing)", "HTTPS:443 → ECS-TG HTTP:8080", "ECS (fargate)"] {
            #expect(result.stdout.contains(expected), "missing: \(expected)")
        }
        let defaultNetwork = try CLI.run(["show"])
        #expect(defaultNetwork.status == 0)
        #expect(defaultNetwork.stdout.contains("Lambda-Internal"))
    }
}
