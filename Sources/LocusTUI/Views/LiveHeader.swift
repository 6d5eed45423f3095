import Foundation
import LocusCore
import Synchronization

/// The header's left side from a snapshot: config name, counts, alerts by severity, source health.
public enum LiveHeader {
    /// Workloads that moved within this long count as moving.
    public static let movingWindow: TimeInterval = 300

    /// The last count, so that frames over one snapshot in one minute do not visit every workload again.
    private static let lastMoving = Mutex<(snapshot: UInt64, now: Date, count: Int)?>(nil)

    /// Workloads that moved within `movingWindow` of `now`.
    static func movingCount(_ snapshot: Snapshot, now: Date) -> Int {
        if let hit = lastMoving.withLock({ last in
            last.flatMap { $0.snapshot == snapshot.identity && $0.now == now ? $0.count : nil }
        }) {
            return hit
        }
        var count = 0
        for (_, workload) in snapshot.workloads {
            if let moved = workload.lastMovedAt, now.timeIntervalSince(moved) < movingWindow {
                count += 1
            }
        }
        lastMoving.withLock { $0 = (snapshot.identity, now, count) }
        return count
    }

    public static func segments(_ data: LiveData, lineDrawing: LineDrawing) -> [HeaderBar.Segment] {
        let snapshot = data.snapshot
        var segments: [HeaderBar.Segment] = [" Locus", "·", HeaderBar.Segment(snapshot.configName)]
        // Right after where the operator is: a narrow screen cuts the header from its end, and what
        // waits for the viewer must survive 80 columns and less, whichever view is open.
        if let waiting = data.migrations?.waitingForViewer, let first = waiting.first {
            let text = waiting.count == 1 ? "\(first.id) waits for you" : "\(waiting.count) migrations wait for you"
            segments.append(HeaderBar.Segment("· ! \(text)", style: Style(.warn, .bold)))
        }
        let moving = movingCount(snapshot, now: data.now)
        segments.append(
            HeaderBar.Segment(
                "· \(Plural.count(snapshot.sites.count, "site")) · \(Plural.count(snapshot.workloads.count, "workload")) · \(moving) moving ·"
            )
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
