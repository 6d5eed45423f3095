extension PostgresFunctions {
    static let applySignature = "locus_apply(text, text, integer, integer, jsonb, jsonb)"

    /// One action on one migration, as `session_user`, in one transaction.
    ///
    /// The client computes the next migration with LocusCore's `Migration.applying` (the one state
    /// machine) from the version it read, using this database's policy and `session_user`, and sends
    /// it as `p_payload.next`; `p_base_version` is the version it computed from (on a mismatch the
    /// client reads again and retries). What decides trust is checked here again, whatever the client
    /// sent: the row is locked, the version compared and set, the move checked against `locus_action`
    /// (LocusCore's `MigrationAction.Kind.moves`), approver membership taken from `locus_approver`,
    /// self-approval and self-rejection refused, the expiry and four eyes counted from `locus_policy`
    /// with the server's clock, an approval bound to the current preflight digest and a preflight's
    /// digest recomputed from its checks and plan. Approvals are written here, never taken from the
    /// client. A refusal appends its audit entry and returns (not raises), so the entry commits.
    ///
    /// The runner's rules too (`locus_lease_refusal`): the stored lease against `session_user` and the
    /// pid and host the client names in `p_payload.actor`, with the server's clock; `max_running`
    /// counted under an advisory lock. Only the actions that take or end a lease change it, its holder
    /// is `session_user`, and an abort request is the caller's at the server's time.
    static let apply = #"""
        CREATE OR REPLACE FUNCTION locus_apply(
            p_id text, p_kind text, p_expected_version integer, p_base_version integer,
            p_payload jsonb, p_origin jsonb)
        RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
            v_user text := session_user;
            v_now bigint := locus_now_ms();
            v_approver boolean := pg_has_role(session_user, 'locus_approver', 'MEMBER');
            m migration%ROWTYPE;
            a locus_action%ROWTYPE;
            p locus_policy%ROWTYPE;
            v_has_policy boolean;
            v_expire_ms bigint;
            v_required integer;
            v_current text;
            v_digest text;
            v_reason text;
            v_refusal text;
            v_void text;
            v_detail text := coalesce(p_payload->>'detail', '');
            v_next jsonb := p_payload->'next';
            -- The client's word for its process: it only ever matters for a lease whose holder is
            -- session_user. Anything but a plain number names no process at all.
            v_pid integer := CASE WHEN p_payload->'actor'->>'pid' ~ '^[0-9]{1,9}$'
                THEN (p_payload->'actor'->>'pid')::integer END;
            v_host text := p_payload->'actor'->>'host';
            v_max_running integer := CASE WHEN p_payload->>'max_running' ~ '^[0-9]{1,9}$'
                THEN (p_payload->>'max_running')::integer END;
            v_lease text;
            v_running integer;
            v_preflight jsonb := p_payload->'preflight';
            v_steps jsonb;
            v_state text;
            v_outcome text;
            v_preflight_id bigint;
            v_passed boolean;
            v_count integer;
            v_mine bigint;
        BEGIN
            SELECT * INTO a FROM locus_action WHERE kind = p_kind;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'locus_apply: unknown action "%"', p_kind USING ERRCODE = 'invalid_parameter_value';
            END IF;
            SELECT * INTO m FROM migration WHERE id = p_id FOR UPDATE;
            IF NOT FOUND THEN
                RETURN jsonb_build_object('result', 'not_found');
            END IF;
            SELECT * INTO p FROM locus_policy;
            v_has_policy := FOUND;
            v_expire_ms := (coalesce(p.expire_after_seconds, 0) * 1000)::bigint;
            v_required := CASE WHEN p.four_eyes THEN 2 ELSE 1 END;
            SELECT digest INTO v_current FROM preflight WHERE id = m.preflight_id;
            v_digest := coalesce(p_payload->>'digest', v_current);
            v_lease := locus_lease_refusal(m.id, a.kind, v_user, v_pid, v_host, v_now);
            -- `run --now` may replace a runner that only waits (an approved migration's claim).
            IF a.kind = 'claim' AND m.state = 'approved' AND coalesce((p_payload->>'take_over')::boolean, false) THEN
                v_lease := NULL;
            END IF;

            IF p_expected_version IS NOT NULL AND p_expected_version <> m.version THEN
                v_refusal := 'migration ' || m.id || ' changed meanwhile: it is now ' || m.state || ' ('
                    || m.last_action || ' by ' || m.last_user || ' at ' || locus_rfc3339(m.last_at) || ', version '
                    || m.version || ', you saw ' || p_expected_version || '); nothing was changed';
                PERFORM locus_append_audit(p_origin, a.audit_name, m.id, m.state, NULL, 'refused: ' || v_refusal,
                    v_digest, v_detail, v_now);
                RETURN jsonb_build_object('result', 'conflict', 'message', v_refusal);
            END IF;
            IF p_base_version IS DISTINCT FROM m.version THEN
                RETURN jsonb_build_object('result', 'retry', 'version', m.version);
            END IF;

            -- In the order Migration.applying checks them, with its words.
            IF NOT v_has_policy THEN
                v_reason := 'invalid';
                v_refusal := 'the store has no approval policy yet: the database owner must run `locus store init`';
            ELSIF NOT (m.state = ANY (a.from_states)) THEN
                v_reason := 'illegalState';
                v_refusal := 'migration ' || m.id || ' is ' || m.state || ' (' || locus_past_tense(m.last_action)
                    || ' by ' || m.last_user || ' at ' || locus_rfc3339(m.last_at) || '): cannot ' || a.kind || ' it';
            ELSIF a.needs_approver AND NOT v_approver THEN
                v_reason := 'notApprover';
                v_refusal := v_user || ' is not an approver (approvers: ' || locus_approver_list() || '): cannot '
                    || a.kind || ' migration ' || m.id;
            ELSIF a.kind = 'cancel' AND v_user <> m.requested_by AND NOT v_approver THEN
                v_reason := 'notRequesterOrApprover';
                v_refusal := v_user || ' neither requested migration ' || m.id || ' (' || m.requested_by
                    || ' did) nor is an approver: cannot cancel it';
            ELSIF (SELECT awaits_approval FROM locus_state WHERE state = m.state)
                AND a.kind NOT IN ('expire', 'cancel', 'reject') AND v_now >= m.requested_at + v_expire_ms
            THEN
                v_reason := 'expired';
                v_refusal := 'migration ' || m.id || ' expired at ' || locus_rfc3339(m.requested_at + v_expire_ms)
                    || ', ' || locus_hours(p.expire_after_seconds) || ' after its request without full approval';
            ELSIF a.kind IN ('approve', 'reject') AND v_user = m.requested_by THEN
                v_reason := 'ownRequest';
                v_refusal := v_user || ' requested migration ' || m.id || CASE a.kind
                    WHEN 'approve' THEN ' and cannot approve it: another approver must'
                    ELSE ' and cannot reject it; cancel it instead' END;
            ELSIF a.kind = 'approve' AND v_current IS NULL THEN
                v_reason := 'preflightMissing';
                v_refusal := 'migration ' || m.id || ' has no preflight yet: run `locus migrate preflight ' || m.id
                    || '`';
            ELSIF a.kind = 'approve' AND (p_payload->>'digest') IS DISTINCT FROM v_current THEN
                v_reason := 'digestChanged';
                v_refusal := 'migration ' || m.id || ' changed since it was shown: its digest is now '
                    || left(v_current, 8) || ', not ' || left(coalesce(p_payload->>'digest', ''), 8)
                    || '; look at it again';
            ELSIF a.kind = 'expire' AND v_now < m.requested_at + v_expire_ms THEN
                v_reason := 'invalid';
                v_refusal := 'migration ' || m.id || ' does not expire before '
                    || locus_rfc3339(m.requested_at + v_expire_ms);
            ELSIF v_lease IS NOT NULL THEN
                v_reason := CASE WHEN a.kind = 'interrupt' THEN 'illegalState' ELSE 'notLeaseHolder' END;
                v_refusal := v_lease;
            ELSIF a.kind = 'start' THEN
                v_void := locus_void_reason(m.id, v_current, v_now, v_required, p.expire_after_seconds);
                IF v_void IS NOT NULL THEN
                    v_reason := 'digestChanged';
                    v_refusal := 'migration ' || m.id || ' cannot start: ' || v_void;
                ELSIF v_max_running IS NOT NULL THEN
                    -- Held to the commit: a second start waits here and then counts this one, so two
                    -- runners cannot both take the last place. Each statement of this (volatile)
                    -- function reads a fresh snapshot, so the count sees what committed meanwhile.
                    PERFORM pg_advisory_xact_lock(hashtext('locus.start'));
                    v_running := locus_cutovers_running(m.id, v_now);
                    IF v_running >= v_max_running THEN
                        v_reason := 'busy';
                        v_refusal := 'migration ' || m.id || ' waits its turn: ' || v_running
                            || ' cutovers run (max_running ' || v_max_running || ')';
                    END IF;
                END IF;
            ELSIF a.kind = 'record preflight' AND (v_preflight IS NULL
                OR (v_preflight->>'digest') IS DISTINCT FROM locus_preflight_digest(v_preflight))
            THEN
                v_reason := 'invalid';
                v_refusal := 'the preflight''s digest does not match its checks and plan: run the preflight again';
            END IF;
            IF v_refusal IS NULL AND a.kind = 'approve' THEN
                SELECT at INTO v_mine FROM approval WHERE migration_id = m.id AND void_at IS NULL
                    AND "user" = v_user AND digest = v_current AND expires_at > v_now ORDER BY id LIMIT 1;
                IF FOUND THEN
                    v_reason := 'alreadyApprovedByYou';
                    v_refusal := v_user || ' already approved migration ' || m.id || ' at ' || locus_rfc3339(v_mine)
                        || '; four eyes need another approver';
                END IF;
            END IF;
            -- What only the client checks (a required reason, …) comes last, in the client's words.
            IF v_refusal IS NULL AND p_payload ? 'refusal' THEN
                v_reason := coalesce(p_payload->'refusal'->>'reason', 'invalid');
                v_refusal := coalesce(p_payload->'refusal'->>'message', 'refused');
            END IF;
            IF v_refusal IS NULL AND (jsonb_typeof(v_next) IS DISTINCT FROM 'object'
                OR NOT ((v_next->>'state') = ANY (a.to_states)))
            THEN
                v_reason := 'invalid';
                v_refusal := 'cannot ' || a.kind || ' migration ' || m.id || ' into '
                    || coalesce(v_next->>'state', 'no state');
            ELSIF v_refusal IS NULL AND a.kind IN ('claim', 'start', 'renew lease', 'resume', 'rollback')
                AND jsonb_typeof(v_next->'lease') IS DISTINCT FROM 'object'
            THEN
                v_reason := 'invalid';
                v_refusal := 'cannot ' || a.kind || ' migration ' || m.id || ' without a lease';
            END IF;
            IF v_refusal IS NOT NULL THEN
                PERFORM locus_append_audit(p_origin, a.audit_name, m.id, m.state, NULL, 'refused: ' || v_refusal,
                    v_digest, v_detail, v_now);
                RETURN jsonb_build_object('result', 'refused', 'reason', v_reason, 'message', v_refusal);
            END IF;

            -- The change: approvals and the states they decide are the database's; the rest the client's.
            v_state := v_next->>'state';
            v_outcome := v_next->>'outcome';
            v_preflight_id := m.preflight_id;
            IF a.kind = 'approve' THEN
                UPDATE approval SET void_at = v_now WHERE migration_id = m.id AND void_at IS NULL
                    AND (digest <> v_current OR expires_at <= v_now);
                INSERT INTO approval (migration_id, "user", at, digest, expires_at)
                VALUES (m.id, v_user, v_now, v_current, v_now + v_expire_ms);
                SELECT count(DISTINCT "user") INTO v_count FROM approval WHERE migration_id = m.id AND void_at IS NULL;
                v_state := CASE WHEN v_count >= v_required THEN 'approved' ELSE 'ready' END;
            ELSIF a.kind = 'record preflight' THEN
                INSERT INTO preflight (migration_id, digest, at, checks)
                VALUES (m.id, v_preflight->>'digest', (v_preflight->>'at')::bigint, v_preflight->'checks')
                RETURNING id INTO v_preflight_id;
                INSERT INTO plan_change (preflight_id, position, what, target, from_value, to_value, note)
                SELECT v_preflight_id, (c.ordinality - 1)::integer, c.value->>'what', c.value->>'target',
                    c.value->>'from', c.value->>'to', c.value->>'note'
                FROM jsonb_array_elements(coalesce(v_preflight->'plan', '[]')) WITH ORDINALITY c;
                v_passed := NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v_preflight->'checks') c
                    WHERE NOT (c.value->>'ok')::boolean);
                IF m.state = 'approved' AND v_passed AND NOT EXISTS (SELECT 1 FROM approval
                    WHERE migration_id = m.id AND void_at IS NULL AND digest <> v_preflight->>'digest')
                THEN
                    v_state := 'approved';
                ELSIF m.state = 'approved' THEN
                    UPDATE approval SET void_at = v_now WHERE migration_id = m.id AND void_at IS NULL;
                    v_state := 'ready';
                ELSE
                    UPDATE approval SET void_at = v_now WHERE migration_id = m.id AND void_at IS NULL
                        AND (digest <> v_preflight->>'digest' OR expires_at <= v_now);
                    v_state := CASE WHEN v_passed THEN 'ready' ELSE 'blocked' END;
                END IF;
            ELSIF a.kind = 'void approvals' THEN
                UPDATE approval SET void_at = v_now WHERE migration_id = m.id AND void_at IS NULL;
            END IF;

            -- A renewal is the runner's heartbeat: the version and the last change stay (as in Swift).
            UPDATE migration SET state = v_state,
                version = CASE WHEN a.kind = 'renew lease' THEN m.version ELSE m.version + 1 END,
                last_user = CASE WHEN a.kind = 'renew lease' THEN m.last_user ELSE v_user END,
                last_at = CASE WHEN a.kind = 'renew lease' THEN m.last_at ELSE v_now END,
                last_action = CASE WHEN a.kind = 'renew lease' THEN m.last_action ELSE a.audit_name END,
                outcome = v_outcome,
                time_to_green = (v_next->>'time_to_green')::double precision, preflight_id = v_preflight_id,
                abort_requested_by = CASE WHEN a.kind = 'abort' THEN v_user
                    WHEN a.kind IN ('resume', 'rollback') THEN NULL ELSE m.abort_requested_by END,
                abort_requested_at = CASE WHEN a.kind = 'abort' THEN v_now
                    WHEN a.kind IN ('resume', 'rollback') THEN NULL ELSE m.abort_requested_at END
            WHERE id = m.id;
            -- Only the runner's journal (checked against its lease above) writes steps: the journal is what
            -- a resumed runner trusts, so no other action may rewrite or drop it.
            IF a.kind = 'journal' THEN
            v_steps := CASE WHEN jsonb_typeof(v_next->'steps') = 'array' THEN v_next->'steps' ELSE '[]' END;
            INSERT INTO step (migration_id, position, name, state, started_at, ended_at, detail, output,
                process_group)
            SELECT m.id, (s.ordinality - 1)::integer, s.value->>'name', s.value->>'state',
                (s.value->>'started_at')::bigint, (s.value->>'ended_at')::bigint, coalesce(s.value->>'detail', ''),
                s.value->>'output', (s.value->>'process_group')::integer
            FROM jsonb_array_elements(v_steps) WITH ORDINALITY s
            ON CONFLICT (migration_id, position) DO UPDATE SET name = EXCLUDED.name, state = EXCLUDED.state,
                started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at, detail = EXCLUDED.detail,
                output = EXCLUDED.output, process_group = EXCLUDED.process_group;
            END IF;
            -- As Migration.applying: these take the lease (for session_user, whoever the client named),
            -- these end it, and every other action leaves the runner's lease as it is.
            IF a.kind IN ('claim', 'start', 'renew lease', 'resume', 'rollback') THEN
                INSERT INTO lease (migration_id, holder, pid, host, expires_at)
                VALUES (m.id, v_user, (v_next->'lease'->>'pid')::integer, v_next->'lease'->>'host',
                    (v_next->'lease'->>'expires_at')::bigint)
                ON CONFLICT (migration_id) DO UPDATE SET holder = EXCLUDED.holder, pid = EXCLUDED.pid,
                    host = EXCLUDED.host, expires_at = EXCLUDED.expires_at;
            ELSIF a.kind IN ('complete', 'fail', 'fail rollback', 'finish rollback', 'interrupt')
                OR (m.state = 'approved' AND v_state NOT IN ('approved', 'executing'))
            THEN
                -- A waiting runner's lease ends with the approval it waited on (as in Swift).
                DELETE FROM lease WHERE migration_id = m.id;
            END IF;
            -- SQLiteHistoryStore.apply: a new outcome (a preflight voiding the approval) joins the detail.
            IF v_outcome IS NOT NULL AND v_outcome IS DISTINCT FROM m.outcome AND v_outcome <> v_detail THEN
                v_detail := CASE WHEN v_detail = '' THEN v_outcome ELSE v_detail || '; ' || v_outcome END;
            END IF;
            -- A lease renewal every few seconds is the runner's heartbeat, not a decision (its refusal
            -- is audited above).
            IF a.kind <> 'renew lease' THEN
                PERFORM locus_append_audit(p_origin, a.audit_name, m.id, m.state, v_state, 'done', v_digest,
                    v_detail, v_now);
            END IF;
            RETURN jsonb_build_object('result', 'done');
        END $$
        """#
}
