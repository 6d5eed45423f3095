import Foundation
import LocusCore
import LocusEngine
import Testing

/// What `locus snapshot` and `locus check` do: read locus.toml, open its store, make one pass and
/// format the result with the output of CONFIG.md.
@Suite("One-shot runs from a config file", .serialized)
struct EngineSetupTests {
    static func writeConfig(in directory: TemporaryDirectory, resolverPort: Int, apiPort: Int) throws {
        try directory.write(
            """
            name = "setup-test"
            poll_interval = "1s"
            store = "sqlite:state/locus.sqlite"

            [[site]]
            name = "dc-east"
            rlocs = ["127.0.1.1"]

            [[site]]
            name = "dc-west"
            rlocs = ["127.0.2.1"]

            [[mapping]]
            name = "mr-1"
            resolver = "127.0.0.1:\(resolverPort)"
            max_age = "60s"
            registrations_api = "http://127.0.0.1:\(apiPort)"

            [[inventory]]
            name = "main"
            kind = "file"
            path = "inventory.toml"

            """,
            to: "locus.toml"
        )
        try directory.write(
            """
            [[workload]]
            name = "web-07"
            eid = "10.1.0.7/32"
            site = "dc-east"
            address = "10.1.0.7"

            [[workload]]
            name = "db-01"
            eid = "10.1.0.20/32"
            site = "dc-east"
            address = "10.1.0.20"

            """,
            to: "inventory.toml"
        )
    }

    @Test("snapshot: the JSON document and the check line of one pass")
    func snapshotAndCheck() async throws {
        let directory = try TemporaryDirectory()
        let server = try await MapServerFixture()
        let west = try await SimulatedXTR.west(server)
        // web-07 registered at the site the inventory does not say; db-01 not registered at all.
        try await west.register("10.1.0.7")
        let addresses = await server.addresses
        try Self.writeConfig(
            in: directory,
            resolverPort: try #require(addresses.listen.port),
            apiPort: try #require(addresses.api?.port)
        )
        let directories = XDGDirectories(environment: ["HOME": directory.path])
        let (config, warnings) = try EngineSetup.loadConfig(at: directory.file("locus.toml"), directories: directories)
        #expect(warnings.isEmpty)
        #expect(config.store == .sqlite(path: directory.file("state/locus.sqlite")))
        let store = try EngineSetup.openStore(config.store)
        let snapshot = try await Engine(config: config, store: store).runOnce()

        let json = try SnapshotDocument(snapshot).jsonData()
        let document = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(document["version"] as? Int == 1)
        let workloads = try #require(document["workloads"] as? [[String: Any]])
        #expect(Set(workloads.compactMap { $0["name"] as? String }) == ["web-07", "db-01"])
        let web = try #require(workloads.first { $0["name"] as? String == "web-07" })
        let mapping = try #require(web["mapping"] as? [String: Any])
        #expect(mapping["state"] as? String == "registered")
        #expect(mapping["site"] as? String == "dc-west")
        let alerts = try #require(document["alerts"] as? [[String: Any]])
        #expect(alerts.contains { $0["kind"] as? String == "locator-mismatch" && $0["subject"] as? String == "web-07" })
        #expect(alerts.contains { $0["kind"] as? String == "mapping-missing" && $0["subject"] as? String == "db-01" })
        let sources = try #require(document["sources"] as? [[String: Any]])
        #expect(sources.contains { $0["name"] as? String == "mr-1" && $0["state"] as? String == "ok" })

        let check = CheckResult(snapshot)
        #expect(check.status == .critical)
        #expect(check.line.hasPrefix("LOCUS CRITICAL - "))
        await west.stop()
        await server.stop()
    }

    @Test("a bad locus.toml is refused with FILE:LINE errors")
    func badConfig() throws {
        let directory = try TemporaryDirectory()
        try directory.write(
            """
            name = "bad"
            poll_interval = "5 parsecs"

            """,
            to: "locus.toml"
        )
        let file = directory.file("locus.toml")
        let directories = XDGDirectories(environment: ["HOME": directory.path])
        #expect {
            _ = try EngineSetup.loadConfig(at: file, directories: directories)
        } throws: { error in
            guard let errors = error as? ConfigErrors else { return false }
            return errors.errors.contains { $0.description.hasPrefix("\(file):2: ") }
        }
    }
}
