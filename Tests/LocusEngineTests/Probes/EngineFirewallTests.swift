import Foundation
import LocusCore
import LocusEngine
import LocusStore
import LocusTestSupport
import Testing

/// Firewall dependencies against real nftables, in a network namespace of the test's own.
@Suite("Engine: firewall dependencies against nftables", .serialized)
struct EngineFirewallTests {
    static let ruleset = """
        table inet filter {
          set web_backends { type ipv4_addr; elements = { 10.1.0.7, 10.1.0.20 } }
          set nets { type ipv4_addr; flags interval; elements = { 10.3.0.0/24, 10.4.0.1-10.4.0.9 } }
          chain input {
            type filter hook input priority 0; policy accept;
            ip saddr 10.1.0.50 tcp dport 22 counter accept comment "app-05"
            ip daddr { 10.1.0.50, 10.9.9.9 } accept comment "app-05"
          }
        }
        """

    static func config(_ directory: TemporaryDirectory, firewalls: [FirewallConfig]) -> LocusConfig {
        LocusConfig(
            file: directory.file("locus.toml"),
            name: "firewall-test",
            pollInterval: .milliseconds(100),
            store: .sqlite(path: directory.file("locus.sqlite")),
            sites: [SiteConfig(name: "dc-east", rlocs: [IPAddress("127.0.1.1")!])],
            inventories: [InventorySourceConfig(name: "main", kind: .file(path: directory.file("inventory.toml")))],
            firewalls: firewalls
        )
    }

    static func workload(
        _ name: String,
        address: String,
        eid: String? = nil,
        firewall: String = "edge",
        _ target: String
    ) -> String {
        """
        [[workload]]
        name = "\(name)"
        eid = "\(eid ?? "10.200.\(address.split(separator: ".").suffix(2).joined(separator: "."))/32")"
        site = "dc-east"
        address = "\(address)"

          [[workload.depends]]
          kind = "firewall"
          firewall = "\(firewall)"
          \(target)

        """
    }

    static func engine(_ directory: TemporaryDirectory, _ config: LocusConfig) throws -> Engine {
        Engine(
            config: config,
            store: try SQLiteHistoryStore(path: directory.file("locus.sqlite")),
            tuning: EngineDependencyTests.tuning
        )
    }

    @Test("one listing judges sets, interval sets and commented rules; a failing or hanging nft is unreachable")
    func onePass() async throws {
        let namespace = try NFTNamespace()
        try namespace.load(Self.ruleset)
        let directory = try TemporaryDirectory()
        try directory.write(
            Self.workload("web-07", address: "10.1.0.7", "set = \"inet filter web_backends\"")
                + Self.workload("web-08", address: "10.1.0.8", "set = \"inet filter web_backends\"")
                + Self.workload("app-03", address: "10.3.0.9", "set = \"inet filter nets\"")
                + Self.workload("app-04", address: "10.4.0.5", "set = \"inet filter nets\"")
                + Self.workload("app-05", address: "10.1.0.50", "rule_comment = \"app-05\"")
                + Self.workload("app-06", address: "10.1.0.60", "rule_comment = \"app-06\"")
                + Self.workload("app-07", address: "10.1.0.70", "set = \"inet filter nosuch\"")
                + Self.workload("db-01", address: "10.1.0.80", firewall: "broken", "set = \"inet filter web_backends\"")
                + Self.workload("db-02", address: "10.1.0.90", firewall: "hung", "set = \"inet filter web_backends\""),
            to: "inventory.toml"
        )
        let config = Self.config(
            directory,
            firewalls: [
                FirewallConfig(name: "edge", command: namespace.listCommand, applyCommand: namespace.applyCommand),
                FirewallConfig(
                    name: "broken",
                    command: namespace.nftArguments(["-j", "list", "table", "ip", "nosuch"])
                ),
                FirewallConfig(name: "hung", command: ["sleep", "30"], timeout: .seconds(1)),
            ]
        )
        let started = ContinuousClock.now
        let document = try EngineDependencyTests.json(try await Self.engine(directory, config).runOnce())
        // The hung command is stopped at its timeout, not waited for.
        #expect(ContinuousClock.now - started < .seconds(20))

        #expect(try EngineDependencyTests.states(document, of: "web-07") == ["firewall=ok"])
        #expect(try EngineDependencyTests.states(document, of: "web-08") == ["firewall=missing"])
        #expect(try EngineDependencyTests.states(document, of: "app-03") == ["firewall=ok"])
        #expect(try EngineDependencyTests.states(document, of: "app-04") == ["firewall=ok"])
        #expect(try EngineDependencyTests.states(document, of: "app-05") == ["firewall=ok"])
        #expect(try EngineDependencyTests.states(document, of: "app-06") == ["firewall=missing"])
        #expect(try EngineDependencyTests.states(document, of: "app-07") == ["firewall=missing"])
        #expect(try EngineDependencyTests.states(document, of: "db-01") == ["firewall=unreachable"])
        #expect(try EngineDependencyTests.states(document, of: "db-02") == ["firewall=unreachable"])

        let ok = try #require(try EngineDependencyTests.dependencies(document, of: "web-07").first)
        #expect(ok["target"] as? String == "edge set inet filter web_backends")
        #expect(ok["expected"] as? String == "10.1.0.7")
        #expect(ok["observed"] as? String == "10.1.0.7")
        let interval = try #require(try EngineDependencyTests.dependencies(document, of: "app-04").first)
        #expect(interval["observed"] as? String == "10.4.0.1-10.4.0.9")
        let missingSet = try EngineDependencyTests.dependencies(document, of: "app-07").first?["detail"] as? String
        #expect(missingSet == "edge has no set inet filter nosuch")
        let hung = try EngineDependencyTests.dependencies(document, of: "db-02").first?["detail"] as? String
        #expect(hung?.contains("still running after 1s") == true, "\(hung ?? "")")

        let alerts = try EngineDependencyTests.alerts(document)
        #expect(alerts["firewall-missing:web-08"]?["severity"] as? String == "critical")
        #expect((alerts["firewall-missing:web-08"]?["message"] as? String)?.contains("does not allow 10.1.0.8") == true)
        #expect(alerts["firewall-missing:app-06"] != nil)
        #expect(alerts["firewall-missing:app-07"] != nil)
        #expect(alerts["dependency-unreachable:db-01"] != nil)
        #expect(alerts["firewall-missing:web-07"] == nil && alerts["firewall-missing:app-05"] == nil)
        #expect(try EngineDependencyTests.source(document, "edge")["kind"] as? String == "firewall")
        #expect(try EngineDependencyTests.source(document, "edge")["state"] as? String == "ok")
        #expect(try EngineDependencyTests.source(document, "broken")["state"] as? String == "down")
        #expect(alerts["source-down:hung"] != nil)
    }

