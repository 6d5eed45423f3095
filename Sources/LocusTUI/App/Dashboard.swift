/// Something that may change what the dashboard shows.
public enum DashboardEvent: Sendable {
    case terminal(TerminalEvent)
    /// The wall clock reached a new minute.
    case minuteChanged
    /// Something outside the terminal changed what the screen shows: render again.
    case refresh
}

/// Why the dashboard ended.
public enum DashboardOutcome: Hashable, Sendable {
    /// The operator quit (`q`, `:quit`).
    case quit
    case signal(TerminationSignal)

    /// The process exit status that goes with the outcome.
    public var exitStatus: Int32 {
        switch self {
        case .quit: return 0
        case .signal(let signal): return signal.exitStatus
        }
    }
}

/// The dashboard's event loop: sleeps until a key, a resize, a signal, the next minute or an
/// outside event, then reduces the state and renders a frame.
///
/// Nothing redraws on a timer: a frame is rendered only after an event, and the backend
/// writes only what changed, so an idle dashboard writes nothing but the clock once a minute.
@MainActor
public final class Dashboard {
    /// What the dashboard starts with.
    public struct Setup: Sendable {
        public var state: UIState
        public var configName: String?
        public var world: WorldStatus
        public var operatorName: String
        public var options: Terminal.Options
        public var environment: [String: String]
        /// The themes `state.themeName` and `t` choose from.
        public var themes: ThemeCatalog

        public init(
            state: UIState,
            configName: String?,
            world: WorldStatus,
            operatorName: String,
            options: Terminal.Options,
            environment: [String: String],
            themes: ThemeCatalog
        ) {
            self.state = state
            self.configName = configName
            self.world = world
            self.operatorName = operatorName
            self.options = options
            self.environment = environment
            self.themes = themes
        }
    }

    private let setup: Setup
    private let stream: AsyncStream<DashboardEvent>
    /// Where outside producers (the engine's snapshot subscription in a later step) send events.
    public nonisolated let events: AsyncStream<DashboardEvent>.Continuation
    public private(set) var state: UIState

    public init(setup: Setup) {
        self.setup = setup
        self.state = setup.state
        (stream, events) = AsyncStream.makeStream(of: DashboardEvent.self, bufferingPolicy: .unbounded)
    }

    /// Takes over the terminal, runs until the operator quits or a signal arrives, and gives
    /// the terminal back on every way out, thrown errors included, before returning or
    /// rethrowing, so the caller prints onto a restored terminal.
    ///
    /// - Throws: `TerminalUnavailable` before touching the terminal when it cannot be used.
    public func run() async throws -> DashboardOutcome {
        let sink = events
        let watcher = TerminalEvents { sink.yield(.terminal($0)) }
        defer { watcher.cancel() }
        let terminal = try Terminal.open(options: setup.options, environment: setup.environment)
        defer { terminal.close() }
        let clock = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: WallClock.nanosecondsToNextMinute())
                sink.yield(.minuteChanged)
            }
        }
        defer { clock.cancel() }

        let backend = NcursesBackend(terminal: terminal, theme: setup.themes.theme(named: state.themeName))
        var shownTheme = state.themeName
        backend.present(frame(for: terminal))
        for await event in stream {
            switch event {
            case .terminal(.signal(let signal)):
                return .signal(signal)
            case .terminal(.windowChanged):
                terminal.refreshSize()
                backend.invalidate()
            case .terminal(.inputReady):
                let keys = terminal.readKeys()
                if keys.isEmpty && terminal.inputHungUp() {
                    return .signal(.hangUp)
                }
                for key in keys {
                    if key == .resize {
                        backend.invalidate()
                    } else if let action = Shell.action(for: key, in: state) {
                        state = Shell.reduce(state, action)
                    }
                }
            case .minuteChanged, .refresh:
                break
            }
            if state.wantsToQuit {
                return .quit
            }
            if state.themeName != shownTheme {
                backend.setTheme(setup.themes.theme(named: state.themeName))
                shownTheme = state.themeName
            }
            backend.present(frame(for: terminal))
        }
        return .quit
    }

    private func frame(for terminal: Terminal) -> Frame {
        let context = ShellContext(
            size: terminal.size,
            lineDrawing: terminal.lineDrawing,
            configName: setup.configName,
            operatorName: setup.operatorName,
            clock: WallClock.now(),
            world: setup.world
        )
        return Shell.render(state, context)
    }
}
