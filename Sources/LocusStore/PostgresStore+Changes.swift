import Foundation
import PostgresNIO

extension PostgresStore {
    /// How often the listening connection is asked a `SELECT 1`, and how long the answer may take:
    /// a connection a firewall dropped while idle would otherwise wait for NOTIFYs forever, silently.
    static let listenHeartbeat: Duration = .seconds(30)
    static let listenHeartbeatTimeout: Duration = .seconds(10)

    /// LISTENs on the channel schema v4's triggers NOTIFY, on one connection of the pool held for it.
    /// A (re)connection yields once, since anything may have changed while nobody listened; a lost
    /// connection is retried with backoff, yielding once per failure so the reader shows the error.
    public nonisolated func migrationChanges() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let logger = logger
        let task = Task {
            let first: Duration = .milliseconds(250)
            var delay = first
            while !Task.isCancelled {
                do {
                    let client = try await self.ready()
                    try await client.withConnection { connection in
                        try await connection.listen(on: PostgresSchema.changeChannel) { notifications in
                            continuation.yield()
                            try await withThrowingTaskGroup(of: Void.self) { group in
                                group.addTask {
                                    try await Self.heartbeat(connection, logger: logger)
                                }
                                for try await _ in notifications {
                                    continuation.yield()
                                }
                                group.cancelAll()
                            }
                        }
                    }
                    delay = first
                } catch {
                    guard !Task.isCancelled else { break }
                    continuation.yield()
                    delay = min(delay * 2, .seconds(10))
                }
                try? await Task.sleep(for: delay)
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Asks `SELECT 1` every `listenHeartbeat`; closes the connection when an answer does not come in
    /// time, which ends the notifications and so starts a new connection.
    private static func heartbeat(_ connection: PostgresConnection, logger: Logger) async throws {
        while true {
            try await Task.sleep(for: listenHeartbeat)
            let watchdog = Task {
                try await Task.sleep(for: listenHeartbeatTimeout)
                try await connection.close()
            }
            defer { watchdog.cancel() }
            try await connection.run("SELECT 1", logger: logger)
        }
    }
}
