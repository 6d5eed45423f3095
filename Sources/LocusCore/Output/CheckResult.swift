/// The status of `locus check`, with the monitoring-plugin exit codes.
public enum CheckStatus: String, Sendable, Hashable, CaseIterable {
    case ok = "OK"
    case warning = "WARNING"
    case critical = "CRITICAL"
    case unknown = "UNKNOWN"

    public var exitCode: Int32 {
        switch self {
        case .ok: 0
        case .warning: 1
        case .critical: 2
        case .unknown: 3
        }
    }
}

/// The one line of `locus check`: `LOCUS OK|WARNING|CRITICAL|UNKNOWN - summary | perfdata`.
///
/// Acknowledged alerts do not raise the status (an operator is on them) but are counted in the
/// perfdata. Migrations a runner left failed or interrupted are named first, since a workload may be
/// half-moved until someone acts. UNKNOWN when no source answered: then nothing in the snapshot is
/// current.
public struct CheckResult: Sendable, Hashable {
    public var status: CheckStatus
    public var summary: String
    /// `label=value` pairs in a fixed order.
    public var perfdata: [PerfDatum]

    public struct PerfDatum: Sendable, Hashable {
        public var label: String
        public var value: Int
    }

    /// At most this many migrations are named; the rest are counted.
    static let namedMigrations = 3

    public init(_ snapshot: Snapshot, migrations concerns: [MigrationConcern] = []) {
        let sources = snapshot.sortedSources
        let active = snapshot.sortedAlerts.filter { !$0.isAcknowledged }
        let critical = active.filter { $0.severity == .critical }
        let warning = active.filter { $0.severity == .warning }
        var states: [MappingState: Int] = [:]
        for workload in snapshot.workloads.values {
            states[workload.mapping.state, default: 0] += 1
        }
        let down = sources.filter { $0.state == .down }
        let stuck = concerns.filter { $0.severity == .critical }
        let waiting = concerns.filter { $0.severity == .warning }

        if !sources.contains(where: \.answered) {
            status = .unknown
            summary =
                sources.isEmpty
                ? "no source checked yet"
                : "no source answered (" + sources.map(\.name).joined(separator: ", ") + " down)"
        } else {
            let anyCritical = !critical.isEmpty || !stuck.isEmpty
            status = anyCritical ? .critical : !warning.isEmpty || !waiting.isEmpty ? .warning : .ok
            var parts = (stuck + waiting).prefix(Self.namedMigrations).map(\.text)
            if concerns.count > Self.namedMigrations {
                parts.append(Plural.count(concerns.count - Self.namedMigrations, "more migration"))
            }
            let worst = critical + warning
            if !worst.isEmpty {
                var counts: [String] = []
                if !critical.isEmpty { counts.append("\(critical.count) critical") }
                if !warning.isEmpty { counts.append("\(warning.count) warning") }
                let shown = worst.prefix(3).map(\.id.rawValue).joined(separator: ", ")
                let more = worst.count > 3 ? ", …" : ""
                parts.append(counts.joined(separator: ", ") + ": " + shown + more)
            }
            summary =
                parts.isEmpty
                ? "\(Plural.count(snapshot.workloads.count, "workload")), \(states[.registered] ?? 0) registered, no alerts"
                : parts.joined(separator: "; ")
        }
        perfdata = [
            PerfDatum(label: "workloads", value: snapshot.workloads.count),
            PerfDatum(label: "registered", value: states[.registered] ?? 0),
            PerfDatum(label: "negative", value: states[.negative] ?? 0),
            PerfDatum(label: "unknown", value: states[.unknown] ?? 0),
            PerfDatum(label: "critical", value: critical.count),
            PerfDatum(label: "warning", value: warning.count),
            PerfDatum(label: "acknowledged", value: snapshot.alerts.values.filter(\.isAcknowledged).count),
            PerfDatum(label: "sources_down", value: down.count),
            PerfDatum(label: "migrations_stuck", value: stuck.count),
            PerfDatum(label: "migrations_waiting", value: waiting.count),
        ]
    }

    public var exitCode: Int32 { status.exitCode }

    /// The line to print, without a trailing newline.
    public var line: String {
        let data = perfdata.map { "\($0.label)=\($0.value)" }.joined(separator: " ")
        // `|` separates the perfdata in the plugin format, so it must not appear in the summary.
        let text = summary.replacingOccurrences(of: "|", with: "/")
        return "LOCUS \(status.rawValue) - \(text) | \(data)"
    }
}
