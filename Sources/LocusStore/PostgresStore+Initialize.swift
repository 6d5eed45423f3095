import LocusCore
import PostgresNIO

extension PostgresStore {
    /// `locus store init`, by the database owner: schema, roles, functions and grants; then the
    /// policy the functions read and the members of `locus_approver`, made to match `approvals`
    /// exactly. Nothing a client sends later can widen them: the functions read only this.
    public func initialize(
        approvals: ApprovalsConfig,
        historyKeep: Duration
    ) async throws(MigrationStoreError) -> [String] {
        let client: PostgresClient
        do {
            client = try running()
        } catch {
            throw .storage(error.description)
        }
        let expansion = ApproverLogins.expand(approvals.approvers)
        do {
            return try await client.withConnection { connection in
                let facts = try await PostgresInstall.facts(on: connection, logger: logger)
                guard facts.unknownVersions.isEmpty else {
                    throw HistoryStoreError.newerSchema(
                        path: url,
                        unknownMigrations: facts.unknownVersions.map { "v\($0)" }
                    )
                }
                guard facts.isOwner else {
                    throw HistoryStoreError.notInitialized(
                        location: url,
                        reason: "only the database owner may run `locus store init`; \(facts.sessionUser) does not own "
                            + "it: run it as the owner (or a superuser)"
                    )
                }
                var lines = try await PostgresInstall.upgrade(on: connection, logger: logger)
                lines += try await connection.withTransaction(logger: logger) { connection in
                    try await Self.writePolicy(approvals, historyKeep: historyKeep, on: connection, logger: logger)
                        + Self.matchApprovers(expansion, on: connection, logger: logger)
                }
                return lines + expansion.notes
            }
        } catch {
            throw .storage(historyFailure("initializing the store", error).description)
        }
    }

    private static func writePolicy(
        _ approvals: ApprovalsConfig,
        historyKeep: Duration,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [String] {
        let policy = ApprovalPolicy(approvals)
        let keepSeconds = max(historyKeep, LocusConfig.minimumHistoryKeep).seconds
        try await connection.run(
            """
            INSERT INTO locus_policy (singleton, four_eyes, expire_after_seconds, approvers, written_by, written_at,
                history_keep_seconds)
            VALUES (true, \(policy.fourEyes), \(policy.expireAfterSeconds), \(approvals.approvers), session_user,
                locus_now_ms(), \(keepSeconds))
            ON CONFLICT (singleton) DO UPDATE SET four_eyes = EXCLUDED.four_eyes,
                expire_after_seconds = EXCLUDED.expire_after_seconds, approvers = EXCLUDED.approvers,
                written_by = EXCLUDED.written_by, written_at = EXCLUDED.written_at,
                history_keep_seconds = EXCLUDED.history_keep_seconds
            """,
            logger: logger
        )
        let expiry = try await connection.rows(
            "SELECT locus_hours(\(policy.expireAfterSeconds)) AS text",
            logger: logger
        )[0].value("text", as: String.self)
        return [
            "policy written: four_eyes \(policy.fourEyes ? "on" : "off"), expire_after \(expiry), history_keep "
                + "\(historyKeep.configText); the functions read it from locus_policy, never from a client"
        ]
    }

    /// Grants `locus_approver` to exactly `expansion.logins`, creating missing login roles, and
    /// revokes it from every other member.
    private static func matchApprovers(
        _ expansion: ApproverLogins.Expansion,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [String] {
        let wanted = expansion.logins
        let existing = Set(
            try await connection.rows(
                "SELECT rolname::text AS name FROM pg_roles WHERE rolname = ANY(\(wanted))",
                logger: logger
            )
            .map { try $0.value("name", as: String.self) }
        )
        let members = Set(
            try await connection.rows(
                """
                SELECT m.rolname::text AS name FROM pg_auth_members a
                JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
                WHERE r.rolname = 'locus_approver'
                """,
                logger: logger
            )
            .map { try $0.value("name", as: String.self) }
        )
        var lines: [String] = []
        for login in wanted where !existing.contains(login) {
            try await connection.run(PostgresQuery(unsafeSQL: "CREATE ROLE \(identifier(login)) LOGIN"), logger: logger)
            lines.append("created login role \(login)")
        }
        for login in wanted where !members.contains(login) {
            try await connection.run(
                PostgresQuery(unsafeSQL: "GRANT locus_approver TO \(identifier(login))"),
                logger: logger
            )
            lines.append("granted locus_approver to \(login)")
        }
        for member in members.sorted() where !wanted.contains(member) {
            try await connection.run(
                PostgresQuery(unsafeSQL: "REVOKE locus_approver FROM \(identifier(member))"),
                logger: logger
            )
            lines.append("revoked locus_approver from \(member)")
        }
        if lines.isEmpty {
            lines.append(
                wanted.isEmpty
                    ? "locus_approver has no members: nobody may approve"
                    : "locus_approver unchanged: "
                        + wanted.joined(separator: ", ")
            )
        }
        lines.append(
            "operators who only request need `GRANT locus_operator TO LOGIN` (approvers have it through "
                + "locus_approver)"
        )
        return lines
    }

    /// A role name quoted as an SQL identifier, whatever it holds.
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
