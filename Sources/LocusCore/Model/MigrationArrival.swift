import Foundation

/// Where a completed migration took a workload, which the monitor believes over an inventory that has
/// not caught up: the inventory is edited by hand or synchronised later, the move is already done.
public struct MigrationArrival: Sendable, Hashable {
    public var migrationID: String
    public var fromSite: String
    public var toSite: String
    public var fromAddress: IPAddress
    public var toAddress: IPAddress
    public var completedAt: Date

    public init(
        migrationID: String,
        fromSite: String,
        toSite: String,
        fromAddress: IPAddress,
        toAddress: IPAddress,
        completedAt: Date
    ) {
        self.migrationID = migrationID
        self.fromSite = fromSite
        self.toSite = toSite
        self.fromAddress = fromAddress
        self.toAddress = toAddress
        self.completedAt = completedAt
    }

    /// The newest completed migration of each workload; nil for one whose addresses do not parse
    /// (the store holds them as text).
    public static func newestCompleted(in migrations: [Migration]) -> [String: MigrationArrival] {
        var arrivals: [String: MigrationArrival] = [:]
        for migration in migrations where migration.state == .completed {
            guard let from = IPAddress(migration.fromAddress), let to = IPAddress(migration.toAddress) else {
                continue
            }
            if let known = arrivals[migration.workload], known.completedAt >= migration.lastChange.at { continue }
            arrivals[migration.workload] = MigrationArrival(
                migrationID: migration.id,
                fromSite: migration.fromSite,
                toSite: migration.toSite,
                fromAddress: from,
                toAddress: to,
                completedAt: migration.lastChange.at
            )
        }
        return arrivals
    }

    /// What `declared` becomes: the arrival's site and address while the inventory still says where
    /// the workload came from (field by field); nil once it agrees, or once it says something else
    /// altogether (someone moved it since, and the inventory is the truth again).
    func override(_ declared: InventoryWorkload) -> InventoryWorkload? {
        let siteArrived = declared.site == toSite
        let addressArrived = declared.address == toAddress
        guard !(siteArrived && addressArrived) else { return nil }
        guard siteArrived || declared.site == fromSite, addressArrived || declared.address == fromAddress else {
            return nil
        }
        var overridden = declared
        overridden.site = toSite
        overridden.address = toAddress
        return overridden
    }
}

/// A completed migration the inventory has not caught up with, and which of its sources to update.
public struct OutdatedInventory: Sendable, Hashable {
    /// What to write in one inventory source: `site = "dc-west"`, `address = "10.2.0.7"`.
    public struct Correction: Sendable, Hashable {
        public var source: String
        public var fields: [String]
    }

    public var arrival: MigrationArrival
    /// Each source that still says otherwise, most trusted first.
    public var corrections: [Correction]

    /// The corrections for a workload whose sources gave `provenance`.
    init(arrival: MigrationArrival, provenance: [String: [FieldOrigin]]) {
        self.arrival = arrival
        var corrections: [Correction] = []
        let sources = (provenance["site"] ?? []).map(\.source) + (provenance["address"] ?? []).map(\.source)
        for source in sources where !corrections.contains(where: { $0.source == source }) {
            var fields: [String] = []
            if let site = provenance["site"]?.first(where: { $0.source == source })?.value, site != arrival.toSite {
                fields.append("site = \"\(arrival.toSite)\"")
            }
            if let address = provenance["address"]?.first(where: { $0.source == source })?.value,
                IPAddress(address) != arrival.toAddress
            {
                fields.append("address = \"\(arrival.toAddress)\"")
            }
            if !fields.isEmpty { corrections.append(Correction(source: source, fields: fields)) }
        }
        self.corrections = corrections
    }
}
