import Foundation

/// The readable form of `locus snapshot` (without `--json`): sources, workloads and alerts as
/// aligned plain-text tables.
public struct SnapshotTable: Sendable {
    public var snapshot: Snapshot

    public init(_ snapshot: Snapshot) {
        self.snapshot = snapshot
    }

    public func render() -> String {
        var out =
            "Locus \(snapshot.configName) · \(Plural.count(snapshot.sites.count, "site")) · "
            + Plural.count(snapshot.workloads.count, "workload")
        out += " · \(RFC3339.string(from: snapshot.takenAt))\n\n"

        out += Self.table(
            header: ["SOURCE", "KIND", "STATE", "RTT", "ERROR"],
            rows: snapshot.sortedSources.map { source in
                [
                    source.name, source.kind.rawValue, source.state.rawValue,
                    source.rtt.map { String(format: "%.1fms", $0.milliseconds) } ?? "-",
                    source.lastError ?? "",
                ]
            }
        )
        out += "\n"

        let alertIDs = snapshot.alertIDsBySubject
        out += Self.table(
            header: ["NAME", "EID", "SITE", "MAPPING", "MAPPED", "RLOCS", "ALERTS"],
            rows: snapshot.sortedWorkloads.map { workload in
                let mapping = workload.mapping
                let rlocs = mapping.locators.map { $0.address + ($0.reachable ? "" : "(down)") }
                return [
                    workload.name, "\(workload.spec.eid)", workload.spec.site, mapping.state.rawValue,
                    mapping.site ?? "-", rlocs.isEmpty ? "-" : rlocs.joined(separator: ","),
                    (alertIDs[workload.name] ?? []).map { $0.rawValue.split(separator: ":")[0] }.joined(separator: ","),
                ]
            }
        )

        let alerts = snapshot.sortedAlerts
        out += "\n"
        if alerts.isEmpty {
            out += "No alerts.\n"
        } else {
            out += Self.table(
                header: ["SEVERITY", "ALERT", "SINCE", "ACK", "MESSAGE"],
                rows: alerts.map { alert in
                    [
                        alert.severity.rawValue.uppercased(), alert.id.rawValue,
                        RFC3339.string(from: alert.firstSeen), alert.acknowledgedBy ?? "", alert.message,
                    ]
                }
            )
        }
        return out
    }

    /// Columns padded to their widest cell; the last column is never padded.
    static func table(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        var out = ""
        for row in [header] + rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                if index == row.count - 1 {
                    line += cell
                } else {
                    line += cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) + "  "
                }
            }
            while line.last == " " {
                line.removeLast()
            }
            out += line + "\n"
        }
        return out
    }
}
