import Foundation

/// The test's locus.toml and inventory.toml, made from the lab's by editing their text: what the
/// lab declares about sites, mapping and workloads is kept, whatever it declares about inventories,
/// DNS servers, load balancers and dependencies is replaced by the test's own.
enum LabFiles {
    /// Top-level tables of the lab's locus.toml that the test writes itself.
    private static let replacedTables: Set<String> = ["inventory", "dns", "loadbalancer", "migration"]

    /// The lab's locus.toml without its `[[inventory]]`, `[[dns]]`, `[[loadbalancer]]` and `[migration]` tables,
    /// relative `*_file` paths made absolute (the result lives in another directory), then
    /// `sections`. `store` stays as it is: a relative store is the test's own, next to its file.
    static func locusConfig(fromLab text: String, labDirectory: String, appending sections: String) -> String {
        var lines: [String] = []
        var dropping = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let table = tableName(line) {
                let top = String(table.split(separator: ".").first ?? "")
                dropping = replacedTables.contains(top)
            }
            guard !dropping else { continue }
            lines.append(absolutePath(in: line, relativeTo: labDirectory) ?? line)
        }
        return lines.joined(separator: "\n") + "\n" + sections
    }

    /// The test's `[[inventory]]`, `[[dns]]` and `[[loadbalancer]]` tables (keys of CONFIG.md).
    static func sections(dns server: String, keyName: String, runtimeAPI: String) -> String {
        """

        [[inventory]]
        name = "lab"
        kind = "file"
        path = "inventory.toml"

        [[dns]]
        name = "bind"
        server = "\(server)"
        tsig_key_name = "\(keyName)"
        tsig_algorithm = "hmac-sha256"
        tsig_key_file = "keys/ddns.key"
        ttl_threshold = "300s"

        [[loadbalancer]]
        name = "edge"
        kind = "haproxy"
        runtime_api = "\(runtimeAPI)"

        """
    }

    /// One workload's `[[workload.depends]]` tables: its record (and PTR) on "bind", its pool
    /// member on "edge", an auth service and a storage service.
    static func depends(
        record: String,
        backend: String,
        server: String,
        port: Int,
        auth: String,
        storage: String
    ) -> [String] {
        [
            "  [[workload.depends]]", "  kind = \"dns\"", "  name = \"\(record)\"", "  server = \"bind\"",
            "  ptr = true", "",
            "  [[workload.depends]]", "  kind = \"lb\"", "  balancer = \"edge\"", "  backend = \"\(backend)\"",
            "  server = \"\(server)\"", "  port = \(port)", "",
            "  [[workload.depends]]", "  kind = \"tcp\"", "  target = \"\(auth)\"", "  role = \"auth\"", "",
            "  [[workload.depends]]", "  kind = \"tcp\"", "  target = \"\(storage)\"", "  role = \"storage\"",
        ]
    }

    /// The workloads the lab's inventory declares, in order.
    static func workloads(in inventory: String) -> [(name: String, address: String)] {
        blocks(of: inventory).compactMap { block in
            guard let name = value("name", in: block), let address = value("address", in: block) else { return nil }
            return (name, address)
        }
    }

    /// The lab's inventory without the dependencies it declares, with `depends` appended to the
    /// named workloads and `addresses` replacing their addresses.
    static func inventory(
        fromLab text: String,
        depends: [String: [String]],
        addresses: [String: String]
    ) -> String {
        var output: [String] = []
        for block in blocks(of: text, keepPreamble: true) {
            let name = value("name", in: block)
            var lines: [String] = []
            var inDepends = false
            for line in block {
                if let table = tableName(line) {
                    inDepends = table == "workload.depends" || table.hasPrefix("workload.depends.")
                }
                guard !inDepends else { continue }
                if let name, let address = addresses[name], key(of: line) == "address" {
                    lines.append("address = \"\(address)\"")
                } else {
                    lines.append(line)
                }
            }
            if let name, let extra = depends[name] {
                while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
                lines += [""] + extra + [""]
            }
            output += lines
        }
        return output.joined(separator: "\n") + "\n"
    }

    /// The text split before each `[[workload]]` line; the lines before the first one are dropped
    /// unless `keepPreamble`.
    private static func blocks(of text: String, keepPreamble: Bool = false) -> [[String]] {
        var blocks: [[String]] = [[]]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if tableName(line) == "workload" && line.trimmingCharacters(in: .whitespaces).hasPrefix("[[") {
                blocks.append([])
            }
            blocks[blocks.count - 1].append(line)
        }
        if blocks.last?.last == "" { blocks[blocks.count - 1].removeLast() }
        return keepPreamble ? blocks : Array(blocks.dropFirst())
    }

    /// A block's own `KEY = "VALUE"`, before any sub-table.
    private static func value(_ wanted: String, in block: [String]) -> String? {
        for line in block.dropFirst() {
            if tableName(line) != nil { return nil }
            guard key(of: line) == wanted, let value = quoted(line) else { continue }
            return value
        }
        return nil
    }

    /// `a.b` for a `[a.b]` or `[[a.b]]` header line.
    private static func tableName(_ line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("[") else { return nil }
        let name = trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        return name.split(separator: "#").first.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")) }
    }

    private static func key(of line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { return nil }
        return trimmed[..<equals].trimmingCharacters(in: .whitespaces)
    }

    private static func quoted(_ line: String) -> String? {
        guard let open = line.firstIndex(of: "\""), let close = line.lastIndex(of: "\""), open < close else {
            return nil
        }
        return String(line[line.index(after: open)..<close])
    }

    /// `KEY_file = "REL"` with REL made absolute against `directory`; nil when nothing to change.
    private static func absolutePath(in line: String, relativeTo directory: String) -> String? {
        guard let key = key(of: line), key.hasSuffix("_file"), let path = quoted(line), !path.hasPrefix("/") else {
            return nil
        }
        return "\(key) = \"\(directory)/\(path)\""
    }
}
