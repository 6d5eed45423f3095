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
    /// Stores the acknowledgement (alert, operator) before anything shows it.
    public var acknowledge: @Sendable (AlertID, String) async throws -> Void
    /// The recent events of one workload from the store, newest first.
    public var recentEvents: @Sendable (String) async throws -> [Event]

    public init(
        updates: AsyncStream<LiveUpdate>,
        acknowledge: @escaping @Sendable (AlertID, String) async throws -> Void,
        recentEvents: @escaping @Sendable (String) async throws -> [Event]
    ) {
        self.updates = updates
        self.acknowledge = acknowledge
        self.recentEvents = recentEvents
    }
}
