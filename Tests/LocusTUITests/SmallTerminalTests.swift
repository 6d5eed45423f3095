import Testing

@testable import LocusTUI

@Suite("Small terminal")
struct SmallTerminalTests {
    /// A box-drawing character in a line of the notice is part of a whole box: corners in the
    /// first and last rows of the box, edges between them.
    func bordersAreWhole(_ lines: [String]) -> Bool {
        let rows = lines.map { Array($0) }
        let tops = rows.indices.filter { rows[$0].contains("┌") }
        let bottoms = rows.indices.filter { rows[$0].contains("└") }
        guard tops.count == bottoms.count, tops.count <= 1 else { return false }
        guard let top = tops.first, let bottom = bottoms.first else {
            return !lines.joined().contains { "│─┐┘".contains($0) }
        }
        guard let left = rows[top].firstIndex(of: "┌"), let right = rows[top].firstIndex(of: "┐") else { return false }
        guard rows[bottom][left] == "└", rows[bottom][right] == "┘" else { return false }
        for y in (top + 1)..<bottom where rows[y][left] != "│" || rows[y][right] != "│" {
            return false
        }
        return rows[top][(left + 1)..<right].allSatisfy { $0 == "─" }
            && rows[bottom][(left + 1)..<right].allSatisfy { $0 == "─" }
    }

    @Test(arguments: [(59, 15), (60, 14), (50, 12), (10, 3)])
    func belowTheMinimumTheScreenShowsANotice(width: Int, height: Int) throws {
        var drewNotice = false
        let (lines, _) = try render(width: width, height: height) { frame in
            frame.put(String(repeating: "#", count: width), at: Point(x: 0, y: 0))
            drewNotice = MinimumSize.dashboard.drawNoticeIfTooSmall(in: &frame)
        }
        #expect(drewNotice)
        let text = lines.joined(separator: " ")
        #expect(text.lowercased().contains("too small"))
        #expect(!text.contains("#"))
        #expect(lines.count == height)
        #expect(lines.allSatisfy { $0.terminalWidth == width })
        #expect(bordersAreWhole(lines), "\(lines.joined(separator: "\n"))")
        if width >= 50 {
            #expect(text.contains("\(width)×\(height)"))
            #expect(text.contains("60×15"))
        }
    }

    @Test func theFullMessage() throws {
        let (lines, _) = try render(width: 50, height: 12) { MinimumSize.dashboard.drawNoticeIfTooSmall(in: &$0) }
        #expect(lines.joined(separator: " ").contains("Terminal too small: 50×12, need at least 60×15"))
    }

    @Test func atTheMinimumNothingIsDrawn() throws {
        let (lines, _) = try render(width: 60, height: 15) { frame in
            #expect(!MinimumSize.dashboard.drawNoticeIfTooSmall(in: &frame))
        }
        #expect(lines.allSatisfy { $0.allSatisfy { $0 == " " } })
    }

    @Test(arguments: [(0, 0), (1, 1), (2, 1), (3, 2), (5, 5), (20, 2)])
    func tinyFramesNeverCrashAnyWidget(width: Int, height: Int) throws {
        let (lines, _) = try render(width: width, height: height) { frame in
            let area = frame.bounds
            MinimumSize.dashboard.drawNoticeIfTooSmall(in: &frame)
            frame.draw(box: area, title: "Workloads")
            frame.render(
                Table(
                    columns: [TableColumn("NAME", width: .flexible(min: 6))],
                    rows: RowProvider(count: 100) { ["web-\($0)"] },
                    state: TableState(selection: 50),
                    sort: TableSort(column: 0)
                ),
                in: area.interior
            )
            frame.render(HeaderBar(left: ["Locus"], right: ["12:00"]), in: area)
            frame.render(TabBar(titles: ["Workloads", "Alerts"], active: 0), in: area)
            frame.render(KeyHintBar([KeyHint("?", "help")]), in: area)
            frame.render(ConfirmationDialog(action: "Approve", object: "web-07"), in: area)
            frame.render(HelpOverlay(keyMap: Shell.keyMap), in: area)
            frame.render(InputLine(prompt: "/", state: InputLineState(text: "漢字")), in: area)
            frame.render(SplitPane(axis: .horizontal, joinsEnclosingBox: true), in: area.interior)
            frame.render(Notice("hello"), in: area)
        }
        #expect(lines.count == height)
        #expect(lines.allSatisfy { $0.terminalWidth == width })
    }
}
