import Foundation

/// Everything Locus currently knows, updated in place by observations and the correlator.
///
/// A value type: publishing a `Snapshot` copies only references to its storage, and the next
/// mutation copies just the collection it touches.
public struct World: Sendable {
    /// The configuration's name, shown in the header.
    public var name: String
    public internal(set) var sites: [SiteConfig]
    public internal(set) var workloads: ShardedDictionary<String, Workload>
    public internal(set) var sources: [String: SourceHealth]
    /// Active alerts.
    public internal(set) var alerts: ShardedDictionary<AlertID, Alert>
    /// The errors of each inventory source whose last read failed.
    public internal(set) var inventoryErrors: [String: [ConfigError]]
    /// Inventory source names, most trusted first (the configuration's order): where sources give
    /// different values for a workload's field, the first one's wins. Unlisted sources come last.
    public var inventoryOrder: [String]
    /// Newest first, at most `recentEventLimit`.
    public internal(set) var recentEvents: [Event]
    public var recentEventLimit: Int

    /// When time alone may change a workload's alerts (a registration growing stale, moves leaving
    /// the flapping window); see `Correlator.evaluateDue(_:now:)`.
    var reevaluationDeadlines: [String: Date]
    /// Mappings of earlier processes for workloads the inventory has not declared yet.
    var storedMappings: [String: LastKnownMapping]
    /// Addresses earlier processes saw declared, for workloads the inventory has not declared yet.
    var storedAddresses: [String: KnownAddress] = [:]
    /// When each workload moved lately, by earlier processes' account, for workloads the inventory has
    /// not declared yet.
    var storedMoves: [String: [Date]] = [:]
    /// The workloads each firewall's last listing named in a leftover, so the next one can clear them.
    var firewallLeftoverOwners: [String: Set<String>] = [:]
    /// The firewalls whose leftovers this process has listed at least once.
    var firewallLeftoverListings: Set<String> = []
    /// The configured firewalls: a leftover taken over from the store may be on any of them.
    public var firewallNames: Set<String> = []
    /// Workloads with a migration the store holds open, taken over at start.
    var pendingMigrations: Set<String> = []
    /// The newest completed migration of each workload whose inventory has not agreed with it yet,
    /// taken over at start; dropped once the inventory agrees.
    var arrivals: [String: MigrationArrival] = [:]
    /// The completed migrations whose arrival was taken (at start or since), by id: each counts once.
    var followedArrivals: Set<String> = []
    /// Where each inventory source is written (its file, directory or URI), for messages that say
    /// what to update; the source's name where unknown.
    public var inventoryLocations: [String: String] = [:]
    /// Alerts taken over from earlier processes that nothing observed here has confirmed or denied
    /// yet; see `Correlator.judgeSeededAlerts(_:now:)`.
    var seededAlerts: Set<AlertID> = []
    /// When the acknowledgements given for a time lapse, by alert (see `expireAcknowledgements(at:)`).
    var acknowledgementExpiries: [AlertID: Date] = [:]
    /// Each inventory source's last good read, merged into `workloads`.
    var inventoryReads: [String: InventoryRead]
    var siteOfRLOC: [IPAddress: String]

    public init(name: String, sites: [SiteConfig], recentEventLimit: Int = 200) {
        self.name = name
        self.sites = sites
        self.workloads = [:]
        self.sources = [:]
        self.alerts = [:]
        self.inventoryErrors = [:]
        self.inventoryOrder = []
        self.inventoryReads = [:]
        self.recentEvents = []
        self.recentEventLimit = recentEventLimit
        self.reevaluationDeadlines = [:]
        self.storedMappings = [:]
        self.siteOfRLOC = Self.index(sites)
    }

    static func index(_ sites: [SiteConfig]) -> [IPAddress: String] {
        var index: [IPAddress: String] = [:]
        for site in sites {
            for rloc in site.rlocs where index[rloc] == nil {
                index[rloc] = site.name
            }
        }
        return index
    }

    /// The configured site whose `rlocs` hold `address`, or nil.
    public func site(ofRLOC address: String) -> String? {
        guard let parsed = IPAddress(address) else { return nil }
        return siteOfRLOC[parsed]
    }

