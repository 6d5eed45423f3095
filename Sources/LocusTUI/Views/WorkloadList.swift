import Foundation
import LocusCore

/// The workloads of a snapshot as the Workloads view lists them: filtered and sorted, with what
/// each row needs precomputed once per frame.
public struct WorkloadList: Sendable {
    public struct Entry: Sendable {
        public var workload: Workload
        public var condition: WorkloadCondition
        /// The most severe active alert about it, if any; `allAcknowledged` when every one is.
        public var worstAlert: AlertSeverity?
        public var allAcknowledged: Bool
        /// The mapping as the screen may trust it: unknown when its resolver is down.
        public var mappingState: MappingState
    }

    public let entries: [Entry]
    /// Set when the filter text was not understood; the list is then unfiltered.
    public let filterError: WorkloadFilterError?

    public init(snapshot: Snapshot, filter text: String, sort: WorkloadSort, now: Date) {
        var filter = WorkloadFilter(terms: [])
        var error: WorkloadFilterError?
        do {
            filter = try WorkloadFilter.parse(text)
        } catch let failure {
            error = failure
        }
        var alertsBySubject: [String: [Alert]] = [:]
        for alert in snapshot.alerts.values {
            alertsBySubject[alert.subject, default: []].append(alert)
        }
        var entries: [Entry] = []
        for workload in snapshot.workloads.values {
            let alerts = alertsBySubject[workload.name] ?? []
            let state = Self.trustedState(of: workload.mapping, sources: snapshot.sources)
            let condition: WorkloadCondition =
                !alerts.isEmpty ? .alert : (state == .unknown ? .unknown : .ok)
            guard filter.matches(workload, condition: condition, now: now) else { continue }
            entries.append(
                Entry(
                    workload: workload,
                    condition: condition,
                    worstAlert: alerts.map(\.severity).max(),
                    allAcknowledged: !alerts.isEmpty && alerts.allSatisfy(\.isAcknowledged),
                    mappingState: state
                )
            )
        }
        // Sorting small keys rather than entries: an entry holds a whole workload, and copying 100 000
        // of them in and out of comparisons was most of a frame's time.
        let keys = entries.map { SortKey($0, sort: sort) }
        self.entries = keys.indices.sorted { keys[$0] < keys[$1] }.map { entries[$0] }
        self.filterError = error
    }

    /// A mapping whose resolver is down is not current, whatever it said last.
    static func trustedState(of mapping: Mapping, sources: [String: SourceHealth]) -> MappingState {
        if let resolver = mapping.resolver, sources[resolver]?.state == .down {
            return .unknown
        }
        return mapping.state
    }

    public var names: [String] { entries.map(\.workload.name) }

    /// What one entry sorts by: a leading number (alert rank or move time, larger first), then the
    /// site for the site order, then the name, so that every order is total and stable.
    private struct SortKey: Comparable {
        var leading: Double
        var site: String
        var name: String

        init(_ entry: Entry, sort: WorkloadSort) {
            name = entry.workload.name
            site = ""
            leading = 0
            switch sort {
            case .name:
                break
            case .site:
                site = entry.workload.spec.site
            case .alerts:
                leading = Double(entry.worstAlert.map { WorkloadList.rank($0) } ?? -1)
            case .lastMove:
                // Never moved sorts after every move.
                leading = entry.workload.lastMovedAt?.timeIntervalSinceReferenceDate ?? -.infinity
            }
        }

        static func < (lhs: SortKey, rhs: SortKey) -> Bool {
            if lhs.leading != rhs.leading { return lhs.leading > rhs.leading }
            if lhs.site != rhs.site { return lhs.site < rhs.site }
            return lhs.name < rhs.name
        }
    }

    private static func rank(_ severity: AlertSeverity) -> Int {
        AlertSeverity.allCases.firstIndex(of: severity) ?? 0
    }
}
