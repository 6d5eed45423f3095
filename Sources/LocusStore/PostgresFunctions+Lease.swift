extension PostgresFunctions {
    static let leaseRefusalSignature = "locus_lease_refusal(text, text, text, integer, text, bigint)"
    static let cutoversRunningSignature = "locus_cutovers_running(text, bigint)"

    /// The runner's rules of `Migration.applying`, against the stored lease and the server's clock.
    static let leaseHelpers = [
        // checkLease, checkNoOtherRunner and interrupt's check, with their words: why `p_user`'s process
        // (`p_pid` on `p_host`, the client's word) may not take `p_kind` now, or NULL. A lease is only
        // ever the caller's when its holder is session_user, so another login never passes, whatever
        // pid and host it names. The kinds are those of `Migration.applying` (its `checkLease` and
        // `checkNoOtherRunner` calls); a kind named nowhere here does not depend on the lease.
        #"""
        CREATE OR REPLACE FUNCTION locus_lease_refusal(
            p_id text, p_kind text, p_user text, p_pid integer, p_host text, p_now bigint)
        RETURNS text LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
        DECLARE
            l lease%ROWTYPE;
            v_live boolean := false;
            v_holds boolean := false;
            v_holder text;
        BEGIN
            SELECT * INTO l FROM lease WHERE migration_id = p_id;
            IF FOUND THEN
                v_live := l.expires_at > p_now;
                -- coalesce: a payload without pid or host holds nothing.
                v_holds := v_live AND coalesce(l.holder = p_user AND l.pid = p_pid AND l.host = p_host, false);
                v_holder := l.holder || ' (pid ' || l.pid || ' on ' || l.host || ') holds it until '
                    || locus_rfc3339(l.expires_at);
            END IF;
            IF p_kind IN ('renew lease', 'journal', 'verify', 'complete', 'fail', 'finish rollback',
                'fail rollback') AND NOT v_holds
            THEN
                RETURN 'migration ' || p_id || ': only its runner may do that; '
                    || coalesce(v_holder, 'no runner holds it');
            END IF;
            IF p_kind IN ('claim', 'start', 'resume', 'rollback') AND v_live AND NOT v_holds THEN
                RETURN 'migration ' || p_id || ' already has a runner: ' || v_holder;
            END IF;
            IF p_kind = 'interrupt' AND v_live THEN
                RETURN 'migration ' || p_id || ' is running: ' || v_holder;
            END IF;
            RETURN NULL;
        END $$
        """#,
        // SQLiteHistoryStore.cutoversRunning: what `max_running` counts. `locus_apply` reads it under
        // an advisory lock, so two starts cannot both take the last place; clients read it too (it
        // shows only what they may already SELECT) so that their `Migration.applying` agrees.
        #"""
        CREATE OR REPLACE FUNCTION locus_cutovers_running(p_besides text, p_now bigint)
        RETURNS integer LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
            SELECT count(*)::integer FROM migration JOIN lease ON lease.migration_id = migration.id
            WHERE migration.id <> p_besides AND migration.state IN ('executing', 'verifying', 'rolling-back')
                AND lease.expires_at > p_now
        $$
        """#,
    ]
}
