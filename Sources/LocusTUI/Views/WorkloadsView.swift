import Foundation
import LocusCore

/// The Workloads list: one row per workload, filtered by `/` and sorted by `s`.
struct WorkloadsView {
    var list: WorkloadList
    var position: ListPosition
    var sort: WorkloadSort
    var total: Int
    var now: Date
    var isFocused: Bool

    static let columns = [
        TableColumn("NAME", width: .flexible(min: 7, weight: 2)),
        TableColumn("EID", width: .flexible(min: 10, weight: 1)),
        TableColumn("SITE", width: .flexible(min: 7, weight: 1)),
        TableColumn("MAPPED", width: .flexible(min: 17, weight: 2)),
        TableColumn("=", width: .fixed(1)),
        TableColumn("DEPS", width: .fixed(4), alignment: .trailing),
        TableColumn("!", width: .fixed(2)),
        TableColumn("MOVED", width: .fixed(6), alignment: .trailing),
    ]

    static func sortColumn(_ sort: WorkloadSort) -> TableSort {
        switch sort {
        case .name: return TableSort(column: 0)
        case .site: return TableSort(column: 2)
        case .alerts: return TableSort(column: 6, ascending: false)
        case .lastMove: return TableSort(column: 7, ascending: false)
        }
    }

    func draw(in area: Rect, frame: inout Frame) {
        let (tableArea, footer) = area.splitRows(atHeight: max(0, area.height - 1))
        let entries = list.entries
        let lineDrawing = frame.lineDrawing
        let visible = Table<RowProvider>.visibleRowCount(in: tableArea)
        let table = Table(
            columns: Self.columns,
            rows: RowProvider(count: entries.count) { index in
                Self.cells(entries[index], now: now, lineDrawing: lineDrawing)
            },
            state: position.tableState(keys: list.names, visibleRows: visible),
            sort: Self.sortColumn(sort),
            emptyText: total == 0 ? "No workloads yet" : "No workload matches the filter",
            isFocused: isFocused
        )
        frame.render(table, in: tableArea)
        if let error = list.filterError {
            frame.put(
                StateMark.crit.symbol(lineDrawing) + " " + error.description,
                in: footer,
                style: StateMark.crit.style
            )
        } else {
            frame.put("\(entries.count) of \(total) workloads · sort \(sort.title)", in: footer, style: .muted)
        }
    }

    /// A host prefix shows as its address (`10.1.0.7`); a wider one with its length.
    static func eidText(_ eid: IPPrefix) -> String {
        let hostLength = eid.address.description.contains(":") ? 128 : 32
        return eid.length == hostLength ? eid.address.description : eid.description
    }

    static func cells(_ entry: WorkloadList.Entry, now: Date, lineDrawing: LineDrawing) -> [TableCell] {
        let workload = entry.workload
        let mapping = workload.mapping
        let mapped: TableCell
        let match: TableCell
        switch entry.mappingState {
        case .registered:
            let site = mapping.site ?? "?"
            let rloc = mapping.locators.first?.address ?? ""
            mapped = TableCell(site + " " + rloc)
            match =
                mapping.site == workload.spec.site
                ? TableCell(StateMark.ok.symbol(lineDrawing), role: .ok)
                : TableCell(StateMark.crit.symbol(lineDrawing), role: .crit)
        case .negative:
            mapped = TableCell("not registered", role: .crit)
            match = TableCell(StateMark.crit.symbol(lineDrawing), role: .crit)
        case .unknown:
            mapped = TableCell("unknown", role: .muted)
            match = TableCell(StateMark.unknown.symbol(lineDrawing), role: .muted)
        }
        let dependencies = workload.dependencies
        let deps =
            dependencies.isEmpty
            ? TableCell(lineDrawing == .unicode ? "—" : "-", role: .muted)
            : TableCell("\(dependencies.filter { $0.state == .ok }.count)/\(dependencies.count)")
        var alert = TableCell("")
        if let severity = entry.worstAlert {
            let mark = AlertText.mark(severity)
            alert = TableCell(mark.symbol(lineDrawing), role: entry.allAcknowledged ? .muted : mark.role)
        }
        let moved = workload.lastMovedAt.map { CoarseText.age(since: $0, now: now) } ?? ""
        return [
            TableCell(workload.name),
            TableCell(eidText(workload.spec.eid)),
            TableCell(workload.spec.site),
            mapped,
            match,
            deps,
            alert,
            TableCell(moved),
        ]
    }
}
