import Foundation
import LocusCore
import LocusStore

extension MigrationDesk {
    /// What the runner of an approved migration faces at `now` among `migrations`: the config's
    /// `maintenance_window` and `max_running`, and the cutovers running under a live lease.
    public func runnerConditions(among migrations: [Migration], at now: Date) -> RunnerConditions {
        RunnerConditions(
            among: migrations,
            now: now,
            window: config.approvals.maintenanceWindow,
            maxRunning: config.migration?.maxRunning ?? MigrationConfig.defaultMaxRunning
        )
    }

    /// The same, counting the store's migrations as they are now.
    public func runnerConditions(at now: Date) async throws(MigrationStoreError) -> RunnerConditions {
        runnerConditions(among: try await store.migrations(), at: now)
    }
}
