import Foundation
import LocusCore

/// The detail pane of one workload: inventory, mapping and locator set, dependencies, alerts
/// and its recent events from the store.
enum WorkloadDetail {
    /// The pane's lines, and which of them are the dependencies (one line each, in order), so
    /// the dependency cursor can be drawn and scrolled into view.
    struct Content {
        var lines: [StyledLine]
        var dependencyLines: Range<Int>
    }

    static func content(_ entry: WorkloadList.Entry, data: LiveData, lineDrawing: LineDrawing) -> Content {
        let alerts = data.snapshot.alerts.values.filter { $0.subject == entry.workload.name }
            .sorted { ($0.severity, $1.id) > ($1.severity, $0.id) }
        return content(entry, alerts: alerts, history: data.history, data: data, lineDrawing: lineDrawing)
    }

    static func content(
        _ entry: WorkloadList.Entry,
        alerts: [Alert],
        history: WorkloadHistory?,
        data: LiveData,
        lineDrawing: LineDrawing
    ) -> Content {
        let workload = entry.workload
        let spec = workload.spec
        let mapping = workload.mapping
        let heading = Style(.text, .bold)
        var lines: [StyledLine] = [
            StyledLine([Span(workload.name, style: heading), Span("  EID \(spec.eid)  iid \(spec.iid)")]),
            StyledLine("inventory \(spec.site)  address \(spec.address)" + (spec.host.map { "  host \($0)" } ?? "")),
        ]
        switch entry.mappingState {
        case .registered:
            let matches = mapping.site == spec.site
            let mark: StateMark = matches ? .ok : .crit
            let verdict = matches ? "matches inventory" : "inventory says \(spec.site)"
            lines.append(
                .marked(
                    mark,
                    [Span("mapped to \(mapping.site ?? "no known site"): \(verdict)")],
                    lineDrawing: lineDrawing
                )
            )
        case .negative:
            lines.append(.marked(.crit, [Span("not registered (negative Map-Reply)")], lineDrawing: lineDrawing))
        case .unknown:
            lines.append(.marked(.unknown, [Span("mapping unknown: no current answer")], lineDrawing: lineDrawing))
        }
        lines.append("")
        var locatorHeader = "Locators"
        if let ttl = mapping.ttlMinutes { locatorHeader += "  ttl \(ttl)m" }
        if let version = mapping.mapVersion { locatorHeader += "  v\(version)" }
        locatorHeader += mapping.isAuthoritative ? "  A auth" : "  A no"
        // The resolver's steadied RTT rather than this answer's: it changes at most once a minute.
        let source = mapping.resolver.flatMap { data.snapshot.sources[$0] }
        if let rtt = source.flatMap({ data.rtt(of: $0) }) ?? mapping.rtt {
            locatorHeader += "  rtt " + CoarseText.rtt(rtt)
        }
        if let resolver = mapping.resolver { locatorHeader += "  via \(resolver)" }
        lines.append(StyledLine(locatorHeader, style: heading))
        if mapping.locators.isEmpty {
            lines.append(StyledLine("  none", style: .muted))
        }
        for locator in mapping.locators {
            let mark: StateMark = locator.isUsable ? .ok : .crit
            let state = locator.reachable ? "up" : "down"
            lines.append(
                .marked(
                    mark,
                    [
                        Span(
                            "\(locator.address)  \(locator.site ?? "no site")  pri \(locator.priority) wgt \(locator.weight)  \(state)"
                        )
                    ],
                    lineDrawing: lineDrawing
                )
            )
        }
        lines.append("")
        lines.append(StyledLine("Dependencies", style: heading))
        if workload.dependencies.isEmpty {
            let declared = spec.dependencies.count
            let text =
                declared == 0
                ? "  none declared"
                : "  \(declared) declared; not probed yet"
            lines.append(StyledLine(text, style: .muted))
        }
        let firstDependency = lines.count
        for dependency in workload.dependencies {
            lines.append(DependencyLines.line(dependency, lineDrawing: lineDrawing))
        }
        let dependencyLines = firstDependency..<lines.count
        lines += SourcesSection.lines(workload, data: data, lineDrawing: lineDrawing)
        if !alerts.isEmpty {
            lines.append("")
            lines.append(StyledLine("Alerts", style: heading))
            for alert in alerts {
                let mark = AlertText.mark(alert.severity)
                var text = "\(AlertText.word(alert.severity)) \(alert.kind.rawValue): \(alert.message)"
                if let by = alert.acknowledgedBy { text += " (acknowledged by \(by))" }
                lines.append(.marked(mark, [Span(text)], lineDrawing: lineDrawing))
            }
        }
        lines.append("")
        lines.append(StyledLine("Recent events", style: heading))
        if let history, history.subject == workload.name {
            if history.events.isEmpty {
                lines.append(StyledLine("  none recorded", style: .muted))
            }
            for event in history.events {
                let time = CoarseText.clock(event.time, in: data.timeZone)
                lines.append(StyledLine("  \(time) " + EventText.summary(event, lineDrawing: lineDrawing)))
            }
        } else {
            lines.append(StyledLine("  loading…", style: .muted))
        }
        return Content(lines: lines, dependencyLines: dependencyLines)
    }
}
