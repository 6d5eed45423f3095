import LocusCore
import Logging
import PostgresNIO

/// Brings a database up to the schema this Locus knows: roles, numbered schema steps, then the
/// functions, grants and tables of moves, replaced whole. Only the database owner (or a superuser)
/// does this; everyone else only checks that the schema is one this Locus can use.
enum PostgresInstall {
    static let operatorRole = "locus_operator"
    static let approverRole = "locus_approver"

    /// What a connection finds before touching anything.
    struct Facts {
        var appliedVersions: [Int]
        var sessionUser: String
        var isOwner: Bool

        var currentVersion: Int { appliedVersions.max() ?? 0 }
        var unknownVersions: [Int] { appliedVersions.filter { $0 > PostgresSchema.latestVersion } }
    }

    static func facts(on connection: PostgresConnection, logger: Logger) async throws -> Facts {
        let row = try await connection.rows(
            """
            SELECT session_user::text AS login,
                (r.rolsuper OR d.datdba = r.oid) AS owner,
                to_regclass('locus_schema') IS NOT NULL AS versioned
            FROM pg_roles r, pg_database d
            WHERE r.rolname = session_user AND d.datname = current_database()
            """,
            logger: logger
        )
        guard let row = row.first else { throw PostgresInstallError("the server does not know this login's role") }
        var versions: [Int] = []
        if try row.value("versioned", as: Bool.self) {
            for version in try await connection.rows(
                "SELECT version FROM locus_schema ORDER BY version",
                logger: logger
            ) {
                versions.append(try version.value("version", as: Int.self))
            }
        }
        return Facts(
            appliedVersions: versions,
            sessionUser: try row.value("login"),
            isOwner: try row.value("owner")
        )
    }

    /// Refuses a schema written by a newer Locus (touching nothing), upgrades an older one when this
    /// login owns the database, and otherwise says who must run `locus store init`.
    static func checkSchema(on connection: PostgresConnection, url: String, logger: Logger) async throws {
        let facts = try await facts(on: connection, logger: logger)
        guard facts.unknownVersions.isEmpty else {
            throw HistoryStoreError.newerSchema(path: url, unknownMigrations: facts.unknownVersions.map { "v\($0)" })
        }
        guard facts.currentVersion < PostgresSchema.latestVersion else { return }
        guard facts.isOwner else {
            let state =
                facts.appliedVersions.isEmpty
                ? "the database has no Locus schema yet"
                : "the schema is at version \(facts.currentVersion), this Locus needs \(PostgresSchema.latestVersion)"
            throw HistoryStoreError.notInitialized(
                location: url,
                reason:
                    "\(state): the database owner must run `locus store init` (\(facts.sessionUser) does not own it)"
            )
        }
        _ = try await upgrade(on: connection, logger: logger)
    }

    /// Roles, schema steps up to `target`, then functions and grants; one line per thing it did.
    /// One transaction, under an advisory lock, so two owners starting at once do it once.
    static func upgrade(
        on connection: PostgresConnection,
        upTo target: Int = PostgresSchema.latestVersion,
        logger: Logger
    ) async throws -> [String] {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.run("SELECT pg_advisory_xact_lock(hashtext('locus.schema'))", logger: logger)
            var lines = try await ensureRoles(on: connection, logger: logger)
            try await connection.run(PostgresQuery(unsafeSQL: PostgresSchema.versionTable), logger: logger)
            let before = try await facts(on: connection, logger: logger)
            if !before.unknownVersions.isEmpty {
                throw PostgresInstallError(
                    "the schema was written by a newer Locus (v\(before.unknownVersions.map(String.init).joined(separator: ", v"))); nothing was changed"
                )
            }
            for step in PostgresSchema.steps where step.version > before.currentVersion && step.version <= target {
                for statement in step.statements {
                    try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.run("INSERT INTO locus_schema (version) VALUES (\(step.version))", logger: logger)
            }
            let now = max(before.currentVersion, target)
            lines.append(
                before.currentVersion == now
                    ? "schema at version \(now)"
                    : before.currentVersion == 0
                        ? "schema created at version \(now)"
                        : "schema upgraded from version \(before.currentVersion) to \(now)"
            )
            if now >= 2 {
                lines += try await installFunctions(on: connection, logger: logger)
            }
            return lines
        }
    }

    /// The group roles are cluster-wide; a second Locus database on the server shares them.
    private static func ensureRoles(on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        var lines: [String] = []
        let existing = try await connection.rows(
            "SELECT rolname::text AS name FROM pg_roles WHERE rolname IN ('locus_operator', 'locus_approver')",
            logger: logger
        )
        .map { try $0.value("name", as: String.self) }
        if !existing.contains(operatorRole) {
            try await connection.run("CREATE ROLE locus_operator NOLOGIN", logger: logger)
            lines.append("created role locus_operator (may read, request and record preflights)")
        }
        if !existing.contains(approverRole) {
            try await connection.run("CREATE ROLE locus_approver NOLOGIN", logger: logger)
            lines.append("created role locus_approver (a locus_operator that may also decide)")
        }
        try await connection.run("GRANT locus_operator TO locus_approver", logger: logger)
        return lines
    }

