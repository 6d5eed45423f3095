/// The five views of the dashboard, in tab order; `1`–`5` select them.
public enum DashboardView: Int, CaseIterable, Hashable, Sendable {
    case workloads = 1
    case alerts
    case migrations
    case sites
    case events

    public var title: String {
        switch self {
        case .workloads: return "Workloads"
        case .alerts: return "Alerts"
        case .migrations: return "Migrations"
        case .sites: return "Sites"
        case .events: return "Events"
        }
    }

    /// The digit key that selects the view.
    public var number: Int { rawValue }

    /// The view after this one, wrapping around (`]`).
    public var next: DashboardView {
        DashboardView(rawValue: rawValue % Self.allCases.count + 1)!
    }

    /// The view before this one, wrapping around (`[`).
    public var previous: DashboardView {
        DashboardView(rawValue: (rawValue + Self.allCases.count - 2) % Self.allCases.count + 1)!
    }

    /// The view named `name` (case-insensitive, a unique prefix is enough), for `:view NAME`.
    public init?(named name: String) {
        let wanted = name.lowercased()
        let matches = Self.allCases.filter { $0.title.lowercased().hasPrefix(wanted) }
        guard !wanted.isEmpty, matches.count == 1 else { return nil }
        self = matches[0]
    }
}
