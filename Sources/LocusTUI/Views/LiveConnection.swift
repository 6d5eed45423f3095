import LocusCore

/// A new snapshot with what the executable fetched alongside it.
public struct LiveUpdate: Sendable {
    public var snapshot: Snapshot
    /// Nil when no map-server `api` is configured.
    public var registrations: [SiteRegistrations]?

    public init(snapshot: Snapshot, registrations: [SiteRegistrations]?) {
        self.snapshot = snapshot
        self.registrations = registrations
    }
}

/// How the dashboard reaches the world outside the terminal. The `locus` executable builds it
/// over the engine; the dashboard only reads the stream and calls the closures off the main
/// actor, so the network never blocks a keystroke.
public struct LiveConnection: Sendable {
    /// Every new snapshot; the stream ends when the engine stops.
    public var updates: AsyncStream<LiveUpdate>
    /// Stores the acknowledgement (alert, operator, how long; nil: until it clears) before anything
    /// shows it.
    public var acknowledge: @Sendable (AlertID, String, Duration?) async throws -> Void
    /// The recent events of one workload from the store, newest first.
    public var recentEvents: @Sendable (String) async throws -> [Event]
    /// The store's migrations and what the operator decides about them; nil when the store keeps none.
    public var migrations: MigrationConnection?

    public init(
        updates: AsyncStream<LiveUpdate>,
        acknowledge: @escaping @Sendable (AlertID, String, Duration?) async throws -> Void,
        recentEvents: @escaping @Sendable (String) async throws -> [Event],
        migrations: MigrationConnection? = nil
    ) {
        self.updates = updates
        self.acknowledge = acknowledge
        self.recentEvents = recentEvents
        self.migrations = migrations
    }
}

/// The migrations side of a `LiveConnection`.
public struct MigrationConnection: Sendable {
    /// A new board each time the store's migrations change (another process, another host, a runner's
    /// step), and while one runs, every second; the stream ends with the dashboard.
    public var boards: AsyncStream<MigrationBoard>
    /// Carries out a command as the login of this process and says what became of it; it returns once
    /// the store holds the decision (or refused it).
    public var perform: @Sendable (MigrationCommand) async -> MigrationCommandOutcome
    /// Waits for the detached runner `pid` this process started to end, and gives its exit status and
    /// the last line of its log (the second argument).
    public var runnerEnded: @Sendable (Int32, String) async -> RunnerExit

    public init(
        boards: AsyncStream<MigrationBoard>,
        perform: @escaping @Sendable (MigrationCommand) async -> MigrationCommandOutcome,
        runnerEnded: @escaping @Sendable (Int32, String) async -> RunnerExit
    ) {
        self.boards = boards
        self.perform = perform
        self.runnerEnded = runnerEnded
    }
}

/// How a detached runner this process started ended.
public struct RunnerExit: Hashable, Sendable {
    public var status: Int32
    /// The last line of its log, which says why when it failed.
    public var lastLine: String

    public init(status: Int32, lastLine: String) {
        self.status = status
        self.lastLine = lastLine
    }
}
