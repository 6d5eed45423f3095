import Foundation
import LocusTestSupport
import Testing

/// Two operators, each in an ssh session of their own into the lab's jump host, request, approve,
/// watch and roll back a migration with nothing but the dashboard's keys: the store is the only
/// channel between their screens, every decision is audited with its ssh origin, and each screen
/// says who must act next.
@Suite(
    .serialized,
    .enabled(if: OperatorAccounts.canCreate, "needs root to create the operator accounts"),
    .enabled(if: SSHServer.shouldTest, "needs /usr/sbin/sshd: install openssh-server (scripts/test does)")
)
struct MigrationKeyboardEndToEndTests {
    /// Long enough to be seen running on both screens, short enough for the suite's budget: at 2 s
    /// a loaded CI machine once let the requester's screen go from approved to completed unseen.
    static let moveDelay = "4s"

    @Test(arguments: MigrationStoreKind.available)
    func twoOperatorsRequestApproveWatchAndRollBackFromTheKeyboard(store: MigrationStoreKind) async throws {
        let lab = try await MigrationLab(store: store, cutover: .init(labArguments: ["--move-delay", Self.moveDelay]))
        let server = try await SSHServer()
        let requester = try SSHDashboard(try server.authorize("ops3"), lab: lab)
        let approver = try SSHDashboard(try server.authorize("ops1"), lab: lab)
        try requester.waitForWorkloads()
        try approver.waitForWorkloads()
        // Each dashboard runs as its login on a pseudo-terminal of its own, with the pane's TERM that ssh
        // passed on and a UTF-8 locale.
        var terminals: [String: String] = [:]
        for terminal in [requester, approver] {
            let remote = try #require(terminal.remoteDashboard(on: server), "\(terminal.user)'s dashboard process")
            #expect(remote.environment["TERM"] == "tmux-256color", "\(remote.environment)")
            #expect(remote.environment["LC_ALL"] == "C.UTF-8", "\(remote.environment)")
            #expect(remote.environment["SSH_CONNECTION"]?.hasPrefix("127.0.0.1 ") == true, "\(remote.environment)")
            #expect(remote.terminal.hasPrefix("/dev/pts/"), "\(terminal.user)'s dashboard on \(remote.terminal)")
            terminals[terminal.user] = remote.terminal
        }
        #expect(terminals["ops1"] != terminals["ops3"])
        let workload = try #require(lab.sites.keys.sorted().first)
        let from = try #require(lab.sites[workload])

        // The requester finds the workload with the filter and asks for the second site the list offers.
        try requester.press("/")
        try requester.tmux.type(workload, enter: true)
        try requester.tmux.waitFor("the filtered list of \(workload)") { $0.contains("Workloads  /\(workload)") }
        try requester.press("m")
        let marked = { (screen: String) in lab.siteNames.first { $0 != from && screen.contains("▶ \($0)") } }
        let list = try requester.tmux.waitFor("the list of sites to move to") {
            $0.contains("Move \(workload) from \(from) to") && marked($0) != nil
        }
        var to = try #require(marked(list))
        if lab.siteNames.count > 2 {
            try requester.press("Down")
            let moved = try requester.tmux.waitFor("the next site marked") { marked($0).map { $0 != to } == true }
            to = try #require(marked(moved))
        }
        try requester.press("Enter")
        try requester.tmux.waitFor(text: "address of \(workload) at \(to) (Enter keeps it)")
        try requester.press("Enter")
        try requester.tmux.waitFor(text: "why \(workload) moves to \(to)")
        try requester.tmux.type("rack retirement, from the keyboard", enter: true)
        try requester.tmux.waitFor("the request's confirmation") {
            $0.contains("Request migration of \(workload) to \(to)?") && $0.contains("it keeps its address")
        }
        try requester.press("y")
        let requested = try requester.tmux.waitFor("the request on the status line", timeout: .seconds(30)) {
            DashboardText.statusLine($0).contains(": preflight passed")
        }
        let id = try #require(
            DashboardText.statusLine(requested).firstMatch(of: /requested (m-[0-9a-f]{8})/).map { String($0.1) },
            "\(requested)"
        )

