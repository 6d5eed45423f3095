import Testing

@testable import LocusTUI

@Suite("Frame")
struct FrameTests {
    @Test func putWritesAndClips() {
        var frame = Frame(width: 10, height: 2)
        let end = frame.put("hello world", at: Point(x: 2, y: 0), clip: Rect(x: 0, y: 0, width: 8, height: 1))
        #expect(end == 8)
        #expect(frame.renderLines() == ["  hello   ", "          "])
    }

    @Test func putOutsideTheClipRowWritesNothing() {
        var frame = Frame(width: 4, height: 2)
        frame.put("abcd", at: Point(x: 0, y: 1), clip: Rect(x: 0, y: 0, width: 4, height: 1))
        frame.put("abcd", at: Point(x: 0, y: 5))
        frame.put("abcd", at: Point(x: -2, y: 0))
        #expect(frame.renderLines() == ["cd  ", "    "])
    }

    @Test func wideCharactersTakeTwoCellsAndStraddlingOnesAreReplaced() {
        var frame = Frame(width: 5, height: 1)
        frame.put("漢字漢", at: Point(x: 0, y: 0))
        #expect(frame[0, 0].text == "漢")
        #expect(frame[1, 0].isContinuation)
        #expect(frame[4, 0].text == " ")
        #expect(frame.renderLines() == ["漢字 "])
        #expect(frame.renderLines()[0].terminalWidth == 5)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var frame = Frame(width: 4, height: 1)
        frame.put("漢字", at: Point(x: 0, y: 0))
        frame.put("x", at: Point(x: 1, y: 0))
        #expect(frame.renderLines() == [" x字"])
        frame.put("y", at: Point(x: 2, y: 0))
        #expect(frame.renderLines() == [" xy "])
    }

    @Test func controlCharactersAreReplaced() {
        var frame = Frame(width: 6, height: 1)
        frame.put("a\u{1B}[2Jb\tc", at: Point(x: 0, y: 0))
        #expect(frame.renderLines() == ["a\u{FFFD}[2Jb"])
    }

    @Test func leadingCombiningMarkAttachesToThePreviousCell() {
        var frame = Frame(width: 4, height: 1)
        frame.put("e", at: Point(x: 0, y: 0))
        frame.put("\u{301}x", at: Point(x: 1, y: 0))
        #expect(frame[0, 0].text == "e\u{301}")
        #expect(frame[1, 0].text == "x")
    }

    @Test func boxesJoinWithDividers() {
        var frame = Frame(width: 9, height: 4)
        frame.draw(box: frame.bounds, title: "T")
        frame.drawVerticalLine(x: 5, from: 0, to: 3)
        frame.drawHorizontalLine(y: 2, from: 0, to: 8)
        #expect(
            frame.renderLines() == [
                "┌ T ─┬──┐",
                "│    │  │",
                "├────┼──┤",
                "└────┴──┘",
            ]
        )
    }

    @Test func asciiBoxes() {
        var frame = Frame(width: 4, height: 3, lineDrawing: .ascii)
        frame.draw(box: frame.bounds)
        #expect(frame.renderLines() == ["+--+", "|  |", "+--+"])
    }

    @Test(arguments: [(0, 0), (1, 1), (1, 5), (5, 1)])
    func boxesTooSmallAreNotDrawn(width: Int, height: Int) {
        var frame = Frame(width: 6, height: 6)
        frame.draw(box: Rect(x: 0, y: 0, width: width, height: height))
        #expect(frame.renderLines(trimmingTrailingSpaces: true).allSatisfy { $0.isEmpty })
    }

    @Test func changedRowsFindsOnlyDifferences() {
        let before = Frame(width: 3, height: 3)
        var after = before
        after.put("x", at: Point(x: 1, y: 1))
        #expect(after.changedRows(since: before) == [1])
        #expect(after != before)
    }

    @Test func textBackendKeepsThePresentedFrame() throws {
        var backend = TextBackend(width: 3, height: 1)
        var frame = Frame(size: backend.size)
        frame.put("ok", at: Point(x: 0, y: 0))
        try backend.present(frame)
        #expect(backend.lines == ["ok "])
        #expect(backend.text == "ok")
        #expect(backend.presentCount == 1)
    }

    @Test func rectSplitsNeverGoNegative() {
        let rect = Rect(x: 1, y: 1, width: 3, height: 2)
        #expect(rect.insetBy(dx: 5, dy: 5).isEmpty)
        #expect(rect.splitColumns(atWidth: 10).right.width == 0)
        #expect(rect.splitRows(bottomHeight: 1).bottom == Rect(x: 1, y: 2, width: 3, height: 1))
        #expect(rect.centered(Size(width: 1, height: 1)) == Rect(x: 2, y: 1, width: 1, height: 1))
    }
}
