/// Which row of a table is selected and which row is at the top: the part of a table that
/// lives in the UI state between renders.
public struct TableState: Hashable, Sendable {
    /// The selected row, `0..<rowCount` (0 when there are no rows).
    public var selection: Int
    /// The first visible row.
    public var offset: Int

    public init(selection: Int = 0, offset: Int = 0) {
        self.selection = selection
        self.offset = offset
    }

    /// A way of moving the selection.
    public enum Motion: Hashable, Sendable {
        case up(Int)
        case down(Int)
        case pageUp
        case pageDown
        case top
        case bottom
        case to(Int)
    }

    /// Moves the selection, then scrolls as little as needed to keep it visible.
    public mutating func move(_ motion: Motion, rowCount: Int, visibleRows: Int) {
        let page = max(1, visibleRows)
        switch motion {
        case .up(let count):
            selection -= count
        case .down(let count):
            selection += count
        case .pageUp:
            selection -= page
            offset -= page
        case .pageDown:
            selection += page
            offset += page
        case .top:
            selection = 0
        case .bottom:
            selection = rowCount - 1
        case .to(let index):
            selection = index
        }
        self = clamped(rowCount: rowCount, visibleRows: visibleRows)
    }

    /// The state with the selection inside `0..<rowCount`, the selection visible, and no empty
    /// rows below the last one while earlier rows are scrolled away.
    public func clamped(rowCount: Int, visibleRows: Int) -> TableState {
        guard rowCount > 0 else { return TableState(selection: 0, offset: 0) }
        let visible = max(1, visibleRows)
        let selection = min(max(0, selection), rowCount - 1)
        var offset = min(max(0, offset), max(0, rowCount - visible))
        if selection < offset {
            offset = selection
        } else if selection >= offset + visible {
            offset = selection - visible + 1
        }
        return TableState(selection: selection, offset: offset)
    }

    /// The rows shown: at most `visibleRows` from the offset.
    public func visibleRange(rowCount: Int, visibleRows: Int) -> Range<Int> {
        let state = clamped(rowCount: rowCount, visibleRows: visibleRows)
        return state.offset..<min(rowCount, state.offset + max(0, visibleRows))
    }
}
