import Foundation
import LocusCore
import LocusEngine
import LocusStore
import Testing

/// How the engine publishes and what operators' commands do, against the real map-server.
@Suite("Engine behaviour", .serialized)
struct EngineBehaviourTests {
    static func inventory(count: Int) -> String {
        (1...count).map { index in
            """
            [[workload]]
            name = "web-\(index)"
            eid = "10.1.0.\(index)/32"
            site = "dc-east"
            address = "10.1.0.\(index)"

            """
        }.joined()
    }

    static func config(
        in directory: TemporaryDirectory,
        server: MapServerFixture,
        workloads: Int,
        maxAge: Duration
    ) async throws -> LocusConfig {
        try directory.write(inventory(count: workloads), to: "inventory.toml")
        return LocusConfig(
            file: directory.file("locus.toml"),
            name: "behaviour-test",
            pollInterval: .milliseconds(100),
            store: .sqlite(path: directory.file("locus.sqlite")),
            sites: [
                SiteConfig(name: "dc-east", rlocs: [try #require(IPAddress("127.0.1.1"))]),
                SiteConfig(name: "dc-west", rlocs: [try #require(IPAddress("127.0.2.1"))]),
            ],
            mappings: [MappingConfig(name: "mr-1", resolver: await server.resolver, maxAge: maxAge)],
            inventories: [InventorySourceConfig(name: "main", kind: .file(path: directory.file("inventory.toml")))]
        )
    }

    @Test("one complete pass over 40 workloads publishes a handful of snapshots, not one per answer")
    func burstIsCoalesced() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        let east = try await SimulatedXTR.east(server)
        try await east.register((1...40).map { "10.1.0.\($0)" })
        let config = try await Self.config(in: directory, server: server, workloads: 40, maxAge: .seconds(60))
        let engine = Engine(
            config: config,
            store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")),
            tuning: fastTuning
        )
        let pass = try await engine.runOnce()
        #expect(pass.workloads.count == 40)
        #expect(pass.workloads.values.allSatisfy { $0.mapping.state == .registered && $0.mapping.site == "dc-east" })
        let statistics = await engine.currentStatistics()
        #expect(statistics.observationsApplied > 40)
        #expect(pass.version <= 3)
        await east.stop()
        await server.stop()
    }

    @Test("answers that change nothing publish nothing")
    func quietWhenNothingChanges() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        let east = try await SimulatedXTR.east(server)
        try await east.register("10.1.0.1", "10.1.0.2")
        // max_age 100 ms: each EID is resolved about ten times a second.
        let config = try await Self.config(in: directory, server: server, workloads: 2, maxAge: .milliseconds(100))
        let engine = Engine(
            config: config,
            store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")),
            tuning: fastTuning
        )
        try await running(engine) {
            let steady = try await snapshot(of: engine, "both mapped") { snapshot in
                ["web-1", "web-2"].allSatisfy { snapshot.workload($0)?.mapping.state == .registered }
            }
            let before = await engine.currentStatistics()
            try await eventually("twenty more answers applied") {
                await engine.currentStatistics().observationsApplied >= before.observationsApplied + 20
            }
            #expect(await engine.snapshot.version == steady.version)
        }
        await east.stop()
        await server.stop()
    }

    @Test("an acknowledgement is in the store before it shows, and later processes see it")
    func acknowledgement() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        let west = try await SimulatedXTR.west(server)
        // The inventory says dc-east; the mapping says dc-west.
        try await west.register("10.1.0.1")
        let config = try await Self.config(in: directory, server: server, workloads: 1, maxAge: .seconds(60))
        let store = try SQLiteHistoryStore(path: directory.file("locus.sqlite"))
        let engine = Engine(config: config, store: store, tuning: fastTuning)
        let id = AlertID(kind: .locatorMismatch, subject: "web-1")
        try await running(engine) {
            // Not raised: refused, and nothing is kept to silence it when it comes.
            let notRaised = AlertID(kind: .mappingMissing, subject: "web-1")
            await #expect(throws: AcknowledgeError.notRaised(notRaised)) {
                try await engine.acknowledge(notRaised, by: "ops1")
            }
            #expect(try await store.acknowledgements().allSatisfy { $0.alertID != notRaised })
            _ = try await snapshot(of: engine, "locator-mismatch raised") { $0.alerts[id] != nil }
            try await engine.acknowledge(id, by: "ops1")
            #expect(try await store.acknowledgements().contains { $0.alertID == id && $0.by == "ops1" })
            let acknowledged = try await snapshot(of: engine, "the alert shows the acknowledgement") {
                $0.alerts[id]?.acknowledgedBy == "ops1"
            }
            #expect(acknowledged.alerts[id]?.acknowledgedAt != nil)
        }
        let later = Engine(config: config, store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")))
        let seenLater = try await later.runOnce()
        #expect(seenLater.alerts[id]?.acknowledgedBy == "ops1")
        await west.stop()
        await server.stop()
    }

    @Test("an acknowledgement given for a time lapses: the alert counts again, here and in a later process")
    func acknowledgementForATime() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        let west = try await SimulatedXTR.west(server)
        try await west.register("10.1.0.1")
        let config = try await Self.config(in: directory, server: server, workloads: 1, maxAge: .seconds(60))
        let path = directory.file("locus.sqlite")
        let engine = Engine(config: config, store: try SQLiteHistoryStore(path: path), tuning: fastTuning)
        let id = AlertID(kind: .locatorMismatch, subject: "web-1")
        try await running(engine) {
            _ = try await snapshot(of: engine, "locator-mismatch raised") { $0.alerts[id] != nil }
            try await engine.acknowledge(id, by: "ops1", for: .seconds(2))
            let acknowledged = try #require(await engine.snapshot.alerts[id])
            let until = try #require(acknowledged.acknowledgedUntil)
            #expect(abs(until.timeIntervalSince(try #require(acknowledged.acknowledgedAt)) - 2) < 0.001)
            let before = try await Engine(config: config, store: try SQLiteHistoryStore(path: path)).runOnce()
            let seenBefore = try #require(
                before.alerts[id]?.acknowledgedUntil,
                "a process started before it lapses sees it"
            )
            #expect(abs(seenBefore.timeIntervalSince(until)) < 0.001, "the store keeps milliseconds")
            let lapsed = try await snapshot(of: engine, "the acknowledgement lapsed") {
                $0.alerts[id].map { !$0.isAcknowledged } ?? false
            }
            #expect(lapsed.alerts[id]?.firstSeen == acknowledged.firstSeen, "the same occurrence, counted again")
            #expect(Date() >= until)
        }
        let later = try await Engine(config: config, store: try SQLiteHistoryStore(path: path)).runOnce()
        #expect(later.alerts[id].map { !$0.isAcknowledged } == true)
        #expect(CheckResult(later).status == .critical)
        await west.stop()
        await server.stop()
    }

    @Test("a running engine prunes the history older than history_keep when it starts")
    func pruning() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        var config = try await Self.config(in: directory, server: server, workloads: 1, maxAge: .seconds(60))
        config.historyKeep = .seconds(3600)
        let path = directory.file("locus.sqlite")
        let reader = try SQLiteHistoryStore(path: path)
        func event(_ detail: String, hoursAgo: Double) -> Event {
            Event(
                time: Date().addingTimeInterval(-hoursAgo * 3600),
                kind: .sourceState,
                subject: "mr-old",
                detail: detail
            )
        }
        try await reader.record(events: [event("two hours ago", hoursAgo: 2), event("half an hour ago", hoursAgo: 0.5)])
        let engine = Engine(config: config, store: try SQLiteHistoryStore(path: path), tuning: fastTuning)
        try await running(engine) {
            try await eventually("the event older than history_keep is pruned") {
                try await reader.recentEvents(limit: 10, subject: "mr-old").map(\.detail) == ["half an hour ago"]
            }
        }
        await server.stop()
    }

    @Test("rescan resolves every EID now instead of at max_age")
    func rescan() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        let east = try await SimulatedXTR.east(server)
        let west = try await SimulatedXTR.west(server)
        try await east.register("10.1.0.1")
        // Lookups only every 10 minutes, and no subscription: only a rescan can show the move in time.
        let config = try await Self.config(in: directory, server: server, workloads: 1, maxAge: .seconds(600))
        let engine = Engine(
            config: config,
            store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")),
            tuning: fastTuning
        )
        try await running(engine) {
            _ = try await snapshot(of: engine, "web-1 at dc-east") { $0.workload("web-1")?.mapping.site == "dc-east" }
            try await west.register("10.1.0.1")
            await engine.rescan()
            let moved = try await snapshot(of: engine, "web-1 at dc-west") {
                $0.workload("web-1")?.mapping.site == "dc-west"
            }
            #expect(moved.moves(of: "web-1").count == 1)
        }
        await east.stop()
        await west.stop()
        await server.stop()
    }
}
