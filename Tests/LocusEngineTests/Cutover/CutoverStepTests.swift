import DNS
import DNSNet
import Foundation
import LocusCore
import LocusEngine
import Testing

/// Each cutover step against the real server it changes: it acts only when the world is as the plan
/// says, never acts again once its effect is there, and never overwrites a change somebody else made.
@Suite("Cutover steps against BIND 9 and HAProxy", .serialized)
struct CutoverStepTests {
    static func client(_ bind: BINDServer) -> DNSClient {
        DNSClient(
            server: DNSServerAddress(host: "127.0.0.1", port: bind.port),
            configuration: DNSClientConfiguration(timeout: .seconds(2), attempts: 2)
        )
    }

    static func recordStep(_ bind: BINDServer, from: String, to: String) throws -> DNSAddressStep {
        DNSAddressStep(
            record: "www.lab.test.",
            zone: "lab.test.",
            from: try #require(DNSAddress(from)),
            to: try #require(DNSAddress(to)),
            client: client(bind),
            key: BINDServer.key
        )
    }

    @Test func aRecordMovesOnceAndBackAndIsNeverActedOnTwice() async throws {
        let bind = try await BINDServer()
        defer { bind.stop() }
        let step = try Self.recordStep(bind, from: "192.0.2.10", to: "192.0.2.20")
        #expect(await step.observe() == .ready("www.lab.test. points to 192.0.2.10"))
        #expect(try await step.run() == "www.lab.test. 192.0.2.10 → 192.0.2.20 (TTL 300s)")
        #expect(try await bind.dig("www.lab.test", "A") == ["192.0.2.20"])
        #expect(try await step.run() == "already done: www.lab.test. points to 192.0.2.20")
        #expect(try await step.reversed().run() == "www.lab.test. 192.0.2.20 → 192.0.2.10 (TTL 300s)")
        #expect(try await bind.dig("www.lab.test", "A") == ["192.0.2.10"])
    }

    @Test func aRecordChangedBehindLocussBackIsNotOverwritten() async throws {
        let bind = try await BINDServer()
        defer { bind.stop() }
        try await bind.process.update(
            zone: "lab.test.",
            ["update delete www.lab.test. A", "update add www.lab.test. 300 A 192.0.2.99"]
        )
        let step = try Self.recordStep(bind, from: "192.0.2.10", to: "192.0.2.20")
        guard case .conflict(let found) = await step.observe() else {
            Issue.record("a record at another address is a conflict")
            return
        }
        #expect(found.contains("points to 192.0.2.99, expected 192.0.2.10"))
        // Even acting directly, the prerequisite keeps the other change.
        let error = await #expect(throws: CutoverStepError.self) { try await step.act() }
        #expect(error?.reason.contains("no longer points to 192.0.2.10") == true, "\(String(describing: error))")
        #expect(try await bind.dig("www.lab.test", "A") == ["192.0.2.99"])
    }

    @Test func aPTRMovesToTheNewReverseNameAndBack() async throws {
        let bind = try await BINDServer()
        defer { bind.stop() }
        let step = PointerStep(
            target: "www.lab.test.",
            from: try #require(DNSAddress("192.0.2.10")),
            fromZone: "2.0.192.in-addr.arpa.",
            to: try #require(DNSAddress("192.0.2.20")),
            toZone: "2.0.192.in-addr.arpa.",
            client: Self.client(bind),
            key: BINDServer.key
        )
        #expect(
            try await step.run().hasPrefix("PTR of www.lab.test.: 10.2.0.192.in-addr.arpa. → 20.2.0.192.in-addr.arpa.")
        )
        #expect(try await bind.dig("20.2.0.192.in-addr.arpa", "PTR") == ["www.lab.test."])
        #expect(try await bind.dig("10.2.0.192.in-addr.arpa", "PTR") == [])
        #expect(try await step.run().hasPrefix("already done"))
        _ = try await step.reversed().run()
        #expect(try await bind.dig("10.2.0.192.in-addr.arpa", "PTR") == ["www.lab.test."])
        #expect(try await bind.dig("20.2.0.192.in-addr.arpa", "PTR") == [])
    }

    static func memberStep(_ haproxy: HAProxyServer, to: String) -> PoolMemberStep {
        PoolMemberStep(
            balancer: "edge",
            backend: "be_web",
            server: "web01",
            port: 80,
            from: "127.0.3.1",
            to: to,
            client: HAProxyRuntimeClient(address: haproxy.address, timeout: .seconds(2))
        )
    }

    static func member(_ haproxy: HAProxyServer) async throws -> HAProxyServerState? {
        try await HAProxyRuntimeClient(address: haproxy.address, timeout: .seconds(2))
            .serversState(backend: "be_web").servers["web01"]
    }

    @Test func aPoolMemberMovesOnceKeepsItsMaintenanceStateAndMovesBack() async throws {
        let haproxy = try await HAProxyServer()
        defer { haproxy.stop() }
        _ = try await haproxy.process.command("disable server be_web/web01")
        let step = Self.memberStep(haproxy, to: "127.0.3.9")
        #expect(await step.observe() == .ready("be_web/web01 is at 127.0.3.1:80"))
        #expect(try await step.run().hasPrefix("be_web/web01 127.0.3.1 → 127.0.3.9:80"))
        let moved = try #require(try await Self.member(haproxy))
        #expect(moved.address == "127.0.3.9" && moved.port == 80)
        #expect(moved.isInMaintenance, "set server addr leaves maintenance alone")
        #expect(try await step.run() == "already done: be_web/web01 is at 127.0.3.9:80")
        _ = try await step.reversed().run()
        #expect(try await Self.member(haproxy)?.address == "127.0.3.1")
    }

    @Test func aPoolMemberChangedBehindLocussBackIsAConflict() async throws {
        let haproxy = try await HAProxyServer()
        defer { haproxy.stop() }
        _ = try await haproxy.process.command("set server be_web/web01 addr 127.0.3.7 port 80")
        let step = Self.memberStep(haproxy, to: "127.0.3.9")
        #expect(
            await step.observe()
                == .conflict("be_web/web01 is at 127.0.3.7:80, expected 127.0.3.1: somebody changed it")
        )
        let error = await #expect(throws: CutoverStepError.self) { try await step.run() }
        #expect(error?.step == "loadbalancer edge be_web/web01")
        #expect(try await Self.member(haproxy)?.address == "127.0.3.7")
    }
}
