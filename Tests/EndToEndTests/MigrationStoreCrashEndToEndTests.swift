import Foundation
import LocusTestSupport
import Testing

/// The shared SQLite store under the hard cases: a burst of decisions SIGKILLed at random moments,
/// and an audit log edited behind Locus's back.
@Suite(.serialized, .enabled(if: OperatorAccounts.canCreate, "needs root to create the operator accounts"))
struct MigrationStoreCrashEndToEndTests {
    /// Requests, refused approvals and cancellations, one `locus` process after another, forever.
    static let burst = """
        L=$1; C=$2; W=$3; T=$4
        while :; do
            id=$("$L" migrate request "$W" --to "$T" --reason burst --config "$C" --json 2>/dev/null \
                | sed -n 's/^  "id" : "\\(m-[0-9a-f]*\\)",$/\\1/p')
            "$L" migrate approve "$id" --config "$C" >/dev/null 2>&1
            "$L" migrate cancel "$id" --config "$C" >/dev/null 2>&1
        done
        """

    @Test(arguments: MigrationStoreKind.available)
    func aBurstOfDecisionsKilledAtRandomMomentsLeavesEveryDecisionWhollyThereOrAbsent(
        store: MigrationStoreKind
    ) async throws {
        let lab = try await MigrationLab(approvers: ["ops1"], store: store)
        let workload = try #require(lab.sites.keys.sorted().first)
        let seed = UInt64.random(in: 1...UInt64.max)
        var generator = SeededRandom(seed: seed)
        let script = lab.scratch.file("burst.sh")
        try Self.burst.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let arguments = [script, LocusBinary.path, lab.configFile, workload, lab.otherSite(than: workload)]
        for round in 1...12 {
            let burst = Task {
                try await ChildProcess.runDetached("/usr/sbin/runuser", ["-u", "ops3", "--", "/bin/sh"] + arguments)
            }
            let delay = Int.random(in: 300...2500, using: &generator)
            try await Task.sleep(for: .milliseconds(delay))
            try Self.killEveryProcess(of: "ops3")
            _ = try await burst.value

            if store == .sqlite {
                let integrity = try ChildProcess.run(
                    "/usr/bin/sqlite3",
                    ["-cmd", ".timeout 10000", lab.storeFile, "PRAGMA integrity_check"]
                )
                #expect(
                    integrity.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok",
                    "seed \(seed) round \(round): \(integrity.stderr)"
                )
            }
            let verify = try await lab.locus(as: "ops1", ["audit", "verify"])
            #expect(verify.status == 0, "seed \(seed) round \(round): \(verify.stderr)")
            try await Self.expectEveryDecisionWhole(lab, context: "seed \(seed) round \(round)")
            // A request killed before its preflight leaves an open migration: its requester cancels it.
            let open = try await lab.json(as: "ops3", ["migrate", "list"])
            for migration in open["migrations"] as? [[String: Any]] ?? [] {
                guard let id = migration["id"] as? String,
                    ["requested", "ready", "blocked"].contains(migration["state"] as? String)
                else { continue }
                _ = try await lab.locus(as: "ops3", ["migrate", "cancel", id])
            }
        }
        try await lab.shutDown()
    }

    /// SIGKILL until the user has no process left: a child the shell forked just as the first signal
    /// went out would otherwise go on writing while the store is checked.
    static func killEveryProcess(of user: String) throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            _ = try ChildProcess.run("/usr/bin/pkill", ["-KILL", "-u", user])
            if try ChildProcess.run("/usr/bin/pgrep", ["-u", user]).status != 0 { return }
            usleep(20_000)
        }
        throw TestServerError("processes of \(user) survived SIGKILL for 10 s")
    }

    /// Each migration's state and version are exactly what its `done` audit entries say: one entry
    /// per change, the last one's `after` its state.
    static func expectEveryDecisionWhole(_ lab: MigrationLab, context: String) async throws {
        let list = try await lab.json(as: "ops1", ["migrate", "list"])
        let audit = try await lab.json(as: "ops1", ["audit"])
        let entries = (audit["entries"] as? [[String: Any]] ?? []).filter { ($0["outcome"] as? String) == "done" }
        for migration in list["migrations"] as? [[String: Any]] ?? [] {
            let id = migration["id"] as? String ?? ""
            let changes = entries.filter { $0["object"] as? String == id }
            #expect(
                migration["migration_version"] as? Int == changes.count,
                "\(context): \(id) \(migration) \(changes)"
            )
            #expect(migration["state"] as? String == changes.last?["after"] as? String, "\(context): \(id)")
        }
        let ids = Set((list["migrations"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        for entry in entries where entry["action"] as? String == "request" {
            #expect(ids.contains(entry["object"] as? String ?? ""), "\(context): an audited request has no migration")
        }
    }

    @Test func theAuditLogRefusesEditsAndAnEditBehindTheTriggersIsNamedByVerify() async throws {
        let lab = try await MigrationLab(approvers: ["ops1"])
        let workload = try #require(lab.sites.keys.sorted().first)
        let id = try await lab.request(workload, as: "ops3")
        _ = try await lab.locus(as: "ops1", ["migrate", "approve", id])

        let refused = try ChildProcess.run(
            "/usr/bin/sqlite3",
            [lab.storeFile, "UPDATE audit SET user = 'mallory' WHERE sequence = 2"]
        )
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("append-only"), "\(refused.stderr)")
        let deleted = try ChildProcess.run("/usr/bin/sqlite3", [lab.storeFile, "DELETE FROM audit"])
        #expect(deleted.status != 0)
        #expect(try await lab.locus(as: "ops1", ["audit", "verify"]).status == 0)

        let edited = try ChildProcess.run(
            "/usr/bin/sqlite3",
            [
                lab.storeFile,
                "DROP TRIGGER audit_is_append_only_update; UPDATE audit SET user = 'mallory' WHERE sequence = 2",
            ]
        )
        #expect(edited.status == 0, "\(edited.stderr)")
        let verify = try await lab.locus(as: "ops1", ["audit", "verify"])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("audit chain broken at entry 2"), "\(verify.stderr)")
        #expect(verify.stderr.contains("mallory"), "\(verify.stderr)")
        try await lab.shutDown()
    }
}
