import Foundation
import LocusTestSupport

/// Runs programs for the end-to-end tests, to completion.
///
/// The children `ChildProcess` spawns get their output as files and the default signal mask and
/// dispositions: `tmux new-session` leaves a server behind that keeps whatever it inherited, so no
/// pipe can be held open, and a server spawned from a worker thread would otherwise keep SIGTERM
/// blocked and ignore `kill-server`. A clean environment is given when one is asked for.
enum Subprocess {
    typealias Result = ChildProcess.Output

    static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil
    ) throws -> Result {
        try ChildProcess.run(executable, arguments, environment: environment)
    }
}

/// What `Subprocess.run` throws when a program cannot be started.
typealias SubprocessError = SpawnError
