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
        // Sorting positions rather than entries: an entry holds a whole workload, and moving 100 000
        // of them around during the sort is most of a frame's time.
        let before = Self.order(sort)
        self.entries = entries.indices.sorted { before(entries[$0], entries[$1]) }.map { entries[$0] }
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

    private static func order(_ sort: WorkloadSort) -> (Entry, Entry) -> Bool {
        switch sort {
        case .name:
            return { $0.workload.name < $1.workload.name }
        case .site:
            return { ($0.workload.spec.site, $0.workload.name) < ($1.workload.spec.site, $1.workload.name) }
        case .alerts:
            return { lhs, rhs in
                let left = lhs.worstAlert.map { rank($0) } ?? -1
                let right = rhs.worstAlert.map { rank($0) } ?? -1
                if left != right { return left > right }
                return lhs.workload.name < rhs.workload.name
            }
        case .lastMove:
            return { lhs, rhs in
                switch (lhs.workload.lastMovedAt, rhs.workload.lastMovedAt) {
                case (let left?, let right?) where left != right: return left > right
                case (.some, nil): return true
                case (nil, .some): return false
                default: return lhs.workload.name < rhs.workload.name
                }
            }
        }
    }

    private static func rank(_ severity: AlertSeverity) -> Int {
        AlertSeverity.allCases.firstIndex(of: severity) ?? 0
    }
}
