import LocusCore

/// Something the dashboard must do outside the pure state: sent by the reducer, run by the loop.
public enum DashboardRequest: Hashable, Sendable {
    /// For a time, or (nil) until the alert clears.
    case acknowledge(AlertID, for: Duration?)
    case migration(MigrationCommand)
}

extension DashboardView {
    /// The live list shown in this tab.
    public var liveList: LiveList {
        switch self {
        case .workloads: return .workloads
        case .alerts: return .alerts
        case .migrations: return .migrations
        case .sites: return .sites
        case .events: return .events
        }
    }
}

/// The keys of the live views (movement, sort, detail, dependency cursor, jump, acknowledge)
/// and their help.
///
/// They apply only on the main screen (no prompt, dialog or help open) and before the shell's
/// own keys; a key they do not handle falls through to the shell.
public enum LiveKeys {
    struct Binding {
        var keys: [Key]
        var description: String
        var lists: Set<LiveList>
    }

    static let moving: Set<LiveList> = [.workloads, .alerts, .migrations, .sites, .events]
    static let scrolling: Set<LiveList> = [.alerts, .migrations, .sites, .events]

    static let bindings: [Binding] =
        [
            Binding(keys: [.up, .character("k")], description: "previous row (detail: scroll up)", lists: scrolling),
            Binding(keys: [.down, .character("j")], description: "next row (detail: scroll down)", lists: scrolling),
            Binding(
                keys: [.up, .character("k"), .down, .character("j")],
                description: "previous / next row (detail: dependency)",
                lists: [.workloads]
            ),
            Binding(keys: [.pageUp, .pageDown], description: "page up / down (detail: scroll)", lists: moving),
            Binding(keys: [.character("g"), .character("G")], description: "first / last row", lists: moving),
            Binding(keys: [.character("s")], description: "sort: name, site, alerts, last move", lists: [.workloads]),
            Binding(
                keys: [.enter],
                description: "focus the detail (on a dependency: its last check)",
                lists: [.workloads]
            ),
            Binding(
                keys: [.enter],
                description: "open the detail pane (focus it)",
                lists: [.migrations, .sites, .events]
            ),
            Binding(keys: [.enter], description: "show the alert's subject in Workloads", lists: [.alerts]),
            Binding(
                keys: [.escape],
                description: "detail: back to the list (closes a last check)",
                lists: [.workloads]
            ),
            Binding(keys: [.escape], description: "detail: back to the list", lists: scrolling),
            Binding(
                keys: [.character("x")],
                description: "acknowledge the alert, for a time or until it clears (asks first)",
                lists: [.alerts]
            ),
            Binding(
                keys: [.character("m")],
                description: "request a migration of the workload (site, address, reason)",
                lists: [.workloads]
            ),
        ]
        + MigrationKeys.decisions.map {
            Binding(keys: [.character($0.key)], description: $0.description, lists: [.migrations])
        }

    /// The help section for `view`.
    public static func keyMapSection(for view: DashboardView) -> KeyMapSection {
        let list = view.liveList
        let lines = bindings.filter { $0.lists.contains(list) }.map { binding in
            KeyBinding(binding.keys.map(\.description), binding.description)
        }
        if lines.isEmpty {
            return KeyMapSection(view.title, [KeyBinding("—", "no keys of its own yet")])
        }
        return KeyMapSection(view.title, lines + columnNotes(for: list))
    }

    /// What the terse columns and marks of a view mean, listed under its keys in `?`.
    static func columnNotes(for list: LiveList) -> [KeyBinding] {
        switch list {
        case .workloads:
            return [
                KeyBinding("=", "column: the mapping's site is the inventory's (✓), another (✗), or unknown (?)"),
                KeyBinding("DEPS", "column: dependencies that are ok, of all the workload's"),
                KeyBinding("!", "column: the workload's worst alert; dim when all are acknowledged"),
                KeyBinding("A", "detail: the Map-Reply's authoritative bit (A auth, or A no from a proxy)"),
            ]
        case .alerts, .sites, .events, .migrations:
            return []
        }
    }

    /// The bottom line's hints for `state`: the shell's with the view's after the first, or
    /// only the last-check box's own keys while it is open (it takes every key).
    public static func hintBar(_ state: UIState, data: LiveData, shell: [KeyHint]) -> [KeyHint] {
        var view = hints(for: state.activeView)
        if state.focus == .detail {
            let mode = dependencyMode(state, data: data)
            if mode.isCheckOpen {
                return [KeyHint("↑↓", " previous/next"), KeyHint("⏎", " close"), KeyHint("Esc", " list")]
            }
            // Enter means the last check there, or back to the list; `s` gives way on a dependency
            // so that the shell's hints still fit 80 columns.
            let back = KeyHint("Esc", " list")
            view = mode.hasCursor ? [KeyHint("⏎", " last check"), back] : view.filter { $0.key != "⏎" } + [back]
        }
        return Array(shell.prefix(1)) + view + shell.dropFirst()
    }

