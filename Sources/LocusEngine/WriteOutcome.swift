import Foundation
import Synchronization

/// How a store write running in a task of its own ended, as far as the one waiting for it saw:
/// the waiter stops waiting when it is cancelled or its deadline passes, and the write goes on.
enum WriteOutcome: Sendable, CustomStringConvertible {
    case written
    case failed(String)
    /// The waiter was cancelled, or the deadline passed, before the write ended.
    case stopped

    var description: String {
        switch self {
        case .written: "written"
        case .failed(let error): "failed: \(error)"
        case .stopped: "not ended in time"
        }
    }

    /// Waits for `task`, until `deadline` if one is given, and never past the waiter's cancellation.
    static func of(_ task: Task<Void, any Error>, clock: EngineClock, until deadline: Date?) async -> WriteOutcome {
        let first = FirstResult<WriteOutcome>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                first.wait(continuation)
                Task {
                    do {
                        try await task.value
                        first.resume(.written)
                    } catch {
                        first.resume(.failed("\(error)"))
                    }
                }
                if let deadline {
                    Task {
                        try? await clock.sleep(until: deadline)
                        first.resume(.stopped)
                    }
                }
            }
        } onCancel: {
            first.resume(.stopped)
        }
    }
}
