/// One problem in a config or inventory file, printed as `FILE:LINE: message`.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the operator named it (or as the config that names it resolved it).
    public let file: String
    /// 1-based line; a missing key points at the header of its table. 0 when the problem is
    /// the file as a whole (it cannot be read), printed as `FILE: message`.
    public let line: Int
    public let message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// Something an operator should fix that does not stop Locus, such as a secret file that
/// others may read; printed as `FILE:LINE: message`.
public struct ConfigWarning: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}

/// Every error found in one or more files, in file order and then line order.
///
/// Parsing collects all of them rather than stopping at the first, so one run of
/// `locus config check` shows everything to fix.
public struct ConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public let errors: [ConfigError]

    public init(_ errors: [ConfigError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
