import Foundation
import LocusCore

/// The Migrations list: id, workload, from → to, state with its sign, requester, age, approvals and
/// time to green; what waits for the viewer comes first (`MigrationBoard.ordered`).
enum MigrationsView {
    static let columns = [
        TableColumn("ID", width: .fixed(10)),
        // The state (its sign) before what a narrow screen can spare.
        TableColumn("STATE", width: .flexible(min: 12, weight: 3)),
        TableColumn("WORKLOAD", width: .flexible(min: 6, weight: 1)),
        TableColumn("FROM → TO", width: .flexible(min: 12, weight: 2)),
        TableColumn("BY", width: .flexible(min: 4, weight: 0)),
        TableColumn("AGE", width: .fixed(4), alignment: .trailing),
        TableColumn("APPR", width: .fixed(4), alignment: .trailing),
        TableColumn("GREEN", width: .fixed(5), alignment: .trailing),
    ]

    static func cells(_ m: Migration, board: MigrationBoard, lineDrawing: LineDrawing) -> [TableCell] {
        let sign = MigrationSign(m, board: board)
        return [
            TableCell(m.id),
            TableCell(sign.symbol(lineDrawing) + " " + stateText(m, board: board), role: sign.role),
            TableCell(m.workload),
            TableCell("\(m.fromSite) → \(m.toSite)"),
            TableCell(m.requestedBy),
            TableCell(CoarseText.age(since: m.requestedAt, now: board.readAt)),
            TableCell("\(m.approvals.count)/\(board.policy.requiredApprovals)"),
            TableCell(m.timeToGreen.map { SpanText.span($0) } ?? "—", role: m.timeToGreen == nil ? .muted : .text),
        ]
    }

    /// The state as the list says it: what an approved one waits for, or that one waits for you.
    static func stateText(_ m: Migration, board: MigrationBoard) -> String {
        if board.waitsForViewer(m) { return "ready, waits for you" }
        if let status = board.runner.flatMap(m.runnerStatus) { return status }
        if m.abortRequested != nil, m.state.isRunning { return "\(m.state), aborting" }
        return m.state.rawValue
    }

    /// Who must act next, in words; nil when the migration is closed and nothing is asked of anyone.
    static func nextActor(_ m: Migration, board: MigrationBoard) -> String? {
        let missing = m.approvalsMissing(policy: board.policy)
        switch m.state {
        case .requested:
            return "waits for its preflight: p runs it"
        case .blocked:
            return "blocked by its preflight: the requester fixes what failed, then p runs it again"
        case .ready:
            if board.waitsForViewer(m) { return "waits for your approval: a approves, r rejects" }
            let more = missing == 1 ? "1 more approval" : "\(missing) more approvals"
            return "waits for \(more) from an approver other than \(m.requestedBy)"
                + (m.approvals.isEmpty ? "" : " and \(m.approvals.map(\.user).joined(separator: ", "))")
        case .approved:
            return board.runner.flatMap(m.runnerStatus).map { "\($0): n runs it now" } ?? "its runner is starting"
        case .executing, .verifying, .rollingBack:
            guard let lease = m.lease else { return "its runner is starting" }
            return "runs: \(lease.holder)'s runner pid \(lease.pid) on \(lease.host); c aborts after the step"
        case .interrupted:
            return "interrupted: an approver resumes it (u) or rolls it back (R)"
        case .failed:
            return "failed: an approver rolls it back (R)"
        case .rollbackFailed:
            return "rollback failed: an approver tries the rollback again (R)"
        case .completed:
            return nil
        case .rolledBack, .rejected, .cancelled, .expired:
            return nil
        }
    }

