/// Where frames go: the ncurses backend in production, `TextBackend` in tests.
///
/// A backend owns the difference between the last frame it showed and the next one; callers
/// render a whole `Frame` every time and present it.
public protocol RenderBackend {
    /// The size frames should have; may change between frames when the terminal is resized.
    var size: Size { get }
    /// Shows `frame`, writing only what differs from the previous one where the medium allows.
    mutating func present(_ frame: Frame) throws
}
