import CNcurses

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TerminalProbe {
    /// Probes the process's own standard streams and `TERM`.
    ///
    /// `setupterm` is asked with an error pointer, so a bad `TERM` is reported
    /// here instead of terminating the process the way `initscr` would.
    public static func current(term: String? = Self.environmentTerm()) -> TerminalProbe {
        let verdict: TerminfoVerdict
        if let term, !term.isEmpty, term != "dumb" {
            switch locus_probe_terminal(term, STDOUT_FILENO) {
            case 1: verdict = .usable
            case 2: verdict = .noCursorAddressing
            case 0: verdict = .unknown
            default: verdict = .databaseUnreadable
            }
        } else {
            verdict = .unknown
        }
        return TerminalProbe(
            standardOutputIsTerminal: isatty(STDOUT_FILENO) == 1,
            standardInputIsTerminal: isatty(STDIN_FILENO) == 1,
            term: term,
            terminfo: verdict
        )
    }

    /// The `TERM` variable, or `nil` when unset.
    public static func environmentTerm() -> String? {
        getenv("TERM").map { String(cString: $0) }
    }
}
