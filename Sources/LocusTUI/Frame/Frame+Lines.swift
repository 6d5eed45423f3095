/// Lines and boxes. Where a line crosses or meets another line of the same role, the two join
/// (`├ ┤ ┬ ┴ ┼`), so panes can be divided after their outer box is drawn.
extension Frame {
    /// Draws a box on the edge of `box`, with an optional title on its top edge (`┌ Title ──┐`).
    /// Boxes smaller than 2×2 are not drawn: half a box would be a garbled border.
    public mutating func draw(box: Rect, style: Style = .border, title: String? = nil, titleStyle: Style? = nil) {
        guard box.width >= 2, box.height >= 2 else { return }
        let right = box.maxX - 1
        let bottom = box.maxY - 1
        drawHorizontalLine(y: box.y, from: box.x, to: right, style: style)
        drawHorizontalLine(y: bottom, from: box.x, to: right, style: style)
        drawVerticalLine(x: box.x, from: box.y, to: bottom, style: style)
        drawVerticalLine(x: right, from: box.y, to: bottom, style: style)
        if let title, !title.isEmpty {
            drawTitle(title, on: box, style: titleStyle ?? style.adding(.bold))
        }
    }

    /// Writes ` title ` on the top edge of `box`, after the corner, truncated to fit.
    public mutating func drawTitle(_ title: String, on box: Rect, style: Style) {
        let room = box.width - 4
        guard room > 0, box.height > 0 else { return }
        let text = TextLayout.truncated(title, toColumns: room, ellipsis: lineDrawing.ellipsis)
        put(" " + text + " ", at: Point(x: box.x + 1, y: box.y), style: style, clip: box.insetBy(dx: 1, dy: 0))
    }

    /// A horizontal line on row `y` from column `x0` to `x1` inclusive. Its ends reach only
    /// inwards, so an end on a vertical line makes `├` or `┤`.
    public mutating func drawHorizontalLine(y: Int, from x0: Int, to x1: Int, style: Style = .border) {
        guard x1 >= x0 else { return }
        for x in x0...x1 {
            var sides: LineSides = []
            if x > x0 { sides.insert(.left) }
            if x < x1 { sides.insert(.right) }
            if x0 == x1 { sides = .horizontal }
            addLine(sides, x: x, y: y, style: style)
        }
    }

    /// A vertical line in column `x` from row `y0` to `y1` inclusive. Its ends reach only
    /// inwards, so an end on a horizontal line makes `┬` or `┴`.
    public mutating func drawVerticalLine(x: Int, from y0: Int, to y1: Int, style: Style = .border) {
        guard y1 >= y0 else { return }
        for y in y0...y1 {
            var sides: LineSides = []
            if y > y0 { sides.insert(.up) }
            if y < y1 { sides.insert(.down) }
            if y0 == y1 { sides = .vertical }
            addLine(sides, x: x, y: y, style: style)
        }
    }

    private mutating func addLine(_ sides: LineSides, x: Int, y: Int, style: Style) {
        guard bounds.contains(x: x, y: y) else { return }
        let existing = self[x, y]
        var merged = sides
        if existing.style.role == style.role {
            if !existing.lineSides.isEmpty {
                merged.formUnion(existing.lineSides)
            } else if let old = LineDrawing.sides(of: existing.text) {
                merged.formUnion(old)
            }
        }
        put(lineDrawing.character(for: merged), at: Point(x: x, y: y), style: style)
        setLineSides(merged, x: x, y: y)
    }
}
