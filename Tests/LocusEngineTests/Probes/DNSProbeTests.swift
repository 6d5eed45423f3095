import DNS
import DNSNet
import Foundation
import LocusCore
import LocusEngine
import Testing

@Suite("DNS probe against BIND 9", .serialized)
struct DNSProbeTests {
    static let checkedAt = Date(timeIntervalSince1970: 1_800_000_000)

    static func probe(_ bind: BINDServer) -> DNSProbe {
        let config = DNSServerConfig(name: "corp", server: bind.endpoint, ttlThreshold: .seconds(60))
        let client = DNSClient(
            server: DNSServerAddress(host: "127.0.0.1", port: bind.port),
            configuration: DNSClientConfiguration(timeout: .seconds(2), attempts: 2)
        )
        return DNSProbe(config: config, client: client)
    }

    static func updater(_ bind: BINDServer, _ probe: DNSProbe) -> DNSRecordUpdater {
        DNSRecordUpdater(server: probe.config, client: probe.client, key: BINDServer.key)
    }

    static func address(_ text: String) throws -> IPAddress {
        try #require(IPAddress(text))
    }

    @Test("a record pointing at the workload is ok, with its TTL; its PTR is ok")
    func ok() async throws {
        let bind = try BINDServer()
        let probe = Self.probe(bind)
        let spec = DNSDependencySpec(name: "www.lab.test", server: "corp", ptr: true)
        let (statuses, _) = try await probe.check(
            spec,
            address: try Self.address("192.0.2.10"),
            previousAddress: nil,
            checkedAt: Self.checkedAt
        )
        #expect(statuses.map(\.kind) == [.dns, .ptr])
        #expect(statuses.map(\.state) == [.ok, .ok])
        #expect(statuses[0].observed == "192.0.2.10")
        #expect(statuses[0].ttl == .seconds(300))
        #expect(statuses[0].ttlThreshold == .seconds(60))
        #expect(statuses.allSatisfy { $0.rtt != nil })
        #expect(statuses[1].target == "10.2.0.192.in-addr.arpa.")
        #expect(statuses[1].observed == "www.lab.test.")
    }

    @Test("a record changed behind Locus's back is stale; a signed UPDATE makes it ok again")
    func staleThenFixed() async throws {
        let bind = try BINDServer()
        let probe = Self.probe(bind)
        let spec = DNSDependencySpec(name: "www.lab.test", server: "corp")
        let updater = Self.updater(bind, probe)
        // The workload moved from .10 to .20; the record still says .10.
        let moved = try await probe.check(
            spec,
            address: try Self.address("192.0.2.20"),
            previousAddress: try Self.address("192.0.2.10"),
            checkedAt: Self.checkedAt
        )
        #expect(moved.statuses.first?.state == .stale)
        #expect(moved.statuses.first?.observed == "192.0.2.10")
        #expect(moved.statuses.first?.expected == "192.0.2.20")
        #expect(moved.statuses.first?.observedIsPreviousAddress == true)

        let result = try await updater.replaceAddresses(
            of: "www.lab.test.",
            in: "lab.test.",
            with: [try Self.address("192.0.2.20")],
            ttl: 60
        )
        #expect(result.isApplied, "\(result)")
        #expect(try bind.dig("www.lab.test.", "A") == ["192.0.2.20"])
        let fixed = try await probe.check(
            spec,
            address: try Self.address("192.0.2.20"),
            previousAddress: try Self.address("192.0.2.10"),
            checkedAt: Self.checkedAt
        )
        #expect(fixed.statuses.map(\.state) == [.ok])
        #expect(fixed.statuses.first?.ttl == .seconds(60))

        // Changed to an address the workload never had: stale, not "previous".
        _ = try await updater.replaceAddresses(
            of: "www.lab.test.",
            in: "lab.test.",
            with: [try Self.address("192.0.2.77")],
            ttl: 60
        )
        let elsewhere = try await probe.check(
            spec,
            address: try Self.address("192.0.2.20"),
            previousAddress: try Self.address("192.0.2.10"),
            checkedAt: Self.checkedAt
        )
        #expect(elsewhere.statuses.first?.state == .stale)
        #expect(elsewhere.statuses.first?.observedIsPreviousAddress == false)
    }

