import Testing

@testable import LocusTUI

@Suite("Table")
struct TableTests {
    let columns = [
        TableColumn("NAME", width: .fixed(8)),
        TableColumn("SITE", width: .flexible(min: 4)),
        TableColumn("DEP", width: .fixed(3), alignment: .trailing),
    ]

    func workloads(_ count: Int, counter: RowCounter? = nil) -> RowProvider {
        RowProvider(count: count) { index in
            counter?.record(index)
            return ["web-\(index)", "dc-east", "\(index % 6)"]
        }
    }

    @Test func noRowsShowsTheEmptyTextCentred() throws {
        let table = Table(columns: columns, rows: workloads(0), emptyText: "No workloads")
        let (lines, _) = try render(width: 24, height: 5) { $0.render(table, in: $0.bounds) }
        #expect(lines[0] == " NAME     SITE       DEP")
        #expect(lines[3] == "      No workloads      ")
        #expect(lines.filter { $0.contains("No workloads") }.count == 1)
    }

    @Test func oneRowIsSelectedAndMarked() throws {
        let table = Table(columns: columns, rows: workloads(1))
        let (lines, frame) = try render(width: 24, height: 4) { $0.render(table, in: $0.bounds) }
        #expect(lines[1] == "▶web-0    dc-east      0")
        #expect(frame[0, 1].style.role == .selected)
        #expect(frame[10, 1].style.role == .selected)
        #expect(lines[2].allSatisfy { $0 == " " })
    }

    @Test func fortyRowsFillTheViewAndOnlyVisibleOnesAreFormatted() throws {
        let counter = RowCounter()
        let table = Table(columns: columns, rows: workloads(40, counter: counter))
        let (lines, _) = try render(width: 24, height: 11) { $0.render(table, in: $0.bounds) }
        #expect(lines[1].hasPrefix("▶web-0 "))
        #expect(lines[10].hasPrefix(" web-9 "))
        #expect(counter.calls == Array(0..<10))
    }

    @Test func aMillionRowsCostWhatTheVisibleOnesDo() throws {
        let counter = RowCounter()
        let state = TableState(selection: 999_999)
        let table = Table(columns: columns, rows: workloads(1_000_000, counter: counter), state: state)
        let (lines, _) = try render(width: 24, height: 41) { $0.render(table, in: $0.bounds) }
        #expect(counter.calls == Array(999_960..<1_000_000))
        #expect(lines[40] == "▶web-999… dc-east      3")
        #expect(lines[1].hasPrefix(" web-999…"))
    }

    @Test func longTextIsTruncatedWithAnEllipsis() throws {
        let rows = ArrayRows(text: [["a-very-long-workload-name", "dc-west-secondary", "12345"]])
        let table = Table(columns: columns, rows: rows)
        let (lines, _) = try render(width: 24, height: 2) { $0.render(table, in: $0.bounds) }
        #expect(lines[1] == "▶a-very-… dc-west-s… 12…")
    }

    @Test func wideCombiningAndEmojiCellsNeverShiftColumns() throws {
        let rows = ArrayRows(text: [
            ["東京サーバー", "大阪", "5"],
            ["cafe\u{301}-01", "dc-e\u{301}", "4"],
            ["😀👩‍💻🇫🇷x", "❤️🔥", "3"],
            ["plain", "dc", "2"],
        ])
        let table = Table(columns: columns, rows: rows)
        let (lines, frame) = try render(width: 24, height: 5) { $0.render(table, in: $0.bounds) }
        for line in lines {
            #expect(line.terminalWidth == 24, "\(line)")
        }
        // Every column starts at the same cell on every row.
        for y in 1..<5 {
            #expect(!frame[10, y].isContinuation, "row \(y)")
            #expect(frame[9, y].text == " " || frame[9, y].isContinuation, "row \(y)")
            #expect(frame[23, y].text != " ", "row \(y)")
        }
        #expect(lines[1] == "▶東京サ…  大阪         5")
        #expect(lines[2] == " cafe\u{301}-01  dc-e\u{301}         4")
        #expect(lines[3] == " 😀👩‍💻🇫🇷x  ❤️🔥         3")
    }

