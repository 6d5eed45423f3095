/// Numbered view tabs (`1 Workloads  2 Alerts (3)`). The active tab has the `tabActive` role
/// and brackets, so it shows in monochrome too; every tab keeps its position whichever is active.
public struct TabBar: Widget {
    public var titles: [String]
    public var active: Int

    public init(titles: [String], active: Int) {
        self.titles = titles
        self.active = active
    }

    /// The label of tab `index`: its number (from 1) and title, or the number alone.
    public func label(_ index: Int, short: Bool = false) -> String {
        short ? "\(index + 1)" : "\(index + 1) \(titles[index])"
    }

    public func draw(in area: Rect, frame: inout Frame) {
        guard !area.isEmpty else { return }
        let line = area.row(0)
        frame.fill(line, style: Style(.tab))
        let full = titles.indices.reduce(0) { $0 + label($1).terminalWidth + 2 }
        // When the full titles do not fit, inactive tabs shrink to their numbers.
        let shortensInactive = full > line.width
        var x = line.x
        for index in titles.indices {
            guard x < line.maxX else { break }
            let isActive = index == active
            let text = label(index, short: shortensInactive && !isActive)
            let style = isActive ? Style(.tabActive, .bold) : Style(.tab)
            x = frame.put(isActive ? "[" : " ", at: Point(x: x, y: line.y), style: style, clip: line)
            x = frame.put(text, at: Point(x: x, y: line.y), style: style, clip: line)
            x = frame.put(isActive ? "]" : " ", at: Point(x: x, y: line.y), style: style, clip: line)
        }
    }
}
