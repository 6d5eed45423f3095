import Foundation

/// Why an action on a migration was refused, in words an operator acts on.
public struct MigrationRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// The action cannot be taken from the current state.
        case illegalState
        case notApprover
        case ownRequest
        case alreadyApprovedByYou
        /// The approver saw another digest than the current one.
        case digestChanged
        case expired
        case notRequesterOrApprover
        case preflightMissing
        /// A runner's action from a process that does not hold the lease.
        case notLeaseHolder
        /// `max_running` cutovers already run; the runner waits its turn.
        case busy
        case invalid
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }

    /// The `outcome` of the audit entry: `refused: REASON`.
    public var auditOutcome: String { "refused: \(message)" }
}

extension MigrationRefusal {
    /// "migration m-1a2b3c4d is approved (by ops2 at 2026-12-01T12:04:00Z): cannot reject it"
    static func illegal(_ action: MigrationAction.Kind, on migration: Migration) -> MigrationRefusal {
        let change = migration.lastChange
        let who = "\(pastTense(change.action)) by \(change.user) at \(RFC3339.string(from: change.at))"
        return MigrationRefusal(
            .illegalState,
            "migration \(migration.id) is \(migration.state) (\(who)): cannot \(action) it"
        )
    }

    private static func pastTense(_ action: String) -> String {
        switch action {
        case "request": "requested"
        case "preflight": "preflight"
        case "approve": "approved"
        case "reject": "rejected"
        case "cancel": "cancelled"
        case "expire": "expired"
        case "run": "started"
        case "step": "advanced"
        case "abort": "aborted"
        case "complete": "completed"
        case "fail": "failed"
        case "rollback": "rolled back"
        case "resume": "resumed"
        default: action
        }
    }
}
