/// The characters boxes, lines and markers are drawn with: Unicode box drawing in a UTF-8
/// terminal, plain ASCII otherwise (a non-UTF-8 locale, or an operator who asks for it).
public enum LineDrawing: String, CaseIterable, Hashable, Sendable {
    case unicode
    case ascii

    /// The character for a line junction that reaches out in the given directions.
    public func character(for sides: LineSides) -> String {
        switch self {
        case .ascii:
            switch sides {
            case []: return " "
            case .horizontal, [.left], [.right]: return "-"
            case .vertical, [.up], [.down]: return "|"
            default: return "+"
            }
        case .unicode:
            switch sides {
            case []: return " "
            case .horizontal, [.left], [.right]: return "─"
            case .vertical, [.up], [.down]: return "│"
            case [.down, .right]: return "┌"
            case [.down, .left]: return "┐"
            case [.up, .right]: return "└"
            case [.up, .left]: return "┘"
            case [.up, .down, .right]: return "├"
            case [.up, .down, .left]: return "┤"
            case [.left, .right, .down]: return "┬"
            case [.left, .right, .up]: return "┴"
            default: return "┼"
            }
        }
    }

    /// The directions a line character already drawn reaches out in, so that lines drawn across
    /// it join into `├ ┤ ┬ ┴ ┼` instead of overwriting it; nil for anything else.
    public static func sides(of character: String) -> LineSides? {
        switch character {
        case "─", "-": return .horizontal
        case "│", "|": return .vertical
        case "┌": return [.down, .right]
        case "┐": return [.down, .left]
        case "└": return [.up, .right]
        case "┘": return [.up, .left]
        case "├": return [.up, .down, .right]
        case "┤": return [.up, .down, .left]
        case "┬": return [.left, .right, .down]
        case "┴": return [.left, .right, .up]
        case "┼", "+": return .all
        default: return nil
        }
    }

    public var ellipsis: String { self == .unicode ? "…" : "~" }
    public var selectionMarker: String { self == .unicode ? "▶" : ">" }
    public var sortAscending: String { self == .unicode ? "▲" : "^" }
    public var sortDescending: String { self == .unicode ? "▼" : "v" }
}

/// The directions a line character reaches out in.
public struct LineSides: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public static let up = LineSides(rawValue: 1 << 0)
    public static let down = LineSides(rawValue: 1 << 1)
    public static let left = LineSides(rawValue: 1 << 2)
    public static let right = LineSides(rawValue: 1 << 3)

    public static let horizontal: LineSides = [.left, .right]
    public static let vertical: LineSides = [.up, .down]
    public static let all: LineSides = [.up, .down, .left, .right]
}
