/// The PL/pgSQL the database enforces the rules with: helpers, the audit chain, and `locus_request`.
/// `locus_apply` is in `PostgresFunctions+Apply.swift`.
///
/// The two entry points are SECURITY DEFINER with `search_path` pinned: they run as the owner (who
/// alone may write the migration tables) but act as `session_user`, the login the server checked.
/// Helpers are not executable by operators, so nobody can append to the audit log except through them.
enum PostgresFunctions {
    /// Every function `PostgresInstall` replaces, with the signature GRANT and REVOKE need.
    static let signatures = [
        "locus_now_ms()", "locus_rfc3339(bigint)", "locus_hours(double precision)", "locus_escape(text)",
        "locus_sha256(text)", "locus_past_tense(text)", "locus_approver_list()",
        "locus_preflight_digest(jsonb)",
        "locus_void_reason(text, text, bigint, integer, double precision)",
        "locus_append_audit(jsonb, text, text, text, text, text, text, text, bigint)",
        leaseRefusalSignature, cutoversRunningSignature, requestSignature, applySignature, pruneHistorySignature,
    ]
    static let requestSignature = "locus_request(jsonb, jsonb)"

    static let helpers = [
        #"""
        CREATE OR REPLACE FUNCTION locus_now_ms() RETURNS bigint LANGUAGE sql VOLATILE
        SET search_path = pg_catalog, pg_temp AS $$
            SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint
        $$
        """#,
        // RFC3339.string(from:): whole seconds, UTC.
        #"""
        CREATE OR REPLACE FUNCTION locus_rfc3339(ms bigint) RETURNS text LANGUAGE sql IMMUTABLE
        SET search_path = pg_catalog, pg_temp AS $$
            SELECT to_char(to_timestamp(floor(ms / 1000.0)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
        $$
        """#,
        // Migration.hours(_:).
        #"""
        CREATE OR REPLACE FUNCTION locus_hours(seconds double precision) RETURNS text LANGUAGE sql IMMUTABLE
        SET search_path = pg_catalog, pg_temp AS $$
            SELECT CASE
                WHEN trunc(seconds)::bigint % 3600 = 0 THEN (trunc(seconds)::bigint / 3600)::text || 'h'
                WHEN trunc(seconds)::bigint % 60 = 0 THEN (trunc(seconds)::bigint / 60)::text || 'm'
                ELSE trunc(seconds)::bigint::text || 's' END
        $$
        """#,
        // The escaping of AuditEntry.canonicalText and PreflightResult.canonicalText.
        #"""
        CREATE OR REPLACE FUNCTION locus_escape(t text) RETURNS text LANGUAGE sql IMMUTABLE
        SET search_path = pg_catalog, pg_temp AS $$
            SELECT replace(replace(replace(coalesce(t, ''), '\', '\\'), E'\n', '\n'), chr(31), '\u')
        $$
        """#,
        // Built in since PostgreSQL 11: no extension needed.
        #"""
        CREATE OR REPLACE FUNCTION locus_sha256(t text) RETURNS text LANGUAGE sql IMMUTABLE
        SET search_path = pg_catalog, pg_temp AS $$
            SELECT encode(sha256(convert_to(t, 'UTF8')), 'hex')
        $$
        """#,
        // MigrationRefusal.pastTense(_:).
        #"""
        CREATE OR REPLACE FUNCTION locus_past_tense(action text) RETURNS text LANGUAGE sql IMMUTABLE
        SET search_path = pg_catalog, pg_temp AS $$
            SELECT CASE action
                WHEN 'request' THEN 'requested' WHEN 'preflight' THEN 'preflight' WHEN 'approve' THEN 'approved'
                WHEN 'reject' THEN 'rejected' WHEN 'cancel' THEN 'cancelled' WHEN 'expire' THEN 'expired'
                WHEN 'run' THEN 'started' WHEN 'step' THEN 'advanced' WHEN 'abort' THEN 'aborted'
                WHEN 'complete' THEN 'completed' WHEN 'fail' THEN 'failed' WHEN 'rollback' THEN 'rolled back'
                WHEN 'resume' THEN 'resumed' ELSE action END
        $$
        """#,
        // Who may decide: the members of locus_approver, as `locus store init` left them.
        #"""
        CREATE OR REPLACE FUNCTION locus_approver_list() RETURNS text LANGUAGE sql STABLE
        SET search_path = pg_catalog, pg_temp AS $$
            SELECT coalesce(string_agg(m.rolname::text, ', ' ORDER BY m.rolname COLLATE "C"),
                'nobody is ([approvals] approvers is empty)')
            FROM pg_auth_members a
            JOIN pg_roles r ON r.oid = a.roleid
            JOIN pg_roles m ON m.oid = a.member
            WHERE r.rolname = 'locus_approver'
        $$
        """#,
        // PreflightResult.digest(checks:plan:): what an approval is bound to.
        #"""
        CREATE OR REPLACE FUNCTION locus_preflight_digest(p jsonb) RETURNS text LANGUAGE sql IMMUTABLE
        SET search_path = public, pg_temp AS $$
            SELECT locus_sha256('locus-preflight 1' || E'\n' || coalesce((
                SELECT string_agg(line || E'\n', '' ORDER BY part, ordinality) FROM (
                    SELECT 1 AS part, c.ordinality, concat_ws(chr(31), 'plan', locus_escape(c.value->>'what'),
                        locus_escape(c.value->>'target'), locus_escape(c.value->>'from'),
                        locus_escape(c.value->>'to'), locus_escape(c.value->>'note')) AS line
                    FROM jsonb_array_elements(coalesce(p->'plan', '[]')) WITH ORDINALITY c
                    UNION ALL
                    SELECT 2, c.ordinality, concat_ws(chr(31), 'check', locus_escape(c.value->>'name'),
                        CASE WHEN (c.value->>'ok')::boolean THEN 'ok' ELSE 'failed' END,
                        locus_escape(c.value->>'compared'))
                    FROM jsonb_array_elements(coalesce(p->'checks', '[]')) WITH ORDINALITY c) lines), ''))
        $$
        """#,
        // Migration.voidReason(at:policy:): why the approvals of an approved migration no longer hold.
        #"""
        CREATE OR REPLACE FUNCTION locus_void_reason(
            p_id text, p_current text, p_now bigint, p_required integer, p_expire_after double precision)
        RETURNS text LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
        DECLARE
            r record;
            v_count integer;
        BEGIN
            IF p_current IS NULL THEN RETURN 'it has no preflight'; END IF;
            SELECT * INTO r FROM approval
            WHERE migration_id = p_id AND void_at IS NULL AND digest <> p_current ORDER BY id LIMIT 1;
            IF FOUND THEN
                RETURN 'the approval by ' || r."user" || ' was given on digest ' || left(r.digest, 8)
                    || ', the preflight''s is now ' || left(p_current, 8);
            END IF;
            SELECT * INTO r FROM approval
            WHERE migration_id = p_id AND void_at IS NULL AND expires_at <= p_now ORDER BY id LIMIT 1;
            IF FOUND THEN
                RETURN 'the approval by ' || r."user" || ' at ' || locus_rfc3339(r.at) || ' is older than '
                    || locus_hours(p_expire_after);
            END IF;
            SELECT count(*) INTO v_count FROM approval WHERE migration_id = p_id AND void_at IS NULL;
            IF v_count < p_required THEN
                RETURN 'it has ' || v_count || ' of the ' || p_required || ' approvals it needs';
            END IF;
            RETURN NULL;
        END $$
        """#,
        // AuditChain.seal: the same canonical text and hash, so AuditChain.verify passes on what is
        // read back. The user is always session_user; uid, host, tty and ssh client are the client's
        // word (informational). One writer at a time extends the chain.
        #"""
        CREATE OR REPLACE FUNCTION locus_append_audit(
            p_origin jsonb, p_action text, p_object text, p_before text, p_after text,
            p_outcome text, p_digest text, p_detail text, p_at bigint)
        RETURNS void LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
        DECLARE
            v_user text := session_user;
            v_sequence bigint;
            v_previous text;
            v_uid bigint;
            v_host text := coalesce(p_origin->>'host', '');
            v_tty text := p_origin->>'tty';
            v_ssh text := p_origin->>'ssh_client';
            v_detail text := coalesce(p_detail, '');
            v_text text;
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtext('locus.audit'));
            SELECT sequence, hash INTO v_sequence, v_previous FROM audit ORDER BY sequence DESC LIMIT 1;
            v_sequence := coalesce(v_sequence, 0) + 1;
            v_previous := coalesce(v_previous, repeat('0', 64));
            v_uid := CASE WHEN p_origin->>'uid' ~ '^[0-9]{1,10}$' AND (p_origin->>'uid')::bigint <= 4294967295
                THEN (p_origin->>'uid')::bigint ELSE 0 END;
            v_text := concat_ws(chr(31), v_sequence::text, p_at::text, locus_escape(v_user), v_uid::text,
                locus_escape(v_host), locus_escape(v_tty), locus_escape(v_ssh), locus_escape(p_action),
                locus_escape(p_object), locus_escape(p_before), locus_escape(p_after), locus_escape(p_outcome),
                locus_escape(p_digest), locus_escape(v_detail));
            INSERT INTO audit (sequence, at, "user", uid, host, tty, ssh_client, action, object, before, after,
                outcome, digest, detail, previous_hash, hash)
            VALUES (v_sequence, p_at, v_user, v_uid, v_host, v_tty, v_ssh, p_action, p_object, p_before, p_after,
                p_outcome, p_digest, v_detail, v_previous, locus_sha256(v_previous || E'\n' || v_text));
        END $$
        """#,
    ]

    /// A new migration, as `session_user`: refused (and audited) when it names another requester
    /// (only a lab store takes the lab's), when the workload has an open migration, or the id is taken.
    static let request = #"""
        CREATE OR REPLACE FUNCTION locus_request(p_migration jsonb, p_origin jsonb)
        RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            v_user text := session_user;
            v_now bigint := locus_now_ms();
            v_id text := p_migration->>'id';
            v_workload text := p_migration->>'workload';
            v_by text := p_migration->>'requested_by';
            v_reason text;
            v_refusal text;
            v_detail text;
            o migration%ROWTYPE;
        BEGIN
            IF v_id IS NULL OR v_workload IS NULL OR v_by IS NULL OR p_migration->>'from_site' IS NULL
                OR p_migration->>'to_site' IS NULL OR p_migration->>'from_address' IS NULL
                OR p_migration->>'to_address' IS NULL OR p_migration->>'reason' IS NULL
            THEN
                RAISE EXCEPTION '%', 'locus_request: a migration needs id, workload, requested_by, from_site, '
                    || 'to_site, from_address, to_address and reason' USING ERRCODE = 'invalid_parameter_value';
            END IF;
            v_detail := v_workload || ' ' || (p_migration->>'from_site') || ' → ' || (p_migration->>'to_site')
                || CASE WHEN p_migration->>'from_address' <> p_migration->>'to_address'
                    THEN ', ' || (p_migration->>'from_address') || ' → ' || (p_migration->>'to_address')
                    ELSE '' END
                || ': ' || (p_migration->>'reason');
            PERFORM pg_advisory_xact_lock(hashtext('locus.request'), hashtext(v_workload));
            IF v_by <> v_user
                AND NOT (v_by = 'lab' AND EXISTS (SELECT 1 FROM store_meta WHERE key = 'lab_store' AND value = '1'))
            THEN
                v_reason := 'invalid';
                v_refusal := v_user || ' cannot request a migration as ' || v_by
                    || CASE WHEN v_by = 'lab'
                        THEN ': only a store `locus lab` created accepts the lab''s requests' ELSE '' END;
            END IF;
            IF v_refusal IS NULL THEN
                SELECT * INTO o FROM migration
                WHERE workload = v_workload AND state IN (SELECT state FROM locus_state WHERE NOT is_closed)
                ORDER BY requested_at LIMIT 1;
                IF FOUND THEN
                    v_reason := 'illegalState';
                    v_refusal := v_workload || ' already has an open migration: ' || o.id || ' (' || o.state
                        || ', requested by ' || o.requested_by || ' at ' || locus_rfc3339(o.requested_at) || ')';
                ELSIF EXISTS (SELECT 1 FROM migration WHERE id = v_id) THEN
                    v_reason := 'invalid';
                    v_refusal := 'a migration ' || v_id || ' already exists';
                END IF;
            END IF;
            PERFORM locus_append_audit(p_origin, 'request', v_id, NULL,
                CASE WHEN v_refusal IS NULL THEN 'requested' END, coalesce('refused: ' || v_refusal, 'done'),
                NULL, v_detail, v_now);
            IF v_refusal IS NOT NULL THEN
                RETURN jsonb_build_object('result', 'refused', 'reason', v_reason, 'message', v_refusal);
            END IF;
            INSERT INTO migration (id, workload, from_site, to_site, from_address, to_address, dest_host, reason,
                requested_by, requested_at, state, version, last_user, last_at, last_action)
            VALUES (v_id, v_workload, p_migration->>'from_site', p_migration->>'to_site',
                p_migration->>'from_address', p_migration->>'to_address', p_migration->>'dest_host',
                p_migration->>'reason', v_by, v_now, 'requested', 1, v_by, v_now, 'request');
            RETURN jsonb_build_object('result', 'done');
        END $$
        """#
}