    static func detail(
        _ m: Migration,
        board: MigrationBoard,
        width: Int,
        timeZone: TimeZone,
        lineDrawing: LineDrawing
    ) -> [StyledLine] {
        let now = board.readAt
        let sign = MigrationSign(m, board: board)
        var lines: [StyledLine] = [
            StyledLine([
                Span(sign.symbol(lineDrawing), style: Style(sign.role, .bold)),
                Span(" \(m.id)  \(m.workload)  \(m.fromSite) → \(m.toSite)", style: Style(.text, .bold)),
            ]),
            StyledLine(stateText(m, board: board), style: Style(sign.role)),
        ]
        if let next = nextActor(m, board: board) {
            lines.append(StyledLine([Span("next: ", style: .muted), Span(next, style: Style(.text, .bold))]))
        }
        lines.append(
            StyledLine("requested by \(m.requestedBy) \(CoarseText.ago(since: m.requestedAt, now: now)): \(m.reason)")
        )
        let address = m.changesAddress ? "\(m.fromAddress) → \(m.toAddress)" : "\(m.fromAddress) (kept)"
        lines.append(StyledLine("address \(address)" + (m.destinationHost.map { " · host \($0)" } ?? "")))
        if let outcome = m.outcome { lines.append(StyledLine(outcome, style: .muted)) }
        if m.state.awaitsApproval {
            let expires = m.expiresAt(policy: board.policy)
            lines.append(StyledLine("expires in \(SpanText.span(expires.timeIntervalSince(now))) unless approved"))
        }
        lines += planLines(m, timeZone: timeZone, lineDrawing: lineDrawing)
        lines += approvalLines(m, board: board, lineDrawing: lineDrawing)
        lines += stepLines(m, now: now, lineDrawing: lineDrawing)
        let audit = board.audit(of: m.id)
        if !audit.isEmpty {
            lines.append("")
            lines.append(StyledLine("Audit", style: Style(.text, .bold)))
            for entry in audit {
                let origin = [entry.tty, entry.sshClient.map { "ssh \($0)" }].compactMap { $0 }.joined(separator: " ")
                let detail = entry.detail.isEmpty ? "" : " — \(entry.detail)"
                lines.append(
                    StyledLine(
                        "  \(CoarseText.clock(entry.at, in: timeZone)) \(entry.user) \(entry.action) "
                            + "\(entry.outcome)\(detail)" + (origin.isEmpty ? "" : " (\(origin))"),
                        style: entry.outcome == "done" ? .text : .muted
                    )
                )
            }
        }
        return lines.flatMap { $0.wrapped(toColumns: width) }
    }

    private static func planLines(_ m: Migration, timeZone: TimeZone, lineDrawing: LineDrawing) -> [StyledLine] {
        guard let preflight = m.preflight else {
            return ["", StyledLine("No preflight yet: p runs it", style: .muted)]
        }
        var lines: [StyledLine] = [
            "",
            StyledLine(
                "Plan (digest \(preflight.digest.prefix(8)), checked \(CoarseText.clock(preflight.at, in: timeZone)))",
                style: Style(.text, .bold)
            ),
        ]
        for change in preflight.plan {
            lines.append(StyledLine("  \(change.what) \(change.target): \(change.from) → \(change.to)"))
            if let note = change.note { lines.append(StyledLine("      \(note)", style: .muted)) }
        }
        lines.append("")
        lines.append(StyledLine("Preflight \(preflight.passed ? "passed" : "failed")", style: Style(.text, .bold)))
        for check in preflight.checks {
            lines.append(
                .marked(check.ok ? .ok : .crit, [Span("\(check.name): \(check.detail)")], lineDrawing: lineDrawing)
            )
        }
        return lines
    }

