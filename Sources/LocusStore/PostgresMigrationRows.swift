import Foundation
import LocusCore
import Logging
import PostgresNIO

/// Reads migrations with their preflight, plan, approvals, steps and lease; writes happen only in
/// the database's functions.
enum PostgresMigrationRows {
    static func millis(_ date: Date) -> Int64 { SQLiteMigrationRows.millis(date) }
    static func date(_ millis: Int64) -> Date { SQLiteMigrationRows.date(millis) }

    static func load(id: String, on connection: PostgresConnection, logger: Logger) async throws -> Migration? {
        let rows = try await connection.rows("SELECT * FROM migration WHERE id = \(id)", logger: logger)
        guard let row = rows.first else { return nil }
        return try await migration(from: row, on: connection, logger: logger)
    }

    static func loadAll(on connection: PostgresConnection, logger: Logger) async throws -> [Migration] {
        var migrations: [Migration] = []
        for row in try await connection.rows("SELECT * FROM migration ORDER BY requested_at DESC, id", logger: logger) {
            migrations.append(try await migration(from: row, on: connection, logger: logger))
        }
        return migrations
    }

    private static func migration(
        from row: PostgresRandomAccessRow,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Migration {
        let id: String = try row.value("id")
        let stateText: String = try row.value("state")
        guard let state = MigrationState(rawValue: stateText) else {
            throw HistoryStoreError.invalidRow(table: "migration", detail: "\(id): unknown state \(stateText)")
        }
        var migration = Migration(
            id: id,
            workload: try row.value("workload"),
            fromSite: try row.value("from_site"),
            toSite: try row.value("to_site"),
            fromAddress: try row.value("from_address"),
            toAddress: try row.value("to_address"),
            destinationHost: try row.value("dest_host"),
            reason: try row.value("reason"),
            requestedBy: try row.value("requested_by"),
            requestedAt: date(try row.value("requested_at"))
        )
        migration.state = state
        migration.version = try row.value("version")
        migration.lastChange = StateChange(
            user: try row.value("last_user"),
            at: date(try row.value("last_at")),
            action: try row.value("last_action")
        )
        migration.outcome = try row.value("outcome")
        migration.timeToGreen = try row.value("time_to_green")
        if let user: String = try row.value("abort_requested_by"), let at: Int64 = try row.value("abort_requested_at") {
            migration.abortRequested = StateChange(user: user, at: date(at), action: "abort")
        }
        if let preflightID: Int64 = try row.value("preflight_id") {
            migration.preflight = try await preflight(id: preflightID, on: connection, logger: logger)
        }
        migration.approvals = try await connection.rows(
            "SELECT * FROM approval WHERE migration_id = \(id) AND void_at IS NULL ORDER BY id",
            logger: logger
        )
        .map { approval in
            Approval(
                user: try approval.value("user"),
                at: date(try approval.value("at")),
                digest: try approval.value("digest"),
                expiresAt: date(try approval.value("expires_at"))
            )
        }
        migration.steps = try await connection.rows(
            "SELECT * FROM step WHERE migration_id = \(id) ORDER BY position",
            logger: logger
        )
        .map { step in
            MigrationStep(
                name: try step.value("name"),
                state: StepState(rawValue: try step.value("state")) ?? .failed,
                startedAt: (try step.value("started_at", as: Int64?.self)).map(date),
                endedAt: (try step.value("ended_at", as: Int64?.self)).map(date),
                detail: try step.value("detail"),
                output: try step.value("output"),
                processGroup: (try step.value("process_group", as: Int?.self)).map { Int32(truncatingIfNeeded: $0) }
            )
        }
        if let lease = try await connection.rows("SELECT * FROM lease WHERE migration_id = \(id)", logger: logger).first
        {
            migration.lease = MigrationLease(
                holder: try lease.value("holder"),
                pid: Int32(truncatingIfNeeded: try lease.value("pid", as: Int.self)),
                host: try lease.value("host"),
                expiresAt: date(try lease.value("expires_at"))
            )
        }
        return migration
    }

    private static func preflight(
        id: Int64,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> PreflightResult? {
        guard
            let row = try await connection.rows(
                "SELECT digest, at, checks::text AS checks FROM preflight WHERE id = \(id)",
                logger: logger
            ).first
        else { return nil }
        let checksText: String = try row.value("checks")
        let checks: [PreflightCheck]
        do {
            checks = try JSONDecoder().decode([PreflightCheck].self, from: Data(checksText.utf8))
        } catch {
            throw HistoryStoreError.invalidRow(table: "preflight", detail: "\(id): checks are not readable: \(error)")
        }
        let plan = try await connection.rows(
            "SELECT * FROM plan_change WHERE preflight_id = \(id) ORDER BY position",
            logger: logger
        )
        .map { change in
            PlanChange(
                what: try change.value("what"),
                target: try change.value("target"),
                from: try change.value("from_value"),
                to: try change.value("to_value"),
                note: try change.value("note")
            )
        }
        return PreflightResult(
            digest: try row.value("digest"),
            checks: checks,
            plan: plan,
            at: date(try row.value("at"))
        )
    }
}
