extension LocusConfig {
    /// The top-level keys and tables of `locus.toml`.
    public static let keys = [
        "name", "poll_interval", "history_keep", "store", "store_password_file", "site", "mapping", "inventory", "dns",
        "loadbalancer",
        "firewall", "migration",
        "approvals",
    ]

    /// Parses the text of `locus.toml`. Pure: reads no files. Relative paths are resolved against
    /// the directory of `file`; `directories` gives the default store.
    ///
    /// - Throws: every problem of the file, in line order.
    public static func parse(
        _ text: String,
        file: String,
        directories: XDGDirectories
    ) throws(ConfigErrors) -> LocusConfig {
        let root = try parseTOML(text, file: file)
        var parser = LocusConfigParser(file: file, directories: directories)
        let config = parser.parse(root)
        guard parser.reader.errors.isEmpty, let config else { throw ConfigErrors(parser.reader.sortedErrors) }
        return config
    }
}

/// Turns the single syntax error the TOML parser reports into a `FILE:LINE` error.
func parseTOML(_ text: String, file: String) throws(ConfigErrors) -> TOMLTable {
    do {
        return try TOML.parse(text)
    } catch {
        throw ConfigErrors([
            ConfigError(file: file, line: error.line, message: "\(error.message) (column \(error.column))")
        ])
    }
}

struct LocusConfigParser {
    var reader: ConfigReader
    let file: String
    let directories: XDGDirectories

    init(file: String, directories: XDGDirectories) {
        self.reader = ConfigReader(file: file)
        self.file = file
        self.directories = directories
    }

    mutating func parse(_ root: TOMLTable) -> LocusConfig? {
        reader.checkKeys(of: root, allowed: LocusConfig.keys)
        let name = reader.name("name", in: root, required: "the file")
        let pollInterval = reader.duration("poll_interval", in: root, default: LocusConfig.defaultPollInterval)
        let historyKeep = parseHistoryKeep(root)
        let store = parseStore(root)
        let storePasswordFile = parseStorePasswordFile(root, store: store)

        let siteTables = reader.tableArray("site", in: root)
        let sites = siteTables.compactMap { parseSite($0) }
        reader.checkUniqueNames(of: siteTables, what: "site name")
        checkLocatorsUnique(sites)

        let mappingTables = reader.tableArray("mapping", in: root)
        let mappings = mappingTables.compactMap { parseMapping($0) }
        reader.checkUniqueNames(of: mappingTables, what: "mapping name")

        let siteNames = sites.map(\.name)
        let inventoryTables = reader.tableArray("inventory", in: root)
        let inventories = inventoryTables.compactMap { parseInventory($0, siteNames: siteNames) }
        reader.checkUniqueNames(of: inventoryTables, what: "inventory name")

        let dnsTables = reader.tableArray("dns", in: root)
        let dnsServers = dnsTables.compactMap { parseDNSServer($0) }
        reader.checkUniqueNames(of: dnsTables, what: "dns name")

        let loadBalancerTables = reader.tableArray("loadbalancer", in: root)
        let loadBalancers = loadBalancerTables.compactMap { parseLoadBalancer($0) }
        reader.checkUniqueNames(of: loadBalancerTables, what: "loadbalancer name")

        let firewallTables = reader.tableArray("firewall", in: root)
        let firewalls = firewallTables.compactMap { parseFirewall($0) }
        reader.checkUniqueNames(of: firewallTables, what: "firewall name")

        let migration = reader.table("migration", in: root).flatMap { parseMigration($0) }
        let approvals = reader.table("approvals", in: root).map { parseApprovals($0) } ?? ApprovalsConfig()

        guard let name else { return nil }
        return LocusConfig(
            file: file,
            name: name,
            pollInterval: pollInterval,
            historyKeep: historyKeep,
            store: store,
            sites: sites,
            mappings: mappings,
            inventories: inventories,
            dnsServers: dnsServers,
            loadBalancers: loadBalancers,
            firewalls: firewalls,
            migration: migration,
            approvals: approvals,
            storePasswordFile: storePasswordFile
        )
    }