    /// Active alerts about one workload or source, most severe first.
    public func alerts(about subject: String) -> [Alert] {
        var found: [Alert] = []
        for kind in AlertKind.allCases {
            if let alert = alerts[AlertID(kind: kind, subject: subject)] {
                found.append(alert)
            }
        }
        return found.sorted { ($0.severity, $1.id) > ($1.severity, $0.id) }
    }

    /// Adds events, given in the order they happened, to the recent ones, keeping them newest first
    /// and bounded; of events with the same time, the later one comes first.
    public mutating func remember(_ events: [Event]) {
        guard !events.isEmpty else { return }
        // Prepend (reversed) and sort stably, so that ties keep "later first".
        var merged = Array(events.reversed())
        merged.append(contentsOf: recentEvents)
        recentEvents = merged.enumerated()
            .sorted { ($0.element.time, $1.offset) > ($1.element.time, $0.offset) }
            .prefix(recentEventLimit)
            .map(\.element)
    }

    /// Takes over the last mappings earlier processes stored, so that the first answer seen here is
    /// compared with them: a move that happened while no Locus ran is still a move.
    public mutating func seed(lastKnownMappings: [String: LastKnownMapping]) {
        storedMappings = lastKnownMappings
        for (name, mapping) in lastKnownMappings where workloads[name]?.lastKnownMapping == nil {
            workloads[name]?.lastKnownMapping = mapping
        }
    }

    /// Takes over the addresses earlier processes saw declared, so that a workload re-addressed while no
    /// Locus ran still knows its previous address (a record left there is "its previous address").
    public mutating func seed(lastKnownAddresses: [String: KnownAddress]) {
        storedAddresses = lastKnownAddresses
        for (name, known) in lastKnownAddresses where workloads[name]?.previousAddress == nil {
            guard let address = workloads[name]?.spec.address else { continue }
            workloads[name]?.previousAddress = known.address != address ? known.address : known.previous
        }
    }

    /// Takes over which workloads have a migration open (requested and not finished), so that a record
    /// whose TTL would keep resolvers on the old address after the cutover is warned about in time.
    public mutating func seed(pendingMigrations workloadNames: Set<String>) {
        pendingMigrations = workloadNames
        for name in workloads.keys {
            workloads[name]?.hasPendingMigration = workloadNames.contains(name)
        }
    }

    /// Takes over the completed migrations, before the inventories are read: the newest one of each
    /// workload says where it is (site, and address when it changed) until its inventory agrees, and
    /// the inventory to update is named meanwhile (`inventory-outdated`).
    public mutating func seed(completedMigrations migrations: [Migration]) {
        arrivals = MigrationArrival.newestCompleted(in: migrations)
        followedArrivals = Set(migrations.filter { $0.state == .completed }.map(\.id))
    }

    /// Takes over the moves earlier processes saw (`move` events, oldest first), so that a workload
    /// that keeps moving is still flapping for a process that has just started.
    public mutating func seed(recentMoves moves: [Event]) {
        storedMoves = [:]
        for event in moves where event.kind == .move {
            storedMoves[event.subject, default: []].append(event.time)
        }
        for (name, times) in storedMoves where workloads[name]?.recentMoves.isEmpty == true {
            workloads[name]?.recentMoves = times
        }
    }

    /// Takes over the alerts earlier processes left open, so that one still true keeps its first-seen
    /// time and is not raised again, and one no longer true is cleared (and the history says so).
    ///
    /// They stand until an evaluation has the evidence to judge them: a workload's mapping alerts
    /// wait for a mapping answer, its dependency alerts for a probe of that kind. An alert this
    /// process has already raised is kept as it is.
    public mutating func seed(openAlerts: [Alert]) {
        for alert in openAlerts where alerts[alert.id] == nil {
            alerts[alert.id] = alert
            seededAlerts.insert(alert.id)
        }
    }

    /// Whether some alert taken over from the store still waits to be judged.
    public var hasUnjudgedSeededAlerts: Bool { !seededAlerts.isEmpty }

    /// Takes over events read from the store, newest first, as the start of the recent ones.
    public mutating func seed(recentEvents events: [Event]) {
        remember(events.reversed())
    }

    /// An immutable picture of the world to publish.
    public func snapshot(version: UInt64, takenAt: Date) -> Snapshot {
        Snapshot(version: version, takenAt: takenAt, world: self)
    }
}
