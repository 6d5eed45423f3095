import Foundation
import LocusTestSupport
import Testing

/// The runner SIGKILLed right after each step is recorded done, and once while the slowed mover runs:
/// another Locus records the migration interrupted when the lease runs out, the journal and the audit
/// say exactly what was done, and `locus migrate resume` completes it without doing any step again
/// (the lab counts the mover's invocations) — or a rollback from interrupted puts it back.
@Suite(.serialized, .enabled(if: OperatorAccounts.canCreate, "needs root to create the operator accounts"))
struct MigrationCutoverCrashEndToEndTests {
    enum KillPoint: CustomStringConvertible {
        case whileMoverRuns
        case afterDone(String)

        var description: String {
            switch self {
            case .whileMoverRuns: "while the mover runs"
            case .afterDone(let step): "after \(step) done"
            }
        }

        func reached(_ steps: [(name: String, state: String)]) -> Bool {
            switch self {
            case .whileMoverRuns: steps.contains { $0.name == "mover" && $0.state == "running" }
            case .afterDone(let prefix): steps.contains { $0.name.hasPrefix(prefix) && $0.state == "done" }
            }
        }
    }

    /// Requests a re-addressing move of the first workload whose preflight passes.
    static func requestReady(_ lab: MigrationLab, among workloads: inout [String]) async throws -> (String, String) {
        while !workloads.isEmpty {
            let workload = workloads.removeFirst()
            let address = try MigrationCutoverEndToEndTests.newAddress(for: workload, lab)
            if let id = try? await lab.request(workload, as: "ops1", address: address) { return (workload, id) }
        }
        throw TestServerError("no workload left whose preflight passes")
    }

    @Test func aRunnerKilledAtEveryStepIsInterruptedAndResumedWithoutRepeatingAnyStep() async throws {
        let lab = try await MigrationLab(
            approvers: ["ops2"],
            cutover: .init(labArguments: ["--move-delay", "2s"])
        )
        let pooled = try lab.workloadsWithPoolMember()
        var candidates = pooled + lab.sites.keys.sorted().filter { !pooled.contains($0) }
        let points: [KillPoint] = [
            .afterDone("loadbalancer"), .whileMoverRuns, .afterDone("mover"), .afterDone("mapping"),
            .afterDone("dns"), .afterDone("ptr"),
        ]
        for point in points {
            let (workload, id) = try await Self.requestReady(lab, among: &candidates)
            #expect(try await lab.locus(as: "ops2", ["migrate", "approve", id]).status == 0)
            let reached = try await lab.show(id, within: .seconds(30)) { point.reached($0.stepStates) }
            let lease = try #require(reached["lease"] as? [String: Any], "\(point): \(reached)")
            let pid = try #require(lease["pid"] as? Int)
            #expect(kill(pid_t(pid), SIGKILL) == 0, "\(point)")

            // Another Locus, once the lease has run out, records and shows the interruption.
            let interrupted = try await lab.show(id, within: .seconds(20)) { $0.state == "interrupted" }
            #expect(interrupted.state == "interrupted", "\(point): \(interrupted)")
            #expect(interrupted["lease"] is NSNull, "\(point)")
            let done = interrupted.stepStates.filter { $0.state == "done" }.map(\.name)
            let audit = try await lab.json(as: "ops3", ["audit"])
            let details = (audit["entries"] as? [[String: Any]] ?? []).filter { $0["object"] as? String == id }
                .compactMap { $0["detail"] as? String }
            for step in done {
                #expect(details.filter { $0.hasPrefix("\(step) done") }.count == 1, "\(point): \(step)")
            }

            // The mover of the killed runner runs on in its own process group; resume waits for it.
            var resumed = try await lab.locus(as: "ops2", ["migrate", "resume", id])
            let deadline = ContinuousClock.now + .seconds(20)
            while resumed.stderr.contains("still has processes"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(500))
                resumed = try await lab.locus(as: "ops2", ["migrate", "resume", id])
            }
            #expect(resumed.status == 0, "\(point): \(resumed.stderr)\(resumed.stdout)")
            let completed = try await lab.json(as: "ops3", ["migrate", "show", id])
            #expect(completed.state == "completed", "\(point): \(completed)")
            #expect(completed.stepStates.allSatisfy { $0.state == "done" }, "\(point): \(completed.stepStates)")
            #expect(try lab.moverInvocations(of: workload) == 1, "\(point): the mover ran again")
            let after = try await lab.json(as: "ops3", ["audit"])
            let actions = (after["entries"] as? [[String: Any]] ?? []).filter { $0["object"] as? String == id }
                .compactMap { $0["action"] as? String }
            #expect(actions.contains("fail") && actions.contains("resume"), "\(point): \(actions)")
        }
        let verify = try await lab.locus(as: "ops3", ["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        try await lab.shutDown()
    }

    @Test func anInterruptedCutoverRollsBack() async throws {
        let lab = try await MigrationLab(approvers: ["ops2"], cutover: .init())
        let moved = try #require(try lab.workloadsWithPoolMember().first)
        let oldAddress = try lab.address(of: moved)
        let id = try await lab.request(
            moved,
            as: "ops1",
            address: try MigrationCutoverEndToEndTests.newAddress(for: moved, lab)
        )
        #expect(try await lab.locus(as: "ops2", ["migrate", "approve", id]).status == 0)
        let reached = try await lab.show(id) { KillPoint.afterDone("dns").reached($0.stepStates) }
        let pid = try #require((reached["lease"] as? [String: Any])?["pid"] as? Int)
        kill(pid_t(pid), SIGKILL)
        let interrupted = try await lab.show(id, within: .seconds(20)) { $0.state == "interrupted" }
        #expect(interrupted.state == "interrupted")
        let back = try await lab.locus(as: "ops2", ["migrate", "rollback", id])
        #expect(back.status == 0, "\(back.stderr)\(back.stdout)")
        let rolledBack = try await lab.json(as: "ops3", ["migrate", "show", id])
        #expect(rolledBack.state == "rolled-back", "\(rolledBack)")
        #expect(try lab.dig(["\(moved).lab.test", "A"]) == oldAddress)
        #expect(try lab.poolMemberAddress(backend: "be_web", server: moved) == oldAddress)
        try await lab.shutDown()
    }
}
