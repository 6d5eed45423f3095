/// A key press, decoded from what curses reports.
///
/// Views and key maps match on these values; they never see curses codes.
public enum Key: Hashable, Sendable {
    case up
    case down
    case left
    case right
    case pageUp
    case pageDown
    case home
    case end
    case insert
    case delete
    case tab
    /// Shift-Tab.
    case backTab
    case enter
    case escape
    case backspace
    /// Ctrl plus a letter, given as the lowercase letter (`control("c")` is Ctrl-C).
    case control(Character)
    /// A printable character, already decoded from UTF-8.
    case character(Character)
    /// F1…F63.
    case function(Int)
    /// The terminal changed size.
    case resize
    /// A key curses knows but Locus does not use, kept so it can be logged or ignored.
    case unknown(code: UInt32)
}

extension Key: CustomStringConvertible {
    /// How the key is written in help and key hints.
    public var description: String {
        switch self {
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .insert: return "Ins"
        case .delete: return "Del"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .control(let letter): return "Ctrl-\(letter.uppercased())"
        case .character(" "): return "Space"
        case .character(let character): return String(character)
        case .function(let number): return "F\(number)"
        case .resize: return "resize"
        case .unknown(let code): return "key \(code)"
        }
    }
}
