extension LocusConfigParser {
    // MARK: - Firewalls

    mutating func parseFirewall(_ table: TOMLTable) -> FirewallConfig? {
        let context = "[[firewall]]"
        reader.checkKeys(of: table, allowed: ["name", "kind", "command", "apply_command", "timeout"])
        let name = reader.name("name", in: table, required: context)
        var kind: FirewallConfig.Kind?
        if let value = reader.require("kind", in: table, context: context),
            let text = reader.string(value, named: "kind")
        {
            kind = FirewallConfig.Kind(rawValue: text)
            if kind == nil {
                let known = FirewallConfig.Kind.allCases.map(\.rawValue)
                reader.error(
                    line: value.line,
                    "kind: unknown firewall kind \"\(text)\" (expected \(known.joinedAsChoice))"
                )
            }
        }
        let command = argv("command", in: table, default: FirewallConfig.defaultCommand)
        let applyCommand = argv("apply_command", in: table, default: FirewallConfig.defaultApplyCommand)
        let timeout = reader.duration("timeout", in: table, default: FirewallConfig.defaultTimeout)
        guard let name, let kind, let command, let applyCommand else { return nil }
        return FirewallConfig(
            name: name,
            kind: kind,
            command: command,
            applyCommand: applyCommand,
            timeout: timeout,
            line: table.line
        )
    }

    /// A command as an array of arguments: a string would have to be split, and splitting is where
    /// quoting mistakes and injected words come from.
    mutating func argv(_ key: String, in table: TOMLTable, default defaultValue: [String]) -> [String]? {
        guard let value = table[key] else { return defaultValue }
        guard value.array != nil else {
            reader.typeMismatch(
                value,
                named: key,
                expected: "array of strings, like [\"nft\", \"-j\", \"list\", \"ruleset\"]"
            )
            return nil
        }
        guard let arguments = reader.stringArray(key, in: table) else { return nil }
        guard let program = arguments.first, !program.trimmingWhitespace.isEmpty else {
            reader.error(line: value.line, "\(key): must name a program first")
            return nil
        }
        return arguments
    }
}
