/// The theme order for the `t` key: by name, case-insensitively, wrapping around.
public struct ThemeCycle: Hashable, Sendable {
    public private(set) var names: [String]
    public private(set) var current: String

    public init(names: [String], current: String) {
        self.names = Self.ordered(names)
        self.current = current
    }

    /// Moves to the theme after the current one and returns its name. A current name not in
    /// the list moves to the first name after it in the order.
    @discardableResult
    public mutating func advance() -> String {
        guard !names.isEmpty else { return current }
        let key = current.lowercased()
        current = names.first { $0.lowercased() > key } ?? names[0]
        return current
    }

    static func ordered(_ names: [String]) -> [String] {
        Array(Set(names)).sorted { ($0.lowercased(), $0) < ($1.lowercased(), $1) }
    }
}
