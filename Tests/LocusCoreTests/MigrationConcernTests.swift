import Foundation
import Testing

@testable import LocusCore

@Suite("locus check and migrations")
struct MigrationConcernTests {
    typealias F = WorldFixtures
    static let policy = ApprovalPolicy(approvers: ["ops1"], fourEyes: false, expireAfterSeconds: 4 * 3600)

    static func migration(
        _ id: String,
        _ state: MigrationState,
        requestedAt: Date = F.at(0),
        outcome: String? = nil
    ) -> Migration {
        var migration = Migration(
            id: id,
            workload: "web-07",
            fromSite: "dc-east",
            toSite: "dc-west",
            fromAddress: "10.1.0.7",
            toAddress: "10.2.0.7",
            reason: "rack retirement",
            requestedBy: "ops1",
            requestedAt: requestedAt
        )
        migration.state = state
        migration.outcome = outcome
        return migration
    }

    /// A world whose one source answered and raised nothing.
    static func healthySnapshot() -> Snapshot {
        var world = F.world([F.spec("web-07", host: 7)])
        _ = Correlator().ingest(
            [F.source("mr-1", .ok), F.registered("web-07", ["127.0.1.1"])],
            into: &world,
            now: F.at(1)
        )
        return world.snapshot(version: 1, takenAt: F.at(1))
    }

    @Test(arguments: [MigrationState.interrupted, .failed, .rollbackFailed])
    func aMigrationLeftStuckIsCriticalNamingItAndWhy(_ state: MigrationState) {
        let stuck = Self.migration("m-0000000a", state, outcome: "mover exited 1: host unreachable")
        let concerns = MigrationConcern.concerns(in: [stuck], policy: Self.policy, now: F.at(60))
        #expect(
            concerns == [
                MigrationConcern(
                    migrationID: "m-0000000a",
                    severity: .critical,
                    text: "migration m-0000000a web-07 dc-east → dc-west \(state): mover exited 1: host unreachable"
                )
            ]
        )
        let check = CheckResult(Self.healthySnapshot(), migrations: concerns)
        #expect(check.status == .critical)
        #expect(
            check.line.hasPrefix(
                "LOCUS CRITICAL - migration m-0000000a web-07 dc-east → dc-west \(state): mover exited 1: host unreachable | "
            )
        )
        #expect(check.line.hasSuffix("migrations_stuck=1 migrations_waiting=0"))
    }

    @Test func aRequestWaitingLongerThanHalfOfExpireAfterIsAWarning() {
        let waiting = Self.migration("m-0000000b", .ready)
        #expect(MigrationConcern.concerns(in: [waiting], policy: Self.policy, now: F.at(2 * 3600)).isEmpty)
        let concerns = MigrationConcern.concerns(in: [waiting], policy: Self.policy, now: F.at(2 * 3600 + 12 * 60))
        #expect(
            concerns.map(\.text) == [
                "migration m-0000000b web-07 dc-east → dc-west ready, waiting for approval for 2h 12m (expires in 1h 48m)"
            ]
        )
        let check = CheckResult(Self.healthySnapshot(), migrations: concerns)
        #expect(check.status == .warning)
        #expect(check.exitCode == 1)
        #expect(check.line.hasSuffix("migrations_stuck=0 migrations_waiting=1"))
    }

    @Test func settledAndRunningMigrationsAreNoConcern() {
        let quiet: [MigrationState] = [
            .approved, .executing, .verifying, .completed, .rollingBack, .rolledBack,
            .rejected, .cancelled, .expired,
        ]
        let migrations = quiet.enumerated().map { Self.migration("m-\($0.offset)", $0.element) }
        #expect(MigrationConcern.concerns(in: migrations, policy: Self.policy, now: F.at(3 * 3600)).isEmpty)
    }

    @Test func stuckMigrationsComeBeforeAlertsAndWaitingOnesAndTheRestIsCounted() {
        let migrations = [
            Self.migration("m-1", .blocked, requestedAt: F.at(0)),
            Self.migration("m-2", .failed, requestedAt: F.at(1), outcome: "verify timed out"),
            Self.migration("m-3", .interrupted, requestedAt: F.at(2), outcome: "the runner's lease expired"),
            Self.migration("m-4", .requested, requestedAt: F.at(3)),
        ]
        let concerns = MigrationConcern.concerns(in: migrations, policy: Self.policy, now: F.at(3 * 3600))
        #expect(concerns.map(\.migrationID) == ["m-3", "m-2", "m-4", "m-1"])

        var world = F.world([F.spec("web-07", host: 7)])
        _ = Correlator().ingest([F.source("mr-1", .ok), F.negative("web-07")], into: &world, now: F.at(1))
        let check = CheckResult(world.snapshot(version: 1, takenAt: F.at(1)), migrations: concerns)
        #expect(check.status == .critical)
        #expect(check.summary.hasPrefix("migration m-3 web-07 dc-east → dc-west interrupted: "))
        #expect(check.summary.hasSuffix("; 1 more migration; 1 critical: mapping-missing:web-07"))
        #expect(
            check.line.hasSuffix(
                "critical=1 warning=0 acknowledged=0 sources_down=0 migrations_stuck=2 migrations_waiting=2"
            )
        )
    }
}
