import Foundation
import GRDB

extension SQLiteHistoryStore {
    /// How often another process's commit is looked for: well inside the second the dashboard promises.
    static let changePollInterval: Duration = .milliseconds(200)

    /// `PRAGMA data_version` on the writer connection changes whenever another connection, in this
    /// process or another, committed; this process's own writes go through that connection and do not
    /// count, which is right: their callers already know. Any commit counts (an engine recording
    /// events too): a reader reads again and finds the same migrations.
    public func migrationChanges() -> AsyncStream<Void> {
        let pool = pool
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let task = Task {
            var last: Int64?
            var failing = false
            while !Task.isCancelled {
                let version = try? await pool.writeWithoutTransaction { db in
                    try Int64.fetchOne(db, sql: "PRAGMA data_version")
                }
                // A failing read yields once, so that the reader tries and shows the error.
                if let version {
                    if let last, version != last { continuation.yield() }
                } else if !failing {
                    continuation.yield()
                }
                failing = version == nil
                last = version ?? last
                try? await Task.sleep(for: Self.changePollInterval)
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
