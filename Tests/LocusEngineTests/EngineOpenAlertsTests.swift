import Foundation
import LocusCore
import LocusEngine
import LocusStore
import Testing

/// Alerts outlive the process that raised them: the next one, over the same store, keeps an alert
/// that still holds (with its age) and clears one that no longer does.
@Suite("Engine: alerts left open by earlier processes", .serialized)
struct EngineOpenAlertsTests {
    static let mismatch = AlertID(kind: .locatorMismatch, subject: "web-07")

    static func inventory(site: String, name: String = "web-07") -> String {
        """
        [[workload]]
        name = "\(name)"
        eid = "10.1.0.7/32"
        site = "\(site)"
        address = "10.1.0.7"

        """
    }

    static func config(in directory: TemporaryDirectory, server: MapServerFixture) async throws -> LocusConfig {
        LocusConfig(
            file: directory.file("locus.toml"),
            name: "open-alerts-test",
            pollInterval: .milliseconds(100),
            store: .sqlite(path: directory.file("locus.sqlite")),
            sites: [
                SiteConfig(name: "dc-east", rlocs: [try #require(IPAddress("127.0.1.1"))]),
                SiteConfig(name: "dc-west", rlocs: [try #require(IPAddress("127.0.2.1"))]),
            ],
            mappings: [MappingConfig(name: "mr-1", resolver: await server.resolver, maxAge: .seconds(60))],
            inventories: [InventorySourceConfig(name: "main", kind: .file(path: directory.file("inventory.toml")))]
        )
    }

    /// One `locus snapshot` over the shared store.
    static func pass(_ config: LocusConfig, in directory: TemporaryDirectory) async throws -> Snapshot {
        let engine = Engine(
            config: config,
            store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")),
            tuning: fastTuning
        )
        return try await engine.runOnce()
    }

    static func transitions(in directory: TemporaryDirectory) async throws -> [AlertTransition.Change] {
        let store = try SQLiteHistoryStore(path: directory.file("locus.sqlite"))
        return try await store.alertHistory(limit: 100, alertID: mismatch).reversed().map(\.change)
    }

    /// Whether two times are the same to the millisecond, all the store keeps.
    static func same(_ time: Date?, _ other: Date) -> Bool {
        guard let time else { return false }
        return abs(time.timeIntervalSince(other)) < 0.001
    }

    static func events(_ kind: EventKind, in directory: TemporaryDirectory) async throws -> Int {
        let store = try SQLiteHistoryStore(path: directory.file("locus.sqlite"))
        return try await store.recentEvents(limit: 100, subject: mismatch.rawValue).filter { $0.kind == kind }.count
    }

    @Test("a snapshot keeps the age of a problem an earlier one saw, and clears it once fixed")
    func snapshotsInSequence() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        let west = try await SimulatedXTR.west(server)
        try await west.register("10.1.0.7")
        // The inventory says dc-east; the mapping says dc-west.
        try directory.write(Self.inventory(site: "dc-east"), to: "inventory.toml")
        let config = try await Self.config(in: directory, server: server)

        let first = try await Self.pass(config, in: directory)
        let since = try #require(first.alerts[Self.mismatch]?.firstSeen)
        #expect(try await Self.transitions(in: directory) == [.raised])

        let second = try await Self.pass(config, in: directory)
        #expect(Self.same(second.alerts[Self.mismatch]?.firstSeen, since))
        #expect(try await Self.transitions(in: directory) == [.raised])
        #expect(try await Self.events(.alertRaised, in: directory) == 1)

        // The operator updates the inventory: the workload did move.
        try directory.write(Self.inventory(site: "dc-west"), to: "inventory.toml")
        let third = try await Self.pass(config, in: directory)
        #expect(third.alerts[Self.mismatch] == nil)
        #expect(third.events.contains { $0.kind == .alertCleared && $0.subject == Self.mismatch.rawValue })
        #expect(try await Self.transitions(in: directory) == [.raised, .cleared])
        #expect(try await Self.events(.alertCleared, in: directory) == 1)
        let store = try SQLiteHistoryStore(path: directory.file("locus.sqlite"))
        #expect(try await store.openAlerts().isEmpty)

        await west.stop()
        await server.stop()
    }

    @Test("an alert about a workload the inventory no longer declares is cleared by the next snapshot")
    func workloadGone() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        let west = try await SimulatedXTR.west(server)
        try await west.register("10.1.0.7")
        try directory.write(Self.inventory(site: "dc-east"), to: "inventory.toml")
        let config = try await Self.config(in: directory, server: server)
        #expect(try await Self.pass(config, in: directory).alerts[Self.mismatch] != nil)

        try directory.write(Self.inventory(site: "dc-west", name: "web-08"), to: "inventory.toml")
        let later = try await Self.pass(config, in: directory)
        #expect(later.alerts[Self.mismatch] == nil)
        #expect(try await Self.transitions(in: directory) == [.raised, .cleared])

        await west.stop()
        await server.stop()
    }

    @Test("a dashboard started later shows an open alert with its first-seen and clears it when fixed")
    func dashboardTakesOver() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        let west = try await SimulatedXTR.west(server)
        try await west.register("10.1.0.7")
        try directory.write(Self.inventory(site: "dc-east"), to: "inventory.toml")
        let config = try await Self.config(in: directory, server: server)
        let since = try #require(try await Self.pass(config, in: directory).alerts[Self.mismatch]?.firstSeen)

        let engine = Engine(
            config: config,
            store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")),
            tuning: fastTuning
        )
        try await running(engine) {
            let seen = try await snapshot(of: engine, "web-07 resolved with the alert kept") {
                $0.workload("web-07")?.mapping.state == .registered && $0.alerts[Self.mismatch] != nil
            }
            #expect(Self.same(seen.alerts[Self.mismatch]?.firstSeen, since))
            #expect(try await Self.transitions(in: directory) == [.raised])

            try directory.write(Self.inventory(site: "dc-west"), to: "inventory.toml")
            _ = try await snapshot(of: engine, "the alert cleared") { $0.alerts[Self.mismatch] == nil }
            try await eventually("the clear is in the store") {
                try await Self.transitions(in: directory) == [.raised, .cleared]
            }
        }

        await west.stop()
        await server.stop()
    }
}
