import Foundation

/// Where the engine gets the time and how it waits; tests and the lab may pass their own.
public struct EngineClock: Sendable {
    public var now: @Sendable () -> Date
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(now: @escaping @Sendable () -> Date, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// Wall-clock time and `Task.sleep`.
    public static let system = EngineClock(now: { Date() }, sleep: { try await Task.sleep(for: $0) })

    /// Sleeps until `date`; returns at once when it has passed.
    func sleep(until date: Date) async throws {
        let seconds = date.timeIntervalSince(now())
        guard seconds > 0 else { return }
        try await sleep(.milliseconds(Int64((seconds * 1000).rounded(.up))))
    }
}
