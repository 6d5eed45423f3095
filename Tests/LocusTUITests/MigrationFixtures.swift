import Foundation
import LocusCore

@testable import LocusTUI

/// Migrations in each state, and boards of them as one viewer sees them.
enum MigrationFixtures {
    typealias F = LiveViewFixtures

    static let policy = ApprovalPolicy(approvers: ["ops1", "ops2"], fourEyes: false, expireAfterSeconds: 4 * 3600)
    static let digest = "1a2b3c4d" + String(repeating: "e", count: 56)

    static func migration(
        _ id: String,
        _ workload: String,
        state: MigrationState,
        requestedBy: String = "ops3",
        minutesAfterStart: Double = 0
    ) -> Migration {
        var m = Migration(
            id: id,
            workload: workload,
            fromSite: "dc-east",
            toSite: "dc-west",
            fromAddress: "10.1.0.1",
            toAddress: "10.2.0.1",
            reason: "rack retirement",
            requestedBy: requestedBy,
            requestedAt: F.start.addingTimeInterval(minutesAfterStart * 60)
        )
        m.state = state
        m.preflight = PreflightResult(
            digest: digest,
            checks: [
                PreflightCheck(name: "destination-rlocs", ok: true, detail: "dc-west: 127.0.2.1 answered"),
                PreflightCheck(name: "dns-ttl web-01.lab.test", ok: state != .blocked, detail: "ttl 60 s"),
            ],
            plan: [PlanChange(what: "dns", target: "web-01.lab.test", from: "10.1.0.1", to: "10.2.0.1")],
            at: m.requestedAt
        )
        return m
    }

    /// One of each kind, requested a minute apart (m-05 newest).
    static var mixed: [Migration] {
        var running = migration("m-00000002", "web-02", state: .executing, minutesAfterStart: 2)
        running.approvals = [Approval(user: "ops2", at: F.start, digest: digest, expiresAt: F.start + 3600)]
        running.lease = MigrationLease(holder: "ops2", pid: 4242, host: "jump", expiresAt: F.start + 3600)
        running.steps = [
            MigrationStep(name: "mover", state: .done, startedAt: F.start, endedAt: F.start + 4, detail: "exit 0"),
            MigrationStep(name: "mapping", state: .running, startedAt: F.start + 4),
            MigrationStep(name: "dns"),
        ]
        return [
            migration("m-00000005", "db-01", state: .completed, minutesAfterStart: 5),
            migration("m-00000004", "cache-01", state: .interrupted, minutesAfterStart: 4),
            migration("m-00000003", "web-03", state: .failed, minutesAfterStart: 3),
            running,
            migration("m-00000001", "web-01", state: .ready, minutesAfterStart: 1),
        ]
    }

    static func board(
        _ migrations: [Migration],
        viewer: String = "ops1",
        readOnlyReason: String? = nil
    ) -> MigrationBoard {
        MigrationBoard(
            migrations: migrations,
            policy: policy,
            viewer: viewer,
            readOnlyReason: readOnlyReason,
            readAt: F.start.addingTimeInterval(10 * 60)
        )
    }

    static func data(_ board: MigrationBoard) -> LiveData {
        var data = F.data(F.fullWorld())
        data.migrations = board
        return data
    }
}
