/// One terminal column of a `Frame`.
///
/// A cell holds one grapheme cluster one or two columns wide. A two-column cluster occupies its
/// own cell and the next one, which is a continuation cell (`isContinuation`) that backends skip.
public struct Cell: Hashable, Sendable {
    /// The grapheme cluster shown; empty in a continuation cell.
    public var text: String
    /// Columns the cluster occupies: 1 or 2, and 0 for a continuation cell.
    public var width: Int
    public var style: Style
    /// For a line character, the directions it reaches out in. The character alone cannot
    /// tell (a line's end `╶` is drawn `─`), and lines drawn later must join it correctly.
    var lineSides: LineSides = []

    public init(_ text: String, width: Int = 1, style: Style = .text) {
        self.text = text
        self.width = width
        self.style = style
    }

    public static func blank(_ style: Style = .text) -> Cell {
        Cell(" ", width: 1, style: style)
    }

    static func continuation(_ style: Style) -> Cell {
        Cell("", width: 0, style: style)
    }

    public var isContinuation: Bool { width == 0 }

    // What a cell shows is its text, width and style; `lineSides` is drawing bookkeeping.
    public static func == (lhs: Cell, rhs: Cell) -> Bool {
        lhs.text == rhs.text && lhs.width == rhs.width && lhs.style == rhs.style
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(width)
        hasher.combine(style)
    }
}
