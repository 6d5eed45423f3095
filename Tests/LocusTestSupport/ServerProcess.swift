import Foundation
import Glibc
import Synchronization

/// A server a test runs in the background, with its stdout and stderr in one log file.
///
/// Being the parent, the test can signal the PID safely until it reaps it: the PID cannot be
/// reused before then, and once reaped it is never signalled again.
public final class ServerProcess: Sendable {
    public let executable: String
    public let pid: pid_t
    public let logFile: String
    private let status = Mutex<Int32?>(nil)

    public init(_ executable: String, _ arguments: [String], logFile: String) throws {
        self.executable = executable
        self.logFile = logFile
        pid = try ChildProcess.spawn(executable, arguments, stdout: logFile, appending: true)
    }

    /// The exit status once the process has ended (reaping it), nil while it runs.
    public var exitStatus: Int32? {
        status.withLock { status in
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid {
                    status = ChildProcess.exitStatus(raw)
                }
            }
            return status
        }
    }

    public var isRunning: Bool { exitStatus == nil }

    public var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM unless the process is already reaped.
    public func terminate() {
        status.withLock { status in
            if status == nil { kill(pid, SIGTERM) }
        }
    }

    /// The exit status, or nil if the process still runs when `timeout` has passed; blocks the thread.
    public func waitForExit(within timeout: Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitStatus { return status }
            usleep(10_000)
        }
        return exitStatus
    }

    /// SIGTERM, then waits for the end with a deadline; SIGKILL after it.
    public func stop() async {
        terminate()
        let deadline = ContinuousClock.now + .seconds(10)
        while isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        killAndReap()
    }

    /// `stop()` for callers that cannot wait asynchronously, such as a `defer`; blocks the thread.
    public func stopBlocking() {
        terminate()
        _ = waitForExit(within: .seconds(10))
        killAndReap()
    }

    /// Ends the process at once and waits for it; for clean-up after a failed test.
    public func killAndReap() {
        status.withLock { status in
            guard status == nil else { return }
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            status = ChildProcess.exitStatus(raw)
        }
    }

    deinit {
        killAndReap()
    }
}

extension ServerProcess {
    /// Writes `files` (path, contents), readable by the owner only, and starts the server; the
    /// server's own `directory`, which holds them, is removed when either fails.
    static func start(
        in directory: String,
        writing files: [(path: String, contents: String)],
        _ executable: String,
        _ arguments: [String],
        logFile: String
    ) throws -> ServerProcess {
        do {
            for file in files {
                guard
                    FileManager.default.createFile(
                        atPath: file.path,
                        contents: Data(file.contents.utf8),
                        attributes: [.posixPermissions: 0o600]
                    )
                else { throw TestServerError("cannot write \(file.path)") }
            }
            return try ServerProcess(executable, arguments, logFile: logFile)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }
}

/// A new directory for a server's files, `/tmp/locus-PREFIX-XXXXXX`: short, because a unix socket's
/// path in it must fit in sockaddr_un's 108 bytes.
func makeServerDirectory(_ prefix: String) throws -> String {
    var template = Array("/tmp/locus-\(prefix)-XXXXXX".utf8CString)
    guard let created = mkdtemp(&template) else {
        throw TestServerError("cannot create a directory for \(prefix) in /tmp: \(String(cString: strerror(errno)))")
    }
    return String(cString: created)
}
