import Foundation
import LocusCore
import Testing

@testable import LocusTUI

/// The dependency cursor and the last-check box, rendered by the whole shell into the text backend.
@Suite("Dependency last check on screen")
struct DependencyCheckRenderTests {
    typealias D = DependencyFixtures

    private func context(width: Int, height: Int) -> ShellContext {
        ShellContext(
            size: Size(width: width, height: height),
            configName: "lab",
            operatorName: "ops",
            clock: ClockTime(hour: 8, minute: 10),
            world: .empty
        )
    }

    /// The screen after `keys` from web-01 selected in the list, and the frame drawn.
    private func screen(
        _ keys: [Key],
        data: LiveData = D.data(),
        width: Int = 120,
        height: Int = 30
    ) throws -> (lines: [String], frame: Frame) {
        let rows = Shell.liveListRows(size: Size(width: width, height: height))
        var state = D.selecting("web-01")
        for key in keys {
            state = try #require(LiveKeys.reduce(state, key: key, data: data, visibleRows: rows))
        }
        let frame = Shell.render(state, context(width: width, height: height), live: data)
        var backend = TextBackend(size: frame.size)
        try backend.present(frame)
        return (backend.lines, frame)
    }

    @Test func theCheckShowsWhatWasAskedWhatCameBackWhenAndTheRTT() throws {
        let (lines, _) = try screen([.tab, .enter])
        let text = lines.joinedText
        #expect(text.contains("Last check · web-01 · dns web-01.lab."))
        #expect(text.contains("state     ✗ stale"))
        #expect(text.contains("check     asked 127.0.0.1:5353 for web-01.lab. A and AAAA"))
        #expect(text.contains("expected  10.1.0.1 "))
        #expect(text.contains("observed  10.1.0.1, 10.9.0.1 (the workload's previous address)"))
        #expect(text.contains("checked   5m ago · 2027-01-15T08:05:00Z"))
        #expect(text.contains("rtt       2.5 ms"))
        #expect(text.contains("ttl       300s, above the 60s threshold"))
        #expect(text.contains("Enter close · Esc list"))
    }

    @Test func aCheckWithoutAnswerSaysSo() throws {
        let (lines, _) = try screen([.tab, .character("G"), .enter])
        let text = lines.joinedText
        #expect(text.contains("Last check · web-01 · tcp 127.0.0.1:88"))
        #expect(text.contains("role      auth"))
        #expect(text.contains("check     connection refused"))
        #expect(text.contains("expected  —"))
        #expect(text.contains("observed  nothing"))
        #expect(text.contains("rtt       no answer"))
        #expect(!text.contains("ttl  "))
    }

    @Test func arrowsShowTheNextDependencysCheck() throws {
        let text = try screen([.tab, .enter, .down]).lines.joinedText
        #expect(text.contains("Last check · web-01 · lb web/web-01"))
        #expect(text.contains("rtt       12 ms"))
        #expect(!text.contains("Last check · web-01 · dns"))
    }

    @Test func theCheckFollowsANewSnapshot() throws {
        var lb = D.lb
        lb.state = .stale
        lb.observed = "10.9.0.1:80"
        lb.checkedAt = D.checked.addingTimeInterval(4 * 60)
        let (lines, _) = try screen([.tab, .down, .enter], data: D.data(web01: [D.dns, lb, D.tcp]))
        let text = lines.joinedText
        #expect(text.contains("state     ✗ stale"))
        #expect(text.contains("observed  10.9.0.1:80"))
        #expect(text.contains("checked   1m ago · 2027-01-15T08:09:00Z"))
    }

    @Test func theCursorRowIsHighlightedOnlyWhileTheDetailHasFocus() throws {
        let (lines, frame) = try screen([.tab, .down])
        let y = try #require(lines.firstIndex { $0.contains("ok  lb web/web-01") })
        let row = lines[y]
        let marker = try #require(row.firstIndex(of: "▶"))
        let x = row.distance(from: row.startIndex, to: marker)
        #expect(frame[x, y].style.role == .selected)
        #expect(frame[x + 2, y].style.role == .selected)
        #expect(frame[frame.width - 2, y].style.role == .selected)
        let dns = try #require(lines.firstIndex { $0.contains("dns web-01.lab.") })
        #expect(!lines[dns].contains("▶"))
        #expect(frame[frame.width - 2, dns].style.role != .selected)

        let (listLines, listFrame) = try screen([.tab, .down, .tab])
        let same = try #require(listLines.firstIndex { $0.contains("ok  lb web/web-01") })
        #expect(listFrame[listFrame.width - 2, same].style.role != .selected)
    }

