/// The orders `s` cycles through in the Workloads view.
public enum WorkloadSort: String, CaseIterable, Hashable, Sendable {
    /// By name, A to Z.
    case name
    /// By inventory site, then name.
    case site
    /// Most severe alert first, then name.
    case alerts
    /// Most recent move first; never-moved last, by name.
    case lastMove

    public var next: WorkloadSort {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    public var title: String {
        switch self {
        case .name: return "name"
        case .site: return "site"
        case .alerts: return "alerts"
        case .lastMove: return "last move"
        }
    }
}
