import Foundation
import GRDB
import LocusCore

/// On SQLite, Locus itself applies the rules: anyone who can write the file can bypass them (the
/// README says so); the audit chain shows what was changed behind its back.
extension SQLiteHistoryStore: MigrationStore {
    static let labMarker = "lab_store"

    public func actingUser() async throws(MigrationStoreError) -> String {
        LoginIdentity.currentUser()
    }

    public func request(_ migration: Migration, origin: AuditOrigin) async throws(MigrationStoreError) -> Migration {
        let origin = Self.trusted(origin)
        let outcome: Result<Migration, MigrationRefusal>
        do {
            outcome = try await pool.write { db in
                let refusal = try Self.refusalOfRequest(migration, by: origin.user, in: db)
                let audit = AuditDraft(
                    origin: origin,
                    action: "request",
                    object: migration.id,
                    before: nil,
                    after: refusal == nil ? MigrationState.requested.rawValue : nil,
                    outcome: refusal?.auditOutcome ?? "done",
                    digest: nil,
                    detail: "\(migration.summary): \(migration.reason)",
                    at: migration.requestedAt
                )
                try Self.append(audit, in: db)
                if let refusal { return .failure(refusal) }
                try SQLiteMigrationRows.save(migration, over: nil, at: migration.requestedAt, in: db)
                return .success(migration)
            }
        } catch {
            throw .storage(failure("recording migration \(migration.id)", error).description)
        }
        return try outcome.get(orThrow: MigrationStoreError.refused)
    }

    public func apply(
        _ action: MigrationAction,
        to id: String,
        expectedVersion: Int?,
        policy: ApprovalPolicy,
        origin: AuditOrigin,
        at time: Date
    ) async throws(MigrationStoreError) -> Migration {
        let origin = Self.trusted(origin)
        let actor = MigrationActor(
            user: origin.user,
            groups: LoginIdentity.groups(of: origin.user),
            pid: getpid(),
            host: origin.host
        )
        let outcome: Result<Migration, MigrationStoreError>
        do {
            outcome = try await pool.write { db in
                guard let stored = try SQLiteMigrationRows.load(id: id, in: db) else {
                    return .failure(.notFound(id: id))
                }
                var audit = AuditDraft(
                    origin: origin,
                    action: action.auditName,
                    object: id,
                    before: stored.state.rawValue,
                    after: nil,
                    outcome: "done",
                    digest: Self.digest(of: action) ?? stored.preflight?.digest,
                    detail: Self.detail(of: action),
                    at: time
                )
                if let expectedVersion, expectedVersion != stored.version {
                    let conflict = MigrationStoreError.conflict(
                        id: id,
                        current: stored,
                        expectedVersion: expectedVersion
                    )
                    audit.outcome = "refused: \(conflict.description)"
                    try Self.append(audit, in: db)
                    return .failure(conflict)
                }
                let next: Migration
                do {
                    let othersRunning =
                        action.kind == .start ? try Self.cutoversRunning(besides: id, at: time, in: db) : 0
                    next = try stored.applying(
                        action,
                        by: actor,
                        at: time,
                        policy: policy,
                        othersRunning: othersRunning
                    )
                } catch let refusal as MigrationRefusal {
                    audit.outcome = refusal.auditOutcome
                    try Self.append(audit, in: db)
                    return .failure(.refused(refusal))
                }
                audit.after = next.state.rawValue
                // A preflight that voids the approvals says why in the same entry.
                if let outcome = next.outcome, outcome != stored.outcome, outcome != audit.detail {
                    audit.detail = audit.detail.isEmpty ? outcome : audit.detail + "; " + outcome
                }
                try SQLiteMigrationRows.save(next, over: stored, at: time, in: db)
                // A lease renewal every few seconds is the runner's heartbeat, not a decision.
                if action.kind != .renewLease { try Self.append(audit, in: db) }
                return .success(next)
            }
        } catch {
            throw .storage(failure("changing migration \(id)", error).description)
        }
        return try outcome.get()
    }

    public func migration(id: String) async throws(MigrationStoreError) -> Migration? {
        do {
            return try await pool.read { db in try SQLiteMigrationRows.load(id: id, in: db) }
        } catch {
            throw .storage(failure("reading migration \(id)", error).description)
        }
    }

    public func migrations() async throws(MigrationStoreError) -> [Migration] {
        do {
            return try await pool.read { db in try SQLiteMigrationRows.loadAll(in: db) }
        } catch {
            throw .storage(failure("reading migrations", error).description)
        }
    }

