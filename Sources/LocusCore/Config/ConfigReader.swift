/// Reads typed values out of the TOML tables of one file, collecting every problem with its
/// line instead of stopping at the first.
///
/// Each accessor returns nil (or the default) when the value is missing or wrong, having
/// recorded why; callers build what they can and skip an item with a missing required value.
struct ConfigReader {
    let file: String
    private(set) var errors: [ConfigError] = []

    init(file: String) {
        self.file = file
    }

    mutating func error(line: Int, _ message: String) {
        errors.append(ConfigError(file: file, line: line, message: message))
    }

    /// The collected errors in line order (stable for errors on one line).
    var sortedErrors: [ConfigError] {
        errors.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    }

    // MARK: - Keys

    /// Reports every key of `table` that is not in `allowed`. `foreign` maps keys that belong to
    /// a sibling variant (another `kind`) to an explanation, so the message can say so.
    mutating func checkKeys(
        of table: TOMLTable,
        allowed: [String],
        foreign: [String: String] = [:]
    ) {
        for key in table.keys where !allowed.contains(key) {
            let line = table[key]?.line ?? table.line
            if let explanation = foreign[key] {
                error(line: line, "key '\(key)' \(explanation)")
            } else if let suggestion = Self.closest(to: key, among: allowed) {
                error(line: line, "unknown key '\(key)' (did you mean '\(suggestion)'?)")
            } else {
                error(line: line, "unknown key '\(key)'")
            }
        }
    }

    /// Reports a required key that is absent, at the line of the table's header.
    mutating func require(_ key: String, in table: TOMLTable, context: String) -> TOMLValue? {
        guard let value = table[key] else {
            error(line: table.line, "\(context) is missing required key '\(key)'")
            return nil
        }
        return value
    }

    /// For keys that only make sense together: false when none is present; otherwise one error
    /// at the table header naming those missing. Read the keys without `required` afterwards.
    mutating func checkGroup(_ keys: [String], in table: TOMLTable, context: String) -> Bool {
        guard keys.contains(where: { table[$0] != nil }) else { return false }
        let missing = keys.filter { table[$0] == nil }
        if !missing.isEmpty {
            let quoted = missing.map { "'\($0)'" }
            error(
                line: table.line,
                "\(context) is missing \(quoted.joinedAsList) (\(keys.joinedAsList) go together)"
            )
        }
        return true
    }

    // MARK: - Scalars

    mutating func string(_ key: String, in table: TOMLTable, required context: String? = nil) -> String? {
        let value: TOMLValue?
        if let context { value = require(key, in: table, context: context) } else { value = table[key] }
        guard let value else { return nil }
        return string(value, named: key)
    }

    mutating func string(_ value: TOMLValue, named name: String) -> String? {
        guard let text = value.string else {
            typeMismatch(value, named: name, expected: "string")
            return nil
        }
        return text
    }

    /// A string that must not be empty (names, commands).
    mutating func name(_ key: String, in table: TOMLTable, required context: String? = nil) -> String? {
        guard let text = string(key, in: table, required: context) else { return nil }
        guard !text.trimmingWhitespace.isEmpty else {
            error(line: table[key]?.line ?? table.line, "\(key): must not be empty")
            return nil
        }
        return text
    }

    mutating func bool(_ key: String, in table: TOMLTable, default defaultValue: Bool) -> Bool {
        guard let value = table[key] else { return defaultValue }
        guard let flag = value.boolean else {
            typeMismatch(value, named: key, expected: "boolean")
            return defaultValue
        }
        return flag
    }

    mutating func integer(
        _ key: String,
        in table: TOMLTable,
        range: ClosedRange<Int64>,
        required context: String? = nil
    ) -> Int64? {
        let value: TOMLValue?
        if let context { value = require(key, in: table, context: context) } else { value = table[key] }
        guard let value else { return nil }
        guard let number = value.integer else {
            typeMismatch(value, named: key, expected: "integer")
            return nil
        }
        guard range.contains(number) else {
            error(line: value.line, "\(key): \(number) is out of range (\(range.lowerBound)…\(range.upperBound))")
            return nil
        }
        return number
    }

    /// A duration that must be greater than zero; `defaultValue` when the key is absent.
    mutating func duration(_ key: String, in table: TOMLTable, default defaultValue: Duration) -> Duration {
        guard let value = table[key], let text = string(value, named: key) else { return defaultValue }
        do {
            let duration = try Duration(configText: text)
            guard duration > .zero else {
                error(line: value.line, "\(key): must be longer than zero, got \"\(text)\"")
                return defaultValue
            }
            return duration
        } catch {
            self.error(line: value.line, "\(key): \(error)")
            return defaultValue
        }
    }

    /// A `maintenance_window`; nil when the key is absent or wrong (then the error is recorded).
    mutating func maintenanceWindow(_ key: String, in table: TOMLTable) -> MaintenanceWindow? {
        guard let value = table[key], let text = string(value, named: key) else { return nil }
        do {
            return try MaintenanceWindow(parsing: text)
        } catch {
            self.error(line: value.line, "\(key): \(error)")
            return nil
        }
    }

    // MARK: - Addresses

