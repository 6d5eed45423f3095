import Foundation
import Testing

@testable import LocusCore

/// Alerts an earlier process left open, taken over by a new one.
@Suite("Correlator: alerts taken over from the store")
struct CorrelatorSeededAlertTests {
    typealias F = WorldFixtures
    let correlator = Correlator()
    let mismatch = AlertID(kind: .locatorMismatch, subject: "web-07")

    /// A `locator-mismatch` an earlier process raised an hour before the start.
    func earlierMismatch(subject: String = "web-07") -> Alert {
        Alert(
            kind: .locatorMismatch,
            severity: .critical,
            subject: subject,
            message: "\(subject): inventory says dc-east, mapping says dc-west (RLOC 127.0.2.1)",
            firstSeen: F.at(-3600),
            lastSeen: F.at(-60)
        )
    }

    /// A world that declares web-07 in dc-east and has just read its inventory, as a new process does.
    func freshWorld() -> World {
        var world = F.world([F.spec("web-07", host: 7, site: "dc-east"), F.spec("db-01", host: 8)])
        _ = correlator.evaluate(&world, workloads: Set(world.workloads.keys), sources: [], now: F.start)
        return world
    }

    @Test func aSeededAlertStillTrueKeepsItsFirstSeenAndIsNotRaisedAgain() {
        var world = freshWorld()
        world.seed(openAlerts: [earlierMismatch()])
        let update = correlator.ingest([F.registered("web-07", ["127.0.2.1"], at: F.at(1))], into: &world, now: F.at(1))
        #expect(update.correlation.raised.isEmpty)
        #expect(update.events.allSatisfy { $0.kind != .alertRaised })
        #expect(world.alerts[mismatch]?.firstSeen == F.at(-3600))
        #expect(world.alerts[mismatch]?.lastSeen == F.at(1))
        #expect(!world.hasUnjudgedSeededAlerts)
    }

    @Test func aSeededAlertNoLongerTrueIsCleared() {
        var world = freshWorld()
        world.seed(openAlerts: [earlierMismatch()])
        let update = correlator.ingest([F.registered("web-07", ["127.0.1.1"], at: F.at(1))], into: &world, now: F.at(1))
        #expect(update.correlation.cleared.map(\.id) == [mismatch])
        #expect(update.correlation.cleared.first?.firstSeen == F.at(-3600))
        #expect(update.events.map(\.kind) == [.alertCleared])
        #expect(world.alerts[mismatch] == nil)
        #expect(!world.hasUnjudgedSeededAlerts)
    }

    @Test func aSeededAlertWaitsForTheEvidenceItIsAbout() {
        var world = freshWorld()
        world.seed(openAlerts: [earlierMismatch()])
        // The inventory alone says nothing about the mapping: no answer yet is not a fixed problem.
        let reload = correlator.evaluate(&world, workloads: ["web-07"], sources: [], now: F.at(1))
        #expect(reload.transitions.isEmpty)
        // Another workload's answer does not judge web-07's alert either.
        let other = correlator.ingest([F.registered("db-01", ["127.0.1.1"], at: F.at(2))], into: &world, now: F.at(2))
        #expect(other.alertTransitions.isEmpty)
        #expect(world.alerts[mismatch]?.firstSeen == F.at(-3600))
        #expect(world.hasUnjudgedSeededAlerts)
    }

    @Test func judgingAfterACompletePassClearsWhatNothingConfirmed() {
        var world = freshWorld()
        world.seed(openAlerts: [earlierMismatch()])
        let update = correlator.judgeSeededAlerts(&world, now: F.at(5))
        #expect(update.correlation.cleared.map(\.id) == [mismatch])
        #expect(world.recentEvents.first?.kind == .alertCleared)
        #expect(!world.hasUnjudgedSeededAlerts)
        #expect(correlator.judgeSeededAlerts(&world, now: F.at(6)).alertTransitions.isEmpty)
    }

    @Test func aSeededAlertAboutAWorkloadNoLongerDeclaredIsCleared() {
        var world = freshWorld()
        let gone = AlertID(kind: .locatorMismatch, subject: "old-vm")
        world.seed(openAlerts: [earlierMismatch(), earlierMismatch(subject: "old-vm")])
        let update = correlator.clearSeededAlertsOfRemovedSubjects(&world, configuredSources: [], now: F.at(1))
        #expect(update.correlation.cleared.map(\.id) == [gone])
        #expect(world.alerts[gone] == nil)
        // web-07 is still declared: its alert waits for its mapping.
        #expect(world.alerts[mismatch] != nil)
    }

    @Test func aWorkloadIsNotCalledGoneBeforeEveryInventoryWasRead() {
        var world = freshWorld()
        world.inventoryOrder = ["main", "libvirt"]
        world.seed(openAlerts: [earlierMismatch(subject: "vm-from-libvirt")])
        let early = correlator.clearSeededAlertsOfRemovedSubjects(&world, configuredSources: [], now: F.at(1))
        #expect(early.alertTransitions.isEmpty)

        _ = correlator.ingest([.inventoryLoaded(source: "libvirt", workloads: [])], into: &world, now: F.at(2))
        let later = correlator.clearSeededAlertsOfRemovedSubjects(&world, configuredSources: [], now: F.at(3))
        #expect(later.correlation.cleared.map(\.subject) == ["vm-from-libvirt"])
    }

    @Test func aWorkloadDroppedByTheInventoryClearsItsSeededAlert() {
        var world = freshWorld()
        world.seed(openAlerts: [earlierMismatch()])
        let update = correlator.ingest(
            [.inventoryLoaded(source: "main", workloads: [F.spec("db-01", host: 8)])],
            into: &world,
            now: F.at(1)
        )
        #expect(update.correlation.cleared.map(\.id) == [mismatch])
    }

