import Testing

@testable import LocusCore

@Suite("Config robustness")
struct ConfigRobustnessTests {
    /// Every truncation of every example either parses or gives errors on lines of the text.
    @Test(arguments: [ConfigExamples.locus, ConfigExamples.inventory, ConfigExamples.mapServer])
    func everyTruncationGivesValuesOrLocatedErrors(_ example: String) {
        let references = InventoryReferences(sites: ["dc-east"], dnsServers: ["corp"], loadBalancers: ["edge"])
        let characters = Array(example)
        for end in stride(from: 0, through: characters.count, by: 3) {
            let text = String(characters[..<end])
            let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
            let errors =
                parseErrors { () throws(ConfigErrors) in
                    _ = try LocusConfig.parse(text, file: "f", directories: testDirectories)
                }
                + parseErrors { () throws(ConfigErrors) in
                    _ = try InventoryFile.parse(text, file: "f", references: references)
                }
                + parseErrors { () throws(ConfigErrors) in
                    _ = try MapServerConfig.parse(text, file: "f")
                }
            for error in errors {
                #expect((1...max(lineCount, 1)).contains(error.line), "\(error) in a text of \(lineCount) lines")
            }
        }
    }

    @Test func garbageGivesAnErrorRatherThanACrash() {
        for text in ["\u{0}", "[[", "a = [[[[", "x = \"\\u{zz}\"", String(repeating: "[", count: 10_000)] {
            let errors = parseErrors { () throws(ConfigErrors) in
                _ = try LocusConfig.parse(text, file: "f", directories: testDirectories)
            }
            #expect(!errors.isEmpty)
        }
    }

    @Test func descriptionsAreFileLineMessage() {
        #expect(ConfigError(file: "a.toml", line: 3, message: "m").description == "a.toml:3: m")
        #expect(ConfigError(file: "a.toml", line: 0, message: "m").description == "a.toml: m")
        #expect(ConfigWarning(file: "a.toml", line: 4, message: "w").description == "a.toml:4: w")
        let errors = ConfigErrors([
            ConfigError(file: "a", line: 1, message: "x"), ConfigError(file: "a", line: 2, message: "y"),
        ])
        #expect(errors.description == "a:1: x\na:2: y")
    }
}
