/// What a cell shows, by meaning; a `Theme` decides the colours and attributes of each role.
public enum Role: String, CaseIterable, Hashable, Sendable {
    case header
    case tab
    case tabActive
    case border
    case text
    case muted
    case selected
    case ok
    case warn
    case crit
    case info
    case dialog
}

/// Terminal text attributes that work without colour.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let reverse = Attributes(rawValue: 1 << 1)
    public static let underline = Attributes(rawValue: 1 << 2)
    public static let dim = Attributes(rawValue: 1 << 3)
}

/// The style of a cell: a role, plus attributes the widget adds to what the theme gives the role.
public struct Style: Hashable, Sendable {
    public var role: Role
    public var attributes: Attributes

    public init(_ role: Role = .text, _ attributes: Attributes = []) {
        self.role = role
        self.attributes = attributes
    }

    public static let text = Style(.text)
    public static let muted = Style(.muted)
    public static let border = Style(.border)

    public func adding(_ extra: Attributes) -> Style {
        Style(role, attributes.union(extra))
    }
}
