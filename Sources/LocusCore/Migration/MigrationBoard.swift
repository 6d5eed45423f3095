import Foundation

/// The migrations as the store last told them, and who is looking: what the Migrations view, its
/// tab and the header show.
///
/// `MigrationBoardFeed` reads it each time the store changes; the dashboard only shows it.
public struct MigrationBoard: Hashable, Sendable {
    /// Newest first, as the store lists them.
    public var migrations: [Migration]
    public var policy: ApprovalPolicy
    /// What runners of approved migrations face (window, turn), when known.
    public var runner: RunnerConditions?
    /// The audit entries of the listed migrations, oldest first.
    public var audit: [AuditEntry]
    /// The login at this screen (`getpwuid(getuid())`, or PostgreSQL's `session_user`).
    public var viewer: String
    /// Why the viewer may not decide here (not an approver, `--read-only`); nil when they may.
    public var readOnlyReason: String?
    /// Why the last read of the store failed; the board then shows what it read before.
    public var error: String?
    /// When it was read: ages and elapsed times count from here.
    public var readAt: Date

    public init(
        migrations: [Migration],
        policy: ApprovalPolicy,
        runner: RunnerConditions? = nil,
        audit: [AuditEntry] = [],
        viewer: String,
        readOnlyReason: String? = nil,
        error: String? = nil,
        readAt: Date
    ) {
        self.migrations = migrations
        self.policy = policy
        self.runner = runner
        self.audit = audit
        self.viewer = viewer
        self.readOnlyReason = readOnlyReason
        self.error = error
        self.readAt = readAt
    }

    /// Whether `migration` waits for the viewer's approval: ready, the viewer an approver who has
    /// not approved it yet and did not request it.
    public func waitsForViewer(_ migration: Migration) -> Bool {
        guard readOnlyReason == nil, migration.state == .ready else { return false }
        guard !migration.approvals.contains(where: { $0.user == viewer }) else { return false }
        return migration.requestedBy != viewer
    }

    /// The list in the order the view shows it: what waits for the viewer first, then what runs, what
    /// was interrupted and what failed, then the rest, newest first within each.
    public var ordered: [Migration] {
        let rank: (Migration) -> Int = { m in
            if waitsForViewer(m) { return 0 }
            switch m.state {
            case .executing, .verifying, .rollingBack: return 1
            case .interrupted: return 2
            case .failed, .rollbackFailed: return 3
            default: return 4
            }
        }
        return migrations.enumerated()
            .sorted { a, b in
                let (left, right) = (rank(a.element), rank(b.element))
                if left != right { return left < right }
                if a.element.requestedAt != b.element.requestedAt {
                    return a.element.requestedAt > b.element.requestedAt
                }
                return a.offset < b.offset
            }
            .map(\.element)
    }

    /// How many wait for the viewer's approval, for the tab and the header.
    public var waitingForViewer: [Migration] { migrations.filter(waitsForViewer) }

    /// The audit entries about `id`, oldest first.
    public func audit(of id: String) -> [AuditEntry] {
        audit.filter { $0.object == id }
    }
}
