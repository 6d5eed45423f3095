import Foundation
import GRDB
import LocusCore

/// Reads and writes one migration with its preflight, plan, approvals, steps and lease, inside a
/// transaction the caller holds.
enum SQLiteMigrationRows {
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    static func load(id: String, in db: Database) throws -> Migration? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM migration WHERE id = ?", arguments: [id]) else {
            return nil
        }
        return try migration(from: row, in: db)
    }

    static func loadAll(in db: Database) throws -> [Migration] {
        try Row.fetchAll(db, sql: "SELECT * FROM migration ORDER BY requested_at DESC, id").map {
            try migration(from: $0, in: db)
        }
    }

    /// The open migration of `workload`, if any.
    static func openMigration(of workload: String, in db: Database) throws -> Migration? {
        let closed = MigrationState.allCases.filter(\.isClosed).map(\.rawValue)
        let marks = closed.map { _ in "?" }.joined(separator: ", ")
        var arguments: [any DatabaseValueConvertible] = [workload]
        arguments += closed
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT * FROM migration WHERE workload = ? AND state NOT IN (\(marks)) LIMIT 1",
                arguments: StatementArguments(arguments)
            )
        else { return nil }
        return try migration(from: row, in: db)
    }

    private static func migration(from row: Row, in db: Database) throws -> Migration {
        let id: String = row["id"]
        guard let state = MigrationState(rawValue: row["state"]) else {
            throw HistoryStoreError.invalidRow(
                table: "migration",
                detail: "\(id): unknown state \(row["state"] as String)"
            )
        }
        var migration = Migration(
            id: id,
            workload: row["workload"],
            fromSite: row["from_site"],
            toSite: row["to_site"],
            fromAddress: row["from_address"],
            toAddress: row["to_address"],
            destinationHost: row["dest_host"],
            reason: row["reason"],
            requestedBy: row["requested_by"],
            requestedAt: date(row["requested_at"])
        )
        migration.state = state
        migration.version = row["version"]
        migration.lastChange = StateChange(user: row["last_user"], at: date(row["last_at"]), action: row["last_action"])
        migration.outcome = row["outcome"]
        migration.timeToGreen = row["time_to_green"]
        if let user: String = row["abort_requested_by"], let at: Int64 = row["abort_requested_at"] {
            migration.abortRequested = StateChange(user: user, at: date(at), action: "abort")
        }
        if let preflightID: Int64 = row["preflight_id"] {
            migration.preflight = try preflight(id: preflightID, in: db)
        }
        migration.approvals = try Row.fetchAll(
            db,
            sql: "SELECT * FROM approval WHERE migration_id = ? AND void_at IS NULL ORDER BY id",
            arguments: [id]
        )
        .map { Approval(user: $0["user"], at: date($0["at"]), digest: $0["digest"], expiresAt: date($0["expires_at"])) }
        migration.steps = try Row.fetchAll(
            db,
            sql: "SELECT * FROM step WHERE migration_id = ? ORDER BY position",
            arguments: [id]
        )
        .map { row in
            MigrationStep(
                name: row["name"],
                state: StepState(rawValue: row["state"]) ?? .failed,
                startedAt: (row["started_at"] as Int64?).map(date),
                endedAt: (row["ended_at"] as Int64?).map(date),
                detail: row["detail"],
                output: row["output"],
                processGroup: (row["process_group"] as Int64?).map { Int32(truncatingIfNeeded: $0) }
            )
        }
        if let lease = try Row.fetchOne(db, sql: "SELECT * FROM lease WHERE migration_id = ?", arguments: [id]) {
            migration.lease = MigrationLease(
                holder: lease["holder"],
                pid: Int32(truncatingIfNeeded: lease["pid"] as Int64),
                host: lease["host"],
                expiresAt: date(lease["expires_at"])
            )
        }
        return migration
    }

    private static func preflight(id: Int64, in db: Database) throws -> PreflightResult? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM preflight WHERE id = ?", arguments: [id]) else {
            return nil
        }
        let checksText: String = row["checks"]
        let checks: [PreflightCheck]
        do {
            checks = try JSONDecoder().decode([PreflightCheck].self, from: Data(checksText.utf8))
        } catch {
            throw HistoryStoreError.invalidRow(table: "preflight", detail: "\(id): checks are not readable: \(error)")
        }
        let plan = try Row.fetchAll(
            db,
            sql: "SELECT * FROM plan_change WHERE preflight_id = ? ORDER BY position",
            arguments: [id]
        )
        .map {
            PlanChange(
                what: $0["what"],
                target: $0["target"],
                from: $0["from_value"],
                to: $0["to_value"],
                note: $0["note"]
            )
        }
        return PreflightResult(digest: row["digest"], checks: checks, plan: plan, at: date(row["at"]))
    }

    /// Writes `migration` over what `stored` was (nil for a new one): the changed parts only; an
    /// approval no longer counted is marked void, never deleted.
    static func save(_ migration: Migration, over stored: Migration?, at time: Date, in db: Database) throws {
        var preflightID: Int64? = try Int64.fetchOne(
            db,
            sql: "SELECT preflight_id FROM migration WHERE id = ?",
            arguments: [migration.id]
        )
        if let preflight = migration.preflight, preflight != stored?.preflight {
            preflightID = try insert(preflight, of: migration.id, in: db)
        }
        let values: [any DatabaseValueConvertible & Sendable] = [
            migration.id, migration.workload, migration.fromSite, migration.toSite, migration.fromAddress,
            migration.toAddress, migration.destinationHost ?? DatabaseValue.null, migration.reason,
            migration.requestedBy, millis(migration.requestedAt), migration.state.rawValue, migration.version,
            migration.lastChange.user, millis(migration.lastChange.at), migration.lastChange.action,
            migration.outcome ?? DatabaseValue.null, migration.timeToGreen ?? DatabaseValue.null,
            preflightID ?? DatabaseValue.null, migration.abortRequested?.user ?? DatabaseValue.null,
            migration.abortRequested.map { millis($0.at) } ?? DatabaseValue.null,
        ]
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO migration (id, workload, from_site, to_site, from_address, to_address,
                    dest_host, reason, requested_by, requested_at, state, version, last_user, last_at, last_action,
                    outcome, time_to_green, preflight_id, abort_requested_by, abort_requested_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: StatementArguments(values)
        )
        try saveApprovals(migration, over: stored, at: time, in: db)
        try saveSteps(migration, in: db)
        try saveLease(migration, in: db)
    }

    private static func insert(_ preflight: PreflightResult, of id: String, in db: Database) throws -> Int64 {
        let checks = String(decoding: try JSONEncoder().encode(preflight.checks), as: UTF8.self)
        try db.execute(
            sql: "INSERT INTO preflight (migration_id, digest, at, checks) VALUES (?, ?, ?, ?)",
            arguments: [id, preflight.digest, millis(preflight.at), checks]
        )
        let preflightID = db.lastInsertedRowID
        for (position, change) in preflight.plan.enumerated() {
            try db.execute(
                sql: """
                    INSERT INTO plan_change (preflight_id, position, what, target, from_value, to_value, note)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [preflightID, position, change.what, change.target, change.from, change.to, change.note]
            )
        }
        return preflightID
    }

    private static func saveApprovals(
        _ migration: Migration,
        over stored: Migration?,
        at time: Date,
        in db: Database
    ) throws {
        let before = stored?.approvals ?? []
        for approval in before where !migration.approvals.contains(approval) {
            try db.execute(
                sql: """
                    UPDATE approval SET void_at = ?
                    WHERE migration_id = ? AND user = ? AND at = ? AND digest = ? AND void_at IS NULL
                    """,
                arguments: [millis(time), migration.id, approval.user, millis(approval.at), approval.digest]
            )
        }
        for approval in migration.approvals where !before.contains(approval) {
            try db.execute(
                sql: "INSERT INTO approval (migration_id, user, at, digest, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    migration.id, approval.user, millis(approval.at), approval.digest, millis(approval.expiresAt),
                ]
            )
        }
    }

    private static func saveSteps(_ migration: Migration, in db: Database) throws {
        try db.execute(
            sql: "DELETE FROM step WHERE migration_id = ? AND position >= ?",
            arguments: [migration.id, migration.steps.count]
        )
        for (position, step) in migration.steps.enumerated() {
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO step (migration_id, position, name, state, started_at, ended_at, detail,
                        output, process_group)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    migration.id, position, step.name, step.state.rawValue, step.startedAt.map(millis),
                    step.endedAt.map(millis), step.detail, step.output, step.processGroup.map { Int64($0) },
                ]
            )
        }
    }

    private static func saveLease(_ migration: Migration, in db: Database) throws {
        guard let lease = migration.lease else {
            try db.execute(sql: "DELETE FROM lease WHERE migration_id = ?", arguments: [migration.id])
            return
        }
        try db.execute(
            sql: "INSERT OR REPLACE INTO lease (migration_id, holder, pid, host, expires_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [migration.id, lease.holder, Int64(lease.pid), lease.host, millis(lease.expiresAt)]
        )
    }
}
