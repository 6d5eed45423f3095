import Foundation
import LocusCore
import PostgresNIO

/// On PostgreSQL the database applies the rules against `session_user` (see `PostgresFunctions`);
/// this side computes what it asks for with the same transition function as SQLite, so that both
/// stores refuse in the same words.
extension PostgresStore: MigrationStore {
    static let labMarker = "lab_store"

    /// What `locus_request` and `locus_apply` answer.
    private struct Outcome: Decodable {
        var result: String
        var reason: String?
        var message: String?
    }

    /// Who acts and under which policy, as the database sees it.
    private struct Decision {
        var migration: Migration?
        var actor: MigrationActor
        var policy: ApprovalPolicy
        /// For a start: the other cutovers running, counted as `locus_apply` counts them.
        var othersRunning = 0
    }

    public func actingUser() async throws(MigrationStoreError) -> String {
        do {
            return try await withConnection("reading the login") { connection in
                try await connection.rows("SELECT session_user::text AS login", logger: logger)[0].value("login")
            }
        } catch {
            throw .storage(error.description)
        }
    }

    public func request(_ migration: Migration, origin: AuditOrigin) async throws(MigrationStoreError) -> Migration {
        let operation = "recording migration \(migration.id)"
        let outcome: Outcome
        do {
            let payload = try PostgresPayload.json(PostgresPayload.Request(migration))
            let origin = try PostgresPayload.json(PostgresPayload.Origin(origin))
            outcome = try await call(
                "SELECT locus_request(\(payload)::jsonb, \(origin)::jsonb)::text AS result",
                operation
            )
        } catch {
            throw migrationFailure(operation, error)
        }
        if outcome.result == "refused" { throw .refused(Self.refusal(outcome)) }
        guard outcome.result == "done", let stored = try await self.migration(id: migration.id) else {
            throw .storage("store \(url): \(operation): the database answered \(outcome.result)")
        }
        return stored
    }

    public func apply(
        _ action: MigrationAction,
        to id: String,
        expectedVersion: Int?,
        policy: ApprovalPolicy,
        origin: AuditOrigin,
        at time: Date
    ) async throws(MigrationStoreError) -> Migration {
        let operation = "changing migration \(id)"
        // Another process may change the migration between the read and the call; the database then
        // answers `retry` (when the caller named no version) and nothing was written.
        for _ in 0..<5 {
            let decision = try await decision(
                on: id,
                fallback: policy,
                countingRunningAt: action.kind == .start ? time : nil
            )
            guard let stored = decision.migration else { throw .notFound(id: id) }
            var payload = PostgresPayload.Apply(
                digest: SQLiteHistoryStore.digest(of: action),
                detail: SQLiteHistoryStore.detail(of: action),
                actor: PostgresPayload.Actor(decision.actor)
            )
            switch action {
            case .recordPreflight(let result): payload.preflight = PostgresPayload.Preflight(result)
            case .start(_, let maxRunning, _): payload.maxRunning = maxRunning
            case .claim(_, _, let takeOver): payload.takeOver = takeOver
            default: break
            }
            do {
                let next = try stored.applying(
                    action,
                    by: decision.actor,
                    at: time,
                    policy: decision.policy,
                    othersRunning: decision.othersRunning
                )
                payload.next = PostgresPayload.Next(next)
            } catch {
                payload.refusal = PostgresPayload.Refusal(reason: error.reason.storedName, message: error.message)
            }
            let outcome: Outcome
            do {
                let payload = try PostgresPayload.json(payload)
                let origin = try PostgresPayload.json(PostgresPayload.Origin(origin))
                outcome = try await call(
                    """
                    SELECT locus_apply(\(id), \(action.kind.rawValue), \(expectedVersion)::integer,
                        \(stored.version)::integer, \(payload)::jsonb, \(origin)::jsonb)::text AS result
                    """,
                    operation
                )
            } catch {
                throw migrationFailure(operation, error)
            }
            switch outcome.result {
            case "done":
                guard let changed = try await migration(id: id) else { throw .notFound(id: id) }
                return changed
            case "retry":
                continue
            case "conflict":
                guard let current = try await migration(id: id) else { throw .notFound(id: id) }
                throw .conflict(id: id, current: current, expectedVersion: expectedVersion ?? stored.version)
            case "refused":
                throw .refused(Self.refusal(outcome))
            case "not_found":
                throw .notFound(id: id)
            default:
                throw .storage("store \(url): \(operation): the database answered \(outcome.result)")
            }
        }
        throw .storage("store \(url): migration \(id) kept changing while it was being changed; try again")
    }

    public func migration(id: String) async throws(MigrationStoreError) -> Migration? {
        do {
            return try await withConnection("reading migration \(id)") { connection in
                try await PostgresMigrationRows.load(id: id, on: connection, logger: logger)
            }
        } catch {
            throw .storage(error.description)
        }
    }

    public func migrations() async throws(MigrationStoreError) -> [Migration] {
        do {
            return try await withConnection("reading migrations") { connection in
                try await PostgresMigrationRows.loadAll(on: connection, logger: logger)
            }
        } catch {
            throw .storage(error.description)
        }
    }

