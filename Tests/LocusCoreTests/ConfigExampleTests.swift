import Testing

@testable import LocusCore

/// The three examples of CONFIG.md, verbatim: the contract operators copy from.
enum ConfigExamples {
    static let locus = """
        name = "prod-east"                  # shown in the header
        poll_interval = "5s"                # dependency probes and inventory re-reads (mapping: max_age / TTL)
        history_keep = "90d"                # events, moves and alert history older than this are pruned;
                                            # migrations, approvals, steps and the audit log are never pruned
        store = "sqlite:/var/lib/locus/locus.sqlite"   # or "postgres://user@host:5432/locus"
        # default store when absent: $XDG_STATE_HOME/locus/locus.sqlite (personal).
        # To share one SQLite store between operators on a jump host, put it in a
        # group-owned setgid directory; Locus creates its files 0660.

        [[site]]
        name = "dc-east"
        rlocs = ["127.0.1.1", "127.0.1.2"]
        hosts = ["kvm-east-1"]              # hypervisor hosts, for the mover's {dest_host}

        [[mapping]]
        name = "mr-1"
        resolver = "127.0.0.1:4342"         # map-resolver (ECM Map-Requests)
        subscribe = true                    # RFC 9437 pub/sub where the server supports it
        max_age = "60s"                     # re-resolve at least this often (else at TTL/2)
        registrations_api = "http://127.0.0.1:9442"   # optional: the map-server's table (Sites view)
        # only when Locus itself registers EIDs during a migration:
        map_server = "127.0.0.1:4342"
        key_id = 1
        algorithm = "hmac-sha256"           # or "hmac-sha1"
        key_file = "keys/dc-east.key"       # the shared secret on one line

        [[inventory]]
        name = "main"
        kind = "file"                       # file | ovf | libvirt
        path = "inventory.toml"
        # kind = "ovf":     directory = "ovf/"; site_of_network = { "VM Network" = "dc-east" }
        #                   address_property = "ip0"   # ProductSection key holding the address (default: ip0, then any ip-typed property)
        # kind = "libvirt": uri = "qemu:///system"; site = "dc-east"
        #                   Locus metadata in the domain XML: <metadata><locus:workload xmlns:locus="urn:locus:libvirt:1" eid="10.1.0.7/32" iid="0"/></metadata>

        [[dns]]
        name = "corp"
        server = "127.0.0.1:5353"
        tsig_key_name = "ddns-key"
        tsig_algorithm = "hmac-sha256"
        tsig_key_file = "keys/ddns.key"     # the base64 secret alone, or a BIND `key { ... };` block as tsig-keygen writes it
        ttl_threshold = "300s"

        [[loadbalancer]]
        name = "edge"
        kind = "haproxy"
        runtime_api = "127.0.0.1:9999"      # or "unix:/run/haproxy/admin.sock"

        [migration]
        mover = "virsh migrate --live {workload} qemu+ssh://{dest_host}/system"
        # placeholders: {workload} {from_site} {site} {host} {dest_host}
        verify_deadline = "2m"

        [approvals]
        approvers = ["ops1", "ops2"]        # login names (the user the process runs as)
        four_eyes = true                    # two distinct approvers, neither the requester
        expire_after = "4h"
        # maintenance_window = "Sat 22:00-Sun 04:00 UTC"
        """

    static let inventory = """
        [[workload]]
        name = "web-07"
        eid = "10.1.0.7/32"
        iid = 0
        site = "dc-east"
        address = "10.1.0.7"                # where it answers now (equals the EID for a LISP move)
        mac = "52:54:00:aa:00:07"           # optional: joins records of other sources
        host = "kvm-east-3"                 # optional: hypervisor host ({host} for the mover)
        owner = "web-team"
        tags = ["prod", "web"]

          [[workload.depends]]
          kind = "dns"
          name = "web.app.test"
          server = "corp"                   # a [[dns]] name
          ptr = true                        # also check the PTR of `address`

          [[workload.depends]]
          kind = "lb"
          balancer = "edge"                 # a [[loadbalancer]] name
          backend = "be_web"
          server = "web07"
          port = 80

          [[workload.depends]]
          kind = "tcp"
          target = "127.0.2.10:636"
          role = "auth"                     # auth | database | storage | license | other
        """

    static let mapServer = """
        listen = "127.0.0.1:4342"
        api = "127.0.0.1:9442"              # optional: registration table as JSON over HTTP, loopback only by default
        registration_timeout = "3m"

        [[site]]
        name = "dc-east"
        key_id = 1
        algorithm = "hmac-sha256"           # or "hmac-sha1"
        key_file = "keys/dc-east.key"       # the shared secret on one line
        iid = 0
        prefixes = ["10.1.0.0/16"]
        accept_more_specifics = true
        """

