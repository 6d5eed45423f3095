import Foundation
import LocusTestSupport
import Testing

/// `locus migrate` through a real OpenSSH server on loopback, the way operators reach a jump host
/// as themselves: the audit names the ssh client and the terminal of every decision, and an ssh
/// link that drops mid-cutover takes the approving command with it but never the cutover.
@Suite(
    .serialized,
    .enabled(if: OperatorAccounts.canCreate, "needs root to create the operator accounts"),
    .enabled(if: SSHServer.shouldTest, "needs /usr/sbin/sshd: install openssh-server (scripts/test does)")
)
struct MigrationSSHEndToEndTests {
    @Test func theAuditNamesTheSSHClientOfEachDecisionAndTheTerminalOfOneMadeOnATerminal() async throws {
        let lab = try await MigrationLab()
        let server = try await SSHServer()
        let requester = try server.authorize("ops3")
        let approver = try server.authorize("ops1")
        let workload = try #require(lab.sites.keys.sorted().first)

        let request = try await requester.run(
            [
                LocusBinary.path, "migrate", "request", workload, "--to", lab.otherSite(than: workload), "--reason",
                "rack retirement", "--config", lab.configFile, "--json",
            ]
        )
        #expect(request.status == 0, "\(request.stderr)\(request.stdout)")
        let requested = try JSONSerialization.jsonObject(with: Data(request.stdout.utf8)) as? [String: Any]
        let id = try #require(requested?["id"] as? String, "\(request.stdout)")
        let approval = try await approver.run(
            [LocusBinary.path, "migrate", "approve", id, "--config", lab.configFile],
            terminal: true
        )
        #expect(approval.status == 0, "\(approval.stdout)")

        let audit = try await lab.json(as: "ops3", ["audit"])
        let entries = try #require(audit["entries"] as? [[String: Any]])
        #expect(entries.map { $0["action"] as? String ?? "" } == ["request", "preflight", "approve"], "\(entries)")
        for entry in entries {
            // The client part of SSH_CONNECTION: the test's ssh connects from loopback.
            #expect(entry["ssh_client"] as? String == "127.0.0.1", "\(entry)")
        }
        let requestedEntry = try #require(entries.first { $0["action"] as? String == "request" })
        #expect(requestedEntry["user"] as? String == "ops3")
        #expect(requestedEntry["tty"] is NSNull, "ssh without -tt gives the command no terminal: \(requestedEntry)")
        let approvedEntry = try #require(entries.first { $0["action"] as? String == "approve" })
        #expect(approvedEntry["user"] as? String == "ops1")
        #expect(approvedEntry["outcome"] as? String == "done", "\(approvedEntry)")
        let tty = approvedEntry["tty"] as? String ?? ""
        #expect(tty.wholeMatch(of: /\/dev\/pts\/[0-9]+/) != nil, "the approval's pseudo-terminal: \(approvedEntry)")

        let text = try await lab.locus(as: "ops3", ["audit"])
        #expect(text.stdout.contains("\(tty) ssh 127.0.0.1"), "\(text.stdout)")
        let verify = try await lab.locus(as: "ops3", ["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        await server.stop()
        try await lab.shutDown()
    }

    @Test func anSSHLinkDroppedMidCutoverEndsTheApproverButNotTheRunnerAndGivesTheTerminalBack() async throws {
        let lab = try await MigrationLab(cutover: .init(labArguments: ["--move-delay", "3s"]))
        let server = try await SSHServer()
        let approver = try server.authorize("ops1")
        let workload = try #require(lab.sites.keys.sorted().first)
        let id = try await lab.request(workload, as: "ops3", address: nil)

        let tmux = try TmuxSession(width: 200, height: 50, environment: ["PS1": "e2e$ "])
        defer { tmux.kill() }
        try tmux.waitFor(text: "e2e$")
        let pane = try #require(Int32(try tmux.display("#{pane_pid}")))
        let files = (before: lab.scratch.file("stty-before"), after: lab.scratch.file("stty-after"))
        let status = lab.scratch.file("ssh-status")
        let approve = approver.commandLine(
            terminal: true,
            [LocusBinary.path, "migrate", "approve", id, "--wait", "--config", lab.configFile]
        )
        // One line, so that nothing the pane's shell does comes between the two stty and the ssh.
        try tmux.type(
            "stty -g > \(shellQuoted(files.before)); \(approve); echo $? > \(shellQuoted(status)); "
                + "stty -g > \(shellQuoted(files.after)).new && mv \(shellQuoted(files.after)).new \(shellQuoted(files.after))",
            enter: true
        )

        let executing = try await lab.show(id, within: .seconds(30)) {
            $0.stepStates.contains { $0.name == "mover" && $0.state == "running" }
        }
        #expect(executing.state == "executing", "\(executing)")
        let runner = pid_t(try #require((executing["lease"] as? [String: Any])?["pid"] as? Int, "\(executing)"))
        let client = try #require(ProcessTable().descendants(of: pane).first { $0.name == "ssh" })
        let connection = try #require(server.connections().first)
        #expect(server.connections().count == 1)
        let approving = try #require(
            connection.commands.first { $0.commandLine.contains("migrate approve \(id)") },
            "\(connection.commands)"
        )

        // The link drops on the jump host's side, where nothing closes the session cleanly, and the
        // operator's terminal goes: ssh quits on SIGHUP, restoring the modes it changed.
        server.drop(connection)
        kill(client.pid, SIGHUP)
        let ended = try await Self.poll(within: .seconds(20)) { lab.scratch.read("ssh-status") }
        #expect(ended == "255", "ssh ends as a lost connection")
        #expect(
            try await Self.poll(within: .seconds(10)) { ProcessTable.isRunning(approving.pid) ? nil : true } == true,
            "the approving command hangs up with its terminal"
        )
        let runnerEntry = ProcessTable().entries[runner].flatMap { $0.state == "Z" ? nil : $0 }
        #expect(runnerEntry?.commandLine.contains("migrate run \(id)") == true, "the runner outlives the link")
        #expect(runnerEntry?.session != approving.session, "the runner has a session of its own")
        #expect(Self.terminals(openIn: runner).isEmpty, "the runner holds no descriptor of the session's terminal")

        let completed = try await lab.show(id) { $0.state == "completed" }
        #expect(completed.state == "completed", "\(completed)")
        #expect(try lab.moverInvocations(of: workload) == 1, "no second runner took over")
        let before = try #require(try await Self.poll(within: .seconds(5)) { lab.scratch.read("stty-before") })
        let after = try #require(try await Self.poll(within: .seconds(10)) { lab.scratch.read("stty-after") })
        #expect(after == before, "ssh gave the pane its terminal modes back")
        #expect(!before.isEmpty)
        await server.stop()
        try await lab.shutDown()
    }

    /// The pseudo-terminals among the open descriptors of `pid`.
    static func terminals(openIn pid: pid_t) -> [String] {
        let directory = "/proc/\(pid)/fd"
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return descriptors.compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\($0)")
        }
        .filter { $0.hasPrefix("/dev/pts/") || $0 == "/dev/tty" || $0 == "/dev/ptmx" }
    }

    /// `value()` until it is non-nil, or nil at the deadline.
    static func poll<T>(within timeout: Duration, _ value: () throws -> T?) async throws -> T? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let found = try value() { return found }
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
