import Foundation
import LISPNet
import LocusCore
import LocusEngine
import LocusStore
import Testing

/// The engine against the project's map-server on loopback: real Map-Registers, ECM Map-Requests,
/// RFC 9437 publications and the registration table over HTTP.
@Suite("Engine against a map-server", .serialized)
struct EngineMappingTests {
    static func config(
        in directory: TemporaryDirectory,
        server: MapServerFixture,
        subscribe: Bool,
        maxAge: Duration,
        registrationsAPI: Bool = false,
        resolverHost: String? = nil
    ) async throws -> LocusConfig {
        let fixture = await server.resolver
        let resolver = Endpoint(host: resolverHost ?? fixture.host, port: fixture.port)
        try directory.write(
            """
            [[workload]]
            name = "web-07"
            eid = "10.1.0.7/32"
            site = "dc-east"
            address = "10.1.0.7"

            """,
            to: "inventory.toml"
        )
        return LocusConfig(
            file: directory.file("locus.toml"),
            name: "engine-test",
            pollInterval: .milliseconds(100),
            store: .sqlite(path: directory.file("locus.sqlite")),
            sites: [
                SiteConfig(name: "dc-east", rlocs: [try #require(IPAddress("127.0.1.1"))]),
                SiteConfig(name: "dc-west", rlocs: [try #require(IPAddress("127.0.2.1"))]),
            ],
            mappings: [
                MappingConfig(
                    name: "mr-1",
                    resolver: resolver,
                    subscribe: subscribe,
                    maxAge: maxAge,
                    registrationsAPI: registrationsAPI ? await server.registrationsAPI : nil
                )
            ],
            inventories: [InventorySourceConfig(name: "main", kind: .file(path: directory.file("inventory.toml")))]
        )
    }

    static func isMapped(_ snapshot: Snapshot, to site: String) -> Bool {
        snapshot.workload("web-07")?.mapping.state == .registered && snapshot.workload("web-07")?.mapping.site == site
    }

    /// Registers web-07 at dc-east, lets the engine see it, then moves it to dc-west.
    func checkMove(subscribe: Bool, maxAge: Duration) async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        let east = try await SimulatedXTR.east(server)
        let west = try await SimulatedXTR.west(server)
        try await east.register("10.1.0.7")
        let config = try await Self.config(in: directory, server: server, subscribe: subscribe, maxAge: maxAge)
        let store = try SQLiteHistoryStore(path: directory.file("locus.sqlite"))
        let engine = Engine(config: config, store: store, tuning: fastTuning)
        try await running(engine) {
            let before = try await snapshot(of: engine, "web-07 is mapped to dc-east") {
                Self.isMapped($0, to: "dc-east")
            }
            #expect(!before.hasAlert(.locatorMismatch, about: "web-07"))
            #expect(before.workload("web-07")?.mapping.locators.map(\.address) == ["127.0.1.1"])
            #expect(before.sources["mr-1"]?.state == .ok)

            try await west.register("10.1.0.7")
            let after = try await snapshot(of: engine, "web-07 moved to dc-west") {
                Self.isMapped($0, to: "dc-west") && !$0.moves(of: "web-07").isEmpty
            }
            let move = try #require(after.moves(of: "web-07").first?.move)
            #expect(move.fromSite == "dc-east" && move.toSite == "dc-west")
            #expect(move.fromLocators == ["127.0.1.1"] && move.toLocators == ["127.0.2.1"])
            // The inventory still says dc-east.
            let mismatch = try await snapshot(of: engine, "locator-mismatch is raised") {
                $0.hasAlert(.locatorMismatch, about: "web-07")
            }
            #expect(mismatch.alerts[AlertID(kind: .locatorMismatch, subject: "web-07")]?.severity == .critical)
        }
        let stored = try await store.moves(of: "web-07", limit: 10)
        #expect(stored.count == 1)
        await east.stop()
        await west.stop()
        await server.stop()
    }

    @Test("lookup path: a registered move becomes a move event and a locator mismatch")
    func moveByLookups() async throws {
        try await checkMove(subscribe: false, maxAge: .milliseconds(300))
    }

    @Test("subscription path: the publication delivers the move long before max_age")
    func moveBySubscription() async throws {
        // With max_age at 10 minutes, only a publication can report the move within the wait.
        try await checkMove(subscribe: true, maxAge: .seconds(600))
    }

    @Test("a resolver given by name is resolved off the cooperative pool and answers")
    func resolverGivenByName() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        let east = try await SimulatedXTR.east(server)
        try await east.register("10.1.0.7")
        let config = try await Self.config(
            in: directory,
            server: server,
            subscribe: false,
            maxAge: .seconds(1),
            resolverHost: "localhost"
        )
        let engine = Engine(
            config: config,
            store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")),
            tuning: fastTuning
        )
        try await running(engine) {
            _ = try await snapshot(of: engine, "web-07 is mapped to dc-east through localhost") {
                Self.isMapped($0, to: "dc-east") && $0.sources["mr-1"]?.state == .ok
            }
        }
        // One pass, as `locus snapshot` runs it: its first lookups wait for the name, not fail.
        let once = Engine(
            config: config,
            store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")),
            tuning: fastTuning
        )
        let seen = try await once.runOnce()
        #expect(Self.isMapped(seen, to: "dc-east"))
        #expect(seen.sources["mr-1"]?.state == .ok)
        await east.stop()
        await server.stop()
    }

    @Test("a resolver that dies is down with unknown mappings; restarted, it recovers")
    func resolverDownAndBack() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        let east = try await SimulatedXTR.east(server)
        try await east.register("10.1.0.7")
        let config = try await Self.config(in: directory, server: server, subscribe: false, maxAge: .milliseconds(300))
        let store = try SQLiteHistoryStore(path: directory.file("locus.sqlite"))
        let engine = Engine(config: config, store: store, tuning: fastTuning)
        try await running(engine) {
            _ = try await snapshot(of: engine, "web-07 is mapped") { Self.isMapped($0, to: "dc-east") }

            await server.stop()
            let down = try await snapshot(of: engine, "mr-1 is down and web-07 unknown") {
                $0.sources["mr-1"]?.state == .down && $0.workload("web-07")?.mapping.state == .unknown
                    && $0.hasAlert(.sourceDown, about: "mr-1")
            }
            #expect(down.workload("web-07")?.mapping.locators.isEmpty == true)
            #expect(down.sources["mr-1"]?.lastError != nil)
            #expect(down.events.contains { $0.kind == .sourceState && $0.subject == "mr-1" })

            try await server.restart()
            try await east.register("10.1.0.7")
            let back = try await snapshot(of: engine, "mr-1 recovered") {
                $0.sources["mr-1"]?.state == .ok && !$0.hasAlert(.sourceDown, about: "mr-1")
                    && Self.isMapped($0, to: "dc-east")
            }
            #expect(back.moves(of: "web-07").isEmpty)
            #expect(back.events.contains { $0.kind == .alertCleared && $0.subject == "source-down:mr-1" })
        }
        await east.stop()
        await server.stop()
    }

    @Test("a second engine over the same store detects a move that happened while none ran")
    func moveWhileNotRunning() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        let east = try await SimulatedXTR.east(server)
        let west = try await SimulatedXTR.west(server)
        try await east.register("10.1.0.7")
        let config = try await Self.config(in: directory, server: server, subscribe: false, maxAge: .seconds(60))

        let first = Engine(
            config: config,
            store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")),
            tuning: fastTuning
        )
        let seen = try await first.runOnce()
        #expect(Self.isMapped(seen, to: "dc-east"))
        #expect(seen.moves(of: "web-07").isEmpty)

        try await west.register("10.1.0.7")

        let second = Engine(
            config: config,
            store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")),
            tuning: fastTuning
        )
        let later = try await second.runOnce()
        #expect(Self.isMapped(later, to: "dc-west"))
        let move = try #require(later.moves(of: "web-07").first?.move)
        #expect(move.fromSite == "dc-east" && move.toSite == "dc-west")
        #expect(later.hasAlert(.locatorMismatch, about: "web-07"))

        // A third process sees the move in the history without observing anything new.
        let third = Engine(
            config: config,
            store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")),
            tuning: fastTuning
        )
        let again = try await third.runOnce()
        #expect(again.moves(of: "web-07").count == 1)
        await east.stop()
        await west.stop()
        await server.stop()
    }