    /// A TSIG key file as `tsig-keygen -a hmac-sha256 ddns-key` writes it.
    static let bindKeyBlock = """
        key "ddns-key" {
        \talgorithm hmac-sha256;
        \tsecret "c2VjcmV0LWZvci10ZXN0cy1vbmx5LTAxMjM0NTY3ODk=";
        };
        """

    /// Writes the three examples and the secret files they name into `directory`.
    static func write(into directory: ConfigTestDirectory) throws {
        try directory.write(locus, to: "locus.toml", mode: 0o644)
        try directory.write(inventory, to: "inventory.toml", mode: 0o644)
        try directory.write(mapServer, to: "mapserver.toml", mode: 0o644)
        try directory.write("shared-secret-dc-east\n", to: "keys/dc-east.key", mode: 0o640)
        try directory.write(bindKeyBlock, to: "keys/ddns.key", mode: 0o600)
    }
}

@Suite("Config examples of CONFIG.md")
struct ConfigExampleTests {
    @Test func locusExampleGivesItsValues() throws {
        let config = try LocusConfig.parse(
            ConfigExamples.locus,
            file: "/etc/locus/locus.toml",
            directories: testDirectories
        )
        #expect(config.name == "prod-east")
        #expect(config.pollInterval == .seconds(5))
        #expect(config.historyKeep == .seconds(90 * 86_400))
        #expect(config.store == .sqlite(path: "/var/lib/locus/locus.sqlite"))

        #expect(
            config.sites == [
                SiteConfig(
                    name: "dc-east",
                    rlocs: [IPAddress("127.0.1.1")!, IPAddress("127.0.1.2")!],
                    hosts: ["kvm-east-1"],
                    line: 10
                )
            ]
        )

