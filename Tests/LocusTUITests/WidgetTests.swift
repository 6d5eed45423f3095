import Testing

@testable import LocusTUI

@Suite("Widgets")
struct WidgetTests {
    @Test func splitPaneInsideABoxJoinsItsEdges() throws {
        let (lines, _) = try render(width: 11, height: 4) { frame in
            frame.draw(box: frame.bounds)
            let split = SplitPane(axis: .horizontal, ratio: 0.5, joinsEnclosingBox: true)
            let inside = frame.bounds.interior
            frame.render(split, in: inside)
            let (left, right) = split.layout(inside)
            frame.put("L", in: left.row(0), style: .text)
            frame.put("R", in: right.row(0), style: .text)
        }
        #expect(
            lines == [
                "┌────┬────┐",
                "│L   │R   │",
                "│    │    │",
                "└────┴────┘",
            ]
        )
    }

    @Test func verticalSplitLayout() {
        let split = SplitPane(axis: .vertical, ratio: 0.25)
        let (top, bottom) = split.layout(Rect(x: 0, y: 0, width: 10, height: 9))
        #expect(top == Rect(x: 0, y: 0, width: 10, height: 2))
        #expect(bottom == Rect(x: 0, y: 3, width: 10, height: 6))
    }

    @Test func headerBarPutsTheClockRight() throws {
        let header = HeaderBar(left: ["Locus · lab", "512 workloads"], right: ["12:04"])
        let (lines, frame) = try render(width: 40, height: 1) { $0.render(header, in: $0.bounds) }
        #expect(lines[0] == "Locus · lab  512 workloads         12:04")
        #expect(frame[20, 0].style.role == .header)
    }

    @Test func headerBarDropsTheRightSideBeforeSqueezingTheLeft() throws {
        let header = HeaderBar(left: ["Locus · production-east"], right: ["12:04"])
        let (lines, _) = try render(width: 24, height: 1) { $0.render(header, in: $0.bounds) }
        #expect(lines[0] == "Locus · production-east ")
    }

    @Test func tabBarMarksTheActiveTabWithoutColour() throws {
        let tabs = TabBar(titles: ["Workloads", "Alerts (3)", "Migrations"], active: 1)
        let (lines, frame) = try render(width: 44, height: 1) { $0.render(tabs, in: $0.bounds) }
        #expect(lines[0] == " 1 Workloads [2 Alerts (3)] 3 Migrations    ")
        #expect(frame[14, 0].style == Style(.tabActive, .bold))
        #expect(frame[1, 0].style == Style(.tab))
    }

    @Test func narrowTabBarShortensInactiveTabs() throws {
        let tabs = TabBar(titles: ["Workloads", "Alerts", "Migrations", "Sites", "Events"], active: 2)
        let (lines, _) = try render(width: 30, height: 1) { $0.render(tabs, in: $0.bounds) }
        #expect(lines[0] == " 1  2 [3 Migrations] 4  5     ")
    }

    @Test func keyHintsThatDoNotFitAreLeftOutWhole() throws {
        let bar = KeyHintBar([KeyHint("?", "help"), KeyHint("/", "filter"), KeyHint("q", "quit")])
        let (wide, _) = try render(width: 24, height: 1) { $0.render(bar, in: $0.bounds) }
        #expect(wide[0] == " ?help /filter q quit   ")
        let (narrow, frame) = try render(width: 16, height: 1) { $0.render(bar, in: $0.bounds) }
        #expect(narrow[0] == " ?help /filter  ")
        #expect(frame[1, 0].style.attributes.contains(.bold))
    }

    @Test func wordKeysAreSpacedFromTheirLabels() {
        #expect(KeyHint("?", "help").spacedLabel == "help")
        #expect(KeyHint("Tab", "focus").spacedLabel == " focus")
        #expect(KeyHint("1-5", " views").spacedLabel == " views")
        #expect(KeyHint("⏎", "detail").spacedLabel == " detail")
        #expect(KeyHint(":", "cmd").spacedLabel == "cmd")
    }

    @Test func confirmationDialogNamesActionObjectAndKeys() throws {
        let dialog = ConfirmationDialog(
            title: "Approve",
            action: "Approve migration of",
            object: "web-07 → dc-west",
            details: ["4 dependencies will be updated"]
        )
        let (lines, frame) = try render(width: 60, height: 15) { frame in
            frame.put(String(repeating: "x", count: 60), at: Point(x: 0, y: 7))
            frame.render(dialog, in: frame.bounds)
        }
        let text = lines.joined(separator: "\n")
        #expect(text.contains("Approve migration of web-07 → dc-west?"))
        #expect(text.contains("4 dependencies will be updated"))
        #expect(text.contains("Enter/y confirm · Esc/n cancel"))
        let box = dialog.box(in: frame.bounds)
        #expect(lines[box.y].contains("┌ Approve ─"))
        #expect(lines[box.maxY - 1].contains("└"))
        #expect(frame[box.x + 1, box.y + 1].style.role == .dialog)
        // The dialog hides what is beneath it, and only inside its box.
        #expect(!lines[7].dropFirst(box.x + 1).prefix(box.width - 2).contains("x"))
        #expect(lines[7].hasPrefix("x"))
    }

    @Test func helpOverlayListsEveryBinding() throws {
        let help = HelpOverlay(keyMap: Shell.keyMap)
        let (lines, _) = try render(width: 80, height: 40) { $0.render(help, in: $0.bounds) }
        let text = lines.joined(separator: "\n")
        #expect(text.contains("┌ Help ─"))
        for section in Shell.keyMap.sections {
            #expect(text.contains(section.title))
            for binding in section.bindings {
                #expect(text.contains(binding.keyLabel))
                #expect(text.contains(binding.description))
            }
        }
        #expect(text.contains("Esc/? close"))
        #expect(!text.contains("more"))
    }

    @Test func helpOverlayScrollsWhenTheScreenIsShort() throws {
        let help = HelpOverlay(keyMap: Shell.keyMap)
        let area = Rect(x: 0, y: 0, width: 70, height: 12)
        let (top, _) = try render(width: 70, height: 12) { $0.render(help, in: $0.bounds) }
        #expect(top.joined().contains("Views"))
        #expect(top.joined().contains("▼ more"))
        var scrolled = help
        scrolled.scroll = help.maximumScroll(in: area)
        let (bottom, _) = try render(width: 70, height: 12) { $0.render(scrolled, in: $0.bounds) }
        #expect(bottom.joined().contains("delete to the start / the word before"))
        #expect(!bottom.joined().contains("previous / next view"))
        #expect(!bottom.joined().contains("▼ more"))
    }

    @Test func inputLineEditing() {
        var state = InputLineState()
        state.insert("web-07")
        state.moveLeft()
        state.moveLeft()
        state.deleteBackward()
        #expect(state.text == "web07")
        #expect(state.cursor == 3)
        state.insert("\u{1B}x")
        #expect(state.text == "webx07")
        state.moveRight()
        state.moveRight()
        state.moveRight()
        #expect(state.cursor == 6)
        state.moveLeft()
        state.deleteToStart()
        #expect(state.text == "7")
        #expect(state.cursor == 0)
        state.moveToEnd()
        state.insert(" dc east")
        state.deleteWordBackward()
        #expect(state.text == "7 dc ")
        state.insert("e\u{301}")
        state.deleteBackward()
        #expect(state.text == "7 dc ")
    }

    @Test func inputLineShowsTextAndCursor() throws {
        let line = InputLine(prompt: "/", state: InputLineState(text: "web"))
        let (lines, frame) = try render(width: 10, height: 1) { $0.render(line, in: $0.bounds) }
        #expect(lines[0] == "/web      ")
        #expect(frame.cursor == Point(x: 4, y: 0))
        #expect(frame[4, 0].style.attributes.contains(.reverse))
    }

    @Test func longInputScrollsToKeepTheCursorVisible() throws {
        var state = InputLineState(text: "abcdefghijklmnop")
        let line = InputLine(prompt: ":", state: state)
        let (end, endFrame) = try render(width: 10, height: 1) { $0.render(line, in: $0.bounds) }
        #expect(end[0] == ":…jklmnop ")
        #expect(endFrame.cursor == Point(x: 9, y: 0))
        state.moveToStart()
        let (start, startFrame) = try render(width: 10, height: 1) {
            $0.render(InputLine(prompt: ":", state: state), in: $0.bounds)
        }
        #expect(start[0] == ":abcdefghi")
        #expect(startFrame.cursor == Point(x: 1, y: 0))
    }

    @Test func stateMarksCarrySignsAndRoles() {
        #expect(StateMark.allCases.map { $0.symbol() } == ["✓", "!", "✗", "i", "?"])
        #expect(StateMark.allCases.map { $0.symbol(.ascii) } == ["+", "!", "x", "i", "?"])
        #expect(StateMark.crit.cell("down") == TableCell("✗ down", role: .crit))
        #expect(Set(StateMark.allCases.map { $0.symbol() }).count == StateMark.allCases.count)
    }
}

