/// One column of a `Table`: its title, how wide it is and how its text is aligned.
public struct TableColumn: Hashable, Sendable {
    /// How a column's width is decided from the table's width.
    public enum Width: Hashable, Sendable {
        /// Exactly this many columns.
        case fixed(Int)
        /// A share (by `weight`) of what fixed and percentage columns leave, never below `min`.
        case flexible(min: Int, weight: Int = 1)
        /// This percentage of the table's width (after the gutter and the spacing).
        case percentage(Int)
    }

    public var title: String
    public var width: Width
    public var alignment: Alignment

    public init(_ title: String, width: Width, alignment: Alignment = .leading) {
        self.title = title
        self.width = width
        self.alignment = alignment
    }

    /// The widths of `columns` in `totalWidth` columns, with `spacing` columns between
    /// neighbours. The sum may exceed `totalWidth` when minimums do not fit; the table then
    /// truncates the column crossing its edge and leaves out those past it.
    public static func widths(of columns: [TableColumn], in totalWidth: Int, spacing: Int = 1) -> [Int] {
        guard !columns.isEmpty else { return [] }
        let available = max(0, totalWidth - spacing * (columns.count - 1))
        var widths = columns.map { column -> Int in
            switch column.width {
            case .fixed(let width): return max(0, width)
            case .percentage(let percent): return max(0, available * min(max(percent, 0), 100) / 100)
            case .flexible(let minimum, _): return max(0, minimum)
            }
        }
        var remaining = available - widths.reduce(0, +)
        let weights = columns.map { column -> Int in
            if case .flexible(_, let weight) = column.width { return max(0, weight) }
            return 0
        }
        let totalWeight = weights.reduce(0, +)
        guard remaining > 0, totalWeight > 0 else { return widths }
        let share = remaining
        for index in widths.indices where weights[index] > 0 {
            let extra = share * weights[index] / totalWeight
            widths[index] += extra
            remaining -= extra
        }
        for index in widths.indices where weights[index] > 0 && remaining > 0 {
            widths[index] += 1
            remaining -= 1
        }
        return widths
    }
}

/// The column a table is sorted by, shown as ▲ (ascending) or ▼ (descending) after its title.
public struct TableSort: Hashable, Sendable {
    public var column: Int
    public var ascending: Bool

    public init(column: Int, ascending: Bool = true) {
        self.column = column
        self.ascending = ascending
    }
}
