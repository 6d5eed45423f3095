import LocusCore

/// `x` on an alert: how long the acknowledgement holds, then the question.
enum AcknowledgementKeys {
    /// Enter on the duration prompt: nothing means until the alert clears; anything else must be a
    /// positive duration in the config's notation, or the prompt stays open saying what was wrong.
    static func submit(_ prompt: Prompt, about alert: Alert, to state: inout UIState) {
        let text = prompt.text.trimmingCharacters(in: .whitespaces)
        var duration: Duration?
        if !text.isEmpty {
            guard let parsed = try? Duration(configText: text), parsed > .zero else {
                state.prompt = prompt
                state.message = StatusMessage(
                    .error,
                    "\(text) is not a duration: type one like 30m, 4h or 2d, or nothing for until it clears"
                )
                return
            }
            duration = parsed
        }
        state.confirmation = confirmation(of: alert, for: duration)
    }

    static func confirmation(of alert: Alert, for duration: Duration?) -> PendingConfirmation {
        let span = duration.map { "for \($0.configText)" } ?? "until it clears"
        let consequence =
            duration.map { "After \($0.configText) it counts again unless it has cleared." }
            ?? "If it clears and comes back, it is news again."
        return PendingConfirmation(
            action: "Acknowledge alert",
            object: "\(AlertText.word(alert.severity)) \(alert.id) \(span)",
            details: [consequence],
            onConfirm: .acknowledge(alert.id, for: duration),
            alert: alert
        )
    }
}
