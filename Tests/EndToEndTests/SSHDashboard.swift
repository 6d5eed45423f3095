import Foundation
import LocusTestSupport
import Testing

/// One operator at a terminal of their own: a tmux pane (on a private tmux socket) whose shell runs
/// `ssh -tt LOGIN@127.0.0.1 locus dashboard --config LAB` into the lab's `SSHServer`, as an operator
/// reaches a jump host. The pane's `stty -g` is saved before ssh starts and after it ends, on the same
/// shell line, so that nothing the shell does comes between them and the dashboard.
final class SSHDashboard {
    let user: String
    let tmux: TmuxSession
    /// The login's `XDG_STATE_HOME`: the dashboard's log and its runners' logs (`locus/runs/ID.log`).
    let stateHome: String
    private let scratch: ScratchDirectory
    private let files: (before: String, after: String, status: String)

    /// Opens the pane and starts ssh in it; `term` is the pane's TERM, which ssh hands to the remote
    /// pseudo-terminal as a real client does, and `environment` is set on the remote side (sshd
    /// passes no client variable but TERM).
    init(
        _ client: SSHClient,
        lab: MigrationLab,
        width: Int = 200,
        height: Int = 50,
        term: String = "tmux-256color",
        environment: [String: String] = [:]
    ) throws {
        user = client.user
        scratch = lab.scratch
        let label = "\(client.user)-\(UUID().uuidString.prefix(8))"
        files = ("stty-before-\(label)", "stty-after-\(label)", "ssh-status-\(label)")
        stateHome = lab.scratch.file("state-\(client.user)")
        try FileManager.default.createDirectory(atPath: stateHome, withIntermediateDirectories: true)
        _ = try ChildProcess.run("/bin/chown", [client.user, stateHome])
        tmux = try TmuxSession(width: width, height: height, environment: ["PS1": "e2e$ ", "TERM": term])
        try tmux.waitFor(text: "e2e$")
        let remote =
            ["/usr/bin/env", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "XDG_STATE_HOME=\(stateHome)"]
            + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            + [LocusBinary.path, "dashboard", "--config", lab.configFile]
        let (before, after, status) = (file(files.before), file(files.after), file(files.status))
        try tmux.type(
            "stty -g > \(before); \(client.commandLine(terminal: true, remote)); echo $? > \(status); "
                + "stty -g > \(after).new && mv \(after).new \(after)",
            enter: true
        )
    }

    deinit {
        tmux.kill()
    }

    /// Waits for the dashboard's first frame over the lab: the Workloads tab with every workload.
    @discardableResult
    func waitForWorkloads(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try tmux.waitFor(
            "\(user)'s dashboard with the lab's workloads",
            timeout: .seconds(60),
            sourceLocation: sourceLocation
        ) {
            $0.contains("[1 Workloads]") && $0.contains(" of 12 workloads")
        }
    }

    func press(_ keys: String...) throws {
        for key in keys { try tmux.press(key) }
    }

    /// `q`, and `y` once when the dashboard asks first (a runner it started still runs); the exit
    /// status of ssh, which is the dashboard's, and whether it asked.
    func quit(sourceLocation: SourceLocation = #_sourceLocation) throws -> (status: Int32?, asked: Bool) {
        try tmux.press("q")
        var asked = false
        let deadline = ContinuousClock.now + .seconds(30)
        var last = ""
        while ContinuousClock.now < deadline {
            if let status = exitStatus { return (status, asked) }
            last = try tmux.screen()
            if !asked, last.contains("Quit Locus while the cutover of") {
                asked = true
                try tmux.press("y")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("\(user)'s dashboard did not quit; the screen was:\n\(last)", sourceLocation: sourceLocation)
        return (nil, asked)
    }

    /// The exit status of ssh once it ended.
    var exitStatus: Int32? { scratch.read(files.status).flatMap { Int32($0) } }

    /// Once ssh ended: the pane has the terminal modes it had before and, unless the link was lost
    /// (then nothing can send the dashboard's leaving it), left the alternate screen.
    func expectTerminalRestored(
        leftAlternateScreen: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        if leftAlternateScreen { try tmux.waitFor(format: "#{alternate_on}", toBe: "0") }
        let before = scratch.read(files.before) ?? ""
        var after: String?
        let deadline = ContinuousClock.now + .seconds(10)
        while after == nil, ContinuousClock.now < deadline {
            after = scratch.read(files.after)
            if after == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        let screen = (try? tmux.screen()) ?? ""
        #expect(!before.isEmpty, "no stty -g before ssh; the screen:\n\(screen)", sourceLocation: sourceLocation)
        #expect(
            after == before,
            "\(user)'s terminal modes after ssh; the screen:\n\(screen)",
            sourceLocation: sourceLocation
        )
    }

    /// The `locus dashboard` this login runs on `server`, as /proc shows it; nil until it runs there
    /// with a terminal.
    func remoteDashboard(on server: SSHServer) -> RemoteDashboard? {
        let processes = server.connections().flatMap(\.commands).filter {
            $0.commandLine.contains("dashboard --config")
        }
        let owned = processes.first { entry in
            let owner = try? FileManager.default.attributesOfItem(atPath: "/proc/\(entry.pid)")[.ownerAccountName]
            return owner as? String == user
        }
        guard let pid = owned?.pid,
            let terminal = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/0")
        else { return nil }
        let environ = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))) ?? Data()
        var environment: [String: String] = [:]
        for variable in environ.split(separator: 0) {
            let text = String(decoding: variable, as: UTF8.self)
            if let equals = text.firstIndex(of: "=") {
                environment[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
        }
        return RemoteDashboard(pid: pid, terminal: terminal, environment: environment)
    }

    /// What the dashboard's own log and its runners' logs say, for a failure message.
    func logs() -> String {
        let directory = stateHome + "/locus"
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/runs")) ?? []
        return (["locus.log"] + runs.sorted().map { "runs/\($0)" }).compactMap { name in
            (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)).map { "== \(name)\n\($0)" }
        }
        .joined(separator: "\n")
    }

