import Foundation

/// A workload as Locus knows it: what the inventory declares plus what the mapping system and the
/// probes currently say.
public struct Workload: Sendable, Hashable, Identifiable {
    /// The declaration, as the inventory source that last reloaded it wrote it.
    public internal(set) var spec: InventoryWorkload
    /// The current mapping; `unknown` until a resolver answers and again when it goes down.
    public internal(set) var mapping: Mapping
    /// The states of its dependencies; empty until probes report.
    public internal(set) var dependencies: [DependencyStatus]
    /// Names of the inventory sources that declare it, sorted.
    public internal(set) var sources: [String]
    /// For each field (`name`, `eid`, `iid`, `site`, `address`, `mac`, `host`, `owner`, `tags`,
    /// `dependencies`, and each attribute key), every source that gives it, the one `spec` uses first.
    public internal(set) var provenance: [String: [FieldOrigin]]
    /// When its mapped site last changed.
    public internal(set) var lastMovedAt: Date?
    /// The last registered mapping seen by this or an earlier process; moves are detected against it.
    public internal(set) var lastKnownMapping: LastKnownMapping?
    /// Its entry in the map-server's registration table; nil when the table is not available.
    public internal(set) var registration: RegistrationStatus?
    /// Times of its recent moves, oldest first, trimmed by the correlator to the flapping window.
    public internal(set) var recentMoves: [Date]
    /// The address the inventory gave before its last change of address: where a record left
    /// behind by a move still points.
    public internal(set) var previousAddress: IPAddress?
    /// A migration of this workload is requested and not finished (taken over from the store at start).
    public internal(set) var hasPendingMigration: Bool
    /// A completed migration moved it and an inventory still says otherwise: `spec` has the
    /// migration's site and address meanwhile.
    public internal(set) var outdatedInventory: OutdatedInventory?
    /// Sets that still allow its previous address though it does not depend on them, by firewall
    /// (its own dependencies say so in their `leftover`).
    public internal(set) var firewallLeftovers: [String: [FirewallLeftover]] = [:]

    public init(
        spec: InventoryWorkload,
        mapping: Mapping = .unknown,
        dependencies: [DependencyStatus] = [],
        sources: [String] = [],
        lastMovedAt: Date? = nil,
        lastKnownMapping: LastKnownMapping? = nil,
        registration: RegistrationStatus? = nil,
        recentMoves: [Date] = [],
        previousAddress: IPAddress? = nil,
        hasPendingMigration: Bool = false
    ) {
        self.spec = spec
        self.mapping = mapping
        self.dependencies = dependencies
        self.sources = sources
        self.provenance = [:]
        self.lastMovedAt = lastMovedAt
        self.lastKnownMapping = lastKnownMapping
        self.registration = registration
        self.recentMoves = recentMoves
        self.previousAddress = previousAddress
        self.hasPendingMigration = hasPendingMigration
        self.outdatedInventory = nil
    }

    public var id: String { spec.name }
    public var name: String { spec.name }
}

extension InventoryWorkload {
    /// Equal declarations, ignoring where in the file they were written: an edit above a workload
    /// moves its line without changing it, and must not count as a change.
    func declaresSame(as other: InventoryWorkload) -> Bool {
        withoutLines == other.withoutLines
    }

    private var withoutLines: InventoryWorkload {
        var copy = self
        copy.line = 0
        copy.dependencies = dependencies.map { dependency in
            switch dependency {
            case .dns(var spec):
                spec.line = 0
                return .dns(spec)
            case .loadBalancer(var spec):
                spec.line = 0
                return .loadBalancer(spec)
            case .tcp(var spec):
                spec.line = 0
                return .tcp(spec)
            case .firewall(var spec):
                spec.line = 0
                return .firewall(spec)
            }
        }
        return copy
    }
}
