import Testing

@testable import LocusCore

@Suite("Config values")
struct ConfigValueTests {
    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)),
        ("5s", .seconds(5)),
        ("2m", .seconds(120)),
        ("4h", .seconds(4 * 3600)),
        ("1h30m", .seconds(5400)),
        ("1d", .seconds(86400)),
        ("1m30s250ms", .milliseconds(90_250)),
    ])
    func durationParses(_ text: String, _ expected: Duration) throws {
        #expect(try Duration(configText: text) == expected)
        #expect(expected.configText == text)
    }

    @Test(arguments: ["", "5", "s", "5x", "1.5s", "-5s", "30m1h", "5s5s", "5 s", "99999999999999h"])
    func badDurationIsRefused(_ text: String) {
        #expect(throws: DurationSyntaxError.self) { try Duration(configText: text) }
    }

    @Test func ipAddressesParseAndPrintCanonically() throws {
        #expect(IPAddress("10.1.0.7")?.description == "10.1.0.7")
        #expect(IPAddress("10.1.0.7")?.bytes == [10, 1, 0, 7])
        #expect(IPAddress("2001:DB8:0:0:0:0:0:7")?.description == "2001:db8::7")
        #expect(IPAddress("2001:db8:0:1:0:0:0:7")?.description == "2001:db8:0:1::7")
        #expect(IPAddress("::")?.description == "::")
        #expect(IPAddress("::1")?.isLoopback == true)
        #expect(IPAddress("::ffff:10.1.0.7")?.description == "::ffff:a01:7")
        #expect(IPAddress("2001:db8:1:2:3:4:5:6")?.description == "2001:db8:1:2:3:4:5:6")
        for bad in ["10.1.0", "10.1.0.256", "10.01.0.7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::1", ""] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
        let v6 = try #require(IPAddress("2001:db8::7"))
        #expect(IPAddress(bytes: v6.bytes) == v6)
    }

    @Test func prefixesCheckLengthAndHostBits() throws {
        let prefix = try IPPrefix(parsing: "10.1.0.0/16")
        #expect(prefix.contains(IPAddress("10.1.200.7")!))
        #expect(!prefix.contains(IPAddress("10.2.0.1")!))
        #expect(prefix.contains(try IPPrefix(parsing: "10.1.0.7/32")))
        #expect(try IPPrefix(parsing: "2001:db8::/32").description == "2001:db8::/32")
        #expect(try IPPrefix(parsing: "2001:db8::7/128").length == 128)
        #expect(try IPPrefix(parsing: "0.0.0.0/0").length == 0)
        #expect(throws: AddressSyntaxError.self) { try IPPrefix(parsing: "2001:db8::1/64") }
        #expect(throws: AddressSyntaxError.self) { try IPPrefix(parsing: "2001:db8::/129") }
        #expect(throws: AddressSyntaxError.self) { try IPPrefix(parsing: "10.1.0.7") }
        #expect(throws: AddressSyntaxError.self) { try IPPrefix(parsing: "10.1.0.7/") }
        #expect(IPPrefix(host: IPAddress("10.1.0.7")!).description == "10.1.0.7/32")
    }

    @Test func endpointsParse() throws {
        #expect(try Endpoint(parsing: "127.0.0.1:4342") == Endpoint(host: "127.0.0.1", port: 4342))
        #expect(try Endpoint(parsing: "[::1]:4342") == Endpoint(host: "::1", port: 4342))
        #expect(try Endpoint(parsing: "[::1]:4342").description == "[::1]:4342")
        #expect(try Endpoint(parsing: "ldap.corp.test:636").address == nil)
        for bad in [
            "127.0.0.1", "127.0.0.1:0", "127.0.0.1:x", ":53", "[::1]", "[10.0.0.1]:53", "300.0.0.1:53", "a b:1",
        ] {
            #expect(throws: AddressSyntaxError.self, "\(bad)") { try Endpoint(parsing: bad) }
        }
    }

    @Test func macAddressesParseCaseInsensitively() throws {
        #expect(try MACAddress(parsing: "52:54:00:AA:00:07").description == "52:54:00:aa:00:07")
        #expect(throws: AddressSyntaxError.self) { try MACAddress(parsing: "52-54-00-aa-00-07") }
        #expect(throws: AddressSyntaxError.self) { try MACAddress(parsing: "52:54:00:aa:00:7") }
    }

    @Test func relativePathsResolveAgainstTheDirectoryOfTheFile() {
        #expect(ConfigPaths.resolve("keys/a.key", relativeTo: "/etc/locus/locus.toml") == "/etc/locus/keys/a.key")
        #expect(ConfigPaths.resolve("../shared/a.key", relativeTo: "/etc/locus/locus.toml") == "/etc/shared/a.key")
        #expect(ConfigPaths.resolve("./ovf/", relativeTo: "/etc/locus/locus.toml") == "/etc/locus/ovf")
        #expect(ConfigPaths.resolve("/abs/a.key", relativeTo: "/etc/locus/locus.toml") == "/abs/a.key")
        #expect(ConfigPaths.resolve("a.key", relativeTo: "locus.toml") == "a.key")
        #expect(ConfigPaths.resolve("a.key", relativeTo: "lab/locus.toml") == "lab/a.key")
    }

    @Test func xdgDirectoriesFollowTheSpecification() {
        let explicit = XDGDirectories(environment: [
            "HOME": "/home/op", "XDG_CONFIG_HOME": "/cfg", "XDG_STATE_HOME": "/st",
        ])
        #expect(explicit.defaultConfigFile == "/cfg/locus/locus.toml")
        #expect(explicit.defaultStore == .sqlite(path: "/st/locus/locus.sqlite"))
        let fallback = XDGDirectories(environment: ["HOME": "/home/op", "XDG_STATE_HOME": "relative/ignored"])
        #expect(fallback.defaultConfigFile == "/home/op/.config/locus/locus.toml")
        #expect(fallback.defaultStore == .sqlite(path: "/home/op/.local/state/locus/locus.sqlite"))
    }

    @Test func defaultsApplyWhenKeysAreLeftOut() throws {
        let config = try LocusConfig.parse(
            """
            name = "minimal"
            [[site]]
            name = "dc-east"
            rlocs = ["127.0.1.1"]
            [[mapping]]
            name = "mr-1"
            resolver = "127.0.0.1:4342"
            [[dns]]
            name = "corp"
            server = "127.0.0.1:5353"
            [migration]
            mover = "true"
            """,
            file: "/etc/locus/locus.toml",
            directories: testDirectories
        )
        #expect(config.pollInterval == .seconds(5))
        #expect(config.store == .sqlite(path: "/var/state/op/locus/locus.sqlite"))
        #expect(config.sites.first?.hosts == [])
        let mapping = try #require(config.mappings.first)
        #expect(!mapping.subscribe)
        #expect(mapping.maxAge == .seconds(60))
        #expect(mapping.registrationsAPI == nil)
        #expect(mapping.registration == nil)
        #expect(config.dnsServers.first?.ttlThreshold == .seconds(300))
        #expect(config.dnsServers.first?.tsig == nil)
        #expect(config.migration?.verifyDeadline == .seconds(120))
        #expect(config.approvals == ApprovalsConfig(approvers: [], fourEyes: false, expireAfter: .seconds(14400)))
        #expect(config.inventories.isEmpty && config.loadBalancers.isEmpty)

        let bare = try LocusConfig.parse("name = \"bare\"", file: "locus.toml", directories: testDirectories)
        #expect(bare.migration == nil)
        #expect(bare.approvals.approvers.isEmpty)

        let inventory = try InventoryFile.parse(
            """
            [[workload]]
            name = "db-1"
            eid = "2001:db8::1/128"
            site = "dc-east"
            address = "2001:db8::1"
              [[workload.depends]]
              kind = "dns"
              name = "db.app.test"
              server = "corp"
              [[workload.depends]]
              kind = "tcp"
              target = "[::1]:5432"
            """,
            file: "inventory.toml",
            references: InventoryReferences(config: config)
        )
        let workload = try #require(inventory.workloads.first)
        #expect(workload.iid == 0)
        #expect(workload.mac == nil && workload.host == nil && workload.owner == nil && workload.tags.isEmpty)
        #expect(
            workload.dependencies == [
                .dns(DNSDependencySpec(name: "db.app.test", server: "corp", ptr: false, line: 6)),
                .tcp(TCPDependencySpec(target: Endpoint(host: "::1", port: 5432), role: .other, line: 10)),
            ]
        )

        let mapServer = try MapServerConfig.parse(
            """
            listen = "127.0.0.1:4342"
            [[site]]
            name = "dc-east"
            key_id = 1
            algorithm = "hmac-sha1"
            key_file = "k"
            prefixes = ["10.1.0.0/16"]
            """,
            file: "mapserver.toml"
        )
        #expect(mapServer.api == nil)
        #expect(mapServer.registrationTimeout == .seconds(180))
        #expect(mapServer.sites.first?.iid == 0)
        #expect(mapServer.sites.first?.acceptMoreSpecifics == false)
    }

    @Test func storeAndOtherPathsResolveAgainstTheConfigDirectory() throws {
        let config = try LocusConfig.parse(
            """
            name = "lab"
            store = "sqlite:state/locus.sqlite"
            [[site]]
            name = "dc-east"
            rlocs = []
            [[inventory]]
            name = "ovf"
            kind = "ovf"
            directory = "ovf/"
            site_of_network = { "VM Network" = "dc-east" }
            [[inventory]]
            name = "kvm"
            kind = "libvirt"
            uri = "qemu:///system"
            site = "dc-east"
            [[loadbalancer]]
            name = "edge"
            kind = "haproxy"
            runtime_api = "unix:run/admin.sock"
            """,
            file: "/tmp/lab/locus.toml",
            directories: testDirectories
        )
        #expect(config.store == .sqlite(path: "/tmp/lab/state/locus.sqlite"))
        #expect(
            config.inventories.map(\.kind) == [
                .ovf(directory: "/tmp/lab/ovf", siteOfNetwork: ["VM Network": "dc-east"], addressProperty: nil),
                .libvirt(uri: "qemu:///system", site: "dc-east"),
            ]
        )
        #expect(config.loadBalancers.first?.runtimeAPI == .unix(path: "/tmp/lab/run/admin.sock"))

        let postgres = try LocusConfig.parse(
            "name = \"p\"\nstore = \"postgres://user@host:5432/locus\"",
            file: "/etc/locus/locus.toml",
            directories: testDirectories
        )
        #expect(postgres.store == .postgres(url: "postgres://user@host:5432/locus"))
    }
}