    private func file(_ name: String) -> String { shellQuoted(scratch.file(name)) }
}

/// A `locus dashboard` on the jump host: its pid, the terminal on its standard input (the
/// pseudo-terminal sshd made for `-tt`) and its environment.
struct RemoteDashboard {
    var pid: pid_t
    var terminal: String
    var environment: [String: String]
}

/// Reading the dashboard's screen as text: rows, the status line, the detail pane.
enum DashboardText {
    /// The list row of migration `id`, if it is on the screen: the one that starts with the id, after
    /// the border and the selection marker (the header and the detail name it too).
    static func row(_ id: String, in screen: String) -> String? {
        let markers: Set<Character> = ["│", "|", "▶", ">", " "]
        return screen.split(separator: "\n").first { $0.drop { markers.contains($0) }.hasPrefix(id) }.map(String.init)
    }

    /// The status line: the row above the key hints on the bottom edge.
    static func statusLine(_ screen: String) -> String {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let trimmed = rows.last == "" ? Array(rows.dropLast()) : rows
        return trimmed.count >= 2 ? trimmed[trimmed.count - 2] : ""
    }

    /// The detail pane's rows, trimmed: right of the split's divider, between the dividers under the
    /// tabs and above the status line.
    static func detail(_ screen: String) -> [String] {
        var rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        if rows.last?.isEmpty == true { rows.removeLast() }
        guard rows.count > 6 else { return [] }
        let body = rows[3..<(rows.count - 3)]
        let borders: Set<Character> = ["│", "|"]
        guard let first = body.first,
            let split = first.indices.dropFirst().first(where: { borders.contains(first[$0]) })
        else { return [] }
        return body.map { row in
            let end = row.last.map { borders.contains($0) } == true ? row.count - 1 : row.count
            guard split + 1 < end else { return "" }
            return String(row[(split + 1)..<end]).trimmingCharacters(in: .whitespaces)
        }
    }

    /// Polls every terminal's screen until `done` held once for each, failing the test with every
    /// screen at the deadline. `done` sees each capture, so it may also note what passed on the way.
    static func poll(
        _ what: String,
        _ terminals: [SSHDashboard],
        timeout: Duration = .seconds(20),
        sourceLocation: SourceLocation = #_sourceLocation,
        until done: (SSHDashboard, String) -> Bool
    ) throws {
        let deadline = ContinuousClock.now + timeout
        var pending = Set(terminals.indices)
        var screens = [String](repeating: "", count: terminals.count)
        while ContinuousClock.now < deadline {
            for index in pending.sorted() {
                screens[index] = try terminals[index].tmux.screen()
                if done(terminals[index], screens[index]) { pending.remove(index) }
            }
            if pending.isEmpty { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let shown = pending.sorted().map { "\(terminals[$0].user)'s screen:\n\(screens[$0])" }
        Issue.record("timed out waiting for \(what); \(shown.joined(separator: "\n"))", sourceLocation: sourceLocation)
        throw TmuxError.timedOut(what)
    }
}
