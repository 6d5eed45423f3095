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

    /// `x` on the selected alert, then `text` and Enter on the prompt for how long.
    private func askToAcknowledge(typing text: String, _ data: LiveData) throws -> UIState {
        var state = UIState()
        state.activeView = .alerts
        state = try #require(LiveKeys.reduce(state, key: .character("x"), data: data, visibleRows: rows))
        for key in text.map({ Key.character($0) }) + [.enter] {
            state = Shell.reduce(state, try #require(Shell.action(for: key, in: state)))
        }
        return state
    }

    private let mismatch = AlertID(kind: .locatorMismatch, subject: "web-02")

    @Test func aKeyThatDoesNothingSaysSo() throws {
        let data = F.data(F.fullWorld())
        var state = UIState()
        state.activeView = .workloads
        for key in [Key.character("Z"), .character("x"), .function(7)] {
            let next = Shell.press(key, in: state, live: data, visibleRows: rows)
            #expect(next.message?.text == "\(key) does nothing in Workloads; ? lists the keys", "\(key)")
        }
        // Keys that do something say nothing of the kind; Esc with nothing to cancel stays silent.
        #expect(Shell.press(.down, in: state, live: data, visibleRows: rows).message == nil)
        #expect(Shell.press(.escape, in: state, live: data, visibleRows: rows).message == nil)
        state.activeView = .alerts
        #expect(Shell.press(.character("x"), in: state, live: data, visibleRows: rows).message == nil)
    }

    @Test func acknowledgingAsksHowLongThenAsksNamingTheAlertThenRequestsIt() throws {
        let data = F.data(F.fullWorld())
        var state = UIState()
        state.activeView = .alerts
        state = try #require(LiveKeys.reduce(state, key: .character("x"), data: data, visibleRows: rows))
        #expect(try screen(state, data).contains("acknowledge locator-mismatch:web-02 for (Enter: until it clears)"))
        #expect(state.confirmation == nil, "nothing is asked before how long")

        state = try askToAcknowledge(typing: "", data)
        let confirmation = try #require(state.confirmation)
        #expect(confirmation.object.contains("locator-mismatch:web-02 until it clears"))
        #expect(try screen(state, data).contains("Acknowledge alert"))
        #expect(LiveKeys.reduce(state, key: .character("y"), data: data, visibleRows: rows) == nil)
        state = Shell.reduce(state, try #require(Shell.action(for: .character("y"), in: state)))
        #expect(state.confirmation == nil)
        #expect(state.requests == [.acknowledge(mismatch, for: nil)])
        // The notice reads as a sentence, with no sign that reads as a word ("i acknowledged").
        var done = state
        done.message = StatusMessage(.info, "acknowledged locator-mismatch:web-02 as ops")
        let status = try screen(done, data).split(separator: "\n").first {
            $0.contains("acknowledged locator-mismatch")
        }
        #expect(status.map { !$0.contains("i acknowledged") } == true, "\(status ?? "")")
    }

    @Test func acknowledgingForADurationRequestsItForThatLong() throws {
        let data = F.data(F.fullWorld())
        var state = try askToAcknowledge(typing: "1h30m", data)
        let confirmation = try #require(state.confirmation)
        #expect(confirmation.object.hasSuffix("locator-mismatch:web-02 for 1h30m"))
        #expect(confirmation.details.contains { $0.contains("After 1h30m it counts again") })
        state = Shell.reduce(state, .acceptConfirmation)
        #expect(state.requests == [.acknowledge(mismatch, for: .seconds(5400))])
    }

    @Test func aDurationThatIsNotOneKeepsThePromptSayingWhy() throws {
        let data = F.data(F.fullWorld())
        for text in ["soon", "0s", "4 h"] {
            let state = try askToAcknowledge(typing: text, data)
            #expect(state.confirmation == nil, "\(text)")
            #expect(state.prompt?.text == text, "the prompt stays open with what was typed")
            #expect(state.message?.text.contains("\(text) is not a duration") == true, "\(text)")
            #expect(state.requests.isEmpty)
        }
    }

    @Test func aQuestionAboutAnAlertThatClearsClosesSayingSo() throws {
        let data = F.data(F.fullWorld())
        let cleared = World(name: "lab", sites: []).snapshot(version: 2, takenAt: F.start)
        var prompting = UIState()
        prompting.activeView = .alerts
        prompting = try #require(LiveKeys.reduce(prompting, key: .character("x"), data: data, visibleRows: rows))
        let asking = try askToAcknowledge(typing: "", data)
        for state in [prompting, asking] {
            #expect(LiveKeys.revisitConfirmation(state, snapshot: data.snapshot) == state, "nothing changed")
            let closed = LiveKeys.revisitConfirmation(state, snapshot: cleared)
            #expect(closed.confirmation == nil)
            #expect(closed.prompt == nil)
            #expect(closed.message?.text.contains("locator-mismatch:web-02 cleared while you were asked") == true)
            #expect(closed.requests.isEmpty)
            // Keys typed after it closed answer nothing.
            #expect(
                Shell.action(for: .character("y"), in: closed).map { Shell.reduce(closed, $0) }?.requests ?? [] == []
            )
        }
    }

    @Test func aQuestionAboutAnAlertSomebodyElseAcknowledgedCloses() throws {
        let data = F.data(F.fullWorld())
        let asking = try askToAcknowledge(typing: "", data)
        var world = F.fullWorld()
        world.acknowledge([Acknowledgement(alertID: mismatch, by: "ops2", at: F.start)], now: F.start)
        let closed = LiveKeys.revisitConfirmation(asking, snapshot: world.snapshot(version: 2, takenAt: F.start))
        #expect(closed.confirmation == nil)
        #expect(closed.message?.text == "locator-mismatch:web-02 was acknowledged by ops2 meanwhile")
    }

    @Test func escapeAtEitherQuestionRequestsNothing() throws {
        let data = F.data(F.fullWorld())
        var prompting = UIState()
        prompting.activeView = .alerts
        prompting = try #require(LiveKeys.reduce(prompting, key: .character("x"), data: data, visibleRows: rows))
        for state in [prompting, try askToAcknowledge(typing: "2d", data)] {
            let after = Shell.reduce(state, try #require(Shell.action(for: .escape, in: state)))
            #expect(after.requests.isEmpty)
            #expect(after.confirmation == nil)
            #expect(after.prompt == nil)
        }
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
        case .workloads:
            #expect(text.contains("sort: name, site, alerts, last move"))
            #expect(text.contains("column: dependencies that are ok, of all the workload's"))
            #expect(text.contains("the Map-Reply's authoritative bit (A auth, or A no from a proxy)"))
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
