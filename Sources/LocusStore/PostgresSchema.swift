/// The tables of a PostgreSQL store, one numbered step per released change, recorded in
/// `locus_schema`. A released step never changes: add the next number instead, so that a store
/// written by an older Locus upgrades in place. The history tables keep `timestamptz`; the migration
/// tables keep milliseconds since 1970 as SQLite does, because the audit hash covers them.
///
/// Functions, grants and the table of moves are not steps: `PostgresInstall` replaces them whole
/// whenever the schema changes or `locus store init` runs.
enum PostgresSchema {
    static let steps: [(version: Int, statements: [String])] = [
        (1, historyTables),
        (2, migrationTables),
        (3, runnerColumns),
        (4, changeNotifications),
        (5, acknowledgementOccurrence),
        (6, historyKeepPolicy),
    ]

    static var latestVersion: Int { steps.last?.version ?? 0 }

    static let versionTable = """
        CREATE TABLE IF NOT EXISTS locus_schema (
            version integer PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now(),
            applied_by text NOT NULL DEFAULT session_user)
        """

    /// v1: what the engine observes (SQLite's v1 and v2).
    static let historyTables = [
        """
        CREATE TABLE mapping (
            workload text PRIMARY KEY,
            site text,
            locators jsonb NOT NULL,
            checked_at timestamptz NOT NULL)
        """,
        "CREATE TABLE address (workload text PRIMARY KEY, address text NOT NULL, previous text)",
        """
        CREATE TABLE event (
            id bigserial PRIMARY KEY,
            time timestamptz NOT NULL,
            kind text NOT NULL,
            subject text NOT NULL,
            detail text NOT NULL,
            from_site text,
            to_site text,
            from_locators jsonb,
            to_locators jsonb)
        """,
        "CREATE INDEX event_on_time ON event (time)",
        "CREATE INDEX event_on_subject_time ON event (subject, time)",
        """
        CREATE TABLE move (
            id bigserial PRIMARY KEY,
            workload text NOT NULL,
            time timestamptz NOT NULL,
            from_site text,
            to_site text,
            from_locators jsonb NOT NULL,
            to_locators jsonb NOT NULL)
        """,
        "CREATE INDEX move_on_workload_time ON move (workload, time)",
        """
        CREATE TABLE alert_history (
            id bigserial PRIMARY KEY,
            alert_id text NOT NULL,
            change text NOT NULL,
            kind text NOT NULL,
            severity text NOT NULL,
            subject text NOT NULL,
            message text NOT NULL,
            first_seen timestamptz NOT NULL,
            at timestamptz NOT NULL)
        """,
        "CREATE INDEX alert_history_on_alert_at ON alert_history (alert_id, at, id)",
        """
        CREATE TABLE acknowledgement (
            id bigserial PRIMARY KEY,
            alert_id text NOT NULL,
            acknowledged_by text NOT NULL,
            acknowledged_at timestamptz NOT NULL)
        """,
        "CREATE INDEX acknowledgement_on_alert ON acknowledgement (alert_id, id)",
    ]

