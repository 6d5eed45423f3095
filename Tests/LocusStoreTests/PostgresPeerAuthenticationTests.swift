import Foundation
import LocusCore
import LocusTestSupport
import Testing

@testable import LocusStore

/// What an operator can do with psql and a login of their own, bypassing Locus: the database must
/// hold the rules whatever the client sends.
@Suite(
    "PostgreSQL rules under peer authentication",
    .enabled(if: PostgresFixtures.installed, "needs PostgreSQL 15 in /usr/lib/postgresql/15/bin")
)
struct PostgresPeerAuthenticationTests {
    typealias P = PostgresFixtures

    /// `locus_apply` as psql would send it: an approval naming `claimed` wherever a name fits.
    static func approval(of migration: Migration, claiming claimed: String) -> String {
        let digest = migration.preflight?.digest ?? ""
        let payload =
            #"{"digest": "\#(digest)", "detail": "", "user": "\#(claimed)", "next": {"state": "approved", "steps": [], "#
            + #""approvals": [{"user": "\#(claimed)", "digest": "\#(digest)"}]}}"#
        let origin = #"{"user": "\#(claimed)", "uid": 0, "host": "h"}"#
        return "SELECT locus_apply('\(migration.id)', 'approve', NULL, \(migration.version), '\(payload)', '\(origin)')"
    }

    @Test func aNonApproverCannotApproveNorApproveAsAnybodyElseNorEditTheAudit() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let ops1 = try P.store(cluster, as: "ops1")
        let ready = try await P.ready("m-00000001", on: ops1, by: "ops1")

        #expect(
            try cluster.execute(as: "ops3", "SELECT session_user") == "ops3\n",
            "peer: the server checked the login"
        )
        let answer = try cluster.execute(as: "ops3", Self.approval(of: ready, claiming: "ops2"))
        #expect(answer.contains(#""result": "refused""#))
        #expect(answer.contains("ops3 is not an approver (approvers: ops1, ops2): cannot approve migration m-00000001"))
        #expect(try await ops1.migration(id: ready.id) == ready)
        let last = try #require(try await ops1.auditEntries(since: nil).last)
        #expect(last.user == "ops3" && last.action == "approve" && last.outcome.hasPrefix("refused: "))

        let impersonation = try ChildProcess.run(
            "/usr/sbin/runuser",
            [
                "-u", "ops3", "--", "/usr/bin/psql", "-X", "-h", cluster.socketDirectory, "-p", String(cluster.port),
                "-U", "ops1", "-d", "locus", "-c", "SELECT 1",
            ]
        )
        #expect(impersonation.status != 0 && impersonation.stderr.contains("Peer authentication failed"))

        for sql in [
            #"UPDATE audit SET "user" = 'ops2'"#, "DELETE FROM audit", "TRUNCATE audit",
            #"INSERT INTO approval (migration_id, "user", at, digest, expires_at) VALUES ('m-00000001', 'ops2', 0, '', 0)"#,
            "UPDATE migration SET state = 'approved'", "INSERT INTO store_meta VALUES ('lab_store', '1')",
            "SELECT locus_append_audit('{}', 'approve', 'm-00000001', NULL, NULL, 'done', NULL, '', 0)",
            "UPDATE locus_policy SET four_eyes = false",
        ] {
            let output = try cluster.psql(as: "ops3", sql)
            #expect(output.status != 0 && output.stderr.contains("permission denied"), "\(sql): \(output.stderr)")
        }
        let owners = try cluster.psql(as: "postgres", #"UPDATE audit SET "user" = 'ops2'"#)
        #expect(owners.status != 0 && owners.stderr.contains("the audit log is append-only"), "\(owners.stderr)")
        let audit = try await ops1.auditEntries(since: nil)
        #expect(AuditChain.verify(audit) == .intact(count: audit.count, head: audit.last!.hash))
        for store in [owner, ops1] { await store.close() }
    }

    @Test func aConfigNamingAnotherApproverChangesNothingUntilTheOwnerRunsInitAgain() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let ops1 = try P.store(cluster, as: "ops1")
        let ready = try await P.ready("m-00000001", on: ops1, by: "ops1")
        let widened = ApprovalsConfig(approvers: ["ops1", "ops3", "@netops"], fourEyes: false)

        // ops3's own Locus, with an edited config: the database reads its own policy and roles.
        let ops3 = try P.store(cluster, as: "ops3")
        let refused = await #expect(throws: MigrationStoreError.self) {
            try await ops3.apply(
                .approve(digest: ready.preflight!.digest),
                to: ready.id,
                expectedVersion: ready.version,
                policy: ApprovalPolicy(widened),
                origin: P.origin,
                at: Date()
            )
        }
        #expect(refused?.description.hasPrefix("ops3 is not an approver (approvers: ops1, ops2)") == true)
        let byOps3 = await #expect(throws: MigrationStoreError.self) { try await ops3.initialize(approvals: widened) }
        #expect(byOps3?.description.contains("only the database owner may run `locus store init`") == true)
        let stillRefused = try cluster.execute(as: "ops3", Self.approval(of: ready, claiming: "ops3"))
        #expect(stillRefused.contains("ops3 is not an approver"))

        let lines = try await owner.initialize(approvals: widened)
        #expect(lines.contains("granted locus_approver to ops3"))
        let current = try #require(try await ops1.migration(id: ready.id))
        let approved = try cluster.execute(as: "ops3", Self.approval(of: current, claiming: "ops2"))
        #expect(approved.contains(#""result": "done""#), "\(approved)")
        let stored = try #require(try await ops1.migration(id: ready.id))
        #expect(
            stored.state == .approved && stored.approvals.map(\.user) == ["ops3"] && stored.lastChange.user == "ops3"
        )

        let narrowed = try await owner.initialize(approvals: P.approvals)
        #expect(narrowed.contains("revoked locus_approver from ops3"))
        let audit = try await ops1.auditEntries(since: nil)
        #expect(AuditChain.verify(audit) == .intact(count: audit.count, head: audit.last!.hash))
        for store in [owner, ops1] { await store.close() }
    }
}
