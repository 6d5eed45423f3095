import Foundation
import Glibc

/// Starts programs for tests with `posix_spawn`, and runs short ones to completion.
///
/// A child gets stdin from /dev/null and its output as files, never a pipe: a pipe's write end
/// can leak into a server another test spawns at the same moment, and would then never reach end
/// of file. It also gets the default signal mask and dispositions: a child of a worker thread
/// would otherwise keep SIGTERM blocked and ignore it.
public enum ChildProcess {
    /// What a program that ran to completion left behind.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Starts `executable` with stdout into `stdout` and stderr into `stderr` (the same file when nil),
    /// and returns its PID; the caller must reap it.
    public static func spawn(
        _ executable: String,
        _ arguments: [String],
        stdout: String,
        stderr: String? = nil,
        appending: Bool = false,
        environment: [String: String]? = nil
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let mode = O_WRONLY | O_CREAT | (appending ? O_APPEND : O_TRUNC)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, mode, 0o600)
        if let stderr {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, mode, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }

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
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            for pointer in argv + (envp ?? []) { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned =
            if let envp {
                posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            } else {
                posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
            }
        guard spawned == 0 else { throw SpawnError(executable: executable, code: spawned) }
        return pid
    }

    /// Runs a program to completion, blocking the calling thread.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil
    ) throws -> Output {
        let directory = FileManager.default.temporaryDirectory.path
        let outputPath = directory + "/locus-run-out-\(UUID().uuidString)"
        let errorPath = directory + "/locus-run-err-\(UUID().uuidString)"
        defer {
            unlink(outputPath)
            unlink(errorPath)
        }
        let pid = try spawn(executable, arguments, stdout: outputPath, stderr: errorPath, environment: environment)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return Output(
            status: exitStatus(status),
            stdout: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        )
    }

    /// `run` on a dispatch thread, so that waiting for the program does not hold a thread of the
    /// concurrency pool: a responder the program talks to may need that pool to answer.
    public static func runDetached(_ executable: String, _ arguments: [String]) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try run(executable, arguments) })
            }
        }
    }

    /// The shell's view of a `waitpid` status: the exit code, or 128 + the signal that ended it.
    static func exitStatus(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7F
        return signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
    }
}

/// `posix_spawn` refused to start a program.
public struct SpawnError: Error, CustomStringConvertible {
    public var executable: String
    public var code: Int32

    public var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
}
