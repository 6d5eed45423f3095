import Foundation

/// The `locus migrate … --json` and `locus audit --json` documents (CONFIG.md): every key spelled
/// out, absent values written as `null`.
///
/// `runner` (added): what an approved migration waits for, in the words of `locus migrate list`, or
/// null (not approved, nothing to wait for, or not known to the caller).
public enum MigrationDocument {
    public static func migration(
        _ migration: Migration,
        policy: ApprovalPolicy,
        runner: RunnerConditions? = nil
    ) -> [String: Any] {
        var document = object(migration, policy: policy, runner: runner)
        document["version"] = 1
        return document
    }

    public static func list(
        _ migrations: [Migration],
        policy: ApprovalPolicy,
        runner: RunnerConditions? = nil
    ) -> [String: Any] {
        ["version": 1, "migrations": migrations.map { object($0, policy: policy, runner: runner) }]
    }

    public static func audit(_ entries: [AuditEntry]) -> [String: Any] {
        ["version": 1, "entries": entries.map(object)]
    }

    /// Pretty-printed, sorted keys, slashes unescaped, with a final newline.
    public static func data(_ document: [String: Any]) throws -> Data {
        var data = try JSONSerialization.data(
            withJSONObject: document,
            options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        )
        data.append(UInt8(ascii: "\n"))
        return data
    }

    static func object(_ m: Migration, policy: ApprovalPolicy, runner: RunnerConditions?) -> [String: Any] {
        [
            "id": m.id,
            "workload": m.workload,
            "from_site": m.fromSite,
            "to_site": m.toSite,
            "from_address": m.fromAddress,
            "to_address": m.toAddress,
            "dest_host": nullable(m.destinationHost),
            "state": m.state.rawValue,
            "migration_version": m.version,
            "requested_by": m.requestedBy,
            "requested_at": RFC3339.string(from: m.requestedAt),
            "reason": m.reason,
            "outcome": nullable(m.outcome),
            "last_change": [
                "user": m.lastChange.user, "at": RFC3339.string(from: m.lastChange.at), "action": m.lastChange.action,
            ],
            "expires_at": RFC3339.string(from: m.expiresAt(policy: policy)),
            "approvals_needed": policy.requiredApprovals,
            "preflight": m.preflight.map { preflight -> Any in
                [
                    "digest": preflight.digest,
                    "at": RFC3339.string(from: preflight.at),
                    "checks": preflight.checks.map { check -> [String: Any] in
                        ["name": check.name, "ok": check.ok, "detail": check.detail, "compared": check.compared]
                    },
                ] as [String: Any]
            } ?? NSNull(),
            "plan": (m.preflight?.plan ?? []).map { change -> [String: Any] in
                [
                    "what": change.what, "target": change.target, "from": change.from, "to": change.to,
                    "note": nullable(change.note),
                ]
            },
            "approvals": m.approvals.map { approval -> [String: Any] in
                [
                    "user": approval.user, "at": RFC3339.string(from: approval.at), "digest": approval.digest,
                    "expires_at": RFC3339.string(from: approval.expiresAt),
                ]
            },
            "lease": m.lease.map { lease -> Any in
                [
                    "holder": lease.holder, "pid": Int(lease.pid), "host": lease.host,
                    "expires_at": RFC3339.string(from: lease.expiresAt),
                ] as [String: Any]
            } ?? NSNull(),
            "steps": m.steps.map { step -> [String: Any] in
                [
                    "name": step.name, "state": step.state.rawValue,
                    "started_at": nullable(step.startedAt.map(RFC3339.string)),
                    "ended_at": nullable(step.endedAt.map(RFC3339.string)), "detail": step.detail,
                ]
            },
            "time_to_green_s": m.timeToGreen.map { $0 as Any } ?? NSNull(),
            "runner": nullable(runner.flatMap(m.runnerStatus)),
        ]
    }

    static func object(_ entry: AuditEntry) -> [String: Any] {
        [
            "sequence": Int(entry.sequence),
            "at": RFC3339.string(from: entry.at),
            "user": entry.user,
            "uid": Int(entry.uid),
            "host": entry.host,
            "tty": nullable(entry.tty),
            "ssh_client": nullable(entry.sshClient),
            "action": entry.action,
            "object": entry.object,
            "before": nullable(entry.before),
            "after": nullable(entry.after),
            "outcome": entry.outcome,
            "digest": nullable(entry.digest),
            "detail": entry.detail,
            "hash": entry.hash,
        ]
    }

    private static func nullable(_ value: String?) -> Any { value.map { $0 as Any } ?? NSNull() }
}
