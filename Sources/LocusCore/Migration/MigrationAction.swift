/// Something done to a migration: an operator's decision, a preflight's verdict or a runner's progress.
///
/// Each action has one audit name (CONFIG.md's vocabulary) and one set of states it may start from;
/// `Migration.applying(_:by:at:policy:)` is the only place that decides what follows.
public enum MigrationAction: Sendable, Hashable {
    /// A preflight ran; its result replaces the previous one. An approved migration whose digest
    /// changed goes back to ready (the approval is void).
    case recordPreflight(PreflightResult)
    /// An approver agrees to the plan with this digest.
    case approve(digest: String)
    case reject(reason: String)
    case cancel(reason: String)
    /// Not fully approved within `expire_after` of the request.
    case expire
    /// The approvals no longer hold (too old when the cutover is to start, or for another digest).
    case voidApprovals(reason: String)
    /// A runner takes the lease of an approved migration and waits for its turn (the maintenance
    /// window, `max_running`); a second runner is refused while the lease lasts, unless it takes over
    /// (`locus migrate run ID --now` from a runner that only waits).
    case claim(lease: MigrationLease, note: String = "", takeOver: Bool = false)
    /// A runner starts the cutover, holding `lease`; refused while `maxRunning` other cutovers run.
    case start(lease: MigrationLease, maxRunning: Int? = nil, note: String = "")
    /// The runner holding the lease extends it (it expires unless renewed).
    case renewLease(MigrationLease)
    /// The runner records a step before and after it acts.
    case journal(MigrationStep)
    /// An approver asks the runner to stop after the step in progress.
    case abort(reason: String)
    /// Every step acted; the probes now have to agree.
    case verify
    case complete(timeToGreen: Double?)
    case fail(reason: String)
    /// A runner's lease expired with the migration still running.
    case interrupt(reason: String)
    case resume(lease: MigrationLease)
    case rollback(lease: MigrationLease)
    case finishRollback
    case failRollback(reason: String)

    /// The `action` of the audit entry (CONFIG.md).
    public var auditName: String {
        switch self {
        case .recordPreflight: "preflight"
        case .approve: "approve"
        case .reject: "reject"
        case .cancel: "cancel"
        case .expire: "expire"
        case .voidApprovals: "run"
        case .claim, .start: "run"
        case .renewLease: "run"
        case .journal: "step"
        case .abort: "abort"
        case .verify: "step"
        case .complete: "complete"
        case .fail, .interrupt: "fail"
        case .resume: "resume"
        case .rollback: "rollback"
        case .finishRollback: "complete"
        case .failRollback: "fail"
        }
    }

    /// A name for messages and table-driven tests.
    public var kind: Kind {
        switch self {
        case .recordPreflight: .recordPreflight
        case .approve: .approve
        case .reject: .reject
        case .cancel: .cancel
        case .expire: .expire
        case .voidApprovals: .voidApprovals
        case .claim: .claim
        case .start: .start
        case .renewLease: .renewLease
        case .journal: .journal
        case .abort: .abort
        case .verify: .verify
        case .complete: .complete
        case .fail: .fail
        case .interrupt: .interrupt
        case .resume: .resume
        case .rollback: .rollback
        case .finishRollback: .finishRollback
        case .failRollback: .failRollback
        }
    }

    public enum Kind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case recordPreflight = "record preflight"
        case approve
        case reject
        case cancel
        case expire
        case voidApprovals = "void approvals"
        case claim
        case start
        case renewLease = "renew lease"
        case journal
        case abort
        case verify
        case complete
        case fail
        case interrupt
        case resume
        case rollback
        case finishRollback = "finish rollback"
        case failRollback = "fail rollback"

        public var description: String { rawValue }
    }
}

extension MigrationAction.Kind {
    /// The states this action may be taken from, and those it may lead to. The one table of legal moves.
    public var moves: (from: Set<MigrationState>, to: Set<MigrationState>) {
        switch self {
        case .recordPreflight: ([.requested, .ready, .blocked, .approved], [.ready, .blocked, .approved])
        case .approve: ([.ready], [.ready, .approved])
        case .reject: ([.requested, .ready, .blocked], [.rejected])
        case .cancel: ([.requested, .ready, .blocked, .approved], [.cancelled])
        case .expire: ([.requested, .ready, .blocked], [.expired])
        case .voidApprovals: ([.approved], [.ready])
        case .claim: ([.approved], [.approved])
        case .start: ([.approved], [.executing])
        case .renewLease:
            ([.approved, .executing, .verifying, .rollingBack], [.approved, .executing, .verifying, .rollingBack])
        case .journal:
            ([.executing, .verifying, .rollingBack], [.executing, .verifying, .rollingBack])
        case .abort: ([.executing, .verifying], [.executing, .verifying])
        case .verify: ([.executing], [.verifying])
        case .complete: ([.verifying], [.completed])
        case .fail: ([.executing, .verifying], [.failed])
        case .interrupt: ([.executing, .verifying, .rollingBack], [.interrupted])
        case .resume: ([.interrupted], [.executing])
        case .rollback: ([.interrupted, .failed, .completed, .rollbackFailed], [.rollingBack])
        case .finishRollback: ([.rollingBack], [.rolledBack])
        case .failRollback: ([.rollingBack], [.rollbackFailed])
        }
    }

    /// Who may take it: operator decisions need an approver, cancelling the requester or an approver;
    /// a preflight, an expiry and an interruption anybody who can reach the store.
    public var needsApprover: Bool {
        switch self {
        case .approve, .reject, .claim, .start, .resume, .rollback, .abort: true
        case .recordPreflight, .cancel, .expire, .interrupt, .voidApprovals: false
        // The runner: it runs as the approver who started it, and must hold the lease.
        case .renewLease, .journal, .verify, .complete, .fail, .finishRollback, .failRollback: true
        }
    }
}
