/// A scrolling table with a header row, a selection marker column and virtual rows.
///
/// Only the rows that fit are fetched from `rows` and formatted, so the cost of drawing does not
/// grow with the number of rows. The selected row is highlighted with the `selected` role and
/// marked with `▶` in the first column, so it shows without colour.
public struct Table<Rows: TableRowSource>: Widget {
    public var columns: [TableColumn]
    public var rows: Rows
    public var state: TableState
    public var sort: TableSort?
    /// Shown centred when there are no rows.
    public var emptyText: String
    public var showsHeader: Bool
    /// Blank columns between neighbouring columns.
    public var spacing: Int
    /// Whether keys move this table's selection; an unfocused table shows its selection dimmed
    /// (still marked with `▶`).
    public var isFocused: Bool

    public init(
        columns: [TableColumn],
        rows: Rows,
        state: TableState = TableState(),
        sort: TableSort? = nil,
        emptyText: String = "Nothing to show",
        showsHeader: Bool = true,
        spacing: Int = 1,
        isFocused: Bool = true
    ) {
        self.columns = columns
        self.rows = rows
        self.state = state
        self.sort = sort
        self.emptyText = emptyText
        self.showsHeader = showsHeader
        self.spacing = spacing
        self.isFocused = isFocused
    }

    /// The number of rows a table drawn into `area` shows, for paging the `TableState`.
    public static func visibleRowCount(in area: Rect, showsHeader: Bool = true) -> Int {
        max(0, area.height - (showsHeader ? 1 : 0))
    }

    public func draw(in area: Rect, frame: inout Frame) {
        guard !area.isEmpty else { return }
        let glyphs = frame.lineDrawing
        let (gutter, content) = area.splitColumns(atWidth: 1)
        let widths = TableColumn.widths(of: columns, in: content.width, spacing: spacing)
        var body = area
        if showsHeader {
            let header: Rect
            (header, body) = area.splitRows(atHeight: 1)
            frame.fill(header, style: Style(.header))
            drawHeader(in: header.intersection(content), widths: widths, frame: &frame, glyphs: glyphs)
        }
        guard !body.isEmpty else { return }
        let count = rows.rowCount
        guard count > 0 else {
            let middle = body.row(body.height / 2)
            frame.put(emptyText, in: middle, alignment: .center, style: .muted)
            return
        }
        let visible = body.height
        let state = state.clamped(rowCount: count, visibleRows: visible)
        for index in state.visibleRange(rowCount: count, visibleRows: visible) {
            let line = body.row(index - state.offset)
            let isSelected = index == state.selection
            let rowStyle = isSelected ? Style(.selected, isFocused ? [] : [.dim]) : Style.text
            if isSelected {
                frame.fill(line, style: rowStyle)
                frame.put(glyphs.selectionMarker, in: gutter.intersection(line), style: rowStyle.adding(.bold))
            }
            let cells = rows.row(at: index)
            var x = content.x
            for (column, width) in zip(columns.indices, widths) {
                guard x < content.maxX else { break }
                let cellRect = Rect(x: x, y: line.y, width: min(width, content.maxX - x), height: 1)
                if column < cells.count {
                    let cell = cells[column]
                    let style = isSelected ? rowStyle : Style(cell.role ?? .text)
                    frame.put(cell.text, in: cellRect, alignment: columns[column].alignment, style: style)
                }
                x += width + spacing
            }
        }
    }

    private func drawHeader(in header: Rect, widths: [Int], frame: inout Frame, glyphs: LineDrawing) {
        let style = Style(.header, .bold)
        var x = header.x
        for (column, width) in zip(columns.indices, widths) {
            guard x < header.maxX else { break }
            let room = min(width, header.maxX - x)
            let cellRect = Rect(x: x, y: header.y, width: room, height: 1)
            var title = columns[column].title
            if let sort, sort.column == column, room > 0 {
                let marker = sort.ascending ? glyphs.sortAscending : glyphs.sortDescending
                title = TextLayout.truncated(title, toColumns: room - 1, ellipsis: glyphs.ellipsis) + marker
            }
            frame.put(title, in: cellRect, alignment: columns[column].alignment, style: style)
            x += width + spacing
        }
    }
}
