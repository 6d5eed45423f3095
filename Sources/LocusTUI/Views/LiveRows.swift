import Foundation
import LocusCore

/// The row keys of each live list, in the order shown, for selection and movement.
public enum LiveRows {
    public static func keys(of list: LiveList, data: LiveData, filter: String, sort: WorkloadSort) -> [String] {
        switch list {
        case .workloads:
            return WorkloadList.cached(snapshot: data.snapshot, filter: filter, sort: sort, now: data.now).names
        case .alerts:
            return alerts(data.snapshot, filter: filter).map(\.id.rawValue)
        case .sites:
            return sites(data.snapshot, filter: filter).map(\.name)
        case .events:
            return events(data.snapshot, filter: filter).indices.map { String($0) }
        case .migrations:
            return data.migrations.map { migrations($0, filter: filter).map(\.id) } ?? []
        }
    }

    static func alerts(_ snapshot: Snapshot, filter: String) -> [Alert] {
        let words = lowercasedWords(filter)
        return snapshot.sortedAlerts.filter { alert in
            matches(words, in: [alert.subject, alert.kind.rawValue, alert.severity.rawValue, alert.message])
        }
    }

    /// The board's migrations in the order shown, those matching every word of `filter` (id, workload,
    /// sites, state, requester).
    static func migrations(_ board: MigrationBoard, filter: String) -> [Migration] {
        let words = lowercasedWords(filter)
        guard !words.isEmpty else { return board.ordered }
        return board.ordered.filter { m in
            matches(words, in: [m.id, m.workload, m.fromSite, m.toSite, m.state.rawValue, m.requestedBy])
        }
    }

    static func sites(_ snapshot: Snapshot, filter: String) -> [SiteConfig] {
        let words = lowercasedWords(filter)
        return snapshot.sites.filter { site in
            matches(words, in: [site.name] + site.rlocs.map(\.description))
        }
    }

    static func events(_ snapshot: Snapshot, filter: String) -> [Event] {
        let words = lowercasedWords(filter)
        guard !words.isEmpty else { return snapshot.events }
        return snapshot.events.filter { event in
            matches(words, in: [event.subject, event.kind.rawValue, event.detail, EventText.summary(event)])
        }
    }

    private static func lowercasedWords(_ filter: String) -> [String] {
        filter.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
    }

    private static func matches(_ words: [String], in fields: [String]) -> Bool {
        let haystack = fields.map { $0.lowercased() }
        return words.allSatisfy { word in haystack.contains { $0.contains(word) } }
    }
}

extension LiveViewState {
    /// The state after `action` in `list`, for a list pane `visibleRows` rows high.
    public func reduced(
        _ action: LiveAction,
        in list: LiveList,
        data: LiveData,
        filter: String,
        visibleRows: Int
    ) -> LiveViewState {
        var state = self
        switch action {
        case .move(let motion):
            let keys = LiveRows.keys(of: list, data: data, filter: filter, sort: workloadSort)
            var position = state.position(list)
            var table = position.tableState(keys: keys, visibleRows: visibleRows)
            table.move(motion, rowCount: keys.count, visibleRows: visibleRows)
            position.selectedKey = keys.isEmpty ? nil : keys[table.selection]
            position.offset = table.offset
            if position.selectedKey != state.position(list).selectedKey {
                state.detailScroll = 0
                state.dependencyCursor = nil
            }
            state.positions[list] = position
        case .cycleSort:
            state.workloadSort = workloadSort.next
        case .scrollDetail(let lines):
            state.detailScroll = max(0, detailScroll + lines)
        case .selectWorkload(let name):
            state.positions[.workloads, default: ListPosition()].selectedKey = name
            state.detailScroll = 0
            state.dependencyCursor = nil
        case .moveDependency(let motion):
            state.moveDependency(motion, data: data, filter: filter, visibleRows: visibleRows)
        case .revealDependency:
            state.revealDependency(data: data, filter: filter, visibleRows: visibleRows)
        case .showCheck(let isOpen):
            state.showCheck(isOpen, data: data, filter: filter)
        }
        return state
    }
}
