import LocusCore

extension LiveKeys {
    /// Closes a question about an alert that cleared, came back as a new occurrence, or changed
    /// severity since it was asked — the confirmation or the prompt for how long before it — saying
    /// so on the status line: the operator answers only what they saw. (A message that changes with
    /// time alone, such as an age, does not count.)
    static func revisitConfirmation(_ state: UIState, snapshot: Snapshot) -> UIState {
        var next = state
        if let asked = state.confirmation?.alert, let notice = change(of: asked, in: snapshot) {
            next.confirmation = nil
            next.message = StatusMessage(.info, notice)
        }
        if case .acknowledgeFor(let asked)? = state.prompt?.kind, let notice = change(of: asked, in: snapshot) {
            next.prompt = nil
            next.message = StatusMessage(.info, notice)
        }
        return next
    }

    /// What makes a question about `asked` stale, in words; nil when it still stands.
    private static func change(of asked: Alert, in snapshot: Snapshot) -> String? {
        guard let now = snapshot.alerts[asked.id], now.firstSeen == asked.firstSeen else {
            return "\(asked.id) cleared while you were asked; nothing was acknowledged"
        }
        guard now.severity == asked.severity else {
            return "\(asked.id) is \(AlertText.word(now.severity)) now, not \(AlertText.word(asked.severity)): "
                + "look again before acknowledging"
        }
        if let by = now.acknowledgedBy {
            return "\(asked.id) was acknowledged by \(by) meanwhile"
        }
        return nil
    }
}
