import Foundation
import LocusCore
import Testing

@testable import LocusLab

@Suite struct LabFilesTests {
    private let directories = XDGDirectories(environment: [:], home: "/nonexistent-home")

    @Test func generatedFilesPassTheConfigCheck() async throws {
        try await withLab(workloads: 40) { lab in
            #expect(lab.configFile.hasPrefix("/") && lab.configFile.hasSuffix("/locus.toml"))
            let result = ConfigCheck.run(configFile: lab.configFile, directories: directories)
            #expect(result.exitCode == 0, "\(result.diagnostics)")
            #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")

            let loaded = try ConfigLoader.load(file: lab.configFile, directories: directories)
            let config = loaded.config
            #expect(config.sites.map(\.name) == lab.world.sites.map(\.name))
            #expect(
                config.sites.map { $0.rlocs.map(\.description) } == lab.world.sites.map { $0.rlocs.map(\.description) }
            )
            let mapping = try #require(config.mappings.first)
            #expect(config.mappings.count == 1)
            #expect(mapping.resolver.description == lab.mapServerAddresses.listen.hostPortDescription)
            let api = try #require(lab.mapServerAddresses.api)
            #expect(mapping.registrationsAPI == "http://" + api.hostPortDescription)
            #expect(config.inventories.count == 1)
            #expect(config.store == .sqlite(path: lab.directory.path + "/locus.sqlite"))

            let inventory = try #require(loaded.inventories.values.first)
            #expect(inventory.workloads.map(\.name) == lab.world.workloads.map(\.name))
            #expect(inventory.workloads.map(\.site) == lab.world.workloads.map(\.site))
            #expect(inventory.workloads.map(\.eid.description) == lab.world.workloads.map(\.eidPrefix.cidr))
        }
    }

    @Test func keysAreReadableByTheOwnerOnly() async throws {
        try await withLab(sites: 2) { lab in
            for site in lab.world.sites {
                let path = lab.directory.url("keys/\(site.name).key")
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                #expect((attributes[.posixPermissions] as? Int) == 0o600)
                let secret = try String(contentsOfFile: path, encoding: .utf8)
                #expect(secret.trimmingCharacters(in: .whitespacesAndNewlines).count == 64)
            }
        }
    }

    @Test func theMapServerFileDescribesTheRunningMapServer() async throws {
        try await withLab(sites: 3) { lab in
            let file = lab.directory.url("mapserver.toml")
            // Every site lists every lab prefix with accept_more_specifics, which core's parser still refuses.
            withKnownIssue("core rejects one prefix in several sites (lab-needs.md)") {
                let (config, warnings) = try ConfigLoader.loadMapServer(file: file)
                #expect(warnings.isEmpty)
                #expect(config.listen.description == lab.mapServerAddresses.listen.hostPortDescription)
                #expect(config.sites.map(\.name) == lab.world.sites.map(\.name))
                #expect(config.sites.allSatisfy { $0.acceptMoreSpecifics && $0.prefixes.count == 3 })
            }
        }
    }

    @Test func aTemporaryLabDirectoryIsRemovedOnStop() async throws {
        let lab = try await Lab.start(LabConfiguration(workloads: 5, sites: 2, seed: 1, probePort: 0))
        #expect(lab.directory.isTemporary)
        #expect(FileManager.default.fileExists(atPath: lab.configFile))
        await lab.stop()
        #expect(!FileManager.default.fileExists(atPath: lab.directory.path))
    }

    @Test func aGivenDirectoryIsKept() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lab-kept-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lab = try await Lab.start(
            LabConfiguration(workloads: 5, sites: 2, seed: 1, directory: path, probePort: 0)
        )
        #expect(lab.configFile == path + "/locus.toml")
        await lab.stop()
        #expect(FileManager.default.fileExists(atPath: path + "/locus.toml"))
    }
}
