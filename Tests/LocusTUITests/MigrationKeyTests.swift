import Foundation
import LocusCore
import Testing

@testable import LocusTUI

@Suite("Migrations from the keyboard: each key asks first, names what it acts on, and says why not")
struct MigrationKeyTests {
    typealias F = LiveViewFixtures
    typealias M = MigrationFixtures

    private let rows = 20

    private func press(_ keys: [Key], _ state: UIState, _ data: LiveData) throws -> UIState {
        var state = state
        for key in keys {
            if let next = LiveKeys.reduce(state, key: key, data: data, visibleRows: rows) {
                state = next
            } else {
                state = Shell.reduce(state, try #require(Shell.action(for: key, in: state), "\(key)"))
            }
        }
        return state
    }

    private var migrationsView: UIState {
        var state = UIState()
        state.activeView = .migrations
        return state
    }

    @Test func approvingAsksNamingTheWorkloadTheMoveAndTheDigestThenRequestsIt() throws {
        let data = M.data(M.board(M.mixed))
        var state = try press([.character("a")], migrationsView, data)
        let confirmation = try #require(state.confirmation)
        #expect(confirmation.action == "Approve migration")
        #expect(confirmation.object == "m-00000001")
        #expect(confirmation.details.first == "web-01 dc-east → dc-west, digest 1a2b3c4d")
        #expect(state.requests.isEmpty)
        state = try press([.character("y")], state, data)
        let approved = try #require(M.board(M.mixed).migrations.first { $0.id == "m-00000001" })
        #expect(state.requests == [.migration(.approve(approved))])
        #expect(state.message?.text == "approving m-00000001…")
    }

    @Test func refusalsAreSaidInWordsAndNothingIsRequested() throws {
        let mine = M.data(M.board(M.mixed, viewer: "ops3", readOnlyReason: "read-only: ops3 is not an approver"))
        let notApprover = try press([.character("a")], migrationsView, mine)
        #expect(notApprover.message?.text == "read-only: ops3 is not an approver")
        #expect(notApprover.confirmation == nil)

        let ownRequest = M.data(M.board([M.migration("m-0000000a", "web-01", state: .ready, requestedBy: "ops1")]))
        let own = try press([.character("a")], migrationsView, ownRequest)
        #expect(own.message?.text == "m-0000000a is your own request: another approver approves it")

        var selectCompleted = migrationsView
        selectCompleted.live.positions[.migrations] = ListPosition(selectedKey: "m-00000005")
        let resumed = try press([.character("u")], selectCompleted, M.data(M.board(M.mixed)))
        #expect(resumed.message?.text == "m-00000005 is completed: only an interrupted one is resumed")

        var readOnly = migrationsView
        readOnly.isReadOnly = true
        let refused = try press([.character("R")], readOnly, M.data(M.board(M.mixed)))
        #expect(refused.message?.text.hasPrefix("read-only (--read-only)") == true)
        #expect([notApprover, own, resumed, refused].allSatisfy { $0.requests.isEmpty })
    }

    @Test func rejectingNeedsAReason() throws {
        let data = M.data(M.board(M.mixed))
        var state = try press([.character("r")], migrationsView, data)
        #expect(state.prompt?.leader == "reason to reject: ")
        state = try press([.enter], state, data)
        #expect(state.prompt != nil)
        #expect(state.message?.text == "a reason is required: type why, or Esc")
        state = try press("wrong site".map { .character($0) } + [.enter], state, data)
        #expect(state.confirmation?.details.last == "reason: wrong site")
        state = try press([.enter], state, data)
        guard case .migration(.reject(let m, let reason)) = state.requests.first else {
            Issue.record("no reject request: \(state.requests)")
            return
        }
        #expect(m.id == "m-00000001")
        #expect(reason == "wrong site")
    }

    @Test func cancelOnARunningMigrationAbortsAfterTheStep() throws {
        var state = migrationsView
        state.live.positions[.migrations] = ListPosition(selectedKey: "m-00000002")
        state = try press([.character("c")], state, M.data(M.board(M.mixed)))
        #expect(state.confirmation?.action == "Abort after the current step:")
    }

    @Test func mOnAWorkloadPicksASiteAnAddressAndAReasonThenAsks() throws {
        let data = M.data(M.board([]))
        var state = try press([.character("m")], UIState(), data)
        let picker = try #require(state.sitePicker)
        #expect(picker.workload == "cache-01")
        #expect(picker.fromSite == "cloud")
        #expect(picker.sites == ["dc-east", "dc-west"])
        state = try press([.down, .enter], state, data)
        #expect(state.sitePicker == nil)
        #expect(state.prompt?.kind == .requestAddress(workload: "cache-01", site: "dc-west"))
        state = try press("10.2.0".map { .character($0) } + [.enter], state, data)
        #expect(state.message?.text.contains("10.2.0 is not an IP address") == true)
        state = try press([.control("u")] + "10.2.0.9".map { .character($0) } + [.enter], state, data)
        #expect(state.prompt?.kind == .requestReason(workload: "cache-01", site: "dc-west", address: "10.2.0.9"))
        state = try press([.enter], state, data)
        #expect(state.message?.text == "a reason is required: say why it moves")
        state = try press("rack".map { .character($0) } + [.enter], state, data)
        #expect(state.confirmation?.object == "cache-01 to dc-west")
        #expect(state.confirmation?.details == ["new address 10.2.0.9", "reason: rack"])
        state = try press([.character("y")], state, data)
        #expect(
            state.requests == [
                .migration(.request(workload: "cache-01", toSite: "dc-west", address: "10.2.0.9", reason: "rack"))
            ]
        )
    }

