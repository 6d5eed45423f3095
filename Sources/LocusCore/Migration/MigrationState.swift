/// Where a migration stands (CONFIG.md lists the names scripts read).
public enum MigrationState: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case requested
    case ready
    case blocked
    case approved
    case executing
    case verifying
    case completed
    case failed
    case rollingBack = "rolling-back"
    case rolledBack = "rolled-back"
    case rollbackFailed = "rollback-failed"
    case rejected
    case cancelled
    case expired
    case interrupted

    public var description: String { rawValue }

    /// States a migration never leaves, so the workload is free for another one.
    ///
    /// `completed` may still be rolled back, but the workload has arrived: a new migration of it may be
    /// requested from where it is now.
    public var isClosed: Bool {
        switch self {
        case .completed, .rolledBack, .rejected, .cancelled, .expired: true
        default: false
        }
    }

    /// Still waiting for a decision: these expire when not fully approved within `expire_after`.
    public var awaitsApproval: Bool {
        switch self {
        case .requested, .ready, .blocked: true
        default: false
        }
    }

    /// A runner is (or should be) acting on it, under a lease.
    public var isRunning: Bool {
        switch self {
        case .executing, .verifying, .rollingBack: true
        default: false
        }
    }
}
