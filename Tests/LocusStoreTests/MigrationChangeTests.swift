import Foundation
import LocusCore
import LocusTestSupport
import Testing

@testable import LocusStore

/// A dashboard learns of a decision made elsewhere without asking: another connection's commit on
/// SQLite (`PRAGMA data_version`), another host's on PostgreSQL (LISTEN/NOTIFY from schema v4).
@Suite("Migration change signals")
struct MigrationChangeTests {
    typealias F = StoreFixtures
    typealias S = SQLiteMigrationStoreTests
    typealias P = PostgresFixtures

    /// Counts what a change stream yields, from a task of its own.
    actor Signals {
        private(set) var count = 0
        private var task: Task<Void, Never>?

        func listen(to changes: AsyncStream<Void>) {
            task = Task { for await _ in changes { self.count += 1 } }
        }

        /// Waits until at least `count` signals arrived; false after `deadline`.
        func reach(_ count: Int, within deadline: Duration) async -> Bool {
            let end = ContinuousClock.now + deadline
            while self.count < count, ContinuousClock.now < end {
                try? await Task.sleep(for: .milliseconds(20))
            }
            return self.count >= count
        }

        func stop() { task?.cancel() }
    }

    @Test func aCommitThroughAnotherConnectionIsSignalledOnSQLite() async throws {
        let directory = try TemporaryDirectory()
        let watcher = try await S.labStore(directory)
        let writer = try SQLiteHistoryStore(path: directory.path("locus.sqlite"))
        let signals = Signals()
        await signals.listen(to: watcher.migrationChanges())
        // Let the poll read the version before anything changes.
        try await Task.sleep(for: .milliseconds(500))
        let before = await signals.count
        _ = try await writer.request(S.draft(), origin: S.origin)
        #expect(await signals.reach(before + 1, within: .seconds(5)))
        await signals.stop()
    }

    @Test(.enabled(if: PostgresFixtures.installed, "needs PostgreSQL 15 in /usr/lib/postgresql/15/bin"))
    func aDecisionOnAnotherConnectionIsNotifiedOnPostgreSQL() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let ops1 = try P.store(cluster, as: "ops1")
        let ops3 = try P.store(cluster, as: "ops3")
        let ready = try await P.ready("m-00000001", on: ops3, by: "ops3")
        let signals = Signals()
        await signals.listen(to: ops1.migrationChanges())
        // The first signal says it listens (anything may have changed before).
        #expect(await signals.reach(1, within: .seconds(10)))
        _ = try await ops3.apply(
            .cancel(reason: "no longer needed"),
            to: ready.id,
            expectedVersion: ready.version,
            policy: ApprovalPolicy(P.approvals),
            origin: P.origin,
            at: Date()
        )
        #expect(await signals.reach(2, within: .seconds(5)))
        await signals.stop()
        for store in [owner, ops1, ops3] { await store.close() }
    }
}
