import Foundation
import LocusCore

/// The keys that decide about migrations: in the Migrations view `a` approve, `r` reject, `c` cancel
/// (abort a running one), `p` preflight, `R` roll back, `u` resume, `n` run now; `m` on a workload
/// requests one. Each asks for confirmation naming the workload, from → to and the digest; nothing
/// changes until the store holds the decision, and a refusal is said on the status line.
enum MigrationKeys {
    /// The keys of the Migrations view with what they do, for help and hints.
    static let decisions: [(key: Character, description: String)] = [
        ("a", "approve (asks first)"),
        ("r", "reject, with a reason"),
        ("c", "cancel; on a running one, abort after the current step"),
        ("p", "re-run the preflight"),
        ("R", "roll back a completed, failed or interrupted one"),
        ("u", "resume an interrupted one"),
        ("n", "run an approved one now, outside its window"),
    ]

    /// The state after `key` in the Migrations view, or nil when it is not one of its decision keys.
    static func reduceMigrations(_ state: UIState, key: Key, data: LiveData, visibleRows: Int) -> UIState? {
        guard case .character(let character) = key, decisions.contains(where: { $0.key == character }) else {
            return nil
        }
        var next = state
        next.message = nil
        guard let board = data.migrations else {
            next.message = StatusMessage(.error, "no migrations: the store has not been read yet")
            return next
        }
        guard let m = selected(state, board: board, visibleRows: visibleRows) else {
            next.message = StatusMessage(.info, "no migration selected")
            return next
        }
        if let refusal = refusal(character, for: m, board: board, readOnly: state.isReadOnly) {
            next.message = StatusMessage(.error, refusal)
            return next
        }
        switch character {
        case "a": next.confirmation = confirmation(for: .approve(m), policy: board.policy)
        case "r": next.prompt = Prompt(.reason(.reject(m, reason: "")))
        case "c": next.confirmation = confirmation(for: .cancel(m, reason: ""))
        case "p": next.confirmation = confirmation(for: .preflight(m))
        case "R": next.confirmation = confirmation(for: .rollback(m))
        case "u": next.confirmation = confirmation(for: .resume(m))
        case "n": next.confirmation = confirmation(for: .runNow(m))
        default: return nil
        }
        return next
    }

    /// Why `key` cannot act on `m` from this screen, in words; nil when it may be tried (the store
    /// still decides).
    static func refusal(_ key: Character, for m: Migration, board: MigrationBoard, readOnly: Bool) -> String? {
        if readOnly { return "read-only (--read-only): nothing is decided from this screen" }
        let approverOnly: Set<Character> = ["a", "r", "R", "u", "n"]
        if approverOnly.contains(key) || key == "c" && m.state.isRunning, let reason = board.readOnlyReason {
            return reason
        }
        let state = m.state
        switch key {
        case "a":
            if m.requestedBy == board.viewer { return "\(m.id) is your own request: another approver approves it" }
            if m.approvals.contains(where: { $0.user == board.viewer }) { return "you already approved \(m.id)" }
            guard state == .ready else { return "\(m.id) is \(state): only a ready migration is approved" }
        case "r":
            guard state.awaitsApproval else { return "\(m.id) is \(state): only one awaiting approval is rejected" }
        case "c":
            guard state.awaitsApproval || state == .approved || state.isRunning else {
                return "\(m.id) is \(state): there is nothing to cancel"
            }
            if state == .rollingBack { return "\(m.id) is rolling back: a rollback is not aborted" }
        case "p":
            guard state.awaitsApproval || state == .approved else {
                return "\(m.id) is \(state): its preflight is no longer re-run"
            }
        case "R":
            guard [.completed, .failed, .interrupted, .rollbackFailed].contains(state) else {
                return "\(m.id) is \(state): only a completed, failed or interrupted migration is rolled back"
            }
        case "u":
            guard state == .interrupted else { return "\(m.id) is \(state): only an interrupted one is resumed" }
        case "n":
            guard state == .approved else { return "\(m.id) is \(state): only an approved one is run now" }
        default:
            break
        }
        return nil
    }

    /// `m` on the selected workload: the list of destination sites.
    static func requestKey(_ state: UIState, data: LiveData, visibleRows: Int) -> UIState {
        var next = state
        next.message = nil
        if state.isReadOnly {
            next.message = StatusMessage(.error, "read-only (--read-only): nothing is requested from this screen")
            return next
        }
        guard data.migrations != nil else {
            next.message = StatusMessage(.error, "no migrations here: the store has not been read yet")
            return next
        }
        guard let name = LiveKeys.selectedWorkload(state, data: data, visibleRows: visibleRows),
            let workload = data.snapshot.workloads[name]
        else {
            next.message = StatusMessage(.info, "no workload selected")
            return next
        }
        let from = workload.spec.site
        let sites = data.snapshot.sites.map(\.name).filter { $0 != from }
        guard !sites.isEmpty else {
            next.message = StatusMessage(.error, "\(name) is at \(from), the only site configured")
            return next
        }
        next.sitePicker = SitePicker(workload: name, fromSite: from, sites: sites)
        return next
    }

