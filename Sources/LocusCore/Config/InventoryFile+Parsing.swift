/// The names an inventory may refer to, from `locus.toml`.
public struct InventoryReferences: Sendable, Hashable {
    public var sites: [String]
    public var dnsServers: [String]
    public var loadBalancers: [String]
    public var firewalls: [String]

    public init(sites: [String], dnsServers: [String], loadBalancers: [String], firewalls: [String] = []) {
        self.sites = sites
        self.dnsServers = dnsServers
        self.loadBalancers = loadBalancers
        self.firewalls = firewalls
    }

    public init(config: LocusConfig) {
        self.init(
            sites: config.sites.map(\.name),
            dnsServers: config.dnsServers.map(\.name),
            loadBalancers: config.loadBalancers.map(\.name),
            firewalls: config.firewalls.map(\.name)
        )
    }
}

extension InventoryFile {
    public static let workloadKeys = [
        "name", "eid", "iid", "site", "address", "mac", "host", "owner", "tags", "depends",
    ]
    static let dependencyKindKeys: [String: [String]] = [
        "dns": ["name", "server", "ptr"],
        "lb": ["balancer", "backend", "server", "port"],
        "tcp": ["target", "role"],
        "firewall": ["firewall", "set", "rule_comment"],
    ]

    /// Parses the text of an `inventory.toml`. Pure: reads no files.
    ///
    /// - Throws: every problem of the file, in line order, including references to sites,
    ///   DNS servers and load balancers that `references` does not know.
    public static func parse(
        _ text: String,
        file: String,
        references: InventoryReferences
    ) throws(ConfigErrors) -> InventoryFile {
        let root = try parseTOML(text, file: file)
        var parser = InventoryParser(reader: ConfigReader(file: file), references: references)
        let workloads = parser.parse(root)
        guard parser.reader.errors.isEmpty else { throw ConfigErrors(parser.reader.sortedErrors) }
        return InventoryFile(file: file, workloads: workloads)
    }
}

struct InventoryParser {
    var reader: ConfigReader
    let references: InventoryReferences

    mutating func parse(_ root: TOMLTable) -> [InventoryWorkload] {
        reader.checkKeys(of: root, allowed: ["workload"])
        let tables = reader.tableArray("workload", in: root)
        let workloads = tables.compactMap { parseWorkload($0) }
        reader.checkUniqueNames(of: tables, what: "workload name")
        var owners: [String: InventoryWorkload] = [:]
        for workload in workloads {
            let key = "\(workload.iid) \(workload.eid)"
            if let first = owners[key] {
                reader.error(
                    line: workload.line,
                    "workload \"\(workload.name)\": EID \(workload.eid) in iid \(workload.iid) already belongs to "
                        + "\"\(first.name)\" (line \(first.line))"
                )
            } else {
                owners[key] = workload
            }
        }
        return workloads
    }

    mutating func parseWorkload(_ table: TOMLTable) -> InventoryWorkload? {
        let context = "[[workload]]"
        reader.checkKeys(of: table, allowed: InventoryFile.workloadKeys)
        let name = reader.name("name", in: table, required: context)
        let eid = reader.require("eid", in: table, context: context).flatMap { reader.prefix($0, named: "eid") }
        let iid = reader.integer("iid", in: table, range: 0...Int64(InventoryWorkload.maximumIID)) ?? 0
        let site = reader.string("site", in: table, required: context).flatMap { site in
            reader.checkReference(
                site,
                line: table["site"]?.line ?? table.line,
                key: "site",
                what: "site",
                known: references.sites
            )
                ? site : nil
        }
        let address = reader.require("address", in: table, context: context).flatMap {
            reader.address($0, named: "address")
        }
        let mac = parseMAC(table)
        let host = reader.name("host", in: table)
        let owner = reader.name("owner", in: table)
        let tags = reader.stringArray("tags", in: table) ?? []
        let dependencies = reader.tableArray("depends", in: table).compactMap { parseDependency($0) }
        guard let name, let eid, let site, let address else { return nil }
        return InventoryWorkload(
            name: name,
            eid: eid,
            iid: UInt32(iid),
            site: site,
            address: address,
            mac: mac,
            host: host,
            owner: owner,
            tags: tags,
            dependencies: dependencies,
            line: table.line
        )
    }

    mutating func parseMAC(_ table: TOMLTable) -> MACAddress? {
        guard let value = table["mac"], let text = reader.string(value, named: "mac") else { return nil }
        do {
            return try MACAddress(parsing: text)
        } catch {
            reader.error(line: value.line, "mac: bad MAC address \"\(text)\": \(error.reason)")
            return nil
        }
    }

    // MARK: - Dependencies