    /// v2: migrations, the approval policy and the audit log (SQLite's v3). Nothing here is ever
    /// pruned: operators get no DELETE, and the audit table refuses UPDATE and DELETE by trigger
    /// even to its owner.
    static let migrationTables = [
        "CREATE TABLE store_meta (key text PRIMARY KEY, value text NOT NULL)",
        """
        CREATE TABLE locus_policy (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            four_eyes boolean NOT NULL,
            expire_after_seconds double precision NOT NULL CHECK (expire_after_seconds > 0),
            approvers text[] NOT NULL,
            written_by text NOT NULL,
            written_at bigint NOT NULL)
        """,
        """
        CREATE TABLE locus_action (
            kind text PRIMARY KEY,
            audit_name text NOT NULL,
            needs_approver boolean NOT NULL,
            from_states text[] NOT NULL,
            to_states text[] NOT NULL)
        """,
        """
        CREATE TABLE locus_state (
            state text PRIMARY KEY,
            is_closed boolean NOT NULL,
            awaits_approval boolean NOT NULL)
        """,
        """
        CREATE TABLE migration (
            id text PRIMARY KEY,
            workload text NOT NULL,
            from_site text NOT NULL,
            to_site text NOT NULL,
            from_address text NOT NULL,
            to_address text NOT NULL,
            dest_host text,
            reason text NOT NULL,
            requested_by text NOT NULL,
            requested_at bigint NOT NULL,
            state text NOT NULL,
            version integer NOT NULL,
            last_user text NOT NULL,
            last_at bigint NOT NULL,
            last_action text NOT NULL,
            outcome text,
            time_to_green double precision,
            preflight_id bigint)
        """,
        "CREATE INDEX migration_on_workload ON migration (workload, state)",
        """
        CREATE TABLE preflight (
            id bigserial PRIMARY KEY,
            migration_id text NOT NULL REFERENCES migration (id),
            digest text NOT NULL,
            at bigint NOT NULL,
            checks jsonb NOT NULL)
        """,
        "CREATE INDEX preflight_on_migration ON preflight (migration_id)",
        "ALTER TABLE migration ADD FOREIGN KEY (preflight_id) REFERENCES preflight (id)",
        """
        CREATE TABLE plan_change (
            preflight_id bigint NOT NULL REFERENCES preflight (id),
            position integer NOT NULL,
            what text NOT NULL,
            target text NOT NULL,
            from_value text NOT NULL,
            to_value text NOT NULL,
            note text,
            PRIMARY KEY (preflight_id, position))
        """,
        """
        CREATE TABLE approval (
            id bigserial PRIMARY KEY,
            migration_id text NOT NULL REFERENCES migration (id),
            "user" text NOT NULL,
            at bigint NOT NULL,
            digest text NOT NULL,
            expires_at bigint NOT NULL,
            void_at bigint)
        """,
        "CREATE INDEX approval_on_migration ON approval (migration_id)",
        """
        CREATE TABLE step (
            migration_id text NOT NULL REFERENCES migration (id),
            position integer NOT NULL,
            name text NOT NULL,
            state text NOT NULL,
            started_at bigint,
            ended_at bigint,
            detail text NOT NULL,
            output text,
            process_group integer,
            PRIMARY KEY (migration_id, position))
        """,
        """
        CREATE TABLE lease (
            migration_id text PRIMARY KEY REFERENCES migration (id),
            holder text NOT NULL,
            pid integer NOT NULL,
            host text NOT NULL,
            expires_at bigint NOT NULL)
        """,
        """
        CREATE TABLE audit (
            sequence bigint PRIMARY KEY,
            at bigint NOT NULL,
            "user" text NOT NULL,
            uid bigint NOT NULL,
            host text NOT NULL,
            tty text,
            ssh_client text,
            action text NOT NULL,
            object text NOT NULL,
            before text,
            after text,
            outcome text NOT NULL,
            digest text,
            detail text NOT NULL,
            previous_hash text NOT NULL,
            hash text NOT NULL)
        """,
        "CREATE INDEX audit_on_at ON audit (at)",
        """
        CREATE FUNCTION locus_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit log is append-only: entries cannot be %',
                CASE TG_OP WHEN 'UPDATE' THEN 'changed' ELSE 'deleted' END
                USING ERRCODE = 'insufficient_privilege';
        END $$
        """,
        """
        CREATE TRIGGER audit_is_append_only BEFORE UPDATE OR DELETE ON audit
            FOR EACH ROW EXECUTE FUNCTION locus_audit_is_append_only()
        """,
        """
        CREATE TRIGGER audit_is_never_truncated BEFORE TRUNCATE ON audit
            FOR EACH STATEMENT EXECUTE FUNCTION locus_audit_is_append_only()
        """,
        // Who acknowledged is the login the server checked, whatever the client wrote.
        """
        CREATE FUNCTION locus_acknowledged_by_session_user() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.acknowledged_by := session_user;
            RETURN NEW;
        END $$
        """,
        """
        CREATE TRIGGER acknowledgement_by_session_user BEFORE INSERT ON acknowledgement
            FOR EACH ROW EXECUTE FUNCTION locus_acknowledged_by_session_user()
        """,
    ]

    /// v3: an approver's request that the runner stop after its step (SQLite's v4), kept on the row
    /// so that a runner reading the migration sees it; `locus_apply` writes it, never a client.
    static let runnerColumns = [
        "ALTER TABLE migration ADD COLUMN abort_requested_by text, ADD COLUMN abort_requested_at bigint"
    ]

    /// The channel every committed change to a migration, its steps or the audit log is announced on.
    static let changeChannel = "locus_migrations"

    /// v4: NOTIFY on `changeChannel` after each statement that changes a migration, a step or the audit
    /// log, so every dashboard on every host sees a decision or a runner's step within a moment
    /// instead of polling. PostgreSQL sends it at commit, once per transaction.
    static let changeNotifications = [
        """
        CREATE FUNCTION locus_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('\(changeChannel)', TG_TABLE_NAME);
            RETURN NULL;
        END $$
        """,
        """
        CREATE TRIGGER migration_changed AFTER INSERT OR UPDATE OR DELETE ON migration
            FOR EACH STATEMENT EXECUTE FUNCTION locus_notify_change()
        """,
        """
        CREATE TRIGGER step_changed AFTER INSERT OR UPDATE OR DELETE ON step
            FOR EACH STATEMENT EXECUTE FUNCTION locus_notify_change()
        """,
        """
        CREATE TRIGGER audit_changed AFTER INSERT ON audit
            FOR EACH STATEMENT EXECUTE FUNCTION locus_notify_change()
        """,
    ]

    /// v5: an acknowledgement covers one occurrence (its alert's first-seen time), for a time or until
    /// the alert clears (SQLite's v5).
    static let acknowledgementOccurrence = [
        "ALTER TABLE acknowledgement ADD COLUMN first_seen timestamptz, ADD COLUMN expires_at timestamptz"
    ]

    /// v6: how long the history is kept, written by `locus store init` from the owner's
    /// `history_keep`; `locus_prune_history` reads it, so no operator's config decides for the others.
    static let historyKeepPolicy = [
        "ALTER TABLE locus_policy ADD COLUMN history_keep_seconds double precision NOT NULL DEFAULT 7776000 "
            + "CHECK (history_keep_seconds >= 3600)"
    ]
}
