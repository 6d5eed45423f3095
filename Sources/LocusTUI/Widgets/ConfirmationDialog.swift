/// A modal box asking the operator to confirm an action that changes the world. It names the
/// action and the object it acts on, and says which keys confirm and cancel.
public struct ConfirmationDialog: Widget {
    public var title: String
    /// What will be done, as a verb phrase ("Approve migration").
    public var action: String
    /// What it is done to ("web-07 10.1.0.7/32 → dc-west").
    public var object: String
    /// Further lines (consequences, who approved before).
    public var details: [String]
    public var keysHint: String

    public init(
        title: String = "Confirm",
        action: String,
        object: String,
        details: [String] = [],
        keysHint: String = "Enter/y confirm · Esc/n cancel"
    ) {
        self.title = title
        self.action = action
        self.object = object
        self.details = details
        self.keysHint = keysHint
    }

    /// The question asked: "Approve migration web-07?".
    public var question: String { "\(action) \(object)?" }

    /// The box the dialog occupies when drawn centred in `area`.
    public func box(in area: Rect) -> Rect {
        // As wide as its longest line allows, details included: a detail wrapped in a narrow box splits
        // what the operator reviews (the digest from its word, from → to) while the screen has room.
        let widest = ([question, keysHint] + details).map(\.terminalWidth).max() ?? 0
        let textWidth = min(max(36, widest), 72)
        let width = min(area.width, textWidth + 4)
        let lines = body(width: width - 4)
        return area.centered(Size(width: width, height: lines.count + 2))
    }

    public func draw(in area: Rect, frame: inout Frame) {
        let box = box(in: area)
        guard !box.isEmpty else { return }
        let style = Style(.dialog)
        frame.fill(box, style: style)
        let framed = box.width >= 6 && box.height >= 3
        if framed {
            frame.draw(box: box, style: style, title: title)
        }
        let inside = framed ? box.insetBy(dx: 2, dy: 1) : box
        for (offset, line) in body(width: inside.width).prefix(inside.height).enumerated() {
            let lineStyle = line == keysHint ? Style(.dialog, .bold) : style
            frame.put(line, in: inside.row(offset), alignment: .leading, style: lineStyle)
        }
    }

    /// The question, details, a blank line and the keys, wrapped to `width`.
    private func body(width: Int) -> [String] {
        guard width > 0 else { return [question] }
        var lines = TextLayout.wrapped(question, toColumns: width)
        for detail in details {
            lines += TextLayout.wrapped(detail, toColumns: width)
        }
        lines.append("")
        lines.append(keysHint)
        return lines
    }
}
