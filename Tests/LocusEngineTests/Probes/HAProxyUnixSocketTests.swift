import Foundation
import LocusCore
import LocusEngine
import Testing

@Suite("HAProxy Runtime API over a unix socket", .serialized)
struct HAProxyUnixSocketTests {
    /// The `[[loadbalancer]]` of a `locus.toml` beside the socket, with `runtime_api = "unix:admin.sock"`
    /// relative to it, as an operator would write it.
    static func loadBalancer(in directory: String) throws -> LoadBalancerConfig {
        let config = try LocusConfig.parse(
            """
            name = "unix-socket-test"

            [[loadbalancer]]
            name = "edge"
            kind = "haproxy"
            runtime_api = "unix:admin.sock"
            """,
            file: directory + "/locus.toml",
            directories: XDGDirectories(environment: ["HOME": directory])
        )
        return try #require(config.loadBalancers.first)
    }

    static func probe(_ config: LoadBalancerConfig) -> LoadBalancerProbe {
        LoadBalancerProbe(
            config: config,
            client: HAProxyRuntimeClient(address: config.runtimeAPI, timeout: .seconds(5))
        )
    }

    @Test("show servers state over the socket")
    func serversState() async throws {
        let haproxy = try await UnixSocketHAProxyServer()
        let client = HAProxyRuntimeClient(address: haproxy.address, timeout: .seconds(5))
        #expect(client.address.description == "unix:\(haproxy.socketPath)")
        let state = try await client.serversState(backend: "be_web")
        #expect(state.servers.keys.sorted() == ["web01", "web02", "web03"])
        #expect(state.servers["web01"]?.address == "127.0.3.1")
        #expect(state.servers["web03"]?.address == "127.0.3.3")
        #expect(state.servers["web03"]?.port == 8080)
        #expect(state.servers["web03"]?.operationalState == .running)
        #expect(state.servers["web03"]?.fields["be_name"] == "be_web")
    }

    @Test("runtime_api = \"unix:PATH\" from locus.toml: ok, stale after set server addr, ok again")
    func probeFromConfig() async throws {
        let haproxy = try await UnixSocketHAProxyServer()
        let config = try Self.loadBalancer(in: haproxy.directory)
        #expect(config.runtimeAPI == haproxy.address)
        let probe = Self.probe(config)
        let member = try HAProxyProbeTests.member("web01", address: "127.0.3.1")

        let first = try await probe.check([member], checkedAt: HAProxyProbeTests.checkedAt)
        #expect(first.map(\.state) == [.ok])
        #expect(first.first?.observed == "127.0.3.1:80")
        #expect(first.first?.target == "be_web/web01")

        let reply = try await probe.client.setServerAddress(
            backend: "be_web",
            server: "web01",
            address: "127.0.3.99",
            port: 81
        )
        #expect(reply.hasPrefix("IP changed from '127.0.3.1' to '127.0.3.99'"))
        let stale = try await probe.check([member], checkedAt: HAProxyProbeTests.checkedAt)
        #expect(stale.first?.state == .stale)
        #expect(stale.first?.observed == "127.0.3.99:81")
        #expect(stale.first?.expected == "127.0.3.1:80")

        try await probe.client.setServerAddress(backend: "be_web", server: "web01", address: "127.0.3.1", port: 80)
        #expect(try await probe.check([member], checkedAt: HAProxyProbeTests.checkedAt).map(\.state) == [.ok])
    }

    @Test("maintenance and missing members over the socket")
    func maintenanceAndMissing() async throws {
        let haproxy = try await UnixSocketHAProxyServer()
        let probe = Self.probe(LoadBalancerConfig(name: "edge", runtimeAPI: haproxy.address))
        try await probe.client.disableServer(backend: "be_web", server: "web02")
        let members = [
            try HAProxyProbeTests.member("web02", address: "127.0.3.2"),
            try HAProxyProbeTests.member("web09", address: "127.0.3.9"),
            try HAProxyProbeTests.member("web01", address: "127.0.3.1", backend: "be_nothing"),
        ]
        let statuses = try await probe.check(members, checkedAt: HAProxyProbeTests.checkedAt)
        #expect(statuses.map(\.state) == [.maint, .missing, .missing])
        #expect(statuses[1].detail?.contains("unix:\(haproxy.socketPath)") == true)
        await #expect(throws: HAProxyError.noSuchServer(backend: "be_web", server: "nope", address: haproxy.address)) {
            try await probe.client.enableServer(backend: "be_web", server: "nope")
        }
    }

    @Test("a stopped HAProxy's socket refuses, and so does a path with no socket")
    func refused() async throws {
        let haproxy = try await UnixSocketHAProxyServer()
        let probe = Self.probe(LoadBalancerConfig(name: "edge", runtimeAPI: haproxy.address))
        let member = try HAProxyProbeTests.member("web01", address: "127.0.3.1")
        #expect(try await probe.check([member], checkedAt: HAProxyProbeTests.checkedAt).map(\.state) == [.ok])
        haproxy.stop()
        await #expect(throws: HAProxyError.connectionRefused(address: haproxy.address)) {
            try await probe.check([member], checkedAt: HAProxyProbeTests.checkedAt)
        }

        let nowhere = RuntimeAPIAddress.unix(path: haproxy.directory + "/no-such.sock")
        let client = HAProxyRuntimeClient(address: nowhere, timeout: .seconds(5))
        await #expect(throws: HAProxyError.connectionRefused(address: nowhere)) {
            try await client.send("show info")
        }
        #expect(HAProxyError.connectionRefused(address: nowhere).description.contains("unix:\(haproxy.directory)"))
    }
}
