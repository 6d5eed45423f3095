import LocusCore

/// Where the operator is in the selected workload's dependency list, when the detail pane has
/// focus: the dependency under the cursor and whether its last check is open.
///
/// The cursor names its dependency by kind and target, so it stays on it when a snapshot
/// reorders the list; the index is the fallback when that dependency is gone, so the cursor
/// lands near where it was instead of jumping to the top. It belongs to one workload: selecting
/// another puts the cursor back on that workload's first dependency.
public struct DependencyCursor: Hashable, Sendable {
    public var workload: String
    public var kind: DependencyStatus.Kind
    public var target: String
    public var index: Int
    /// The last-check box of this dependency is open.
    public var isCheckOpen: Bool

    public init(
        workload: String,
        kind: DependencyStatus.Kind,
        target: String,
        index: Int,
        isCheckOpen: Bool = false
    ) {
        self.workload = workload
        self.kind = kind
        self.target = target
        self.index = index
        self.isCheckOpen = isCheckOpen
    }

    /// The cursor on `dependencies[index]` of `workload`.
    init(workload: String, dependencies: [DependencyStatus], index: Int, isCheckOpen: Bool) {
        let dependency = dependencies[index]
        self.init(
            workload: workload,
            kind: dependency.kind,
            target: dependency.target,
            index: index,
            isCheckOpen: isCheckOpen
        )
    }

    /// Whether the cursor is on `dependency`.
    func isOn(_ dependency: DependencyStatus) -> Bool {
        dependency.kind == kind && dependency.target == target
    }
}

extension LiveViewState {
    /// The cursor's row in `dependencies` of `workload`: the same dependency as before, else the
    /// same row clamped to the list, else (another workload) the first; nil when there are none.
    public func dependencyIndex(of workload: String, in dependencies: [DependencyStatus]) -> Int? {
        guard !dependencies.isEmpty else { return nil }
        guard let cursor = dependencyCursor, cursor.workload == workload else { return 0 }
        if let index = dependencies.firstIndex(where: cursor.isOn) {
            return index
        }
        return min(max(0, cursor.index), dependencies.count - 1)
    }

    /// Whether the last-check box is open over `workload`'s dependencies.
    public func isCheckOpen(of workload: String, in dependencies: [DependencyStatus]) -> Bool {
        guard let cursor = dependencyCursor, cursor.workload == workload else { return false }
        return cursor.isCheckOpen && !dependencies.isEmpty
    }
}
