import Foundation
import LocusCore
import Testing

@testable import LocusTUI

@Suite("Dashboard shell over live snapshots")
struct DashboardLiveTests {
    typealias F = LiveViewFixtures

    private let context = ShellContext(
        size: Size(width: 140, height: 36),
        configName: "lab",
        operatorName: "ops",
        clock: ClockTime(hour: 9, minute: 5),
        world: .empty
    )

    private func screen(_ state: UIState, _ data: LiveData) throws -> String {
        var backend = TextBackend(size: context.size)
        try backend.present(Shell.render(state, context, live: data))
        return backend.text
    }

    private var rows: Int { Shell.liveListRows(size: context.size) }

    @Test func headerTabsAndBodyComeFromTheSnapshot() throws {
        let text = try screen(UIState(), F.data(F.fullWorld()))
        let header = try #require(text.split(separator: "\n").first)
        #expect(header.contains("Locus · lab · 3 sites · 4 workloads"))
        #expect(header.contains("mr ● 2ms"))
        #expect(header.contains("ops 09:05"))
        #expect(text.contains("[1 Workloads]"))
        #expect(text.contains("Alerts (1)"))
        #expect(text.contains("dc-east 127.0.1.1"))
        #expect(text.contains("s sort"))
    }

    @Test func acknowledgingAsksNamingTheAlertThenRequestsIt() throws {
        let data = F.data(F.fullWorld())
        var state = UIState()
        state.activeView = .alerts
        state = try #require(LiveKeys.reduce(state, key: .character("x"), data: data, visibleRows: rows))
        let confirmation = try #require(state.confirmation)
        #expect(confirmation.object.contains("locator-mismatch:web-02"))
        #expect(try screen(state, data).contains("Acknowledge alert"))
        #expect(LiveKeys.reduce(state, key: .character("y"), data: data, visibleRows: rows) == nil)
        let action = try #require(Shell.action(for: .character("y"), in: state))
        state = Shell.reduce(state, action)
        #expect(state.confirmation == nil)
        #expect(state.requests == [.acknowledge(AlertID(kind: .locatorMismatch, subject: "web-02"))])
    }

    @Test func aQuestionAboutAnAlertThatClearsClosesSayingSo() throws {
        let data = F.data(F.fullWorld())
        var state = UIState()
        state.activeView = .alerts
        state = try #require(LiveKeys.reduce(state, key: .character("x"), data: data, visibleRows: rows))
        #expect(LiveKeys.revisitConfirmation(state, snapshot: data.snapshot) == state, "nothing changed")

        let cleared = World(name: "lab", sites: []).snapshot(version: 2, takenAt: F.start)
        let closed = LiveKeys.revisitConfirmation(state, snapshot: cleared)
        #expect(closed.confirmation == nil)
        #expect(closed.message?.text.contains("locator-mismatch:web-02 cleared while you were asked") == true)
        #expect(closed.requests.isEmpty)
        // Keys typed after it closed answer nothing.
        #expect(Shell.action(for: .character("y"), in: closed).map { Shell.reduce(closed, $0) }?.requests ?? [] == [])
    }

    @Test func rejectingTheConfirmationRequestsNothing() throws {
        let data = F.data(F.fullWorld())
        var state = UIState()
        state.activeView = .alerts
        state = try #require(LiveKeys.reduce(state, key: .character("x"), data: data, visibleRows: rows))
        state = Shell.reduce(state, try #require(Shell.action(for: .escape, in: state)))
        #expect(state.requests.isEmpty)
        #expect(state.confirmation == nil)
    }

    @Test func enterOnAnAlertJumpsToItsWorkload() throws {
        let data = F.data(F.fullWorld())
        var state = UIState()
        state.activeView = .alerts
        state.filter = "mismatch"
        state = try #require(LiveKeys.reduce(state, key: .enter, data: data, visibleRows: rows))
        #expect(state.activeView == .workloads)
        #expect(state.filter.isEmpty)
        #expect(state.live.selectedWorkload == "web-02")
        #expect(LiveKeys.selectedWorkload(state, data: data, visibleRows: rows) == "web-02")
        let text = try screen(state, data)
        #expect(text.contains("inventory says dc-east"))
    }

    @Test func enterFocusesTheDetailWhereArrowsScrollIt() throws {
        let data = F.data(F.fullWorld())
        var state = try #require(LiveKeys.reduce(UIState(), key: .enter, data: data, visibleRows: rows))
        #expect(state.focus == .detail)
        state = try #require(LiveKeys.reduce(state, key: .down, data: data, visibleRows: rows))
        #expect(state.live.detailScroll == 1)
        #expect(state.live.selectedWorkload == nil)
    }

    @Test func sortKeyCyclesAndSays() throws {
        let data = F.data(F.fullWorld())
        let state = try #require(LiveKeys.reduce(UIState(), key: .character("s"), data: data, visibleRows: rows))
        #expect(state.live.workloadSort == .site)
        #expect(state.message?.text == "sorted by site")
        #expect(try screen(state, data).contains("SITE▲"))
    }

    @Test(arguments: DashboardView.allCases)
    func helpListsTheKeysOfTheActiveView(view: DashboardView) throws {
        var state = UIState()
        state.activeView = view
        state.isHelpOpen = true
        let text = try screen(state, F.data(F.fullWorld()))
        let section = LiveKeys.keyMapSection(for: view)
        #expect(section.title == view.title)
        for binding in section.bindings {
            #expect(text.contains(binding.description), "\(view): \(binding.description)")
        }
        switch view {
        case .workloads: #expect(text.contains("sort: name, site, alerts, last move"))
        case .alerts: #expect(text.contains("acknowledge the alert"))
        default: break
        }
    }

    @Test func keysDoNothingLiveWhileAPromptIsOpen() throws {
        var state = UIState()
        state.prompt = Prompt(.filter)
        #expect(LiveKeys.reduce(state, key: .character("j"), data: F.data(F.fullWorld()), visibleRows: rows) == nil)
    }
}
