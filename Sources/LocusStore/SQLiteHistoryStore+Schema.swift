import GRDB

extension SQLiteHistoryStore {
    /// The schema, one named migration per released change. A released migration never changes:
    /// add `v2`, `v3`… instead, so that stores written by older versions upgrade in place.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1") { db in
            try db.create(table: MappingRecord.databaseTableName) { t in
                t.primaryKey("workload", .text)
                t.column("site", .text)
                t.column("locators", .text).notNull()
                t.column("checked_at", .datetime).notNull()
            }
            try db.create(table: EventRecord.databaseTableName) { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("time", .datetime).notNull().indexed()
                t.column("kind", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("detail", .text).notNull()
                t.column("from_site", .text)
                t.column("to_site", .text)
                t.column("from_locators", .text)
                t.column("to_locators", .text)
            }
            try db.create(
                index: "event_on_subject_time",
                on: EventRecord.databaseTableName,
                columns: ["subject", "time"]
            )
            try db.create(table: MoveRecord.databaseTableName) { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("workload", .text).notNull()
                t.column("time", .datetime).notNull()
                t.column("from_site", .text)
                t.column("to_site", .text)
                t.column("from_locators", .text).notNull()
                t.column("to_locators", .text).notNull()
            }
            try db.create(
                index: "move_on_workload_time",
                on: MoveRecord.databaseTableName,
                columns: ["workload", "time"]
            )
            try db.create(table: AlertHistoryRecord.databaseTableName) { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("alert_id", .text).notNull()
                t.column("change", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("severity", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("message", .text).notNull()
                t.column("first_seen", .datetime).notNull()
                t.column("at", .datetime).notNull()
            }
            try db.create(
                index: "alert_history_on_alert_at",
                on: AlertHistoryRecord.databaseTableName,
                columns: ["alert_id", "at"]
            )
            try db.create(table: AcknowledgementRecord.databaseTableName) { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("alert_id", .text).notNull().indexed()
                t.column("acknowledged_by", .text).notNull()
                t.column("acknowledged_at", .datetime).notNull()
            }
        }

        migrator.registerMigration("v2") { db in
            try db.create(table: AddressRecord.databaseTableName) { t in
                t.primaryKey("workload", .text)
                t.column("address", .text).notNull()
                t.column("previous", .text)
            }
        }

        registerMigrationTables(in: &migrator)

        // An acknowledgement covers one occurrence (its alert's first-seen time), for a time or
        // until the alert clears.
        migrator.registerMigration("v5") { db in
            try db.alter(table: AcknowledgementRecord.databaseTableName) { t in
                t.add(column: "first_seen", .datetime)
                t.add(column: "expires_at", .datetime)
            }
        }

        // Later migrations are appended here, never edited once released.

        return migrator
    }
}

extension SQLiteHistoryStore {
    /// Identifiers of the migrations applied to the file, oldest first.
    func appliedMigrations() async throws -> [String] {
        try await pool.read { db in try Self.migrator.appliedMigrations(db) }
    }

    /// Names of the tables in the file, sorted.
    func tableNames() async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
    }

    /// SQLite's plan for a query, one step a line (`EXPLAIN QUERY PLAN`).
    func queryPlan(_ sql: String) async throws -> [String] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
        }
    }

    /// The journal mode SQLite reports (`wal`).
    func journalMode() async throws -> String {
        try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
