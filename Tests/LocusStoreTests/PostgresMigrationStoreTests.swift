import Foundation
import LocusCore
import LocusTestSupport
import Testing

@testable import LocusStore

@Suite(
    "PostgreSQL migration store",
    .enabled(if: PostgresFixtures.installed, "needs PostgreSQL 15 in /usr/lib/postgresql/15/bin")
)
struct PostgresMigrationStoreTests {
    typealias P = PostgresFixtures

    /// The config's policy; the database applies the one `locus store init` wrote.
    static let policy = ApprovalPolicy(P.approvals)

    @Test func aRequestPreflightAndApprovalAreRecordedAsTheSessionUserWithTheirAuditChain() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let ops3 = try P.store(cluster, as: "ops3")
        let ops1 = try P.store(cluster, as: "ops1")
        #expect(try await ops3.actingUser() == "ops3")
        let ready = try await P.ready("m-00000001", on: ops3, by: "ops3")
        #expect(ready.state == .ready)
        #expect(ready.preflight == P.preflight().withTime(of: ready.preflight))
        let approved = try await ops1.apply(
            .approve(digest: ready.preflight!.digest),
            to: ready.id,
            expectedVersion: ready.version,
            policy: Self.policy,
            origin: P.origin,
            at: Date()
        )
        #expect(approved.state == .approved)
        #expect(approved.version == 3)
        #expect(approved.lastChange.user == "ops1")
        #expect(approved.approvals.map(\.user) == ["ops1"])
        #expect(try await ops3.migration(id: ready.id) == approved)
        #expect(try await ops3.migrations() == [approved])

