import Foundation
import Synchronization

/// Which sources a one-shot pass has heard from, readable from any thread without the engine: what a
/// deadline names when something did not answer, even while the engine waits on it.
public final class PassProgress: Sendable {
    private struct State {
        var expected: Set<String> = []
        var answered: Set<String> = []
        /// What the pass waits on besides its sources (writing to the store, reading migrations).
        var waitingOn: String?
    }

    private let state = Mutex(State())

    public init() {}

    func expect(_ names: Set<String>) {
        state.withLock { $0.expected.formUnion(names) }
    }

    func answered(_ name: String) {
        state.withLock { _ = $0.answered.insert(name) }
    }

    /// Names what the pass is waiting on (nil when it no longer is).
    public func waiting(on what: String?) {
        state.withLock { $0.waitingOn = what }
    }

    /// The sources that have not answered yet, sorted, then what else the pass waits on; when every
    /// source answered, the pass itself (its dependency probes, which are not sources).
    public var missing: [String] {
        state.withLock { state in
            let missing = state.expected.subtracting(state.answered).sorted() + (state.waitingOn.map { [$0] } ?? [])
            return missing.isEmpty ? ["the pass itself (its dependency probes)"] : missing
        }
    }
}

/// Ends a one-shot command at its deadline whatever hangs: a thread of its own sleeps out the
/// deadline, because a task could wait behind the very work that hangs (a blocking call holding a
/// thread of the cooperative pool).
public enum OneShotDeadline {
    /// Runs `body`; if it has not returned after `timeout`, calls `expired` on the deadline's thread,
    /// which must end the process. Exactly one of them goes on: a body that returns once the deadline
    /// has begun to act never returns here, so its caller never prints beside what `expired` prints.
    public static func run<Result>(
        timeout: Duration,
        expired: @escaping @Sendable () -> Never,
        operation body: () async throws -> Result
    ) async rethrows -> Result {
        let outcome = Claim()
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let thread = Thread {
            Thread.sleep(forTimeInterval: seconds)
            if outcome.claim() { expired() }
        }
        thread.start()
        do {
            let result = try await body()
            if !outcome.claim() { await waitForTheEnd() }
            return result
        } catch {
            if !outcome.claim() { await waitForTheEnd() }
            throw error
        }
    }

    /// Suspends until the deadline's `expired` ends the process.
    private static func waitForTheEnd() async -> Never {
        while true {
            try? await Task.sleep(for: .seconds(3600))
        }
    }

    /// Waits up to `grace` on this (non-pool) thread for `work` to give an answer: what the deadline can
    /// still learn from the engine, which may itself be stuck.
    public static func ask<Answer: Sendable>(
        within grace: Duration,
        _ work: @escaping @Sendable () async -> Answer
    ) -> Answer? {
        let answer = Slot<Answer>()
        let done = DispatchSemaphore(value: 0)
        Task {
            answer.fill(await work())
            done.signal()
        }
        let seconds = Double(grace.components.seconds) + Double(grace.components.attoseconds) / 1e18
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return answer.value
    }

    /// Taken once, by the body returning or by the deadline.
    private final class Claim: Sendable {
        private let taken = Atomic(false)

        /// True for the first caller only.
        func claim() -> Bool {
            taken.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        }
    }

    /// A value one thread sets and another reads: the engine a command made, for its deadline.
    public final class Slot<Value: Sendable>: Sendable {
        private let mutex = Mutex<Value?>(nil)

        public init() {}

        public var value: Value? { mutex.withLock { $0 } }

        public func fill(_ value: Value) { mutex.withLock { $0 = value } }
    }
}
