/// A run of text in one style.
public struct Span: Hashable, Sendable, ExpressibleByStringLiteral {
    public var text: String
    public var style: Style

    public init(_ text: String, style: Style = .text) {
        self.text = text
        self.style = style
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }
}

/// One line of differently styled spans (`✓` in `ok`, then the dependency in `text`).
public struct StyledLine: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    public var spans: [Span]

    public init(_ spans: [Span]) {
        self.spans = spans
    }

    public init(_ text: String, style: Style = .text) {
        self.spans = [Span(text, style: style)]
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public init(arrayLiteral elements: Span...) {
        self.init(elements)
    }

    /// The line with a state's sign in front: `✓ text` with the sign in the state's style.
    public static func marked(_ mark: StateMark, _ spans: [Span], lineDrawing: LineDrawing = .unicode) -> StyledLine {
        StyledLine([Span(mark.symbol(lineDrawing), style: mark.style), Span(" ")] + spans)
    }

    public var terminalWidth: Int { spans.reduce(0) { $0 + $1.text.terminalWidth } }
}

/// Lines of styled text, one per row from `scroll`, each cut with `…` when too long: the detail
/// pane, the event list, a message.
public struct TextView: Widget {
    public var lines: [StyledLine]
    /// Lines scrolled away at the top.
    public var scroll: Int
    /// A line drawn as selected (a cursor in the text), across the whole row like a table's
    /// selected row, its spans keeping only their attributes.
    public var highlightedLine: Int?

    public init(_ lines: [StyledLine], scroll: Int = 0, highlightedLine: Int? = nil) {
        self.lines = lines
        self.scroll = scroll
        self.highlightedLine = highlightedLine
    }

    /// The largest useful `scroll` for an area `height` rows high.
    public func maximumScroll(height: Int) -> Int {
        max(0, lines.count - max(0, height))
    }

    public func draw(in area: Rect, frame: inout Frame) {
        guard !area.isEmpty else { return }
        let first = min(max(0, scroll), maximumScroll(height: area.height))
        for (offset, line) in lines.dropFirst(first).prefix(area.height).enumerated() {
            guard first + offset == highlightedLine else {
                draw(line, in: area.row(offset), frame: &frame)
                continue
            }
            frame.fill(area.row(offset), style: Style(.selected))
            let selected = line.spans.map { Span($0.text, style: Style(.selected, $0.style.attributes)) }
            draw(StyledLine(selected), in: area.row(offset), frame: &frame)
        }
    }

    private func draw(_ line: StyledLine, in row: Rect, frame: inout Frame) {
        let fits = line.terminalWidth <= row.width
        let ellipsis = frame.lineDrawing.ellipsis
        var x = row.x
        for span in line.spans {
            guard x < row.maxX else { break }
            let width = span.text.terminalWidth
            // When the line is cut, the span that reaches the last column ends with the ellipsis.
            if fits || x + width < row.maxX {
                x = frame.put(span.text, at: Point(x: x, y: row.y), style: span.style, clip: row)
                continue
            }
            let room = row.maxX - x - ellipsis.terminalWidth
            var cut = ""
            var used = 0
            for character in span.text {
                let characterWidth = character.terminalWidth
                guard used + characterWidth <= room else { break }
                cut.append(character)
                used += characterWidth
            }
            x = frame.put(cut + ellipsis, at: Point(x: x, y: row.y), style: span.style, clip: row)
            break
        }
    }
}