    @Test func aSeededSourceAlertIsJudgedByTheSourceOrClearedWhenItIsNoLongerConfigured() {
        var world = freshWorld()
        let down = Alert(
            kind: .sourceDown,
            severity: .critical,
            subject: "mr-1",
            message: "mapping source mr-1 is down",
            firstSeen: F.at(-600)
        )
        var removed = down
        removed.subject = "mr-old"
        removed.id = AlertID(kind: .sourceDown, subject: "mr-old")
        world.seed(openAlerts: [down, removed])

        let still = correlator.ingest(
            [F.source("mr-1", .down, error: "timeout", at: F.at(1))],
            into: &world,
            now: F.at(1)
        )
        #expect(still.correlation.raised.isEmpty)
        #expect(still.correlation.updated.map(\.id) == [down.id])
        #expect(world.alerts[down.id]?.firstSeen == F.at(-600))

        let gone = correlator.clearSeededAlertsOfRemovedSubjects(&world, configuredSources: ["mr-1"], now: F.at(2))
        #expect(gone.correlation.cleared.map(\.id) == [removed.id])

        let back = correlator.ingest([F.source("mr-1", .ok, at: F.at(3))], into: &world, now: F.at(3))
        #expect(back.correlation.cleared.map(\.id) == [down.id])
    }

    @Test func anAcknowledgedSeededAlertStaysAcknowledged() {
        var world = freshWorld()
        let acknowledgement = Acknowledgement(alertID: mismatch, by: "alice", at: F.at(-1800))
        // The engine's order: the open alerts, then the acknowledgements the store still holds.
        world.seed(openAlerts: [earlierMismatch()])
        world.acknowledge([acknowledgement], now: F.at(0))
        #expect(world.alerts[mismatch]?.acknowledgedBy == "alice")

        _ = correlator.ingest([F.registered("web-07", ["127.0.2.1"], at: F.at(1))], into: &world, now: F.at(1))
        #expect(world.alerts[mismatch]?.acknowledgedBy == "alice")
        #expect(world.alerts[mismatch]?.acknowledgedAt == F.at(-1800))

        // One read before its alert was taken over covers nothing.
        var other = freshWorld()
        other.acknowledge([acknowledgement], now: F.at(0))
        other.seed(openAlerts: [earlierMismatch()])
        #expect(other.alerts[mismatch]?.isAcknowledged == false)
    }

    @Test func anAlertThisProcessRaisedIsNotReplacedBySeeding() {
        var world = freshWorld()
        _ = correlator.ingest([F.registered("web-07", ["127.0.2.1"], at: F.at(1))], into: &world, now: F.at(1))
        world.seed(openAlerts: [earlierMismatch()])
        #expect(world.alerts[mismatch]?.firstSeen == F.at(1))
        #expect(!world.hasUnjudgedSeededAlerts)
    }

    @Test func movesTakenOverKeepAFlappingWorkloadFlapping() {
        var world = World(name: "test", sites: F.sites)
        let moves = (1...4).map { index in
            Event.move(
                Move(fromSite: "dc-east", toSite: "dc-west", fromLocators: ["127.0.1.1"], toLocators: ["127.0.2.1"]),
                of: "web-07",
                at: F.at(Double(-300 + index * 30))
            )
        }
        world.seed(recentMoves: moves)
        let west = LastKnownMapping(site: "dc-west", locators: [Locator(address: "127.0.2.1")], checkedAt: F.at(-100))
        world.seed(lastKnownMappings: ["web-07": west])
        let flapping = Alert(
            kind: .flapping,
            severity: .warning,
            subject: "web-07",
            message: "web-07 moved 4 times in 10m (now at dc-west)",
            firstSeen: F.at(-200)
        )
        world.seed(openAlerts: [flapping])
        _ = correlator.ingest(
            [.inventoryLoaded(source: "main", workloads: [F.spec("web-07", host: 7, site: "dc-west")])],
            into: &world,
            now: F.at(0)
        )
        #expect(world.workloads["web-07"]?.recentMoves.count == 4)

        let update = correlator.ingest([F.registered("web-07", ["127.0.2.1"], at: F.at(1))], into: &world, now: F.at(1))
        #expect(update.correlation.raised.isEmpty)
        #expect(update.correlation.cleared.isEmpty)
        #expect(world.alerts[flapping.id]?.firstSeen == F.at(-200))

        // Once the moves leave the window, it is no longer flapping.
        let calm = correlator.tick(&world, now: F.at(600))
        #expect(calm.correlation.cleared.map(\.id) == [flapping.id])
    }

    @Test func aSeededDependencyAlertWaitsForItsProbeUnlessTheDependencyIsNoLongerDeclared() {
        var withRecord = F.spec("web-07", host: 7)
        withRecord.dependencies = [.dns(DNSDependencySpec(name: "web-07.example.net", server: "ns1"))]
        let stale = Alert(
            kind: .dnsStale,
            severity: .critical,
            subject: "web-07",
            message: "web-07: web-07.example.net points to 10.9.0.7, expected 10.1.0.7",
            firstSeen: F.at(-600)
        )
        var world = F.world([withRecord])
        world.seed(openAlerts: [stale])
        let declared = correlator.evaluate(&world, workloads: ["web-07"], sources: [], now: F.at(1))
        #expect(declared.transitions.isEmpty)

        let dropped = correlator.ingest(
            [.inventoryLoaded(source: "main", workloads: [F.spec("web-07", host: 7)])],
            into: &world,
            now: F.at(2)
        )
        #expect(dropped.correlation.cleared.map(\.id) == [stale.id])
    }
}
