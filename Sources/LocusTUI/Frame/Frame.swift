/// A width × height grid of cells: what one screen shows.
///
/// Views draw into a fresh frame on every render (immediate mode); a backend compares it with
/// the previous one and writes only what changed. Every write is clipped to the frame and to
/// the rectangle the caller passes, so widgets never draw outside their area and no size, however
/// small, makes drawing fail.
public struct Frame: Hashable, Sendable {
    public let width: Int
    public let height: Int
    /// The characters lines, boxes and markers are drawn with.
    public var lineDrawing: LineDrawing
    /// Where the terminal cursor should be shown (an input line being edited), or nil to hide it.
    public var cursor: Point?
    private var cells: [Cell]

    public init(width: Int, height: Int, lineDrawing: LineDrawing = .unicode, fill: Cell = .blank()) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.lineDrawing = lineDrawing
        // Only a one-column character can fill every column.
        var cell = Cell.blank(fill.style)
        if let character = fill.text.first, character.terminalWidth == 1 {
            cell.text = character.terminalSafe
        }
        self.cells = Array(repeating: cell, count: self.width * self.height)
    }

    public init(size: Size, lineDrawing: LineDrawing = .unicode) {
        self.init(width: size.width, height: size.height, lineDrawing: lineDrawing)
    }

    /// A blank frame of `size` drawn with the context's line characters.
    public init(size: Size, context: RenderContext) {
        self.init(width: size.width, height: size.height, lineDrawing: context.lineDrawing)
    }

    public var size: Size { Size(width: width, height: height) }
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at column `x`, row `y`; a blank cell outside the frame.
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, x < width, y >= 0, y < height else { return .blank() }
        return cells[y * width + x]
    }

    /// Row `y` (which must be inside the frame).
    public func row(_ y: Int) -> ArraySlice<Cell> {
        precondition(y >= 0 && y < height, "row \(y) outside a frame of height \(height)")
        return cells[(y * width)..<((y + 1) * width)]
    }

    /// The rows from top to bottom.
    public var rows: [ArraySlice<Cell>] {
        (0..<height).map(row)
    }

    /// Rows whose cells differ from the same row of `previous` (every row when the sizes differ).
    public func changedRows(since previous: Frame) -> [Int] {
        guard previous.width == width, previous.height == height else { return Array(0..<height) }
        return (0..<height).filter { row($0) != previous.row($0) }
    }

    // MARK: Writing

    /// Writes `text` from `point` on one row, in `style`, clipped to `clip` and the frame.
    ///
    /// Control characters are replaced (see `Character.terminalSafe`); a two-column character
    /// that would straddle the clip's right or left edge is replaced by a space; a zero-width
    /// cluster at the start of `text` is attached to the cell before `point`.
    /// - Returns: the column after the last character, where writing stopped at the clip edge.
    @discardableResult
    public mutating func put(
        _ text: some StringProtocol,
        at point: Point,
        style: Style = .text,
        clip: Rect? = nil
    )
        -> Int
    {
        let area = (clip ?? bounds).intersection(bounds)
        guard point.y >= area.y, point.y < area.maxY, !area.isEmpty else { return point.x }
        var x = point.x
        for character in text {
            if x >= area.maxX {
                break
            }
            let width = character.terminalWidth
            if width == 0 {
                attach(character, before: Point(x: x, y: point.y), within: area)
                continue
            }
            if x < area.x {
                if width == 2 && x + 1 == area.x {
                    store(.blank(style), x: area.x, y: point.y)
                }
                x += width
                continue
            }
            if width == 2 && x + 1 >= area.maxX {
                store(.blank(style), x: x, y: point.y)
                x += 1
                break
            }
            store(Cell(character.terminalSafe, width: width, style: style), x: x, y: point.y)
            x += width
        }
        return x
    }

    /// Convenience for `put(_:at:style:clip:)` with separate coordinates.
    @discardableResult
    public mutating func put(
        _ text: some StringProtocol,
        x: Int,
        y: Int,
        style: Style = .text,
        clip: Rect? = nil
    )
        -> Int
    {
        put(text, at: Point(x: x, y: y), style: style, clip: clip)
    }

    /// Writes `text` fitted into one row of `rect`: truncated with an ellipsis when too long,
    /// aligned and padded with spaces in `style` otherwise.
    public mutating func put(_ text: some StringProtocol, in rect: Rect, alignment: Alignment = .leading, style: Style)
    {
        guard rect.width > 0, rect.height > 0 else { return }
        let line = TextLayout.padded(text, toColumns: rect.width, alignment: alignment, ellipsis: lineDrawing.ellipsis)
        put(line, at: rect.origin, style: style, clip: rect)
    }

    /// Fills `rect` (clipped to the frame) with `character` in `style`.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .text) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let width = character.terminalWidth
        if width == 1 {
            let cell = Cell(character.terminalSafe, width: 1, style: style)
            for y in area.y..<area.maxY {
                for x in area.x..<area.maxX {
                    store(cell, x: x, y: y)
                }
            }
        } else {
            let line = String(repeating: character, count: area.width)
            for y in area.y..<area.maxY {
                put(line, at: Point(x: area.x, y: y), style: style, clip: area)
            }
        }
    }

    /// Changes the style of every cell in `rect`, keeping the text (to highlight a row).
    public mutating func restyle(_ rect: Rect, style: Style) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX {
                cells[y * width + x].style = style
            }
        }
    }

    // MARK: Cell invariants

    /// Stores `cell` at (x, y), keeping two-column characters whole: a wide character partly
    /// overwritten is replaced by a blank, and a wide cell claims the next column.
    private mutating func store(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let index = y * width + x
        let old = cells[index]
        if old.width == 2 && x + 1 < width {
            cells[index + 1] = .blank(cells[index + 1].style)
        }
        if old.isContinuation && x > 0 {
            cells[index - 1] = .blank(cells[index - 1].style)
        }
        if cell.width == 2 {
            guard x + 1 < width else {
                cells[index] = .blank(cell.style)
                return
            }
            if cells[index + 1].width == 2 && x + 2 < width {
                cells[index + 2] = .blank(cells[index + 2].style)
            }
            cells[index + 1] = .continuation(cell.style)
        }
        cells[index] = cell
    }

    mutating func setLineSides(_ sides: LineSides, x: Int, y: Int) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        cells[y * width + x].lineSides = sides
    }

    /// Appends a zero-width cluster to the character left of `point`, if that is inside `area`.
    private mutating func attach(_ character: Character, before point: Point, within area: Rect) {
        var x = point.x - 1
        if x >= area.x && x < area.maxX && self[x, point.y].isContinuation {
            x -= 1
        }
        guard x >= area.x, x < area.maxX, point.y >= 0, point.y < height else { return }
        let index = point.y * width + x
        guard !cells[index].isContinuation else { return }
        cells[index].text += character.terminalSafe
    }

    // MARK: Text output

    /// Each row as a string, continuation cells skipped, so a row's string is `width` columns wide.
    public func renderLines(trimmingTrailingSpaces: Bool = false) -> [String] {
        (0..<height).map { y in
            var line = ""
            for cell in row(y) where !cell.isContinuation {
                line += cell.text
            }
            guard trimmingTrailingSpaces else { return line }
            while line.last == " " {
                line.removeLast()
            }
            return line
        }
    }
}
