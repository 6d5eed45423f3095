import Foundation
import LocusCore

/// The shared record of migrations: requests, preflights, approvals, steps, leases and the audit log.
///
/// Every change is one transaction with a compare-and-set on the migration's version, and writes its
/// audit entry in the same transaction; a refused action writes its audit entry too. SQLite applies
/// the rules in Locus itself; PostgreSQL has the database apply them against `session_user`.
public protocol MigrationStore: Sendable {
    /// The login the store will record as acting: the process's own on SQLite, the server's
    /// `session_user` on PostgreSQL.
    func actingUser() async throws(MigrationStoreError) -> String

    /// Records a new request (state `requested`), refused while another migration of the same
    /// workload is open, and when `requestedBy` is not the acting user (only a lab store lets the lab
    /// request as `lab`).
    func request(_ migration: Migration, origin: AuditOrigin) async throws(MigrationStoreError) -> Migration

    /// Applies `action` to the current migration `id` in one transaction, as the acting user: refused
    /// (and audited as such) when `expectedVersion` is given and no longer current, or when the rules
    /// refuse it. `policy` is the config's; PostgreSQL applies the one `locus store init` wrote instead.
    func apply(
        _ action: MigrationAction,
        to id: String,
        expectedVersion: Int?,
        policy: ApprovalPolicy,
        origin: AuditOrigin,
        at time: Date
    ) async throws(MigrationStoreError) -> Migration

    func migration(id: String) async throws(MigrationStoreError) -> Migration?

    /// Every migration, newest request first.
    func migrations() async throws(MigrationStoreError) -> [Migration]

    /// Audit entries in chain order, those at or after `since` (all when nil).
    func auditEntries(since: Date?) async throws(MigrationStoreError) -> [AuditEntry]

    /// Yields soon after a migration, a step or the audit log changed in another process or on another
    /// host (PostgreSQL: LISTEN/NOTIFY; SQLite: `PRAGMA data_version`, polled), and at once when the
    /// store cannot tell (after an error): the caller then reads what it shows again. Ends when the
    /// caller stops iterating.
    func migrationChanges() -> AsyncStream<Void>

    /// Whether `locus lab` created this store (only then may `lab` request migrations).
    func isLabStore() async throws(MigrationStoreError) -> Bool

    func markAsLabStore() async throws(MigrationStoreError)

    /// Creates or upgrades the schema (on PostgreSQL also roles, grants, functions and the policy:
    /// `approvals`, and `historyKeep` for everybody's pruning), idempotently; returns what it did,
    /// one line each.
    func initialize(approvals: ApprovalsConfig, historyKeep: Duration) async throws(MigrationStoreError) -> [String]
}

extension MigrationStore {
    public func initialize(approvals: ApprovalsConfig) async throws(MigrationStoreError) -> [String] {
        try await initialize(approvals: approvals, historyKeep: LocusConfig.defaultHistoryKeep)
    }
}

/// Why a migration could not be recorded or changed.
public enum MigrationStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rules refused it; the refusal is in the audit log.
    case refused(MigrationRefusal)
    /// Someone else changed the migration since the caller read it.
    case conflict(id: String, current: Migration, expectedVersion: Int)
    case notFound(id: String)
    case storage(String)

    public var description: String {
        switch self {
        case .refused(let refusal):
            refusal.message
        case .conflict(let id, let current, let expected):
            "migration \(id) changed meanwhile: it is now \(current.state) (\(current.lastChange.action) by "
                + "\(current.lastChange.user) at \(RFC3339.string(from: current.lastChange.at)), version "
                + "\(current.version), you saw \(expected)); nothing was changed"
        case .notFound(let id):
            "no migration \(id); `locus migrate list` shows them"
        case .storage(let reason):
            reason
        }
    }

    /// Refusals and conflicts are the operator's to read (exit 1); storage errors too, but say so.
    public var isRefusal: Bool {
        switch self {
        case .refused, .conflict, .notFound: true
        case .storage: false
        }
    }
}
