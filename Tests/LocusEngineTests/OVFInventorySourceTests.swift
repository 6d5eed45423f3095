import Foundation
import LocusCore
import LocusEngine
import Testing

@Suite("OVF inventory source")
struct OVFInventorySourceTests {
    static func source(_ directory: TemporaryDirectory) -> OVFInventorySource {
        OVFInventorySource(
            name: "ovf",
            directory: directory.path,
            siteOfNetwork: OVFParserTests.sites,
            addressProperty: nil
        )
    }

    @Test("descriptors and an .ova are read; a bad file is named and hides nothing else")
    func directoryWithArchiveAndBadFile() async throws {
        let directory = try TemporaryDirectory()
        try directory.write(OVFFixtures.singleVM(), to: "web-07.ovf")
        try directory.write(OVFFixtures.collection, to: "shop.OVF")
        let archive = OVFFixtures.tar([
            (
                name: "web-08.ovf",
                data: Data(OVFFixtures.singleVM(name: "web-08", ip: "10.1.0.8", mac: "00:50:56:aa:00:08").utf8)
            ),
            (name: "web-08.mf", data: Data("SHA256(web-08.ovf)= 00\n".utf8)),
            (name: "disk1.vmdk", data: Data(count: 1500)),
        ])
        try archive.write(to: URL(fileURLWithPath: directory.file("web-08.ova")))
        try directory.write("<Envelope", to: "broken.ovf")
        try directory.write("not a descriptor", to: "notes.txt")

        let source = Self.source(directory)
        let reading = try await source.read()
        #expect(reading.workloads.map(\.name).sorted() == ["app-01", "db-01", "web-07", "web-08"])
        #expect(reading.workloads.first { $0.name == "web-08" }?.address == IPAddress("10.1.0.8"))
        #expect(reading.problems.count == 1)
        #expect(reading.problems.first?.description.hasPrefix("\(directory.file("broken.ovf")): ") == true)
        #expect(reading.problems.first?.description.contains("malformed XML at line 1") == true)

        // All or nothing through `load()`: the bad file is an error.
        await #expect(throws: InventoryLoadError.self) { try await source.load() }
    }

    @Test("an .ova whose first member is not the descriptor is an error naming the archive")
    func archiveWithoutDescriptorFirst() async throws {
        let directory = try TemporaryDirectory()
        let archive = OVFFixtures.tar([
            (name: "disk1.vmdk", data: Data(count: 10)),
            (name: "web.ovf", data: Data(OVFFixtures.singleVM().utf8)),
        ])
        try archive.write(to: URL(fileURLWithPath: directory.file("web.ova")))
        try Data(count: 100).write(to: URL(fileURLWithPath: directory.file("short.ova")))
        let reading = try await Self.source(directory).read()
        #expect(reading.workloads.isEmpty)
        #expect(
            reading.problems.map(\.description) == [
                "\(directory.file("short.ova")): tar: the archive ends inside a header or member",
                "\(directory.file("web.ova")): tar: the first member is \"disk1.vmdk\", but an OVA must start with its .ovf descriptor",
            ]
        )
    }

    @Test("the directory is read again when a descriptor appears, changes or goes")
    func changeDetection() async throws {
        let directory = try TemporaryDirectory()
        try directory.write(OVFFixtures.singleVM(), to: "web-07.ovf")
        let source = Self.source(directory)
        #expect(await source.hasChanged())
        #expect(try await source.load().map(\.name) == ["web-07"])
        #expect(!(await source.hasChanged()))

        try directory.write(OVFFixtures.singleVM(name: "web-09", ip: "10.1.0.99"), to: "web-09.ovf")
        #expect(await source.hasChanged())
        #expect(try await source.load().map(\.name) == ["web-07", "web-09"])
        #expect(!(await source.hasChanged()))

        try directory.write(OVFFixtures.singleVM(name: "web-09", ip: "10.1.0.9"), to: "web-09.ovf")
        #expect(await source.hasChanged())
        #expect(try await source.load().first { $0.name == "web-09" }?.address == IPAddress("10.1.0.9"))

        try FileManager.default.removeItem(atPath: directory.file("web-09.ovf"))
        #expect(await source.hasChanged())
        #expect(try await source.load().map(\.name) == ["web-07"])
    }

    @Test("a missing directory is unreadable")
    func missingDirectory() async throws {
        let source = OVFInventorySource(
            name: "ovf",
            directory: "/nonexistent/ovf",
            siteOfNetwork: [:],
            addressProperty: nil
        )
        do {
            _ = try await source.read()
            Issue.record("a missing directory was read")
        } catch {
            guard case .unreadable(let location, _) = error else {
                Issue.record("expected unreadable, got \(error)")
                return
            }
            #expect(location == "/nonexistent/ovf")
        }
    }
}
