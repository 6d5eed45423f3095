import Foundation
import PostgresNIO

extension PostgresStore {
    /// LISTENs on the channel schema v4's triggers NOTIFY, on one connection of the pool held for it.
    /// A (re)connection yields once, since anything may have changed while nobody listened; a lost
    /// connection is retried with backoff, yielding once per failure so the reader shows the error.
    public nonisolated func migrationChanges() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let task = Task {
            let first: Duration = .milliseconds(250)
            var delay = first
            while !Task.isCancelled {
                do {
                    let client = try await self.ready()
                    try await client.withConnection { connection in
                        try await connection.listen(on: PostgresSchema.changeChannel) { notifications in
                            continuation.yield()
                            for try await _ in notifications {
                                continuation.yield()
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
}