    @Test("the write side reports the server's refusals")
    func refusedUpdates() async throws {
        let bind = try BINDServer()
        let probe = Self.probe(bind)
        let wrong = DNSRecordUpdater(
            server: probe.config,
            client: probe.client,
            key: TSIGKey(
                name: "locus-key.",
                algorithm: .hmacSHA256,
                secret: Array("another secret of 32 bytes here!".utf8)
            )
        )
        let result = try await wrong.replaceAddresses(
            of: "www.lab.test.",
            in: "lab.test.",
            with: [try Self.address("192.0.2.99")],
            ttl: 60
        )
        #expect(!result.isApplied)
        #expect(result.responseCode == .notAuth)
        #expect(result.tsigError == .badSignature)
        #expect(try bind.dig("www.lab.test.", "A") == ["192.0.2.10"])
    }

    @Test("NXDOMAIN and NODATA are missing")
    func missing() async throws {
        let bind = try BINDServer()
        let probe = Self.probe(bind)
        let absent = try await probe.check(
            DNSDependencySpec(name: "nothere.lab.test", server: "corp"),
            address: try Self.address("192.0.2.10"),
            previousAddress: nil,
            checkedAt: Self.checkedAt
        )
        #expect(absent.statuses.first?.state == .missing)
        #expect(absent.statuses.first?.detail?.hasPrefix("NXDOMAIN") == true)
        let noData = try await probe.check(
            DNSDependencySpec(name: "info.lab.test", server: "corp"),
            address: try Self.address("192.0.2.10"),
            previousAddress: nil,
            checkedAt: Self.checkedAt
        )
        #expect(noData.statuses.first?.state == .missing)
        #expect(noData.statuses.first?.detail?.hasPrefix("NODATA") == true)
    }

    @Test("a PTR naming another record is stale; none at all is missing")
    func pointerStale() async throws {
        let bind = try BINDServer()
        let probe = Self.probe(bind)
        let updater = Self.updater(bind, probe)
        let added = try await updater.replaceAddresses(
            of: "db.lab.test.",
            in: "lab.test.",
            with: [try Self.address("192.0.2.10")],
            ttl: 300
        )
        #expect(added.isApplied, "\(added)")
        let stale = try await probe.check(
            DNSDependencySpec(name: "db.lab.test", server: "corp", ptr: true),
            address: try Self.address("192.0.2.10"),
            previousAddress: nil,
            checkedAt: Self.checkedAt
        )
        #expect(stale.statuses.map(\.state) == [.ok, .stale])
        #expect(stale.statuses[1].observed == "www.lab.test.")
        #expect(stale.statuses[1].expected == "db.lab.test.")

        _ = try await updater.replaceAddresses(
            of: "db.lab.test.",
            in: "lab.test.",
            with: [try Self.address("192.0.2.30")],
            ttl: 300
        )
        let none = try await probe.check(
            DNSDependencySpec(name: "db.lab.test", server: "corp", ptr: true),
            address: try Self.address("192.0.2.30"),
            previousAddress: nil,
            checkedAt: Self.checkedAt
        )
        #expect(none.statuses.map(\.state) == [.ok, .missing])
    }

    @Test("a PTR in a reverse zone the server does not serve is unknown, and the record is still judged")
    func pointerOutsideTheServersZones() async throws {
        let bind = try BINDServer()
        let probe = Self.probe(bind)
        let spec = DNSDependencySpec(name: "www.lab.test", server: "corp", ptr: true)
        // Moved to an address whose reverse zone BIND does not have: it answers REFUSED for the PTR.
        let (statuses, _) = try await probe.check(
            spec,
            address: try Self.address("198.51.100.5"),
            previousAddress: try Self.address("192.0.2.10"),
            checkedAt: Self.checkedAt
        )
        #expect(statuses.map(\.state) == [.stale, .unknown])
        #expect(statuses[0].observedIsPreviousAddress)
        #expect(statuses[1].target == "5.100.51.198.in-addr.arpa.")
        #expect(statuses[1].detail?.contains("REFUSED") == true)
    }

    @Test("a stopped server is an error of the source, not a dependency state")
    func serverDown() async throws {
        let bind = try BINDServer()
        bind.stop()
        let probe = Self.probe(bind)
        await #expect {
            _ = try await probe.check(
                DNSDependencySpec(name: "www.lab.test", server: "corp"),
                address: try Self.address("192.0.2.10"),
                previousAddress: nil,
                checkedAt: Self.checkedAt
            )
        } throws: { error in
            guard case .client(let clientError) = error as? DNSProbeError else { return false }
            switch clientError {
            case .connectionRefused, .timeout: return true
            default: return false
            }
        }
    }
}
