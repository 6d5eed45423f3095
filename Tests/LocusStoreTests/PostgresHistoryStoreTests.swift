import Foundation
import LocusCore
import LocusTestSupport
import Testing

@testable import LocusStore

/// The round trips `SQLiteHistoryStoreTests` covers, against a real server.
@Suite(
    "PostgreSQL history store",
    .enabled(if: PostgresFixtures.installed, "needs PostgreSQL 15 in /usr/lib/postgresql/15/bin")
)
struct PostgresHistoryStoreTests {
    typealias F = StoreFixtures
    typealias P = PostgresFixtures
    typealias S = SQLiteHistoryStoreTests

    @Test func aBatchIsReadBackAsMappingsAddressesEventsMovesAndAlerts() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let store = try P.store(cluster, as: "ops3")
        let raised = AlertTransition(change: .raised, alert: S.mismatch, at: F.at(10))
        let address = KnownAddress(address: IPAddress("172.16.1.5")!, previous: IPAddress("10.1.0.7")!)
        try await store.record(
            HistoryBatch(
                mappings: ["web-07": S.east],
                events: [S.move, raised.event!],
                alertTransitions: [raised],
                addresses: ["web-07": address]
            )
        )
        let reader = try P.store(cluster, as: "ops1")
        #expect(try await reader.lastMappings() == ["web-07": S.east])
        #expect(try await reader.lastAddresses() == ["web-07": address])
        let events = try await reader.recentEvents(limit: 10)
        #expect(Set(events.map(\.kind)) == [.move, .alertRaised])
        #expect(events.first { $0.kind == .move } == S.move)
        #expect(try await reader.moves(of: "web-07", limit: 10) == [S.move])
        #expect(try await reader.moves(of: nil, limit: 10) == [S.move])
        #expect(try await reader.moves(since: F.at(9)) == [S.move])
        #expect(try await reader.moves(since: F.at(10)).isEmpty)
        let history = try await reader.alertHistory(limit: 10, alertID: S.mismatch.id)
        #expect(history.map(\.change) == [.raised])
        #expect(history.first?.alert.message == S.mismatch.message)
        #expect(try await reader.openAlerts().map(\.id) == [S.mismatch.id])

        let west = LastKnownMapping(site: "dc-west", locators: [Locator(address: "127.0.2.1")], checkedAt: F.at(20))
        try await store.record(mappings: ["web-07": west])
        #expect(try await reader.lastMappings() == ["web-07": west], "replaced, not duplicated")
        try await store.record(alertTransitions: [AlertTransition(change: .cleared, alert: S.mismatch, at: F.at(30))])
        #expect(try await reader.openAlerts().isEmpty)
        for store in [owner, store, reader] { await store.close() }
    }

    @Test func recentEventsAreNewestFirstLimitedAndFilteredBySubject() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        // Seeded: a failure comes back with the same order.
        var shuffling = SeededRandom(seed: 20)
        let events = (0..<20).map { index in
            Event(
                time: F.at(Double(index)),
                kind: .sourceState,
                subject: index % 2 == 0 ? "mr-1" : "mr-2",
                detail: "\(index)"
            )
        }
        try await owner.record(events: events.shuffled(using: &shuffling))
        #expect(try await owner.recentEvents(limit: 3).map(\.detail) == ["19", "18", "17"])
        #expect(try await owner.recentEvents(limit: 3, subject: "mr-1").map(\.detail) == ["18", "16", "14"])
        #expect(try await owner.recentEvents(limit: 0).isEmpty)
        await owner.close()
    }

    @Test func acknowledgementsNameTheSessionUserAndLastUntilTheAlertClears() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let ops1 = try P.store(cluster, as: "ops1")
        let ops2 = try P.store(cluster, as: "ops2")
        let id = S.mismatch.id
        try await ops1.record(alertTransitions: [AlertTransition(change: .raised, alert: S.mismatch, at: F.at(10))])
        try await ops1.acknowledge(alertID: id, by: "ops1", at: F.at(11))
        try await ops2.acknowledge(alertID: id, by: "mallory", at: F.at(12))
        #expect(try await ops1.acknowledgements() == [Acknowledgement(alertID: id, by: "ops2", at: F.at(12))])

        try await ops1.record(alertTransitions: [AlertTransition(change: .cleared, alert: S.mismatch, at: F.at(20))])
        #expect(try await ops1.acknowledgements().isEmpty)
        try await ops1.acknowledge(alertID: id, by: "ops1", at: F.at(30))
        #expect(try await ops2.acknowledgements().map(\.by) == ["ops1"])
        for store in [owner, ops1, ops2] { await store.close() }
    }

    @Test func anAcknowledgementKeepsItsOccurrenceAndExpiry() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let ops1 = try P.store(cluster, as: "ops1")
        let given = S.timedAcknowledgement
        try await ops1.record(alertTransitions: [AlertTransition(change: .raised, alert: S.mismatch, at: F.at(10))])
        try await ops1.acknowledge(given)
        #expect(try await owner.acknowledgements() == [given])
        for store in [owner, ops1] { await store.close() }
    }

    @Test func aPasswordFromTheStorePasswordFileLogsInOverTCP() async throws {
        let rules = ["local all postgres trust", "local all all peer", "host all ops1 127.0.0.1/32 scram-sha-256"]
        let cluster = try P.cluster(rules: rules + ["host all postgres 127.0.0.1/32 trust"])
        let owner = try await P.initialized(cluster)
        try cluster.execute("ALTER ROLE ops1 PASSWORD 'pg-secret-1'")
        let directory = try TemporaryDirectory()
        let file = directory.path("pg.pass")
        try "pg-secret-1\n".write(toFile: file, atomically: true, encoding: .utf8)

        let store = try StoreLocation.postgres(url: cluster.tcpURL(user: "ops1")).openHistoryStore(passwordFile: file)
        #expect(try await store.actingUser() == "ops1")
        let without = try PostgresStore(url: cluster.tcpURL(user: "ops1"))
        let error = await #expect(throws: HistoryStoreError.self) { try await without.lastMappings() }
        #expect(error?.description.contains("store_password_file") == true, "\(String(describing: error))")
        await owner.close()
        await without.close()
        await (store as? PostgresStore)?.close()
    }
}
