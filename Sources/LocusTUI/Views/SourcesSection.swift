import Foundation
import LocusCore

/// The detail pane's Sources section: which inventory source gave each field and how old that
/// read was, and every source's value where they disagree. Shown only for workloads merged from
/// several sources or carrying attributes, so a single inventory file stays uncluttered.
enum SourcesSection {
    static let fieldOrder = ["name", "eid", "iid", "site", "address", "mac", "host", "owner", "tags"]
    static let attributeOrder = ["state", "address_source", "os", "cpus", "memory", "disks", "networks", "interfaces"]

    static func lines(_ workload: Workload, data: LiveData, lineDrawing: LineDrawing) -> [StyledLine] {
        guard workload.sources.count > 1 || !workload.spec.attributes.isEmpty else { return [] }
        let heading = Style(.text, .bold)
        var lines: [StyledLine] = [
            "",
            StyledLine("Sources  " + workload.sources.joined(separator: ", "), style: heading),
        ]
        let known = Set(fieldOrder + attributeOrder + ["dependencies"])
        let others = workload.provenance.keys.filter { !known.contains($0) }.sorted()
        let width =
            (fieldOrder + attributeOrder + others).filter { workload.provenance[$0] != nil }
            .map(\.count).max() ?? 0
        let conflict = !workload.conflictingAddresses.isEmpty
        for field in fieldOrder + attributeOrder + others {
            guard let origins = workload.provenance[field], let first = origins.first else { continue }
            let label = field.padding(toLength: width, withPad: " ", startingAt: 0)
            let blank = String(repeating: " ", count: width)
            let disagree = Set(origins.map(\.value)).count > 1
            let shown = disagree ? origins : [first]
            for (index, origin) in shown.enumerated() {
                let spans = [
                    Span((index == 0 ? label : blank) + "  "),
                    Span(origin.value, style: field == "address" && conflict ? Style(.warn) : .text),
                    Span("  " + describe(origin, at: data.snapshot.takenAt), style: .muted),
                ]
                if disagree && field == "address" && conflict {
                    lines.append(.marked(.warn, spans, lineDrawing: lineDrawing))
                } else {
                    lines.append(StyledLine([Span("  ")] + spans))
                }
            }
        }
        return lines
    }

    private static func describe(_ origin: FieldOrigin, at snapshotTime: Date) -> String {
        guard let readAt = origin.readAt else { return origin.source }
        return "\(origin.source) · \(CoarseText.age(since: readAt, now: snapshotTime))"
    }
}