@Suite("Text view")
struct TextViewTests {
    @Test func styledLinesAreCutWithAnEllipsisAndKeepTheirStyles() throws {
        let view = TextView([
            StyledLine.marked(.ok, ["dns web.app.test A 10.1.0.7 300s"]),
            StyledLine.marked(.crit, ["lb", Span(" stale", style: Style(.crit))]),
            ["EID ", Span("10.1.0.7/32", style: Style(.text, .bold))],
            "漢字漢字漢字漢",
        ])
        let (lines, frame) = try render(width: 12, height: 4) { $0.render(view, in: $0.bounds) }
        #expect(lines == ["✓ dns web.a…", "✗ lb stale  ", "EID 10.1.0.…", "漢字漢字漢… "])
        #expect(frame[0, 0].style.role == .ok)
        #expect(frame[0, 1].style == Style(.crit, .bold))
        #expect(frame[6, 1].style.role == .crit)
        #expect(frame[5, 2].style.attributes.contains(.bold))
    }

    @Test func aSpanEndingAtTheEdgeIsCutWhenMoreFollows() throws {
        let view = TextView([["abcdefghijkl", Span("xyz", style: .muted)], ["abcdefghijkl"]])
        let (lines, _) = try render(width: 12, height: 2) { $0.render(view, in: $0.bounds) }
        #expect(lines == ["abcdefghijk…", "abcdefghijkl"])
    }

    @Test func scrollingShowsLaterLinesAndStopsAtTheEnd() throws {
        let view = TextView((0..<10).map { StyledLine("line \($0)") }, scroll: 50)
        let (lines, _) = try render(width: 8, height: 3) { $0.render(view, in: $0.bounds) }
        #expect(lines == ["line 7  ", "line 8  ", "line 9  "])
        #expect(view.maximumScroll(height: 3) == 7)
    }
}
