import Foundation
import LocusCore
import LocusEngine
import Testing

@Suite("HAProxy Runtime API client and probe", .serialized)
struct HAProxyProbeTests {
    static let checkedAt = Date(timeIntervalSince1970: 1_800_000_000)

    static func member(
        _ server: String,
        address: String,
        port: UInt16 = 80,
        previous: String? = nil,
        backend: String = "be_web"
    ) throws -> LoadBalancerProbe.Member {
        LoadBalancerProbe.Member(
            spec: LoadBalancerDependencySpec(balancer: "edge", backend: backend, server: server, port: port),
            address: try #require(IPAddress(address)),
            previousAddress: previous.flatMap { IPAddress($0) }
        )
    }

    static func probe(_ haproxy: HAProxyServer) -> LoadBalancerProbe {
        LoadBalancerProbe(
            config: LoadBalancerConfig(name: "edge", runtimeAPI: haproxy.address),
            client: HAProxyRuntimeClient(address: haproxy.address, timeout: .seconds(5))
        )
    }

    @Test("show servers state is parsed by header name")
    func serversState() async throws {
        let haproxy = try await HAProxyServer()
        let client = HAProxyRuntimeClient(address: haproxy.address, timeout: .seconds(5))
        let state = try await client.serversState(backend: "be_web")
        #expect(state.servers.keys.sorted() == ["web01", "web02", "web03"])
        let web03 = try #require(state.servers["web03"])
        #expect(web03.address == "127.0.3.3")
        #expect(web03.port == 8080)
        #expect(web03.operationalState == .running)
        #expect(web03.adminState == 0)
        #expect(web03.fields["be_name"] == "be_web")
    }

    @Test("ok, then stale after set server addr behind Locus's back, then ok again")
    func staleAfterSetServerAddress() async throws {
        let haproxy = try await HAProxyServer()
        let probe = Self.probe(haproxy)
        let member = try Self.member("web01", address: "127.0.3.1")
        let first = try await probe.check([member], checkedAt: Self.checkedAt)
        #expect(first.map(\.state) == [.ok])
        #expect(first.first?.observed == "127.0.3.1:80")
        #expect(first.first?.rtt != nil)

        let reply = try await probe.client.setServerAddress(
            backend: "be_web",
            server: "web01",
            address: "127.0.3.99",
            port: 81
        )
        #expect(reply.hasPrefix("IP changed from '127.0.3.1' to '127.0.3.99'"))
        let state = try await probe.client.serversState(backend: "be_web")
        #expect(state.servers["web01"]?.address == "127.0.3.99")
        #expect(state.servers["web01"]?.port == 81)

        let stale = try await probe.check([member], checkedAt: Self.checkedAt)
        #expect(stale.first?.state == .stale)
        #expect(stale.first?.observed == "127.0.3.99:81")
        #expect(stale.first?.expected == "127.0.3.1:80")

        // The workload moved to 127.0.3.99 and the pool still sends to where it was.
        let moved = try Self.member("web02", address: "127.0.3.50", previous: "127.0.3.2")
        let behind = try await probe.check([moved], checkedAt: Self.checkedAt)
        #expect(behind.first?.state == .stale)
        #expect(behind.first?.observedIsPreviousAddress == true)

        try await probe.client.setServerAddress(backend: "be_web", server: "web01", address: "127.0.3.1", port: 80)
        #expect(try await probe.check([member], checkedAt: Self.checkedAt).map(\.state) == [.ok])
    }

    @Test("disable server shows maint, enable server brings it back")
    func maintenance() async throws {
        let haproxy = try await HAProxyServer()
        let probe = Self.probe(haproxy)
        let member = try Self.member("web02", address: "127.0.3.2")
        let disabled = try await probe.client.disableServer(backend: "be_web", server: "web02")
        #expect(disabled.isEmpty)
        let state = try await probe.client.serversState(backend: "be_web")
        #expect(state.servers["web02"]?.isInMaintenance == true)
        #expect(state.servers["web02"]?.operationalState == .stopped)
        let statuses = try await probe.check([member], checkedAt: Self.checkedAt)
        #expect(statuses.first?.state == .maint)

        try await probe.client.enableServer(backend: "be_web", server: "web02")
        #expect(try await probe.check([member], checkedAt: Self.checkedAt).map(\.state) == [.ok])
    }

    @Test("one show servers state per backend answers every member; missing servers and backends")
    func missing() async throws {
        let haproxy = try await HAProxyServer()
        let probe = Self.probe(haproxy)
        let members = [
            try Self.member("web01", address: "127.0.3.1"),
            try Self.member("web03", address: "127.0.3.3", port: 8080),
            try Self.member("web09", address: "127.0.3.9"),
            try Self.member("web01", address: "127.0.3.1", backend: "be_nothing"),
        ]
        let statuses = try await probe.check(members, checkedAt: Self.checkedAt)
        #expect(statuses.map(\.state) == [.ok, .ok, .missing, .missing])
        #expect(statuses[2].detail?.contains("No such server web09") == true)
        #expect(statuses[3].detail?.contains("No such backend") == true)
    }

    @Test("HAProxy's refusals are typed errors")
    func refusals() async throws {
        let haproxy = try await HAProxyServer()
        let client = HAProxyRuntimeClient(address: haproxy.address, timeout: .seconds(5))
        await #expect(throws: HAProxyError.noSuchServer(backend: "be_web", server: "nope", address: haproxy.address)) {
            try await client.setServerAddress(backend: "be_web", server: "nope", address: "127.0.3.7", port: 80)
        }
        await #expect(throws: HAProxyError.noSuchBackend("be_nope", address: haproxy.address)) {
            try await client.disableServer(backend: "be_nope", server: "web01")
        }
        await #expect(throws: HAProxyError.noSuchBackend("be_nope", address: haproxy.address)) {
            try await client.serversState(backend: "be_nope")
        }
        await #expect {
            try await client.setServerAddress(backend: "be_web", server: "web01", address: "not-an-address", port: 80)
        } throws: { error in
            guard case .refused(_, let reply, _) = error as? HAProxyError else { return false }
            return reply.contains("Invalid")
        }
    }

    @Test("a stopped HAProxy refuses the connection")
    func stopped() async throws {
        let haproxy = try await HAProxyServer()
        haproxy.stop()
        let probe = Self.probe(haproxy)
        // A connection caught while the listener is being torn down is reset rather than refused; either way the
        // runtime API cannot be reached, which is what the probe reports.
        await #expect {
            try await probe.check([try Self.member("web01", address: "127.0.3.1")], checkedAt: Self.checkedAt)
        } throws: { error in
            switch error as? HAProxyError {
            case .connectionRefused(let address): return address == haproxy.address
            case .network(let address, let reason): return address == haproxy.address && reason.contains("reset")
            default: return false
            }
        }
    }
}
