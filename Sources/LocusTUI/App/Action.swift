import LocusCore

/// Something the operator asked for, decoded from a key or a `:` command.
public indirect enum Action: Hashable, Sendable {
    case showView(DashboardView)
    case nextView
    case previousView
    case toggleFocus
    case openFilter
    case openCommandLine
    /// Typing and cursor movement in the open prompt.
    case edit(PromptEdit)
    /// Enter in a prompt: apply the filter or run the command.
    case submitPrompt
    /// Esc in a prompt: close it, keeping the filter that was applied before.
    case cancelPrompt
    case setFilter(String)
    case toggleHelp
    case closeOverlay
    case cycleTheme
    case setTheme(String)
    /// Asks before running `action`.
    case confirm(PendingConfirmation)
    case acceptConfirmation
    case rejectConfirmation
    case quit
    /// Stores an acknowledgement of the alert for a time or (nil) until it clears (asked for by `x`,
    /// after confirmation).
    case acknowledge(AlertID, for: Duration?)
    /// Carries out a migration command (after confirmation).
    case migration(MigrationCommand)
    /// Quits even though a cutover this process started is running (it goes on, detached).
    case quitLeavingRunners
}

/// An edit of the open `/` or `:` line.
public enum PromptEdit: Hashable, Sendable {
    case insert(String)
    case deleteBackward
    case deleteForward
    /// Ctrl-U.
    case deleteToStart
    /// Ctrl-W.
    case deleteWordBackward
    case moveLeft
    case moveRight
    case moveToStart
    case moveToEnd

    func apply(to line: inout InputLineState) {
        switch self {
        case .insert(let text): line.insert(text)
        case .deleteBackward: line.deleteBackward()
        case .deleteForward: line.deleteForward()
        case .deleteToStart: line.deleteToStart()
        case .deleteWordBackward: line.deleteWordBackward()
        case .moveLeft: line.moveLeft()
        case .moveRight: line.moveRight()
        case .moveToStart: line.moveToStart()
        case .moveToEnd: line.moveToEnd()
        }
    }
}
