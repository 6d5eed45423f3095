import Foundation

/// What one benchmark measured: how many operations, how long they took together and, when each was
/// timed on its own, their latencies.
struct BenchResult: Sendable {
    var name: String
    var operations: Int
    var elapsed: Duration
    /// One per operation when operations were timed one by one; empty otherwise.
    var latencies: [Duration]
    /// What was measured, for the table (`2000 EIDs, 64 in flight`).
    var detail: String

    init(name: String, operations: Int, elapsed: Duration, latencies: [Duration], detail: String) {
        self.name = name
        self.operations = operations
        self.elapsed = elapsed
        self.latencies = latencies.sorted()
        self.detail = detail
    }

    var seconds: Double { elapsed.inSeconds }

    /// Operations per second of wall time; 0 when nothing was timed.
    var perSecond: Double {
        seconds > 0 ? Double(operations) / seconds : 0
    }

    /// The nearest-rank percentile of the latencies (`fraction` in 0…1), nil when none were recorded.
    func latency(atPercentile fraction: Double) -> Duration? {
        guard !latencies.isEmpty else { return nil }
        let rank = Int((fraction * Double(latencies.count)).rounded(.up))
        return latencies[min(max(rank, 1), latencies.count) - 1]
    }

    var p50: Duration? { latency(atPercentile: 0.50) }
    var p99: Duration? { latency(atPercentile: 0.99) }
}

/// Runs and times operations: one after the other, or many in flight at once.
enum BenchTimer {
    /// Runs `operations` calls of `body`, each given its index, with at most `inFlight` outstanding at once,
    /// and returns the wall time of the whole and each call's own latency.
    ///
    /// Each of `inFlight` workers takes every `inFlight`-th index, so the load stays at `inFlight` until
    /// the last round without a shared counter between them.
    static func run(
        operations: Int,
        inFlight: Int,
        _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws -> (elapsed: Duration, latencies: [Duration]) {
        let clock = ContinuousClock()
        let workers = max(1, min(inFlight, operations))
        let start = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var own: [Duration] = []
                    own.reserveCapacity(operations / workers + 1)
                    for index in stride(from: worker, to: operations, by: workers) {
                        try Task.checkCancellation()
                        let begin = clock.now
                        try await body(index)
                        own.append(clock.now - begin)
                    }
                    return own
                }
            }
            var all: [Duration] = []
            all.reserveCapacity(operations)
            for try await own in group {
                all += own
            }
            return all
        }
        return (clock.now - start, latencies)
    }

    /// Runs `body` up to `operations` times in a row on the caller's task, timing each call; with a `budget`,
    /// stops early once that much time has passed and at least `minimum` calls were made, so that slow
    /// operations on a large input give a rate and percentiles without running for minutes.
    static func repeatedly(
        _ operations: Int,
        budget: Duration? = nil,
        minimum: Int = 3,
        _ body: (Int) async throws -> Void
    ) async throws -> (elapsed: Duration, latencies: [Duration]) {
        let clock = ContinuousClock()
        var latencies: [Duration] = []
        latencies.reserveCapacity(operations)
        let start = clock.now
        for index in 0..<operations {
            try Task.checkCancellation()
            if let budget, index >= minimum, clock.now - start >= budget { break }
            let begin = clock.now
            try await body(index)
            latencies.append(clock.now - begin)
        }
        return (clock.now - start, latencies)
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