    public func auditEntries(since: Date?) async throws(MigrationStoreError) -> [AuditEntry] {
        do {
            return try await pool.read { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM audit WHERE at >= ? ORDER BY sequence",
                    arguments: [since.map(SQLiteMigrationRows.millis) ?? Int64.min]
                )
                return rows.map(Self.entry)
            }
        } catch {
            throw .storage(failure("reading the audit log", error).description)
        }
    }

    public func isLabStore() async throws(MigrationStoreError) -> Bool {
        do {
            return try await pool.read { db in
                try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = ?", arguments: [Self.labMarker])
                    == "1"
            }
        } catch {
            throw .storage(failure("reading the store's kind", error).description)
        }
    }

    public func markAsLabStore() async throws(MigrationStoreError) {
        do {
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, '1')",
                    arguments: [Self.labMarker]
                )
            }
        } catch {
            throw .storage(failure("marking the lab store", error).description)
        }
    }

    /// `historyKeep` is not kept: each process prunes a SQLite store by its own `history_keep`.
    public func initialize(
        approvals: ApprovalsConfig,
        historyKeep: Duration
    ) async throws(MigrationStoreError) -> [String] {
        let applied: [String]
        do {
            applied = try await pool.read { db in try Self.migrator.appliedIdentifiers(db) }.sorted()
        } catch {
            throw .storage(failure("reading the schema version", error).description)
        }
        return [
            "sqlite store \(path): schema up to date (\(applied.joined(separator: ", ")))",
            "the audit table refuses UPDATE and DELETE (triggers)",
            "approvals (\(approvals.approvers.isEmpty ? "nobody" : approvals.approvers.joined(separator: ", "))) are "
                + "enforced by Locus itself on SQLite: anyone who can write the file can bypass them; use PostgreSQL "
                + "when that matters",
        ]
    }

    // MARK: - Rules and audit

    /// The origin with the login and uid this process really has: a caller cannot name another user.
    private static func trusted(_ origin: AuditOrigin) -> AuditOrigin {
        var trusted = origin
        trusted.user = LoginIdentity.currentUser()
        trusted.uid = UInt32(getuid())
        return trusted
    }

    private static func refusalOfRequest(
        _ migration: Migration,
        by user: String,
        in db: Database
    ) throws -> MigrationRefusal? {
        if migration.requestedBy != user {
            let isLab =
                try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = ?", arguments: [labMarker])
                == "1"
            if !(migration.requestedBy == "lab" && isLab) {
                return MigrationRefusal(
                    .invalid,
                    "\(user) cannot request a migration as \(migration.requestedBy)"
                        + (migration.requestedBy == "lab"
                            ? ": only a store `locus lab` created accepts the lab's requests" : "")
                )
            }
        }
        if let open = try SQLiteMigrationRows.openMigration(of: migration.workload, in: db) {
            return MigrationRefusal(
                .illegalState,
                "\(migration.workload) already has an open migration: \(open.id) (\(open.state), requested by "
                    + "\(open.requestedBy) at \(RFC3339.string(from: open.requestedAt)))"
            )
        }
        if try SQLiteMigrationRows.load(id: migration.id, in: db) != nil {
            return MigrationRefusal(.invalid, "a migration \(migration.id) already exists")
        }
        return nil
    }

    /// Cutovers of other migrations whose runner's lease still lasts: what `max_running` counts,
    /// read in the transaction that starts one so that two runners cannot both take the last place.
    static func cutoversRunning(besides id: String, at time: Date, in db: Database) throws -> Int {
        try Int.fetchOne(
            db,
            sql: """
                SELECT count(*) FROM migration JOIN lease ON lease.migration_id = migration.id
                WHERE migration.id <> ? AND migration.state IN ('executing', 'verifying', 'rolling-back')
                    AND lease.expires_at > ?
                """,
            arguments: [id, SQLiteMigrationRows.millis(time)]
        ) ?? 0
    }

    static func digest(of action: MigrationAction) -> String? {
        switch action {
        case .approve(let digest): digest
        case .recordPreflight(let result): result.digest
        default: nil
        }
    }

    static func detail(of action: MigrationAction) -> String {
        switch action {
        case .reject(let reason), .cancel(let reason), .voidApprovals(let reason), .fail(let reason),
            .interrupt(let reason), .failRollback(let reason):
            reason
        case .recordPreflight(let result):
            result.passed ? "all checks passed" : "failed: " + result.failures.map(\.name).joined(separator: ", ")
        case .complete(let seconds):
            seconds.map { "green \(Int($0.rounded())) s after the last approval" } ?? ""
        case .claim(_, let note, _), .start(_, _, let note):
            note
        case .abort(let reason):
            reason
        case .journal(let step):
            "\(step.name) \(step.state.rawValue)" + (step.detail.isEmpty ? "" : ": \(step.detail)")
        default:
            ""
        }
    }

    /// Seals `draft` onto the chain: reads the last entry's hash inside the caller's transaction.
    static func append(_ draft: AuditDraft, in db: Database) throws {
        let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1")
        let sequence = (last?["sequence"] as Int64? ?? 0) + 1
        let previous = last?["hash"] as String? ?? AuditEntry.genesisHash
        let entry = AuditChain.seal(draft.entry(sequence: sequence), after: previous)
        let values: [any DatabaseValueConvertible & Sendable] = [
            entry.sequence, SQLiteMigrationRows.millis(entry.at), entry.user, Int64(entry.uid), entry.host,
            entry.tty ?? DatabaseValue.null, entry.sshClient ?? DatabaseValue.null, entry.action, entry.object,
            entry.before ?? DatabaseValue.null, entry.after ?? DatabaseValue.null, entry.outcome,
            entry.digest ?? DatabaseValue.null, entry.detail, entry.previousHash, entry.hash,
        ]
        try db.execute(
            sql: """
                INSERT INTO audit (sequence, at, user, uid, host, tty, ssh_client, action, object, before, after,
                    outcome, digest, detail, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: StatementArguments(values)
        )
    }

    private static func entry(_ row: Row) -> AuditEntry {
        AuditEntry(
            sequence: row["sequence"],
            at: SQLiteMigrationRows.date(row["at"]),
            origin: AuditOrigin(
                user: row["user"],
                uid: UInt32(truncatingIfNeeded: row["uid"] as Int64),
                host: row["host"],
                tty: row["tty"],
                sshClient: row["ssh_client"]
            ),
            action: row["action"],
            object: row["object"],
            before: row["before"],
            after: row["after"],
            outcome: row["outcome"],
            digest: row["digest"],
            detail: row["detail"],
            previousHash: row["previous_hash"],
            hash: row["hash"]
        )
    }
}

extension Result {
    fileprivate func get<E: Error>(orThrow wrap: (Failure) -> E) throws(E) -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let error): throw wrap(error)
        }
    }
}