    @Test func sortedColumnShowsItsDirection() throws {
        let ascending = Table(columns: columns, rows: workloads(1), sort: TableSort(column: 1))
        let descending = Table(columns: columns, rows: workloads(1), sort: TableSort(column: 2, ascending: false))
        let (up, _) = try render(width: 24, height: 2) { $0.render(ascending, in: $0.bounds) }
        let (down, _) = try render(width: 24, height: 2) { $0.render(descending, in: $0.bounds) }
        #expect(up[0] == " NAME     SITE▲      DEP")
        #expect(down[0] == " NAME     SITE       D…▼")
    }

    @Test func asciiTerminalsGetAsciiMarkers() throws {
        let rows = ArrayRows(text: [["a-very-long-workload-name", "dc", "1"]])
        let table = Table(columns: columns, rows: rows, sort: TableSort(column: 0, ascending: false))
        let (lines, _) = try render(width: 24, height: 2, lineDrawing: .ascii) { $0.render(table, in: $0.bounds) }
        #expect(lines == [" NAMEv    SITE       DEP", ">a-very-~ dc           1"])
        #expect(lines.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
    }

    @Test func pageDownPastTheEndKeepsTheSelectionVisible() throws {
        var state = TableState()
        let visible = 5
        for _ in 0..<10 {
            state.move(.pageDown, rowCount: 12, visibleRows: visible)
        }
        #expect(state == TableState(selection: 11, offset: 7))
        let table = Table(columns: columns, rows: workloads(12), state: state)
        let (lines, _) = try render(width: 24, height: visible + 1) { $0.render(table, in: $0.bounds) }
        #expect(lines[visible].hasPrefix("▶web-11"))
        #expect(lines[1].hasPrefix(" web-7 "))

        state.move(.up(3), rowCount: 12, visibleRows: visible)
        #expect(state == TableState(selection: 8, offset: 7))
        state.move(.up(3), rowCount: 12, visibleRows: visible)
        #expect(state == TableState(selection: 5, offset: 5))
        state.move(.pageUp, rowCount: 12, visibleRows: visible)
        #expect(state == TableState(selection: 0, offset: 0))
        state.move(.bottom, rowCount: 12, visibleRows: visible)
        #expect(state == TableState(selection: 11, offset: 7))
        state.move(.top, rowCount: 12, visibleRows: visible)
        #expect(state == TableState(selection: 0, offset: 0))
    }

    @Test func selectionBeyondShrunkenRowsIsClamped() throws {
        let state = TableState(selection: 30, offset: 28)
        let table = Table(columns: columns, rows: workloads(3), state: state)
        let (lines, _) = try render(width: 24, height: 6) { $0.render(table, in: $0.bounds) }
        #expect(lines[1].hasPrefix(" web-0"))
        #expect(lines[3].hasPrefix("▶web-2"))
    }

    @Test func columnWidthRules() {
        let columns = [
            TableColumn("A", width: .fixed(4)),
            TableColumn("B", width: .percentage(50)),
            TableColumn("C", width: .flexible(min: 2, weight: 1)),
            TableColumn("D", width: .flexible(min: 2, weight: 3)),
        ]
        #expect(TableColumn.widths(of: columns, in: 43) == [4, 20, 5, 11])
        #expect(TableColumn.widths(of: columns, in: 10) == [4, 3, 2, 2])
    }

    @Test func narrowTablesDropColumnsPastTheEdge() throws {
        let table = Table(columns: columns, rows: workloads(1))
        let (lines, _) = try render(width: 12, height: 2) { $0.render(table, in: $0.bounds) }
        #expect(lines == [" NAME     S…", "▶web-0    d…"])
    }

    @Test func anUnfocusedTableKeepsItsSelectionMarkedButDimmed() throws {
        var table = Table(columns: columns, rows: workloads(2))
        table.isFocused = false
        let (lines, frame) = try render(width: 24, height: 3) { $0.render(table, in: $0.bounds) }
        #expect(lines[1].hasPrefix("▶web-0"))
        #expect(frame[3, 1].style == Style(.selected, .dim))
    }

    @Test func cellRolesShowState() throws {
        let rows = ArrayRows([
            ["web-07", StateMark.ok.cell("up"), "5"],
            ["web-08", StateMark.crit.cell("down"), "3"],
        ])
        let table = Table(columns: columns, rows: rows)
        let (lines, frame) = try render(width: 24, height: 3) { $0.render(table, in: $0.bounds) }
        #expect(lines[2] == " web-08   ✗ down       3")
        #expect(frame[10, 2].style.role == .crit)
        #expect(frame[10, 1].style.role == .selected)
    }
}
