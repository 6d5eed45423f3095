import Testing

@testable import LocusTUI

@Suite("Shell reducer and key map")
struct AppReducerTests {
    private let start = UIState(themeName: "default", themeNames: ["default", "light", "monochrome"])

    /// Feeds keys through the key map and the reducer, as the event loop does.
    private func press(_ keys: [Key], from state: UIState? = nil) -> UIState {
        var state = state ?? start
        for key in keys {
            if let action = Shell.action(for: key, in: state) {
                state = Shell.reduce(state, action)
            }
        }
        return state
    }

    private func type(_ text: String) -> [Key] {
        text.map { Key.character($0) }
    }

    @Test func digitsSwitchViews() {
        #expect(press([.character("2")]).activeView == .alerts)
        #expect(press([.character("5")]).activeView == .events)
        #expect(press([.character("3"), .character("1")]).activeView == .workloads)
        #expect(press([.character("6")]).activeView == .workloads)
    }

    @Test func bracketsCycleViewsAndWrap() {
        #expect(press([.character("]")]).activeView == .alerts)
        #expect(press([.character("[")]).activeView == .events)
        #expect(press(Array(repeating: .character("]"), count: 5)).activeView == .workloads)
    }

    @Test func tabMovesFocus() {
        #expect(press([.tab]).focus == .detail)
        #expect(press([.tab, .tab]).focus == .list)
        #expect(press([.backTab]).focus == .detail)
    }

    @Test func helpToggles() {
        #expect(press([.character("?")]).isHelpOpen)
        #expect(!press([.character("?"), .character("?")]).isHelpOpen)
        #expect(!press([.character("?"), .escape]).isHelpOpen)
        // q closes help rather than quitting.
        let closed = press([.character("?"), .character("q")])
        #expect(!closed.isHelpOpen)
        #expect(!closed.wantsToQuit)
        // Keys other than those closing help do nothing while it is open.
        #expect(press([.character("?"), .character("3")]).activeView == .workloads)
    }

    @Test func typedFilterStaysAfterEnter() {
        let typing = press([.character("/")] + type("web-0"))
        #expect(typing.prompt?.kind == .filter)
        #expect(typing.prompt?.text == "web-0")
        #expect(typing.filter == "")
        let applied = press([.enter], from: typing)
        #expect(applied.prompt == nil)
        #expect(applied.filter == "web-0")
        // Keys typed into the prompt are text, not commands.
        let withQ = press([.character("/")] + type("q1"))
        #expect(!withQ.wantsToQuit)
        #expect(withQ.activeView == .workloads)
        #expect(withQ.prompt?.text == "q1")
    }

    @Test func filterEditing() {
        let state = press([.character("/")] + type("web 07") + [.backspace, .control("w")] + type("db") + [.enter])
        #expect(state.filter == "web db")
        let reopened = press([.character("/")], from: state)
        #expect(reopened.prompt?.text == "web db")
        let cancelled = press([.control("u")] + type("x") + [.escape], from: reopened)
        #expect(cancelled.prompt == nil)
        #expect(cancelled.filter == "web db")
        #expect(press([.escape], from: cancelled).filter == "")
    }

    @Test func commandLineParses() throws {
        #expect(try ShellCommand.parse("quit") == .quit)
        #expect(try ShellCommand.parse("  q ") == .quit)
        #expect(try ShellCommand.parse("theme light") == .theme("light"))
        #expect(try ShellCommand.parse("filter web 07") == .filter("web 07"))
        #expect(try ShellCommand.parse("filter") == .filter(""))
        #expect(try ShellCommand.parse("view mig") == .view(.migrations))
        #expect(throws: ShellCommand.ParseError.unknown("frobnicate")) { try ShellCommand.parse("frobnicate now") }
        // Focus stays with its view: Tab in Events, then 1, is the Workloads list, not its dependencies.
        var focused = UIState()
        focused.activeView = .events
        focused = Shell.reduce(focused, .toggleFocus)
        #expect(focused.focus == .detail)
        #expect(Shell.reduce(focused, .showView(.workloads)).focus == .list)
        #expect(Shell.reduce(focused, .nextView).focus == .list)
        // A quit with words after it is not what the operator meant: an error, not a quit.
        #expect(throws: ShellCommand.ParseError.unexpectedArgument(command: "quit", argument: "now")) {
            try ShellCommand.parse("quit now")
        }
        #expect(throws: ShellCommand.ParseError.empty) { try ShellCommand.parse("   ") }
        #expect(throws: ShellCommand.ParseError.missingArgument(command: "theme", argument: "a theme name")) {
            try ShellCommand.parse("theme")
        }
        #expect(throws: ShellCommand.ParseError.unknownView("x")) { try ShellCommand.parse("view x") }
    }

    @Test func commandsRunThroughTheCommandLine() {
        #expect(press([.character(":")] + type("quit") + [.enter]).wantsToQuit)
        #expect(press([.character(":")] + type("theme light") + [.enter]).themeName == "light")
        #expect(press([.character(":")] + type("filter db") + [.enter]).filter == "db")
        #expect(press([.character(":")] + type("view sites") + [.enter]).activeView == .sites)
        let unknown = press([.character(":")] + type("bogus") + [.enter])
        #expect(unknown.message?.severity == .error)
        #expect(unknown.message?.text.contains("unknown command :bogus") == true)
        let badTheme = press([.character(":")] + type("theme neon") + [.enter])
        #expect(badTheme.themeName == "default")
        #expect(badTheme.message?.text.contains("no theme called neon") == true)
    }

    @Test func tCyclesThemes() {
        #expect(press([.character("t")]).themeName == "light")
        #expect(press([.character("t"), .character("t")]).themeName == "monochrome")
        #expect(press([.character("t"), .character("t"), .character("t")]).themeName == "default")
    }

    @Test func qQuits() {
        #expect(press([.character("q")]).wantsToQuit)
        #expect(!press([.character("x")]).wantsToQuit)
    }

    @Test func confirmationTakesKeysFirst() {
        let confirmation = PendingConfirmation(action: "Quit Locus", object: "while web-07 moves", onConfirm: .quit)
        let asking = Shell.reduce(start, .confirm(confirmation))
        #expect(press([.character("2")], from: asking).activeView == .workloads)
        #expect(press([.character("2")], from: asking).confirmation != nil)
        #expect(press([.escape], from: asking).confirmation == nil)
        #expect(!press([.character("n")], from: asking).wantsToQuit)
        #expect(press([.character("y")], from: asking).wantsToQuit)
        #expect(press([.enter], from: asking).wantsToQuit)
    }

    @Test func aMessageLastsUntilTheNextAction() {
        let cycled = press([.character("t")])
        #expect(cycled.message?.text == "theme light")
        #expect(press([.character("2")], from: cycled).message == nil)
    }

    @Test func helpListsTheKeysThatWork() {
        let keys = Shell.keyMap.bindings.flatMap(\.keys)
        for expected in ["1", "5", "[", "]", "Tab", "/", ":", "?", "t", "q"] {
            #expect(keys.contains(expected), "help does not list \(expected)")
        }
        // Esc only clears a filter that is set, so the state has one.
        let filtered = Shell.reduce(start, .setFilter("x"))
        for binding in Shell.bindings {
            for (key, action) in binding.keys {
                #expect(Shell.action(for: key, in: filtered) == action)
            }
        }
    }
}
