import LocusCore

/// Something that may change what the dashboard shows.
public enum DashboardEvent: Sendable {
    case terminal(TerminalEvent)
    /// The wall clock reached a new minute.
    case minuteChanged
    /// Something outside the terminal changed what the screen shows: render again.
    case refresh
    /// A new snapshot from the engine.
    case live(LiveUpdate)
    /// The store's recent events of a workload, fetched for the detail pane.
    case history(WorkloadHistory)
    /// An acknowledgement was stored, or could not be (the error says why).
    case acknowledged(AlertID, error: String?)
    /// The store's migrations as just read.
    case migrations(MigrationBoard)
    /// The store holds the decision, or refused it.
    case migrationDone(MigrationCommand, MigrationCommandOutcome)
    /// A detached runner this process started has ended.
    case runnerEnded(String, pid: Int32, RunnerExit)
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
        /// The engine's snapshots and commands; nil without a configuration.
        public var live: LiveConnection?

        public init(
            state: UIState,
            configName: String?,
            world: WorldStatus,
            operatorName: String,
            options: Terminal.Options,
            environment: [String: String],
            themes: ThemeCatalog,
            live: LiveConnection? = nil
        ) {
            self.state = state
            self.configName = configName
            self.world = world
            self.operatorName = operatorName
            self.options = options
            self.environment = environment
            self.themes = themes
            self.live = live
        }
    }

    private let setup: Setup
    private let stream: AsyncStream<DashboardEvent>
    /// Where outside producers (the engine's snapshot subscription in a later step) send events.
    public nonisolated let events: AsyncStream<DashboardEvent>.Continuation
    public private(set) var state: UIState
    private var live: LiveSession

    public init(setup: Setup) {
        self.setup = setup
        self.state = setup.state
        self.live = LiveSession(connection: setup.live)
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
        let feed = live.start(sink: sink)
        defer { feed?.cancel() }

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
                if keys.contains(.resize) { backend.invalidate() }
                let rows = Shell.liveListRows(size: terminal.size)
                state = Shell.reduce(state, keys: keys) { state, key in
                    Shell.press(key, in: state, live: live.data, visibleRows: rows)
                }
            case .minuteChanged:
                live.steadyRTTs()
            case .refresh:
                break
            case .live(let update):
                live.receive(update)
                state = LiveKeys.revisitConfirmation(state, snapshot: update.snapshot)
            case .history(let history):
                live.accept(history)
            case .acknowledged(let id, let error):
                state.message =
                    error.map { StatusMessage(.error, "could not acknowledge \(id): \($0)") }
                    ?? StatusMessage(.info, "acknowledged \(id) as \(setup.operatorName)")
            case .migrations(let board):
                live.receive(board)
            case .migrationDone(let command, let outcome):
                state.message = StatusMessage(outcome.isRefusal ? .error : .info, outcome.message)
                if let pid = outcome.runner, let id = command.migration?.id {
                    state.runnersStarted[id] = pid
                }
            case .runnerEnded(let id, let pid, let exit):
                if state.runnersStarted[id] == pid { state.runnersStarted[id] = nil }
                if exit.status == -1 {
                    state.message = StatusMessage(.info, "the runner of \(id) ended: \(exit.lastLine)")
                } else if exit.status != 0 {
                    state.message = StatusMessage(.error, "the runner of \(id) exited \(exit.status): \(exit.lastLine)")
                }
            }
            live.perform(&state.requests, operatorName: setup.operatorName, sink: sink)
            live.fetchHistoryIfNeeded(state, visibleRows: Shell.liveListRows(size: terminal.size), sink: sink)
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
        return Shell.render(state, context, live: live.data)
    }
}