    mutating func parseDependency(_ table: TOMLTable) -> DependencySpec? {
        let context = "[[workload.depends]]"
        let allKeys = Array(Set(InventoryFile.dependencyKindKeys.values.joined())).sorted()
        guard let kindValue = reader.require("kind", in: table, context: context),
            let kind = reader.string(kindValue, named: "kind")
        else {
            reader.checkKeys(of: table, allowed: ["kind"] + allKeys)
            return nil
        }
        guard let kindKeys = InventoryFile.dependencyKindKeys[kind] else {
            reader.checkKeys(of: table, allowed: ["kind"] + allKeys)
            reader.error(
                line: kindValue.line,
                "kind: unknown dependency kind \"\(kind)\" (expected dns, lb, tcp or firewall)"
            )
            return nil
        }
        var foreign: [String: String] = [:]
        for (otherKind, keys) in InventoryFile.dependencyKindKeys.sorted(by: { $0.key < $1.key })
        where otherKind != kind {
            for key in keys where !kindKeys.contains(key) && foreign[key] == nil {
                foreign[key] =
                    "does not apply to a dependency of kind \"\(kind)\" (it is a key of kind \"\(otherKind)\")"
            }
        }
        reader.checkKeys(of: table, allowed: ["kind"] + kindKeys, foreign: foreign)
        let kindContext = "\(context) of kind \"\(kind)\""
        switch kind {
        case "dns":
            return parseDNSDependency(table, context: kindContext).map { .dns($0) }
        case "lb":
            return parseLoadBalancerDependency(table, context: kindContext).map { .loadBalancer($0) }
        case "firewall":
            return parseFirewallDependency(table, context: kindContext).map { .firewall($0) }
        default:
            return parseTCPDependency(table, context: kindContext).map { .tcp($0) }
        }
    }

    mutating func parseDNSDependency(_ table: TOMLTable, context: String) -> DNSDependencySpec? {
        var name = reader.name("name", in: table, required: context)
        if let text = name, !Endpoint.isValidHostName(Substring(text.hasSuffix(".") ? String(text.dropLast()) : text)) {
            reader.error(line: table["name"]?.line ?? table.line, "name: \"\(text)\" is not a DNS name")
            name = nil
        }
        let server = reference("server", in: table, context: context, what: "dns server", known: references.dnsServers)
        let ptr = reader.bool("ptr", in: table, default: false)
        guard let name, let server else { return nil }
        return DNSDependencySpec(name: name, server: server, ptr: ptr, line: table.line)
    }

    mutating func parseLoadBalancerDependency(_ table: TOMLTable, context: String) -> LoadBalancerDependencySpec? {
        let balancer = reference(
            "balancer",
            in: table,
            context: context,
            what: "loadbalancer",
            known: references.loadBalancers
        )
        let backend = haproxyName("backend", in: table, context: context)
        let server = haproxyName("server", in: table, context: context)
        let port = reader.integer("port", in: table, range: 1...65535, required: context)
        guard let balancer, let backend, let server, let port else { return nil }
        return LoadBalancerDependencySpec(
            balancer: balancer,
            backend: backend,
            server: server,
            port: UInt16(port),
            line: table.line
        )
    }

    /// A backend or server name, refused at its line when HAProxy would not take it: it is sent to
    /// the Runtime API as a word of a command.
    mutating func haproxyName(_ key: String, in table: TOMLTable, context: String) -> String? {
        guard let name = reader.name(key, in: table, required: context) else { return nil }
        if let problem = HAProxyName.problem(with: name, role: key) {
            reader.error(line: table[key]?.line ?? table.line, problem)
            return nil
        }
        return name
    }

    mutating func parseFirewallDependency(_ table: TOMLTable, context: String) -> FirewallDependencySpec? {
        let firewall = reference("firewall", in: table, context: context, what: "firewall", known: references.firewalls)
        let target: FirewallDependencySpec.Target?
        switch (table["set"], table["rule_comment"]) {
        case (let value?, nil):
            target = reader.string(value, named: "set").flatMap { text in
                guard let set = NFTSetReference(parsing: text) else {
                    reader.error(
                        line: value.line,
                        "set: expected \"FAMILY TABLE SET\", like \"inet filter web_backends\", got \"\(text)\""
                    )
                    return nil
                }
                return .set(set)
            }
        case (nil, _?):
            target = reader.name("rule_comment", in: table).map { .ruleComment($0) }
        case (_?, _?):
            reader.error(line: table.line, "\(context): set and rule_comment exclude each other; keep one")
            target = nil
        case (nil, nil):
            reader.error(line: table.line, "\(context): needs set = \"FAMILY TABLE SET\" or rule_comment = \"…\"")
            target = nil
        }
        guard let firewall, let target else { return nil }
        return FirewallDependencySpec(firewall: firewall, target: target, line: table.line)
    }

    mutating func parseTCPDependency(_ table: TOMLTable, context: String) -> TCPDependencySpec? {
        let target = reader.endpoint("target", in: table, required: context)
        var role = DependencyRole.other
        if let value = table["role"], let text = reader.string(value, named: "role") {
            if let known = DependencyRole(rawValue: text) {
                role = known
            } else {
                let choices = DependencyRole.allCases.map(\.rawValue)
                reader.error(line: value.line, "role: unknown role \"\(text)\" (expected \(choices.joinedAsChoice))")
            }
        }
        guard let target else { return nil }
        return TCPDependencySpec(target: target, role: role, line: table.line)
    }

    mutating func reference(
        _ key: String,
        in table: TOMLTable,
        context: String,
        what: String,
        known: [String]
    ) -> String? {
        guard let name = reader.string(key, in: table, required: context),
            reader.checkReference(name, line: table[key]?.line ?? table.line, key: key, what: what, known: known)
        else { return nil }
        return name
    }
}
