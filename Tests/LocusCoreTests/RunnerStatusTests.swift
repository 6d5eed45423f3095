import Foundation
import Testing

@testable import LocusCore

/// What an approved migration waits for, in the words `locus migrate list|show` print.
@Suite("Runner status in words")
struct RunnerStatusTests {
    static let policy = ApprovalPolicy(approvers: ["ops2"], fourEyes: false, expireAfterSeconds: 4 * 3600)
    /// Wednesday 2025-04-02 12:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_743_595_200)

    static func approved(_ id: String = "m-0000000a", approvedAgo: TimeInterval, lease: TimeInterval?) -> Migration {
        var migration = Migration(
            id: id,
            workload: "web-07",
            fromSite: "dc-east",
            toSite: "dc-west",
            fromAddress: "10.1.0.7",
            toAddress: "10.1.0.7",
            reason: "rack retirement",
            requestedBy: "ops1",
            requestedAt: now.addingTimeInterval(-3600)
        )
        let at = now.addingTimeInterval(-approvedAgo)
        migration.state = .approved
        migration.approvals = [Approval(user: "ops2", at: at, digest: "d", expiresAt: at.addingTimeInterval(4 * 3600))]
        migration.lastChange = StateChange(user: "ops2", at: at, action: "approve")
        migration.lease = lease.map {
            MigrationLease(holder: "ops2", pid: 4242, host: "jump-1", expiresAt: now.addingTimeInterval($0))
        }
        return migration
    }

    static func conditions(window: String? = nil, running: Int = 0, maxRunning: Int = 4) throws -> RunnerConditions {
        RunnerConditions(
            now: now,
            window: try window.map { try MaintenanceWindow(parsing: $0) },
            running: running,
            maxRunning: maxRunning
        )
    }

    @Test func aRunnerWaitingForTheWindowSaysWhenItStarts() throws {
        // The window opens Wednesday 15:12 UTC: 3h 12m from now.
        let conditions = try Self.conditions(window: "Wed 15:12-Wed 18:00 UTC")
        let waiting = Self.approved(approvedAgo: 600, lease: 20)
        #expect(waiting.runnerStatus(conditions) == "approved, starts in 3h 12m")
    }

    @Test func aRunnerWaitingForItsTurnCountsTheCutoversRunning() throws {
        let waiting = Self.approved(approvedAgo: 600, lease: 20)
        #expect(waiting.runnerStatus(try Self.conditions(running: 4, maxRunning: 4)) == "waiting: 4 cutovers running")
        #expect(
            waiting.runnerStatus(try Self.conditions(window: "Wed 11:00-Wed 13:00 UTC", running: 5))
                == "waiting: 5 cutovers running"
        )
        #expect(waiting.runnerStatus(try Self.conditions(running: 3, maxRunning: 4)) == nil, "its turn: it starts")
    }

    @Test func anApprovalNobodyRunsSaysSoAfterAMinute() throws {
        let conditions = try Self.conditions(window: "Sat 22:00-Sun 04:00 UTC")
        #expect(Self.approved(approvedAgo: 61, lease: nil).runnerStatus(conditions) == "approved, not running")
        #expect(Self.approved(approvedAgo: 61, lease: -1).runnerStatus(conditions) == "approved, not running")
        #expect(Self.approved(approvedAgo: 30, lease: nil).runnerStatus(conditions) == nil, "its runner is starting")
    }

    @Test func onlyApprovedMigrationsWait() throws {
        var executing = Self.approved(approvedAgo: 600, lease: 20)
        executing.state = .executing
        #expect(executing.runnerStatus(try Self.conditions(running: 9)) == nil)
    }

    @Test func runningCountsOnlyCutoversUnderALiveLease() {
        var live = Self.approved("m-1", approvedAgo: 600, lease: 20)
        live.state = .executing
        var dead = Self.approved("m-2", approvedAgo: 600, lease: -5)
        dead.state = .verifying
        var rolling = Self.approved("m-3", approvedAgo: 600, lease: 20)
        rolling.state = .rollingBack
        let claimed = Self.approved("m-4", approvedAgo: 600, lease: 20)
        let conditions = RunnerConditions(
            among: [live, dead, rolling, claimed],
            now: Self.now,
            window: nil,
            maxRunning: 2
        )
        #expect(conditions.running == 2)
        #expect(claimed.runnerStatus(conditions) == "waiting: 2 cutovers running")
    }

    @Test func listShowAndJSONSayIt() throws {
        let conditions = try Self.conditions(window: "Wed 15:12-Wed 18:00 UTC")
        let waiting = Self.approved(approvedAgo: 600, lease: 20)
        let list = MigrationText.list([waiting], policy: Self.policy, runner: conditions)
        #expect(
            list.split(separator: "\n").last?.contains("dc-east → dc-west  approved, starts in 3h 12m  ops1") == true,
            "\(list)"
        )
        #expect(MigrationText.list([waiting], policy: Self.policy).contains("dc-west  approved  ops1"))
        let show = MigrationText.show(waiting, policy: Self.policy, now: Self.now, runner: conditions)
        #expect(show.split(separator: "\n").dropFirst().first == "  approved, starts in 3h 12m")
        let document = MigrationDocument.migration(waiting, policy: Self.policy, runner: conditions)
        #expect(document["runner"] as? String == "approved, starts in 3h 12m")
        let unknown = MigrationDocument.list([waiting], policy: Self.policy)
        let first = try #require((unknown["migrations"] as? [[String: Any]])?.first)
        #expect(first["runner"] is NSNull)
    }
}
