import Foundation
import Testing

/// A tmux server on a private socket with one window, driven the way a person would drive
/// a terminal: send keys, read the screen. Every wait polls the screen against a deadline.
final class TmuxSession {
    let socket: String
    private(set) var isRunning = false

    /// Starts a server with one window of `width`×`height` running an interactive shell,
    /// with `environment` exported into it.
    init(width: Int, height: Int, environment: [String: String]) throws {
        socket = "locus-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        var arguments = ["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "env"]
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
            arguments.append("\(name)=\(value)")
        }
        // A plain shell without rc files, so the prompt and the stty state are predictable.
        arguments.append("/bin/sh")
        try tmux(arguments)
        isRunning = true
        // The window keeps the size given here; an attached client could change it otherwise.
        try tmux(["set-option", "-g", "window-size", "manual"])
        try tmux(["set-option", "-g", "status", "off"])
    }

    deinit {
        if isRunning {
            _ = try? tmux(["kill-server"])
        }
    }

    func kill() {
        if isRunning {
            _ = try? tmux(["kill-server"])
            isRunning = false
        }
    }

    /// Types `text` literally, then Enter when asked.
    func type(_ text: String, enter: Bool = false) throws {
        try tmux(["send-keys", "-t", "0", "-l", text])
        if enter {
            try tmux(["send-keys", "-t", "0", "Enter"])
        }
    }

    /// Sends keys by tmux name (`Escape`, `Tab`, `C-c`, `q`).
    func press(_ keys: String...) throws {
        try tmux(["send-keys", "-t", "0"] + keys)
    }

    /// The visible screen, one string per row; with `escapes`, including the SGR sequences
    /// that set colours and attributes.
    func screen(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", "0"] + (escapes ? ["-e"] : []))
    }

    /// A tmux format evaluated for the pane (`#{alternate_on}`, `#{pane_pid}`).
    func display(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", "0", format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", "0", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Polls the screen until `predicate` holds, failing the test (with the last screen) at the deadline.
    @discardableResult
    func waitFor(
        _ what: String,
        timeout: Duration = .seconds(20),
        sourceLocation: SourceLocation = #_sourceLocation,
        until predicate: (String) -> Bool
    ) throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var last = ""
        while clock.now < deadline {
            last = try screen()
            if predicate(last) {
                return last
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting for \(what); the screen was:\n\(last)", sourceLocation: sourceLocation)
        throw TmuxError.timedOut(what)
    }

    /// Polls until `text` is on the screen.
    @discardableResult
    func waitFor(
        text: String,
        timeout: Duration = .seconds(20),
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        try waitFor("“\(text)”", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    /// Polls until `text` is gone from the screen.
    @discardableResult
    func waitFor(
        absenceOf text: String,
        timeout: Duration = .seconds(20),
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        try waitFor("“\(text)” to disappear", timeout: timeout, sourceLocation: sourceLocation) { !$0.contains(text) }
    }

    /// Polls a tmux format until it has `value`.
    func waitFor(format: String, toBe value: String, timeout: Duration = .seconds(20)) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var last = ""
        while clock.now < deadline {
            last = try display(format)
            if last == value {
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting for \(format) to be \(value); it was \(last)")
        throw TmuxError.timedOut(format)
    }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        try TmuxSession.run("/usr/bin/env", ["tmux", "-L", socket, "-f", "/dev/null"] + arguments)
    }

    /// Runs a program to completion and returns its stdout; throws when it fails.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let result = try Subprocess.run(executable, arguments)
        guard result.status == 0 else {
            throw TmuxError.failed(arguments.joined(separator: " "), status: result.status, stderr: result.stderr)
        }
        return result.stdout
    }
}

enum TmuxError: Error, CustomStringConvertible {
    case timedOut(String)
    case failed(String, status: Int32, stderr: String)

    var description: String {
        switch self {
        case .timedOut(let what): return "timed out waiting for \(what)"
        case .failed(let command, let status, let stderr): return "`\(command)` exited \(status): \(stderr)"
        }
    }
}
