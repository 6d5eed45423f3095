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

        /// The condition on the store's `step` rows, for the watcher.
        var condition: String {
            switch self {
            case .whileMoverRuns: "s.name = 'mover' AND s.state = 'running' AND s.process_group IS NOT NULL"
            case .afterDone(let prefix): "s.name LIKE '\(prefix)%' AND s.state = 'done'"
            }
        }
    }

    /// Polls the store as fast as sqlite3 answers and SIGKILLs the runner holding the lease the
    /// moment `point` is recorded; prints the pid it killed.
    static let watcher = """
        S=$1; ID=$2; COND=$3
        end=$(( $(date +%s) + 60 ))
        while [ "$(date +%s)" -lt "$end" ]; do
            pid=$(sqlite3 -cmd '.timeout 2000' "$S" "SELECT l.pid FROM lease l JOIN step s ON s.migration_id = l.migration_id WHERE l.migration_id = '$ID' AND $COND LIMIT 1")
            if [ -n "$pid" ]; then kill -KILL "$pid"; echo "$pid"; exit 0; fi
        done
        exit 1
        """

    /// Starts watching for `point` of `id`; the task ends with the pid it killed.
    static func kill(_ lab: MigrationLab, _ id: String, at point: KillPoint) throws -> Task<Int, any Error> {
        let script = lab.scratch.file("watch.sh")
        try watcher.write(toFile: script, atomically: true, encoding: .utf8)
        let arguments = [script, lab.storeFile, id, point.condition]
        let name = point.description
        return Task {
            let result = try await ChildProcess.runDetached("/bin/sh", arguments)
            guard result.status == 0, let pid = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            else { throw TestServerError("\(name) was never recorded for \(arguments[2]): \(result.stderr)") }
            return pid
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
            cutover: .init(labArguments: ["--move-delay", "2s", "--dns-delay", "300ms"])
        )
        let pooled = try lab.workloadsWithPoolMember()
        var candidates = pooled + lab.sites.keys.sorted().filter { !pooled.contains($0) }
        let points: [KillPoint] = [
            .afterDone("loadbalancer"), .whileMoverRuns, .afterDone("mover"), .afterDone("mapping"),
            .afterDone("dns"), .afterDone("ptr"),
        ]
        for point in points {
            let (workload, id) = try await Self.requestReady(lab, among: &candidates)
            let watching = try Self.kill(lab, id, at: point)
            #expect(try await lab.locus(as: "ops2", ["migrate", "approve", id]).status == 0)
            _ = try await watching.value

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
        let lab = try await MigrationLab(approvers: ["ops2"], cutover: .init(labArguments: ["--dns-delay", "300ms"]))
        let moved = try #require(try lab.workloadsWithPoolMember().first)
        let oldAddress = try lab.address(of: moved)
        let id = try await lab.request(
            moved,
            as: "ops1",
            address: try MigrationCutoverEndToEndTests.newAddress(for: moved, lab)
        )
        let watching = try Self.kill(lab, id, at: .afterDone("dns"))
        #expect(try await lab.locus(as: "ops2", ["migrate", "approve", id]).status == 0)
        _ = try await watching.value
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
