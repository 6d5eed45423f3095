import Foundation
import LocusCore

/// When `[approvals] maintenance_window` next opens, for the runner.
enum MaintenanceSchedule {
    static func opening(_ approvals: ApprovalsConfig) -> @Sendable (Date) -> Date? {
        { _ in nil }
    }
}
