import Foundation
import LocusCore
import Testing

@testable import LocusTUI

/// The Workloads detail pane's dependency cursor and last-check box, as keys change the state.
@Suite("Dependency cursor keys")
struct DependencyCursorTests {
    typealias D = DependencyFixtures

    /// The list rows of an 80×24 dashboard.
    private let rows = Shell.liveListRows(size: Size(width: 80, height: 24))

    private func press(_ keys: [Key], from state: UIState, data: LiveData = D.data()) throws -> UIState {
        var state = state
        for key in keys {
            state = try #require(LiveKeys.reduce(state, key: key, data: data, visibleRows: rows), "\(key)")
        }
        return state
    }

    private func cursor(_ state: UIState, data: LiveData = D.data()) -> Int? {
        state.live.dependencySelection(data: data, filter: state.filter)?.index
    }

    private func isCheckOpen(_ state: UIState, data: LiveData = D.data()) -> Bool {
        LiveKeys.dependencyMode(state, data: data).isCheckOpen
    }

    @Test(arguments: [Key.tab, .backTab, .enter])
    func focusingTheDetailPutsTheCursorOnTheFirstDependency(key: Key) throws {
        let state = try press([key], from: D.selecting("web-01"))
        #expect(state.focus == .detail)
        #expect(cursor(state) == 0)
        #expect(!isCheckOpen(state))
    }

    @Test func arrowsAndVimKeysMoveTheCursorAndStopAtTheEnds() throws {
        var state = try press([.tab, .down], from: D.selecting("web-01"))
        #expect(cursor(state) == 1)
        #expect(state.live.dependencyCursor?.target == "web/web-01")
        state = try press([.character("j"), .down, .down], from: state)
        #expect(cursor(state) == 2)
        state = try press([.up], from: state)
        #expect(cursor(state) == 1)
        state = try press([.character("k"), .character("k")], from: state)
        #expect(cursor(state) == 0)
        state = try press([.character("G")], from: state)
        #expect(cursor(state) == 2)
        state = try press([.character("g")], from: state)
        #expect(cursor(state) == 0)
        #expect(state.live.selectedWorkload == "web-01")
    }

    @Test func enterOpensTheLastCheckAndEnterClosesIt() throws {
        var state = try press([.tab, .down, .enter], from: D.selecting("web-01"))
        #expect(isCheckOpen(state))
        #expect(state.live.dependencyCursor?.target == "web/web-01")
        state = try press([.enter], from: state)
        #expect(!isCheckOpen(state))
        #expect(state.focus == .detail)
        #expect(cursor(state) == 1)
        state = try press([.enter, .character("q")], from: state)
        #expect(!isCheckOpen(state))
        #expect(state.focus == .detail)
        #expect(!state.wantsToQuit)
    }

    /// Esc leaves the detail pane from wherever the operator is in it, the last check included.
    @Test(arguments: [Key.escape, .tab, .backTab])
    func escOrTabCloseTheCheckAndGoBackToTheList(key: Key) throws {
        var state = try press([.tab, .down, .enter, key], from: D.selecting("web-01"))
        #expect(!isCheckOpen(state))
        #expect(state.focus == .list)
        #expect(state.live.selectedWorkload == "web-01")
        state = try press([.tab], from: state)
        #expect(cursor(state) == 1)
        #expect(!isCheckOpen(state))
    }

