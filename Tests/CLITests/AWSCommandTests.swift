import Foundation
import Testing

/// `vpcsim import aws`, `vpcsim export aws`, and AWS folders wherever a topology is accepted.
@Suite struct AWSCommandTests {
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vpcsim-aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test(arguments: ["public-private-nat", "endpoints", "peered", "layouts"])
    func validateAndShowAcceptAFolder(name: String) throws {
        let validate = try CLI.run(["validate", "Fixtures/aws/\(name)"])
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.hasPrefix("ok: Fixtures/aws/\(name): "))
        let show = try CLI.run(["show", "Fixtures/aws/\(name)"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("VPC "))
    }

    @Test func importWritesATopologyThatValidates() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("ppn.yaml").path
        let imported = try CLI.run(["import", "aws", "Fixtures/aws/public-private-nat", "-o", output])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("wrote \(output): 1 VPC, 3 subnets"))
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.contains("nat-090880a9e6e1b9983") && text.contains("i-0e751e348f803bdd5"))
        let validate = try CLI.run(["validate", output])
        #expect(validate.status == 0, "\(validate.stderr)")
        // Without -o the topology goes to standard output.
        let printed = try CLI.run(["import", "aws", "Fixtures/aws/peered"])
        #expect(printed.status == 0 && printed.stdout.contains("pcx-0eca54adb2e47086d"))
    }

    @Test func exportWritesJSONThatImportsBack() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let exported = try CLI.run(["export", "aws", "Fixtures/seeds/000-lambda-endpoints.yaml", "-o", folder.path])
        #expect(exported.status == 0, "\(exported.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.contains("describe-vpcs.json") && files.contains("describe-network-interfaces.json"))
        let validate = try CLI.run(["validate", folder.path])
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stderr.isEmpty, "an export imports without warnings")
        let show = try CLI.run(["show", folder.path])
        #expect(show.stdout.contains("Lambda-Internal"))
    }

    @Test func badJSONInAFolderExitsTwoWithALocatedError() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try #"{"Vpcs": [{"VpcId": "vpc-0a", "CidrBlock": "10.0.0.0/16"}]}"#.write(to: folder.appendingPathComponent("describe-vpcs.json"), atomically: true, encoding: .utf8)
        try "{\n  \"Subnets\": [\n    {\"SubnetId\": \"subnet-0a\" \"VpcId\": \"vpc-0a\"}\n  ]\n}\n"
            .write(to: folder.appendingPathComponent("describe-subnets.json"), atomically: true, encoding: .utf8)
        for arguments in [["validate", folder.path], ["import", "aws", folder.path], ["show", folder.path]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("describe-subnets.json:3:"), "\(result.stderr)")
            #expect(result.stderr.contains("hint:"))
        }
        // A missing required field.
        try #"{"Subnets": [{"SubnetId": "subnet-0a", "VpcId": "vpc-0a", "AvailabilityZone": "us-east-1a"}]}"#
            .write(to: folder.appendingPathComponent("describe-subnets.json"), atomically: true, encoding: .utf8)
        let missing = try CLI.run(["validate", folder.path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("describe-subnets.json:1:14: error: a subnet is missing required field 'CidrBlock'"), "\(missing.stderr)")
    }

    @Test func importNeedsAFolderAndExportNeedsAWritablePlace() throws {
        let notFolder = try CLI.run(["import", "aws", "Fixtures/seeds/000-lambda-endpoints.yaml"])
        #expect(notFolder.status == 2 && notFolder.stderr.contains("not a folder"))
        let noOutput = try CLI.run(["export", "aws", "Fixtures/seeds/000-lambda-endpoints.yaml"])
        #expect(noOutput.status == 2)
        let unwritable = try CLI.run(["export", "aws", "Fixtures/seeds/000-lambda-endpoints.yaml", "-o", "/proc/vpcsim-cannot-write"])
        #expect(unwritable.status == 2 && unwritable.stderr.contains("error:"))
    }
}
