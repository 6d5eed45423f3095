import Foundation
import LocusTestSupport
import Testing

/// `locus lab --headless`, a real BIND 9 and a real HAProxy, and three of the lab's workloads
/// depending on them: a DNS record and its PTR, a pool member, an auth service that listens and a
/// storage service whose port is closed.
///
/// The configuration `locus snapshot` reads is the test's own: the lab's locus.toml without its
/// inventory, DNS and load balancer sections, and a copy of the lab's inventory whose dependencies
/// are replaced by the test's, so the test does not depend on what the lab declares itself.
final class DependencyLab {
    static let domain = "lab.test."
    static let backend = "be_lab"
    static let serverPort = 80
    static let keyName = "locus-key"
    static let key = BINDKey(name: keyName, secret: Array("locus-e2e-tsig-key-32-bytes-long".utf8))

    struct Workload {
        var name: String
        var address: String
        /// The A record the test serves for it.
        var record: String { "\(name).\(DependencyLab.domain)".dropLastDot }
        var poolMember: String { "\(DependencyLab.backend)/\(name)" }
    }

    let scratch: ScratchDirectory
    let lab: LabSubprocess
    let bind: BINDProcess
    let haproxy: HAProxyProcess
    let auth: LoopbackSocket
    let storage: LoopbackSocket
    /// The workloads with dependencies, in inventory order.
    let workloads: [Workload]
    let configFile: String
    private let inventoryFile: String
    private let labInventory: String
    private var addresses: [String: String] = [:]

    /// Starts everything and writes the test's configuration. `reverseZonesFor` are addresses
    /// (besides the workloads') whose reverse zones BIND serves, empty of records; with
    /// `storageListening` the storage service answers too, so every dependency is reachable.
    init(reverseZonesFor extraAddresses: [String] = [], storageListening: Bool = false) async throws {
        scratch = try ScratchDirectory()
        let labDirectory = scratch.file("lab")
        let lab = try LabSubprocess(
            arguments: ["lab", "--headless", "--workloads", "12", "--seed", "3", "--dir", labDirectory],
            scratch: scratch
        )
        self.lab = lab
        do {
            let labConfigFile = try await lab.firstLine(within: .seconds(60))
            let labConfig = try String(contentsOfFile: labConfigFile, encoding: .utf8)
            labInventory = try String(contentsOfFile: labDirectory + "/inventory.toml", encoding: .utf8)
            let chosen = LabFiles.workloads(in: labInventory).filter { $0.address.isIPv4 }.prefix(3)
            guard chosen.count == 3 else {
                throw TestServerError("the lab's inventory has fewer than 3 IPv4 workloads:\n\(labInventory)")
            }
            workloads = chosen.map { Workload(name: $0.name, address: $0.address) }
            auth = try LoopbackSocket(listening: true)
            storage = try LoopbackSocket(listening: storageListening)
            bind = try await BINDProcess(zones: Self.zones(workloads, extraAddresses: extraAddresses), key: Self.key)
            let servers = workloads.map {
                HAProxyBackend.Server(name: $0.name, address: $0.address, port: Self.serverPort)
            }
            haproxy = try await HAProxyProcess(backends: [HAProxyBackend(name: Self.backend, servers: servers)])

            let testDirectory = scratch.file("test")
            try FileManager.default.createDirectory(atPath: testDirectory + "/keys", withIntermediateDirectories: true)
            let keyFile = testDirectory + "/keys/ddns.key"
            try FileManager.default.copyItem(atPath: bind.keyFile, toPath: keyFile)
            chmod(keyFile, 0o600)
            configFile = testDirectory + "/locus.toml"
            inventoryFile = testDirectory + "/inventory.toml"
            let sections = LabFiles.sections(
                dns: bind.server,
                keyName: Self.keyName,
                runtimeAPI: haproxy.runtimeAPI.description
            )
            try LabFiles.locusConfig(fromLab: labConfig, labDirectory: labDirectory, appending: sections)
                .write(toFile: configFile, atomically: true, encoding: .utf8)
            try writeInventory()
        } catch {
            lab.kill()
            throw error
        }
    }

    deinit {
        lab.kill()
    }

    /// Changes a workload's address in the test's inventory: a move that only the inventory knows.
    func move(_ workload: Workload, to address: String) throws {
        addresses[workload.name] = address
        try writeInventory()
    }

    /// `locus config check --config` on the test's configuration.
    func configCheck() async throws -> (status: Int32, stdout: String, stderr: String) {
        try await LabSubprocess.run(["config", "check", "--config", configFile], scratch: scratch)
    }

