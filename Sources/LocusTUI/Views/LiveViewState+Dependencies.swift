import LocusCore

extension LiveViewState {
    /// The workload the Workloads detail pane shows: the selected row, else the first row.
    func selectedEntry(data: LiveData, filter: String) -> WorkloadList.Entry? {
        let list = WorkloadList.cached(snapshot: data.snapshot, filter: filter, sort: workloadSort, now: data.now)
        let key = position(.workloads).selectedKey
        return list.entries.first { $0.workload.name == key } ?? list.entries.first
    }

    /// The selected workload's dependencies and the cursor's row in them; nil when it has none.
    func dependencySelection(
        data: LiveData,
        filter: String
    ) -> (entry: WorkloadList.Entry, dependencies: [DependencyStatus], index: Int)? {
        guard let entry = selectedEntry(data: data, filter: filter) else { return nil }
        let dependencies = entry.workload.dependencies
        guard let index = dependencyIndex(of: entry.workload.name, in: dependencies) else { return nil }
        return (entry, dependencies, index)
    }

    mutating func moveDependency(_ motion: TableState.Motion, data: LiveData, filter: String, visibleRows: Int) {
        guard case let (entry, dependencies, index)? = dependencySelection(data: data, filter: filter) else { return }
        var table = TableState(selection: index)
        table.move(motion, rowCount: dependencies.count, visibleRows: visibleRows)
        let name = entry.workload.name
        dependencyCursor = DependencyCursor(
            workload: name,
            dependencies: dependencies,
            index: table.selection,
            isCheckOpen: isCheckOpen(of: name, in: dependencies)
        )
        reveal(entry, index: table.selection, data: data, visibleRows: visibleRows)
    }

    mutating func revealDependency(data: LiveData, filter: String, visibleRows: Int) {
        guard case let (entry, _, index)? = dependencySelection(data: data, filter: filter) else { return }
        reveal(entry, index: index, data: data, visibleRows: visibleRows)
    }

    mutating func showCheck(_ isOpen: Bool, data: LiveData, filter: String) {
        guard case let (entry, dependencies, index)? = dependencySelection(data: data, filter: filter) else {
            dependencyCursor?.isCheckOpen = false
            return
        }
        dependencyCursor = DependencyCursor(
            workload: entry.workload.name,
            dependencies: dependencies,
            index: index,
            isCheckOpen: isOpen
        )
    }

    /// Scrolls the detail pane as little as needed to show the dependency on row `index`.
    private mutating func reveal(_ entry: WorkloadList.Entry, index: Int, data: LiveData, visibleRows: Int) {
        let content = WorkloadDetail.content(entry, data: data, lineDrawing: .unicode)
        let height = LiveScreen.detailHeight(visibleRows: visibleRows)
        let line = content.dependencyLines.lowerBound + index
        var scroll = min(detailScroll, max(0, content.lines.count - height))
        if line < scroll {
            scroll = line
        } else if line >= scroll + height {
            scroll = line - height + 1
        }
        detailScroll = max(0, scroll)
    }
}
