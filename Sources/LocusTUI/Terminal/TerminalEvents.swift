import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Something the terminal reported.
public enum TerminalEvent: Hashable, Sendable {
    /// Bytes are waiting on stdin; `Terminal.readKeys()` decodes them.
    case inputReady
    /// SIGWINCH: the window changed size.
    case windowChanged
    case signal(TerminationSignal)
}

/// Watches stdin, SIGWINCH and the termination signals with dispatch sources on
/// the main queue, so no work happens in a C signal handler and nothing polls:
/// the loop sleeps until one of them fires.
///
/// Create it before `Terminal.open`: once dispatch handles these signals, curses
/// leaves them alone (it installs its own handlers only where none is set), so
/// SIGINT and SIGTERM restore the terminal through the same path as `q`.
@MainActor
public final class TerminalEvents {
    private var sources: [any DispatchSourceProtocol] = []

    /// Starts watching and yields every event into `sink`.
    public init(sink: @escaping @Sendable (TerminalEvent) -> Void) {
        for signal in TerminationSignal.allCases {
            sources.append(Self.watch(signal.number) { sink(.signal(signal)) })
        }
        sources.append(Self.watch(SIGWINCH) { sink(.windowChanged) })
        let input = DispatchSource.makeReadSource(fileDescriptor: STDIN_FILENO, queue: .main)
        input.setEventHandler { sink(.inputReady) }
        input.resume()
        sources.append(input)
    }

    /// Stops watching. The signals stay caught (and dropped) until the process exits, so a
    /// second Ctrl-C during shutdown cannot kill Locus with the terminal half restored.
    public func cancel() {
        for source in sources {
            source.cancel()
        }
        sources.removeAll()
    }

    private static func watch(_ number: Int32, handler: @escaping @Sendable () -> Void) -> any DispatchSourceSignal {
        // Ignoring the default action first means the signal cannot end the process
        // before the source has delivered it.
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
        source.setEventHandler(handler: handler)
        source.resume()
        return source
    }
}
