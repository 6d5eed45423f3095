/// Consecutive cells of one row that differ from what the terminal shows.
public struct CellRun: Hashable, Sendable {
    /// The row.
    public var y: Int
    /// The first column; never a continuation cell.
    public var x: Int
    /// The cells from `x` on, continuation cells included so that `x + cells.count` is the column after the run.
    public var cells: [Cell]

    public init(y: Int, x: Int, cells: [Cell]) {
        self.y = y
        self.x = x
        self.cells = cells
    }
}

/// What must be written to turn one frame into the next.
///
/// Pure, so the promise "an unchanged frame writes nothing" is unit-tested
/// rather than trusted: the ncurses backend writes exactly these runs.
public enum FrameDiff {
    /// The runs of cells in `new` that differ from `old`; every cell of `new` when there is no
    /// `old` or its size differs.
    ///
    /// A two-column character is always written whole: when either of its two cells changed,
    /// the run covers both.
    public static func changes(from old: Frame?, to new: Frame) -> [CellRun] {
        guard let old, old.width == new.width, old.height == new.height else {
            return (0..<new.height).compactMap { y in
                new.width > 0 ? CellRun(y: y, x: 0, cells: Array(new.row(y))) : nil
            }
        }
        var runs: [CellRun] = []
        for y in 0..<new.height {
            let before = old.row(y)
            let after = new.row(y)
            guard before != after else { continue }
            runs += changes(inRow: y, from: Array(before), to: Array(after))
        }
        return runs
    }

    private static func changes(inRow y: Int, from old: [Cell], to new: [Cell]) -> [CellRun] {
        let width = new.count
        var changed = (0..<width).map { old[$0] != new[$0] }
        for x in 0..<width where changed[x] {
            if new[x].isContinuation && x > 0 {
                changed[x - 1] = true
            }
            if new[x].width == 2 && x + 1 < width {
                changed[x + 1] = true
            }
        }
        var runs: [CellRun] = []
        var x = 0
        while x < width {
            guard changed[x] else {
                x += 1
                continue
            }
            let start = x
            while x < width && changed[x] {
                x += 1
            }
            runs.append(CellRun(y: y, x: start, cells: Array(new[start..<x])))
        }
        return runs
    }
}
