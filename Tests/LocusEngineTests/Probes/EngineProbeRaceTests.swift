import DNS
import DNSNet
import Foundation
import LocusCore
import LocusEngine
import LocusStore
import LocusTestSupport
import Testing

/// A probe's answer arrives after its await; by then the workload may have another address.
@Suite("Engine: a probe's verdict is for the address the workload has", .serialized)
struct EngineProbeRaceTests {
    static func inventory(address: String) -> String {
        """
        [[workload]]
        name = "web"
        eid = "10.1.0.10/32"
        site = "dc-east"
        address = "\(address)"

          [[workload.depends]]
          kind = "dns"
          name = "web.lab.test"
          server = "lab"

        """
    }

    @Test("an answer taken for the old address is dropped, not shown as the new address's state")
    func answerForTheOldAddressIsDropped() async throws {
        let soa = SOAData(
            primaryServer: "ns.lab.test",
            responsibleMailbox: "hostmaster.lab.test",
            serial: 1,
            refresh: 3600,
            retry: 600,
            expire: 86400,
            minimum: 30
        )
        let store = try DNSZoneStore(
            zones: ["lab.test"],
            records: [
                DNSResourceRecord(name: "lab.test", ttl: 30, data: .soa(soa)),
                DNSResourceRecord(name: "web.lab.test", ttl: 30, data: .a(DNSAddress("192.0.2.10")!)),
            ]
        )
        // Each answer a second late: a pass is always in flight when the inventory changes.
        let responder = DNSLabResponder(store: store, keys: [], delay: .seconds(1))
        let port = try await responder.bind()
        let serving = Task { try await responder.run() }
        defer { serving.cancel() }

        let directory = try TemporaryDirectory()
        try directory.write(Self.inventory(address: "192.0.2.10"), to: "inventory.toml")
        let config = LocusConfig(
            file: directory.file("locus.toml"),
            name: "probe-race-test",
            pollInterval: .milliseconds(100),
            store: .sqlite(path: directory.file("locus.sqlite")),
            sites: [SiteConfig(name: "dc-east", rlocs: [IPAddress("127.0.1.1")!])],
            inventories: [InventorySourceConfig(name: "main", kind: .file(path: directory.file("inventory.toml")))],
            dnsServers: [DNSServerConfig(name: "lab", server: Endpoint(host: "127.0.0.1", port: UInt16(port)))]
        )
        let engine = Engine(
            config: config,
            store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")),
            tuning: EngineDependencyTests.tuning
        )
        try await running(engine) {
            _ = try await snapshot(of: engine, "the record checked at the first address") {
                $0.workload("web")?.dependencies.first?.state == .ok
            }
            // A pass has just ended; the next one starts within a poll and waits a second for its answer.
            try await Task.sleep(for: .milliseconds(400))
            try directory.write(Self.inventory(address: "192.0.2.20"), to: "inventory.toml")
            let first = try await snapshot(of: engine, "a verdict at the new address") { snapshot in
                guard let web = snapshot.workload("web"), web.spec.address == IPAddress("192.0.2.20") else {
                    return false
                }
                return web.dependencies.first.map { $0.state == .ok || $0.state == .stale } ?? false
            }
            let dns = try #require(first.workload("web")?.dependencies.first)
            // The record still points to the first address: ok would be the old address's verdict.
            #expect(dns.state == .stale, "\(dns)")
            #expect(dns.expected == "192.0.2.20", "\(dns)")
        }
        await responder.stop()
    }
}
