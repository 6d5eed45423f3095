extension MapServerConfig {
    public static let keys = [
        "listen", "api", "registration_timeout", "site", "max_subscriptions", "max_subscriptions_per_subscriber",
        "subscription_lifetime", "api_idle_timeout", "api_max_connections",
    ]
    /// Locus renews its own subscriptions every 12 hours; a shorter lifetime would end them unseen.
    public static let minimumSubscriptionLifetime: Duration = .seconds(13 * 3600)
    public static let siteKeys = [
        "name", "key_id", "algorithm", "key_file", "iid", "prefixes", "accept_more_specifics",
    ]

    /// Parses the text of a `mapserver.toml`. Pure: reads no files; `key_file` paths are
    /// resolved against the directory of `file`.
    ///
    /// - Throws: every problem of the file, in line order.
    public static func parse(_ text: String, file: String) throws(ConfigErrors) -> MapServerConfig {
        let root = try parseTOML(text, file: file)
        // The mapping-config parser knows algorithms and key files; only its reader is used here.
        var parser = LocusConfigParser(file: file, directories: XDGDirectories(environment: [:]))
        parser.reader.checkKeys(of: root, allowed: keys)
        let listen = parser.reader.endpoint("listen", in: root, required: "the file")
        let api = parser.reader.endpoint("api", in: root)
        let timeout = parser.reader.duration("registration_timeout", in: root, default: defaultRegistrationTimeout)
        let siteTables = parser.reader.tableArray("site", in: root)
        let sites = siteTables.compactMap { parser.parseMapServerSite($0) }
        parser.reader.checkUniqueNames(of: siteTables, what: "site name")
        parser.checkPrefixesUnique(sites)
        var config = MapServerConfig(file: file, listen: listen ?? Endpoint(host: "", port: 0), api: api)
        config.registrationTimeout = timeout
        config.sites = sites
        let counts = 1...Int64(Int32.max)
        if let total = parser.reader.integer("max_subscriptions", in: root, range: counts) {
            config.maxSubscriptions = Int(total)
        }
        if let each = parser.reader.integer("max_subscriptions_per_subscriber", in: root, range: counts) {
            config.maxSubscriptionsPerSubscriber = Int(each)
        }
        config.subscriptionLifetime = parser.reader.duration(
            "subscription_lifetime",
            in: root,
            default: config.subscriptionLifetime
        )
        if config.subscriptionLifetime < minimumSubscriptionLifetime, let value = root["subscription_lifetime"] {
            parser.reader.error(
                line: value.line,
                "subscription_lifetime: at least 13h, since Locus dashboards renew their subscriptions every 12h; "
                    + "got \(value.string ?? "")"
            )
        }
        config.apiIdleTimeout = parser.reader.duration("api_idle_timeout", in: root, default: config.apiIdleTimeout)
        if let connections = parser.reader.integer("api_max_connections", in: root, range: 1...65_536) {
            config.apiMaxConnections = Int(connections)
        }
        guard parser.reader.errors.isEmpty, listen != nil else { throw ConfigErrors(parser.reader.sortedErrors) }
        return config
    }
}

extension LocusConfigParser {
    mutating func parseMapServerSite(_ table: TOMLTable) -> MapServerSite? {
        let context = "[[site]]"
        reader.checkKeys(of: table, allowed: MapServerConfig.siteKeys)
        let name = reader.name("name", in: table, required: context)
        let keyID = reader.integer("key_id", in: table, range: 0...65535, required: context)
        let algorithm = parseAuthenticationAlgorithm(table, required: context)
        let keyFile = parseSecretFile("key_file", in: table, format: .sharedKey, required: context)
        let iid = reader.integer("iid", in: table, range: 0...Int64(InventoryWorkload.maximumIID)) ?? 0
        var prefixes: [IPPrefix] = []
        for (index, element) in (reader.array("prefixes", in: table, required: context) ?? []).enumerated() {
            if let prefix = reader.prefix(element, named: "prefixes[\(index)]") { prefixes.append(prefix) }
        }
        let acceptMoreSpecifics = reader.bool("accept_more_specifics", in: table, default: false)
        guard let name, let keyID, let algorithm, let keyFile else { return nil }
        return MapServerSite(
            name: name,
            keyID: UInt16(keyID),
            algorithm: algorithm,
            keyFile: keyFile,
            iid: UInt32(iid),
            prefixes: prefixes,
            acceptMoreSpecifics: acceptMoreSpecifics,
            line: table.line
        )
    }

    /// One prefix in two sites would let either site's key register the other's EIDs — which is exactly
    /// what VM mobility needs: a moved workload keeps its EID and the destination site registers its
    /// host route. That is allowed only where every site listing the prefix accepts more-specifics.
    mutating func checkPrefixesUnique(_ sites: [MapServerSite]) {
        var owner: [String: MapServerSite] = [:]
        for site in sites {
            var seen: Set<IPPrefix> = []
            for prefix in site.prefixes where seen.insert(prefix).inserted {
                let key = "\(site.iid) \(prefix)"
                if let first = owner[key] {
                    if first.acceptMoreSpecifics && site.acceptMoreSpecifics { continue }
                    reader.error(
                        line: site.line,
                        "site \"\(site.name)\": prefix \(prefix) in iid \(site.iid) already belongs to site "
                            + "\"\(first.name)\" (line \(first.line)); list it in several sites only with "
                            + "accept_more_specifics = true in each"
                    )
                } else {
                    owner[key] = site
                }
            }
        }
    }
}
