/// How many colours the terminal can show; themes are resolved for one depth.
public enum ColorDepth: String, CaseIterable, Hashable, Sendable, Comparable {
    case monochrome
    case c8
    case c16
    case c256

    /// The number of colours, 0 for monochrome.
    public var colorCount: Int {
        switch self {
        case .monochrome: return 0
        case .c8: return 8
        case .c16: return 16
        case .c256: return 256
        }
    }

    /// The depth for a terminal reporting `colors` colours (ncurses `COLORS`, terminfo `colors`),
    /// monochrome when `noColor` (the `NO_COLOR` convention: set and not empty) is set.
    public static func detect(colors: Int, noColor: Bool) -> ColorDepth {
        if noColor { return .monochrome }
        switch colors {
        case 256...: return .c256
        case 16..<256: return .c16
        case 8..<16: return .c8
        default: return .monochrome
        }
    }

    /// The depth for an environment: `NO_COLOR` set to anything non-empty means monochrome.
    public static func detect(colors: Int, environment: [String: String]) -> ColorDepth {
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        return detect(colors: colors, noColor: noColor)
    }

    public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool {
        lhs.colorCount < rhs.colorCount
    }
}
