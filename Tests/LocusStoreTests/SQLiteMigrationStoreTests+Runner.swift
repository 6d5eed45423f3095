import Foundation
import LocusCore
import Testing

@testable import LocusStore

/// The runner's rules on SQLite, as `PostgresMigrationStoreTests+Runner` checks them on PostgreSQL.
/// The actor's host is the origin's, so a runner on another host is a second process.
extension SQLiteMigrationStoreTests {
    static func runnerOrigin(host: String) -> AuditOrigin {
        var origin = Self.origin
        origin.host = host
        return origin
    }

    static func lease(host: String, until seconds: TimeInterval) -> MigrationLease {
        MigrationLease(holder: me, pid: getpid(), host: host, expiresAt: F.at(seconds))
    }

    /// `id` requested by the lab on `workload`, with a passed preflight, approved by this login.
    static func approved(
        _ id: String,
        workload: String = "web-07",
        on store: SQLiteHistoryStore
    ) async throws -> Migration {
        let requested = try await store.request(draft(id: id, workload: workload), origin: origin)
        for (action, time) in [(MigrationAction.recordPreflight(preflight("d1")), 2.0), (.approve(digest: "d1"), 3)] {
            _ = try await store.apply(
                action,
                to: id,
                expectedVersion: nil,
                policy: policy,
                origin: origin,
                at: F.at(time)
            )
        }
        return try #require(try await store.migration(id: requested.id))
    }

    static func act(
        _ action: MigrationAction,
        on id: String,
        from host: String = "jump-1",
        at seconds: TimeInterval,
        in store: SQLiteHistoryStore
    ) async throws(MigrationStoreError) -> Migration {
        try await store.apply(
            action,
            to: id,
            expectedVersion: nil,
            policy: policy,
            origin: runnerOrigin(host: host),
            at: F.at(seconds)
        )
    }

    @Test func aSecondRunnerIsRefusedWhileTheFirstsLeaseLastsAndARenewalIsNotAudited() async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.labStore(directory)
        let approved = try await Self.approved("m-00000001", on: store)
        let first = Self.lease(host: "jump-1", until: 100)
        _ = try await Self.act(.claim(lease: first, note: "waits for the window"), on: approved.id, at: 10, in: store)
        let renewed = Self.lease(host: "jump-1", until: 200)
        #expect(try await Self.act(.renewLease(renewed), on: approved.id, at: 20, in: store).lease == renewed)

        let second = Self.lease(host: "jump-2", until: 1000)
        for action in [MigrationAction.claim(lease: second), .start(lease: second)] {
            let error = await #expect(throws: MigrationStoreError.self) {
                try await Self.act(action, on: approved.id, from: "jump-2", at: 30, in: store)
            }
            guard case .refused(let refusal) = error else {
                Issue.record("expected a refusal, got \(String(describing: error))")
                continue
            }
            #expect(refusal.reason == .notLeaseHolder)
            #expect(
                refusal.message
                    == "migration m-00000001 already has a runner: \(Self.me) (pid \(getpid()) on jump-1) holds it "
                    + "until \(RFC3339.string(from: F.at(200)))"
            )
        }
        let started = try await Self.act(.start(lease: second), on: approved.id, from: "jump-2", at: 201, in: store)
        #expect(started.state == .executing && started.lease == second)

        let audit = try await store.auditEntries(since: nil)
        #expect(audit.map(\.action) == ["request", "preflight", "approve", "run", "run", "run", "run"], "no renewal")
        #expect(audit[3].detail == "waits for the window")
        #expect(audit[4].outcome.hasPrefix("refused: migration m-00000001 already has a runner"))
    }

    @Test func startWaitsWhileMaxRunningCutoversRun() async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.labStore(directory)
        let running = try await Self.approved("m-00000001", on: store)
        _ = try await Self.act(
            .start(lease: Self.lease(host: "jump-1", until: 1000)),
            on: running.id,
            at: 10,
            in: store
        )
        let waiting = try await Self.approved("m-00000002", workload: "web-08", on: store)
        let lease = Self.lease(host: "jump-2", until: 1000)
        let error = await #expect(throws: MigrationStoreError.self) {
            try await Self.act(.start(lease: lease, maxRunning: 1), on: waiting.id, from: "jump-2", at: 20, in: store)
        }
        guard case .refused(let refusal) = error else {
            Issue.record("expected a refusal, got \(String(describing: error))")
            return
        }
        #expect(refusal.reason == .busy)
        #expect(refusal.message == "migration m-00000002 waits its turn: 1 cutovers run (max_running 1)")
        #expect(try await store.migration(id: waiting.id)?.state == .approved)
        // A running cutover whose runner went silent no longer counts.
        let started = try await Self.act(
            .start(lease: lease, maxRunning: 1),
            on: waiting.id,
            from: "jump-2",
            at: 1001,
            in: store
        )
        #expect(started.state == .executing)
    }
}
