import Foundation
import LocusTestSupport
import Testing

/// `locus migrate` and `locus audit` as real Unix users on one shared SQLite store over the lab:
/// who may decide is the login the process runs as, and every decision and refusal is in an audit
/// chain that verifies.
@Suite(.serialized, .enabled(if: OperatorAccounts.canCreate, "needs root to create the operator accounts"))
struct MigrationApprovalEndToEndTests {
    @Test(arguments: MigrationStoreKind.available)
    func aRequestIsApprovedByAnotherRealUserAndEveryRefusalIsAudited(store: MigrationStoreKind) async throws {
        let lab = try await MigrationLab(store: store)
        let workload = try #require(lab.sites.keys.sorted().first)

        let id = try await lab.request(workload, as: "ops1")
        let requested = try await lab.json(as: "ops3", ["migrate", "show", id])
        #expect(requested["state"] as? String == "ready", "\(requested)")
        #expect(requested["requested_by"] as? String == "ops1")
        let preflight = try #require(requested["preflight"] as? [String: Any])
        let digest = try #require(preflight["digest"] as? String)
        #expect(digest.count == 64)

        let notApprover = try await lab.locus(as: "ops3", ["migrate", "approve", id])
        #expect(notApprover.status == 1)
        #expect(notApprover.stderr.contains("ops3 is not an approver"), "\(notApprover.stderr)")
        let own = try await lab.locus(as: "ops1", ["migrate", "approve", id])
        #expect(own.status == 1)
        #expect(own.stderr.contains("ops1 requested migration \(id) and cannot approve it"), "\(own.stderr)")

        let approved = try await lab.json(as: "ops2", ["migrate", "approve", id])
        #expect(approved["state"] as? String == "approved")
        let approvals = try #require(approved["approvals"] as? [[String: Any]])
        #expect(approvals.map { $0["user"] as? String } == ["ops2"])
        #expect(approvals.first?["digest"] as? String == digest)

        let late = try await lab.locus(as: "ops1", ["migrate", "reject", id, "--reason", "too late"])
        #expect(late.status == 1)
        #expect(late.stderr.contains("is approved (approved by ops2 at"), "\(late.stderr)")

        let audit = try await lab.json(as: "ops3", ["audit"])
        let entries = try #require(audit["entries"] as? [[String: Any]])
        let rows = entries.map { entry in
            [entry["user"] as? String ?? "", entry["action"] as? String ?? "", entry["outcome"] as? String ?? ""]
        }
        #expect(rows.map { $0[0] } == ["ops1", "ops1", "ops3", "ops1", "ops2", "ops1"], "\(rows)")
        #expect(rows.map { $0[1] } == ["request", "preflight", "approve", "approve", "approve", "reject"])
        #expect(rows.map { $0[2].hasPrefix("refused") } == [false, false, true, true, false, true])
        for entry in entries {
            let user = try #require(entry["user"] as? String)
            #expect((entry["uid"] as? Int).map(UInt32.init) == OperatorAccounts.uid(of: user))
        }
        #expect(entries[4]["digest"] as? String == digest)

        let verify = try await lab.locus(as: "ops3", ["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("audit chain intact: 6 entries, head "), "\(verify.stdout)")
        try await lab.shutDown()
    }

    @Test func fourEyesNeedTwoDistinctRealApprovers() async throws {
        let lab = try await MigrationLab(approvers: ["ops1", "ops2"], fourEyes: true)
        let workload = try #require(lab.sites.keys.sorted().last)
        let id = try await lab.request(workload, as: "ops3")
        let first = try await lab.json(as: "ops1", ["migrate", "approve", id])
        #expect(first["state"] as? String == "ready")
        let again = try await lab.locus(as: "ops1", ["migrate", "approve", id])
        #expect(again.status == 1)
        #expect(again.stderr.contains("ops1 already approved migration \(id)"), "\(again.stderr)")
        let second = try await lab.json(as: "ops2", ["migrate", "approve", id])
        #expect(second["state"] as? String == "approved")
        try await lab.shutDown()
    }

    @Test(arguments: MigrationStoreKind.available)
    func twoProcessesApprovingOneMigrationAtTheSameInstantGiveExactlyOneApproval(store: MigrationStoreKind) async throws
    {
        let lab = try await MigrationLab(approvers: ["ops1", "ops2"], store: store)
        let workload = try #require(lab.sites.keys.sorted().first)
        for round in 1...50 {
            let id = try await lab.request(workload, as: "ops3", reason: "round \(round)")
            let gate = lab.scratch.file("go-\(round)")
            let configFile = lab.configFile
            // Both processes are started and spin until the gate file appears, then approve at once.
            let racers = ["ops1", "ops2"].map { user in
                Task {
                    try await ChildProcess.runDetached(
                        "/usr/sbin/runuser",
                        [
                            "-u", user, "--", "/bin/sh", "-c",
                            "while [ ! -e \"$0\" ]; do :; done; exec \"$1\" migrate approve \"$2\" --config \"$3\"",
                            gate, LocusBinary.path, id, configFile,
                        ]
                    )
                }
            }
            try await Task.sleep(for: .milliseconds(50))
            #expect(FileManager.default.createFile(atPath: gate, contents: nil))
            let results = try await [racers[0].value, racers[1].value]
            let winners = results.filter { $0.status == 0 }
            #expect(winners.count == 1, "round \(round): \(results.map { "\($0.status) \($0.stderr)" })")
            for loser in results where loser.status != 0 {
                #expect(loser.status == 1)
                #expect(
                    loser.stderr.contains("approved by ops") || loser.stderr.contains("changed meanwhile"),
                    "round \(round): \(loser.stderr)"
                )
            }
            let shown = try await lab.json(as: "ops3", ["migrate", "show", id])
            #expect((shown["approvals"] as? [Any])?.count == 1, "round \(round)")
            let cancel = try await lab.locus(as: "ops3", ["migrate", "cancel", id])
            #expect(cancel.status == 0, "\(cancel.stderr)")
        }
        let verify = try await lab.locus(as: "ops1", ["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        try await lab.shutDown()
    }

    @Test func aRequestNotApprovedWithinExpireAfterIsRecordedExpiredAndCannotBeApproved() async throws {
        let lab = try await MigrationLab(approvers: ["ops1"], expireAfter: "3s")
        let workload = try #require(lab.sites.keys.sorted().first)
        let id = try await lab.request(workload, as: "ops3")
        let deadline = ContinuousClock.now + .seconds(20)
        var state = ""
        while ContinuousClock.now < deadline, state != "expired" {
            let list = try await lab.json(as: "ops3", ["migrate", "list"])
            state =
                (list["migrations"] as? [[String: Any]])?.first { $0["id"] as? String == id }?["state"] as? String ?? ""
            if state != "expired" { try await Task.sleep(for: .milliseconds(250)) }
        }
        #expect(state == "expired")
        let late = try await lab.locus(as: "ops1", ["migrate", "approve", id])
        #expect(late.status == 1)
        #expect(late.stderr.contains("is expired (expired by ops3 at"), "\(late.stderr)")
        let audit = try await lab.json(as: "ops1", ["audit"])
        let actions = (audit["entries"] as? [[String: Any]] ?? []).map { $0["action"] as? String ?? "" }
        #expect(actions == ["request", "preflight", "expire", "approve"], "\(actions)")
        try await lab.shutDown()
    }
}
