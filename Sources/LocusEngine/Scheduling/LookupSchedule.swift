import Foundation

/// When each watched EID is resolved next: at half its record TTL, at least every `maxAge`, and
/// after failures with capped exponential backoff.
///
/// A pure value, so the schedule can be checked without a network; the mapping watch pops what is
/// due and reports each answer back.
public struct LookupSchedule: Sendable {
    public struct Policy: Sendable, Hashable {
        /// Resolve at least this often (`max_age`).
        public var maxAge: Duration
        /// With RFC 9437 subscriptions, changes arrive as publications and lookups are only the
        /// safety net at `maxAge`.
        public var subscribed: Bool
        /// Floor for very short TTLs (a TTL of 0 means "remove now", not "ask again at once").
        public var minimumInterval: Duration
        public var failureBackoff: Backoff
        /// Each interval is shortened by up to this fraction of itself, so EIDs answered together
        /// spread out instead of being resolved in lockstep forever; never lengthened past `maxAge`.
        public var jitter: Double

        public init(
            maxAge: Duration,
            subscribed: Bool = false,
            minimumInterval: Duration = .seconds(1),
            failureBackoff: Backoff = Backoff(),
            jitter: Double = 0.1
        ) {
            self.maxAge = maxAge
            self.subscribed = subscribed
            self.minimumInterval = minimumInterval
            self.failureBackoff = failureBackoff
            self.jitter = min(max(0, jitter), 0.5)
        }

        /// The interval after an answer with a record TTL of `ttlMinutes`, before jitter.
        public func interval(afterAnswerWithTTL ttlMinutes: UInt32) -> Duration {
            guard !subscribed else { return maxAge }
            let halfTTL = Duration.seconds(Int64(ttlMinutes) * 30)
            return max(minimumInterval, min(maxAge, halfTTL))
        }

        /// The interval after `failures` consecutive failed lookups (1 for the first), before jitter.
        public func interval(afterFailures failures: Int) -> Duration {
            max(minimumInterval, min(maxAge, failureBackoff.delay(afterFailures: failures)))
        }
    }

    public var policy: Policy
    private var heap = DueHeap<String>()
    private var random = SystemRandomNumberGenerator()

    public init(policy: Policy) {
        self.policy = policy
    }

    public var count: Int { heap.count }
    /// The earliest due time, or nil when nothing is watched.
    public var nextDue: Date? { heap.first?.due }
    public func due(of key: String) -> Date? { heap.due(of: key) }
    public func contains(_ key: String) -> Bool { heap.contains(key) }

    /// Starts watching `key`, due at `now`; a key already watched keeps its time.
    public mutating func add(_ key: String, now: Date) {
        guard !heap.contains(key) else { return }
        heap.schedule(key, at: now)
    }

    public mutating func remove(_ key: String) {
        heap.remove(key)
    }

    /// Makes every watched key due at `now` (a resolver came back, or an operator asked to rescan).
    public mutating func makeAllDue(now: Date, keys: some Sequence<String>) {
        for key in keys where heap.contains(key) {
            heap.schedule(key, at: now)
        }
    }

    /// Makes one key due at `now`.
    public mutating func makeDue(_ key: String, now: Date) {
        guard heap.contains(key) else { return }
        heap.schedule(key, at: now)
    }

    /// An answer (reply, negative reply or publication) arrived for `key` at `now`.
    public mutating func answered(_ key: String, ttlMinutes: UInt32, at now: Date) {
        guard heap.contains(key) else { return }
        heap.schedule(key, at: now + jittered(policy.interval(afterAnswerWithTTL: ttlMinutes)).timeInterval)
    }

    /// The lookup of `key` failed for the `failures`-th time in a row.
    public mutating func failed(_ key: String, failures: Int, at now: Date) {
        guard heap.contains(key) else { return }
        heap.schedule(key, at: now + jittered(policy.interval(afterFailures: failures)).timeInterval)
    }

    /// Returns up to `limit` keys due at `now`, earliest first. They stay watched, held at
    /// `now + maxAge` while their lookup is in flight so that none is lost when its outcome never
    /// arrives; `answered` or `failed` then moves them.
    public mutating func popDue(now: Date, limit: Int) -> [String] {
        var due: [String] = []
        while due.count < limit, let entry = heap.popDue(now: now) {
            due.append(entry.key)
        }
        let hold = now + policy.maxAge.timeInterval
        for key in due {
            heap.schedule(key, at: hold)
        }
        return due
    }

    private mutating func jittered(_ interval: Duration) -> Duration {
        guard policy.jitter > 0 else { return interval }
        return interval * (1 - Double.random(in: 0...policy.jitter, using: &random))
    }
}
