import Foundation
import LocusCore
import LocusEngine
import LocusStore
import Testing

@Suite("Inventory file source")
struct InventoryReloadTests {
    static func inventory(_ workloads: [(name: String, eid: String, site: String)]) -> String {
        workloads.map { workload in
            """
            [[workload]]
            name = "\(workload.name)"
            eid = "\(workload.eid)/32"
            site = "\(workload.site)"
            address = "\(workload.eid)"

            """
        }.joined()
    }

    static func config(in directory: TemporaryDirectory) throws -> LocusConfig {
        LocusConfig(
            file: directory.file("locus.toml"),
            name: "inventory-test",
            pollInterval: .milliseconds(50),
            store: .sqlite(path: directory.file("locus.sqlite")),
            sites: [
                SiteConfig(name: "dc-east", rlocs: [try #require(IPAddress("127.0.1.1"))]),
                SiteConfig(name: "dc-west", rlocs: [try #require(IPAddress("127.0.2.1"))]),
            ],
            inventories: [InventorySourceConfig(name: "main", kind: .file(path: directory.file("inventory.toml")))]
        )
    }

    @Test("a changed file is read again; an unchanged one is not")
    func changeDetection() async throws {
        let directory = try TemporaryDirectory()
        try directory.write(Self.inventory([("web-01", "10.1.0.1", "dc-east")]), to: "inventory.toml")
        let config = try Self.config(in: directory)
        let source = FileInventorySource(
            name: "main",
            path: directory.file("inventory.toml"),
            references: InventoryReferences(config: config)
        )
        #expect(await source.hasChanged())
        let first = try await source.load()
        #expect(first.map(\.name) == ["web-01"])
        #expect(!(await source.hasChanged()))
        try directory.write(
            Self.inventory([("web-01", "10.1.0.1", "dc-east"), ("web-02", "10.1.0.2", "dc-west")]),
            to: "inventory.toml"
        )
        #expect(await source.hasChanged())
        #expect(try await source.load().map(\.name) == ["web-01", "web-02"])
    }

    @Test("a one-shot pass over an inventory that never parsed shows the source down, not ok with no workloads")
    func brokenFromTheStart() async throws {
        let directory = try TemporaryDirectory()
        try directory.write(Self.inventory([("web-01", "10.1.0.1", "dc-nowhere")]), to: "inventory.toml")
        let config = try Self.config(in: directory)
        let store = try SQLiteHistoryStore(path: directory.file("locus.sqlite"))
        let snapshot = try await Engine(config: config, store: store, tuning: fastTuning).runOnce()
        let source = try #require(snapshot.sources["main"])
        #expect(source.state == .down)
        #expect(source.lastError?.contains("inventory.toml:") == true, "\(source)")
        let alert = try #require(snapshot.alerts[AlertID(kind: .inventoryInvalid, subject: "main")])
        #expect(
            alert.message.contains("it has never been read, so none of its workloads are shown"),
            "\(alert.message)"
        )
        #expect(!snapshot.hasAlert(.sourceDown, about: "main"))
    }

    @Test("a missing file is unreadable, not invalid")
    func missingFile() async throws {
        let directory = try TemporaryDirectory()
        let source = FileInventorySource(
            name: "main",
            path: directory.file("absent.toml"),
            references: InventoryReferences(sites: [], dnsServers: [], loadBalancers: [])
        )
        await #expect {
            _ = try await source.load()
        } throws: { error in
            guard case .unreadable = error as? InventoryLoadError else { return false }
            return true
        }
    }

    @Test("the engine follows edits; a broken edit keeps the last good inventory and names the line")
    func liveReloadAndBrokenEdit() async throws {
        let directory = try TemporaryDirectory()
        let config = try Self.config(in: directory)
        try directory.write(Self.inventory([("web-01", "10.1.0.1", "dc-east")]), to: "inventory.toml")
        let store = try SQLiteHistoryStore(path: directory.file("locus.sqlite"))
        let engine = Engine(config: config, store: store, tuning: fastTuning)
        let inventoryPath = directory.file("inventory.toml")
        try await running(engine) {
            _ = try await snapshot(of: engine, "web-01 is known") { $0.workload("web-01") != nil }

            try directory.write(
                Self.inventory([("web-01", "10.1.0.1", "dc-east"), ("web-02", "10.1.0.2", "dc-west")]),
                to: "inventory.toml"
            )
            let reloaded = try await snapshot(of: engine, "web-02 appears") { $0.workload("web-02") != nil }
            #expect(reloaded.workload("web-02")?.spec.site == "dc-west")

            // Line 3 names a site that does not exist.
            try directory.write(
                """
                [[workload]]
                name = "web-03"
                site = "dc-nowhere"
                eid = "10.1.0.3/32"
                address = "10.1.0.3"

                """,
                to: "inventory.toml"
            )
            let broken = try await snapshot(of: engine, "inventory-invalid is raised") {
                $0.hasAlert(.inventoryInvalid, about: "main")
            }
            let alert = try #require(broken.alerts[AlertID(kind: .inventoryInvalid, subject: "main")])
            #expect(alert.message.contains("\(inventoryPath):3:"))
            #expect(broken.workload("web-01") != nil && broken.workload("web-02") != nil)
            #expect(broken.workload("web-03") == nil)

            try directory.write(Self.inventory([("web-03", "10.1.0.3", "dc-east")]), to: "inventory.toml")
            let fixed = try await snapshot(of: engine, "the fix clears the alert") {
                !$0.hasAlert(.inventoryInvalid, about: "main") && $0.workload("web-03") != nil
            }
            #expect(fixed.workload("web-01") == nil)
            #expect(fixed.events.contains { $0.kind == .alertCleared && $0.subject == alert.id.rawValue })
        }
    }
}
