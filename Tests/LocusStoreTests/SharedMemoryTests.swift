import Foundation
import LocusCore
import Testing

@testable import LocusStore

/// What one Locus process observed, the next one knows: the world of a later process is seeded from
/// the store and detects a move against the mapping an earlier one recorded.
@Suite("History shared between processes")
struct SharedMemoryTests {
    typealias F = StoreFixtures

    static let sites = [
        SiteConfig(name: "dc-east", rlocs: [IPAddress("127.0.1.1")!]),
        SiteConfig(name: "dc-west", rlocs: [IPAddress("127.0.2.1")!]),
    ]

    static func spec() -> InventoryWorkload {
        let address = IPAddress("10.1.0.7")!
        return InventoryWorkload(name: "web-07", eid: IPPrefix(host: address), site: "dc-east", address: address)
    }

    static func registered(_ rloc: String, at time: Date) -> Observation {
        let answer = MappingObservation.Answer.registered(
            locators: [Locator(address: rloc)],
            ttlMinutes: 1440,
            mapVersion: nil,
            isAuthoritative: true
        )
        return .mapping(workload: "web-07", MappingObservation(answer: answer, resolver: "mr-1", checkedAt: time))
    }

    /// One short-lived process: open the store, seed a world from it, observe, record, exit.
    static func run(_ observation: Observation, path: String, now: Date) async throws -> WorldUpdate {
        let store = try StoreLocation.sqlite(path: path).openHistoryStore()
        var world = World(name: "test", sites: sites)
        world.seed(lastKnownMappings: try await store.lastMappings())
        world.seed(recentEvents: try await store.recentEvents(limit: 50))
        let update = Correlator().ingest(
            [.inventoryLoaded(source: "main", workloads: [spec()]), observation],
            into: &world,
            now: now
        )
        try await store.record(HistoryBatch(update))
        return update
    }

    @Test func aLaterProcessDetectsAMoveAgainstTheStoredMapping() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("locus.sqlite")

        let first = try await Self.run(Self.registered("127.0.1.1", at: F.at(0)), path: path, now: F.at(0))
        #expect(first.events.isEmpty)

        let second = try await Self.run(Self.registered("127.0.2.1", at: F.at(60)), path: path, now: F.at(60))
        #expect(second.events.map(\.kind) == [.move, .alertRaised])

        let store = try SQLiteHistoryStore(path: path)
        let moves = try await store.moves(of: "web-07", limit: 10)
        #expect(moves.map(\.move?.toSite) == ["dc-west"])
        #expect(moves.first?.move?.fromSite == "dc-east")
        #expect(try await store.lastMappings()["web-07"]?.site == "dc-west")
        let history = try await store.alertHistory(
            limit: 10,
            alertID: AlertID(kind: .locatorMismatch, subject: "web-07")
        )
        #expect(history.map(\.change) == [.raised])
    }

    @Test func aPostgresURLThatCannotBeUsedIsRefusedNamingWhatIsWrong() {
        #expect {
            _ = try StoreLocation.postgres(url: "postgres://locus@db:5432/").openHistoryStore()
        } throws: { error in
            String(describing: error).contains("names no database")
        }
    }
}
