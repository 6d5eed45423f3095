extension PostgresFunctions {
    static let pruneHistorySignature = "locus_prune_history()"

    /// `SQLiteHistoryStore.prune` with the owner's `history_keep` from `locus_policy` and the server's
    /// clock. SECURITY DEFINER because operators may only insert history rows: this is the one way
    /// they delete any, and it takes nothing from the client.
    static let pruneHistory = #"""
        CREATE OR REPLACE FUNCTION locus_prune_history()
        RETURNS TABLE (pruned_events bigint, pruned_moves bigint, pruned_transitions bigint,
            pruned_acknowledgements bigint)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            v_cutoff timestamptz;
        BEGIN
            pruned_events := 0; pruned_moves := 0; pruned_transitions := 0; pruned_acknowledgements := 0;
            -- Every operator's dashboard calls it: while one prunes, the others have nothing to do.
            IF NOT pg_try_advisory_xact_lock(hashtext('locus_prune_history')) THEN
                RETURN NEXT;
                RETURN;
            END IF;
            SELECT now() - make_interval(secs => p.history_keep_seconds) INTO v_cutoff FROM locus_policy p;
            v_cutoff := coalesce(v_cutoff, now() - interval '90 days');
            -- Acknowledgements first: whether one is still in force depends on the clears after it.
            DELETE FROM acknowledgement a
            WHERE a.acknowledged_at < v_cutoff AND (
                a.id <> (SELECT max(b.id) FROM acknowledgement b WHERE b.alert_id = a.alert_id)
                OR a.expires_at < v_cutoff
                OR EXISTS (
                    SELECT 1 FROM alert_history h
                    WHERE h.alert_id = a.alert_id AND h.change = 'cleared' AND h.at > a.acknowledged_at));
            GET DIAGNOSTICS pruned_acknowledgements = ROW_COUNT;
            -- The latest transition of an alert still open stays: a later process takes it over.
            DELETE FROM alert_history h
            WHERE h.at < v_cutoff AND NOT (
                h.change <> 'cleared'
                AND h.id = (
                    SELECT l.id FROM alert_history l WHERE l.alert_id = h.alert_id
                    ORDER BY l.at DESC, l.id DESC LIMIT 1));
            GET DIAGNOSTICS pruned_transitions = ROW_COUNT;
            DELETE FROM event e WHERE e.time < v_cutoff;
            GET DIAGNOSTICS pruned_events = ROW_COUNT;
            DELETE FROM move m WHERE m.time < v_cutoff;
            GET DIAGNOSTICS pruned_moves = ROW_COUNT;
            RETURN NEXT;
        END $$
        """#
}
