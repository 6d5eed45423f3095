import Testing

@testable import LocusTUI

@Suite("Frame diffing for the ncurses backend")
struct BackendDiffTests {
    private func sampleFrame() -> Frame {
        var frame = Frame(width: 30, height: 6)
        frame.draw(box: frame.bounds, title: "Workloads")
        frame.put("web-07  10.1.0.7/32", x: 2, y: 2)
        frame.put("漢字 wide", x: 2, y: 3, style: Style(.warn))
        return frame
    }

    @Test func anUnchangedFrameWritesNothing() {
        let frame = sampleFrame()
        #expect(FrameDiff.changes(from: frame, to: frame).isEmpty)
        #expect(FrameDiff.changes(from: sampleFrame(), to: sampleFrame()).isEmpty)
    }

    @Test func oneChangedCellWritesThatCellOnly() {
        let old = sampleFrame()
        var new = old
        new.put("X", x: 5, y: 2)
        let runs = FrameDiff.changes(from: old, to: new)
        #expect(runs == [CellRun(y: 2, x: 5, cells: [Cell("X")])])
    }

    @Test func aStyleChangeIsAChange() {
        let old = sampleFrame()
        var new = old
        new.restyle(Rect(x: 2, y: 2, width: 1, height: 1), style: Style(.selected))
        let runs = FrameDiff.changes(from: old, to: new)
        #expect(runs.count == 1)
        #expect(runs.first?.x == 2)
        #expect(runs.first?.cells.count == 1)
        #expect(runs.first?.cells.first?.style == Style(.selected))
    }

    @Test func separateChangesMakeSeparateRuns() {
        let old = sampleFrame()
        var new = old
        new.put("ab", x: 3, y: 4)
        new.put("c", x: 10, y: 4)
        new.put("d", x: 1, y: 1)
        let runs = FrameDiff.changes(from: old, to: new)
        #expect(runs.map(\.y) == [1, 4, 4])
        #expect(runs.map(\.x) == [1, 3, 10])
        #expect(runs.map(\.cells.count) == [1, 2, 1])
    }

    @Test func aWideCharacterIsWrittenWhole() throws {
        let old = sampleFrame()
        var new = old
        // 漢 → 字 changes only the lead cell (the continuation cells are equal); the run
        // must still carry the continuation so curses writes the character whole.
        new.put("字", x: 2, y: 3, style: Style(.warn))
        let runs = FrameDiff.changes(from: old, to: new)
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        #expect(run.x == 2)
        #expect(run.cells.count == 2)
        #expect(run.cells.first?.width == 2)
        #expect(run.cells.last?.isContinuation == true)
    }

    @Test func noPreviousFrameOrANewSizeWritesEveryCell() {
        let frame = sampleFrame()
        let first = FrameDiff.changes(from: nil, to: frame)
        #expect(first.count == frame.height)
        #expect(first.allSatisfy { $0.x == 0 && $0.cells.count == frame.width })
        let resized = FrameDiff.changes(from: Frame(width: 20, height: 6), to: frame)
        #expect(resized.count == frame.height)
    }

    @Test func runsReproduceTheNewFrame() {
        let old = sampleFrame()
        var new = old
        new.put("moved to dc-west", x: 4, y: 4, style: Style(.crit))
        new.fill(Rect(x: 1, y: 1, width: 5, height: 1), with: "#")
        var replayed = old
        for run in FrameDiff.changes(from: old, to: new) {
            var x = run.x
            for cell in run.cells {
                if !cell.isContinuation {
                    replayed.put(cell.text, x: x, y: run.y, style: cell.style)
                }
                x += 1
            }
        }
        #expect(replayed == new)
    }
}
