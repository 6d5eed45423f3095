import Foundation
import Testing

@testable import LocusCore

/// Runs every TOML 1.0.0 case of the toml-test suite against the parser.
///
/// The corpus lives outside the repository, in `shared/reference/toml-test`
/// beside the clone (CI copies `shared/` there), so a missing corpus is a
/// failure naming where it was looked for: a conformance test that quietly
/// runs nothing would hide regressions.
@Suite("TOML conformance (toml-test 1.0.0)")
struct TOMLConformanceTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // LocusCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package root
        .appendingPathComponent("../shared/reference/toml-test")
        .standardizedFileURL

    /// The cases `files-toml-1.0.0` lists, as paths relative to the corpus.
    static func listedCases() throws -> [String] {
        let listing = corpus.appendingPathComponent("files-toml-1.0.0")
        guard let text = try? String(contentsOf: listing, encoding: .utf8) else {
            throw CorpusMissing(path: listing.path)
        }
        return text.split(whereSeparator: \.isNewline).map(String.init).filter { $0.hasSuffix(".toml") }
    }

    struct CorpusMissing: Error, CustomStringConvertible {
        let path: String
        var description: String {
            "toml-test corpus not found: cannot read \(path); the tests expect a copy of shared/ "
                + "beside the repository (shared/reference/toml-test)"
        }
    }

    @Test func corpusIsPresentAndListsBothKinds() throws {
        let cases = try Self.listedCases()
        #expect(cases.contains { $0.hasPrefix("valid/") }, "no valid cases listed in \(Self.corpus.path)")
        #expect(cases.contains { $0.hasPrefix("invalid/") }, "no invalid cases listed in \(Self.corpus.path)")
    }

    @Test func validCasesParseToTheirTaggedJSON() throws {
        var failures: [String] = []
        for name in try Self.listedCases() where name.hasPrefix("valid/") {
            let bytes = try Data(contentsOf: Self.corpus.appendingPathComponent(name))
            let expectedURL = Self.corpus.appendingPathComponent(String(name.dropLast(5)) + ".json")
            let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: expectedURL), options: [])
            do {
                let table = try TOML.parse(utf8: Array(bytes))
                if let mismatch = TaggedJSON.mismatch(TOMLValue(line: 1, kind: .table(table)), expected, at: "") {
                    failures.append("\(name): \(mismatch)")
                }
            } catch {
                failures.append("\(name): refused: \(error)")
            }
        }
        for failure in failures { Issue.record("toml-test \(failure)") }
        #expect(failures.isEmpty, "\(failures.count) valid toml-test cases failed")
    }

    @Test func invalidCasesAreRefused() throws {
        var failures: [String] = []
        for name in try Self.listedCases() where name.hasPrefix("invalid/") {
            let bytes = try Data(contentsOf: Self.corpus.appendingPathComponent(name))
            if let table = try? TOML.parse(utf8: Array(bytes)) {
                failures.append("\(name): accepted, read as \(table.keys)")
            }
        }
        for failure in failures { Issue.record("toml-test \(failure)") }
        #expect(failures.isEmpty, "\(failures.count) invalid toml-test cases were accepted")
    }
}
