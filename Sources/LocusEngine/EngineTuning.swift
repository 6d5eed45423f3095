import LISPNet
import LocusCore

/// The engine's timing and limits. The defaults suit production; tests shorten them so that a
/// resolver going down is noticed in milliseconds rather than seconds.
public struct EngineTuning: Sendable {
    /// Per-lookup timeout and retransmissions, handed to each resolver client.
    public var lookupRetry: RetryPolicy
    /// Consecutive failed lookups after which a mapping source is `down`.
    public var downAfterFailures: Int
    /// An answer slower than this makes its source `slow`.
    public var slowThreshold: Duration
    /// Rescheduling after failures, for lookups and for every other source; capped.
    public var failureBackoff: Backoff
    /// Lookups in flight at once per mapping source.
    public var maxConcurrentLookups: Int
    /// Dependency checks in flight at once per DNS server.
    public var maxConcurrentProbes: Int
    /// Intervals are spread by up to this fraction so that sources do not fire in lockstep.
    public var jitter: Double
    /// Observations arriving within this window are applied together and published as one snapshot.
    public var coalescingWindow: Duration
    /// Timeout of one HTTP request to a registration API.
    public var httpTimeout: Duration
    /// Timeout of one dependency check: a DNS query, a Runtime API command, a TCP handshake.
    public var probeTimeout: Duration
    /// The shortest interval between two lookups of one EID, whatever its TTL.
    public var minimumLookupInterval: Duration
    /// A confirmed RFC 9437 subscription is made again this long after, so that the map-server, which
    /// ends subscriptions not renewed within their lifetime (a day by default), keeps publishing.
    public var subscriptionRenewal: Duration
    /// How often time-only alerts (stale registrations, flapping) are re-evaluated at most.
    public var reevaluationInterval: Duration
    /// How often a running engine prunes the store's history (`history_keep`), the first time at start.
    public var pruneInterval: Duration
    /// A store write that takes longer than this makes the store `slow`; the screen goes on meanwhile.
    public var storeSlowAfter: Duration
    /// Events, and alert transitions, that may wait for a store that cannot take them; the oldest
    /// beyond go.
    public var unwrittenHistoryLimit: Int
    /// How long a stopping engine waits for its last history to be written.
    public var finalWriteDeadline: Duration
    public var correlatorPolicy: CorrelatorPolicy
    /// Events kept in the snapshot.
    public var recentEventLimit: Int

    public init(
        lookupRetry: RetryPolicy = RetryPolicy(),
        downAfterFailures: Int = 3,
        slowThreshold: Duration = .milliseconds(500),
        failureBackoff: Backoff = Backoff(initial: .seconds(1), multiplier: 2, maximum: .seconds(30)),
        maxConcurrentLookups: Int = 64,
        maxConcurrentProbes: Int = 16,
        jitter: Double = 0.1,
        coalescingWindow: Duration = .milliseconds(50),
        httpTimeout: Duration = .seconds(2),
        probeTimeout: Duration = .seconds(2),
        minimumLookupInterval: Duration = .seconds(1),
        subscriptionRenewal: Duration = .seconds(12 * 3600),
        reevaluationInterval: Duration = .seconds(5),
        pruneInterval: Duration = .seconds(3600),
        storeSlowAfter: Duration = .seconds(2),
        unwrittenHistoryLimit: Int = 100_000,
        finalWriteDeadline: Duration = .seconds(5),
        correlatorPolicy: CorrelatorPolicy = CorrelatorPolicy(),
        recentEventLimit: Int = 200
    ) {
        self.lookupRetry = lookupRetry
        self.downAfterFailures = max(1, downAfterFailures)
        self.slowThreshold = slowThreshold
        self.failureBackoff = failureBackoff
        self.maxConcurrentLookups = max(1, maxConcurrentLookups)
        self.maxConcurrentProbes = max(1, maxConcurrentProbes)
        self.jitter = jitter
        self.coalescingWindow = coalescingWindow
        self.httpTimeout = httpTimeout
        self.probeTimeout = probeTimeout
        self.minimumLookupInterval = minimumLookupInterval
        self.subscriptionRenewal = subscriptionRenewal
        self.reevaluationInterval = reevaluationInterval
        self.pruneInterval = pruneInterval
        self.storeSlowAfter = storeSlowAfter
        self.unwrittenHistoryLimit = max(1, unwrittenHistoryLimit)
        self.finalWriteDeadline = finalWriteDeadline
        self.correlatorPolicy = correlatorPolicy
        self.recentEventLimit = recentEventLimit
    }
}
