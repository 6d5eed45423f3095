import Foundation
import Glibc
import Synchronization
import Testing

/// A server the test runs in the background and reaps itself.
///
/// Spawned with `posix_spawn`, the default signal mask and dispositions (a child of a worker
/// thread would otherwise keep SIGTERM blocked), stdin from /dev/null and stdout and stderr into
/// one log file (no pipe whose write end could leak into another test's child). Being the parent,
/// the test can signal the PID safely until it reaps it: the PID cannot be reused before then.
final class ServerProcess: Sendable {
    let executable: String
    let pid: pid_t
    let logFile: String
    private let status = Mutex<Int32?>(nil)

    init(_ executable: String, _ arguments: [String], logFile: String) throws {
        self.executable = executable
        self.logFile = logFile
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw SubprocessError(executable: executable, code: spawned) }
        self.pid = pid
    }

    /// The exit status once the process has ended (reaping it), nil while it runs.
    var exitStatus: Int32? {
        status.withLock { status in
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid {
                    status = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
                }
            }
            return status
        }
    }

    var isRunning: Bool { exitStatus == nil }

    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// SIGTERM, then waits for the end with a deadline; SIGKILL after it.
    func stop() async {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        killAndReap()
    }

    /// Ends the process at once and waits for it; for clean-up after a failed test.
    func killAndReap() {
        status.withLock { status in
            guard status == nil else { return }
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            status = 128 + SIGKILL
        }
    }

    deinit {
        killAndReap()
    }
}

/// Where the server programs are, failing the test with what to install when one is missing:
/// these tests never skip (scripts/test installs every package they need).
enum ServerTools {
    static func path(_ name: String) -> String? {
        for directory in ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"] {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func require(_ name: String, package: String) throws -> String {
        if let path = path(name) { return path }
        let message =
            "\(name) not found: run scripts/test, which installs \(package), or "
            + "`apt-get install -y --no-install-recommends \(package)`"
            + (ProcessInfo.processInfo.environment["CI"] != nil ? " (CI must install it)" : "")
        Issue.record(Comment(rawValue: message))
        throw ServerSetupError(message: message)
    }
}

struct ServerSetupError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension Subprocess {
    /// `run` on a dispatch thread, so that waiting for the program does not hold a thread of the
    /// concurrency pool that other tests share.
    static func runDetached(_ executable: String, _ arguments: [String]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result { try run(executable, arguments) })
            }
        }
    }
}
