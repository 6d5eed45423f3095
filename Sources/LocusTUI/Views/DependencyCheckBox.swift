import Foundation
import LocusCore

/// The last check of one dependency, in a box over the body: what was asked, what came back
/// against what was expected, when (age and an exact UTC time to match against server logs),
/// how long the answer took and, for DNS, the record's TTL against the server's threshold.
///
/// Opened with Enter on a dependency in the Workloads detail pane; it follows the snapshot, so
/// a new check shows as soon as it arrives.
struct DependencyCheckBox: Widget {
    /// One labelled value; an emphasized one (a failed state, a wrong answer, a TTL above its
    /// threshold) is bold, since roles with their own colours would break the dialog's background.
    struct Field: Hashable {
        var label: String
        var value: String
        var isEmphasized = false
    }

    /// The workload whose dependency it is, named in the title: the box hides the list.
    var workload: String
    var dependency: DependencyStatus
    /// Ages are measured from here (the dashboard's current minute).
    var now: Date

    static let closeHint = "Enter close · Esc list · ↑↓ other dependency"

    var title: String { "Last check · \(workload) · \(dependency.kind.rawValue) \(dependency.target)" }

    func fields(lineDrawing: LineDrawing) -> [Field] {
        let mark = DependencyLines.mark(dependency.state)
        let failed = mark == .crit || mark == .warn
        var fields = [
            Field(
                label: "state",
                value: mark.symbol(lineDrawing) + " " + dependency.state.rawValue,
                isEmphasized: failed
            )
        ]
        if !dependency.role.isEmpty, dependency.role != DependencyRole.other.rawValue {
            fields.append(Field(label: "role", value: dependency.role))
        }
        fields.append(Field(label: "check", value: dependency.detail ?? "nothing recorded"))
        fields.append(Field(label: "expected", value: dependency.expected ?? "—"))
        var observed = dependency.observed ?? "nothing"
        if dependency.observed != nil, dependency.observedIsPreviousAddress {
            observed += " (the workload's previous address)"
        }
        fields.append(Field(label: "observed", value: observed, isEmphasized: failed))
        if let leftover = dependency.leftover {
            fields.append(
                Field(
                    label: "leftover",
                    value: "\(leftover), the previous address, is still allowed",
                    isEmphasized: true
                )
            )
        }
        fields.append(Field(label: "checked", value: checked))
        fields.append(Field(label: "rtt", value: dependency.rtt.map(Self.milliseconds) ?? "no answer"))
        if dependency.kind == .dns || dependency.ttl != nil {
            fields.append(ttlField)
        }
        return fields
    }

    /// `5m ago · 2027-01-15T08:05:00Z`.
    private var checked: String {
        guard let checkedAt = dependency.checkedAt else { return "not checked yet" }
        return CoarseText.ago(since: checkedAt, now: now) + " · " + checkedAt.formatted(.iso8601)
    }

    private var ttlField: Field {
        guard let ttl = dependency.ttl else { return Field(label: "ttl", value: "no record") }
        var text = "\(ttl.components.seconds)s"
        guard let threshold = dependency.ttlThreshold else { return Field(label: "ttl", value: text) }
        let limit = "\(threshold.components.seconds)s"
        if ttl > threshold {
            text += ", above the \(limit) threshold: resolvers keep the old answer longer"
            return Field(label: "ttl", value: text, isEmphasized: true)
        }
        text += ", threshold \(limit)"
        return Field(label: "ttl", value: text)
    }

    /// Exact milliseconds (one decimal below 10 ms): the box is read on request, not at a glance.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return value < 10 ? String(format: "%.1f ms", value) : "\(Int(value.rounded())) ms"
    }

    /// Wide enough for most checks on one line each within an 80-column screen.
    static let preferredWidth = 76

    /// The box the check occupies when drawn in `area`: the same width for every dependency,
    /// so ↑↓ do not make it jump, and as high as its wrapped lines.
    func box(in area: Rect, lineDrawing: LineDrawing) -> Rect {
        let fields = fields(lineDrawing: lineDrawing)
        let labelWidth = Self.labelWidth(fields)
        let width = min(area.width, Self.preferredWidth)
        let lines = Self.rows(fields, labelWidth: labelWidth, width: width - 4)
        return area.centered(Size(width: width, height: min(area.height, lines.count + 2)))
    }

    func draw(in area: Rect, frame: inout Frame) {
        let box = box(in: area, lineDrawing: frame.lineDrawing)
        let style = Style(.dialog)
        guard box.width >= 12, box.height >= 3 else {
            frame.put(title, in: area.row(0), style: style)
            return
        }
        // A blank margin, so no cut-off text of the panes beneath runs up against the border.
        frame.fill(box.insetBy(dx: -1, dy: -1).intersection(area))
        frame.fill(box, style: style)
        frame.draw(box: box, style: style, title: title)
        let inside = box.insetBy(dx: 2, dy: 1)
        let fields = fields(lineDrawing: frame.lineDrawing)
        let labelWidth = Self.labelWidth(fields)
        for (offset, row) in Self.rows(fields, labelWidth: labelWidth, width: inside.width).prefix(inside.height)
            .enumerated()
        {
            let line = inside.row(offset)
            let (labelArea, valueArea) = line.splitColumns(atWidth: labelWidth)
            if let label = row.label {
                frame.put(label, in: labelArea, style: Style(.dialog, .bold))
            }
            frame.put(row.text, in: valueArea, style: row.isEmphasized ? Style(.dialog, .bold) : style)
        }
        let hint =
            " " + TextLayout.truncated(Self.closeHint, toColumns: box.width - 4, ellipsis: frame.lineDrawing.ellipsis)
            + " "
        frame.put(hint, at: Point(x: box.maxX - 1 - hint.terminalWidth, y: box.maxY - 1), style: style, clip: box)
    }

    private static func labelWidth(_ fields: [Field]) -> Int {
        fields.reduce(0) { max($0, $1.label.terminalWidth) } + 2
    }

    /// The fields' values wrapped beside their labels; a wrapped value's further lines have no label.
    private static func rows(
        _ fields: [Field],
        labelWidth: Int,
        width: Int
    ) -> [(label: String?, text: String, isEmphasized: Bool)] {
        let valueWidth = max(1, width - labelWidth)
        var rows: [(label: String?, text: String, isEmphasized: Bool)] = []
        for field in fields {
            for (index, text) in TextLayout.wrapped(field.value, toColumns: valueWidth).enumerated() {
                rows.append((index == 0 ? field.label : nil, text, field.isEmphasized))
            }
        }
        return rows
    }
}
