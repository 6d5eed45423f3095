import Foundation

/// `locus migrate show|list` and `locus audit` as an operator reads them at a glance.
public enum MigrationText {
    /// - Parameter runner: what a runner of this approved migration faces, when the caller knows.
    public static func show(
        _ m: Migration,
        policy: ApprovalPolicy,
        now: Date,
        runner: RunnerConditions? = nil
    ) -> String {
        var lines: [String] = []
        lines.append("migration \(m.id)  \(m.state)  \(m.summary)")
        if let status = runner.flatMap(m.runnerStatus) { lines.append("  \(status)") }
        lines.append("  requested by \(m.requestedBy) at \(RFC3339.string(from: m.requestedAt)): \(m.reason)")
        if let host = m.destinationHost { lines.append("  destination host \(host)") }
        lines.append(
            "  last change: \(m.lastChange.action) by \(m.lastChange.user) at \(RFC3339.string(from: m.lastChange.at))"
        )
        if let outcome = m.outcome { lines.append("  \(outcome)") }
        if m.state.awaitsApproval {
            lines.append("  expires at \(RFC3339.string(from: m.expiresAt(policy: policy))) unless fully approved")
        }
        if let preflight = m.preflight {
            lines.append("")
            lines.append("Plan (digest \(preflight.digest.prefix(8)), checked \(RFC3339.string(from: preflight.at)))")
            for change in preflight.plan {
                lines.append("  \(change.what) \(change.target): \(change.from) → \(change.to)")
                if let note = change.note { lines.append("      note: \(note)") }
            }
            lines.append("")
            lines.append("Preflight \(preflight.passed ? "passed" : "failed")")
            for check in preflight.checks {
                lines.append("  \(check.ok ? "✓" : "✗") \(check.name): \(check.detail)")
            }
        } else {
            lines.append("")
            lines.append("No preflight yet: `locus migrate preflight \(m.id)`")
        }
        lines.append("")
        lines.append("Approvals \(m.approvals.count)/\(policy.requiredApprovals)")
        for approval in m.approvals {
            let void = approval.digest != m.preflight?.digest ? "  (void: given on another digest)" : ""
            let expiry = approval.expiresAt <= now ? "expired" : "expires \(RFC3339.string(from: approval.expiresAt))"
            lines.append(
                "  \(approval.user) at \(RFC3339.string(from: approval.at)) on \(approval.digest.prefix(8)), \(expiry)\(void)"
            )
        }
        if let lease = m.lease {
            lines.append(
                "Runner \(lease.holder) pid \(lease.pid) on \(lease.host), lease until \(RFC3339.string(from: lease.expiresAt))"
            )
        }
        if !m.steps.isEmpty {
            lines.append("Steps")
            for step in m.steps {
                lines.append(
                    "  \(step.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(step.name) \(step.detail)"
                )
            }
        }
        if let seconds = m.timeToGreen { lines.append("Green \(Int(seconds.rounded())) s after the last approval") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An approved migration's STATE says what it waits for, when `runner` is known.
    public static func list(
        _ migrations: [Migration],
        policy: ApprovalPolicy,
        runner: RunnerConditions? = nil
    ) -> String {
        guard !migrations.isEmpty else { return "no migrations\n" }
        let header = ["ID", "WORKLOAD", "FROM → TO", "STATE", "BY", "REQUESTED", "APPROVALS"]
        let rows = migrations.map { m in
            [
                m.id, m.workload, "\(m.fromSite) → \(m.toSite)", runner.flatMap(m.runnerStatus) ?? m.state.rawValue,
                m.requestedBy,
                RFC3339.string(from: m.requestedAt), "\(m.approvals.count)/\(policy.requiredApprovals)",
            ]
        }
        return table([header] + rows)
    }

    public static func audit(_ entries: [AuditEntry]) -> String {
        guard !entries.isEmpty else { return "the audit log is empty\n" }
        let header = ["#", "AT", "USER", "FROM", "ACTION", "OBJECT", "STATE", "OUTCOME"]
        let rows = entries.map { e in
            [
                String(e.sequence), RFC3339.string(from: e.at), "\(e.user)(\(e.uid))",
                [e.host, e.tty, e.sshClient.map { "ssh \($0)" }].compactMap { $0 }.joined(separator: " "),
                e.action, e.object, "\(e.before ?? "-") → \(e.after ?? "-")",
                e.outcome + (e.detail.isEmpty ? "" : " — \(e.detail)"),
            ]
        }
        return table([header] + rows)
    }

    private static func table(_ rows: [[String]]) -> String {
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < row.count - 1 {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }
            .joined(separator: "  ")
        }
        .joined(separator: "\n") + "\n"
    }
}