    /// One `locus snapshot --json` of the test's configuration, which must exit 0.
    func snapshot() async throws -> SnapshotJSON {
        let started = Date()
        let result = try await LabSubprocess.run(["snapshot", "--json", "--config", configFile], scratch: scratch)
        guard result.status == 0,
            let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        else {
            throw TestServerError("locus snapshot exited \(result.status): \(result.stderr)\n\(result.stdout)")
        }
        return SnapshotJSON(document: document, requestedAt: started)
    }

    /// Terminates the lab (expecting a clean exit) and stops the servers.
    func shutDown() async throws {
        lab.terminate()
        #expect(try await lab.exitStatus(within: .seconds(30)) == 0)
        await bind.stop()
        await haproxy.stop()
    }

    private func writeInventory() throws {
        var depends: [String: [String]] = [:]
        for workload in workloads {
            depends[workload.name] = LabFiles.depends(
                record: workload.record,
                backend: Self.backend,
                server: workload.name,
                port: Self.serverPort,
                auth: auth.endpoint,
                storage: storage.endpoint
            )
        }
        try LabFiles.inventory(fromLab: labInventory, depends: depends, addresses: addresses)
            .write(toFile: inventoryFile, atomically: true, encoding: .utf8)
    }

    /// lab.test. with each workload's A record, and the reverse zone (one per first octet) of
    /// each address with the workloads' PTR records.
    private static func zones(_ workloads: [Workload], extraAddresses: [String]) -> [BINDZone] {
        var forward = BINDZone(origin: domain, records: ["ns.\(domain) IN A 127.0.0.1"])
        var reverse: [String: BINDZone] = [:]
        for address in workloads.map(\.address) + extraAddresses {
            let origin = address.reverseZone
            reverse[origin] = BINDZone(origin: origin, records: [])
        }
        for workload in workloads {
            forward.records.append("\(workload.record). IN A \(workload.address)")
            reverse[workload.address.reverseZone]?.records.append(
                "\(workload.address.reverseName) IN PTR \(workload.record)."
            )
        }
        return [forward] + reverse.keys.sorted().compactMap { reverse[$0] }
    }
}

/// A `locus snapshot --json` document, read by the names CONFIG.md gives its fields.
struct SnapshotJSON {
    let document: [String: Any]
    /// When the snapshot was asked for, to the second (the precision of the document's times).
    let requestedAt: Date

    init(document: [String: Any], requestedAt: Date) {
        self.document = document
        self.requestedAt = Date(timeIntervalSince1970: requestedAt.timeIntervalSince1970.rounded(.down))
    }

    var alerts: [[String: Any]] { document["alerts"] as? [[String: Any]] ?? [] }
    var sources: [[String: Any]] { document["sources"] as? [[String: Any]] ?? [] }

    func workload(_ name: String) -> [String: Any]? {
        (document["workloads"] as? [[String: Any]])?.first { $0["name"] as? String == name }
    }

    /// The workload's dependency of `kind`; for `tcp`, the one with `role`.
    func dependency(_ workload: String, _ kind: String, role: String? = nil) -> [String: Any]? {
        let dependencies = self.workload(workload)?["dependencies"] as? [[String: Any]] ?? []
        return dependencies.first { $0["kind"] as? String == kind && (role == nil || $0["role"] as? String == role) }
    }

    func alert(_ kind: String, subject: String) -> [String: Any]? {
        alerts.first { $0["kind"] as? String == kind && $0["subject"] as? String == subject }
    }

    /// The alert ids listed on a workload.
    func alertIDs(_ workload: String) -> [String] {
        self.workload(workload)?["alerts"] as? [String] ?? []
    }

    func source(_ name: String) -> [String: Any]? {
        sources.first { $0["name"] as? String == name }
    }

    /// Whether a dependency was checked by this snapshot, not carried over from an earlier one.
    func checkedNow(_ dependency: [String: Any]?) -> Bool {
        guard let text = dependency?["checked_at"] as? String, let date = ISO8601DateFormatter().date(from: text)
        else { return false }
        return date >= requestedAt
    }
}

extension String {
    var isIPv4: Bool {
        let octets = split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { UInt8($0) != nil }
    }

    /// The PTR owner name of an IPv4 address: `1.0.3.10.in-addr.arpa.` for 10.3.0.1.
    var reverseName: String {
        split(separator: ".").reversed().joined(separator: ".") + ".in-addr.arpa."
    }

    /// The reverse zone the test serves for an IPv4 address: one per first octet.
    var reverseZone: String {
        String(split(separator: ".")[0]) + ".in-addr.arpa."
    }

    var dropLastDot: String { hasSuffix(".") ? String(dropLast()) : self }
}