    public func auditEntries(since: Date?) async throws(MigrationStoreError) -> [AuditEntry] {
        let since = since.map(PostgresMigrationRows.millis) ?? Int64.min
        do {
            return try await withConnection("reading the audit log") { connection in
                try await connection.rows("SELECT * FROM audit WHERE at >= \(since) ORDER BY sequence", logger: logger)
                    .map(Self.entry)
            }
        } catch {
            throw .storage(error.description)
        }
    }

    public func isLabStore() async throws(MigrationStoreError) -> Bool {
        do {
            return try await withConnection("reading the store's kind") { connection in
                try await connection.rows(
                    "SELECT value FROM store_meta WHERE key = \(Self.labMarker)",
                    logger: logger
                )
                .first?
                .value("value", as: String.self) == "1"
            }
        } catch {
            throw .storage(error.description)
        }
    }

    /// Only the owner may: operators cannot write `store_meta`, so nobody makes a shared store
    /// accept the lab's requests.
    public func markAsLabStore() async throws(MigrationStoreError) {
        do {
            try await withConnection("marking the lab store (only the database owner may)") { connection in
                try await connection.run(
                    """
                    INSERT INTO store_meta (key, value) VALUES (\(Self.labMarker), '1')
                    ON CONFLICT (key) DO UPDATE SET value = '1'
                    """,
                    logger: logger
                )
            }
        } catch {
            throw .storage(error.description)
        }
    }

    // MARK: - Helpers

    private func call(_ query: PostgresQuery, _ operation: String) async throws(HistoryStoreError) -> Outcome {
        let text = try await withConnection(operation) { connection in
            try await connection.rows(query, logger: logger)[0].value("result", as: String.self)
        }
        do {
            return try JSONDecoder().decode(Outcome.self, from: Data(text.utf8))
        } catch {
            throw .operationFailed(operation: operation, path: url, reason: "the database answered \(text)")
        }
    }

    /// The migration, and the policy and approvers as the database has them: `locus_policy` and the
    /// members of `locus_approver`, never the config's (`fallback` only counts before `locus store
    /// init`, and then the database refuses anyway). With `runningAt`, the cutovers of other
    /// migrations running at that time, for a start's `max_running`; the database counts again.
    private func decision(
        on id: String,
        fallback: ApprovalPolicy,
        countingRunningAt runningAt: Date?
    ) async throws(MigrationStoreError) -> Decision {
        do {
            return try await withConnection("reading migration \(id)") { connection in
                let migration = try await PostgresMigrationRows.load(id: id, on: connection, logger: logger)
                let facts = try await connection.rows(
                    """
                    SELECT session_user::text AS login,
                        pg_has_role(session_user, 'locus_approver', 'MEMBER') AS approver,
                        coalesce((SELECT array_agg(m.rolname::text ORDER BY m.rolname COLLATE "C")
                            FROM pg_auth_members a
                            JOIN pg_roles r ON r.oid = a.roleid
                            JOIN pg_roles m ON m.oid = a.member
                            WHERE r.rolname = 'locus_approver'), '{}') AS approvers
                    """,
                    logger: logger
                )[0]
                let login: String = try facts.value("login")
                var approvers: [String] = try facts.value("approvers")
                // A superuser counts as a member of every role without being listed.
                if try facts.value("approver", as: Bool.self), !approvers.contains(login) { approvers.append(login) }
                var policy = ApprovalPolicy(
                    approvers: approvers,
                    fourEyes: fallback.fourEyes,
                    expireAfterSeconds: fallback.expireAfterSeconds
                )
                if let stored = try await connection.rows(
                    "SELECT four_eyes, expire_after_seconds FROM locus_policy",
                    logger: logger
                ).first {
                    policy.fourEyes = try stored.value("four_eyes")
                    policy.expireAfterSeconds = try stored.value("expire_after_seconds")
                }
                // The process, for the runner's lease; the login is the server's word, not ours.
                let actor = MigrationActor(user: login, pid: getpid(), host: ProcessInfo.processInfo.hostName)
                var decision = Decision(migration: migration, actor: actor, policy: policy)
                if let runningAt {
                    decision.othersRunning = try await connection.rows(
                        "SELECT locus_cutovers_running(\(id), \(PostgresMigrationRows.millis(runningAt))) AS running",
                        logger: logger
                    )[0].value("running")
                }
                return decision
            }
        } catch {
            throw .storage(error.description)
        }
    }

    private static func refusal(_ outcome: Outcome) -> MigrationRefusal {
        MigrationRefusal(
            MigrationRefusal.Reason(storedName: outcome.reason ?? "invalid"),
            outcome.message ?? "refused by the database"
        )
    }

    private static func entry(_ row: PostgresRandomAccessRow) throws -> AuditEntry {
        AuditEntry(
            sequence: try row.value("sequence"),
            at: PostgresMigrationRows.date(try row.value("at")),
            origin: AuditOrigin(
                user: try row.value("user"),
                uid: UInt32(truncatingIfNeeded: try row.value("uid", as: Int64.self)),
                host: try row.value("host"),
                tty: try row.value("tty"),
                sshClient: try row.value("ssh_client")
            ),
            action: try row.value("action"),
            object: try row.value("object"),
            before: try row.value("before"),
            after: try row.value("after"),
            outcome: try row.value("outcome"),
            digest: try row.value("digest"),
            detail: try row.value("detail"),
            previousHash: try row.value("previous_hash"),
            hash: try row.value("hash")
        )
    }
}
