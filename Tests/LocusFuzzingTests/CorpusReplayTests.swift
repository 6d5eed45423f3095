import Foundation
import LocusFuzzing
import Testing

/// Replays every committed fuzzing input through its parser, so that what `scripts/fuzz` found once
/// (the inputs it kept for new coverage, and the crashes turned into seeds) is checked on every run.
@Suite("Fuzzing corpus replay")
struct CorpusReplayTests {
    static let corpusRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("../Fuzz/corpus")
        .standardizedFileURL

    static func inputs(of target: FuzzTarget) throws -> [URL] {
        let directory = corpusRoot.appendingPathComponent(target.rawValue)
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyCommittedInputRunsThroughItsParser(target: FuzzTarget) throws {
        let inputs = try Self.inputs(of: target)
        // A target without seeds would pass this test while checking nothing.
        #expect(inputs.count >= 5, "Fuzz/corpus/\(target.rawValue) holds only \(inputs.count) inputs")
        for input in inputs {
            target.run([UInt8](try Data(contentsOf: input)))
        }
    }
}
