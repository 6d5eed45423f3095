import Foundation
import Subprocess
import SystemPackage

/// How the mover ended: what an operator reads in the step's detail and output.
public struct MoverOutcome: Sendable, Hashable {
    public enum Ending: Sendable, Hashable {
        case exited(Int32)
        case signalled(Int32)
        /// Still running at `mover_timeout`: its process group was stopped.
        case timedOut
        /// It could not even be started (no such executable, …).
        case notStarted(String)
    }

    public var ending: Ending
    /// The last lines it printed, standard output and error together.
    public var lastLines: [String]
    public var processGroup: Int32?

    public var succeeded: Bool { ending == .exited(0) }

    public var summary: String {
        switch ending {
        case .exited(let status): "exit status \(status)"
        case .signalled(let signal): "killed by signal \(signal)"
        case .timedOut: "still running at mover_timeout: its process group was terminated"
        case .notStarted(let reason): "could not start: \(reason)"
        }
    }
}

/// Runs the `[migration] mover` argv, never through a shell, in a process group of its own so that a
/// timeout stops everything it started and a resumed cutover can tell whether any of it still runs.
public struct MoverProcess: Sendable {
    public static let keptLines = 20

    public let arguments: [String]
    public let timeout: Duration

    public init(arguments: [String], timeout: Duration) {
        self.arguments = arguments
        self.timeout = timeout
    }

    /// - Parameter started: called with the process group as soon as the mover runs (the runner
    ///   journals it before waiting).
    public func run(started: @escaping @Sendable (Int32) async -> Void) async -> MoverOutcome {
        guard let executable = arguments.first, !executable.isEmpty else {
            return MoverOutcome(ending: .notStarted("the mover is empty"), lastLines: [])
        }
        var options = PlatformOptions()
        // 0: a new group whose id is the mover's pid.
        options.processGroupID = 0
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .seconds(5))]
        let configuration = Configuration(
            executable: executable.contains("/") ? .path(FilePath(executable)) : .name(executable),
            arguments: Arguments(Array(arguments.dropFirst())),
            platformOptions: options
        )
        let deadline = timeout
        do {
            let result = try await Subprocess.run(
                configuration,
                input: .none,
                output: .sequence,
                error: .combinedWithOutput
            ) { execution in
                let group = execution.processIdentifier.value
                await started(group)
                let tail = LineTail(keeping: Self.keptLines)
                // The deadline covers the whole run: a mover that closes its output and goes on
                // running is stopped at mover_timeout too.
                let finished = await withTaskGroup(of: Bool.self) { tasks in
                    tasks.addTask {
                        do {
                            for try await line in execution.standardOutput.strings() {
                                await tail.append(String(line.trimmingSuffix()))
                            }
                        } catch {
                            await tail.append("(reading the mover's output failed: \(error))")
                        }
                        while Self.processIsRunning(group) { try? await Task.sleep(for: .milliseconds(50)) }
                        return true
                    }
                    tasks.addTask {
                        try? await Task.sleep(for: deadline)
                        guard !Task.isCancelled else { return true }
                        // Stopping the group closes its output, which ends the reader above (it may
                        // then finish first: the tail says it was stopped).
                        await tail.markStopped()
                        await Self.terminate(group: group)
                        return false
                    }
                    _ = await tasks.next()
                    tasks.cancelAll()
                    return await !tail.stopped
                }
                return MoverRun(group: group, lines: await tail.lines, timedOut: !finished)
            }
            let run = result.closureResult
            let ending: MoverOutcome.Ending
            switch result.terminationStatus {
            case _ where run.timedOut: ending = .timedOut
            case .exited(let status): ending = .exited(status)
            case .signaled(let signal): ending = .signalled(signal)
            }
            return MoverOutcome(ending: ending, lastLines: run.lines, processGroup: run.group)
        } catch {
            return MoverOutcome(ending: .notStarted("\(executable): \(error)"), lastLines: [])
        }
    }

    /// SIGTERM to the whole group, SIGKILL to whatever is left after five seconds; returns once the
    /// group is gone (or a last two seconds after SIGKILL passed), so the journal can say it is.
    static func terminate(group: Int32) async {
        kill(-group, SIGTERM)
        for signal in [SIGKILL, 0] {
            let waited = ContinuousClock.now + .seconds(signal == SIGKILL ? 5 : 2)
            while groupIsAlive(group), ContinuousClock.now < waited {
                try? await Task.sleep(for: .milliseconds(50))
            }
            guard signal != 0, groupIsAlive(group) else { return }
            kill(-group, signal)
        }
    }

    /// Whether `pid` runs (a zombie has ended: it only waits to be reaped).
    static func processIsRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }

    /// Whether any process of `group` still runs: a resumed cutover never starts the mover again
    /// while one does.
    ///
    /// Read from /proc, so that a zombie nobody reaped (its parent gone) does not count as running.
    public static func groupIsAlive(_ group: Int32) -> Bool {
        guard group > 0 else { return false }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else {
            return kill(-group, 0) == 0 || errno == EPERM
        }
        for entry in entries where entry.first?.isNumber == true {
            guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm)": state, ppid, pgrp, …; comm may itself hold spaces and parentheses.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[2]) == group else { continue }
            if fields[0] != "Z" && fields[0] != "X" { return true }
        }
        return false
    }
}

/// The last lines a mover printed, kept while it runs so that a stopped mover still shows them, and
/// whether it was stopped.
private actor LineTail {
    let keeping: Int
    private(set) var lines: [String] = []
    /// The mover was stopped at its timeout.
    private(set) var stopped = false

    init(keeping: Int) { self.keeping = keeping }

    func markStopped() { stopped = true }

    func append(_ line: String) {
        lines.append(line)
        if lines.count > keeping { lines.removeFirst(lines.count - keeping) }
    }
}

private struct MoverRun: Sendable {
    var group: Int32
    var lines: [String]
    var timedOut: Bool
}

extension StringProtocol {
    fileprivate func trimmingSuffix() -> Substring {
        var text = self[...]
        while let last = text.last, last.isNewline || last == "\r" { text = text.dropLast() }
        return Substring(text)
    }
}
