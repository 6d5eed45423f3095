import Foundation
import Testing

@testable import LocusCore

@Suite("Correlator: source alerts")
struct CorrelatorSourceAlertTests {
    typealias F = WorldFixtures
    let correlator = Correlator()

    @Test func sourceDownMakesItsWorkloadsUnknownAndClearsWhenItAnswers() {
        var world = F.world([F.spec("web-07", host: 7), F.spec("web-08", host: 8), F.spec("db-01", host: 9)])
        _ = correlator.ingest(
            [
                F.source("mr-1", .ok), F.source("mr-2", .ok),
                F.registered("web-07", ["127.0.2.1"]),  // a mismatch, to see what becomes of it
                F.registered("web-08", ["127.0.1.1"]),
                F.registered("db-01", ["127.0.1.2"], resolver: "mr-2"),
            ],
            into: &world,
            now: F.at(0)
        )
        #expect(world.alerts.count == 1)

        let down = correlator.ingest(
            [F.source("mr-1", .down, error: "timeout after 2s", at: F.at(10))],
            into: &world,
            now: F.at(10)
        )
        let id = AlertID(kind: .sourceDown, subject: "mr-1")
        #expect(world.alerts[id]?.severity == .critical)
        #expect(world.alerts[id]?.message.contains("timeout after 2s") == true)
        #expect(world.workloads["web-07"]?.mapping.state == .unknown)
        #expect(world.workloads["web-08"]?.mapping.state == .unknown)
        #expect(world.workloads["web-08"]?.mapping.locators.isEmpty == true)
        #expect(world.workloads["db-01"]?.mapping.state == .registered)
        #expect(down.change.touchedWorkloads == ["web-07", "web-08"])
        // No last-known-good answer survives, nor alerts judged on it.
        #expect(world.alerts[AlertID(kind: .locatorMismatch, subject: "web-07")] == nil)
        #expect(down.events.contains { $0.kind == .sourceState && $0.subject == "mr-1" })

        let snapshot = world.snapshot(version: 1, takenAt: F.at(10))
        #expect(snapshot.workloads["web-08"]?.mapping.state == .unknown)

        let up = correlator.ingest([F.source("mr-1", .ok, at: F.at(20))], into: &world, now: F.at(20))
        #expect(up.correlation.cleared.map(\.id) == [id])
        // Still unknown until it answers for them again.
        #expect(world.workloads["web-08"]?.mapping.state == .unknown)
    }

    @Test func aSlowSourceIsNotDown() {
        var world = F.world([F.spec("web-07", host: 7)])
        _ = correlator.ingest([F.source("mr-1", .slow)], into: &world, now: F.at(0))
        #expect(world.alerts.isEmpty)
    }

    @Test func inventoryInvalidNamesFileAndLineAndKeepsTheLastGoodInventory() {
        var world = F.world([F.spec("web-07", host: 7)])
        let error = ConfigError(file: "inventory.toml", line: 12, message: "eid: bad address \"10.1.0.300/32\"")
        let broken = correlator.ingest(
            [
                F.source("main", .down, kind: .inventory, error: "\(error)"),
                .inventoryInvalid(source: "main", errors: [error]),
            ],
            into: &world,
            now: F.at(1)
        )
        let id = AlertID(kind: .inventoryInvalid, subject: "main")
        // One alert for one cause: the source is down because of that line.
        #expect(broken.correlation.raised.map(\.id) == [id])
        #expect(world.alerts[id]?.severity == .critical)
        #expect(world.alerts[id]?.message.contains("inventory.toml:12: eid") == true)
        #expect(world.alerts[id]?.message.contains("its last good read (1 workload) is shown instead") == true)
        #expect(world.workloads.keys.sorted() == ["web-07"])

        let fixed = correlator.ingest(
            [.inventoryLoaded(source: "main", workloads: [F.spec("web-07", host: 7)])],
            into: &world,
            now: F.at(2)
        )
        #expect(fixed.correlation.cleared.map(\.id) == [id])
        #expect(fixed.change.touchedWorkloads.isEmpty)
    }

    @Test func anInventoryThatBecomesUnreadableSaysSoNotItsOldParseError() {
        var world = F.world([F.spec("web-07", host: 7)])
        let error = ConfigError(file: "inventory.toml", line: 12, message: "eid: bad address \"10.1.0.300/32\"")
        _ = correlator.ingest(
            [
                F.source("main", .down, kind: .inventory, error: "\(error)"),
                .inventoryInvalid(source: "main", errors: [error]),
            ],
            into: &world,
            now: F.at(1)
        )
        _ = correlator.ingest(
            [
                F.source("main", .down, kind: .inventory, error: "cannot read: No such file or directory"),
                .inventoryInvalid(source: "main", errors: []),
            ],
            into: &world,
            now: F.at(2)
        )
        #expect(world.alerts[AlertID(kind: .inventoryInvalid, subject: "main")] == nil)
        let down = world.alerts[AlertID(kind: .sourceDown, subject: "main")]?.message ?? ""
        #expect(down.contains("No such file or directory"), "\(down)")
    }

    @Test func anInventoryNeverReadSaysNothingOfItIsShown() {
        var world = World(name: "test", sites: F.sites)
        let error = ConfigError(file: "inventory.toml", line: 3, message: "site: unknown site \"dc-nowhere\"")
        _ = correlator.ingest(
            [
                F.source("main", .down, kind: .inventory, error: "\(error)"),
                .inventoryInvalid(source: "main", errors: [error]),
            ],
            into: &world,
            now: F.at(1)
        )
        let message = world.alerts[AlertID(kind: .inventoryInvalid, subject: "main")]?.message ?? ""
        #expect(message.contains("it has never been read, so none of its workloads are shown"), "\(message)")
        #expect(!message.contains("last good"))
        #expect(world.alerts[AlertID(kind: .sourceDown, subject: "main")] == nil)
    }
}
