import Foundation

/// What the runner of an approved migration waits for: the maintenance window, and how many other
/// cutovers run against `max_running`.
public struct RunnerConditions: Sendable, Hashable {
    /// How long after the last approval a runner should have claimed the lease: `locus migrate approve`
    /// starts it at once, so a minute without one means none is coming.
    public static let claimGrace: TimeInterval = 60

    public var now: Date
    /// nil: a cutover may start at any time.
    public var window: MaintenanceWindow?
    /// Cutovers running now (executing, verifying or rolling back under a live lease).
    public var running: Int
    public var maxRunning: Int

    public init(now: Date, window: MaintenanceWindow?, running: Int, maxRunning: Int) {
        self.now = now
        self.window = window
        self.running = running
        self.maxRunning = maxRunning
    }

    /// The conditions among `migrations`, counting those running under a live lease.
    public init(among migrations: [Migration], now: Date, window: MaintenanceWindow?, maxRunning: Int) {
        let running = migrations.filter { $0.state.isRunning && $0.hasLiveLease(at: now) }.count
        self.init(now: now, window: window, running: running, maxRunning: maxRunning)
    }
}

extension Migration {
    /// For an approved migration, what it waits for in words: `approved, starts in 3h 12m` (its runner
    /// waits for the window), `waiting: 4 cutovers running` (for its turn), `approved, not running` (no
    /// runner claimed it); nil when there is nothing to wait for or it is not approved.
    public func runnerStatus(_ conditions: RunnerConditions) -> String? {
        guard state == .approved else { return nil }
        let now = conditions.now
        guard hasLiveLease(at: now) else {
            let approved = approvals.map(\.at).max() ?? lastChange.at
            return now.timeIntervalSince(approved) > RunnerConditions.claimGrace ? "approved, not running" : nil
        }
        if let window = conditions.window, !window.isOpen(at: now) {
            return "approved, starts in " + SpanText.span(window.nextOpening(after: now).timeIntervalSince(now))
        }
        if conditions.running >= conditions.maxRunning {
            return "waiting: \(conditions.running) cutovers running"
        }
        return nil
    }
}
