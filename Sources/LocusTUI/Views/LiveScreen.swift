import Foundation
import LocusCore

/// Draws the active live view from a snapshot: its list in the list pane and the selected row's
/// detail in the detail pane. Immediate mode; only visible rows are formatted.
public enum LiveScreen {
    public struct Panes {
        public var list: Rect
        public var detail: Rect
        public var detailFocused: Bool

        public init(list: Rect, detail: Rect, detailFocused: Bool) {
            self.list = list
            self.detail = detail
            self.detailFocused = detailFocused
        }
    }

    /// The rows a list pane of `area` shows (the footer row and the table header excluded).
    public static func visibleRows(in area: Rect) -> Int {
        max(1, area.height - 2)
    }

    /// The rows of the detail pane beside a list pane showing `visibleRows` rows.
    public static func detailHeight(visibleRows: Int) -> Int {
        visibleRows + 2
    }

    public static func draw(
        _ list: LiveList,
        state: LiveViewState,
        data: LiveData,
        filter: String,
        panes: Panes,
        frame: inout Frame
    ) {
        let lineDrawing = frame.lineDrawing
        let listFocused = !panes.detailFocused
        let detailArea = panes.detail.inset(by: Insets(left: 1))
        let position = state.position(list)
        var detail: [StyledLine] = []
        var highlighted: Int?
        var check: DependencyCheckBox?
        switch list {
        case .workloads:
            let workloads = WorkloadList.cached(
                snapshot: data.snapshot,
                filter: filter,
                sort: state.workloadSort,
                now: data.now
            )
            let view = WorkloadsView(
                list: workloads,
                position: position,
                sort: state.workloadSort,
                total: data.snapshot.workloads.count,
                now: data.now,
                isFocused: listFocused
            )
            view.draw(in: panes.list, frame: &frame)
            if let entry = selected(workloads.entries, keys: workloads.names, position: position, area: panes.list) {
                let content = WorkloadDetail.content(entry, data: data, lineDrawing: lineDrawing)
                detail = content.lines
                let name = entry.workload.name
                let dependencies = entry.workload.dependencies
                if panes.detailFocused, let index = state.dependencyIndex(of: name, in: dependencies) {
                    highlighted = content.dependencyLines.lowerBound + index
                    if state.isCheckOpen(of: name, in: dependencies) {
                        check = DependencyCheckBox(workload: name, dependency: dependencies[index], now: data.now)
                    }
                }
            }
        case .alerts:
            let alerts = LiveRows.alerts(data.snapshot, filter: filter)
            let keys = alerts.map(\.id.rawValue)
            drawTable(
                AlertsView.columns,
                count: alerts.count,
                keys: keys,
                position: position,
                empty: data.snapshot.alerts.count == 0 ? "No active alerts" : "No alert matches the filter",
                footer: AlertsView.footer(shown: alerts),
                focused: listFocused,
                area: panes.list,
                frame: &frame
            ) { AlertsView.cells(alerts[$0], now: data.now, lineDrawing: lineDrawing) }
            if let alert = selected(alerts, keys: keys, position: position, area: panes.list) {
                detail = AlertsView.detail(alert, data: data, lineDrawing: lineDrawing)
            }
        case .sites:
            let entries = SitesView.entries(data, sites: LiveRows.sites(data.snapshot, filter: filter))
            let keys = entries.map(\.site.name)
            drawTable(
                SitesView.columns,
                count: entries.count,
                keys: keys,
                position: position,
                empty: data.snapshot.sites.isEmpty ? "No sites configured" : "No site matches the filter",
                footer: Plural.count(entries.count, "site"),
                focused: listFocused,
                area: panes.list,
                frame: &frame
            ) { SitesView.cells(entries[$0], data: data, lineDrawing: lineDrawing) }
            if let entry = selected(entries, keys: keys, position: position, area: panes.list) {
                detail = SitesView.detail(entry, data: data, lineDrawing: lineDrawing)
            }
        case .events:
            let events = LiveRows.events(data.snapshot, filter: filter)
            let keys = events.indices.map { String($0) }
            drawTable(
                EventsView.columns,
                count: events.count,
                keys: keys,
                position: position,
                empty: data.snapshot.events.isEmpty ? "No events yet" : "No event matches the filter",
                footer: Plural.count(events.count, "recent event") + ", newest first",
                focused: listFocused,
                area: panes.list,
                frame: &frame
            ) { EventsView.cells(events[$0], data: data, lineDrawing: lineDrawing) }
            if let event = selected(events, keys: keys, position: position, area: panes.list) {
                detail = EventsView.detail(event, data: data, lineDrawing: lineDrawing)
            }
        case .migrations:
            guard let board = data.migrations else {
                frame.put(
                    "Reading migrations from the store…",
                    in: panes.list.inset(by: Insets(left: 1)).row(0),
                    style: .muted
                )
                break
            }
            let migrations = LiveRows.migrations(board, filter: filter)
            let keys = migrations.map(\.id)
            let waiting = board.waitingForViewer.count
            var footer =
                (migrations.count == 1 ? "1 migration" : "\(migrations.count) migrations")
                + (waiting > 0 ? ", \(waiting) waiting for you" : "")
            if let reason = board.readOnlyReason { footer += " · \(reason)" }
            if let error = board.error { footer = "store: \(error)" }
            drawTable(
                MigrationsView.columns,
                count: migrations.count,
                keys: keys,
                position: position,
                empty: board.migrations.isEmpty
                    ? "No migrations yet: m on a workload requests one" : "No migration matches the filter",
                footer: footer,
                focused: listFocused,
                area: panes.list,
                frame: &frame
            ) { MigrationsView.cells(migrations[$0], board: board, lineDrawing: lineDrawing) }
            if let m = selected(migrations, keys: keys, position: position, area: panes.list) {
                detail = MigrationsView.detail(
                    m,
                    board: board,
                    width: detailArea.width,
                    timeZone: data.timeZone,
                    lineDrawing: lineDrawing
                )
            }
        }
        if detail.isEmpty {
            detail = [StyledLine("Nothing selected.", style: .muted)]
        }
        // Every pane's long lines wrap; the highlighted line moves down by the rows wrapped above it.
        var wrapped: [StyledLine] = []
        let highlightedBeforeWrapping = highlighted
        for (index, line) in detail.enumerated() {
            if index == highlightedBeforeWrapping { highlighted = wrapped.count }
            wrapped += line.wrapped(toColumns: detailArea.width)
        }
        let text = TextView(wrapped, scroll: state.detailScroll, highlightedLine: highlighted)
        frame.render(text, in: detailArea)
        if let highlighted {
            drawCursorMarker(line: highlighted, of: text, in: detailArea, gutter: panes.detail, frame: &frame)
        }
        if let check {
            let body = Rect(
                x: panes.list.x,
                y: panes.list.y,
                width: panes.detail.maxX - panes.list.x,
                height: max(panes.list.height, panes.detail.height)
            )
            frame.render(check, in: body)
        }
    }

