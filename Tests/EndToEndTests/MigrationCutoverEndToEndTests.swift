import Foundation
import LocusTestSupport
import Testing

/// Cutovers in the lab, as real Unix users: ops1 requests, ops2 approves, and the runner the approval
/// starts (detached, as ops2) moves the workload with the lab's mover, follows the mapping, changes
/// the lab's DNS server and its real HAProxy, and verifies — checked with `dig` and the Runtime API.
@Suite(.serialized, .enabled(if: OperatorAccounts.canCreate, "needs root to create the operator accounts"))
struct MigrationCutoverEndToEndTests {
    static let approvers = ["ops2"]

    /// A new address for `workload` outside every lab subnet in use.
    static func newAddress(for workload: String, _ lab: MigrationLab) throws -> String {
        let old = try lab.address(of: workload).split(separator: ".")
        return "10.\(old[1]).9.\(old[3])"
    }

    @Test(arguments: MigrationStoreKind.available)
    func aSameAddressAndAReaddressingMoveRunToGreenAndARollbackPutsItAllBack(store: MigrationStoreKind) async throws {
        let lab = try await MigrationLab(approvers: Self.approvers, store: store, cutover: .init())
        let pooled = try lab.workloadsWithPoolMember()
        let moved = try #require(pooled.first)
        let still = try #require(lab.sites.keys.sorted().first { !pooled.contains($0) })

        let same = try await lab.request(still, as: "ops1", address: nil)
        let run = try await lab.locus(as: "ops2", ["migrate", "approve", same, "--wait"])
        #expect(run.status == 0, "\(run.stderr)\(run.stdout)")
        #expect(run.stdout.contains("mapping done"), "\(run.stdout)")
        let completed = try await lab.json(as: "ops3", ["migrate", "show", same])
        #expect(completed.state == "completed", "\(completed)")
        #expect(completed.stepStates.map(\.name) == ["mover", "mapping", "verify"])
        #expect(completed.stepStates.allSatisfy { $0.state == "done" })
        #expect((completed["time_to_green_s"] as? Double ?? -1) >= 0, "\(completed)")
        #expect(try lab.moverInvocations(of: still) == 1)

        let oldAddress = try lab.address(of: moved)
        let newAddress = try Self.newAddress(for: moved, lab)
        let record = "\(moved).lab.test"
        #expect(try lab.dig([record, "A"]) == oldAddress)
        let readdressed = try await lab.request(moved, as: "ops1", address: newAddress)
        let second = try await lab.locus(as: "ops2", ["migrate", "approve", readdressed, "--wait"])
        #expect(second.status == 0, "\(second.stderr)\(second.stdout)")
        let green = try await lab.json(as: "ops3", ["migrate", "show", readdressed])
        #expect(green.state == "completed", "\(green)")
        #expect(
            green.stepStates.map(\.name)
                == [
                    "mover", "mapping", "dns \(record).", "ptr \(record).", "loadbalancer lab-lb be_web/\(moved)",
                    "firewall fw-\(lab.sites[moved] ?? "?")", "verify",
                ],
            "\(green.stepStates)"
        )
        #expect(try lab.dig([record, "A"]) == newAddress)
        #expect(try lab.dig(["-x", newAddress]) == "\(record).")
        #expect(try lab.dig(["-x", oldAddress]).isEmpty)
        #expect(try lab.poolMemberAddress(backend: "be_web", server: moved) == newAddress)
        #expect(green["time_to_green_s"] is Double)

        let back = try await lab.locus(as: "ops2", ["migrate", "rollback", readdressed])
        #expect(back.status == 0, "\(back.stderr)\(back.stdout)")
        let rolledBack = try await lab.json(as: "ops3", ["migrate", "show", readdressed])
        #expect(rolledBack.state == "rolled-back", "\(rolledBack)")
        #expect(try lab.dig([record, "A"]) == oldAddress)
        #expect(try lab.dig(["-x", oldAddress]) == "\(record).")
        #expect(try lab.poolMemberAddress(backend: "be_web", server: moved) == oldAddress)
        #expect(rolledBack.stepStates.contains { $0.name == "rollback-mapping" && $0.state == "done" })
        #expect(try lab.moverInvocations(of: moved) == 2)

