import Foundation
import Testing

@testable import LocusCore

/// A completed migration is where the workload is: the monitor follows it until the inventory says the
/// same, and names what to write meanwhile.
@Suite("Completed migrations in the world")
struct MigrationArrivalTests {
    typealias F = WorldFixtures
    let correlator = Correlator()
    static let outdated = AlertID(kind: .inventoryOutdated, subject: "web-07")
    static let mismatch = AlertID(kind: .locatorMismatch, subject: "web-07")

    static func completed(
        _ id: String,
        to site: String = "dc-west",
        address: String = "10.2.0.7",
        at time: Date = F.at(0)
    ) -> Migration {
        var migration = Migration(
            id: id,
            workload: "web-07",
            fromSite: "dc-east",
            toSite: site,
            fromAddress: "10.1.0.7",
            toAddress: address,
            reason: "rack retirement",
            requestedBy: "ops1",
            requestedAt: time.addingTimeInterval(-600)
        )
        migration.state = .completed
        migration.lastChange = StateChange(user: "ops2", at: time, action: "complete")
        return migration
    }

    /// web-07 as the inventory declares it: dc-east at 10.1.0.7 unless told otherwise.
    static func declared(site: String = "dc-east", address: String = "10.1.0.7") -> InventoryWorkload {
        var spec = F.spec("web-07", host: 7, site: site)
        spec.address = IPAddress(address)!
        return spec
    }

    /// A world that took over `migrations` at start, then read `spec` from the inventory `main` and was
    /// evaluated with the mapping registered at dc-west.
    func world(_ migrations: [Migration], declaring spec: InventoryWorkload) -> World {
        var world = World(name: "test", sites: F.sites)
        world.inventoryLocations = ["main": "/etc/locus/inventory.toml"]
        world.seed(completedMigrations: migrations)
        _ = correlator.ingest(
            [
                F.source("mr-1", .ok), .inventoryLoaded(source: "main", workloads: [spec]),
                F.registered("web-07", ["127.0.2.1"]),
            ],
            into: &world,
            now: F.at(1)
        )
        return world
    }

