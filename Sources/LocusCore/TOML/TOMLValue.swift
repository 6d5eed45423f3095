/// A value read from a TOML document, with the line it was defined on so that
/// configuration errors can name `FILE:LINE`.
public struct TOMLValue: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        /// An offset date-time (`1979-05-27T07:32:00Z`). Dates and times are kept as
        /// written (the parser has checked them); nothing in Locus interprets them yet.
        case dateTime(String)
        /// A date-time without an offset (`1979-05-27T07:32:00`).
        case localDateTime(String)
        /// A date alone (`1979-05-27`).
        case localDate(String)
        /// A time of day alone (`07:32:00`).
        case localTime(String)
        case array([TOMLValue])
        case table(TOMLTable)
    }

    /// The 1-based line of the key (or, for array elements, of the element).
    public let line: Int
    public let kind: Kind

    public init(line: Int, kind: Kind) {
        self.line = line
        self.kind = kind
    }

    public var string: String? {
        if case .string(let value) = kind { return value }
        return nil
    }

    public var integer: Int64? {
        if case .integer(let value) = kind { return value }
        return nil
    }

    /// Integers are accepted where a float is expected, as TOML readers usually do.
    public var float: Double? {
        switch kind {
        case .float(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }

    public var boolean: Bool? {
        if case .boolean(let value) = kind { return value }
        return nil
    }

    public var array: [TOMLValue]? {
        if case .array(let value) = kind { return value }
        return nil
    }

    public var table: TOMLTable? {
        if case .table(let value) = kind { return value }
        return nil
    }

    /// The TOML type name, for messages such as "expected a string, got integer".
    public var typeName: String {
        switch kind {
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .boolean: return "boolean"
        case .dateTime: return "date-time"
        case .localDateTime: return "local date-time"
        case .localDate: return "local date"
        case .localTime: return "local time"
        case .array: return "array"
        case .table: return "table"
        }
    }
}

/// A TOML table: keys in file order, each with its value.
public struct TOMLTable: Sendable, Equatable {
    /// The line of the table's `[header]` or `[[header]]`, or of its inline `{`; 1 for the root.
    public let line: Int
    /// Keys in the order they appear in the file.
    public private(set) var keys: [String]
    private var values: [String: TOMLValue]

    public init(line: Int, entries: [(key: String, value: TOMLValue)] = []) {
        self.line = line
        self.keys = []
        self.values = [:]
        for entry in entries where values[entry.key] == nil {
            keys.append(entry.key)
            values[entry.key] = entry.value
        }
    }

    public subscript(key: String) -> TOMLValue? {
        values[key]
    }

    /// Key-value pairs in file order.
    public var entries: [(key: String, value: TOMLValue)] {
        keys.map { ($0, values[$0]!) }
    }

    public var isEmpty: Bool { keys.isEmpty }
}

/// A syntax error in a TOML document.
public struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}
