import LocusCore

extension LiveKeys {
    /// Closes a question about an alert that cleared, came back as a new occurrence, or changed
    /// severity since it was asked, saying so on the status line: the operator answers only what
    /// they saw. (A message that changes with time alone, such as an age, does not count.)
    static func revisitConfirmation(_ state: UIState, snapshot: Snapshot) -> UIState {
        guard let asked = state.confirmation?.alert else { return state }
        var next = state
        guard let now = snapshot.alerts[asked.id], now.firstSeen == asked.firstSeen else {
            next.confirmation = nil
            next.message = StatusMessage(.info, "\(asked.id) cleared while you were asked; nothing was acknowledged")
            return next
        }
        guard now.severity == asked.severity else {
            next.confirmation = nil
            next.message = StatusMessage(
                .info,
                "\(asked.id) is \(AlertText.word(now.severity)) now, not \(AlertText.word(asked.severity)): "
                    + "look again before acknowledging"
            )
            return next
        }
        return state
    }
}
