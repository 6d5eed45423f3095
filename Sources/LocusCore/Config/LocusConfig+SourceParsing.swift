extension LocusConfigParser {
    // MARK: - Inventories

    static let inventoryKindKeys: [String: [String]] = [
        "file": ["path"],
        "ovf": ["directory", "site_of_network", "address_property"],
        "libvirt": ["uri", "site"],
    ]

    mutating func parseInventory(_ table: TOMLTable, siteNames: [String]) -> InventorySourceConfig? {
        let context = "[[inventory]]"
        let name = reader.name("name", in: table, required: context)
        guard let kindValue = reader.require("kind", in: table, context: context),
            let kindText = reader.string(kindValue, named: "kind")
        else {
            reader.checkKeys(of: table, allowed: ["name", "kind"] + Self.inventoryKindKeys.values.joined())
            return nil
        }
        guard let kindKeys = Self.inventoryKindKeys[kindText] else {
            reader.checkKeys(of: table, allowed: ["name", "kind"] + Self.inventoryKindKeys.values.joined())
            let known = ["file", "ovf", "libvirt"]
            reader.error(
                line: kindValue.line,
                "kind: unknown inventory kind \"\(kindText)\" (expected \(known.joinedAsChoice))"
            )
            return nil
        }
        var foreign: [String: String] = [:]
        for (otherKind, keys) in Self.inventoryKindKeys.sorted(by: { $0.key < $1.key }) where otherKind != kindText {
            for key in keys where !kindKeys.contains(key) && foreign[key] == nil {
                foreign[key] =
                    "does not apply to an inventory of kind \"\(kindText)\" (it is a key of kind \"\(otherKind)\")"
            }
        }
        reader.checkKeys(of: table, allowed: ["name", "kind"] + kindKeys, foreign: foreign)

        let kind: InventoryKind?
        switch kindText {
        case "file":
            kind = path("path", in: table, context: "[[inventory]] of kind \"file\"").map { .file(path: $0) }
        case "ovf":
            kind = parseOVF(table, siteNames: siteNames)
        default:
            let context = "[[inventory]] of kind \"libvirt\""
            let uri = reader.name("uri", in: table, required: context)
            let site = siteReference("site", in: table, context: context, siteNames: siteNames)
            if let uri, let site { kind = .libvirt(uri: uri, site: site) } else { kind = nil }
        }
        guard let name, let kind else { return nil }
        return InventorySourceConfig(name: name, kind: kind, line: table.line)
    }

    mutating func parseOVF(_ table: TOMLTable, siteNames: [String]) -> InventoryKind? {
        let context = "[[inventory]] of kind \"ovf\""
        let directory = path("directory", in: table, context: context)
        var siteOfNetwork: [String: String]?
        if let value = reader.require("site_of_network", in: table, context: context) {
            if let networks = value.table {
                var result: [String: String] = [:]
                for network in networks.keys {
                    guard let siteValue = networks[network] else { continue }
                    let key = "site_of_network.\"\(network)\""
                    if let site = reader.string(siteValue, named: key),
                        reader.checkReference(site, line: siteValue.line, key: key, what: "site", known: siteNames)
                    {
                        result[network] = site
                    }
                }
                siteOfNetwork = result
            } else {
                reader.typeMismatch(
                    value,
                    named: "site_of_network",
                    expected: "table, like { \"VM Network\" = \"dc-east\" }"
                )
            }
        }
        let addressProperty = reader.name("address_property", in: table)
        guard let directory, let siteOfNetwork else { return nil }
        return .ovf(directory: directory, siteOfNetwork: siteOfNetwork, addressProperty: addressProperty)
    }

    /// A required path, resolved against the directory of the config file.
    mutating func path(_ key: String, in table: TOMLTable, context: String) -> String? {
        guard let text = reader.name(key, in: table, required: context) else { return nil }
        return ConfigPaths.resolve(text, relativeTo: file)
    }

    mutating func siteReference(_ key: String, in table: TOMLTable, context: String, siteNames: [String]) -> String? {
        guard let site = reader.string(key, in: table, required: context),
            reader.checkReference(site, line: table[key]?.line ?? table.line, key: key, what: "site", known: siteNames)
        else { return nil }
        return site
    }

    // MARK: - DNS servers and load balancers

    mutating func parseDNSServer(_ table: TOMLTable) -> DNSServerConfig? {
        let context = "[[dns]]"
        reader.checkKeys(
            of: table,
            allowed: ["name", "server", "tsig_key_name", "tsig_algorithm", "tsig_key_file", "ttl_threshold", "zone"]
        )
        let name = reader.name("name", in: table, required: context)
        let server = reader.endpoint("server", in: table, required: context)
        let ttlThreshold = reader.duration("ttl_threshold", in: table, default: DNSServerConfig.defaultTTLThreshold)
        var tsig: TSIGKeyConfig?
        if reader.checkGroup(["tsig_key_name", "tsig_algorithm", "tsig_key_file"], in: table, context: context) {
            let keyName = reader.name("tsig_key_name", in: table)
            let algorithm = parseTSIGAlgorithm(table)
            let keyFile = parseSecretFile("tsig_key_file", in: table, format: .tsigKey, required: nil)
            if let keyName, let algorithm, let keyFile {
                tsig = TSIGKeyConfig(keyName: keyName, algorithm: algorithm, keyFile: keyFile)
            }
        }
        let zone = reader.name("zone", in: table)
        guard let name, let server else { return nil }
        return DNSServerConfig(
            name: name,
            server: server,
            tsig: tsig,
            ttlThreshold: ttlThreshold,
            zone: zone,
            line: table.line
        )
    }

    mutating func parseTSIGAlgorithm(_ table: TOMLTable) -> TSIGAlgorithm? {
        guard let value = table["tsig_algorithm"],
            let text = reader.string(value, named: "tsig_algorithm")
        else { return nil }
        guard let algorithm = TSIGAlgorithm(rawValue: text.lowercased()) else {
            let known = TSIGAlgorithm.allCases.map(\.rawValue)
            reader.error(
                line: value.line,
                "tsig_algorithm: unknown algorithm \"\(text)\" (expected \(known.joinedAsChoice))"
            )
            return nil
        }
        return algorithm
    }

    mutating func parseLoadBalancer(_ table: TOMLTable) -> LoadBalancerConfig? {
        let context = "[[loadbalancer]]"
        reader.checkKeys(of: table, allowed: ["name", "kind", "runtime_api"])
        let name = reader.name("name", in: table, required: context)
        var kind: LoadBalancerConfig.Kind?
        if let value = reader.require("kind", in: table, context: context),
            let text = reader.string(value, named: "kind")
        {
            kind = LoadBalancerConfig.Kind(rawValue: text)
            if kind == nil {
                let known = LoadBalancerConfig.Kind.allCases.map(\.rawValue)
                reader.error(
                    line: value.line,
                    "kind: unknown loadbalancer kind \"\(text)\" (expected \(known.joinedAsChoice))"
                )
            }
        }
        let runtimeAPI = parseRuntimeAPI(table, context: context)
        guard let name, let kind, let runtimeAPI else { return nil }
        return LoadBalancerConfig(name: name, kind: kind, runtimeAPI: runtimeAPI, line: table.line)
    }

    mutating func parseRuntimeAPI(_ table: TOMLTable, context: String) -> RuntimeAPIAddress? {
        guard let value = reader.require("runtime_api", in: table, context: context),
            let text = reader.string(value, named: "runtime_api")
        else { return nil }
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard !path.isEmpty else {
                reader.error(
                    line: value.line,
                    "runtime_api: \"unix:\" needs a socket path, like \"unix:/run/haproxy/admin.sock\""
                )
                return nil
            }
            return .unix(path: ConfigPaths.resolve(path, relativeTo: file))
        }
        return reader.endpoint(text, line: value.line, named: "runtime_api").map { .tcp($0) }
    }

    // MARK: - Migration and approvals

    mutating func parseMigration(_ table: TOMLTable) -> MigrationConfig? {
        reader.checkKeys(
            of: table,
            allowed: ["mover", "mover_timeout", "max_running", "verify_deadline", "runner_lease", "start"]
        )
        var startsOnApproval = true
        if let value = table["start"] {
            switch value.string {
            case "approval": startsOnApproval = true
            case "manual": startsOnApproval = false
            default:
                reader.error(
                    line: value.line,
                    "start: expected \"approval\" (the last approval starts the runner) or \"manual\" "
                        + "(`locus migrate run ID` does)"
                )
            }
        }
        let runnerLease = reader.duration("runner_lease", in: table, default: MigrationConfig.defaultRunnerLease)
        if runnerLease < .seconds(3), let value = table["runner_lease"] {
            reader.error(line: value.line, "runner_lease: give at least \"3s\" (the runner renews it every third)")
        }
        let verifyDeadline = reader.duration(
            "verify_deadline",
            in: table,
            default: MigrationConfig.defaultVerifyDeadline
        )
        let moverTimeout = reader.duration("mover_timeout", in: table, default: MigrationConfig.defaultMoverTimeout)
        let maxRunning = reader.integer("max_running", in: table, range: 1...1000).map(Int.init)
        guard let mover = parseMover(table) else { return nil }
        return MigrationConfig(
            mover: mover,
            moverTimeout: moverTimeout,
            maxRunning: maxRunning ?? MigrationConfig.defaultMaxRunning,
            verifyDeadline: verifyDeadline,
            runnerLease: max(runnerLease, .seconds(3)),
            startsOnApproval: startsOnApproval,
            line: table.line
        )
    }

    /// `mover`: an argv, or a string split on whitespace; every placeholder must be known.
    private mutating func parseMover(_ table: TOMLTable) -> [String]? {
        guard let value = reader.require("mover", in: table, context: "[migration]") else { return nil }
        var argv: [String] = []
        if let text = value.string {
            argv = text.split(whereSeparator: \.isWhitespace).map(String.init)
        } else if let elements = value.array {
            for (index, element) in elements.enumerated() {
                if let argument = reader.string(element, named: "mover[\(index)]") { argv.append(argument) }
            }
        } else {
            reader.error(line: value.line, "mover: expected an array of strings (argv) or a string")
            return nil
        }
        guard !argv.isEmpty else {
            reader.error(line: value.line, "mover: the command is empty")
            return nil
        }
        for placeholder in argv.flatMap(Self.placeholders(in:))
        where !MigrationConfig.placeholders.contains(placeholder) {
            let known = MigrationConfig.placeholders.map { "{\($0)}" }
            reader.error(
                line: value.line,
                "mover: unknown placeholder {\(placeholder)} (known: \(known.joined(separator: " ")))"
            )
        }
        return argv
    }

    static func placeholders(in command: String) -> [String] {
        var result: [String] = []
        var rest = Substring(command)
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest[rest.index(after: open)...]
            guard let close = afterOpen.firstIndex(of: "}") else { break }
            result.append(String(afterOpen[..<close]))
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        return result
    }

    mutating func parseApprovals(_ table: TOMLTable) -> ApprovalsConfig {
        reader.checkKeys(of: table, allowed: ["approvers", "four_eyes", "expire_after", "maintenance_window"])
        var approvers: [(name: String, line: Int)] = []
        for (index, value) in (reader.array("approvers", in: table) ?? []).enumerated() {
            if let login = reader.string(value, named: "approvers[\(index)]") { approvers.append((login, value.line)) }
        }
        reader.checkUnique(approvers, what: "approver")
        return ApprovalsConfig(
            approvers: approvers.map(\.name),
            fourEyes: reader.bool("four_eyes", in: table, default: false),
            expireAfter: reader.duration("expire_after", in: table, default: ApprovalsConfig.defaultExpireAfter),
            maintenanceWindow: reader.maintenanceWindow("maintenance_window", in: table),
            line: table.line
        )
    }
}