    @Test func escapeClosesTheSiteListAndTheSiteListTakesEveryKey() throws {
        let data = M.data(M.board([]))
        var state = try press([.character("m")], UIState(), data)
        state = try press([.character("3")], state, data)
        #expect(state.activeView == .workloads)
        #expect(state.sitePicker != nil)
        state = try press([.escape], state, data)
        #expect(state.sitePicker == nil)
        #expect(state.requests.isEmpty)
    }

    @Test func keysTypedAheadOfAQuestionNeverAnswerIt() throws {
        let data = M.data(M.board(M.mixed))
        let reduceKey: (UIState, Key) -> UIState = { state, key in
            if let next = LiveKeys.reduce(state, key: key, data: data, visibleRows: rows) { return next }
            return Shell.action(for: key, in: state).map { Shell.reduce(state, $0) } ?? state
        }
        let asked = Shell.reduce(migrationsView, keys: [.character("a"), .enter, .character("y")], by: reduceKey)
        #expect(asked.confirmation?.action == "Approve migration")
        #expect(asked.requests.isEmpty)
        // Once drawn, the next read answers it.
        let answered = Shell.reduce(asked, keys: [.enter], by: reduceKey)
        #expect(answered.confirmation == nil)
        #expect(answered.requests.count == 1)
    }

    @Test func theFilterNarrowsTheMigrationsAndTheKeysActOnWhatIsShown() throws {
        var state = migrationsView
        state.filter = "cache"
        let data = M.data(M.board(M.mixed))
        #expect(LiveRows.keys(of: .migrations, data: data, filter: state.filter, sort: .name) == ["m-00000004"])
        state = try press([.character("u")], state, data)
        #expect(state.confirmation?.object == "m-00000004")
    }

    @Test func aSiteListWithNothingToChooseClosesInsteadOfChoosing() {
        var state = UIState()
        state.sitePicker = SitePicker(workload: "web-01", fromSite: "dc-east", sites: [])
        let next = MigrationKeys.reducePicker(state, key: .enter)
        #expect(next.sitePicker == nil)
        #expect(next.prompt == nil)
    }

    @Test func quittingWhileARunnerThisProcessStartedRunsAsksFirst() throws {
        var state = UIState()
        state.runnersStarted = ["m-00000002": 4242]
        state = Shell.reduce(state, .quit)
        #expect(!state.wantsToQuit)
        #expect(state.confirmation?.details == ["The cutover goes on without this screen: its runner is detached."])
        state = Shell.reduce(state, .acceptConfirmation)
        #expect(state.wantsToQuit)
        #expect(Shell.reduce(UIState(), .quit).wantsToQuit)
    }

    @Test func helpListsTheDecisionKeysOfTheMigrationsView() {
        let section = LiveKeys.keyMapSection(for: .migrations)
        let descriptions = section.bindings.map(\.description)
        for (_, description) in MigrationKeys.decisions {
            #expect(descriptions.contains(description))
        }
        #expect(!descriptions.contains("no keys of its own yet"))
        #expect(
            LiveKeys.keyMapSection(for: .workloads).bindings.contains {
                $0.description.hasPrefix("request a migration")
            }
        )
    }
}
