/// The lists of the live dashboard, one per tab.
public enum LiveList: Hashable, Sendable, CaseIterable {
    case workloads
    case alerts
    case migrations
    case sites
    case events
}

/// Where the operator is in one list: the selected row's key (so the selection follows a row
/// when the list re-sorts) and the first visible row.
public struct ListPosition: Hashable, Sendable {
    public var selectedKey: String?
    public var offset: Int

    public init(selectedKey: String? = nil, offset: Int = 0) {
        self.selectedKey = selectedKey
        self.offset = offset
    }

    /// The table state for `keys`: the selected key's row, or the first row when it is gone.
    public func tableState(keys: [String], visibleRows: Int) -> TableState {
        let index = selectedKey.flatMap { keys.firstIndex(of: $0) } ?? 0
        return TableState(selection: index, offset: offset).clamped(rowCount: keys.count, visibleRows: visibleRows)
    }
}

/// The live views' part of the UI state: positions in each list, the Workloads sort, the
/// detail pane's scroll and its dependency cursor.
public struct LiveViewState: Hashable, Sendable {
    public var positions: [LiveList: ListPosition]
    public var workloadSort: WorkloadSort
    public var detailScroll: Int
    /// Nil: on the selected workload's first dependency, no last check open.
    public var dependencyCursor: DependencyCursor?

    public init(workloadSort: WorkloadSort = .name) {
        self.positions = [:]
        self.workloadSort = workloadSort
        self.detailScroll = 0
        self.dependencyCursor = nil
    }

    public func position(_ list: LiveList) -> ListPosition {
        positions[list] ?? ListPosition()
    }

    /// The selected workload's name, if a row is selected.
    public var selectedWorkload: String? { positions[.workloads]?.selectedKey }
}

/// Something a live view does in answer to a key.
public enum LiveAction: Hashable, Sendable {
    case move(TableState.Motion)
    case cycleSort
    case scrollDetail(Int)
    /// Select `name` in Workloads (Enter on an alert).
    case selectWorkload(String)
    /// Move the cursor in the selected workload's dependencies, scrolling the detail to show it.
    case moveDependency(TableState.Motion)
    /// Scroll the detail, if needed, so the dependency cursor shows.
    case revealDependency
    /// Open or close the last check of the dependency under the cursor.
    case showCheck(Bool)
}