        let mapping = try #require(config.mappings.first)
        #expect(config.mappings.count == 1)
        #expect(mapping.name == "mr-1")
        #expect(mapping.resolver == Endpoint(host: "127.0.0.1", port: 4342))
        #expect(mapping.subscribe)
        #expect(mapping.maxAge == .seconds(60))
        #expect(mapping.registrationsAPI == "http://127.0.0.1:9442")
        #expect(
            mapping.registration
                == MappingRegistration(
                    mapServer: Endpoint(host: "127.0.0.1", port: 4342),
                    keyID: 1,
                    algorithm: .hmacSHA256,
                    keyFile: SecretFileReference(path: "/etc/locus/keys/dc-east.key", format: .sharedKey, line: 25)
                )
        )
        #expect(mapping.line == 15)

        #expect(
            config.inventories == [
                InventorySourceConfig(name: "main", kind: .file(path: "/etc/locus/inventory.toml"), line: 27)
            ]
        )
        #expect(
            config.dnsServers == [
                DNSServerConfig(
                    name: "corp",
                    server: Endpoint(host: "127.0.0.1", port: 5353),
                    tsig: TSIGKeyConfig(
                        keyName: "ddns-key",
                        algorithm: .hmacSHA256,
                        keyFile: SecretFileReference(path: "/etc/locus/keys/ddns.key", format: .tsigKey, line: 41)
                    ),
                    ttlThreshold: .seconds(300),
                    line: 36
                )
            ]
        )
        #expect(
            config.loadBalancers == [
                LoadBalancerConfig(
                    name: "edge",
                    kind: .haproxy,
                    runtimeAPI: .tcp(Endpoint(host: "127.0.0.1", port: 9999)),
                    line: 44
                )
            ]
        )
        #expect(
            config.migration
                == MigrationConfig(
                    mover: ["virsh", "migrate", "--live", "{workload}", "qemu+ssh://{dest_host}/system"],
                    verifyDeadline: .seconds(120),
                    line: 49
                )
        )
        #expect(
            config.approvals
                == ApprovalsConfig(
                    approvers: ["ops1", "ops2"],
                    fourEyes: true,
                    expireAfter: .seconds(4 * 3600),
                    maintenanceWindow: nil,
                    line: 54
                )
        )
        #expect(config.secretFiles.map(\.path) == ["/etc/locus/keys/dc-east.key", "/etc/locus/keys/ddns.key"])
    }

    @Test func inventoryExampleGivesItsValues() throws {
        let references = InventoryReferences(sites: ["dc-east"], dnsServers: ["corp"], loadBalancers: ["edge"])
        let inventory = try InventoryFile.parse(
            ConfigExamples.inventory,
            file: "inventory.toml",
            references: references
        )
        let workload = try #require(inventory.workloads.first)
        #expect(inventory.workloads.count == 1)
        #expect(workload.name == "web-07")
        #expect(workload.eid == (try IPPrefix(parsing: "10.1.0.7/32")))
        #expect(workload.iid == 0)
        #expect(workload.site == "dc-east")
        #expect(workload.address == IPAddress("10.1.0.7"))
        #expect(workload.mac?.description == "52:54:00:aa:00:07")
        #expect(workload.host == "kvm-east-3")
        #expect(workload.owner == "web-team")
        #expect(workload.tags == ["prod", "web"])
        #expect(workload.line == 1)
        #expect(
            workload.dependencies == [
                .dns(DNSDependencySpec(name: "web.app.test", server: "corp", ptr: true, line: 12)),
                .loadBalancer(
                    LoadBalancerDependencySpec(balancer: "edge", backend: "be_web", server: "web07", port: 80, line: 18)
                ),
                .tcp(TCPDependencySpec(target: Endpoint(host: "127.0.2.10", port: 636), role: .auth, line: 25)),
            ]
        )
    }

    @Test func mapServerExampleGivesItsValues() throws {
        let config = try MapServerConfig.parse(ConfigExamples.mapServer, file: "/srv/ms/mapserver.toml")
        #expect(config.listen == Endpoint(host: "127.0.0.1", port: 4342))
        #expect(config.api == Endpoint(host: "127.0.0.1", port: 9442))
        #expect(config.registrationTimeout == .seconds(180))
        #expect(
            config.sites == [
                MapServerSite(
                    name: "dc-east",
                    keyID: 1,
                    algorithm: .hmacSHA256,
                    keyFile: SecretFileReference(path: "/srv/ms/keys/dc-east.key", format: .sharedKey, line: 9),
                    iid: 0,
                    prefixes: [try IPPrefix(parsing: "10.1.0.0/16")],
                    acceptMoreSpecifics: true,
                    line: 5
                )
            ]
        )
    }

    @Test func mapServerLimitsHaveDefaultsAndCanBeSet() throws {
        let defaults = try MapServerConfig.parse(ConfigExamples.mapServer, file: "/srv/ms/mapserver.toml")
        #expect(defaults.maxSubscriptions == 1_000_000 && defaults.maxSubscriptionsPerSubscriber == 100_000)
        #expect(defaults.subscriptionLifetime == .seconds(86_400))
        #expect(defaults.apiIdleTimeout == .seconds(30) && defaults.apiMaxConnections == 64)
        let text = """
            listen = "127.0.0.1:4342"
            max_subscriptions = 5000
            max_subscriptions_per_subscriber = 50
            subscription_lifetime = "48h"
            api_idle_timeout = "5s"
            api_max_connections = 8
            """
        let set = try MapServerConfig.parse(text, file: "/srv/ms/mapserver.toml")
        #expect(set.maxSubscriptions == 5000 && set.maxSubscriptionsPerSubscriber == 50)
        #expect(set.subscriptionLifetime == .seconds(48 * 3600))
        #expect(set.apiIdleTimeout == .seconds(5) && set.apiMaxConnections == 8)
    }

    @Test func examplesLoadTogetherFromFilesWithTheirSecrets() throws {
        let directory = try ConfigTestDirectory()
        defer { directory.remove() }
        try ConfigExamples.write(into: directory)

        let loaded = try ConfigLoader.load(file: directory.path + "/locus.toml", directories: testDirectories)
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.workloadCount == 1)
        #expect(loaded.inventories["main"]?.file == directory.path + "/inventory.toml")
        #expect(try ConfigLoader.readSharedKey(at: directory.path + "/keys/dc-east.key") == "shared-secret-dc-east")
        let tsig = try ConfigLoader.readTSIGKey(at: directory.path + "/keys/ddns.key")
        #expect(tsig.keyName == "ddns-key")
        #expect(String(decoding: tsig.secret, as: UTF8.self) == "secret-for-tests-only-0123456789")

        let (mapServer, warnings) = try ConfigLoader.loadMapServer(file: directory.path + "/mapserver.toml")
        #expect(warnings.isEmpty)
        #expect(mapServer.sites.first?.keyFile.path == directory.path + "/keys/dc-east.key")

        let check = ConfigCheck.run(configFile: directory.path + "/locus.toml", directories: testDirectories)
        #expect(check.exitCode == 0)
        #expect(check.diagnostics.isEmpty)
        #expect(check.summary == "\(directory.path)/locus.toml: prod-east: 1 site, 1 mapping, 1 inventory, 1 workload")
    }
}
