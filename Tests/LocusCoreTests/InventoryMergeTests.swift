import Foundation
import Testing

@testable import LocusCore

private typealias F = WorldFixtures

@Suite("Inventory merge")
struct InventoryMergeTests {
    let correlator = Correlator()

    static func mac(_ text: String) throws -> MACAddress {
        try MACAddress(parsing: text)
    }

    static func health(_ name: String, at seconds: TimeInterval) -> Observation {
        .source(SourceHealth(name: name, kind: .inventory, state: .ok, checkedAt: F.at(seconds)))
    }

    static func world() -> World {
        var world = World(name: "test", sites: F.sites)
        world.inventoryOrder = ["main", "ovf", "kvm"]
        return world
    }

    @Test("same name: one workload, the first source's fields, every source's value and read time kept")
    func mergeByName() throws {
        var world = Self.world()
        var fromFile = F.spec("web-07", host: 7)
        fromFile.owner = "team-web"
        var fromLibvirt = F.spec("web-07", host: 7)
        fromLibvirt.mac = try Self.mac("52:54:00:aa:00:07")
        fromLibvirt.host = "kvm1"
        fromLibvirt.attributes = ["state": "running", "address_source": "lease"]
        _ = world.apply([Self.health("kvm", at: 5), .inventoryLoaded(source: "kvm", workloads: [fromLibvirt])])
        _ = world.apply([Self.health("main", at: 9), .inventoryLoaded(source: "main", workloads: [fromFile])])

        #expect(world.workloads.count == 1)
        let workload = try #require(world.workloads["web-07"])
        #expect(workload.sources == ["kvm", "main"])
        #expect(workload.spec.owner == "team-web")
        #expect(workload.spec.mac == fromLibvirt.mac)
        #expect(workload.spec.host == "kvm1")
        #expect(workload.spec.attributes["state"] == "running")
        #expect(
            workload.provenance["address"] == [
                FieldOrigin(source: "main", value: "10.1.0.7", readAt: F.at(9)),
                FieldOrigin(source: "kvm", value: "10.1.0.7", readAt: F.at(5)),
            ]
        )
        #expect(workload.provenance["host"] == [FieldOrigin(source: "kvm", value: "kvm1", readAt: F.at(5))])
        #expect(workload.provenance["address_source"]?.first?.value == "lease")
        #expect(workload.conflictingAddresses.isEmpty)
    }

    @Test("same MAC under another name: joined, named by the most trusted source")
    func mergeByMAC() throws {
        var world = Self.world()
        var fromFile = F.spec("web-07", host: 7)
        fromFile.mac = try Self.mac("52:54:00:aa:00:07")
        var fromOVF = F.spec("vm-web07", host: 7)
        fromOVF.mac = try Self.mac("52:54:00:AA:00:07".lowercased())
        _ = world.apply(.inventoryLoaded(source: "ovf", workloads: [fromOVF]))
        #expect(world.workloads["vm-web07"] != nil)
        _ = world.apply(.inventoryLoaded(source: "main", workloads: [fromFile]))
        #expect(world.workloads.keys.sorted() == ["web-07"])
        #expect(world.workloads["web-07"]?.sources == ["main", "ovf"])
        #expect(world.workloads["web-07"]?.provenance["name"]?.map(\.value) == ["web-07", "vm-web07"])

        // The file drops it: the OVF record stands alone again under its own name.
        _ = world.apply(.inventoryLoaded(source: "main", workloads: []))
        #expect(world.workloads.keys.sorted() == ["vm-web07"])
    }

    @Test("file + OVF + libvirt disagreeing on the address raise inventory-conflict; agreeing clears it")
    func conflictRaisedAndCleared() throws {
        var world = Self.world()
        let fromFile = F.spec("web-07", host: 7)
        let fromOVF = F.spec("web-07", host: 7)
        var fromLibvirt = F.spec("web-07", host: 77)
        fromLibvirt.eid = fromFile.eid
        let id = AlertID(kind: .inventoryConflict, subject: "web-07")

        _ = correlator.ingest(
            [
                .inventoryLoaded(source: "main", workloads: [fromFile]),
                .inventoryLoaded(source: "ovf", workloads: [fromOVF]),
            ],
            into: &world,
            now: F.at(1)
        )
        #expect(world.alerts[id] == nil)

        let raised = correlator.ingest(
            [.inventoryLoaded(source: "kvm", workloads: [fromLibvirt])],
            into: &world,
            now: F.at(2)
        )
        #expect(raised.correlation.raised.map(\.id) == [id])
        let alert = try #require(world.alerts[id])
        #expect(alert.severity == .warning)
        #expect(alert.message.contains("main says 10.1.0.7, ovf says 10.1.0.7, kvm says 10.1.0.77"))
        // The most trusted source's address is the one watched.
        #expect(world.workloads["web-07"]?.spec.address == IPAddress("10.1.0.7"))
        #expect(world.workloads["web-07"]?.sources == ["kvm", "main", "ovf"])

        let cleared = correlator.ingest(
            [.inventoryLoaded(source: "kvm", workloads: [fromFile])],
            into: &world,
            now: F.at(3)
        )
        #expect(cleared.correlation.cleared.map(\.id) == [id])
        #expect(world.alerts.isEmpty)
    }

    @Test("a re-read that changes nothing touches nothing, though it refreshes the read time")
    func quietReread() throws {
        var world = Self.world()
        let spec = F.spec("web-07", host: 7)
        _ = world.apply([Self.health("kvm", at: 1), .inventoryLoaded(source: "kvm", workloads: [spec])])
        let change = world.apply([Self.health("kvm", at: 2), .inventoryLoaded(source: "kvm", workloads: [spec])])
        #expect(change.touchedWorkloads.isEmpty)
        #expect(world.workloads["web-07"]?.provenance["address"]?.first?.readAt == F.at(2))
    }

    @Test("a changed address is reported as a re-IP with the source that brought it")
    func readdressed() {
        var world = Self.world()
        _ = world.apply(.inventoryLoaded(source: "kvm", workloads: [F.spec("web-07", host: 7)]))
        var moved = F.spec("web-07", host: 8)
        moved.name = "web-07"
        let change = world.apply(.inventoryLoaded(source: "kvm", workloads: [moved]))
        #expect(
            change.readdressed["web-07"]
                == AddressChange(from: IPAddress("10.1.0.7")!, to: IPAddress("10.1.0.8")!, source: "kvm")
        )
    }
}