    /// The table's selection marker in the column left of the detail text, on the cursor's row.
    private static func drawCursorMarker(line: Int, of text: TextView, in area: Rect, gutter: Rect, frame: inout Frame)
    {
        let first = min(max(0, text.scroll), text.maximumScroll(height: area.height))
        let row = line - first
        guard area.x > gutter.x, row >= 0, row < area.height else { return }
        let style = Style(.selected, .bold)
        frame.put(
            frame.lineDrawing.selectionMarker,
            in: Rect(x: gutter.x, y: area.y + row, width: 1, height: 1),
            style: style
        )
    }

    private static func selected<Element>(
        _ items: [Element],
        keys: [String],
        position: ListPosition,
        area: Rect
    ) -> Element? {
        guard !items.isEmpty else { return nil }
        let table = position.tableState(keys: keys, visibleRows: visibleRows(in: area))
        return items[table.selection]
    }

    private static func drawTable(
        _ columns: [TableColumn],
        count: Int,
        keys: [String],
        position: ListPosition,
        empty: String,
        footer: String,
        focused: Bool,
        area: Rect,
        frame: inout Frame,
        cells: @escaping (Int) -> [TableCell]
    ) {
        let (tableArea, footerArea) = area.splitRows(atHeight: max(0, area.height - 1))
        let table = Table(
            columns: columns,
            rows: RowProvider(count: count, cells: cells),
            state: position.tableState(keys: keys, visibleRows: Table<RowProvider>.visibleRowCount(in: tableArea)),
            emptyText: empty,
            isFocused: focused
        )
        frame.render(table, in: tableArea)
        frame.put(footer, in: footerArea, style: .muted)
    }
}
