import Foundation
import LocusEngine
import Testing

/// The mover runs as an argv without a shell, in a process group of its own, under its timeout.
@Suite("Mover process")
struct MoverProcessTests {
    /// The process group the mover was started in, as its `started` callback saw it.
    actor Started {
        var group: Int32?
        func record(_ value: Int32) { group = value }
    }

    @Test func itsExitStatusAndLastLinesAreKeptAndItRunsInAGroupOfItsOwn() async throws {
        let started = Started()
        let script = (1...30).map { "echo line \($0)" }.joined(separator: "; ") + "; echo oops >&2; exit 3"
        let outcome = await MoverProcess(arguments: ["/bin/sh", "-c", script], timeout: .seconds(10)).run { group in
            await started.record(group)
        }
        #expect(outcome.ending == .exited(3))
        #expect(!outcome.succeeded)
        #expect(outcome.lastLines.count == MoverProcess.keptLines)
        #expect(outcome.lastLines.last == "oops")
        #expect(outcome.lastLines.first == "line 12")
        let group = try #require(await started.group)
        #expect(outcome.processGroup == group)
        #expect(group != getpgrp(), "the mover must not share the runner's process group")
        #expect(!MoverProcess.groupIsAlive(group))
    }

    @Test func aMoverStillRunningAtItsTimeoutIsStoppedWithEverythingItStarted() async throws {
        let started = Started()
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("mover-\(UUID().uuidString)").path
        // A child of the mover that would outlive it if only the mover were signalled.
        let script = "(sleep 30; touch \(marker)) & echo started; sleep 30"
        let outcome = await MoverProcess(arguments: ["/bin/sh", "-c", script], timeout: .milliseconds(500)).run {
            await started.record($0)
        }
        #expect(outcome.ending == .timedOut)
        #expect(outcome.summary.contains("mover_timeout"))
        #expect(outcome.lastLines == ["started"])
        let group = try #require(await started.group)
        // The outcome is only returned once the group is gone.
        #expect(!MoverProcess.groupIsAlive(group), "the whole process group is stopped")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func aMoverThatCannotStartSaysWhy() async {
        let outcome = await MoverProcess(arguments: ["/nonexistent/mover", "x"], timeout: .seconds(5)).run { _ in }
        guard case .notStarted(let reason) = outcome.ending else {
            Issue.record("expected notStarted, got \(outcome.ending)")
            return
        }
        #expect(reason.contains("/nonexistent/mover"))
    }
}
