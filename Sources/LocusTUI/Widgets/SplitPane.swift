/// Two panes sharing a rectangle by a ratio, with a divider line between them.
public struct SplitPane: Widget, Hashable, Sendable {
    public enum Axis: Hashable, Sendable {
        /// Side by side: the first pane left, the second right.
        case horizontal
        /// Stacked: the first pane on top, the second below.
        case vertical
    }

    public var axis: Axis
    /// The first pane's share of the space, 0...1.
    public var ratio: Double
    /// Draws a one-cell line between the panes (taken from the space).
    public var showsDivider: Bool
    /// When the split is inside a box, extends the divider onto the box edges so it joins them
    /// (`┬` `┴` or `├` `┤`).
    public var joinsEnclosingBox: Bool
    public var style: Style

    public init(
        axis: Axis,
        ratio: Double = 0.5,
        showsDivider: Bool = true,
        joinsEnclosingBox: Bool = false,
        style: Style = .border
    ) {
        self.axis = axis
        self.ratio = ratio
        self.showsDivider = showsDivider
        self.joinsEnclosingBox = joinsEnclosingBox
        self.style = style
    }

    /// The panes' rectangles in `area` (the divider, if any, lies between them).
    public func layout(_ area: Rect) -> (first: Rect, second: Rect) {
        let divider = showsDivider ? 1 : 0
        let share = min(max(ratio.isNaN ? 0.5 : ratio, 0), 1)
        switch axis {
        case .horizontal:
            let room = max(0, area.width - divider)
            let first = Int((Double(room) * share).rounded())
            let (left, rest) = area.splitColumns(atWidth: first)
            return (left, rest.inset(by: Insets(left: min(divider, rest.width))))
        case .vertical:
            let room = max(0, area.height - divider)
            let first = Int((Double(room) * share).rounded())
            let (top, rest) = area.splitRows(atHeight: first)
            return (top, rest.inset(by: Insets(top: min(divider, rest.height))))
        }
    }

    /// Draws the divider; the panes' content is drawn by the caller into `layout(area)`.
    public func draw(in area: Rect, frame: inout Frame) {
        guard showsDivider, !area.isEmpty else { return }
        let first = layout(area).first
        let reach = joinsEnclosingBox ? 1 : 0
        switch axis {
        case .horizontal:
            guard first.maxX < area.maxX else { return }
            frame.drawVerticalLine(x: first.maxX, from: area.y - reach, to: area.maxY - 1 + reach, style: style)
        case .vertical:
            guard first.maxY < area.maxY else { return }
            frame.drawHorizontalLine(y: first.maxY, from: area.x - reach, to: area.maxX - 1 + reach, style: style)
        }
    }
}