    @Test("a re-addressed workload whose set kept the old address is stale within a poll; a leftover is a warning")
    func staleAndLeftover() async throws {
        let namespace = try NFTNamespace()
        try namespace.load(Self.ruleset)
        let directory = try TemporaryDirectory()
        let set = "set = \"inet filter web_backends\""
        try directory.write(Self.workload("web-07", address: "10.1.0.7", set), to: "inventory.toml")
        let config = Self.config(
            directory,
            firewalls: [
                FirewallConfig(name: "edge", command: namespace.listCommand, applyCommand: namespace.applyCommand)
            ]
        )
        let engine = try Self.engine(directory, config)
        let stale = AlertID(kind: .firewallStale, subject: "web-07")
        let leftover = AlertID(kind: .firewallLeftover, subject: "web-07")
        let missing = AlertID(kind: .firewallMissing, subject: "web-07")
        try await running(engine) {
            _ = try await snapshot(of: engine, "the set holds web-07") {
                $0.workload("web-07")?.dependencies.map(\.state) == [.ok]
            }
            try directory.write(Self.workload("web-07", address: "10.2.0.7", set), to: "inventory.toml")
            let moved = try await snapshot(of: engine, "firewall-stale raised") { $0.alerts[stale] != nil }
            let message = moved.alerts[stale]?.message ?? ""
            #expect(message.contains("edge set inet filter web_backends"), "\(message)")
            #expect(message.contains("10.1.0.7 (its previous address), expected 10.2.0.7"), "\(message)")
            #expect(moved.alerts[stale]?.severity == .critical)

            try namespace.nft(["add", "element", "inet", "filter", "web_backends", "{ 10.2.0.7 }"])
            let both = try await snapshot(of: engine, "stale cleared, leftover raised") {
                $0.alerts[stale] == nil && $0.alerts[leftover] != nil
            }
            #expect(both.alerts[leftover]?.severity == .warning)
            #expect(both.alerts[leftover]?.message.contains("still allows 10.1.0.7") == true)

            try namespace.nft(["delete", "element", "inet", "filter", "web_backends", "{ 10.1.0.7 }"])
            _ = try await snapshot(of: engine, "leftover cleared") {
                $0.alerts[leftover] == nil && $0.workload("web-07")?.dependencies.map(\.state) == [.ok]
            }

            try namespace.nft(["delete", "element", "inet", "filter", "web_backends", "{ 10.2.0.7 }"])
            _ = try await snapshot(of: engine, "removed behind Locus's back: missing") { $0.alerts[missing] != nil }
        }
    }

