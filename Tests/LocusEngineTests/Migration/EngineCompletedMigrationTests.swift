import Foundation
import LocusCore
import LocusEngine
import LocusStore
import Testing

/// A migration completed by a runner is where the workload is, for every later process over the same
/// store: the next snapshot follows it and names the inventory to update, until the inventory agrees.
@Suite("Engine: completed migrations", .serialized)
struct EngineCompletedMigrationTests {
    static let outdated = AlertID(kind: .inventoryOutdated, subject: "web-07")
    static let mismatch = AlertID(kind: .locatorMismatch, subject: "web-07")

    static func inventory(site: String) -> String {
        """
        [[workload]]
        name = "web-07"
        eid = "10.1.0.7/32"
        site = "\(site)"
        address = "10.1.0.7"

        """
    }

    /// One `locus snapshot` over the shared store.
    static func pass(_ config: LocusConfig, store path: String) async throws -> Snapshot {
        try await Engine(config: config, store: try SQLiteHistoryStore(path: path), tuning: fastTuning).runOnce()
    }

    @Test func theNextSnapshotFollowsACompletedMigrationUntilTheInventoryAgrees() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        let west = try await SimulatedXTR.west(server)
        try await west.register("10.1.0.7")
        try directory.write(Self.inventory(site: "dc-east"), to: "inventory.toml")
        let path = directory.file("locus.sqlite")
        let config = LocusConfig(
            file: directory.file("locus.toml"),
            name: "completed-migration-test",
            pollInterval: .milliseconds(100),
            store: .sqlite(path: path),
            sites: [
                SiteConfig(name: "dc-east", rlocs: [try #require(IPAddress("127.0.1.1"))]),
                SiteConfig(name: "dc-west", rlocs: [try #require(IPAddress("127.0.2.1"))]),
            ],
            mappings: [MappingConfig(name: "mr-1", resolver: await server.resolver, maxAge: .seconds(60))],
            inventories: [InventorySourceConfig(name: "main", kind: .file(path: directory.file("inventory.toml")))],
            approvals: ApprovalsConfig(approvers: [StoredMigrations.me])
        )

        // The runner's whole course through the store's rules: start, verify, complete.
        let stored = try await StoredMigrations(path: path, config: config)
        let start = Date().addingTimeInterval(-120)
        let running = try await stored.executing("m-000000c1", at: start, leaseUntil: Date().addingTimeInterval(60))
        let verifying = try await stored.apply(.verify, to: running, at: start.addingTimeInterval(10))
        let completed = try await stored.apply(
            .complete(timeToGreen: 4),
            to: verifying,
            at: start.addingTimeInterval(20)
        )
        #expect(completed.state == .completed)

        let first = try await Self.pass(config, store: path)
        let workload = try #require(first.workload("web-07"))
        #expect(workload.spec.site == "dc-west")
        #expect(first.alerts[Self.mismatch] == nil, "the mapping agrees with where the migration took it")
        let alert = try #require(first.alerts[Self.outdated])
        #expect(alert.severity == .info)
        #expect(alert.message.contains("since migration m-000000c1 completed at"), "\(alert.message)")
        #expect(
            alert.message.hasSuffix("update it: \(directory.file("inventory.toml")): web-07 site = \"dc-west\""),
            "\(alert.message)"
        )

        try directory.write(Self.inventory(site: "dc-west"), to: "inventory.toml")
        let second = try await Self.pass(config, store: path)
        #expect(second.workload("web-07")?.spec.site == "dc-west")
        #expect(second.alerts[Self.outdated] == nil)
        #expect(second.alerts[Self.mismatch] == nil)
        #expect(
            second.events.contains { $0.kind == .alertCleared && $0.subject == Self.outdated.rawValue },
            "the alert the first process left open is cleared"
        )

        await west.stop()
        await server.stop()
    }
}