    @Test func theHintsNameTheKeysOfEachMode() throws {
        let list = try screen([]).lines.last ?? ""
        #expect(list.contains("⏎ detail"))
        let detail = try screen([.tab]).lines.last ?? ""
        #expect(detail.contains("⏎ last check"))
        #expect(detail.contains("Esc list"))
        let check = try screen([.tab, .enter]).lines.last ?? ""
        #expect(check.contains("↑↓ previous/next"))
        #expect(check.contains("⏎ close"))
        #expect(check.contains("Esc list"))
        #expect(!check.contains("q quit"))
    }

    @Test func atEightyByTwentyFourTheDetailAndTheCheckFit() throws {
        let (detailLines, _) = try screen([.tab], width: 80, height: 24)
        #expect(detailLines.count == 24)
        #expect(detailLines.allSatisfy { $0.terminalWidth == 80 })
        for target in ["dns web-01.lab.", "lb web/web-01", "tcp 127.0.0.1:88"] {
            #expect(detailLines.contains { $0.contains(target) }, "\(target)")
        }
        let hints = try #require(detailLines.last)
        #expect(hints.contains("⏎ last check"))
        #expect(hints.contains("q quit"))

        let (lines, _) = try screen([.tab, .enter], width: 80, height: 24)
        #expect(lines.allSatisfy { $0.terminalWidth == 80 })
        let top = try #require(lines.firstIndex { $0.contains("Last check · web-01 · dns web-01.lab.") })
        let bottom = try #require(lines.firstIndex { $0.contains("Enter close · Esc list") })
        // Inside the body: below the pane titles' divider, above the status line's divider.
        #expect(top > 2)
        #expect(bottom < 21)
        let box = lines[top...bottom].joined(separator: " ")
        for part in [
            "asked 127.0.0.1:5353", "for web-01.lab. A and AAAA", "10.9.0.1 is", "the workload's previous address",
        ] {
            #expect(box.contains(part), "\(part)")
        }
        #expect(box.contains("5m ago · 2027-01-15T08:05:00Z"))
        #expect(box.contains("2.5 ms"))
        #expect(box.contains("300s, above the 60s"))
        let left = try #require(lines[top].firstIndex(of: "┌"))
        let right = try #require(lines[top].lastIndex(of: "┐"))
        for y in (top + 1)..<bottom {
            let row = Array(lines[y])
            let l = lines[top].distance(from: lines[top].startIndex, to: left)
            let r = lines[top].distance(from: lines[top].startIndex, to: right)
            #expect(row[l] == "│" && row[r] == "│", "row \(y): \(lines[y])")
        }
    }

    @Test func atTheMinimumSizeTheCheckIsCutInsideTheBody() throws {
        let (lines, _) = try screen([.tab, .enter], width: 60, height: 15)
        #expect(lines.count == 15)
        #expect(lines.allSatisfy { $0.terminalWidth == 60 })
        let top = try #require(lines.firstIndex { $0.contains("Last check · web-01") })
        let bottom = try #require(lines.firstIndex { $0.contains("Enter close") })
        #expect(top > 2)
        #expect(bottom < 12)
        #expect(lines[top + 1].contains("state     ✗ stale"))
        #expect(lines.last?.contains("Esc list") == true)
    }

    @Test func asciiLineDrawingMarksTheCursorWithAnArrow() throws {
        let rows = Shell.liveListRows(size: Size(width: 100, height: 30))
        let data = D.data()
        var state = D.selecting("web-01")
        state = try #require(LiveKeys.reduce(state, key: .tab, data: data, visibleRows: rows))
        let context = ShellContext(
            size: Size(width: 100, height: 30),
            lineDrawing: .ascii,
            configName: "lab",
            operatorName: "ops",
            clock: ClockTime(hour: 8, minute: 10),
            world: .empty
        )
        var backend = TextBackend(size: context.size)
        try backend.present(Shell.render(state, context, live: data))
        let row = try #require(backend.lines.first { $0.contains("dns web-01.lab.") })
        #expect(row.contains("|>x stale  dns web-01.lab."))
    }
}
