import Foundation
import LocusCore
import LocusEngine
import LocusStore
import Testing

/// A directory under the system's temporary one, removed when the value goes away.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        var template = Array(
            (NSTemporaryDirectory() as NSString).appendingPathComponent("locus-engine-XXXXXX").utf8CString
        )
        let made = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
        path = String(cString: try #require(made))
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `name` by renaming a new file over it, as editors do.
    func write(_ text: String, to name: String) throws {
        let temporary = file(".\(name).\(UUID().uuidString)")
        try text.write(toFile: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary, file(name)) == 0 else {
            throw CocoaError(.fileWriteUnknown)
        }
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

/// Returns the first snapshot the engine publishes that satisfies `predicate`, waiting at most
/// `timeout`; the snapshot published last is checked first.
func snapshot(
    of engine: Engine,
    within timeout: Duration = .seconds(20),
    _ what: String,
    where predicate: @escaping @Sendable (Snapshot) -> Bool
) async throws -> Snapshot {
    let stream = await engine.snapshots()
    let found = try await withThrowingTaskGroup(of: Snapshot?.self) { group in
        group.addTask {
            for await snapshot in stream where predicate(snapshot) {
                return snapshot
            }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
    }
    guard let found else {
        let last = await engine.snapshot
        throw TimedOut(description: "no snapshot within \(timeout) where \(what); last: \(summary(last))")
    }
    return found
}

/// What a failed wait shows of the last snapshot.
func summary(_ snapshot: Snapshot) -> String {
    let workloads = snapshot.sortedWorkloads.map { "\($0.name)=\($0.mapping.state.rawValue)@\($0.mapping.site ?? "-")" }
    let sources = snapshot.sortedSources.map { "\($0.name)=\($0.state.rawValue)" }
    let alerts = snapshot.sortedAlerts.map(\.id.rawValue)
    return "v\(snapshot.version) workloads \(workloads) sources \(sources) alerts \(alerts)"
}

/// Runs `engine` while `body` runs, then stops it.
func running<T: Sendable>(_ engine: Engine, _ body: () async throws -> T) async throws -> T {
    let task = Task { try await engine.run() }
    do {
        let result = try await body()
        task.cancel()
        _ = await task.result
        return result
    } catch {
        task.cancel()
        _ = await task.result
        throw error
    }
}

/// Timings that make a dead resolver noticed in a fraction of a second.
let fastTuning = EngineTuning(
    // Generous for a loaded CI machine running every suite at once; tests wait by polling, so a green run pays nothing.
    lookupRetry: .init(initialTimeout: .milliseconds(500), attempts: 3, maximumTimeout: .seconds(1)),
    downAfterFailures: 2,
    slowThreshold: .seconds(1),
    failureBackoff: Backoff(initial: .milliseconds(50), multiplier: 2, maximum: .milliseconds(400)),
    maxConcurrentLookups: 16,
    jitter: 0,
    coalescingWindow: .milliseconds(10),
    httpTimeout: .milliseconds(500),
    minimumLookupInterval: .milliseconds(100),
    reevaluationInterval: .milliseconds(200)
)

extension Snapshot {
    func workload(_ name: String) -> Workload? { workloads[name] }

    func hasAlert(_ kind: AlertKind, about subject: String) -> Bool {
        alerts[AlertID(kind: kind, subject: subject)] != nil
    }

    func moves(of workload: String) -> [Event] {
        events.filter { $0.kind == .move && $0.subject == workload }
    }
}

/// Polls `condition` until it holds, failing after `timeout`.
func eventually(
    within timeout: Duration = .seconds(20),
    _ what: String,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            throw TimedOut(description: "not within \(timeout): \(what)")
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}
