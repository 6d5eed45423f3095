import Foundation

/// A migration `locus check` reports: one a runner left in a state someone must act on (critical), or a
/// request nobody has decided on for longer than half of `expire_after` (warning).
public struct MigrationConcern: Sendable, Hashable, CustomStringConvertible {
    public var migrationID: String
    public var severity: AlertSeverity
    /// `migration m-0a1b2c3d web-07 dc-east → dc-west failed: mover exited 1`.
    public var text: String

    public init(migrationID: String, severity: AlertSeverity, text: String) {
        self.migrationID = migrationID
        self.severity = severity
        self.text = text
    }

    public var description: String { text }

    /// The states that leave a workload half-moved or unknown until an operator resumes or rolls back.
    public static let stuckStates: Set<MigrationState> = [.interrupted, .failed, .rollbackFailed]

    /// What `migrations` give to report at `now`, critical first, each group newest request first.
    public static func concerns(in migrations: [Migration], policy: ApprovalPolicy, now: Date) -> [MigrationConcern] {
        let patience = policy.expireAfterSeconds / 2
        var critical: [MigrationConcern] = []
        var warning: [MigrationConcern] = []
        for migration in migrations.sorted(by: { $0.requestedAt > $1.requestedAt }) {
            let name = "migration \(migration.id) \(migration.workload) \(migration.fromSite) → \(migration.toSite)"
            if stuckStates.contains(migration.state) {
                let why = migration.outcome ?? "no reason recorded"
                critical.append(
                    MigrationConcern(
                        migrationID: migration.id,
                        severity: .critical,
                        text: "\(name) \(migration.state): \(why)"
                    )
                )
            } else if migration.state.awaitsApproval, now.timeIntervalSince(migration.requestedAt) > patience {
                let waited = SpanText.span(now.timeIntervalSince(migration.requestedAt))
                let left = SpanText.span(migration.expiresAt(policy: policy).timeIntervalSince(now))
                warning.append(
                    MigrationConcern(
                        migrationID: migration.id,
                        severity: .warning,
                        text: "\(name) \(migration.state), waiting for approval for \(waited) (expires in \(left))"
                    )
                )
            }
        }
        return critical + warning
    }
}