        let verify = try await lab.locus(as: "ops3", ["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        try await lab.shutDown()
    }

    @Test func aDNSStepThatFailsFailsTheMigrationNamingWhyAndRollbackRestoresTheRest() async throws {
        let lab = try await MigrationLab(
            approvers: Self.approvers,
            cutover: .init(labArguments: ["--fail-step", "dns"])
        )
        let moved = try #require(try lab.workloadsWithPoolMember().first)
        let oldAddress = try lab.address(of: moved)
        let id = try await lab.request(moved, as: "ops1", address: try Self.newAddress(for: moved, lab))
        let run = try await lab.locus(as: "ops2", ["migrate", "approve", id, "--wait"])
        #expect(run.status == 1, "\(run.stdout)")
        let failed = try await lab.json(as: "ops3", ["migrate", "show", id])
        #expect(failed.state == "failed")
        let outcome = failed["outcome"] as? String ?? ""
        #expect(outcome.contains("step dns \(moved).lab.test. failed") && outcome.contains("REFUSED"), "\(outcome)")
        #expect(
            failed.stepStates.contains { $0.name == "loadbalancer lab-lb be_web/\(moved)" && $0.state == "planned" }
        )
        #expect(try lab.poolMemberAddress(backend: "be_web", server: moved) == oldAddress)

        // A rollback decided on an older version (what a dashboard showed before a change) is refused
        // by the runner's claim, and changes nothing.
        let version = try #require(failed["migration_version"] as? Int)
        let stale = try await lab.locus(
            as: "ops2",
            ["migrate", "rollback", id, "--expect-version", String(version - 1)]
        )
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("changed meanwhile"), "\(stale.stderr)")
        let unchanged = try await lab.json(as: "ops3", ["migrate", "show", id])
        #expect(unchanged.state == "failed" && unchanged["migration_version"] as? Int == version)

