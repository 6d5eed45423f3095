import Foundation
import Testing

@testable import LocusCore

@Suite("Correlator: scope, ids and acknowledgements")
struct CorrelatorScopeTests {
    typealias F = WorldFixtures
    let correlator = Correlator()

    @Test func reevaluationTouchesOnlyTheChangedWorkloads() {
        var world = F.world(count: 500)
        let first = correlator.ingest(
            [F.registered("web-042", ["127.0.2.1"]), F.negative("web-100")],
            into: &world,
            now: F.at(1)
        )
        #expect(first.correlation.evaluatedWorkloads == ["web-042", "web-100"])
        #expect(first.correlation.evaluatedSources.isEmpty)
        #expect(world.alerts.count == 2)

        // The same answers again change nothing and evaluate nothing.
        let again = correlator.ingest(
            [F.registered("web-042", ["127.0.2.1"], at: F.at(30)), F.negative("web-100", at: F.at(30))],
            into: &world,
            now: F.at(30)
        )
        #expect(again.correlation.evaluatedWorkloads.isEmpty)
        #expect(again.correlation.transitions.isEmpty)
        #expect(world.workloads["web-042"]?.mapping.checkedAt == F.at(30))

        let source = correlator.ingest([F.source("inv", .ok, kind: .inventory)], into: &world, now: F.at(31))
        #expect(source.correlation.evaluatedWorkloads.isEmpty)
        #expect(source.correlation.evaluatedSources == ["inv"])
    }

    @Test func anInventoryEditTouchesOnlyTheWorkloadsItChanges() {
        var specs = (0..<50).map { F.spec("vm-\($0)", host: $0 + 1, line: $0 * 10) }
        var world = F.world(specs)
        // Lines shift for everybody (a comment added on top), one site changes, one workload goes, one comes.
        specs = specs.map { spec in
            var shifted = spec
            shifted.line += 3
            return shifted
        }
        specs[7].site = "dc-west"
        specs.remove(at: 9)
        specs.append(F.spec("vm-new", host: 200))
        let change = world.apply(.inventoryLoaded(source: "main", workloads: specs))
        #expect(change.touchedWorkloads == ["vm-7", "vm-9", "vm-new"])
        #expect(world.workloads["vm-9"] == nil)
        #expect(world.workloads["vm-3"]?.spec.line == 33)
    }

    @Test func alertIDsAreStableAcrossRaisesAndProcesses() {
        #expect(AlertID(kind: .locatorMismatch, subject: "web-07").rawValue == "locator-mismatch:web-07")
        #expect(AlertID(kind: .sourceDown, subject: "mr-1").rawValue == "source-down:mr-1")

        var world = F.world([F.spec("web-07", host: 7)])
        let first = correlator.ingest([F.registered("web-07", ["127.0.2.1"])], into: &world, now: F.at(1))
        _ = correlator.ingest([F.registered("web-07", ["127.0.1.1"], at: F.at(2))], into: &world, now: F.at(2))
        let again = correlator.ingest([F.registered("web-07", ["127.0.2.1"], at: F.at(3))], into: &world, now: F.at(3))
        #expect(first.correlation.raised.map(\.id) == again.correlation.raised.map(\.id))
        #expect(again.correlation.raised.first?.firstSeen == F.at(3))

        // Another process building the same world from scratch names it the same.
        var other = F.world([F.spec("web-07", host: 7)])
        let elsewhere = correlator.ingest([F.registered("web-07", ["127.0.2.1"])], into: &other, now: F.at(9))
        #expect(elsewhere.correlation.raised.map(\.id) == [AlertID(rawValue: "locator-mismatch:web-07")])
    }

    @Test func anAcknowledgementCoversOneOccurrence() {
        var world = F.world([F.spec("web-07", host: 7)])
        let id = AlertID(kind: .mappingMissing, subject: "web-07")
        _ = correlator.ingest([F.negative("web-07")], into: &world, now: F.at(1))
        world.acknowledge([Acknowledgement(alertID: id, by: "ops1", at: F.at(2))], now: F.at(2))
        #expect(world.alerts[id]?.acknowledgedBy == "ops1")

        _ = correlator.ingest([F.registered("web-07", ["127.0.1.1"], at: F.at(3))], into: &world, now: F.at(3))
        _ = correlator.ingest([F.negative("web-07", at: F.at(4))], into: &world, now: F.at(4))
        #expect(world.alerts[id] != nil)
        #expect(world.alerts[id]?.acknowledgedBy == nil)
    }

