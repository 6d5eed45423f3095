/// What drawing depends on besides the state being drawn: the line characters the terminal can
/// show and the colours it supports. Backends create it; widgets read `Frame.lineDrawing`.
public struct RenderContext: Hashable, Sendable {
    public var lineDrawing: LineDrawing
    public var colorDepth: ColorDepth

    public init(lineDrawing: LineDrawing = .unicode, colorDepth: ColorDepth = .c256) {
        self.lineDrawing = lineDrawing
        self.colorDepth = colorDepth
    }
}
