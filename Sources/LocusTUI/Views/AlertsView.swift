import Foundation
import LocusCore

/// The Alerts list: severity (mark and word), kind, subject, message (after who acknowledged it), age.
enum AlertsView {
    static let columns = [
        TableColumn("SEV", width: .fixed(6)),
        TableColumn("KIND", width: .flexible(min: 16, weight: 0)),
        TableColumn("SUBJECT", width: .flexible(min: 8, weight: 1)),
        // The message is what the operator acts on: it takes the width the others leave.
        TableColumn("MESSAGE", width: .flexible(min: 10, weight: 8)),
        TableColumn("AGE", width: .fixed(4), alignment: .trailing),
    ]

    /// "3 active alerts, 1 acknowledged": the tab counts only those not acknowledged, so the footer
    /// says where the difference is.
    static func footer(shown alerts: [Alert]) -> String {
        let acknowledged = alerts.filter(\.isAcknowledged).count
        let count = Plural.count(alerts.count, "active alert")
        return acknowledged == 0 ? count : "\(count), \(acknowledged) acknowledged"
    }

    static func cells(_ alert: Alert, now: Date, lineDrawing: LineDrawing) -> [TableCell] {
        let mark = AlertText.mark(alert.severity)
        return [
            TableCell(
                mark.symbol(lineDrawing) + " " + AlertText.word(alert.severity),
                role: alert.isAcknowledged ? .muted : mark.role
            ),
            TableCell(alert.kind.rawValue),
            TableCell(alert.subject),
            // No column of its own for the few acknowledged: it would take the message's width on every row.
            alert.acknowledgedBy.map { TableCell("ack \($0): " + listedMessage(alert), role: .muted) }
                ?? TableCell(listedMessage(alert)),
            TableCell(CoarseText.age(since: alert.firstSeen, now: now)),
        ]
    }

    /// The message without the subject the row already shows (`web-63: web-63.lab.test points…`).
    static func listedMessage(_ alert: Alert) -> String {
        let prefix = alert.subject + ": "
        return alert.message.hasPrefix(prefix) ? String(alert.message.dropFirst(prefix.count)) : alert.message
    }

    static func detail(_ alert: Alert, data: LiveData, lineDrawing: LineDrawing) -> [StyledLine] {
        let mark = AlertText.mark(alert.severity)
        var lines: [StyledLine] = [
            .marked(
                mark,
                [Span(AlertText.word(alert.severity) + " " + alert.kind.rawValue, style: Style(.text, .bold))],
                lineDrawing: lineDrawing
            ),
            StyledLine("subject \(alert.subject)"),
            StyledLine(alert.message),
            StyledLine(
                "first seen \(CoarseText.clock(alert.firstSeen, in: data.timeZone)) (\(CoarseText.ago(since: alert.firstSeen, now: data.now)))"
            ),
        ]
        if let by = alert.acknowledgedBy {
            let when = alert.acknowledgedAt.map { " at " + CoarseText.clock($0, in: data.timeZone) } ?? ""
            let until = alert.acknowledgedUntil.map { " until " + CoarseText.clock($0, in: data.timeZone) } ?? ""
            lines.append(.marked(.ok, [Span("acknowledged by \(by)\(when)\(until)")], lineDrawing: lineDrawing))
        } else {
            lines.append(StyledLine("not acknowledged: x acknowledges", style: .muted))
        }
        lines.append(StyledLine("Enter shows \(alert.subject) in Workloads", style: .muted))
        return lines
    }
}

/// The Events list: newest first; a move reads `moved NAME FROM → TO`.
enum EventsView {
    static let columns = [
        TableColumn("TIME", width: .fixed(5)),
        TableColumn("KIND", width: .fixed(9)),
        TableColumn("WHAT", width: .flexible(min: 10, weight: 1)),
    ]

    static func cells(_ event: Event, data: LiveData, lineDrawing: LineDrawing) -> [TableCell] {
        let mark = EventText.mark(event.kind)
        return [
            TableCell(CoarseText.clock(event.time, in: data.timeZone)),
            TableCell(mark.symbol(lineDrawing) + " " + EventText.kindWord(event.kind), role: mark.role),
            TableCell(EventText.summary(event, lineDrawing: lineDrawing)),
        ]
    }

    static func detail(_ event: Event, data: LiveData, lineDrawing: LineDrawing) -> [StyledLine] {
        var lines: [StyledLine] = [
            StyledLine(EventText.summary(event, lineDrawing: lineDrawing), style: Style(.text, .bold)),
            StyledLine("at \(CoarseText.clock(event.time, in: data.timeZone))  subject \(event.subject)"),
            StyledLine(event.detail),
        ]
        if let move = event.move {
            lines.append(StyledLine("from \(move.fromLocators.joined(separator: ", "))"))
            lines.append(StyledLine("to   \(move.toLocators.joined(separator: ", "))"))
        }
        return lines
    }
}
