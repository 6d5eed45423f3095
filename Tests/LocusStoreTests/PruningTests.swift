import Foundation
import LocusCore
import LocusTestSupport
import Testing

@testable import LocusStore

@Suite("SQLite history store: pruning")
struct SQLitePruningTests {
    @Test func pruningDeletesTheOldHistoryButWhatAnOpenAlertNeedsAndNeverAMigration() async throws {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteMigrationStoreTests.labStore(directory)
        let scenario = PruningScenario(now: StoreFixtures.at(30 * 86_400))
        try await scenario.write(to: store)
        let requested = try await store.request(
            SQLiteMigrationStoreTests.draft(),
            origin: SQLiteMigrationStoreTests.origin
        )
        let audit = try await store.auditEntries(since: nil)

        let pruned = try await store.prune(keeping: PruningScenario.keep, now: scenario.now)
        #expect(pruned == PruningScenario.expected)
        try await scenario.expectPruned(store)
        #expect(try await store.migrations() == [requested])
        #expect(try await store.auditEntries(since: nil) == audit)
        #expect(try await store.prune(keeping: PruningScenario.keep, now: scenario.now).isEmpty)
    }
}

@Suite(
    "PostgreSQL history store: pruning",
    .enabled(if: PostgresFixtures.installed, "needs PostgreSQL 15 in /usr/lib/postgresql/15/bin")
)
struct PostgresPruningTests {
    typealias P = PostgresFixtures

    @Test func anOperatorPrunesByTheOwnersHistoryKeepAndCannotDeleteOtherwise() async throws {
        let cluster = try P.cluster()
        let owner = try PostgresStore(url: cluster.tcpURL(user: "postgres"))
        let lines = try await owner.initialize(approvals: P.approvals, historyKeep: PruningScenario.keep)
        #expect(lines.contains { $0.contains("history_keep 1d") }, "\(lines)")
        let ops1 = try P.store(cluster, as: "ops1")
        // The server's clock decides: whole seconds, as the store keeps them.
        let scenario = PruningScenario(now: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
        try await scenario.write(to: ops1)
        let requested = try await ops1.request(P.draft(id: "m-00000001", by: "ops1"), origin: P.origin)
        let audit = try await ops1.auditEntries(since: nil)

        for sql in ["DELETE FROM event", "DELETE FROM alert_history", "DELETE FROM acknowledgement", "TRUNCATE move"] {
            let output = try cluster.psql(as: "ops1", sql)
            #expect(output.status != 0 && output.stderr.contains("permission denied"), "\(sql): \(output.stderr)")
        }
        // What the operator's own config says is not asked: an hour would have taken the recent rows too.
        let pruned = try await ops1.prune(keeping: .seconds(3600), now: scenario.now.addingTimeInterval(86_400))
        #expect(pruned == PruningScenario.expected)
        try await scenario.expectPruned(ops1)
        #expect(try await ops1.migrations().map(\.id) == [requested.id])
        #expect(try await ops1.auditEntries(since: nil) == audit)
        #expect(try await ops1.prune(keeping: .seconds(3600), now: scenario.now).isEmpty)
        for store in [owner, ops1] { await store.close() }
    }
}
