import Foundation
import Testing

@testable import LocusCore

@Suite("Config errors")
struct ConfigErrorTests {
    @Test(arguments: configErrorCases)
    func badLineGivesItsFileLineAndMessage(_ errorCase: ConfigErrorCase) {
        let errors = errorCase.errors()
        #expect(errors.count == 1, "\(errors)")
        guard let error = errors.first else { return }
        if errorCase.expected.hasSuffix(": ") {
            // TOML syntax errors carry the reader's own message; only the place is asserted.
            #expect(error.description.hasPrefix(errorCase.expected), "\(error)")
        } else {
            #expect(error.description == errorCase.expected)
        }
    }

    @Test func everyErrorOfAFileIsReportedInLineOrder() {
        let text = """
            name = "t"
            poll_interval = "fast"
            [[site]]
            name = "dc-east"
            rlocs = ["not-an-address"]
            [[mapping]]
            name = "mr-1"
            subscribe = "yes"
            [[dns]]
            name = "corp"
            server = "127.0.0.1"
            """
        let errors = parseErrors { () throws(ConfigErrors) in
            _ = try LocusConfig.parse(text, file: "locus.toml", directories: testDirectories)
        }
        #expect(errors.map(\.line) == [2, 5, 6, 8, 11])
        #expect(errors.allSatisfy { $0.file == "locus.toml" })
        #expect(errors[2].message == "[[mapping]] is missing required key 'resolver'")
    }

    @Test func errorsOfInventoryAndConfigAreCollectedByTheLoader() throws {
        let directory = try ConfigTestDirectory()
        defer { directory.remove() }
        try directory.write(
            ConfigErrorCase.locusBase
                + "[[inventory]]\nname = \"main\"\nkind = \"file\"\npath = \"inv/inventory.toml\"\n",
            to: "locus.toml"
        )
        try directory.write(
            ConfigErrorCase.workloadBase + "mac = \"zz\"\n"
                + ConfigErrorCase.workloadBase.replacingOccurrences(of: "dc-east", with: "nowhere"),
            to: "inv/inventory.toml"
        )
        let result = ConfigCheck.run(configFile: directory.path + "/locus.toml", directories: testDirectories)
        #expect(result.exitCode == 1)
        #expect(result.summary == nil)
        let inventory = directory.path + "/inv/inventory.toml"
        #expect(result.diagnostics.count == 3)
        #expect(result.diagnostics.first?.hasPrefix("\(inventory):6: mac: bad MAC address \"zz\"") == true)
        #expect(
            result.diagnostics.dropFirst().first
                == "\(inventory):7: duplicate workload name \"web-07\" (first defined at line 1)"
        )
        #expect(result.diagnostics.last?.hasPrefix("\(inventory):10: site: unknown site \"nowhere\"") == true)
    }

    @Test func missingInventoryFileIsAnErrorAtItsTable() throws {
        let directory = try ConfigTestDirectory()
        defer { directory.remove() }
        try directory.write(
            ConfigErrorCase.locusBase + "[[inventory]]\nname = \"main\"\nkind = \"file\"\npath = \"absent.toml\"\n",
            to: "locus.toml"
        )
        let result = ConfigCheck.run(configFile: directory.path + "/locus.toml", directories: testDirectories)
        #expect(result.exitCode == 1)
        #expect(
            result.diagnostics == [
                "\(directory.path)/locus.toml:8: inventory \"main\": cannot read \(directory.path)/absent.toml: "
                    + "No such file or directory"
            ]
        )
    }

    @Test func missingConfigFileNamesTheFile() {
        let result = ConfigCheck.run(configFile: "/nonexistent/locus.toml", directories: testDirectories)
        #expect(result.exitCode == 1)
        #expect(result.diagnostics == ["/nonexistent/locus.toml: cannot read: No such file or directory"])
    }
}