    /// Keys while the site list is open: it takes every key.
    static func reducePicker(_ state: UIState, key: Key) -> UIState {
        guard var picker = state.sitePicker, picker.sites.indices.contains(picker.selection) else {
            var closed = state
            closed.sitePicker = nil
            return closed
        }
        var next = state
        next.message = nil
        switch key {
        case .up, .character("k"): picker.selection = max(0, picker.selection - 1)
        case .down, .character("j"): picker.selection = min(picker.sites.count - 1, picker.selection + 1)
        case .escape, .character("q"):
            next.sitePicker = nil
            return next
        case .enter:
            next.sitePicker = nil
            next.prompt = Prompt(.requestAddress(workload: picker.workload, site: picker.sites[picker.selection]))
            return next
        default: break
        }
        next.sitePicker = picker
        return next
    }

    /// Enter on a migration prompt: a reason or an address, checked, then the confirmation.
    static func submit(_ prompt: Prompt, to state: inout UIState) {
        let text = prompt.text.trimmingCharacters(in: .whitespaces)
        switch prompt.kind {
        case .reason(let command):
            guard !text.isEmpty else { return keep(prompt, in: &state, "a reason is required: type why, or Esc") }
            state.confirmation = confirmation(for: command.withReason(text))
        case .requestAddress(let workload, let site):
            if !text.isEmpty, IPAddress(text) == nil {
                return keep(prompt, in: &state, "\(text) is not an IP address; Enter on an empty line keeps it")
            }
            state.prompt = Prompt(.requestReason(workload: workload, site: site, address: text.isEmpty ? nil : text))
        case .requestReason(let workload, let site, let address):
            guard !text.isEmpty else { return keep(prompt, in: &state, "a reason is required: say why it moves") }
            state.confirmation = confirmation(
                for: .request(workload: workload, toSite: site, address: address, reason: text)
            )
        case .filter, .command, .acknowledgeFor:
            break
        }
    }

    private static func keep(_ prompt: Prompt, in state: inout UIState, _ error: String) {
        state.prompt = prompt
        state.message = StatusMessage(.error, error)
    }

    /// The question before `command`: what, on which workload, from → to and the digest reviewed.
    static func confirmation(for command: MigrationCommand, policy: ApprovalPolicy? = nil) -> PendingConfirmation {
        guard let m = command.migration else {
            if case .request(let workload, let site, let address, let reason) = command {
                return PendingConfirmation(
                    action: command.action,
                    object: "\(workload) to \(site)",
                    details: [address.map { "new address \($0)" } ?? "it keeps its address", "reason: \(reason)"],
                    onConfirm: .migration(command)
                )
            }
            return PendingConfirmation(action: command.action, object: "", onConfirm: .migration(command))
        }
        let digest = m.preflight.map { "digest \($0.digest.prefix(8))" } ?? "no preflight"
        var details = ["\(m.workload) \(m.fromSite) → \(m.toSite), \(digest)"]
        switch command {
        case .reject(_, let reason): details.append("reason: \(reason)")
        case .approve:
            if let policy, m.approvalsMissing(policy: policy) <= 1 {
                details.append("This is the last approval it needs: the cutover starts, detached.")
            }
        case .rollback, .resume, .runNow:
            details.append("Its runner starts detached and goes on if this screen closes.")
        default: break
        }
        return PendingConfirmation(
            action: command.action,
            object: m.id,
            details: details,
            onConfirm: .migration(command)
        )
    }

    /// The status line while `command` is carried out.
    static func progress(_ command: MigrationCommand) -> String {
        switch command {
        case .request(let workload, let site, _, _): "requesting the migration of \(workload) to \(site)…"
        case .preflight(let m): "running the preflight of \(m.id)…"
        case .approve(let m): "approving \(m.id)…"
        case .reject(let m, _): "rejecting \(m.id)…"
        case .cancel(let m, _): m.state.isRunning ? "asking \(m.id)'s runner to stop…" : "cancelling \(m.id)…"
        case .rollback(let m): "starting the rollback of \(m.id)…"
        case .resume(let m): "resuming \(m.id)…"
        case .runNow(let m): "starting \(m.id) now…"
        }
    }

    /// The migration under the cursor, in the order shown.
    static func selected(_ state: UIState, board: MigrationBoard, visibleRows: Int) -> Migration? {
        let ordered = LiveRows.migrations(board, filter: state.filter)
        guard !ordered.isEmpty else { return nil }
        let table = state.live.position(.migrations).tableState(keys: ordered.map(\.id), visibleRows: visibleRows)
        return ordered[table.selection]
    }
}

extension MigrationCommand {
    /// The same command with the reason the operator typed.
    func withReason(_ reason: String) -> MigrationCommand {
        switch self {
        case .reject(let m, _): .reject(m, reason: reason)
        case .cancel(let m, _): .cancel(m, reason: reason)
        case .request(let workload, let site, let address, _):
            .request(workload: workload, toSite: site, address: address, reason: reason)
        default: self
        }
    }
}
