/// A message centred in its area, boxed when there is room. The first of `messages` whose
/// wrapped lines fit is shown, so a notice can offer shorter wordings for tiny areas.
public struct Notice: Widget {
    /// Wordings from the fullest to the shortest.
    public var messages: [String]
    public var style: Style

    public init(_ message: String, shorter: [String] = [], style: Style = Style(.warn, .bold)) {
        self.messages = [message] + shorter
        self.style = style
    }

    public func draw(in area: Rect, frame: inout Frame) {
        guard !area.isEmpty else { return }
        // The fullest wording that fits wins; a box around it only when there is room.
        for message in messages {
            for framed in [true, false] {
                let inside = framed ? area.insetBy(dx: 2, dy: 1) : area
                guard !inside.isEmpty else { continue }
                let lines = TextLayout.wrapped(message, toColumns: inside.width)
                guard lines.count <= inside.height, lines.allSatisfy({ $0.terminalWidth <= inside.width }) else {
                    continue
                }
                let widest = lines.map(\.terminalWidth).max() ?? 0
                let textArea = inside.centered(Size(width: widest, height: lines.count))
                if framed {
                    let box = textArea.inset(by: Insets(top: -1, left: -2, bottom: -1, right: -2))
                    frame.fill(box, style: style)
                    frame.draw(box: box, style: Style(style.role))
                }
                for (offset, line) in lines.enumerated() {
                    frame.put(line, in: textArea.row(offset), alignment: .center, style: style)
                }
                return
            }
        }
        let shortest = messages.last ?? ""
        frame.put(shortest, in: area.row(area.height / 2), alignment: .center, style: style)
    }
}

/// The smallest terminal the dashboard lays out for; below it the whole screen shows a notice.
public struct MinimumSize: Hashable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// What the dashboard's layout needs: 60×15.
    public static let dashboard = MinimumSize(width: 60, height: 15)

    public func isSatisfied(by size: Size) -> Bool {
        size.width >= width && size.height >= height
    }

    /// "Terminal too small: 50×12, need at least 60×15".
    public func message(for size: Size) -> String {
        "Terminal too small: \(size.width)×\(size.height), need at least \(width)×\(height)"
    }

    /// The notice for a terminal of `size`, with shorter wordings for tiny ones.
    public func notice(for size: Size) -> Notice {
        Notice(
            message(for: size),
            shorter: [
                "Too small: \(size.width)×\(size.height) need \(width)×\(height)",
                "too small need \(width)×\(height)",
                "too small",
                "small",
            ]
        )
    }

    /// When `frame` is smaller than this, clears it, draws the notice and returns true: the
    /// caller then draws nothing else.
    @discardableResult
    public func drawNoticeIfTooSmall(in frame: inout Frame) -> Bool {
        guard !isSatisfied(by: frame.size) else { return false }
        frame.fill(frame.bounds, style: .text)
        frame.render(notice(for: frame.size), in: frame.bounds)
        return true
    }
}
