import GRDB

extension SQLiteHistoryStore {
    /// v3: migrations and the audit log. Nothing here is ever pruned; the audit table refuses UPDATE and
    /// DELETE by trigger (which keeps honest processes honest: anyone who can write the file can drop
    /// the triggers, which is what the hash chain is for).
    static func registerMigrationTables(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3") { db in
            try db.execute(
                sql: """
                    CREATE TABLE store_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                    CREATE TABLE migration (
                        id TEXT PRIMARY KEY NOT NULL,
                        workload TEXT NOT NULL,
                        from_site TEXT NOT NULL,
                        to_site TEXT NOT NULL,
                        from_address TEXT NOT NULL,
                        to_address TEXT NOT NULL,
                        dest_host TEXT,
                        reason TEXT NOT NULL,
                        requested_by TEXT NOT NULL,
                        requested_at INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        last_user TEXT NOT NULL,
                        last_at INTEGER NOT NULL,
                        last_action TEXT NOT NULL,
                        outcome TEXT,
                        time_to_green REAL,
                        preflight_id INTEGER REFERENCES preflight(id));
                    CREATE INDEX migration_on_workload ON migration(workload, state);
                    CREATE TABLE preflight (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        migration_id TEXT NOT NULL REFERENCES migration(id),
                        digest TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        checks TEXT NOT NULL);
                    CREATE INDEX preflight_on_migration ON preflight(migration_id);
                    CREATE TABLE plan_change (
                        preflight_id INTEGER NOT NULL REFERENCES preflight(id),
                        position INTEGER NOT NULL,
                        what TEXT NOT NULL,
                        target TEXT NOT NULL,
                        from_value TEXT NOT NULL,
                        to_value TEXT NOT NULL,
                        note TEXT,
                        PRIMARY KEY (preflight_id, position));
                    CREATE TABLE approval (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        migration_id TEXT NOT NULL REFERENCES migration(id),
                        user TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        digest TEXT NOT NULL,
                        expires_at INTEGER NOT NULL,
                        void_at INTEGER);
                    CREATE INDEX approval_on_migration ON approval(migration_id);
                    CREATE TABLE step (
                        migration_id TEXT NOT NULL REFERENCES migration(id),
                        position INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        state TEXT NOT NULL,
                        started_at INTEGER,
                        ended_at INTEGER,
                        detail TEXT NOT NULL,
                        output TEXT,
                        process_group INTEGER,
                        PRIMARY KEY (migration_id, position));
                    CREATE TABLE lease (
                        migration_id TEXT PRIMARY KEY NOT NULL REFERENCES migration(id),
                        holder TEXT NOT NULL,
                        pid INTEGER NOT NULL,
                        host TEXT NOT NULL,
                        expires_at INTEGER NOT NULL);
                    CREATE TABLE audit (
                        sequence INTEGER PRIMARY KEY,
                        at INTEGER NOT NULL,
                        user TEXT NOT NULL,
                        uid INTEGER NOT NULL,
                        host TEXT NOT NULL,
                        tty TEXT,
                        ssh_client TEXT,
                        action TEXT NOT NULL,
                        object TEXT NOT NULL,
                        before TEXT,
                        after TEXT,
                        outcome TEXT NOT NULL,
                        digest TEXT,
                        detail TEXT NOT NULL,
                        previous_hash TEXT NOT NULL,
                        hash TEXT NOT NULL);
                    CREATE INDEX audit_on_at ON audit(at);
                    CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed'); END;
                    CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted'); END;
                    """
            )
        }
        // v4: who asked a running cutover to stop after its current step.
        migrator.registerMigration("v4") { db in
            try db.execute(
                sql: """
                    ALTER TABLE migration ADD COLUMN abort_requested_by TEXT;
                    ALTER TABLE migration ADD COLUMN abort_requested_at INTEGER;
                    """
            )
        }
    }
}
