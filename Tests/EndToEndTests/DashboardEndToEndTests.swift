import Foundation
import Testing

/// Drives the real `locus` binary in tmux, as an operator would, and checks the terminal is
/// given back intact on every way out.
@Suite("Dashboard in a terminal")
struct DashboardEndToEndTests {
    /// A shell in a 120×40 tmux pane with an empty config directory, ready to start locus.
    final class Harness {
        let scratch: ScratchDirectory
        let tmux: TmuxSession
        let sttyBefore: String

        init() throws {
            scratch = try ScratchDirectory()
            try FileManager.default.createDirectory(atPath: scratch.file("config"), withIntermediateDirectories: true)
            tmux = try TmuxSession(width: 120, height: 40, environment: ["PS1": "e2e$ "])
            try tmux.waitFor(text: "e2e$")
            sttyBefore = try Self.stty(in: tmux, scratch: scratch, into: "stty-before")
        }

        /// Runs `stty -g` in the pane's shell and returns what it printed (via a file).
        static func stty(in tmux: TmuxSession, scratch: ScratchDirectory, into name: String) throws -> String {
            let file = scratch.file(name)
            try tmux.type("stty -g > \(shellQuoted(file)); echo stty-saved-$((20+3))", enter: true)
            try tmux.waitFor(text: "stty-saved-23")
            try tmux.type("clear", enter: true)
            try tmux.waitFor(absenceOf: "stty-saved")
            return scratch.read(name) ?? ""
        }

        /// Starts locus from the shell, recording its pid and, when it ends, its exit status.
        ///
        /// A wrapper script writes its pid and then execs locus, so the pid is locus's own.
        /// `NO_COLOR` is removed because the test runner may set it.
        func startLocus(term: String = "xterm-256color", arguments: String = "") throws {
            let script = """
                echo $$ > \(shellQuoted(scratch.file("pid")))
                exec env -u NO_COLOR TERM=\(term) LANG=C.UTF-8 LC_ALL=C.UTF-8 \\
                    XDG_CONFIG_HOME=\(shellQuoted(scratch.file("config"))) \\
                    XDG_STATE_HOME=\(shellQuoted(scratch.file("state"))) \\
                    \(shellQuoted(LocusBinary.path)) "$@"

                """
            try script.write(toFile: scratch.file("run-locus"), atomically: true, encoding: .utf8)
            let status = shellQuoted(scratch.file("status"))
            try tmux.type("sh \(shellQuoted(scratch.file("run-locus"))) \(arguments); echo $? > \(status)", enter: true)
        }

        var locusPID: Int32? { scratch.read("pid").flatMap { Int32($0) } }

