import Foundation
import LocusCore
import LocusEngine
import Testing

/// libvirt's test driver (inside the library, no daemon) on a node described by the test.
@Suite("libvirt inventory source")
struct LibvirtInventorySourceTests {
    static let nodeXML = """
        <node>
          <network>
            <name>east</name>
            <bridge name='virbr10'/>
            <ip address='192.168.100.1' netmask='255.255.255.0'>
              <dhcp><range start='192.168.100.128' end='192.168.100.254'/></dhcp>
            </ip>
          </network>
          <network>
            <name>backup</name>
            <bridge name='virbr11'/>
            <ip address='192.168.200.1' netmask='255.255.255.0'>
              <dhcp><range start='192.168.200.10' end='192.168.200.99'/></dhcp>
            </ip>
          </network>
          <domain type='test'>
            <name>web-07</name>
            <memory>1048576</memory>
            <os><type>hvm</type></os>
            <metadata><locus:workload xmlns:locus="urn:locus:libvirt:1" eid="10.1.0.7/32" iid="3"/></metadata>
            <devices>
              <interface type='network'><mac address='52:54:00:aa:00:07'/><source network='east'/></interface>
            </devices>
          </domain>
          <domain type='test'>
            <name>web-08</name>
            <memory>1048576</memory>
            <os><type>hvm</type></os>
            <devices>
              <interface type='network'><mac address='52:54:00:aa:00:08'/><source network='backup'/></interface>
            </devices>
          </domain>
          <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
            <name>db-01</name>
            <memory>1048576</memory>
            <os><type>hvm</type></os>
            <metadata><l:workload xmlns:l="urn:locus:libvirt:1" eid="10.1.0.20/32"/></metadata>
            <devices>
              <interface type='network'><mac address='52:54:00:aa:00:20'/><source network='east'/></interface>
            </devices>
            <test:runstate>5</test:runstate>
          </domain>
          <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
            <name>scratch</name>
            <memory>1048576</memory>
            <os><type>hvm</type></os>
            <test:runstate>5</test:runstate>
          </domain>
        </node>
        """

    /// Fails, never skips, when the runtime library is not installed.
    static func requireLibvirt() throws {
        let installed = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"]
            .contains { FileManager.default.fileExists(atPath: $0 + "/libvirt.so.0") }
        try #require(
            installed,
            "libvirt.so.0 is not installed: run scripts/test, which installs libvirt0 and libvirt-clients"
        )
    }

    static func source(_ directory: TemporaryDirectory) throws -> LibvirtInventorySource {
        try directory.write(nodeXML, to: "node.xml")
        return LibvirtInventorySource(
            name: "kvm-east",
            uri: "test://" + directory.file("node.xml"),
            site: "dc-east",
            access: .readWrite
        )
    }

    @Test("domains with state, interfaces, lease addresses and Locus metadata")
    func domains() async throws {
        try Self.requireLibvirt()
        let directory = try TemporaryDirectory()
        let source = try Self.source(directory)
        let domains = try await source.domains()
        #expect(domains.map(\.name) == ["db-01", "scratch", "web-07", "web-08"])
        let web07 = try #require(domains.first { $0.name == "web-07" })
        #expect(web07.state == .running)
        #expect(web07.addressSource == .lease)
        #expect(web07.addresses.first?.mac == "52:54:00:aa:00:07")
        #expect(web07.addresses.first?.address.hasPrefix("192.168.100.") == true)
        #expect(web07.uuid.count == 36)
        #expect(domains.first { $0.name == "db-01" }?.state == .shutOff)

        let reading = try await source.read()
        #expect(reading.problems.isEmpty)
        // `scratch` is off and carries no EID: nothing to watch.
        let workloads = Dictionary(uniqueKeysWithValues: reading.workloads.map { ($0.name, $0) })
        #expect(workloads.keys.sorted() == ["db-01", "web-07", "web-08"])
        let workload = try #require(workloads["web-07"])
        #expect(workload.eid.description == "10.1.0.7/32")
        #expect(workload.iid == 3)
        #expect(workload.site == "dc-east")
        #expect(workload.address.description.hasPrefix("192.168.100.1"))
        #expect(workload.mac?.description == "52:54:00:aa:00:07")
        #expect(workload.attributes["address_source"] == "lease")
        #expect(workload.attributes["state"] == "running")
        #expect(workload.attributes["interfaces"] == "52:54:00:aa:00:07 network east")
        // Without metadata the address is the EID.
        let web08 = try #require(workloads["web-08"])
        #expect(web08.address.description.hasPrefix("192.168.200."))
        #expect(web08.eid == IPPrefix(host: web08.address))
        // Shut off: watched at its metadata EID.
        #expect(workloads["db-01"]?.address == IPAddress("10.1.0.20"))
        #expect(workloads["db-01"]?.attributes["state"] == "shut off")
        #expect(workloads["db-01"]?.attributes["address_source"] == "metadata eid")
    }

    @Test("a domain restarted between two polls gets another lease: the re-IP reaches the world")
    func reIPBetweenPolls() async throws {
        try Self.requireLibvirt()
        let directory = try TemporaryDirectory()
        let source = try Self.source(directory)
        var world = World(name: "test", sites: [SiteConfig(name: "dc-east", rlocs: [])])

        let first = try await source.read()
        _ = world.apply(.inventoryLoaded(source: source.name, workloads: first.workloads))
        let before = try #require(world.workloads["web-08"]?.spec.address)

        // A file URI gives each connection its own state: restart on the source's own connection.
        try await source.destroy(domain: "web-08")
        try await source.start(domain: "web-08")

        let second = try await source.read()
        let change = world.apply(.inventoryLoaded(source: source.name, workloads: second.workloads))
        let after = try #require(world.workloads["web-08"]?.spec.address)
        #expect(after != before)
        #expect(change.touchedWorkloads.contains("web-08"))
        #expect(change.readdressed["web-08"] == AddressChange(from: before, to: after, source: source.name))
        #expect(world.workloads["web-08"]?.provenance["address"]?.map(\.value) == [after.description])
        // web-07 kept its lease and is not touched.
        #expect(!change.touchedWorkloads.contains("web-07"))
    }

    @Test("a connection that cannot be opened is unreadable, naming the URI")
    func unreachable() async throws {
        try Self.requireLibvirt()
        let source = LibvirtInventorySource(name: "gone", uri: "test:///nonexistent/node.xml", site: "dc-east")
        do {
            _ = try await source.read()
            Issue.record("a missing node file was read")
        } catch {
            guard case .unreadable(let location, let reason) = error else {
                Issue.record("expected unreadable, got \(error)")
                return
            }
            #expect(location == "test:///nonexistent/node.xml")
            #expect(reason.contains("does not answer"))
        }
    }

    @Test("without the library the error names the package to install")
    func libraryMissing() async throws {
        let source = LibvirtInventorySource(
            name: "kvm",
            uri: "qemu:///system",
            site: "dc-east",
            libraryName: "libvirt-not-installed.so.0"
        )
        do {
            _ = try await source.read()
            Issue.record("read without a library")
        } catch {
            guard case .unreadable(_, let reason) = error else {
                Issue.record("expected unreadable, got \(error)")
                return
            }
            #expect(reason.contains("libvirt-not-installed.so.0 cannot be loaded"))
            #expect(reason.contains("install the package libvirt0"))
        }
    }
}
