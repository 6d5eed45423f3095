import Foundation
import LocusCore
import Testing

@testable import LocusEngine

@Suite("OVF descriptors")
struct OVFParserTests {
    static let sites = ["VM Network": "dc-east", "east-net": "dc-east", "west-net": "dc-west"]

    static func parse(_ text: String, file: String = "x.ovf") -> (descriptor: OVFDescriptor?, errors: [OVFError]) {
        OVFParser.parse(Data(text.utf8), file: file)
    }

    @Test("a single VM: name, id, OS, CPUs, memory units, disks, several NICs, properties")
    func singleVM() throws {
        let parsed = Self.parse(OVFFixtures.singleVM())
        #expect(parsed.errors.isEmpty)
        let descriptor = try #require(parsed.descriptor)
        #expect(descriptor.networks == ["VM Network": "front end", "Backup": "backup"])
        let system = try #require(descriptor.systems.first)
        #expect(descriptor.systems.count == 1)
        #expect(system.id == "vm-web-07")
        #expect(system.name == "web-07")
        #expect(system.operatingSystem == "Debian 12")
        #expect(system.cpus == 2)
        #expect(system.memoryBytes == 4096 << 20)
        #expect(system.disks == [OVFDisk(name: "Hard disk 1", capacityBytes: 16 << 30)])
        #expect(
            system.networkCards == [
                OVFNetworkCard(network: "VM Network", mac: "00:50:56:aa:00:07"),
                OVFNetworkCard(network: "Backup", mac: "00:50:56:bb:00:07"),
            ]
        )
        let ip = try #require(system.properties.first { $0.key == "ip0" })
        #expect(ip.fullKey == "com.example.web.ip0.1")
        #expect(!ip.isAddress)