    /// Enter on a workload, Enter again and Esc, then Esc: the check opened and closed, the
    /// list has focus again and the second Esc clears the filter as before.
    @Test func escBacksOutOneStepAtATimeUpToTheFilter() throws {
        var state = D.selecting("web-01")
        state.filter = "web"
        state = try press([.enter, .enter, .escape], from: state)
        #expect(state.focus == .list)
        #expect(LiveKeys.reduce(state, key: .escape, data: D.data(), visibleRows: rows) == nil)
        state = Shell.reduce(state, try #require(Shell.action(for: .escape, in: state)))
        #expect(state.filter.isEmpty)
    }

    @Test func escAndTabGoBackToTheListKeepingTheCursor() throws {
        var state = try press([.tab, .down, .escape], from: D.selecting("web-01"))
        #expect(state.focus == .list)
        state = try press([.tab], from: state)
        #expect(state.focus == .detail)
        #expect(cursor(state) == 1)
        state = try press([.tab], from: state)
        #expect(state.focus == .list)
        #expect(state.live.selectedWorkload == "web-01")
    }

    @Test func theOpenCheckTakesEveryKey() throws {
        let open = try press([.tab, .enter], from: D.selecting("web-01"))
        for key: Key in [
            .character("1"), .character("/"), .character(":"), .character("?"), .character("t"), .pageDown,
        ] {
            let state = try press([key], from: open)
            #expect(state == open, "\(key)")
        }
        let down = try press([.down], from: open)
        #expect(isCheckOpen(down))
        #expect(cursor(down) == 1)
        let back = try press([.tab], from: open)
        #expect(back.focus == .list)
        #expect(!isCheckOpen(back))
        try #expect(!isCheckOpen(press([.tab], from: back)))
    }

    @Test func theCursorFollowsItsDependencyWhenTheListIsReordered() throws {
        let state = try press([.tab, .down, .enter], from: D.selecting("web-01"))
        let reordered = D.data(web01: [D.tcp, D.lb, D.dns])
        #expect(cursor(state, data: reordered) == 1)
        let moved = D.data(web01: [D.lb, D.dns, D.tcp])
        #expect(cursor(state, data: moved) == 0)
        #expect(isCheckOpen(state, data: moved))
        let next = try press([.down], from: state, data: moved)
        #expect(next.live.dependencyCursor?.target == "web-01.lab.")
    }

    @Test func theCursorClampsWhenTheListShrinks() throws {
        let state = try press([.tab, .character("G"), .enter], from: D.selecting("web-01"))
        #expect(cursor(state) == 2)
        let shrunk = D.data(web01: [D.dns, D.lb])
        #expect(cursor(state, data: shrunk) == 1)
        #expect(isCheckOpen(state, data: shrunk))
        let none = D.data(web01: [])
        #expect(cursor(state, data: none) == nil)
        #expect(!isCheckOpen(state, data: none))
        let closed = try press([.escape], from: state, data: none)
        #expect(closed.focus == .list)
    }

    @Test func selectingAnotherWorkloadResetsTheCursor() throws {
        var state = try press([.tab, .character("G"), .enter, .escape], from: D.selecting("web-01"))
        #expect(state.focus == .list)
        state = try press([.down], from: state)
        #expect(state.live.selectedWorkload == "web-02")
        #expect(state.live.dependencyCursor == nil)
        state = try press([.tab], from: state)
        #expect(cursor(state) == 0)
        #expect(!isCheckOpen(state))
        state = try press([.up, .tab], from: try press([.tab], from: state))
        #expect(state.live.selectedWorkload == "web-01")
        #expect(cursor(state) == 0)
    }

    @Test func aCursorLeftOnAnotherWorkloadDoesNotCarryOver() throws {
        var state = try press([.tab, .character("G"), .enter], from: D.selecting("web-01"))
        // The selection changes without a key (the filter hides web-01): the cursor starts afresh.
        state.filter = "web-02"
        #expect(cursor(state) == 0)
        #expect(!isCheckOpen(state))
        #expect(state.live.dependencySelection(data: D.data(), filter: state.filter)?.entry.workload.name == "web-02")
    }

    @Test func withoutDependenciesTheDetailScrollsAsBefore() throws {
        var state = try press([.tab], from: D.selecting("db-01"))
        #expect(state.focus == .detail)
        state = try press([.down], from: state)
        #expect(state.live.detailScroll == 1)
        state = try press([.enter], from: state)
        #expect(state.focus == .list)
        #expect(state.live.dependencyCursor == nil)
    }

    @Test func theDetailScrollsToShowTheCursor() throws {
        let many = (1...20).map {
            DependencyStatus(kind: .tcp, target: "127.0.0.1:\(8000 + $0)", role: "other", state: .ok)
        }
        let data = D.data(web01: many)
        var state = try press([.tab], from: D.selecting("web-01"), data: data)
        let height = LiveScreen.detailHeight(visibleRows: rows)
        #expect(state.live.detailScroll == 0)
        state = try press([.character("G")], from: state, data: data)
        let entry = try #require(state.live.selectedEntry(data: data, filter: ""))
        let content = WorkloadDetail.content(entry, data: data, lineDrawing: .unicode)
        let last = content.dependencyLines.upperBound - 1
        #expect(state.live.detailScroll == last - height + 1)
        state = try press([.character("g")], from: state, data: data)
        #expect(state.live.detailScroll == content.dependencyLines.lowerBound)
    }

    @Test func escInTheDetailOfOtherViewsGoesBackToTheList() throws {
        var state = UIState()
        state.activeView = .events
        state = try press([.enter], from: state, data: D.data())
        #expect(state.focus == .detail)
        state = try press([.escape], from: state, data: D.data())
        #expect(state.focus == .list)
    }
}
