#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A signal that ends the dashboard; the terminal is restored before the process exits.
public enum TerminationSignal: CaseIterable, Hashable, Sendable {
    /// Ctrl-C.
    case interrupt
    /// `kill`, a service manager stopping Locus.
    case terminate
    /// The terminal went away: an ssh link dropped or the window closed.
    case hangUp

    public var number: Int32 {
        switch self {
        case .interrupt: return SIGINT
        case .terminate: return SIGTERM
        case .hangUp: return SIGHUP
        }
    }

    /// The shell convention for a process ended by a signal: 128 + the signal number.
    public var exitStatus: Int32 { 128 + number }

    public var name: String {
        switch self {
        case .interrupt: return "SIGINT"
        case .terminate: return "SIGTERM"
        case .hangUp: return "SIGHUP"
        }
    }
}
