@testable import LocusTUI

/// Draws into a fresh frame and presents it to a text backend, as the app does with ncurses.
func render(
    width: Int,
    height: Int,
    lineDrawing: LineDrawing = .unicode,
    _ draw: (inout Frame) -> Void
) throws -> (lines: [String], frame: Frame) {
    var backend = TextBackend(width: width, height: height)
    var frame = Frame(size: backend.size, lineDrawing: lineDrawing)
    draw(&frame)
    try backend.present(frame)
    return (backend.lines, frame)
}

/// Counts how often a table asks for a row. A class, because the row closure captures it.
final class RowCounter {
    private(set) var calls: [Int] = []

    func record(_ index: Int) {
        calls.append(index)
    }
}
