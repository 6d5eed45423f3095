/// How a resolver has behaved lately, as the dashboard header shows it.
public enum ResolverHealth: String, Sendable, Hashable, Codable {
    case ok
    /// Answers slower than the configured threshold, or missed a request but not enough to be down.
    case slow
    /// Missed `downAfterTimeouts` requests in a row.
    case down
}

/// Accumulates replies and timeouts into a `ResolverHealth`.
public struct HealthTracker: Sendable, Hashable {
    public var downAfterTimeouts: Int
    public var slowThreshold: Duration
    public private(set) var consecutiveTimeouts = 0
    public private(set) var health: ResolverHealth = .ok
    public private(set) var lastRTT: Duration?

    public init(downAfterTimeouts: Int = 3, slowThreshold: Duration = .milliseconds(500)) {
        self.downAfterTimeouts = max(1, downAfterTimeouts)
        self.slowThreshold = slowThreshold
    }

    public mutating func recordReply(rtt: Duration) {
        consecutiveTimeouts = 0
        lastRTT = rtt
        health = rtt > slowThreshold ? .slow : .ok
    }

    public mutating func recordTimeout() {
        consecutiveTimeouts += 1
        health = consecutiveTimeouts >= downAfterTimeouts ? .down : .slow
    }
}