    /// The view's hints for the bottom line while its list has focus.
    public static func hints(for view: DashboardView) -> [KeyHint] {
        switch view.liveList {
        case .workloads: return [KeyHint("s", " sort"), KeyHint("⏎", " detail")]
        case .alerts: return [KeyHint("x", " ack"), KeyHint("⏎", " jump")]
        case .sites, .events: return [KeyHint("⏎", " detail")]
        case .migrations: return [KeyHint("a", " approve"), KeyHint("⏎", " detail")]
        }
    }

    /// The state after `key` in a live view, or nil when the key is not a live-view key there.
    public static func reduce(_ state: UIState, key: Key, data: LiveData, visibleRows: Int) -> UIState? {
        guard state.confirmation == nil, !state.isHelpOpen, state.prompt == nil else { return nil }
        if state.sitePicker != nil { return MigrationKeys.reducePicker(state, key: key) }
        let list = state.activeView.liveList
        if list == .migrations,
            let decided = MigrationKeys.reduceMigrations(state, key: key, data: data, visibleRows: visibleRows)
        {
            return decided
        }
        if let handled = reduceDependencyKey(state, key: key, data: data, visibleRows: visibleRows) {
            return handled
        }
        var next = state
        next.message = nil
        func live(_ action: LiveAction) -> UIState {
            next.live = state.live.reduced(action, in: list, data: data, filter: state.filter, visibleRows: visibleRows)
            return next
        }
        if state.focus == .detail {
            switch key {
            case .up, .character("k"): return live(.scrollDetail(-1))
            case .down, .character("j"): return live(.scrollDetail(1))
            case .pageUp: return live(.scrollDetail(-visibleRows))
            case .pageDown: return live(.scrollDetail(visibleRows))
            case .enter, .escape:
                next.focus = .list
                return next
            default: break
            }
        } else {
            switch key {
            case .up, .character("k"): return live(.move(.up(1)))
            case .down, .character("j"): return live(.move(.down(1)))
            case .pageUp: return live(.move(.pageUp))
            case .pageDown: return live(.move(.pageDown))
            case .character("g"), .home: return live(.move(.top))
            case .character("G"), .end: return live(.move(.bottom))
            default: break
            }
        }
        switch (list, key) {
        case (.workloads, .character("s")):
            next = live(.cycleSort)
            next.message = StatusMessage(.info, "sorted by \(next.live.workloadSort.title)")
            return next
        case (.workloads, .enter), (.sites, .enter), (.events, .enter), (.migrations, .enter):
            next.focus = .detail
            return next
        case (.workloads, .character("m")):
            return MigrationKeys.requestKey(state, data: data, visibleRows: visibleRows)
        case (.alerts, .enter):
            guard let alert = selectedAlert(state, data: data, visibleRows: visibleRows) else { return nil }
            guard data.snapshot.workloads[alert.subject] != nil else {
                next.message = StatusMessage(.info, "\(alert.subject) is a source, not a workload; see the header")
                return next
            }
            next.activeView = .workloads
            next.focus = .list
            next.filter = ""
            next.live = state.live.reduced(
                .selectWorkload(alert.subject),
                in: .workloads,
                data: data,
                filter: "",
                visibleRows: visibleRows
            )
            return next
        case (.alerts, .character("x")):
            guard let alert = selectedAlert(state, data: data, visibleRows: visibleRows) else { return nil }
            if let by = alert.acknowledgedBy {
                next.message = StatusMessage(.info, "\(alert.id) is already acknowledged by \(by)")
                return next
            }
            next.prompt = Prompt(.acknowledgeFor(alert))
            return next
        default:
            return nil
        }
    }

    static func selectedAlert(_ state: UIState, data: LiveData, visibleRows: Int) -> Alert? {
        let alerts = LiveRows.alerts(data.snapshot, filter: state.filter)
        guard !alerts.isEmpty else { return nil }
        let table = state.live.position(.alerts).tableState(keys: alerts.map(\.id.rawValue), visibleRows: visibleRows)
        return alerts[table.selection]
    }

    /// The workload whose detail the Workloads view shows, for fetching its history.
    public static func selectedWorkload(_ state: UIState, data: LiveData, visibleRows: Int) -> String? {
        let keys = LiveRows.keys(of: .workloads, data: data, filter: state.filter, sort: state.live.workloadSort)
        guard !keys.isEmpty else { return nil }
        return keys[state.live.position(.workloads).tableState(keys: keys, visibleRows: visibleRows).selection]
    }
}
