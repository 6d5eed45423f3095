import Foundation

extension Correlator {
    /// `inventory-outdated`: where the workload is since its migration completed, and what to write in
    /// each inventory that still says otherwise. Info: the monitor already follows the migration.
    func outdatedInventoryFinding(
        _ outdated: OutdatedInventory,
        name: String,
        locations: [String: String]
    ) -> Finding {
        let arrival = outdated.arrival
        let writes = outdated.corrections.map { correction in
            "\(locations[correction.source] ?? correction.source): \(name) \(correction.fields.joined(separator: ", "))"
        }
        return Finding(
            kind: .inventoryOutdated,
            severity: .info,
            message: "\(name) is at \(arrival.toSite) since migration \(arrival.migrationID) completed at "
                + "\(RFC3339.string(from: arrival.completedAt)); the inventory still says otherwise, update it: "
                + writes.joined(separator: "; ")
        )
    }
}
