import Foundation
import Testing

@testable import LocusEngine

@Suite("One-shot deadline")
struct OneShotDeadlineTests {
    @Test func whatHasNotAnsweredIsNamedSortedThenWhatElseThePassWaitsOn() {
        let progress = PassProgress()
        progress.expect(["store", "lab-dns", "lab-mr", "inventory"])
        progress.answered("inventory")
        progress.answered("lab-mr")
        #expect(progress.missing == ["lab-dns", "store"])
        progress.answered("store")
        progress.waiting(on: "store (writing what was found)")
        #expect(progress.missing == ["lab-dns", "store (writing what was found)"])
        progress.waiting(on: nil)
        progress.answered("lab-dns")
        #expect(progress.missing == ["the pass itself (its dependency probes)"])
    }

    @Test func aBodyThatEndsInTimeNeverMeetsItsDeadline() async throws {
        let value = await OneShotDeadline.run(
            timeout: .milliseconds(200),
            expired: { fatalError("expired") },
            operation: { 42 }
        )
        #expect(value == 42)
        // The deadline's thread wakes after the body ended and must do nothing.
        try await Task.sleep(for: .milliseconds(400))
    }

    @Test func askingTheEngineGivesUpAfterItsGrace() {
        #expect(OneShotDeadline.ask(within: .seconds(2)) { 7 } == 7)
        let never = OneShotDeadline.ask(within: .milliseconds(100)) { () async -> Int in
            try? await Task.sleep(for: .seconds(5))
            return 0
        }
        #expect(never == nil)
    }
}
