import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts `locus migrate run ID` in a session and process group of its own, output to a log file, so
/// that closing the operator's terminal or ssh session (SIGHUP to its session) never interrupts the
/// cutover.
public enum DetachedRunner {
    public struct Started: Sendable, Hashable {
        public var pid: Int32
        public var log: String
    }

    /// - Parameters:
    ///   - executable: this Locus, by absolute path (`/proc/self/exe`), so the runner is the same build.
    ///   - arguments: after the executable: `migrate run ID --config FILE`.
    ///   - log: appended to, created 0600 in a 0700 directory: it holds the mover's argv and output.
    public static func start(
        executable: String,
        arguments: [String],
        log: String
    ) throws(DetachedRunnerError)
        -> Started
    {
        let log = try usableLog(log)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new session: no controlling terminal, its own process group; signals reset to default
        // so that an ignored SIGHUP or SIGINT of this process is not inherited either way.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGHUP)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(
            &attributes,
            Int16(Self.spawnSetSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        )
        let argv = [executable] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, &cArguments, environ)
        guard status == 0 else {
            throw DetachedRunnerError(reason: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        return Started(pid: pid, log: log)
    }

    /// `log`, or — for a login without a home directory to keep state in — the same name in a directory
    /// of this user's own under the temporary directory.
    static func usableLog(_ log: String) throws(DetachedRunnerError) -> String {
        let manager = FileManager.default
        let name = (log as NSString).lastPathComponent
        let directory = (log as NSString).deletingLastPathComponent
        if (try? manager.createDirectory(
            atPath: directory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )) != nil,
            manager.isWritableFile(atPath: directory)
        {
            return log
        }
        let fallback = NSTemporaryDirectory() + "locus-runs-\(getuid())"
        do {
            try manager.createDirectory(
                atPath: fallback,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw DetachedRunnerError(
                reason: "cannot create \(directory) nor \(fallback) for the runner's log: \(error)"
            )
        }
        // Somebody else's directory of that name must not receive the log.
        let owner = (try? manager.attributesOfItem(atPath: fallback)[.ownerAccountID] as? NSNumber)?.uint32Value
        guard owner == getuid() else {
            throw DetachedRunnerError(reason: "\(fallback) belongs to another user: cannot keep the runner's log there")
        }
        return fallback + "/" + name
    }

    /// glibc's POSIX_SPAWN_SETSID (2.26 and later), which Swift does not import without _GNU_SOURCE.
    static let spawnSetSID: Int32 = 0x80

    /// This process's executable, by absolute path.
    public static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
    }
}

public struct DetachedRunnerError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
