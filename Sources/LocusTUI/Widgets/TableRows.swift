/// The text of one table cell, with an optional role for state (a `crit` locator, an `ok` check).
/// States are never shown by colour alone: put a `StateMark` or a word in the text too.
public struct TableCell: Hashable, Sendable, ExpressibleByStringLiteral {
    public var text: String
    public var role: Role?

    public init(_ text: String, role: Role? = nil) {
        self.text = text
        self.role = role
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }
}

/// Where a table's rows come from. A table asks only for the rows it shows, so a source may
/// compute rows on demand: a million rows cost what the visible forty do.
public protocol TableRowSource {
    var rowCount: Int { get }
    /// The cells of row `index` (`0..<rowCount`), one per column; missing cells are blank.
    func row(at index: Int) -> [TableCell]
}

/// Rows computed on demand by a closure.
public struct RowProvider: TableRowSource {
    public let rowCount: Int
    private let makeRow: (Int) -> [TableCell]

    public init(count: Int, cells: @escaping (Int) -> [TableCell]) {
        self.rowCount = max(0, count)
        self.makeRow = cells
    }

    public init(count: Int, text: @escaping (Int) -> [String]) {
        self.init(count: count) { index in text(index).map { TableCell($0) } }
    }

    public func row(at index: Int) -> [TableCell] {
        makeRow(index)
    }
}

/// Rows held in an array.
public struct ArrayRows: TableRowSource, Hashable, Sendable {
    public var rows: [[TableCell]]

    public init(_ rows: [[TableCell]]) {
        self.rows = rows
    }

    public init(text rows: [[String]]) {
        self.rows = rows.map { $0.map { TableCell($0) } }
    }

    public var rowCount: Int { rows.count }

    public func row(at index: Int) -> [TableCell] {
        rows[index]
    }
}