        let audit = try await ops1.auditEntries(since: nil)
        #expect(audit.map(\.action) == ["request", "preflight", "approve"])
        #expect(audit.map(\.outcome) == ["done", "done", "done"])
        #expect(audit.map(\.user) == ["ops3", "ops3", "ops1"], "session_user, never the caller's word")
        #expect(audit.allSatisfy { $0.uid == 4242 && $0.tty == "/dev/pts/3" && $0.sshClient == "127.0.0.9" })
        #expect(audit.last?.before == "ready" && audit.last?.after == "approved")
        #expect(audit.last?.digest == ready.preflight?.digest)
        guard case .intact(let count, let head) = AuditChain.verify(audit) else {
            Issue.record("the chain written by the database must verify: \(AuditChain.verify(audit))")
            return
        }
        #expect(count == 3)
        #expect(head == audit.last?.hash)
        for store in [owner, ops1, ops3] { await store.close() }
    }

    @Test func refusalsUseTheWordsOfTheTransitionFunctionAndAreAudited() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let ops3 = try P.store(cluster, as: "ops3")
        let ready = try await P.ready("m-00000001", on: ops3, by: "ops3")
        let own = await #expect(throws: MigrationStoreError.self) {
            try await ops3.apply(
                .approve(digest: ready.preflight!.digest),
                to: ready.id,
                expectedVersion: nil,
                policy: ApprovalPolicy(approvers: ["ops3"], fourEyes: false, expireAfterSeconds: 3600),
                origin: P.origin,
                at: Date()
            )
        }
        #expect(own?.description.hasPrefix("ops3 is not an approver (approvers: ops1, ops2)") == true, "\(own!)")
        let noReason = await #expect(throws: MigrationStoreError.self) {
            try await ops3.apply(
                .reject(reason: " "),
                to: ready.id,
                expectedVersion: nil,
                policy: Self.policy,
                origin: P.origin,
                at: Date()
            )
        }
        #expect(noReason?.description.hasPrefix("ops3 is not an approver") == true)
        let twice = await #expect(throws: MigrationStoreError.self) {
            try await ops3.request(P.draft(id: "m-00000002", by: "ops3"), origin: P.origin)
        }
        #expect(twice?.description.contains("web-07 already has an open migration: m-00000001") == true)
        let forged = await #expect(throws: MigrationStoreError.self) {
            try await ops3.request(P.draft(id: "m-00000003", workload: "db-01", by: "ops1"), origin: P.origin)
        }
        #expect(forged?.description == "ops3 cannot request a migration as ops1")
        #expect(try await ops3.migration(id: ready.id) == ready)
        let audit = try await ops3.auditEntries(since: nil)
        #expect(audit.map(\.outcome.first) == ["d", "d", "r", "r", "r", "r"])
        #expect(audit.allSatisfy { $0.user == "ops3" })
        #expect(AuditChain.verify(audit) == .intact(count: 6, head: audit.last!.hash))
        for store in [owner, ops3] { await store.close() }
    }

    @Test func aStaleVersionIsRefusedNamingWhoWon() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let ops3 = try P.store(cluster, as: "ops3")
        let requested = try await ops3.request(P.draft(id: "m-00000001", by: "ops3"), origin: P.origin)
        _ = try await ops3.apply(
            .recordPreflight(P.preflight()),
            to: requested.id,
            expectedVersion: 1,
            policy: Self.policy,
            origin: P.origin,
            at: Date()
        )
        let error = await #expect(throws: MigrationStoreError.self) {
            try await ops3.apply(
                .cancel(reason: ""),
                to: requested.id,
                expectedVersion: 1,
                policy: Self.policy,
                origin: P.origin,
                at: Date()
            )
        }
        guard case .conflict(_, let current, 1) = error else {
            Issue.record("expected a conflict, got \(String(describing: error))")
            return
        }
        #expect(current.state == .ready)
        #expect(error?.description.contains("it is now ready (preflight by ops3") == true)
        let last = try #require(try await ops3.auditEntries(since: nil).last)
        #expect(last.action == "cancel")
        #expect(
            last.outcome.hasPrefix(
                "refused: migration m-00000001 changed meanwhile: it is now ready (preflight by ops3"
            )
        )
        for store in [owner, ops3] { await store.close() }
    }

    @Test func exactlyOneOfTwoConcurrentApprovalsWins() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let requester = try P.store(cluster, as: "ops3")
        let approvers = [try P.store(cluster, as: "ops1"), try P.store(cluster, as: "ops2")]
        for round in 0..<50 {
            let ready = try await P.ready(
                String(format: "m-%08x", round),
                workload: "web-\(round)",
                on: requester,
                by: "ops3"
            )
            let outcomes = await withTaskGroup(of: Result<Migration, MigrationStoreError>.self) { group in
                for approver in approvers {
                    group.addTask {
                        do {
                            return .success(
                                try await approver.apply(
                                    .approve(digest: ready.preflight!.digest),
                                    to: ready.id,
                                    expectedVersion: ready.version,
                                    policy: Self.policy,
                                    origin: P.origin,
                                    at: Date()
                                )
                            )
                        } catch let error as MigrationStoreError {
                            return .failure(error)
                        } catch {
                            return .failure(.storage("\(error)"))
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let winners = outcomes.compactMap { try? $0.get() }
            #expect(winners.count == 1, "round \(round): \(outcomes)")
            let losers = outcomes.compactMap { outcome -> MigrationStoreError? in
                if case .failure(let error) = outcome { return error }
                return nil
            }
            #expect(losers.allSatisfy { if case .conflict = $0 { true } else { false } }, "round \(round)")
            let stored = try #require(try await requester.migration(id: ready.id))
            #expect(stored.state == .approved && stored.approvals.count == 1 && stored.version == 3)
        }
        let audit = try await requester.auditEntries(since: nil)
        #expect(audit.count == 50 * 4)
        #expect(AuditChain.verify(audit) == .intact(count: 200, head: audit.last!.hash))
        for store in [owner, requester] + approvers { await store.close() }
    }

    @Test func onlyTheOwnerMarksALabStoreAndOnlyALabStoreTakesTheLabsRequests() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let ops3 = try P.store(cluster, as: "ops3")
        let refused = await #expect(throws: MigrationStoreError.self) {
            try await ops3.request(P.draft(id: "m-00000001", by: "lab"), origin: P.origin)
        }
        #expect(refused?.description.contains("only a store `locus lab` created accepts the lab's requests") == true)
        let denied = await #expect(throws: MigrationStoreError.self) { try await ops3.markAsLabStore() }
        #expect(denied?.description.contains("permission denied") == true, "\(denied.map { "\($0)" } ?? "")")
        #expect(try await ops3.isLabStore() == false)
        try await owner.markAsLabStore()
        #expect(try await ops3.isLabStore())
        let lab = try await ops3.request(P.draft(id: "m-00000001", by: "lab"), origin: P.origin)
        #expect(lab.requestedBy == "lab")
        #expect(try await ops3.auditEntries(since: nil).last?.user == "ops3")
        for store in [owner, ops3] { await store.close() }
    }
}

extension PreflightResult {
    /// This result with the time of `other`: the store keeps milliseconds.
    fileprivate func withTime(of other: PreflightResult?) -> PreflightResult {
        var result = self
        result.at = other?.at ?? at
        return result
    }
}
