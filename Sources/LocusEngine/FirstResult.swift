import Synchronization

/// The first of several racing results, handed to one continuation exactly once whichever
/// arrives first: the waiter or a result.
public final class FirstResult<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, Never>?
        var early: Value?
        var isDone = false
    }

    private let state = Mutex(State())

    public init() {}

    public func wait(_ continuation: CheckedContinuation<Value, Never>) {
        let early = state.withLock { state -> Value? in
            guard let early = state.early else {
                state.continuation = continuation
                return nil
            }
            state.isDone = true
            return early
        }
        if let early { continuation.resume(returning: early) }
    }

    public func resume(_ outcome: Value) {
        let continuation = state.withLock { state -> CheckedContinuation<Value, Never>? in
            guard !state.isDone else { return nil }
            guard let continuation = state.continuation else {
                if state.early == nil { state.early = outcome }
                return nil
            }
            state.isDone = true
            state.continuation = nil
            return continuation
        }
        continuation?.resume(returning: outcome)
    }
}
