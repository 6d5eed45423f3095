import Foundation
import Synchronization

/// An immutable, versioned picture of the world, published to the screen and to scripts.
///
/// Taking one is O(1): the collections are shared with the world until it next changes them.
public struct Snapshot: Sendable {
    /// Increases with every published snapshot of one process.
    public let version: UInt64
    /// Unique to this snapshot in this process (versions repeat across engines), so that views can
    /// keep what they derived from it until the next one arrives.
    public let identity: UInt64
    public let takenAt: Date
    /// The configuration's name.
    public let configName: String
    public let sites: [SiteConfig]
    public let workloads: ShardedDictionary<String, Workload>
    public let sources: [String: SourceHealth]
    /// Active alerts.
    public let alerts: ShardedDictionary<AlertID, Alert>
    /// Newest first.
    public let events: [Event]

    public init(version: UInt64, takenAt: Date, world: World) {
        self.version = version
        self.identity = Self.lastIdentity.withLock { last in
            last += 1
            return last
        }
        self.takenAt = takenAt
        self.configName = world.name
        self.sites = world.sites
        self.workloads = world.workloads
        self.sources = world.sources
        self.alerts = world.alerts
        self.events = world.recentEvents
    }

    private static let lastIdentity = Mutex<UInt64>(0)

    /// Workloads sorted by name, for output.
    public var sortedWorkloads: [Workload] {
        workloads.values.sorted { $0.name < $1.name }
    }

    /// Sources sorted by kind then name, for output.
    public var sortedSources: [SourceHealth] {
        sources.values.sorted { ($0.kind.rawValue, $0.name) < ($1.kind.rawValue, $1.name) }
    }

    /// Active alerts, most severe first, then oldest first.
    public var sortedAlerts: [Alert] {
        alerts.values.sorted { lhs, rhs in
            if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
            if lhs.firstSeen != rhs.firstSeen { return lhs.firstSeen < rhs.firstSeen }
            return lhs.id < rhs.id
        }
    }

    /// Alert ids by subject, each list sorted.
    public var alertIDsBySubject: [String: [AlertID]] {
        var bySubject: [String: [AlertID]] = [:]
        for alert in alerts.values {
            bySubject[alert.subject, default: []].append(alert.id)
        }
        for subject in bySubject.keys {
            bySubject[subject]?.sort()
        }
        return bySubject
    }
}
