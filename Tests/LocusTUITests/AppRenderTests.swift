import Testing

@testable import LocusTUI

@Suite("Shell rendering into the text backend")
struct AppRenderTests {
    private let state = UIState(themeName: "default", themeNames: ["default", "light"])

    private func context(
        width: Int = 120,
        height: Int = 40,
        lineDrawing: LineDrawing = .unicode,
        configName: String? = nil,
        world: WorldStatus = .noConfig(path: "/home/ops/.config/locus/locus.toml")
    ) -> ShellContext {
        ShellContext(
            size: Size(width: width, height: height),
            lineDrawing: lineDrawing,
            configName: configName,
            operatorName: "ops",
            clock: ClockTime(hour: 9, minute: 5),
            world: world
        )
    }

    private func screen(_ state: UIState, _ context: ShellContext) throws -> String {
        var backend = TextBackend(size: context.size)
        try backend.present(Shell.render(state, context))
        return backend.text
    }

    @Test func headerShowsNameOperatorAndClock() throws {
        let lines = try screen(state, context()).split(separator: "\n", omittingEmptySubsequences: false)
        let header = String(lines[0])
        #expect(header.hasPrefix("┌ Locus · no config"))
        #expect(header.hasSuffix("ops 09:05 ┐"))
        let named = try screen(state, context(configName: "prod-east", world: .empty))
        #expect(named.contains("Locus · prod-east"))
    }

    @Test func everyViewSaysTheWorldIsEmptyAndSuggestsTheLab() throws {
        let nouns: [DashboardView: String] = [
            .workloads: "No workloads", .alerts: "No alerts", .migrations: "No migrations",
            .sites: "No sites", .events: "No events",
        ]
        for view in DashboardView.allCases {
            var shown = state
            shown.activeView = view
            let text = try screen(shown, context())
            #expect(text.contains(nouns[view]!), "\(view)")
            #expect(text.contains("no config file"), "\(view)")
            #expect(text.contains("locus lab"), "\(view)")
            #expect(text.contains("/home/ops/.config/locus/locus.toml"), "\(view)")
        }
        let configured = try screen(state, context(configName: "prod", world: .empty))
        #expect(configured.contains("No workloads observed yet."))
        #expect(!configured.contains("locus lab"))
    }

    @Test func theActiveTabIsMarked() throws {
        #expect(try screen(state, context()).contains("[1 Workloads]"))
        var alerts = state
        alerts.activeView = .alerts
        let text = try screen(alerts, context())
        #expect(text.contains("[2 Alerts]"))
        #expect(!text.contains("[1 Workloads]"))
        #expect(text.contains(" 1 Workloads "))
    }

    @Test func layoutJoinsItsLines() throws {
        let lines = try screen(state, context()).split(separator: "\n").map(String.init)
        #expect(lines.count == 40)
        #expect(lines[2].hasPrefix("├ Workloads "))
        #expect(lines[2].contains("┬ Detail "))
        #expect(lines[2].hasSuffix("┤"))
        #expect(lines[37].hasPrefix("├"))
        #expect(lines[37].contains("┴"))
        #expect(lines[39].hasPrefix("└ ?help"))
        #expect(lines[39].contains("q quit"))
        #expect(lines[39].hasSuffix("┘"))
    }

    @Test func theFocusedPaneTitleIsMarked() throws {
        let listFocused = Shell.render(state, context())
        let detailFocused = Shell.render(Shell.reduce(state, .toggleFocus), context())
        // Every character of the divider row is one column wide, so characters count columns.
        let row = listFocused.renderLines()[2]
        let listTitleX = row.distance(
            from: row.startIndex,
            to: try #require(row.firstRange(of: "Workloads")).lowerBound
        )
        let detailTitleX = row.distance(from: row.startIndex, to: try #require(row.firstRange(of: "Detail")).lowerBound)
        #expect(listFocused[listTitleX, 2].style.role == .tabActive)
        #expect(listFocused[detailTitleX, 2].style.role == .border)
        #expect(detailFocused[listTitleX, 2].style.role == .border)
        #expect(detailFocused[detailTitleX, 2].style.role == .tabActive)
    }

    @Test func asciiLinesWhenAsked() throws {
        let text = try screen(state, context(lineDrawing: .ascii))
        #expect(text.hasPrefix("+ Locus"))
        #expect(!text.contains("─"))
        #expect(!text.contains("│"))
    }

    @Test func theFilterStaysVisible() throws {
        var typing = Shell.reduce(state, .openFilter)
        typing = Shell.reduce(typing, .edit(.insert("web")))
        let prompt = try screen(typing, context())
        #expect(prompt.contains("/web"))
        let applied = Shell.reduce(typing, .submitPrompt)
        let text = try screen(applied, context())
        #expect(text.contains("Workloads  /web"))
    }

    @Test func commandLineAndMessages() throws {
        var typing = Shell.reduce(state, .openCommandLine)
        typing = Shell.reduce(typing, .edit(.insert("theme light")))
        #expect(try screen(typing, context()).contains(":theme light"))
        let error = Shell.reduce(
            Shell.reduce(Shell.reduce(state, .openCommandLine), .edit(.insert("nope"))),
            .submitPrompt
        )
        #expect(try screen(error, context()).contains("✗ unknown command :nope"))
    }

    @Test func helpListsTheKeyMap() throws {
        let text = try screen(Shell.reduce(state, .toggleHelp), context())
        #expect(text.contains("Help"))
        #expect(text.contains("Workloads, Alerts, Migrations, Sites, Events"))
        #expect(text.contains("next theme"))
        #expect(text.contains("quit"))
        #expect(text.contains("Esc/? close"))
    }

    @Test func confirmationNamesActionAndObject() throws {
        let asking = Shell.reduce(
            state,
            .confirm(PendingConfirmation(action: "Quit Locus", object: "while web-07 moves", onConfirm: .quit))
        )
        let text = try screen(asking, context())
        #expect(text.contains("Quit Locus while web-07 moves?"))
        #expect(text.contains("Enter/y confirm"))
    }

    @Test(arguments: [(50, 12), (59, 40), (120, 14), (10, 3), (1, 1)])
    func tooSmallShowsTheNotice(width: Int, height: Int) throws {
        let text = try screen(state, context(width: width, height: height))
        #expect(!text.contains("Workloads"))
        if width >= 10 {
            #expect(text.lowercased().contains("small"))
        }
        if width >= 40 && height >= 5 {
            #expect(text.contains("too small"))
            #expect(text.contains("60×15"))
        }
    }

    @Test func theMinimumSizeGetsTheFullLayout() throws {
        let text = try screen(state, context(width: 60, height: 15))
        #expect(text.contains("[1 Workloads]"))
        #expect(text.contains("No workloads"))
        #expect(!text.contains("too small"))
    }

    @Test func renderingIsPure() {
        #expect(Shell.render(state, context()) == Shell.render(state, context()))
        var later = context()
        later.clock = ClockTime(hour: 9, minute: 6)
        let changes = FrameDiff.changes(from: Shell.render(state, context()), to: Shell.render(state, later))
        // Only the clock's minute digit differs between the two frames.
        #expect(changes.count == 1)
        #expect(changes.first?.y == 0)
        #expect(changes.first?.cells.map(\.text) == ["6"])
    }
}
