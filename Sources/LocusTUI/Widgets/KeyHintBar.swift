/// One key and what it does, as shown in the hint bar (`?help`).
public struct KeyHint: Hashable, Sendable {
    public var key: String
    public var label: String

    public init(_ key: String, _ label: String) {
        self.key = key
        self.label = label
    }

    /// The label as shown after the key: none after an ASCII punctuation key (`?help`,
    /// `/filter`), a space after any other (`s sort`, `Tab focus`, `⏎ detail`).
    public var spacedLabel: String {
        guard let last = key.last, let first = label.first else { return label }
        let keyIsPunctuation = last.isASCII && (last.isPunctuation || last.isSymbol)
        return !keyIsPunctuation && !first.isWhitespace ? " " + label : label
    }
}

/// The bottom line of hints (`?help /filter s sort q quit`). Hints that do not fit are left out whole,
/// from the end, rather than cut. Only the hints' own cells are drawn, so the bar can sit on a
/// box's bottom edge.
public struct KeyHintBar: Widget {
    public var hints: [KeyHint]

    public init(_ hints: [KeyHint]) {
        self.hints = hints
    }

    public func draw(in area: Rect, frame: inout Frame) {
        guard !area.isEmpty else { return }
        let line = area.row(0)
        var x = line.x
        for hint in hints {
            let label = hint.spacedLabel
            let width = 1 + hint.key.terminalWidth + label.terminalWidth
            // One column stays free for the space that closes the bar.
            guard x + width + 1 <= line.maxX else { break }
            x = frame.put(" ", at: Point(x: x, y: line.y), style: .text, clip: line)
            x = frame.put(hint.key, at: Point(x: x, y: line.y), style: Style(.text, .bold), clip: line)
            x = frame.put(label, at: Point(x: x, y: line.y), style: .muted, clip: line)
        }
        if x > line.x {
            frame.put(" ", at: Point(x: x, y: line.y), style: .text, clip: line)
        }
    }
}
