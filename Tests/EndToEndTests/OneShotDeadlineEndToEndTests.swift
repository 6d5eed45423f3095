import Foundation
import LocusTestSupport
import Testing

/// `locus check` and `locus snapshot` end by their `--timeout` whatever hangs — here a store another
/// process holds locked, which would keep a writer waiting out SQLite's busy timeout again and again —
/// and say what had not answered.
@Suite(.serialized) struct OneShotDeadlineEndToEndTests {
    @Test func checkAndSnapshotEndAtTheirDeadlineOnALockedStoreAndNameIt() async throws {
        let scratch = try ScratchDirectory()
        let labDirectory = scratch.file("lab")
        let lab = try LabSubprocess(
            arguments: ["lab", "--headless", "--workloads", "5", "--seed", "1", "--dir", labDirectory],
            scratch: scratch
        )
        defer { lab.kill() }
        let configFile = try await lab.firstLine(within: .seconds(60))
        let store = labDirectory + "/locus.sqlite"

        let lock = try await SQLiteWriteLock(store, exclusive: true)
        defer { lock.release() }

        let started = ContinuousClock.now
        let check = try await LabSubprocess.run(["check", "--config", configFile, "--timeout", "2s"], scratch: scratch)
        #expect(check.status == 3, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.hasPrefix("LOCUS UNKNOWN - no answer within 2s from "), "\(check.stdout)")
        #expect(check.stdout.contains("store"), "\(check.stdout)")
        // Well before one busy timeout (30 s) of the store, let alone the several a pass would wait out.
        #expect(ContinuousClock.now - started < .seconds(25))

        let snapshot = try await LabSubprocess.run(
            ["snapshot", "--config", configFile, "--timeout", "3s", "--json"],
            scratch: scratch
        )
        #expect(snapshot.status == 1, "\(snapshot.stderr)")
        #expect(snapshot.stderr.contains("no answer within 3s from "), "\(snapshot.stderr)")
        #expect(snapshot.stderr.contains("store"), "\(snapshot.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(snapshot.stdout.utf8)) as? [String: Any]
        #expect(
            (document?["workloads"] as? [Any])?.count == 5,
            "what was found by then: \(snapshot.stdout.prefix(300))"
        )
    }

    @Test func aTimeoutThatIsNotADurationIsRefused() async throws {
        let scratch = try ScratchDirectory()
        let result = try await LabSubprocess.run(["check", "--timeout", "soon"], scratch: scratch)
        #expect(result.status == 2, "a usage error")
        #expect(result.stderr.contains("--timeout soon: give a duration like \"10s\" or \"2m\""), "\(result.stderr)")
    }
}