    @Test func anAcknowledgementOfAnAlertNotRaisedIsDroppedNotKeptForTheNextOccurrence() {
        var world = F.world([F.spec("web-07", host: 7)])
        let id = AlertID(kind: .mappingMissing, subject: "web-07")
        #expect(world.acknowledge([Acknowledgement(alertID: id, by: "ops2", at: F.at(0))], now: F.at(0)).isEmpty)
        _ = correlator.ingest([F.negative("web-07")], into: &world, now: F.at(1))
        #expect(world.alerts[id] != nil)
        #expect(world.alerts[id]?.acknowledgedBy == nil)
    }

    @Test func anAcknowledgementOfAnEarlierOccurrenceDoesNotCoverTheCurrentOne() {
        var world = F.world([F.spec("web-07", host: 7)])
        let id = AlertID(kind: .mappingMissing, subject: "web-07")
        _ = correlator.ingest([F.negative("web-07")], into: &world, now: F.at(1))
        _ = correlator.ingest([F.registered("web-07", ["127.0.1.1"], at: F.at(3))], into: &world, now: F.at(3))
        _ = correlator.ingest([F.negative("web-07", at: F.at(4))], into: &world, now: F.at(4))
        let earlier = Acknowledgement(alertID: id, by: "ops1", at: F.at(2), firstSeen: F.at(1))
        #expect(world.acknowledge([earlier], now: F.at(3)).isEmpty)
        #expect(world.alerts[id]?.acknowledgedBy == nil)
        let current = Acknowledgement(alertID: id, by: "ops1", at: F.at(5), firstSeen: F.at(4))
        #expect(world.acknowledge([current], now: F.at(3)) == [id])
        #expect(world.alerts[id]?.acknowledgedBy == "ops1")
    }

    @Test func anAcknowledgementForATimeLapsesThenAndOnlyForItsOccurrence() {
        var world = F.world([F.spec("web-07", host: 7)])
        let id = AlertID(kind: .mappingMissing, subject: "web-07")
        _ = correlator.ingest([F.negative("web-07")], into: &world, now: F.at(1))
        let timed = Acknowledgement(alertID: id, by: "ops1", at: F.at(2), firstSeen: F.at(1), expiresAt: F.at(60))
        #expect(world.acknowledge([timed], now: F.at(2)) == [id])
        #expect(world.alerts[id]?.acknowledgedUntil == F.at(60))
        #expect(world.expireAcknowledgements(at: F.at(59)).isEmpty)
        #expect(world.expireAcknowledgements(at: F.at(60)) == [id])
        #expect(world.alerts[id]?.isAcknowledged == false)
        #expect(world.alerts[id]?.acknowledgedUntil == nil)
        // Read again from the store once lapsed, it covers nothing.
        #expect(world.acknowledge([timed], now: F.at(61)).isEmpty)

        // A later occurrence acknowledged until it clears is not taken back by the earlier expiry.
        _ = correlator.ingest([F.registered("web-07", ["127.0.1.1"], at: F.at(70))], into: &world, now: F.at(70))
        _ = correlator.ingest([F.negative("web-07", at: F.at(71))], into: &world, now: F.at(71))
        #expect(world.acknowledge([timed], now: F.at(72)).isEmpty, "an earlier occurrence's")
        let again = Acknowledgement(alertID: id, by: "ops2", at: F.at(72), firstSeen: F.at(71), expiresAt: F.at(80))
        let open = Acknowledgement(alertID: id, by: "ops1", at: F.at(73), firstSeen: F.at(71))
        #expect(world.acknowledge([again, open], now: F.at(73)) == [id, id])
        #expect(world.expireAcknowledgements(at: F.at(90)).isEmpty)
        #expect(world.alerts[id]?.acknowledgedBy == "ops1")
    }

    @Test func aWorkloadLeavingTheInventoryTakesItsAlertsWithIt() {
        var world = F.world([F.spec("web-07", host: 7), F.spec("web-08", host: 8)])
        _ = correlator.ingest([F.negative("web-07")], into: &world, now: F.at(1))
        let update = correlator.ingest(
            [.inventoryLoaded(source: "main", workloads: [F.spec("web-08", host: 8)])],
            into: &world,
            now: F.at(2)
        )
        #expect(update.correlation.cleared.map(\.id) == [AlertID(kind: .mappingMissing, subject: "web-07")])
        #expect(world.alerts.isEmpty)
    }

    @Test func aWorkloadDeclaredByTwoSourcesStaysWhileOneStillDeclaresIt() {
        var world = F.world([F.spec("web-07", host: 7)], source: "main")
        _ = world.apply(.inventoryLoaded(source: "ovf", workloads: [F.spec("web-07", host: 7)]))
        #expect(world.workloads["web-07"]?.sources == ["main", "ovf"])
        _ = world.apply(.inventoryLoaded(source: "main", workloads: []))
        #expect(world.workloads["web-07"]?.sources == ["ovf"])
        _ = world.apply(.inventoryLoaded(source: "ovf", workloads: []))
        #expect(world.workloads["web-07"] == nil)
    }
}
