import Foundation
import LocusCore
import LocusEngine
import LocusStore
import Testing

/// An inventory file, an OVF directory and a libvirt connection describing the same VM.
@Suite("Inventory sources merged by the engine")
struct InventoryMergeEngineTests {
    @Test("file + OVF + libvirt: one workload, each source listed, a conflicting address alerted")
    func threeSources() async throws {
        try LibvirtInventorySourceTests.requireLibvirt()
        let directory = try TemporaryDirectory()
        try directory.write(
            """
            [[workload]]
            name = "web-07"
            eid = "10.1.0.7/32"
            site = "dc-east"
            address = "10.1.0.7"
            mac = "52:54:00:aa:00:07"
            owner = "team-web"
            """,
            to: "inventory.toml"
        )
        try FileManager.default.createDirectory(atPath: directory.file("ovf"), withIntermediateDirectories: false)
        // Another name, the same MAC: the OVF record joins the file's.
        try OVFFixtures.singleVM(name: "vm-web07", ip: "10.1.0.7", mac: "52:54:00:AA:00:07")
            .write(toFile: directory.file("ovf/web.ovf"), atomically: true, encoding: .utf8)
        try directory.write(LibvirtInventorySourceTests.nodeXML, to: "node.xml")

        let config = LocusConfig(
            file: directory.file("locus.toml"),
            name: "merge-test",
            store: .sqlite(path: directory.file("locus.sqlite")),
            sites: [
                SiteConfig(name: "dc-east", rlocs: [try #require(IPAddress("127.0.1.1"))]),
                SiteConfig(name: "dc-west", rlocs: [try #require(IPAddress("127.0.2.1"))]),
            ],
            inventories: [
                InventorySourceConfig(name: "main", kind: .file(path: directory.file("inventory.toml"))),
                InventorySourceConfig(
                    name: "ovf",
                    kind: .ovf(
                        directory: directory.file("ovf"),
                        siteOfNetwork: ["VM Network": "dc-east"],
                        addressProperty: nil
                    )
                ),
                InventorySourceConfig(
                    name: "kvm-east",
                    kind: .libvirt(uri: "test://" + directory.file("node.xml"), site: "dc-east")
                ),
            ]
        )
        let store = try SQLiteHistoryStore(path: directory.file("locus.sqlite"))
        let snapshot = try await Engine(config: config, store: store, tuning: fastTuning).runOnce()

        let workload = try #require(snapshot.workload("web-07"))
        #expect(snapshot.workload("vm-web07") == nil)
        #expect(workload.sources == ["kvm-east", "main", "ovf"])
        #expect(workload.spec.address == IPAddress("10.1.0.7"))
        #expect(workload.spec.owner == "team-web")
        #expect(workload.spec.iid == 0)
        #expect(workload.spec.attributes["os"] == "Debian 12")
        #expect(workload.spec.attributes["state"] == "running")
        let addresses = try #require(workload.provenance["address"])
        #expect(addresses.map(\.source) == ["main", "ovf", "kvm-east"])
        #expect(addresses.allSatisfy { $0.readAt != nil })
        #expect(addresses[2].value.hasPrefix("192.168.100."))

        // libvirt leased another address than the one the file and the descriptor declare.
        let alert = try #require(snapshot.alerts[AlertID(kind: .inventoryConflict, subject: "web-07")])
        #expect(alert.message.contains("main says 10.1.0.7, ovf says 10.1.0.7, kvm-east says 192.168.100."))

        let document = SnapshotDocument(snapshot)
        let inventories = document.sources.filter { $0.kind == "inventory" }
        #expect(inventories.map(\.name).sorted() == ["kvm-east", "main", "ovf"])
        #expect(inventories.allSatisfy { $0.state == "ok" })
    }

    @Test("a libvirt source whose host does not answer is down, and the OVF one still loads")
    func unreachableHost() async throws {
        try LibvirtInventorySourceTests.requireLibvirt()
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("ovf"), withIntermediateDirectories: false)
        try OVFFixtures.singleVM().write(toFile: directory.file("ovf/web.ovf"), atomically: true, encoding: .utf8)
        try "<Envelope".write(toFile: directory.file("ovf/broken.ovf"), atomically: true, encoding: .utf8)
        let config = LocusConfig(
            file: directory.file("locus.toml"),
            name: "down-test",
            store: .sqlite(path: directory.file("locus.sqlite")),
            sites: [SiteConfig(name: "dc-east", rlocs: [try #require(IPAddress("127.0.1.1"))])],
            inventories: [
                InventorySourceConfig(
                    name: "ovf",
                    kind: .ovf(
                        directory: directory.file("ovf"),
                        siteOfNetwork: ["VM Network": "dc-east"],
                        addressProperty: nil
                    )
                ),
                InventorySourceConfig(
                    name: "kvm",
                    kind: .libvirt(uri: "test:///nonexistent/node.xml", site: "dc-east")
                ),
            ]
        )
        let store = try SQLiteHistoryStore(path: directory.file("locus.sqlite"))
        let snapshot = try await Engine(config: config, store: store, tuning: fastTuning).runOnce()
        #expect(snapshot.workload("web-07") != nil)
        #expect(snapshot.sources["kvm"]?.state == .down)
        #expect(snapshot.hasAlert(.sourceDown, about: "kvm"))
        // The broken descriptor is named in inventory-invalid; the good one is loaded anyway.
        let invalid = try #require(snapshot.alerts[AlertID(kind: .inventoryInvalid, subject: "ovf")])
        #expect(invalid.message.contains(directory.file("ovf/broken.ovf")))
    }
}