    @Test("the map-server's registration table is fetched and kept")
    func registrationTable() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        let east = try await SimulatedXTR.east(server)
        try await east.register("10.1.0.7")
        let config = try await Self.config(
            in: directory,
            server: server,
            subscribe: false,
            maxAge: .seconds(60),
            registrationsAPI: true
        )
        let engine = Engine(
            config: config,
            store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")),
            tuning: fastTuning
        )
        let snapshot = try await engine.runOnce()
        #expect(snapshot.sources["mr-1/registrations"]?.state == .ok)
        let registration = try #require(snapshot.workload("web-07")?.registration)
        #expect(registration.lastRegisteredAt != nil)
        #expect(registration.timeout == .seconds(180))
        let table = try #require(await engine.registrationTables()["mr-1"])
        #expect(table.document.registrations.map(\.eidPrefix) == ["10.1.0.7/32"])
        #expect(table.document.registrations.first?.site == "dc-east")
        await east.stop()
        await server.stop()
    }

    @Test("a registration older than half the map-server's timeout raises registration-stale")
    func staleRegistration() async throws {
        let directory = try TemporaryDirectory()
        // Registrations live 4 s without a refresh: stale after 2 s, gone after 4 s.
        let server = try await MapServerFixture(registrationTimeout: .seconds(4))
        let east = try await SimulatedXTR.east(server)
        try await east.register("10.1.0.7")
        let config = try await Self.config(
            in: directory,
            server: server,
            subscribe: false,
            maxAge: .seconds(60),
            registrationsAPI: true
        )
        let engine = Engine(
            config: config,
            store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")),
            tuning: fastTuning
        )
        try await running(engine) {
            let fresh = try await snapshot(of: engine, "the registration is known") {
                $0.workload("web-07")?.registration?.lastRegisteredAt != nil
            }
            #expect(!fresh.hasAlert(.registrationStale, about: "web-07"))
            // The xTR does not register again.
            let stale = try await snapshot(of: engine, "registration-stale raised") {
                $0.hasAlert(.registrationStale, about: "web-07")
            }
            #expect(stale.alerts[AlertID(kind: .registrationStale, subject: "web-07")]?.message.isEmpty == false)
        }
        await east.stop()
        await server.stop()
    }
}
