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

    /// The sources that have not answered yet, sorted, then what else the pass waits on.
    public var missing: [String] {
        state.withLock { state in
            state.expected.subtracting(state.answered).sorted() + (state.waitingOn.map { [$0] } ?? [])
        }
    }
}

/// Ends a one-shot command at its deadline whatever hangs: a thread of its own sleeps out the
/// deadline, because a task could wait behind the very work that hangs (a blocking call holding a
/// thread of the cooperative pool).
public enum OneShotDeadline {
    /// Runs `body`; if it has not returned after `timeout`, calls `expired` on the deadline's thread,
    /// which must end the process.
    public static func run<Result>(
        timeout: Duration,
        expired: @escaping @Sendable () -> Never,
        operation body: () async throws -> Result
    ) async rethrows -> Result {
        let finished = Flag()
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let thread = Thread {
            Thread.sleep(forTimeInterval: seconds)
            if !finished.isSet { expired() }
        }
        thread.start()
        defer { finished.set() }
        return try await body()
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

    private final class Flag: Sendable {
        private let atomic = Atomic(false)
        var isSet: Bool { atomic.load(ordering: .acquiring) }
        func set() { atomic.store(true, ordering: .releasing) }
    }

    /// A value one thread sets and another reads: the engine a command made, for its deadline.
    public final class Slot<Value: Sendable>: Sendable {
        private let mutex = Mutex<Value?>(nil)

        public init() {}

        public var value: Value? { mutex.withLock { $0 } }

        public func fill(_ value: Value) { mutex.withLock { $0 = value } }
    }
}