    /// `history_keep`: at least an hour, so that the moves the flapping rule counts are never pruned.
    mutating func parseHistoryKeep(_ root: TOMLTable) -> Duration {
        let keep = reader.duration("history_keep", in: root, default: LocusConfig.defaultHistoryKeep)
        guard keep < LocusConfig.minimumHistoryKeep, let value = root["history_keep"] else { return keep }
        reader.error(
            line: value.line,
            "history_keep: keep at least \(LocusConfig.minimumHistoryKeep.configText) of history, got \"\(keep.configText)\""
        )
        return LocusConfig.defaultHistoryKeep
    }

    // MARK: - Store

    mutating func parseStore(_ root: TOMLTable) -> StoreLocation {
        guard let value = root["store"], let text = reader.string(value, named: "store") else {
            return directories.defaultStore
        }
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                reader.error(line: value.line, "store: \"sqlite:\" needs a path, like \"sqlite:locus.sqlite\"")
                return directories.defaultStore
            }
            return .sqlite(path: ConfigPaths.resolve(path, relativeTo: file))
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            return .postgres(url: text)
        }
        reader.error(line: value.line, "store: expected \"sqlite:PATH\" or a postgres:// URL, got \"\(text)\"")
        return directories.defaultStore
    }

    /// Only a PostgreSQL login has a password; naming one for a SQLite store is a mistake worth saying.
    mutating func parseStorePasswordFile(_ root: TOMLTable, store: StoreLocation) -> SecretFileReference? {
        guard let reference = parseSecretFile("store_password_file", in: root, format: .password, required: nil)
        else { return nil }
        if case .sqlite = store {
            reader.error(
                line: reference.line,
                "store_password_file: only a postgres:// store logs in with a password; remove it or set store"
            )
            return nil
        }
        return reference
    }

    // MARK: - Sites

    mutating func parseSite(_ table: TOMLTable) -> SiteConfig? {
        let context = "[[site]]"
        reader.checkKeys(of: table, allowed: ["name", "rlocs", "hosts", "probe_port"])
        let name = reader.name("name", in: table, required: context)
        var rlocs: [IPAddress] = []
        for (index, element) in (reader.array("rlocs", in: table, required: context) ?? []).enumerated() {
            if let address = reader.address(element, named: "rlocs[\(index)]") { rlocs.append(address) }
        }
        let hosts = reader.stringArray("hosts", in: table) ?? []
        let probePort = reader.integer("probe_port", in: table, range: 1...65535).map(Int.init)
        guard let name else { return nil }
        return SiteConfig(
            name: name,
            rlocs: rlocs,
            hosts: hosts,
            probePort: probePort ?? SiteConfig.defaultProbePort,
            line: table.line
        )
    }

    /// A locator in two sites would make the site of a mapping ambiguous.
    mutating func checkLocatorsUnique(_ sites: [SiteConfig]) {
        var owner: [IPAddress: SiteConfig] = [:]
        for site in sites {
            var seen: Set<IPAddress> = []
            for rloc in site.rlocs where seen.insert(rloc).inserted {
                if let first = owner[rloc] {
                    reader.error(
                        line: site.line,
                        "site \"\(site.name)\": RLOC \(rloc) already belongs to site \"\(first.name)\" (line \(first.line))"
                    )
                } else {
                    owner[rloc] = site
                }
            }
        }
    }

    // MARK: - Mappings

    mutating func parseMapping(_ table: TOMLTable) -> MappingConfig? {
        let context = "[[mapping]]"
        reader.checkKeys(
            of: table,
            allowed: [
                "name", "resolver", "subscribe", "max_age", "registrations_api", "map_server", "key_id", "algorithm",
                "key_file",
            ]
        )
        let name = reader.name("name", in: table, required: context)
        let resolver = reader.endpoint("resolver", in: table, required: context)
        let subscribe = reader.bool("subscribe", in: table, default: false)
        let maxAge = reader.duration("max_age", in: table, default: MappingConfig.defaultMaxAge)
        let registrationsAPI = parseHTTPURL("registrations_api", in: table)
        let registration = parseRegistration(table, context: context)
        guard let name, let resolver else { return nil }
        return MappingConfig(
            name: name,
            resolver: resolver,
            subscribe: subscribe,
            maxAge: maxAge,
            registrationsAPI: registrationsAPI,
            registration: registration,
            line: table.line
        )
    }

    mutating func parseRegistration(_ table: TOMLTable, context: String) -> MappingRegistration? {
        let keys = ["map_server", "key_id", "algorithm", "key_file"]
        guard reader.checkGroup(keys, in: table, context: context) else { return nil }
        let mapServer = reader.endpoint("map_server", in: table)
        let keyID = reader.integer("key_id", in: table, range: 0...65535)
        let algorithm = parseAuthenticationAlgorithm(table, required: nil)
        let keyFile = parseSecretFile("key_file", in: table, format: .sharedKey, required: nil)
        guard let mapServer, let keyID, let algorithm, let keyFile else { return nil }
        return MappingRegistration(mapServer: mapServer, keyID: UInt16(keyID), algorithm: algorithm, keyFile: keyFile)
    }

    mutating func parseAuthenticationAlgorithm(
        _ table: TOMLTable,
        required context: String?
    ) -> AuthenticationAlgorithm? {
        guard let value = context.map({ reader.require("algorithm", in: table, context: $0) }) ?? table["algorithm"],
            let text = reader.string(value, named: "algorithm")
        else { return nil }
        guard let algorithm = AuthenticationAlgorithm(rawValue: text) else {
            let known = AuthenticationAlgorithm.allCases.map(\.rawValue)
            reader.error(
                line: value.line,
                "algorithm: unknown algorithm \"\(text)\" (expected \(known.joinedAsChoice))"
            )
            return nil
        }
        return algorithm
    }

    mutating func parseSecretFile(
        _ key: String,
        in table: TOMLTable,
        format: SecretFileReference.Format,
        required context: String?
    ) -> SecretFileReference? {
        guard let value = context.map({ reader.require(key, in: table, context: $0) }) ?? table[key],
            let path = reader.string(value, named: key)
        else { return nil }
        guard !path.isEmpty else {
            reader.error(line: value.line, "\(key): must name a file")
            return nil
        }
        return SecretFileReference(path: ConfigPaths.resolve(path, relativeTo: file), format: format, line: value.line)
    }

    /// An `http://` or `https://` URL with a host, kept as written.
    mutating func parseHTTPURL(_ key: String, in table: TOMLTable) -> String? {
        guard let value = table[key], let text = reader.string(value, named: key) else { return nil }
        for scheme in ["http://", "https://"] where text.hasPrefix(scheme) {
            let authority = text.dropFirst(scheme.count).prefix { $0 != "/" }
            let hasPort = authority.last.map(\.isASCIIDigit) ?? false && authority.contains(":")
            if hasPort, reader.endpoint(String(authority), line: value.line, named: key) == nil { return nil }
            if !authority.isEmpty { return text }
        }
        reader.error(
            line: value.line,
            "\(key): expected an http:// URL, like \"http://127.0.0.1:9442\", got \"\(text)\""
        )
        return nil
    }
}

extension Array where Element == String {
    /// `a`, `a and b`, `a, b and c`.
    var joinedAsList: String {
        guard count > 1 else { return first ?? "" }
        return dropLast().joined(separator: ", ") + " and " + last!
    }

    /// `a`, `a or b`, `a, b or c` — for "expected …" messages.
    var joinedAsChoice: String {
        guard count > 1 else { return first ?? "" }
        return dropLast().joined(separator: ", ") + " or " + last!
    }
}
