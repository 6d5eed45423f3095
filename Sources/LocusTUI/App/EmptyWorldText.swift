/// What a view says while the world has nothing in it. No sample data is ever shown in its
/// place: an operator must be able to trust that everything on screen was observed.
enum EmptyWorldText {
    static func headline(for view: DashboardView, world: WorldStatus) -> String {
        let noun: String
        switch view {
        case .workloads: noun = "workloads"
        case .alerts: noun = "alerts"
        case .migrations: noun = "migrations"
        case .sites: noun = "sites"
        case .events: noun = "events"
        }
        switch world {
        case .noConfig: return "No \(noun): no config file, so nothing is watched."
        case .empty: return "No \(noun) observed yet."
        }
    }

    static func explanation(for world: WorldStatus) -> [String] {
        switch world {
        case .noConfig(let path):
            return [
                "Run `locus lab` to watch a lab world on this machine, or write \(path) and start Locus again."
            ]
        case .empty:
            return ["Observations appear here as the sources in the config report them."]
        }
    }
}
