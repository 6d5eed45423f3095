/// A key (or keys doing the same) and what it does, as listed in the help overlay.
public struct KeyBinding: Hashable, Sendable {
    /// The keys as shown: `"j"`, `"↓"`, `"PgDn"`, `"Ctrl-U"`.
    public var keys: [String]
    public var description: String

    public init(_ keys: [String], _ description: String) {
        self.keys = keys
        self.description = description
    }

    public init(_ key: String, _ description: String) {
        self.init([key], description)
    }

    /// The keys joined for display: `"j ↓"`.
    public var keyLabel: String { keys.joined(separator: " ") }
}

/// A titled group of key bindings ("Navigation", "Actions").
public struct KeyMapSection: Hashable, Sendable {
    public var title: String
    public var bindings: [KeyBinding]

    public init(_ title: String, _ bindings: [KeyBinding]) {
        self.title = title
        self.bindings = bindings
    }
}

/// The keys of a screen, grouped in sections; the help overlay is generated from it.
public struct KeyMap: Hashable, Sendable {
    public var sections: [KeyMapSection]

    public init(_ sections: [KeyMapSection]) {
        self.sections = sections
    }

    /// Every binding, in section order.
    public var bindings: [KeyBinding] { sections.flatMap(\.bindings) }
}