    mutating func endpoint(_ key: String, in table: TOMLTable, required context: String? = nil) -> Endpoint? {
        let value: TOMLValue?
        if let context { value = require(key, in: table, context: context) } else { value = table[key] }
        guard let value, let text = string(value, named: key) else { return nil }
        return endpoint(text, line: value.line, named: key)
    }

    mutating func endpoint(_ text: String, line: Int, named name: String) -> Endpoint? {
        do {
            return try Endpoint(parsing: text)
        } catch {
            self.error(line: line, "\(name): bad host:port \"\(text)\": \(error.reason)")
            return nil
        }
    }

    mutating func address(_ value: TOMLValue, named name: String) -> IPAddress? {
        guard let text = string(value, named: name) else { return nil }
        guard let address = IPAddress(text) else {
            error(line: value.line, "\(name): bad address \"\(text)\": not an IPv4 or IPv6 address")
            return nil
        }
        return address
    }

    mutating func prefix(_ value: TOMLValue, named name: String) -> IPPrefix? {
        guard let text = string(value, named: name) else { return nil }
        do {
            return try IPPrefix(parsing: text)
        } catch {
            self.error(line: value.line, "\(name): bad prefix \"\(text)\": \(error.reason)")
            return nil
        }
    }

    // MARK: - Arrays and tables

    /// The elements of an array value; each element keeps its own line.
    mutating func array(_ key: String, in table: TOMLTable, required context: String? = nil) -> [TOMLValue]? {
        let value: TOMLValue?
        if let context { value = require(key, in: table, context: context) } else { value = table[key] }
        guard let value else { return nil }
        guard let elements = value.array else {
            typeMismatch(value, named: key, expected: "array")
            return nil
        }
        return elements
    }

    mutating func stringArray(_ key: String, in table: TOMLTable, required context: String? = nil) -> [String]? {
        guard let elements = array(key, in: table, required: context) else { return nil }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            if let text = string(element, named: "\(key)[\(index)]") { result.append(text) }
        }
        return result
    }

    /// The tables of `[[key]]` (or `key = [{…}, …]`); empty when absent.
    mutating func tableArray(_ key: String, in table: TOMLTable) -> [TOMLTable] {
        guard let value = table[key] else { return [] }
        guard let elements = value.array else {
            typeMismatch(value, named: key, expected: "array of tables ([[\(key)]])")
            return []
        }
        var result: [TOMLTable] = []
        for element in elements {
            if let entry = element.table {
                result.append(entry)
            } else {
                typeMismatch(element, named: key, expected: "table ([[\(key)]])")
            }
        }
        return result
    }

    /// The table of `[key]` or `key = {…}`; nil when absent.
    mutating func table(_ key: String, in table: TOMLTable) -> TOMLTable? {
        guard let value = table[key] else { return nil }
        guard let entry = value.table else {
            typeMismatch(value, named: key, expected: "table ([\(key)])")
            return nil
        }
        return entry
    }

    // MARK: - Whole-file checks

    /// Reports every name used a second time among items of one kind.
    mutating func checkUnique(_ names: [(name: String, line: Int)], what: String) {
        var firstLine: [String: Int] = [:]
        for (name, line) in names {
            if let first = firstLine[name] {
                error(line: line, "duplicate \(what) \"\(name)\" (first defined at line \(first))")
            } else {
                firstLine[name] = line
            }
        }
    }

    /// Reports every `name` used a second time among the tables of one `[[array]]`, including
    /// tables that have other problems, at the line of each table's header.
    mutating func checkUniqueNames(of tables: [TOMLTable], what: String) {
        checkUnique(tables.compactMap { table in table["name"]?.string.map { ($0, table.line) } }, what: what)
    }

    /// Reports a reference to a name that is not defined, suggesting a close one.
    mutating func checkReference(_ name: String, line: Int, key: String, what: String, known: [String]) -> Bool {
        guard !known.contains(name) else { return true }
        var message = "\(key): unknown \(what) \"\(name)\""
        if let suggestion = Self.closest(to: name, among: known) {
            message += " (did you mean \"\(suggestion)\"?)"
        } else if known.isEmpty {
            message += " (none is configured)"
        } else {
            message += " (configured: \(known.joined(separator: ", ")))"
        }
        error(line: line, message)
        return false
    }

    mutating func typeMismatch(_ value: TOMLValue, named name: String, expected: String) {
        error(line: value.line, "\(name): expected \(Self.withArticle(expected)), got \(value.typeName)")
    }

    // MARK: - Helpers

    static func withArticle(_ noun: String) -> String {
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        return (noun.first.map { vowels.contains($0) } ?? false ? "an " : "a ") + noun
    }

    /// The candidate closest to `word` by edit distance, if close enough to be a typo.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let limit = max(1, min(3, word.count / 3))
        let scored = candidates.map { ($0, editDistance(word, $0)) }.filter { $0.1 <= limit }
        return scored.min { $0.1 < $1.1 }?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased())
        let b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

extension StringProtocol {
    var trimmingWhitespace: Substring {
        let trimmedStart = drop(while: \.isWhitespace)
        guard let last = trimmedStart.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return Substring(trimmedStart[...last])
    }
}