    private static func approvalLines(_ m: Migration, board: MigrationBoard, lineDrawing: LineDrawing) -> [StyledLine] {
        let now = board.readAt
        var lines: [StyledLine] = [
            "",
            StyledLine("Approvals \(m.approvals.count)/\(board.policy.requiredApprovals)", style: Style(.text, .bold)),
        ]
        for approval in m.approvals {
            let onOther = approval.digest != m.preflight?.digest
            let expired = approval.expiresAt <= now
            let when = CoarseText.ago(since: approval.at, now: now)
            var text = "\(approval.user) \(when) on digest \(approval.digest.prefix(8))"
            if onOther {
                text += ": void, the digest is now \(m.preflight?.digest.prefix(8) ?? "none")"
            } else if expired {
                text += ": expired"
            } else {
                text += ", expires in \(SpanText.span(approval.expiresAt.timeIntervalSince(now)))"
            }
            lines.append(.marked(onOther || expired ? .crit : .ok, [Span(text)], lineDrawing: lineDrawing))
        }
        // Approvals given and no longer counted: on a digest the preflight has since replaced, or expired.
        let counted = Set(m.approvals.map { "\($0.user) \($0.digest)" })
        for given in board.audit(of: m.id) where given.action == "approve" && given.outcome == "done" {
            guard let digest = given.digest, !counted.contains("\(given.user) \(digest)") else { continue }
            let now = m.preflight?.digest
            let why =
                digest != now
                ? "void, the digest is now \(now?.prefix(8) ?? "none")" : "no longer counts (expired or voided)"
            lines.append(
                .marked(
                    .unknown,
                    [Span("\(given.user) on digest \(digest.prefix(8)): \(why)", style: .muted)],
                    lineDrawing: lineDrawing
                )
            )
        }
        return lines
    }

    private static func stepLines(_ m: Migration, now: Date, lineDrawing: LineDrawing) -> [StyledLine] {
        guard !m.steps.isEmpty else { return [] }
        var lines: [StyledLine] = ["", StyledLine("Steps", style: Style(.text, .bold))]
        for step in m.steps {
            let mark: StateMark
            switch step.state {
            case .done: mark = .ok
            case .failed: mark = .crit
            case .running: mark = .info
            default: mark = .unknown
            }
            var elapsed = ""
            if let started = step.startedAt {
                elapsed = " " + SpanText.span((step.endedAt ?? now).timeIntervalSince(started))
            }
            let name = step.name.padding(toLength: max(step.name.count, 13), withPad: " ", startingAt: 0)
            let detail = step.detail.isEmpty ? "" : "  \(step.detail)"
            lines.append(
                .marked(mark, [Span("\(name) \(step.state.rawValue)\(elapsed)\(detail)")], lineDrawing: lineDrawing)
            )
            if step.state == .failed, let output = step.output, !output.isEmpty {
                for line in output.split(separator: "\n").suffix(3) {
                    lines.append(StyledLine("      \(line)", style: .muted))
                }
            }
        }
        return lines
    }
}

/// The sign beside a migration's state, so no state is told by colour alone: ✓ completed, ▶ running,
/// ! waiting for you, ✗ failed, ⏸ interrupted, · the rest.
struct MigrationSign {
    enum Kind {
        case completed, running, waitsForYou, failed, interrupted, other, attention
    }

    let kind: Kind

    init(_ m: Migration, board: MigrationBoard) {
        if board.waitsForViewer(m) {
            kind = .waitsForYou
            return
        }
        switch m.state {
        case .completed: kind = .completed
        case .executing, .verifying, .rollingBack: kind = .running
        case .failed, .rollbackFailed: kind = .failed
        case .interrupted: kind = .interrupted
        case .blocked: kind = .attention
        default: kind = .other
        }
    }

    func symbol(_ lineDrawing: LineDrawing) -> String {
        let unicode = lineDrawing == .unicode
        switch kind {
        case .completed: return unicode ? "✓" : "+"
        case .running: return unicode ? "▶" : ">"
        case .waitsForYou, .attention: return "!"
        case .failed: return unicode ? "✗" : "x"
        case .interrupted: return unicode ? "⏸" : "="
        case .other: return unicode ? "·" : "-"
        }
    }

    var role: Role {
        switch kind {
        case .completed: return .ok
        case .running: return .info
        case .waitsForYou, .interrupted, .attention: return .warn
        case .failed: return .crit
        case .other: return .muted
        }
    }
}
