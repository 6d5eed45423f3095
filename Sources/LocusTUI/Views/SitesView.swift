import Foundation
import LocusCore

/// The Sites list: RLOCs, workloads by inventory and by mapping, map-server registrations, health.
struct SitesView {
    struct Entry {
        var site: SiteConfig
        var byInventory: Int
        var byMapping: Int
        var registrations: SiteRegistrations?
        var worstAlert: AlertSeverity?
    }

    static let columns = [
        TableColumn("SITE", width: .flexible(min: 6, weight: 1)),
        TableColumn("RLOCS", width: .flexible(min: 9, weight: 2)),
        TableColumn("INV", width: .fixed(4), alignment: .trailing),
        TableColumn("MAP", width: .fixed(4), alignment: .trailing),
        TableColumn("REG", width: .fixed(4), alignment: .trailing),
        TableColumn("LAST", width: .fixed(4), alignment: .trailing),
        TableColumn("DROP", width: .fixed(4), alignment: .trailing),
        TableColumn("HEALTH", width: .fixed(6)),
    ]

    static func entries(_ data: LiveData, sites: [SiteConfig]) -> [Entry] {
        var inventory: [String: Int] = [:]
        var mapped: [String: Int] = [:]
        var worst: [String: AlertSeverity] = [:]
        var alertsBySubject: [String: AlertSeverity] = [:]
        for alert in data.snapshot.alerts.values where !alert.isAcknowledged {
            alertsBySubject[alert.subject] = max(alertsBySubject[alert.subject] ?? alert.severity, alert.severity)
        }
        for workload in data.snapshot.workloads.values {
            inventory[workload.spec.site, default: 0] += 1
            if workload.mapping.state == .registered, let site = workload.mapping.site {
                mapped[site, default: 0] += 1
            }
            if let severity = alertsBySubject[workload.name] {
                worst[workload.spec.site] = max(worst[workload.spec.site] ?? severity, severity)
            }
        }
        let registrations = Dictionary(
            (data.registrations ?? []).map { ($0.site, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        return sites.map { site in
            Entry(
                site: site,
                byInventory: inventory[site.name] ?? 0,
                byMapping: mapped[site.name] ?? 0,
                registrations: registrations[site.name],
                worstAlert: worst[site.name]
            )
        }
    }

    static func cells(_ entry: Entry, data: LiveData, lineDrawing: LineDrawing) -> [TableCell] {
        let none = TableCell(lineDrawing == .unicode ? "—" : "-", role: .muted)
        let registrations = entry.registrations
        let health: TableCell
        if let severity = entry.worstAlert {
            let mark = AlertText.mark(severity)
            health = TableCell(mark.symbol(lineDrawing) + " " + AlertText.word(severity).lowercased(), role: mark.role)
        } else {
            health = StateMark.ok.cell("ok", lineDrawing: lineDrawing)
        }
        return [
            TableCell(entry.site.name),
            TableCell(entry.site.rlocs.map(\.description).joined(separator: ",")),
            TableCell("\(entry.byInventory)"),
            TableCell("\(entry.byMapping)"),
            registrations.map { TableCell("\($0.registered)") } ?? none,
            registrations?.lastRegistered.map { TableCell(CoarseText.age(since: $0, now: data.now)) } ?? none,
            registrations.map { TableCell("\($0.droppedTotal)", role: $0.droppedTotal > 0 ? .warn : nil) } ?? none,
            health,
        ]
    }

    static func detail(_ entry: Entry, data: LiveData, lineDrawing: LineDrawing) -> [StyledLine] {
        let heading = Style(.text, .bold)
        var lines: [StyledLine] = [StyledLine(entry.site.name, style: heading)]
        lines.append("RLOCs")
        for rloc in entry.site.rlocs {
            lines.append(StyledLine("  \(rloc)"))
        }
        lines.append(StyledLine("workloads \(entry.byInventory) by inventory, \(entry.byMapping) by mapping"))
        lines.append(StyledLine(""))
        lines.append(StyledLine("Registrations", style: heading))
        guard data.registrations != nil else {
            lines.append(StyledLine("  no map-server api configured", style: .muted))
            return lines
        }
        guard let registrations = entry.registrations else {
            lines.append(StyledLine("  none registered", style: .muted))
            return lines
        }
        lines.append(StyledLine("  \(registrations.registered) registered"))
        if let last = registrations.lastRegistered {
            lines.append(StyledLine("  last \(CoarseText.ago(since: last, now: data.now))"))
        }
        if !registrations.registerers.isEmpty {
            lines.append(StyledLine("  by \(registrations.registerers.joined(separator: ", "))"))
        }
        if registrations.dropped.isEmpty {
            lines.append(.marked(.ok, [Span("no registrations dropped")], lineDrawing: lineDrawing))
        }
        for (reason, count) in registrations.dropped.sorted(by: { $0.key < $1.key }) {
            lines.append(.marked(.warn, [Span("\(count) dropped: \(reason)")], lineDrawing: lineDrawing))
        }
        return lines
    }
}