    @Test func theMigrationsSiteAndAddressHoldWhileTheInventoryLagsAndTheAlertSaysWhatToWrite() throws {
        let world = world([Self.completed("m-00000001")], declaring: Self.declared())
        let workload = try #require(world.workloads["web-07"])
        #expect(workload.spec.site == "dc-west")
        #expect(workload.spec.address == IPAddress("10.2.0.7"))
        #expect(workload.provenance["site"]?.first?.value == "dc-east", "what the inventory says is kept")
        #expect(world.alerts[Self.mismatch] == nil, "the mapping agrees with where the migration took it")
        let alert = try #require(world.alerts[Self.outdated])
        #expect(alert.severity == .info)
        #expect(
            alert.message
                == "web-07 is at dc-west since migration m-00000001 completed at \(RFC3339.string(from: F.at(0))); "
                + "the inventory still says otherwise, update it: "
                + "/etc/locus/inventory.toml: web-07 site = \"dc-west\", address = \"10.2.0.7\""
        )
    }

    @Test func onceTheInventoryAgreesTheAlertClearsAndTheOverrideStops() throws {
        var world = world([Self.completed("m-00000001")], declaring: Self.declared())
        #expect(world.alerts[Self.outdated] != nil)
        _ = correlator.ingest(
            [.inventoryLoaded(source: "main", workloads: [Self.declared(site: "dc-west", address: "10.2.0.7")])],
            into: &world,
            now: F.at(2)
        )
        #expect(world.alerts[Self.outdated] == nil)
        #expect(world.workloads["web-07"]?.outdatedInventory == nil)
        // The migration no longer counts: the inventory is the truth again, even going back.
        _ = correlator.ingest(
            [.inventoryLoaded(source: "main", workloads: [Self.declared()])],
            into: &world,
            now: F.at(3)
        )
        #expect(world.workloads["web-07"]?.spec.site == "dc-east")
        #expect(world.alerts[Self.outdated] == nil)
        #expect(world.alerts[Self.mismatch] != nil)
    }

    @Test func anInventoryHalfUpdatedIsAskedForTheRest() throws {
        let world = world([Self.completed("m-00000001")], declaring: Self.declared(site: "dc-west"))
        #expect(world.workloads["web-07"]?.spec.address == IPAddress("10.2.0.7"))
        let alert = try #require(world.alerts[Self.outdated])
        #expect(alert.message.hasSuffix("update it: /etc/locus/inventory.toml: web-07 address = \"10.2.0.7\""))
    }

    @Test func aMoveThatKeepsTheAddressAsksOnlyForTheSite() throws {
        let world = world([Self.completed("m-00000001", address: "10.1.0.7")], declaring: Self.declared())
        #expect(world.workloads["web-07"]?.spec.address == IPAddress("10.1.0.7"))
        let alert = try #require(world.alerts[Self.outdated])
        #expect(alert.message.hasSuffix("update it: /etc/locus/inventory.toml: web-07 site = \"dc-west\""))
    }

    @Test func theNewestCompletedMigrationCountsAndOtherStatesDoNot() throws {
        var rolledBack = Self.completed("m-00000003", to: "dc-east", at: F.at(-10))
        rolledBack.state = .rolledBack
        let older = Self.completed("m-00000001", to: "dc-north", address: "10.3.0.7", at: F.at(-100))
        let newest = Self.completed("m-00000002", at: F.at(-50))
        let arrivals = MigrationArrival.newestCompleted(in: [older, rolledBack, newest])
        #expect(arrivals["web-07"]?.migrationID == "m-00000002")
        let world = world([older, rolledBack, newest], declaring: Self.declared())
        #expect(world.workloads["web-07"]?.spec.site == "dc-west")
    }

    @Test func anInventoryThatSaysAThirdSiteIsBelievedAgain() throws {
        let world = world([Self.completed("m-00000001")], declaring: Self.declared(site: "dc-north"))
        #expect(world.workloads["web-07"]?.spec.site == "dc-north")
        #expect(world.alerts[Self.outdated] == nil)
    }

    @Test func aCutoverWatchedToItsEndCountsAtOnceAndItsRollbackUndoesIt() throws {
        var world = world([], declaring: Self.declared())
        #expect(world.alerts[Self.mismatch] != nil, "the mapping already says dc-west")
        var running = Self.completed("m-00000001")
        running.state = .executing
        _ = correlator.ingest([.migrations([running])], into: &world, now: F.at(2))
        #expect(world.workloads["web-07"]?.hasPendingMigration == true)
        #expect(world.workloads["web-07"]?.spec.site == "dc-east")

        let completed = Self.completed("m-00000001", at: F.at(3))
        _ = correlator.ingest([.migrations([completed])], into: &world, now: F.at(3))
        #expect(world.workloads["web-07"]?.hasPendingMigration == false)
        #expect(world.workloads["web-07"]?.spec.site == "dc-west")
        #expect(world.alerts[Self.mismatch] == nil)
        #expect(world.alerts[Self.outdated] != nil)
        // Read again, it changes nothing.
        let again = world.apply(.migrations([completed]))
        #expect(again.touchedWorkloads.isEmpty)

        var rolledBack = completed
        rolledBack.state = .rolledBack
        _ = correlator.ingest([.migrations([rolledBack])], into: &world, now: F.at(4))
        #expect(world.workloads["web-07"]?.spec.site == "dc-east")
        #expect(world.alerts[Self.outdated] == nil)
    }

    @Test func aMigrationTakenOverAtStartAndDoneWithIsNotTakenAgainWhenReadAgain() throws {
        var world = world([Self.completed("m-00000001")], declaring: Self.declared())
        _ = correlator.ingest(
            [.inventoryLoaded(source: "main", workloads: [Self.declared(site: "dc-west", address: "10.2.0.7")])],
            into: &world,
            now: F.at(2)
        )
        _ = correlator.ingest(
            [.inventoryLoaded(source: "main", workloads: [Self.declared()])],
            into: &world,
            now: F.at(3)
        )
        _ = correlator.ingest([.migrations([Self.completed("m-00000001")])], into: &world, now: F.at(4))
        #expect(world.workloads["web-07"]?.spec.site == "dc-east", "the inventory moved on after it; it is believed")
    }

    @Test func withoutAnyMigrationNothingChanges() throws {
        let world = world([], declaring: Self.declared())
        #expect(world.workloads["web-07"]?.spec.site == "dc-east")
        #expect(world.alerts[Self.outdated] == nil)
        #expect(world.alerts[Self.mismatch] != nil)
    }
}
