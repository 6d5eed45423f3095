import Foundation
import LocusCore

/// The header's left side from a snapshot: config name, counts, alerts by severity, source health.
public enum LiveHeader {
    /// Workloads that moved within this long count as moving.
    public static let movingWindow: TimeInterval = 300

    public static func segments(_ data: LiveData, lineDrawing: LineDrawing) -> [HeaderBar.Segment] {
        let snapshot = data.snapshot
        var segments: [HeaderBar.Segment] = [" Locus", "·", HeaderBar.Segment(snapshot.configName)]
        let workloads = snapshot.workloads.values
        let moving = workloads.filter { workload in
            guard let moved = workload.lastMovedAt else { return false }
            return data.now.timeIntervalSince(moved) < movingWindow
        }.count
        segments.append(
            HeaderBar.Segment("· \(snapshot.sites.count) sites · \(workloads.count) workloads · \(moving) moving ·")
        )
        var bySeverity: [AlertSeverity: Int] = [:]
        for alert in snapshot.alerts.values where !alert.isAcknowledged {
            bySeverity[alert.severity, default: 0] += 1
        }
        if bySeverity.isEmpty {
            segments.append(HeaderBar.Segment("no alerts", style: Style(.header)))
        }
        for severity in AlertSeverity.allCases.reversed() {
            guard let count = bySeverity[severity] else { continue }
            let mark = AlertText.mark(severity)
            segments.append(
                HeaderBar.Segment("\(count) \(AlertText.word(severity).lowercased())", style: Style(mark.role, .bold))
            )
        }
        segments.append("·")
        for source in snapshot.sortedSources {
            segments.append(
                HeaderBar.Segment(
                    SourceHealthText.text(source, rtt: data.rtt(of: source), lineDrawing: lineDrawing),
                    style: Style(SourceHealthText.role(source.state))
                )
            )
        }
        return segments
    }
}

/// Alert severities as marks and words, never colour alone.
public enum AlertText {
    public static func mark(_ severity: AlertSeverity) -> StateMark {
        switch severity {
        case .critical: return .crit
        case .warning: return .warn
        case .info: return .info
        }
    }

    public static func word(_ severity: AlertSeverity) -> String {
        switch severity {
        case .critical: return "CRIT"
        case .warning: return "WARN"
        case .info: return "INFO"
        }
    }
}