    @Test(
        "a watched set still allowing the previous address of a workload that does not watch it is that one's leftover"
    )
    func leftoverOfAnother() async throws {
        let namespace = try NFTNamespace()
        try namespace.load(Self.ruleset)
        let directory = try TemporaryDirectory()
        let watcher = Self.workload("web-07", address: "10.1.0.7", "set = \"inet filter web_backends\"")
        let nets = "set = \"inet filter nets\""
        try directory.write(watcher + Self.workload("app-20", address: "10.1.0.20", nets), to: "inventory.toml")
        let config = Self.config(
            directory,
            firewalls: [
                FirewallConfig(name: "edge", command: namespace.listCommand, applyCommand: namespace.applyCommand)
            ]
        )
        let engine = try Self.engine(directory, config)
        let leftover = AlertID(kind: .firewallLeftover, subject: "app-20")
        try await running(engine) {
            _ = try await snapshot(of: engine, "both checked") {
                $0.workload("web-07")?.dependencies.map(\.state) == [.ok]
                    && $0.workload("app-20")?.dependencies.map(\.state) == [.missing]
            }
            #expect(await engine.snapshot.alerts[leftover] == nil)

            try directory.write(watcher + Self.workload("app-20", address: "10.3.0.20", nets), to: "inventory.toml")
            let moved = try await snapshot(of: engine, "firewall-leftover raised for app-20") {
                $0.alerts[leftover] != nil && $0.workload("app-20")?.dependencies.map(\.state) == [.ok]
            }
            #expect(moved.alerts[leftover]?.severity == .warning)
            let message = moved.alerts[leftover]?.message ?? ""
            #expect(message.contains("edge set inet filter web_backends still allows 10.1.0.20"), "\(message)")
            #expect(moved.workload("app-20")?.dependencies.first?.leftover == nil)
            #expect(moved.alerts[AlertID(kind: .firewallLeftover, subject: "web-07")] == nil)

            // The address taken by another workload: the opening may be theirs now.
            try directory.write(
                watcher + Self.workload("app-20", address: "10.3.0.20", nets)
                    + Self.workload("db-20", address: "10.1.0.20", eid: "10.201.0.20/32", "rule_comment = \"db-20\""),
                to: "inventory.toml"
            )
            _ = try await snapshot(of: engine, "leftover cleared when the address is somebody's again") {
                $0.alerts[leftover] == nil && $0.workload("db-20") != nil
            }
        }
    }

    @Test("a set watched through a rule counts for leftovers; two workloads that swap addresses leave none")
    func leftoversThroughRulesAndSwaps() async throws {
        let namespace = try NFTNamespace()
        try namespace.load(
            """
            table inet filter {
              set web_backends { type ipv4_addr; elements = { 10.1.0.7, 10.1.0.8 } }
              set admins { type ipv4_addr; elements = { 10.1.0.30, 10.1.0.31 } }
              set nets { type ipv4_addr; flags interval; elements = { 10.3.0.0/24 } }
              chain input {
                type filter hook input priority 0; policy accept;
                ip saddr @admins tcp dport 22 accept comment "ops"
              }
            }
            """
        )
        let directory = try TemporaryDirectory()
        let set = "set = \"inet filter web_backends\""
        func inventory(web07: String, web08: String, db31: String) -> String {
            Self.workload("web-07", address: web07, eid: "10.200.0.7/32", set)
                + Self.workload("web-08", address: web08, eid: "10.200.0.8/32", set)
                + Self.workload("ops-30", address: "10.1.0.30", "rule_comment = \"ops\"")
                + Self.workload("db-31", address: db31, eid: "10.200.0.31/32", "set = \"inet filter nets\"")
        }
        try directory.write(inventory(web07: "10.1.0.7", web08: "10.1.0.8", db31: "10.1.0.31"), to: "inventory.toml")
        let config = Self.config(
            directory,
            firewalls: [
                FirewallConfig(name: "edge", command: namespace.listCommand, applyCommand: namespace.applyCommand)
            ]
        )
        let engine = try Self.engine(directory, config)
        try await running(engine) {
            _ = try await snapshot(of: engine, "all checked") { snapshot in
                ["web-07", "web-08", "ops-30"].allSatisfy { snapshot.workload($0)?.dependencies.map(\.state) == [.ok] }
            }
            try directory.write(
                inventory(web07: "10.1.0.8", web08: "10.1.0.7", db31: "10.3.0.31"),
                to: "inventory.toml"
            )
            let after = try await snapshot(of: engine, "db-31's leftover in the set the ops rule uses") {
                $0.alerts[AlertID(kind: .firewallLeftover, subject: "db-31")] != nil
                    && $0.workload("web-07")?.dependencies.first?.state == .ok
                    && $0.workload("web-08")?.dependencies.first?.state == .ok
            }
            let message = after.alerts[AlertID(kind: .firewallLeftover, subject: "db-31")]?.message ?? ""
            #expect(message.contains("edge set inet filter admins still allows 10.1.0.31"), "\(message)")
            #expect(after.alerts[AlertID(kind: .firewallLeftover, subject: "web-07")] == nil)
            #expect(after.alerts[AlertID(kind: .firewallLeftover, subject: "web-08")] == nil)
            #expect(after.workload("web-07")?.dependencies.first?.leftover == nil)
        }
    }
}
