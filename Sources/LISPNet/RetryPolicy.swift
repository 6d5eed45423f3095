/// When to give up on an unanswered request and how long to wait for each try.
///
/// Each retransmission waits `backoffMultiplier` times longer than the one before, up to `maximumTimeout`,
/// so a congested resolver is not hammered at the rate a healthy one would be.
public struct RetryPolicy: Sendable, Hashable {
    /// Time to wait for the first answer.
    public var initialTimeout: Duration
    /// Total number of transmissions, the first one included.
    public var attempts: Int
    public var backoffMultiplier: Double
    public var maximumTimeout: Duration

    public init(
        initialTimeout: Duration = .seconds(1),
        attempts: Int = 3,
        backoffMultiplier: Double = 2,
        maximumTimeout: Duration = .seconds(8)
    ) {
        self.initialTimeout = initialTimeout
        self.attempts = max(1, attempts)
        self.backoffMultiplier = max(1, backoffMultiplier)
        self.maximumTimeout = max(initialTimeout, maximumTimeout)
    }

    /// The wait after transmission number `attempt` (0-based).
    public func timeout(forAttempt attempt: Int) -> Duration {
        var timeout = initialTimeout
        var remaining = attempt
        while remaining > 0 && timeout < maximumTimeout {
            timeout = timeout * backoffMultiplier
            remaining -= 1
        }
        return min(timeout, maximumTimeout)
    }
}
