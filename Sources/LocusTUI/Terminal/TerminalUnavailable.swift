/// Why the dashboard cannot take over this terminal.
///
/// Each case's `description` is the one line printed on stderr before exiting
/// with status 2; it says what is wrong and which headless command works instead.
public enum TerminalUnavailable: Error, Equatable, Sendable {
    case standardOutputNotATerminal
    case standardInputNotATerminal
    case termNotSet
    case dumbTerminal
    case unknownTerminal(String)
    case noCursorAddressing(String)
    case terminfoUnreadable(String)
    case cursesRefused(String)

    /// The exit status the command line uses for all of these.
    public static let exitStatus: Int32 = 2
}

extension TerminalUnavailable: CustomStringConvertible {
    public var description: String {
        let headless = "use `locus snapshot` or `locus check` for output without a terminal"
        switch self {
        case .standardOutputNotATerminal:
            return "locus: stdout is not a terminal, so the dashboard cannot start; \(headless)"
        case .standardInputNotATerminal:
            return "locus: stdin is not a terminal, so the dashboard cannot read keys; \(headless)"
        case .termNotSet:
            return
                "locus: TERM is not set, so the terminal type is unknown; set TERM (e.g. xterm-256color) or \(headless)"
        case .dumbTerminal:
            return "locus: TERM=dumb cannot move the cursor, so the dashboard cannot draw; \(headless)"
        case .unknownTerminal(let term):
            return
                "locus: terminal type '\(term)' is not in the terminfo database; set TERM to a known type (e.g. xterm-256color) or \(headless)"
        case .noCursorAddressing(let term):
            return "locus: terminal type '\(term)' has no cursor addressing, so the dashboard cannot draw; \(headless)"
        case .terminfoUnreadable(let term):
            return
                "locus: the terminfo database could not be read for '\(term)'; install ncurses-base or \(headless)"
        case .cursesRefused(let term):
            return "locus: curses could not start on terminal type '\(term)'; \(headless)"
        }
    }
}
