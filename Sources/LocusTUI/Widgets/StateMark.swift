/// The sign shown beside a state, so that no state is told by colour alone: ✓ ok, ! warning,
/// ✗ critical, i information, ? unknown, each with the role that colours it.
public enum StateMark: String, CaseIterable, Hashable, Sendable {
    case ok
    case warn
    case crit
    case info
    case unknown

    /// The role that colours the state.
    public var role: Role {
        switch self {
        case .ok: return .ok
        case .warn: return .warn
        case .crit: return .crit
        case .info: return .info
        case .unknown: return .muted
        }
    }

    /// The one-column sign: ✓ ! ✗ i ?, or with ASCII line drawing + ! x i ?.
    public func symbol(_ lineDrawing: LineDrawing = .unicode) -> String {
        switch self {
        case .ok: return lineDrawing == .unicode ? "✓" : "+"
        case .warn: return "!"
        case .crit: return lineDrawing == .unicode ? "✗" : "x"
        case .info: return "i"
        case .unknown: return "?"
        }
    }

    /// The word for the state, for places with room: OK, WARN, CRIT, INFO, UNKNOWN.
    public var word: String { rawValue.uppercased() }

    /// The style of the sign: the role, made bold for the states that need attention so they
    /// also stand out in monochrome.
    public var style: Style {
        switch self {
        case .warn, .crit: return Style(role, .bold)
        case .ok, .info, .unknown: return Style(role)
        }
    }

    /// `"✓ text"` as a table cell in the state's role.
    public func cell(_ text: String, lineDrawing: LineDrawing = .unicode) -> TableCell {
        TableCell(text.isEmpty ? symbol(lineDrawing) : symbol(lineDrawing) + " " + text, role: role)
    }
}
