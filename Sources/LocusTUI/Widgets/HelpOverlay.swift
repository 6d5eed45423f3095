/// A box over the screen listing a key map, section by section, scrollable when it is taller
/// than the screen.
public struct HelpOverlay: Widget {
    public var keyMap: KeyMap
    public var title: String
    /// Lines scrolled away at the top.
    public var scroll: Int
    public var closeHint: String

    public init(keyMap: KeyMap, title: String = "Help", scroll: Int = 0, closeHint: String = "Esc/? close") {
        self.keyMap = keyMap
        self.title = title
        self.scroll = scroll
        self.closeHint = closeHint
    }

    /// One line of the listing.
    public enum Line: Hashable, Sendable {
        case section(String)
        case binding(keys: String, description: String)
        case blank
    }

    /// The listing, before layout: every section title followed by its bindings.
    public var lines: [Line] {
        var lines: [Line] = []
        for (index, section) in keyMap.sections.enumerated() {
            if index > 0 {
                lines.append(.blank)
            }
            lines.append(.section(section.title))
            for binding in section.bindings {
                lines.append(.binding(keys: binding.keyLabel, description: binding.description))
            }
        }
        return lines
    }

    /// The box the overlay occupies when drawn in `area`.
    public func box(in area: Rect) -> Rect {
        let keysWidth = keyColumnWidth
        let widest = lines.reduce(closeHint.terminalWidth) { widest, line in
            switch line {
            case .section(let title): return max(widest, title.terminalWidth)
            case .binding(_, let description): return max(widest, keysWidth + 2 + description.terminalWidth)
            case .blank: return widest
            }
        }
        return area.centered(Size(width: widest + 4, height: lines.count + 2))
    }

    /// The largest useful `scroll` for `area`.
    public func maximumScroll(in area: Rect) -> Int {
        max(0, lines.count - max(0, box(in: area).height - 2))
    }

    public func draw(in area: Rect, frame: inout Frame) {
        let box = box(in: area)
        guard box.width >= 6, box.height >= 3 else {
            frame.put(title + " " + closeHint, in: area.row(0), style: Style(.dialog))
            return
        }
        let style = Style(.dialog)
        frame.fill(box, style: style)
        frame.draw(box: box, style: style, title: title)
        let inside = box.insetBy(dx: 2, dy: 1)
        let all = lines
        let first = min(max(0, scroll), max(0, all.count - inside.height))
        let keysWidth = min(keyColumnWidth, max(0, inside.width / 2))
        for (offset, line) in all.dropFirst(first).prefix(inside.height).enumerated() {
            let row = inside.row(offset)
            switch line {
            case .section(let title):
                frame.put(title, in: row, style: Style(.dialog, [.bold, .underline]))
            case .binding(let keys, let description):
                let (keysArea, rest) = row.splitColumns(atWidth: keysWidth)
                frame.put(keys, in: keysArea, style: Style(.dialog, .bold))
                frame.put(description, in: rest.inset(by: Insets(left: 2)), style: style)
            case .blank:
                break
            }
        }
        let bottom = box.maxY - 1
        let more = first + inside.height < all.count
        let marker = more ? frame.lineDrawing.sortDescending + " more · " + closeHint : closeHint
        let text =
            " " + TextLayout.truncated(marker, toColumns: box.width - 4, ellipsis: frame.lineDrawing.ellipsis) + " "
        frame.put(text, at: Point(x: box.maxX - 1 - text.terminalWidth, y: bottom), style: style, clip: box)
    }

    private var keyColumnWidth: Int {
        keyMap.bindings.reduce(0) { max($0, $1.keyLabel.terminalWidth) }
    }
}