        // Without a key pressed there, the approver's tab and header say it waits for them.
        try approver.tmux.waitFor("the approver's tab and header", timeout: .seconds(10)) {
            $0.contains("3 Migrations (1 pending)") && $0.contains("! \(id) waits for you")
        }
        try approver.press("3")
        try approver.tmux.waitFor("\(id) waiting for ops1, and who acts next") {
            DashboardText.row(id, in: $0)?.contains("! ready, waits for you") == true
                && $0.contains("next: waits for your approval: a approves, r rejects")
        }
        // The requester is no approver: the screen names who must act, and `a` is refused in words.
        try requester.press("3")
        try requester.tmux.waitFor("\(id) ready, waiting for another approver") {
            DashboardText.row(id, in: $0)?.contains("· ready") == true
                && $0.contains("next: waits for 1 more approval from an approver other than ops3")
        }
        try requester.press("a")
        try requester.tmux.waitFor("the requester's refusal") {
            DashboardText.statusLine($0).contains("read-only: ops3 is not an approver ([approvals] approvers)")
        }

        let shown = try await lab.json(as: "ops3", ["migrate", "show", id])
        let digest = try #require((shown["preflight"] as? [String: Any])?["digest"] as? String, "\(shown)")
        try approver.press("a")
        try approver.tmux.waitFor("the approval's confirmation") { screen in
            screen.contains("Approve migration \(id)?")
                && screen.contains("\(workload) \(from) → \(to), digest \(digest.prefix(8))")
                && screen.contains("This is the last approval it needs: the cutover starts, detached.")
        }
        try approver.press("y")
        let approved = try approver.tmux.waitFor("the cutover starting on the status line") {
            DashboardText.statusLine($0).contains("approved \(id): the cutover starts: runner pid ")
        }
        let runner = try #require(
            DashboardText.statusLine(approved).firstMatch(of: /runner pid ([0-9]+), detached/).flatMap { Int($0.1) }
        )

        // Both screens follow the store: running (▶, and whose runner), then completed (✓).
        var seenRunning: Set<String> = []
        try DashboardText.poll("\(id) completed on both screens", [approver, requester], timeout: .seconds(60)) {
            terminal,
            screen in
            let row = DashboardText.row(id, in: screen) ?? ""
            if row.contains(/▶ (executing|verifying)/), screen.contains("next: runs: ops1's runner pid \(runner) on ") {
                seenRunning.insert(terminal.user)
            }
            return row.contains("✓ completed")
        }
        #expect(seenRunning == ["ops1", "ops3"], "\(id) seen running (▶ and whose runner) by \(seenRunning.sorted())")

        try Self.expectSignAndScrollingAtSmallSizes(approver, id: id, sign: "✓")

        // The approver rolls it back; both see it done.
        try approver.press("R")
        try approver.tmux.waitFor("the rollback's confirmation") {
            $0.contains("Roll back migration \(id)?") && $0.contains("Its runner starts detached")
        }
        try approver.press("y")
        try approver.tmux.waitFor("the rollback starting") {
            DashboardText.statusLine($0).contains("rolling \(id) back: runner pid ")
        }
        try DashboardText.poll("\(id) rolled back on both screens", [approver, requester], timeout: .seconds(60)) {
            DashboardText.row(id, in: $1)?.contains("rolled-back") == true
        }

        for terminal in [approver, requester] {
            let quit = try terminal.quit()
            #expect(quit.status == 0, "\(terminal.user)'s dashboard over ssh exited \(String(describing: quit.status))")
            try terminal.expectTerminalRestored()
        }

        try await Self.expectAuditOfTheKeyboard(lab, id: id, terminals: terminals, logs: approver.logs())
        await server.stop()
        try await lab.shutDown()
    }

    /// The runner the dashboard starts is detached from it: losing the approver's link while the mover
    /// runs ends the dashboard, never the cutover.
    @Test func theApproversSSHSessionDroppedMidCutoverLeavesTheCutoverToFinish() async throws {
        let lab = try await MigrationLab(cutover: .init(labArguments: ["--move-delay", "4s"]))
        let server = try await SSHServer()
        let workload = try #require(lab.sites.keys.sorted().first)
        let id = try await lab.request(workload, as: "ops3", address: nil)
        let approver = try SSHDashboard(try server.authorize("ops1"), lab: lab)
        try approver.waitForWorkloads()
        try approver.press("3")
        try approver.tmux.waitFor("\(id) waiting for ops1") {
            DashboardText.row(id, in: $0)?.contains("! ready, waits for you") == true
        }
        try approver.press("a")
        try approver.tmux.waitFor(text: "Approve migration \(id)?")
        try approver.press("y")
        let approved = try approver.tmux.waitFor("the cutover starting") {
            DashboardText.statusLine($0).contains("approved \(id): the cutover starts: runner pid ")
        }
        let runner = try #require(
            DashboardText.statusLine(approved).firstMatch(of: /runner pid ([0-9]+), detached/).flatMap { pid_t($0.1) }
        )
        try approver.tmux.waitFor("\(id) running") { DashboardText.row(id, in: $0)?.contains("▶ executing") == true }

        // The jump host loses the link: its sshd processes go at once, and the operator's ssh with them.
        let connection = try #require(server.connections().first)
        #expect(server.connections().count == 1)
        let dashboard = try #require(
            connection.commands.first { $0.commandLine.contains("dashboard --config") },
            "\(connection.commands)"
        )
        let pane = try #require(Int32(try approver.tmux.display("#{pane_pid}")))
        let client = try #require(ProcessTable().descendants(of: pane).first { $0.name == "ssh" })
        server.drop(connection)
        kill(client.pid, SIGHUP)
        let gone = try await MigrationSSHEndToEndTests.poll(within: .seconds(20)) {
            ProcessTable.isRunning(dashboard.pid) ? nil : true
        }
        #expect(gone == true, "the dashboard hangs up with its terminal")
        let survivor = ProcessTable().entries[runner].flatMap { $0.state == "Z" ? nil : $0 }
        #expect(survivor?.commandLine.contains("migrate run \(id)") == true, "the runner outlives the link")
        #expect(survivor?.session != dashboard.session, "the runner has a session of its own")

        let completed = try await lab.show(id) { $0.state == "completed" }
        #expect(completed.state == "completed", "\(completed)\n\(approver.logs())")
        #expect(try lab.moverInvocations(of: workload) == 1, "no second runner took over")
        let ended = try await MigrationSSHEndToEndTests.poll(within: .seconds(10)) { approver.exitStatus }
        #expect(ended == 255, "ssh ends as a lost connection")
        // ssh gives back the modes it changed; the dashboard's alternate screen went with the link.
        try approver.expectTerminalRestored(leftAlternateScreen: false)
        await server.stop()
        try await lab.shutDown()
    }

    /// The smallest screens the dashboard supports still say what state a migration is in and who must
    /// act, on the console's terminal type and without colour too (TERM=linux; TERM=screen, NO_COLOR).
    @Test func aSelectedMigrationKeepsItsSignAndScrollsAt80x24And60x15OnEachTerminalType() async throws {
        let lab = try await MigrationLab()
        let server = try await SSHServer()
        let client = try server.authorize("ops1")
        let id = try await lab.request(try #require(lab.sites.keys.sorted().first), as: "ops3")
        for (term, environment) in [("tmux-256color", [:]), ("screen", ["NO_COLOR": "1"]), ("linux", [:])] {
            let approver = try SSHDashboard(
                client,
                lab: lab,
                width: 80,
                height: 24,
                term: term,
                environment: environment
            )
            try approver.waitForWorkloads()
            try approver.press("3")
            try Self.expectSignAndScrollingAtSmallSizes(
                approver,
                id: id,
                sign: "!",
                header: "! \(id) waits for you",
                resizeFirst: false
            )
            // Colour where the terminal has it, none under NO_COLOR: the sign says the state either way.
            let escapes = try approver.tmux.screen(escapes: true)
            let colour = /\e\[[0-9;]*(3[0-7]|38;5;[0-9]+|4[0-7]|48;5;[0-9]+)m/
            #expect(
                (escapes.firstMatch(of: colour) != nil) == (environment["NO_COLOR"] == nil),
                "TERM=\(term): \(escapes)"
            )
            let quit = try approver.quit()
            #expect(quit.status == 0 && !quit.asked, "TERM=\(term): \(String(describing: quit))")
            try approver.expectTerminalRestored()
        }
        await server.stop()
        try await lab.shutDown()
    }

    /// At 80×24 and then 60×15, the Migrations view shows `id` with its state's sign, and Tab then `j`
    /// scroll its detail by one line; the window is put back to its size afterwards.
    static func expectSignAndScrollingAtSmallSizes(
        _ terminal: SSHDashboard,
        id: String,
        sign: String,
        header: String? = nil,
        resizeFirst: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let original = (
            width: Int(try terminal.tmux.display("#{window_width}")) ?? 200,
            height: Int(try terminal.tmux.display("#{window_height}")) ?? 50
        )
        for (index, size) in [(width: 80, height: 24), (width: 60, height: 15)].enumerated() {
            if resizeFirst || index > 0 { try terminal.tmux.resize(width: size.width, height: size.height) }
            let shown = try terminal.tmux.waitFor(
                "\(id) with its sign at \(size.width)×\(size.height)",
                sourceLocation: sourceLocation
            ) { screen in
                let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
                // The top-right corner where the new width ends: the frame was drawn again at that size.
                return rows.count >= size.height && rows[0].count == size.width && ["┐", "+"].contains(rows[0].last)
                    && DashboardText.row(id, in: screen)?.contains("\(sign) ") == true
                    && header.map { rows[0].contains($0) } != false
            }
            try terminal.press("Tab")
            let before = DashboardText.detail(shown)
            try terminal.press("j")
            try terminal.tmux.waitFor(
                "the detail scrolled by one line at \(size.width)×\(size.height)",
                sourceLocation: sourceLocation
            ) {
                let after = DashboardText.detail($0)
                return after != before && after.first == before.dropFirst().first
            }
            try terminal.press("Tab")
        }
        if resizeFirst { try terminal.tmux.resize(width: original.width, height: original.height) }
    }

    /// `locus audit --json` as ops3: the request and its preflight by ops3 and the approval by ops1,
    /// each on the terminal of the dashboard it was made in, then the runners' entries (the cutover,
    /// the rollback) as ops1; every one of them from the ssh client.
    ///
    /// The runners are detached from the dashboard's terminal on purpose, so their entries name none:
    /// the rollback decided with `R` is recorded by the runner it starts.
    static func expectAuditOfTheKeyboard(
        _ lab: MigrationLab,
        id: String,
        terminals: [String: String],
        logs: String
    ) async throws {
        let audit = try await lab.json(as: "ops3", ["audit"])
        let entries = try #require(audit["entries"] as? [[String: Any]]).filter { $0["object"] as? String == id }
        let rows = entries.map { "\($0["user"] ?? "") \($0["action"] ?? "") \($0["outcome"] ?? "")" }
        let decided = [("ops3", "request"), ("ops3", "preflight"), ("ops1", "approve")]
        #expect(rows.prefix(3) == decided.map { "\($0.0) \($0.1) done" }[...], "\(rows)")
        for (entry, (user, action)) in zip(entries, decided) {
            #expect(entry["tty"] as? String == terminals[user], "\(action) on \(user)'s dashboard terminal: \(entry)")
        }
        #expect(rows.contains("ops1 rollback done"), "\(rows)\n\(logs)")
        for entry in entries {
            #expect(entry["ssh_client"] as? String == "127.0.0.1", "\(entry)")
        }
        let verify = try await lab.locus(as: "ops3", ["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
    }
}
