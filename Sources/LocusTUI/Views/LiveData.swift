import Foundation
import LocusCore

/// What a map-server's registration table says about one site, for the Sites view.
///
/// The executable builds these from the map-server `api` (LocusTUI never talks to the network).
public struct SiteRegistrations: Hashable, Sendable {
    public var site: String
    /// EID prefixes registered for the site now.
    public var registered: Int
    /// The newest `last_registered` of the site's registrations.
    public var lastRegistered: Date?
    /// Who registered (ETR addresses), sorted.
    public var registerers: [String]
    /// Map-Registers dropped without an answer, by reason (`bad-mac`, `replay`, …); only non-zero ones.
    public var dropped: [String: Int]

    public init(site: String, registered: Int, lastRegistered: Date?, registerers: [String], dropped: [String: Int]) {
        self.site = site
        self.registered = registered
        self.lastRegistered = lastRegistered
        self.registerers = registerers
        self.dropped = dropped
    }

    public var droppedTotal: Int { dropped.values.reduce(0, +) }
}

/// The recent events of one workload, as last fetched from the store.
public struct WorkloadHistory: Hashable, Sendable {
    public var subject: String
    /// Newest first.
    public var events: [Event]

    public init(subject: String, events: [Event]) {
        self.subject = subject
        self.events = events
    }
}

/// Everything the live views show besides the operator's place in them: the last snapshot, the
/// map-server registrations and the fetched history of the selected workload.
public struct LiveData: Sendable {
    public var snapshot: Snapshot
    /// Nil when no `[[mapping]]` has a map-server `api`; empty until the first table arrives.
    public var registrations: [SiteRegistrations]?
    public var history: WorkloadHistory?
    /// Ages are measured from here; the dashboard passes the current minute so that ages change
    /// at most once a minute.
    public var now: Date
    /// Event times are shown as HH:MM in this zone.
    public var timeZone: TimeZone
    /// The round-trip time to show per source: the dashboard takes a new value only when the
    /// source's state changes or a minute passed, so jitter does not redraw an idle screen.
    /// Sources missing here show the snapshot's value.
    public var shownRTT: [String: Duration]
    /// The store's migrations; nil until first read, or when the store keeps none.
    public var migrations: MigrationBoard?

    public init(
        snapshot: Snapshot,
        registrations: [SiteRegistrations]? = nil,
        history: WorkloadHistory? = nil,
        now: Date,
        timeZone: TimeZone = .current,
        shownRTT: [String: Duration] = [:],
        migrations: MigrationBoard? = nil
    ) {
        self.snapshot = snapshot
        self.registrations = registrations
        self.history = history
        self.now = now
        self.timeZone = timeZone
        self.shownRTT = shownRTT
        self.migrations = migrations
    }

    /// The RTT to show for `source`.
    public func rtt(of source: SourceHealth) -> Duration? {
        shownRTT[source.name] ?? source.rtt
    }
}
