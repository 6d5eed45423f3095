/// A value that draws itself into a rectangle of a frame, and only there.
///
/// Widgets hold what they show, not where: the caller lays out rectangles and passes one in.
/// Drawing never fails; a rectangle too small for the content shows what fits.
public protocol Widget {
    func draw(in area: Rect, frame: inout Frame)
}

extension Frame {
    /// Draws `widget` into `area` of this frame.
    public mutating func render(_ widget: some Widget, in area: Rect) {
        widget.draw(in: area, frame: &self)
    }
}
