import LocusCore

/// The keys of the Workloads detail pane's dependency cursor and of the last-check box.
///
/// Tab or Enter on the list focuses the detail with the cursor on a dependency; there ↑↓ (jk)
/// move it, g/G jump to the first and last, Enter opens the dependency's last check, and Esc or
/// Tab go back to the list. The last-check box is modal like help: Enter or q close it, staying
/// on the dependency; ↑↓ show the previous or next dependency's check; Esc or Tab close it and
/// go back to the list, as Esc does from anywhere in a detail pane; other keys do nothing.
extension LiveKeys {
    /// The state after `key`, or nil when the key is not one of these here.
    static func reduceDependencyKey(_ state: UIState, key: Key, data: LiveData, visibleRows: Int) -> UIState? {
        guard state.activeView.liveList == .workloads else { return nil }
        var next = state
        next.message = nil
        func live(_ action: LiveAction) -> UIState {
            next.live = next.live.reduced(
                action,
                in: .workloads,
                data: data,
                filter: state.filter,
                visibleRows: visibleRows
            )
            return next
        }
        if state.focus == .list {
            switch key {
            case .tab, .backTab, .enter:
                next.focus = .detail
                return live(.revealDependency)
            default:
                return nil
            }
        }
        let selection = state.live.dependencySelection(data: data, filter: state.filter)
        if let selection, state.live.isCheckOpen(of: selection.entry.workload.name, in: selection.dependencies) {
            switch key {
            case .enter, .character("q"): return live(.showCheck(false))
            case .up, .character("k"): return live(.moveDependency(.up(1)))
            case .down, .character("j"): return live(.moveDependency(.down(1)))
            case .home, .character("g"): return live(.moveDependency(.top))
            case .end, .character("G"): return live(.moveDependency(.bottom))
            case .escape, .tab, .backTab:
                next.focus = .list
                return live(.showCheck(false))
            default: return next
            }
        }
        switch key {
        case .tab, .backTab, .escape:
            next.focus = .list
            return next
        default:
            break
        }
        guard selection != nil else { return nil }
        switch key {
        case .up, .character("k"): return live(.moveDependency(.up(1)))
        case .down, .character("j"): return live(.moveDependency(.down(1)))
        case .home, .character("g"): return live(.moveDependency(.top))
        case .end, .character("G"): return live(.moveDependency(.bottom))
        case .enter: return live(.showCheck(true))
        default: return nil
        }
    }

    /// Whether the Workloads detail has focus on a workload with dependencies, and whether
    /// the last-check box is open: what the bottom line's hints depend on.
    static func dependencyMode(_ state: UIState, data: LiveData) -> (hasCursor: Bool, isCheckOpen: Bool) {
        guard state.activeView.liveList == .workloads, state.focus == .detail,
            let selection = state.live.dependencySelection(data: data, filter: state.filter)
        else { return (false, false) }
        return (true, state.live.isCheckOpen(of: selection.entry.workload.name, in: selection.dependencies))
    }
}
