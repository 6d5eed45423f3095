import Testing

@testable import LocusTUI

/// Widgets draw only inside the rectangle they are given, whatever its size, so views can be
/// laid out side by side without one overwriting another.
@Suite("Widget bounds")
struct WidgetBoundsTests {
    var widgets: [(String, any Widget)] {
        [
            (
                "table",
                Table(
                    columns: [
                        TableColumn("NAME", width: .flexible(min: 4)), TableColumn("SITE", width: .percentage(30)),
                        TableColumn("DEP", width: .fixed(5), alignment: .trailing),
                    ],
                    rows: ArrayRows(text: [["東京-web-01", "dc-east", "5/5"], ["cafe\u{301}", "😀", "1"]]),
                    state: TableState(selection: 1),
                    sort: TableSort(column: 1)
                )
            ),
            ("empty table", Table(columns: [TableColumn("NAME", width: .fixed(20))], rows: ArrayRows([]))),
            ("header", HeaderBar(left: ["Locus · lab · 3 sites", "東京"], right: ["ops", "12:04"])),
            ("tabs", TabBar(titles: ["Workloads", "Alerts (3)", "Migrations"], active: 2)),
            ("hints", KeyHintBar([KeyHint("?", "help"), KeyHint("/", "filter"), KeyHint("q", "quit")])),
            ("dialog", ConfirmationDialog(action: "Approve migration of", object: "web-07 → dc-west", details: ["x"])),
            ("help", HelpOverlay(keyMap: Shell.keyMap)),
            ("input", InputLine(prompt: ":", state: InputLineState(text: "theme solarized-dark 漢字"))),
            ("notice", Notice("Terminal too small: 50×12, need at least 60×15", shorter: ["too small"])),
            ("split", SplitPane(axis: .vertical, ratio: 0.3)),
            ("text", TextView([StyledLine.marked(.crit, ["lb be_web/web07 stale 漢字"]), "two"])),
            (
                "highlighted text",
                TextView(["one", StyledLine.marked(.ok, ["dns web-01.lab."]), "three"], highlightedLine: 1)
            ),
            (
                "last check",
                DependencyCheckBox(workload: "web-01", dependency: DependencyFixtures.dns, now: LiveViewFixtures.start)
            ),
        ]
    }

    @Test(arguments: [(0, 0), (1, 1), (3, 2), (7, 3), (12, 5), (25, 8), (40, 12)])
    func everyWidgetStaysInsideItsArea(width: Int, height: Int) throws {
        for (name, widget) in widgets {
            var frame = Frame(width: 50, height: 16, fill: Cell("#"))
            let area = Rect(x: 5, y: 2, width: width, height: height)
            frame.render(widget, in: area)
            for y in 0..<frame.height {
                for x in 0..<frame.width where !area.contains(x: x, y: y) {
                    #expect(frame[x, y].text == "#", "\(name) drew at (\(x),\(y)) outside \(area)")
                }
            }
            #expect(frame.renderLines().allSatisfy { $0.terminalWidth == 50 }, "\(name)")
        }
    }
}
