import Foundation
import LocusCore
import LocusEngine
import LocusStore
import NIOCore
import NIOPosix
import Testing

@Suite("Engine: dependencies against BIND 9 and HAProxy", .serialized)
struct EngineDependencyTests {
    static func config(
        _ directory: TemporaryDirectory,
        bind: BINDServer,
        haproxy: HAProxyServer
    ) throws -> LocusConfig {
        LocusConfig(
            file: directory.file("locus.toml"),
            name: "dependencies-test",
            pollInterval: .milliseconds(100),
            store: .sqlite(path: directory.file("locus.sqlite")),
            sites: [SiteConfig(name: "dc-east", rlocs: [try #require(IPAddress("127.0.1.1"))])],
            inventories: [InventorySourceConfig(name: "main", kind: .file(path: directory.file("inventory.toml")))],
            dnsServers: [DNSServerConfig(name: "corp", server: bind.endpoint, ttlThreshold: .seconds(60))],
            loadBalancers: [LoadBalancerConfig(name: "edge", runtimeAPI: haproxy.address)]
        )
    }

    static func workload(_ name: String, host: Int, address: String, depends: String) -> String {
        """
        [[workload]]
        name = "\(name)"
        eid = "10.1.0.\(host)/32"
        site = "dc-east"
        address = "\(address)"
        \(depends)

        """
    }

    static func dns(_ record: String, ptr: Bool = false) -> String {
        """
          [[workload.depends]]
          kind = "dns"
          name = "\(record)"
          server = "corp"
          ptr = \(ptr)

        """
    }

    static func lb(_ server: String, port: Int = 80) -> String {
        """
          [[workload.depends]]
          kind = "lb"
          balancer = "edge"
          backend = "be_web"
          server = "\(server)"
          port = \(port)

        """
    }

    static func tcp(_ port: Int, role: String) -> String {
        """
          [[workload.depends]]
          kind = "tcp"
          target = "127.0.0.1:\(port)"
          role = "\(role)"

        """
    }

    static let tuning = EngineTuning(
        downAfterFailures: 2,
        slowThreshold: .seconds(5),
        failureBackoff: Backoff(initial: .milliseconds(50), multiplier: 2, maximum: .milliseconds(200)),
        jitter: 0,
        coalescingWindow: .milliseconds(10),
        // Generous for a loaded machine running every suite at once: a stopped server is refused at once anyway.
        probeTimeout: .seconds(3),
        reevaluationInterval: .milliseconds(200)
    )

    static func json(_ snapshot: Snapshot) throws -> [String: Any] {
        let data = try SnapshotDocument(snapshot).jsonData()
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// `dependencies[]` of one workload in the JSON document, as (kind, target, state).
    static func dependencies(_ document: [String: Any], of name: String) throws -> [[String: Any]] {
        let workloads = try #require(document["workloads"] as? [[String: Any]])
        let workload = try #require(workloads.first { $0["name"] as? String == name })
        return try #require(workload["dependencies"] as? [[String: Any]])
    }

    static func states(_ document: [String: Any], of name: String) throws -> [String] {
        try dependencies(document, of: name).map { "\($0["kind"] ?? "")=\($0["state"] ?? "")" }
    }

    static func alerts(_ document: [String: Any]) throws -> [String: [String: Any]] {
        let alerts = try #require(document["alerts"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: alerts.map { ($0["id"] as? String ?? "", $0) })
    }

    static func source(_ document: [String: Any], _ name: String) throws -> [String: Any] {
        let sources = try #require(document["sources"] as? [[String: Any]])
        return try #require(sources.first { $0["name"] as? String == name })
    }

    @Test("one pass shows each dependency's state and the right alerts in the snapshot document")
    func snapshotDocument() async throws {
        let bind = try BINDServer()
        let haproxy = try HAProxyServer()
        let service = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        defer { service.close(promise: nil) }
        let open = try #require(service.localAddress?.port)
        let closed = try ProbeServers.freePort()
        let directory = try TemporaryDirectory()
        try directory.write(
            Self.workload("web-07", host: 7, address: "192.0.2.10", depends: Self.dns("www.lab.test", ptr: true))
                + Self.workload("web-08", host: 8, address: "192.0.2.20", depends: Self.dns("www.lab.test"))
                + Self.workload("web-09", host: 9, address: "192.0.2.30", depends: Self.dns("gone.lab.test"))
                + Self.workload("app-01", host: 11, address: "127.0.3.1", depends: Self.lb("web01"))
                + Self.workload("app-02", host: 12, address: "127.0.3.50", depends: Self.lb("web02"))
                + Self.workload("app-03", host: 13, address: "127.0.3.3", depends: Self.lb("web09"))
                + Self.workload(
                    "app-04",
                    host: 14,
                    address: "127.0.3.4",
                    depends: Self.tcp(open, role: "auth") + Self.tcp(closed, role: "storage")
                )
                + Self.workload("app-05", host: 15, address: "127.0.3.5", depends: Self.tcp(closed, role: "license")),
            to: "inventory.toml"
        )
        let config = try Self.config(directory, bind: bind, haproxy: haproxy)
        let store = try SQLiteHistoryStore(path: directory.file("locus.sqlite"))
        let engine = Engine(config: config, store: store, tuning: Self.tuning)
        let document = try Self.json(try await engine.runOnce())

        #expect(try Self.states(document, of: "web-07") == ["dns=ok", "ptr=ok"])
        #expect(try Self.states(document, of: "web-08") == ["dns=stale"])
        #expect(try Self.states(document, of: "web-09") == ["dns=missing"])
        #expect(try Self.states(document, of: "app-01") == ["lb=ok"])
        #expect(try Self.states(document, of: "app-02") == ["lb=stale"])
        #expect(try Self.states(document, of: "app-03") == ["lb=missing"])
        #expect(try Self.states(document, of: "app-04") == ["tcp=ok", "tcp=unreachable"])
        let stale = try #require(try Self.dependencies(document, of: "web-08").first)
        #expect(stale["target"] as? String == "www.lab.test")
        #expect(stale["expected"] as? String == "192.0.2.20")
        #expect(stale["observed"] as? String == "192.0.2.10")
        #expect(stale["checked_at"] is String)
        let roles = try Self.dependencies(document, of: "app-04").map { $0["role"] as? String }
        #expect(roles == ["auth", "storage"])

        let alerts = try Self.alerts(document)
        #expect(
            Set(alerts.keys) == [
                "dns-stale:web-08", "dns-missing:web-09", "lb-stale:app-02", "lb-member-down:app-03",
                "dependency-unreachable:app-04", "dependency-unreachable:app-05",
            ]
        )
        #expect(alerts["dns-stale:web-08"]?["subject"] as? String == "web-08")
        #expect(
            (alerts["dns-stale:web-08"]?["message"] as? String)?.contains("points to 192.0.2.10, expected 192.0.2.20")
                == true
        )
        #expect(
            (alerts["lb-stale:app-02"]?["message"] as? String)?.contains("be_web/web02 sends to 127.0.3.2:80") == true
        )
        #expect(alerts["dependency-unreachable:app-04"]?["severity"] as? String == "critical")
        #expect(alerts["dependency-unreachable:app-05"]?["severity"] as? String == "warning")
        #expect(try Self.source(document, "corp")["kind"] as? String == "dns")
        #expect(try Self.source(document, "corp")["state"] as? String == "ok")
        #expect(try Self.source(document, "edge")["kind"] as? String == "loadbalancer")
        #expect(try Self.source(document, "edge")["state"] as? String == "ok")
    }

    @Test("changes behind Locus's back are caught within a poll; stopped servers make the sources down")
    func liveChangesAndServersDown() async throws {
        let bind = try BINDServer()
        let haproxy = try HAProxyServer()
        let directory = try TemporaryDirectory()
        try directory.write(
            Self.workload("web-07", host: 7, address: "192.0.2.10", depends: Self.dns("www.lab.test"))
                + Self.workload("app-01", host: 11, address: "127.0.3.1", depends: Self.lb("web01")),
            to: "inventory.toml"
        )
        let config = try Self.config(directory, bind: bind, haproxy: haproxy)
        let store = try SQLiteHistoryStore(path: directory.file("locus.sqlite"))
        let engine = Engine(config: config, store: store, tuning: Self.tuning)
        let client = HAProxyRuntimeClient(address: haproxy.address, timeout: .seconds(5))
        try await running(engine) {
            _ = try await snapshot(of: engine, "both dependencies ok") { snapshot in
                snapshot.workload("web-07")?.dependencies.map(\.state) == [.ok]
                    && snapshot.workload("app-01")?.dependencies.map(\.state) == [.ok]
            }
            try await client.setServerAddress(backend: "be_web", server: "web01", address: "127.0.3.77", port: 80)
            try await client.disableServer(backend: "be_web", server: "web01")
            let staleLB = try await snapshot(of: engine, "lb-stale raised") { $0.hasAlert(.lbStale, about: "app-01") }
            #expect(
                staleLB.alerts[AlertID(kind: .lbStale, subject: "app-01")]?.message.contains("127.0.3.77:80") == true
            )
            try await client.setServerAddress(backend: "be_web", server: "web01", address: "127.0.3.1", port: 80)
            let maint = try await snapshot(of: engine, "member in maintenance") {
                $0.hasAlert(.lbMemberDown, about: "app-01") && !$0.hasAlert(.lbStale, about: "app-01")
            }
            #expect(maint.workload("app-01")?.dependencies.first?.state == .maint)
            try await client.enableServer(backend: "be_web", server: "web01")
            _ = try await snapshot(of: engine, "lb alerts cleared") { snapshot in
                !snapshot.hasAlert(.lbStale, about: "app-01") && !snapshot.hasAlert(.lbMemberDown, about: "app-01")
                    && snapshot.workload("app-01")?.dependencies.first?.state == .ok
            }

            let probe = DNSProbe(
                config: config.dnsServers[0],
                client: .init(server: .init(host: "127.0.0.1", port: bind.port))
            )
            let updater = DNSRecordUpdater(server: probe.config, client: probe.client, key: BINDServer.key)
            let result = try await updater.replaceAddresses(
                of: "www.lab.test.",
                in: "lab.test.",
                with: [try #require(IPAddress("192.0.2.99"))],
                ttl: 60
            )
            #expect(result.isApplied, "\(result)")
            let staleDNS = try await snapshot(of: engine, "dns-stale raised") {
                $0.hasAlert(.dnsStale, about: "web-07")
            }
            #expect(
                staleDNS.alerts[AlertID(kind: .dnsStale, subject: "web-07")]?.message.contains("192.0.2.99") == true
            )

            bind.stop()
            haproxy.stop()
            let down = try await snapshot(of: engine, "both sources down") { snapshot in
                snapshot.sources["corp"]?.state == .down && snapshot.sources["edge"]?.state == .down
            }
            #expect(down.workload("web-07")?.dependencies.map(\.state) == [.unreachable])
            #expect(down.workload("app-01")?.dependencies.map(\.state) == [.unreachable])
            #expect(down.hasAlert(.sourceDown, about: "corp"))
            #expect(down.hasAlert(.sourceDown, about: "edge"))
            // What the record said before is not news any more: nobody can tell.
            #expect(!down.hasAlert(.dnsStale, about: "web-07"))
        }
    }

