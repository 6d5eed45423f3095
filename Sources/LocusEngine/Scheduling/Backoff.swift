/// Exponential backoff with a cap: how long to wait after the n-th consecutive failure.
public struct Backoff: Sendable, Hashable {
    public var initial: Duration
    public var multiplier: Double
    public var maximum: Duration

    public init(initial: Duration = .seconds(1), multiplier: Double = 2, maximum: Duration = .seconds(60)) {
        self.initial = initial
        self.multiplier = max(1, multiplier)
        self.maximum = max(initial, maximum)
    }

    /// The wait after `failures` consecutive failures (1 for the first); never above `maximum`.
    public func delay(afterFailures failures: Int) -> Duration {
        var delay = initial
        var remaining = max(0, failures - 1)
        while remaining > 0 && delay < maximum {
            delay = delay * multiplier
            remaining -= 1
        }
        return min(delay, maximum)
    }
}

extension Duration {
    /// This duration spread by up to ±`fraction` of itself, so sources configured alike do not
    /// fire in lockstep.
    func jittered(by fraction: Double, using generator: inout some RandomNumberGenerator) -> Duration {
        guard fraction > 0 else { return self }
        let factor = 1 + Double.random(in: -fraction...fraction, using: &generator)
        return self * max(0, factor)
    }

    var timeInterval: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