        let mapped = OVFWorkloads.workloads(
            from: descriptor,
            file: "x.ovf",
            siteOfNetwork: Self.sites,
            addressProperty: nil
        )
        #expect(mapped.errors.isEmpty)
        let workload = try #require(mapped.workloads.first)
        #expect(workload.name == "web-07")
        #expect(workload.address == IPAddress("10.1.0.7"))
        #expect(workload.eid.description == "10.1.0.7/32")
        #expect(workload.site == "dc-east")
        #expect(workload.mac?.description == "00:50:56:aa:00:07")
        #expect(workload.attributes["memory"] == "4 GiB")
        #expect(workload.attributes["cpus"] == "2")
        #expect(workload.attributes["os"] == "Debian 12")
        #expect(workload.attributes["disks"] == "Hard disk 1 16 GiB")
        #expect(workload.attributes["address_property"] == "com.example.web.ip0.1")
    }

    @Test("a collection on other prefixes and envelope version 2; ip and ip:NETWORK typed properties")
    func collection() throws {
        let parsed = Self.parse(OVFFixtures.collection)
        #expect(parsed.errors.isEmpty)
        let descriptor = try #require(parsed.descriptor)
        #expect(descriptor.systems.map(\.id) == ["app-01", "db-01"])
        #expect(descriptor.systems.allSatisfy { $0.collection == "shop" })
        #expect(descriptor.systems[0].memoryBytes == 2 << 30)
        #expect(descriptor.systems[0].properties.first?.network == "west-net")

        let mapped = OVFWorkloads.workloads(
            from: descriptor,
            file: "x.ovf",
            siteOfNetwork: Self.sites,
            addressProperty: nil
        )
        #expect(mapped.errors.isEmpty)
        let byName = Dictionary(uniqueKeysWithValues: mapped.workloads.map { ($0.name, $0) })
        // No `ip0` key: the ip:west-net property is the address, and its network gives the site.
        #expect(byName["app-01"]?.address == IPAddress("10.2.0.1"))
        #expect(byName["app-01"]?.site == "dc-west")
        #expect(byName["app-01"]?.attributes["collection"] == "shop")
        // `ip0` matched bare, whatever class and instance decorate it.
        #expect(byName["db-01"]?.address == IPAddress("10.1.0.9"))
        #expect(byName["db-01"]?.site == "dc-east")
        #expect(byName["db-01"]?.mac == nil)
    }

    @Test("address_property picks the key; without it or an ip type there is no address")
    func addressProperty() throws {
        let properties = """
            <Property ovf:key="mgmt" ovf:value="192.0.2.9"/>
            <Property ovf:key="service" ovf:type="string" ovf:value="10.1.0.30/24"/>
            """
        let descriptor = try #require(
            Self.parse(OVFFixtures.vm(id: "svc", hardware: OVFFixtures.nic, properties: properties)).descriptor
        )
        let chosen = OVFWorkloads.workloads(
            from: descriptor,
            file: "s.ovf",
            siteOfNetwork: Self.sites,
            addressProperty: "service"
        )
        #expect(chosen.workloads.first?.address == IPAddress("10.1.0.30"))

        let untyped = OVFWorkloads.workloads(
            from: descriptor,
            file: "s.ovf",
            siteOfNetwork: Self.sites,
            addressProperty: nil
        )
        #expect(untyped.workloads.isEmpty)
        #expect(
            untyped.errors.map(\.description) == [
                "s.ovf: ProductSection: svc: no address: no property \"ip0\" with a value and none typed ip or ip:NETWORK"
            ]
        )
    }

    @Test("a network not in site_of_network is an error naming the networks")
    func unmappedNetwork() throws {
        let descriptor = try #require(Self.parse(OVFFixtures.singleVM()).descriptor)
        let mapped = OVFWorkloads.workloads(
            from: descriptor,
            file: "x.ovf",
            siteOfNetwork: ["Other": "dc-west"],
            addressProperty: nil
        )
        #expect(
            mapped.errors.map(\.description) == [
                "x.ovf: VirtualSystem: vm-web-07: no site: its networks are \"VM Network\", \"Backup\", none of them in site_of_network"
            ]
        )
    }

    @Test("allocation units: programmatic, powers of ten, words; unknown ones are nil")
    func allocationUnits() {
        #expect(OVFParser.bytes(4096, units: "byte * 2^20") == 4096 << 20)
        #expect(OVFParser.bytes(4, units: "byte*2^30") == 4 << 30)
        #expect(OVFParser.bytes(3, units: "byte * 10^9") == 3_000_000_000)
        #expect(OVFParser.bytes(2, units: "byte * 1024") == 2048)
        #expect(OVFParser.bytes(512, units: "MegaBytes") == 512 << 20)
        #expect(OVFParser.bytes(1, units: "KiB") == 1024)
        #expect(OVFParser.bytes(7, units: "byte") == 7)
        #expect(OVFParser.bytes(7, units: "furlongs") == nil)
        #expect(OVFParser.bytes(7, units: "byte * 3^2") == nil)
        #expect(OVFParser.bytes(UInt64.max, units: "byte * 2^20") == nil)
    }

    @Test("malformed XML names the file, the element and the line")
    func malformed() {
        let text = """
            <?xml version="1.0"?>
            <Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1">
              <VirtualSystem>
                <Name>web</Nme>
            </Envelope>
            """
        let parsed = Self.parse(text, file: "/ovf/bad.ovf")
        #expect(parsed.descriptor == nil)
        let message = parsed.errors.map(\.description).joined()
        #expect(message.hasPrefix("/ovf/bad.ovf: Name: malformed XML at line 4: "), "\(message)")
    }

    @Test("missing required sections and unknown units each give FILE: element: message")
    func missingSectionsAndUnknownUnits() {
        let noHardware = """
            <Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1">
              <VirtualSystem ovf:id="lonely"><Info>x</Info></VirtualSystem>
            </Envelope>
            """
        #expect(
            Self.parse(noHardware, file: "a.ovf").errors.map(\.description) == [
                "a.ovf: VirtualSystem: lonely has no VirtualHardwareSection, which every VirtualSystem must have"
            ]
        )
        let noSystems = "<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\"><References/></Envelope>"
        #expect(
            Self.parse(noSystems, file: "b.ovf").errors.map(\.description) == [
                "b.ovf: Envelope: no VirtualSystem or VirtualSystemCollection"
            ]
        )
        let notOVF = "<Envelope xmlns=\"urn:other\"/>"
        #expect(
            Self.parse(notOVF, file: "c.ovf").errors.first?.description.hasPrefix(
                "c.ovf: Envelope: not an OVF descriptor"
            ) == true
        )

        let noNetworkSection = """
            <Envelope \(OVFFixtures.envelopeAttributes)>
              <VirtualSystem ovf:id="n"><VirtualHardwareSection>\(OVFFixtures.nic)</VirtualHardwareSection></VirtualSystem>
            </Envelope>
            """
        #expect(
            Self.parse(noNetworkSection, file: "d.ovf").errors.map(\.description) == [
                "d.ovf: Item: n: connected to \"VM Network\" but the descriptor has no NetworkSection (line 2)"
            ]
        )

        let oddMemory = """
            <Item><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>4</rasd:VirtualQuantity>\
            <rasd:AllocationUnits>furlongs</rasd:AllocationUnits></Item>
            """
        let errors = Self.parse(OVFFixtures.vm(id: "odd", hardware: oddMemory), file: "e.ovf").errors.map(\.description)
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("e.ovf: Item: odd: memory in unknown allocation units \"furlongs\"") == true)
    }

    @Test("tar headers: a member's name and size, the end block, a bad checksum")
    func tarHeaders() throws {
        let archive = OVFFixtures.tar([(name: "web.ovf", data: Data("hello".utf8))])
        let header = try #require(try TarHeader.parse([UInt8](archive.prefix(512))))
        #expect(header.name == "web.ovf")
        #expect(header.size == 5)
        #expect(header.isRegularFile)
        #expect(try TarHeader.parse([UInt8](repeating: 0, count: 512)) == nil)
        var corrupted = [UInt8](archive.prefix(512))
        corrupted[0] = UInt8(ascii: "X")
        #expect(throws: TarError.malformed("checksum mismatch (not a tar archive?)")) {
            try TarHeader.parse(corrupted)
        }
        #expect(throws: TarError.truncated) { try TarHeader.parse([1, 2, 3]) }
    }
}