    /// One pass is all a one-shot run has: a server that failed it is down, whatever `downAfterFailures` says.
    @Test(
        "stopped servers: dependencies unreachable and, in a one-shot pass, the sources down",
        arguments: [(2, "unreachable", "down"), (1, "unreachable", "down")]
    )
    func stoppedServers(downAfterFailures: Int, dependencyState: String, sourceState: String) async throws {
        let bind = try BINDServer()
        let haproxy = try HAProxyServer()
        bind.stop()
        haproxy.stop()
        let directory = try TemporaryDirectory()
        try directory.write(
            Self.workload("web-07", host: 7, address: "192.0.2.10", depends: Self.dns("www.lab.test", ptr: true))
                + Self.workload("app-01", host: 11, address: "127.0.3.1", depends: Self.lb("web01")),
            to: "inventory.toml"
        )
        let config = try Self.config(directory, bind: bind, haproxy: haproxy)
        let store = try SQLiteHistoryStore(path: directory.file("locus.sqlite"))
        var tuning = Self.tuning
        tuning.downAfterFailures = downAfterFailures
        let engine = Engine(config: config, store: store, tuning: tuning)
        let document = try Self.json(try await engine.runOnce())
        #expect(try Self.states(document, of: "web-07") == ["dns=\(dependencyState)", "ptr=\(dependencyState)"])
        #expect(try Self.states(document, of: "app-01") == ["lb=\(dependencyState)"])
        #expect(try Self.source(document, "corp")["state"] as? String == sourceState)
        #expect(try Self.source(document, "edge")["state"] as? String == sourceState)
        let detail = try Self.dependencies(document, of: "app-01").first?["detail"] as? String
        #expect(detail?.contains("connection refused") == true)
        #expect((try Self.source(document, "edge")["error"] as? String)?.contains("connection refused") == true)
        let alerts = try Self.alerts(document)
        #expect(alerts["source-down:corp"] != nil || sourceState != "down")
        #expect(alerts.keys.allSatisfy { $0.hasPrefix("source-down:") })
    }
}