        let back = try await lab.locus(
            as: "ops2",
            ["migrate", "rollback", id, "--expect-version", String(version)]
        )
        #expect(back.status == 0, "\(back.stderr)\(back.stdout)")
        let rolledBack = try await lab.json(as: "ops3", ["migrate", "show", id])
        #expect(rolledBack.state == "rolled-back")
        // What began is undone: the refused record is looked at and found unchanged, the pool member
        // never began.
        let undone = rolledBack.stepStates.map(\.name).filter { $0.hasPrefix("rollback-") }
        #expect(
            undone == ["rollback-dns \(moved).lab.test.", "rollback-mover", "rollback-mapping", "rollback-verify"],
            "\(undone)"
        )
        let undoneDNS =
            (rolledBack["steps"] as? [[String: Any]] ?? [])
            .first { $0["name"] as? String == "rollback-dns \(moved).lab.test." }?["detail"] as? String ?? ""
        #expect(undoneDNS.hasPrefix("already done"), "\(undoneDNS)")
        #expect(try lab.dig(["\(moved).lab.test", "A"]) == oldAddress)
        #expect(try lab.poolMemberAddress(backend: "be_web", server: moved) == oldAddress)
        try await lab.shutDown()
    }

    @Test func aRecordChangedBehindLocusBackFailsTheDNSStepAndIsNeverOverwritten() async throws {
        let lab = try await MigrationLab(
            approvers: Self.approvers,
            cutover: .init(labArguments: ["--move-delay", "3s"])
        )
        let moved = try #require(try lab.workloadsWithPoolMember().first)
        let oldAddress = try lab.address(of: moved)
        let id = try await lab.request(moved, as: "ops1", address: try Self.newAddress(for: moved, lab))
        let approve = try await lab.locus(as: "ops2", ["migrate", "approve", id])
        #expect(approve.status == 0, "\(approve.stderr)")
        // While the slowed mover runs, somebody else points the record elsewhere.
        _ = try await lab.show(id) { $0.stepStates.contains { $0.name == "mover" && $0.state == "running" } }
        try lab.changeRecordBehindLocusBack("\(moved).lab.test", to: "192.0.2.99")
        let failed = try await lab.show(id) { $0.state == "failed" }
        #expect(failed.state == "failed", "\(failed)")
        let outcome = failed["outcome"] as? String ?? ""
        #expect(outcome.contains("points to 192.0.2.99, expected \(oldAddress)"), "\(outcome)")
        #expect(try lab.dig(["\(moved).lab.test", "A"]) == "192.0.2.99")

        let back = try await lab.locus(as: "ops2", ["migrate", "rollback", id])
        #expect(back.status == 0, "\(back.stderr)\(back.stdout)")
        #expect(try lab.dig(["\(moved).lab.test", "A"]) == "192.0.2.99", "somebody else's change stays")
        #expect(try lab.poolMemberAddress(backend: "be_web", server: moved) == oldAddress)
        try await lab.shutDown()
    }

    @Test func theApprovingProcessKilledBySIGHUPLeavesTheCutoverRunningToTheEnd() async throws {
        let lab = try await MigrationLab(
            approvers: Self.approvers,
            cutover: .init(labArguments: ["--move-delay", "3s"])
        )
        let workload = try #require(lab.sites.keys.sorted().first)
        let id = try await lab.request(workload, as: "ops1", address: nil)
        let configFile = lab.configFile
        let waiting = Task {
            try await ChildProcess.runDetached(
                "/usr/sbin/runuser",
                ["-u", "ops2", "--", LocusBinary.path, "migrate", "approve", id, "--wait", "--config", configFile]
            )
        }
        _ = try await lab.show(id) { $0.stepStates.contains { $0.name == "mover" && $0.state == "running" } }
        _ = try ChildProcess.run("/usr/bin/pkill", ["-HUP", "-u", "ops2", "-f", "migrate approve"])
        let hungUp = try await waiting.value
        #expect(hungUp.status != 0, "\(hungUp.stdout)")
        let completed = try await lab.show(id) { $0.state == "completed" }
        #expect(completed.state == "completed", "\(completed)")
        try await lab.shutDown()
    }

    @Test func twoRunnersForOneMigrationRunEachStepOnce() async throws {
        let lab = try await MigrationLab(
            approvers: Self.approvers,
            cutover: .init(labArguments: ["--move-delay", "2s"])
        )
        let workload = try #require(lab.sites.keys.sorted().first)
        let id = try await lab.request(workload, as: "ops1", address: nil)
        #expect(try await lab.locus(as: "ops2", ["migrate", "approve", id]).status == 0)
        // Whichever of the two claims the migration first runs it; the other is refused.
        let second = try await lab.locus(as: "ops2", ["migrate", "run", id])
        #expect(
            second.status == 0 || second.stderr.contains("already has a runner")
                || second.stderr.contains("only an approved migration runs"),
            "\(second.stderr)"
        )
        let completed = try await lab.show(id) { $0.state == "completed" }
        #expect(completed.state == "completed")
        #expect(try lab.moverInvocations(of: workload) == 1)
        let audit = try await lab.json(as: "ops3", ["audit"])
        let starts = (audit["entries"] as? [[String: Any]] ?? []).filter {
            $0["object"] as? String == id && $0["detail"] as? String == "mover running"
        }
        #expect(starts.count == 1, "\(starts)")
        try await lab.shutDown()
    }

    @Test func maxRunningHoldsWithThreeApprovedAtOnce() async throws {
        let lab = try await MigrationLab(
            approvers: Self.approvers,
            cutover: .init(labArguments: ["--move-delay", "2s"], maxRunning: 1)
        )
        let workloads = Array(lab.sites.keys.sorted().prefix(3))
        var ids: [String] = []
        for workload in workloads { ids.append(try await lab.request(workload, as: "ops1", address: nil)) }
        for id in ids { #expect(try await lab.locus(as: "ops2", ["migrate", "approve", id]).status == 0) }
        var most = 0
        let deadline = ContinuousClock.now + .seconds(90)
        var states: [String] = []
        while ContinuousClock.now < deadline {
            let list = try await lab.json(as: "ops3", ["migrate", "list"])
            states = (list["migrations"] as? [[String: Any]] ?? []).map { $0.state }
            most = max(most, states.filter { ["executing", "verifying"].contains($0) }.count)
            if states.allSatisfy({ $0 == "completed" }) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(states == ["completed", "completed", "completed"], "\(states)")
        #expect(most == 1)
        try await lab.shutDown()
    }

    /// A one-minute window two days from now, in CONFIG.md's form.
    static func closedWindow() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = Date().addingTimeInterval(2 * 86_400)
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: start)
        let day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][(parts.weekday ?? 1) - 1]
        let hour = parts.hour ?? 0
        return String(format: "%@ %02d:00-%@ %02d:01 UTC", day, hour, day, hour)
    }

    @Test func outsideTheMaintenanceWindowTheRunnerWaitsAndRunNowStartsIt() async throws {
        let lab = try await MigrationLab(
            approvers: Self.approvers,
            cutover: .init(maintenanceWindow: Self.closedWindow())
        )
        let workload = try #require(lab.sites.keys.sorted().first)
        let id = try await lab.request(workload, as: "ops1", address: nil)
        #expect(try await lab.locus(as: "ops2", ["migrate", "approve", id]).status == 0)
        let waiting = try await lab.show(id, within: .seconds(20)) { $0["lease"] is [String: Any] }
        #expect(waiting.state == "approved")
        #expect((waiting["runner"] as? String ?? "").hasPrefix("approved, starts in "), "\(waiting)")
        try await Task.sleep(for: .seconds(2))
        #expect(try await lab.json(as: "ops3", ["migrate", "show", id]).state == "approved", "it waits")

        let now = try await lab.locus(as: "ops2", ["migrate", "run", id, "--now"])
        #expect(now.status == 0, "\(now.stderr)\(now.stdout)")
        let completed = try await lab.json(as: "ops3", ["migrate", "show", id])
        #expect(completed.state == "completed")
        #expect(try lab.moverInvocations(of: workload) == 1)
        let audit = try await lab.json(as: "ops3", ["audit"])
        let notes = (audit["entries"] as? [[String: Any]] ?? []).filter { $0["object"] as? String == id }
            .compactMap { $0["detail"] as? String }
        #expect(notes.contains { $0.contains("--now") }, "\(notes)")
        try await lab.shutDown()
    }

    @Test func anAbortStopsTheCutoverAfterTheStepInProgressAndRollbackIsOffered() async throws {
        let lab = try await MigrationLab(
            approvers: Self.approvers,
            cutover: .init(labArguments: ["--move-delay", "3s"])
        )
        let workload = try #require(lab.sites.keys.sorted().first)
        let id = try await lab.request(workload, as: "ops1", address: nil)
        #expect(try await lab.locus(as: "ops2", ["migrate", "approve", id]).status == 0)
        _ = try await lab.show(id) { $0.stepStates.contains { $0.name == "mover" && $0.state == "running" } }
        let notApprover = try await lab.locus(as: "ops3", ["migrate", "abort", id])
        #expect(notApprover.status == 1)
        #expect(notApprover.stderr.contains("ops3 is not an approver"), "\(notApprover.stderr)")
        let abort = try await lab.locus(as: "ops2", ["migrate", "abort", id, "--reason", "change freeze"])
        #expect(abort.status == 0, "\(abort.stderr)")
        let failed = try await lab.show(id) { $0.state == "failed" }
        #expect(failed.state == "failed", "\(failed)")
        #expect((failed["outcome"] as? String ?? "").contains("aborted by ops2"), "\(failed)")
        #expect(failed.stepStates.first { $0.name == "mover" }?.state == "done", "the step in progress finishes")
        #expect(failed.stepStates.first { $0.name == "mapping" }?.state == "planned")
        let back = try await lab.locus(as: "ops2", ["migrate", "rollback", id])
        #expect(back.status == 0, "\(back.stderr)\(back.stdout)")
        try await lab.shutDown()
    }
}
