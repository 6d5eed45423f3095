/// What an operator asks of a migration from the dashboard. The migration it names is the one the
/// operator saw: decisions are compared-and-set on its version, and an approval is bound to its
/// digest, so a change made meanwhile by somebody else is refused rather than decided blind.
public enum MigrationCommand: Hashable, Sendable {
    case request(workload: String, toSite: String, address: String?, reason: String)
    case preflight(Migration)
    case approve(Migration)
    case reject(Migration, reason: String)
    /// Cancels one that has not started; on a running one, asks its runner to stop after its step.
    case cancel(Migration, reason: String)
    case rollback(Migration)
    case resume(Migration)
    /// Starts an approved one waiting for its maintenance window (audited by the runner).
    case runNow(Migration)

    /// The migration it acts on; nil for a request.
    public var migration: Migration? {
        switch self {
        case .request: nil
        case .preflight(let m), .approve(let m), .reject(let m, _), .cancel(let m, _), .rollback(let m),
            .resume(let m), .runNow(let m):
            m
        }
    }

    /// The verb phrase the confirmation asks about: "Approve migration".
    public var action: String {
        switch self {
        case .request: "Request migration of"
        case .preflight: "Re-run the preflight of"
        case .approve: "Approve migration"
        case .reject: "Reject migration"
        case .cancel(let m, _): m.state.isRunning ? "Abort after the current step:" : "Cancel migration"
        case .rollback: "Roll back migration"
        case .resume: "Resume migration"
        case .runNow: "Run now, outside the maintenance window:"
        }
    }
}

/// What became of a `MigrationCommand`, in words for the status line.
public struct MigrationCommandOutcome: Hashable, Sendable {
    /// "approved m-1a2b3c4d: the runner starts" or the refusal's reason.
    public var message: String
    public var isRefusal: Bool
    /// The process id of a detached runner this process started for it, and its log.
    public var runner: Int32?
    public var runnerLog: String?

    public init(message: String, isRefusal: Bool = false, runner: Int32? = nil, runnerLog: String? = nil) {
        self.message = message
        self.isRefusal = isRefusal
        self.runner = runner
        self.runnerLog = runnerLog
    }
}
