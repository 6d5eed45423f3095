/// What terminfo says about a terminal type.
public enum TerminfoVerdict: Equatable, Sendable {
    case usable
    case unknown
    case noCursorAddressing
    case databaseUnreadable
}

/// The facts about the process's terminal that decide whether the dashboard may start.
///
/// Gathering them touches the system; judging them (`check()`) is pure, so every
/// refusal is tested without a real terminal.
public struct TerminalProbe: Equatable, Sendable {
    public var standardOutputIsTerminal: Bool
    public var standardInputIsTerminal: Bool
    public var term: String?
    public var terminfo: TerminfoVerdict

    public init(
        standardOutputIsTerminal: Bool,
        standardInputIsTerminal: Bool,
        term: String?,
        terminfo: TerminfoVerdict
    ) {
        self.standardOutputIsTerminal = standardOutputIsTerminal
        self.standardInputIsTerminal = standardInputIsTerminal
        self.term = term
        self.terminfo = terminfo
    }

    /// Throws the first reason the dashboard cannot use this terminal, in the order an operator would fix them.
    public func check() throws(TerminalUnavailable) {
        guard standardOutputIsTerminal else { throw .standardOutputNotATerminal }
        guard standardInputIsTerminal else { throw .standardInputNotATerminal }
        guard let term, !term.isEmpty else { throw .termNotSet }
        guard term != "dumb" else { throw .dumbTerminal }
        switch terminfo {
        case .usable: return
        case .unknown: throw .unknownTerminal(term)
        case .noCursorAddressing: throw .noCursorAddressing(term)
        case .databaseUnreadable: throw .terminfoUnreadable(term)
        }
    }
}
