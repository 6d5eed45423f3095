/// The top line: context on the left (name, counts, source health), the clock on the right.
public struct HeaderBar: Widget {
    public struct Segment: Hashable, Sendable, ExpressibleByStringLiteral {
        public var text: String
        public var style: Style

        public init(_ text: String, style: Style = Style(.header)) {
            self.text = text
            self.style = style
        }

        public init(stringLiteral value: String) {
            self.init(value)
        }
    }

    public var left: [Segment]
    public var right: [Segment]
    /// Put between neighbouring segments.
    public var separator: String

    public init(left: [Segment], right: [Segment] = [], separator: String = "  ") {
        self.left = left
        self.right = right
        self.separator = separator
    }

    public func draw(in area: Rect, frame: inout Frame) {
        guard !area.isEmpty else { return }
        let line = area.row(0)
        frame.fill(line, style: Style(.header))
        let rightWidth = Self.width(of: right, separator: separator)
        // The left side says where the operator is; it keeps at least a useful stretch and the
        // right side is dropped rather than squeezing it.
        let showsRight =
            !right.isEmpty && line.width - rightWidth - 1 >= min(20, Self.width(of: left, separator: separator))
        let leftArea = showsRight ? line.splitColumns(rightWidth: rightWidth + 1).left : line
        draw(left, in: leftArea, frame: &frame)
        if showsRight {
            draw(right, in: line.splitColumns(rightWidth: rightWidth).right, frame: &frame)
        }
    }

    private func draw(_ segments: [Segment], in area: Rect, frame: inout Frame) {
        var x = area.x
        for (index, segment) in segments.enumerated() {
            if index > 0 {
                x = frame.put(separator, at: Point(x: x, y: area.y), style: Style(.header), clip: area)
            }
            guard x < area.maxX else { return }
            let room = Rect(x: x, y: area.y, width: area.maxX - x, height: 1)
            let text = TextLayout.truncated(segment.text, toColumns: room.width, ellipsis: frame.lineDrawing.ellipsis)
            x = frame.put(text, at: room.origin, style: segment.style, clip: room)
        }
    }

    private static func width(of segments: [Segment], separator: String) -> Int {
        guard !segments.isEmpty else { return 0 }
        return segments.reduce(0) { $0 + $1.text.terminalWidth } + separator.terminalWidth * (segments.count - 1)
    }
}