    /// Functions, the tables of moves and states from LocusCore, and grants: replaced whole, so an
    /// owner running a newer Locus installs its rules.
    static func installFunctions(on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        for statement in PostgresFunctions.helpers + PostgresFunctions.leaseHelpers + [
            PostgresFunctions.request, PostgresFunctions.apply, PostgresFunctions.pruneHistory,
        ] {
            try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
        try await connection.run("DELETE FROM locus_action", logger: logger)
        for kind in MigrationAction.Kind.allCases {
            let moves = kind.moves
            try await connection.run(
                """
                INSERT INTO locus_action (kind, audit_name, needs_approver, from_states, to_states)
                VALUES (\(kind.rawValue), \(kind.auditName), \(kind.needsApprover),
                    \(moves.from.map(\.rawValue).sorted()), \(moves.to.map(\.rawValue).sorted()))
                """,
                logger: logger
            )
        }
        try await connection.run("DELETE FROM locus_state", logger: logger)
        for state in MigrationState.allCases {
            try await connection.run(
                "INSERT INTO locus_state VALUES (\(state.rawValue), \(state.isClosed), \(state.awaitsApproval))",
                logger: logger
            )
        }
        for statement in grants {
            try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
        return [
            "functions locus_request and locus_apply installed (SECURITY DEFINER, search_path pinned, acting as "
                + "session_user)",
            "the table of moves holds \(MigrationAction.Kind.allCases.count) actions from this Locus",
            "locus_operator may read, request and record preflights; only locus_approver members may decide",
            "the audit table: operators may only read it; a trigger refuses UPDATE and DELETE to everyone",
        ]
    }

    static let historyTables = ["mapping", "address", "event", "move", "alert_history", "acknowledgement"]
    static let recordTables = [
        "locus_schema", "store_meta", "locus_policy", "locus_action", "locus_state", "migration", "preflight",
        "plan_change", "approval", "step", "lease", "audit",
    ]

    static var grants: [String] {
        let all = (historyTables + recordTables).joined(separator: ", ")
        let functions = PostgresFunctions.signatures.joined(separator: ", ")
        return [
            // Nobody but the owner may add objects a SECURITY DEFINER function could pick up.
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            "GRANT USAGE ON SCHEMA public TO locus_operator",
            "REVOKE ALL ON \(all) FROM PUBLIC, locus_operator, locus_approver",
            "GRANT SELECT ON \(all) TO locus_operator",
            "GRANT INSERT, UPDATE ON mapping, address TO locus_operator",
            "GRANT INSERT ON event, move, alert_history, acknowledgement TO locus_operator",
            "GRANT USAGE ON SEQUENCE event_id_seq, move_id_seq, alert_history_id_seq, acknowledgement_id_seq "
                + "TO locus_operator",
            "REVOKE ALL ON FUNCTION \(functions) FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION \(PostgresFunctions.requestSignature), \(PostgresFunctions.applySignature) "
                + "TO locus_operator",
            // A read of what operators may SELECT anyway: the count a runner's own `applying` needs.
            "GRANT EXECUTE ON FUNCTION \(PostgresFunctions.cutoversRunningSignature) TO locus_operator",
            // Takes nothing from the caller: it prunes by the owner's history_keep.
            "GRANT EXECUTE ON FUNCTION \(PostgresFunctions.pruneHistorySignature) TO locus_operator",
        ]
    }
}

/// A problem of the schema itself, in words for the database owner.
struct PostgresInstallError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension MigrationAction.Kind {
    /// The audit name every action of this kind is recorded under (`MigrationAction.auditName`).
    var auditName: String { sample.auditName }

    private static let sampleLease = MigrationLease(holder: "", pid: 0, host: "", expiresAt: .distantPast)

    /// An action of this kind, for what depends on the kind alone.
    private var sample: MigrationAction {
        switch self {
        case .recordPreflight:
            .recordPreflight(PreflightResult(digest: "", checks: [], plan: [], at: .distantPast))
        case .approve: .approve(digest: "")
        case .reject: .reject(reason: "")
        case .cancel: .cancel(reason: "")
        case .expire: .expire
        case .voidApprovals: .voidApprovals(reason: "")
        case .claim: .claim(lease: Self.sampleLease)
        case .start: .start(lease: Self.sampleLease)
        case .renewLease: .renewLease(Self.sampleLease)
        case .journal: .journal(MigrationStep(name: ""))
        case .abort: .abort(reason: "")
        case .verify: .verify
        case .complete: .complete(timeToGreen: nil)
        case .fail: .fail(reason: "")
        case .interrupt: .interrupt(reason: "")
        case .resume: .resume(lease: Self.sampleLease)
        case .rollback: .rollback(lease: Self.sampleLease)
        case .finishRollback: .finishRollback
        case .failRollback: .failRollback(reason: "")
        }
    }
}