        /// Waits until locus has exited and returns its exit status.
        func exitStatus(timeout: Duration = .seconds(20)) throws -> Int32? {
            let clock = ContinuousClock()
            let deadline = clock.now + timeout
            while clock.now < deadline {
                if let text = scratch.read("status"), let status = Int32(text) {
                    return status
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            Issue.record("locus did not exit; the screen was:\n\((try? tmux.screen()) ?? "")")
            return nil
        }

        /// After locus ended: the pane left the alternate screen and the tty modes are as before.
        func expectTerminalRestored(sourceLocation: SourceLocation = #_sourceLocation) throws {
            try tmux.waitFor(format: "#{alternate_on}", toBe: "0")
            let after = try Self.stty(in: tmux, scratch: scratch, into: "stty-after")
            #expect(after == sttyBefore, sourceLocation: sourceLocation)
            #expect(!after.isEmpty, sourceLocation: sourceLocation)
        }
    }

    @Test func operatorTourThenQuit() throws {
        let harness = try Harness()
        let tmux = harness.tmux
        try harness.startLocus()
        // The first frame may be caught half written: wait for its body, not only its tab bar.
        var screen = try tmux.waitFor("the first full frame") {
            $0.contains("[1 Workloads]") && $0.contains("No workloads") && $0.contains("locus lab")
        }
        #expect(screen.contains("Locus · no config"))
        #expect(screen.contains("No workloads"))
        #expect(screen.contains("locus lab"))
        #expect(screen.contains("┌"))
        #expect(try tmux.display("#{alternate_on}") == "1")

        for (key, tab) in [("2", "[2 Alerts]"), ("3", "[3 Migrations]"), ("4", "[4 Sites]"), ("5", "[5 Events]")] {
            try tmux.press(key)
            screen = try tmux.waitFor(text: tab)
            #expect(!screen.contains("[1 Workloads]"))
        }
        try tmux.press("1")
        try tmux.waitFor(text: "[1 Workloads]")
        try tmux.press("]")
        try tmux.waitFor(text: "[2 Alerts]")
        try tmux.press("[")
        try tmux.waitFor(text: "[1 Workloads]")

        try tmux.press("?")
        screen = try tmux.waitFor(text: "Esc/? close")
        #expect(screen.contains("Workloads, Alerts, Migrations, Sites, Events"))
        #expect(screen.contains("next theme"))
        #expect(screen.contains("move focus between list and detail"))
        try tmux.press("Escape")
        try tmux.waitFor(absenceOf: "Esc/? close")

        try tmux.press("/")
        try tmux.type("web-07")
        try tmux.press("Enter")
        try tmux.waitFor(text: "Workloads  /web-07")

        try tmux.resize(width: 50, height: 12)
        screen = try tmux.waitFor(text: "too small")
        #expect(!screen.contains("[1 Workloads]"))
        try tmux.resize(width: 120, height: 40)
        screen = try tmux.waitFor(text: "[1 Workloads]")
        #expect(screen.contains("Workloads  /web-07"))
        #expect(!screen.contains("too small"))
        #expect(screen.split(separator: "\n").last?.hasPrefix("└ ?help") == true)

        try tmux.press("q")
        #expect(try harness.exitStatus() == 0)
        try harness.expectTerminalRestored()
    }

    @Test(arguments: [("TERM", Int32(143)), ("HUP", Int32(129)), ("INT", Int32(130))])
    func signalRestoresTheTerminal(signal: String, expectedStatus: Int32) throws {
        let harness = try Harness()
        try harness.startLocus()
        try harness.tmux.waitFor(text: "[1 Workloads]")
        let pid = try #require(harness.locusPID)
        try TmuxSession.run("/bin/kill", ["-\(signal)", "\(pid)"])
        #expect(try harness.exitStatus() == expectedStatus)
        try harness.expectTerminalRestored()
    }

    @Test func ctrlCQuits() throws {
        let harness = try Harness()
        try harness.startLocus()
        try harness.tmux.waitFor(text: "[1 Workloads]")
        try harness.tmux.press("C-c")
        #expect(try harness.exitStatus() == 130)
        try harness.expectTerminalRestored()
    }

    @Test func dumbTerminalIsRefusedWithOneLine() throws {
        let harness = try Harness()
        let errors = shellQuoted(harness.scratch.file("stderr"))
        try harness.startLocus(term: "dumb", arguments: "2> \(errors)")
        #expect(try harness.exitStatus() == 2)
        let message = harness.scratch.read("stderr") ?? ""
        #expect(message.split(separator: "\n").count == 1)
        #expect(message.contains("TERM=dumb"))
        #expect(message.contains("locus snapshot"))
        #expect(try harness.tmux.display("#{alternate_on}") == "0")
    }
}

@Suite("Dashboard without a terminal")
struct HeadlessRefusalTests {
    private func runLocus(environment: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try Subprocess.run(LocusBinary.path, [], environment: environment)
        return (result.status, result.stdout, result.stderr)
    }

    @Test func stdoutNotATerminal() throws {
        let scratch = try ScratchDirectory()
        let result = try runLocus(environment: [
            "TERM": "xterm-256color", "XDG_CONFIG_HOME": scratch.path, "HOME": scratch.path,
        ])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("stdout is not a terminal"))
        #expect(result.stderr.contains("locus snapshot"))
        #expect(result.stderr.contains("locus check"))
    }

    @Test func dumbAndMissingTermWithoutATerminal() throws {
        let scratch = try ScratchDirectory()
        for environment in [["TERM": "dumb"], [:]] {
            let result = try runLocus(environment: environment.merging(["HOME": scratch.path]) { $1 })
            #expect(result.status == 2)
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test func versionAndHelp() throws {
        let scratch = try ScratchDirectory()
        let version = try Subprocess.run(LocusBinary.path, ["--version"], environment: ["HOME": scratch.path])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("locus "))
        let help = try Subprocess.run(LocusBinary.path, ["help", "dashboard"], environment: ["HOME": scratch.path])
        #expect(help.status == 0)
        for option in ["--config", "--theme", "--ascii", "--no-color"] {
            #expect(help.stdout.contains(option))
        }
    }
}
