import Foundation
import Testing

@testable import LocusCore

@Suite("Correlator: workload alerts")
struct CorrelatorWorkloadAlertTests {
    typealias F = WorldFixtures
    let correlator = Correlator()

    @Test func mappingMissingIsRaisedByANegativeReplyAndClearedByARegistration() {
        var world = F.world([F.spec("web-07", host: 7)])
        let raised = correlator.ingest([F.negative("web-07")], into: &world, now: F.at(1))
        let id = AlertID(kind: .mappingMissing, subject: "web-07")
        #expect(raised.correlation.raised.map(\.id) == [id])
        #expect(world.alerts[id]?.severity == .critical)
        #expect(world.alerts[id]?.message.contains("10.1.0.7/32") == true)
        #expect(raised.events.map(\.kind) == [.alertRaised])

        let cleared = correlator.ingest(
            [F.registered("web-07", ["127.0.1.1"], at: F.at(2))],
            into: &world,
            now: F.at(2)
        )
        #expect(cleared.correlation.cleared.map(\.id) == [id])
        #expect(world.alerts.isEmpty)
        #expect(cleared.events.map(\.kind) == [.alertCleared])
    }

    @Test func locatorMismatchNamesTheInventorySiteAndTheMappedSite() {
        var world = F.world([F.spec("web-07", host: 7, site: "dc-east")])
        _ = correlator.ingest([F.registered("web-07", ["127.0.2.1"])], into: &world, now: F.at(1))
        let alert = world.alerts[AlertID(kind: .locatorMismatch, subject: "web-07")]
        #expect(alert?.severity == .critical)
        #expect(alert?.message.contains("inventory says dc-east") == true)
        #expect(alert?.message.contains("mapping says dc-west") == true)

        _ = correlator.ingest([F.registered("web-07", ["127.0.1.1"], at: F.at(2))], into: &world, now: F.at(2))
        #expect(world.alerts.isEmpty)
    }

    @Test func locatorMismatchForRLOCsOfNoKnownSite() {
        var world = F.world([F.spec("web-07", host: 7)])
        _ = correlator.ingest([F.registered("web-07", ["127.0.1.1", "127.0.9.9"])], into: &world, now: F.at(1))
        let alert = world.alerts[AlertID(kind: .locatorMismatch, subject: "web-07")]
        #expect(alert?.message.contains("no known site") == true)
        #expect(alert?.message.contains("127.0.9.9") == true)
        #expect(world.workloads["web-07"]?.mapping.site == "dc-east")
    }

    @Test func locatorMismatchClearsWhenTheInventoryFollowsTheMove() {
        var world = F.world([F.spec("web-07", host: 7, site: "dc-east")])
        _ = correlator.ingest([F.registered("web-07", ["127.0.2.1"])], into: &world, now: F.at(1))
        #expect(world.alerts.count == 1)
        let update = correlator.ingest(
            [.inventoryLoaded(source: "main", workloads: [F.spec("web-07", host: 7, site: "dc-west")])],
            into: &world,
            now: F.at(2)
        )
        #expect(update.correlation.cleared.map(\.kind) == [.locatorMismatch])
        #expect(world.alerts.isEmpty)
    }

    @Test func locatorDownIsCriticalWhenNoneIsReachableAndAWarningWhenSomeAre() {
        var world = F.world([F.spec("web-07", host: 7)])
        let id = AlertID(kind: .locatorDown, subject: "web-07")
        let both = ["127.0.1.1", "127.0.1.2"]

        _ = correlator.ingest([F.registered("web-07", both, down: Set(both))], into: &world, now: F.at(1))
        #expect(world.alerts[id]?.severity == .critical)

        let partial = correlator.ingest(
            [F.registered("web-07", both, down: ["127.0.1.2"], at: F.at(2))],
            into: &world,
            now: F.at(2)
        )
        #expect(partial.correlation.updated.map(\.id) == [id])
        #expect(world.alerts[id]?.severity == .warning)
        #expect(world.alerts[id]?.firstSeen == F.at(1))
        #expect(world.alerts[id]?.lastSeen == F.at(2))

        _ = correlator.ingest([F.registered("web-07", both, at: F.at(3))], into: &world, now: F.at(3))
        #expect(world.alerts[id] == nil)
    }

    @Test func registrationStaleAfterHalfTheTimeoutAndClearedByAFreshRegistration() {
        var world = F.world([F.spec("web-07", host: 7)])
        let id = AlertID(kind: .registrationStale, subject: "web-07")
        let timeout = Duration.seconds(180)
        _ = correlator.ingest(
            [.registration(workload: "web-07", RegistrationStatus(lastRegisteredAt: F.at(0), timeout: timeout))],
            into: &world,
            now: F.at(60)
        )
        #expect(world.alerts[id] == nil)

        // Nothing is observed; time alone makes it stale.
        #expect(correlator.tick(&world, now: F.at(80)).correlation.evaluatedWorkloads.isEmpty)
        let due = correlator.tick(&world, now: F.at(91))
        #expect(due.correlation.evaluatedWorkloads == ["web-07"])
        #expect(world.alerts[id]?.severity == .warning)
        #expect(world.alerts[id]?.message.contains("3m registration timeout") == true)

        _ = correlator.ingest(
            [.registration(workload: "web-07", RegistrationStatus(lastRegisteredAt: F.at(120), timeout: timeout))],
            into: &world,
            now: F.at(121)
        )
        #expect(world.alerts[id] == nil)
    }

    @Test func noRegistrationStaleWithoutTheRegistrationTable() {
        var world = F.world([F.spec("web-07", host: 7)])
        _ = correlator.ingest([.registration(workload: "web-07", nil)], into: &world, now: F.at(10_000))
        _ = correlator.ingest([F.registered("web-07", ["127.0.1.1"])], into: &world, now: F.at(10_000))
        #expect(world.alerts.isEmpty)
    }

    @Test func flappingAfterMoreThanThreeMovesInTenMinutesThenClearsAsTheyAge() {
        var world = F.world([F.spec("web-07", host: 7)])
        let id = AlertID(kind: .flapping, subject: "web-07")
        let sites = [["127.0.1.1"], ["127.0.2.1"], ["127.0.1.1"], ["127.0.2.1"], ["127.0.1.1"]]
        for (index, rlocs) in sites.enumerated() {
            let time = F.at(Double(index) * 60)
            _ = correlator.ingest([F.registered("web-07", rlocs, at: time)], into: &world, now: time)
            // The first sighting is not a move, so four moves take five answers.
            #expect((world.alerts[id] != nil) == (index == 4))
        }
        #expect(world.alerts[id]?.severity == .warning)
        #expect(world.alerts[id]?.message.contains("moved 4 times") == true)

        // The first move (at 60 s) leaves the window at 660 s.
        _ = correlator.tick(&world, now: F.at(600))
        #expect(world.alerts[id] != nil)
        let aged = correlator.tick(&world, now: F.at(661))
        #expect(aged.correlation.cleared.map(\.id) == [id])
    }

    @Test func flappingThresholdsAreConfigurable() {
        let strict = Correlator(policy: CorrelatorPolicy(flappingMoves: 1, flappingWindow: .seconds(60)))
        var world = F.world([F.spec("web-07", host: 7)])
        for (index, rlocs) in [["127.0.1.1"], ["127.0.2.1"], ["127.0.1.1"]].enumerated() {
            _ = strict.ingest(
                [F.registered("web-07", rlocs, at: F.at(Double(index)))],
                into: &world,
                now: F.at(Double(index))
            )
        }
        #expect(world.alerts[AlertID(kind: .flapping, subject: "web-07")] != nil)
    }
}
