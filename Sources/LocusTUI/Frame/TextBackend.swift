/// A backend that keeps the presented frame as plain text, for tests and headless output.
public struct TextBackend: RenderBackend {
    public var size: Size
    /// The last frame presented.
    public private(set) var frame: Frame?
    /// How many frames were presented.
    public private(set) var presentCount = 0

    public init(size: Size) {
        self.size = size
    }

    public init(width: Int, height: Int) {
        self.init(size: Size(width: width, height: height))
    }

    public mutating func present(_ frame: Frame) throws {
        self.frame = frame
        presentCount += 1
    }

    /// The last frame's rows as strings, one per row (empty before the first frame).
    public var lines: [String] { frame?.renderLines() ?? [] }

    /// The last frame's rows as one string, rows joined by newlines, trailing spaces removed.
    public var text: String {
        (frame?.renderLines(trimmingTrailingSpaces: true) ?? []).joined(separator: "\n")
    }
}
