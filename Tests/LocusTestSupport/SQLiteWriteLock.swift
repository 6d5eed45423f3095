import Foundation

/// Another process holding a SQLite store's write lock, as a second Locus or an operator's
/// `sqlite3` shell does: `sqlite3` keeps its transaction open for as long as its input is.
public final class SQLiteWriteLock {
    private let process = Process()
    private let input = Pipe()
    public let path: String

    /// Locks `path` and returns once a writer that does not wait is refused.
    public init(_ path: String, exclusive: Bool = false) async throws {
        self.path = path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-cmd", ".timeout 10000", path]
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(
            Data(
                "BEGIN \(exclusive ? "EXCLUSIVE" : "IMMEDIATE");\nINSERT INTO store_meta VALUES ('lock', 'held');\n"
                    .utf8
            )
        )
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let probe = try await ChildProcess.runDetached(
                "/usr/bin/sqlite3",
                ["-cmd", ".timeout 0", path, "BEGIN IMMEDIATE; ROLLBACK;"]
            )
            if probe.status != 0, probe.stderr.contains("locked") { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        release()
        throw SQLiteWriteLockError(path: path)
    }

    /// Rolls the transaction back and waits for `sqlite3` to end.
    public func release() {
        guard process.isRunning else { return }
        input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

public struct SQLiteWriteLockError: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "\(path) was never locked" }
}
