import Foundation
import LocusCore
import LocusTestSupport
import Testing

@testable import LocusStore

/// The runner's rules on PostgreSQL: the lease, `max_running`, the abort request and the audit of a
/// heartbeat, held by `locus_apply` whatever the client sends.
extension PostgresMigrationStoreTests {
    /// The process the store's client names: this one, on this host. Whole seconds, so that the
    /// database's words (whole seconds) can be compared exactly.
    static func lease(for login: String, lasting seconds: TimeInterval) -> MigrationLease {
        MigrationLease(
            holder: login,
            pid: getpid(),
            host: ProcessInfo.processInfo.hostName,
            expiresAt: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + seconds).rounded(.down))
        )
    }

    static func act(_ action: MigrationAction, on id: String, by store: PostgresStore) async throws -> Migration {
        try await store.apply(action, to: id, expectedVersion: nil, policy: policy, origin: P.origin, at: Date())
    }

    /// The refusal `action` meets, or nil (recorded as an issue) when it is taken or fails otherwise.
    static func refusal(
        of action: MigrationAction,
        on id: String,
        by store: PostgresStore
    ) async -> MigrationRefusal? {
        do {
            let taken = try await store.apply(
                action,
                to: id,
                expectedVersion: nil,
                policy: policy,
                origin: P.origin,
                at: Date()
            )
            Issue.record("\(action.kind) was taken: \(taken.state)")
        } catch {
            if case .refused(let refusal) = error { return refusal }
            Issue.record("\(action.kind) failed: \(error)")
        }
        return nil
    }

    /// Requested by ops3, approved by ops1.
    static func approved(
        _ id: String,
        workload: String = "web-07",
        requester: PostgresStore,
        approver: PostgresStore
    ) async throws -> Migration {
        let ready = try await P.ready(id, workload: workload, on: requester, by: "ops3")
        return try await act(.approve(digest: ready.preflight!.digest), on: ready.id, by: approver)
    }

    static func holder(_ lease: MigrationLease) -> String {
        "\(lease.holder) (pid \(lease.pid) on \(lease.host)) holds it until \(RFC3339.string(from: lease.expiresAt))"
    }

    @Test func aSecondRunnerIsRefusedWhileTheFirstsLeaseLastsAndTakesOverAfter() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let ops3 = try P.store(cluster, as: "ops3")
        let ops1 = try P.store(cluster, as: "ops1")
        let ops2 = try P.store(cluster, as: "ops2")
        let approved = try await Self.approved("m-00000001", requester: ops3, approver: ops1)
        let first = Self.lease(for: "ops1", lasting: 2)
        let claimed = try await Self.act(.claim(lease: first, note: "waits for the window"), on: approved.id, by: ops1)
        #expect(claimed.state == .approved && claimed.lease == first)

        let second = Self.lease(for: "ops2", lasting: 600)
        for action in [MigrationAction.claim(lease: second), .start(lease: second)] {
            let refusal = await Self.refusal(of: action, on: approved.id, by: ops2)
            #expect(refusal?.reason == .notLeaseHolder)
            #expect(refusal?.message == "migration m-00000001 already has a runner: \(Self.holder(first))")
        }
        #expect(try await ops3.migration(id: approved.id) == claimed)

        try await Task.sleep(for: .seconds(first.expiresAt.timeIntervalSinceNow + 0.3))
        let started = try await Self.act(.start(lease: second, note: "took over"), on: approved.id, by: ops2)
        #expect(started.state == .executing && started.lease == second)
        let interrupt = await Self.refusal(of: .interrupt(reason: "silent"), on: approved.id, by: ops3)
        #expect(interrupt?.reason == .illegalState)
        #expect(interrupt?.message == "migration m-00000001 is running: \(Self.holder(second))")

        let audit = try await ops3.auditEntries(since: nil)
        #expect(audit.map(\.action) == ["request", "preflight", "approve", "run", "run", "run", "run", "fail"])
        #expect(audit.map(\.user) == ["ops3", "ops3", "ops1", "ops1", "ops2", "ops2", "ops2", "ops3"])
        #expect(audit[3].detail == "waits for the window" && audit[3].before == "approved")
        #expect(audit[4].outcome == "refused: migration m-00000001 already has a runner: \(Self.holder(first))")
        #expect(audit[6].detail == "took over" && audit[6].after == "executing")
        #expect(AuditChain.verify(audit) == .intact(count: audit.count, head: audit.last!.hash))
        for store in [owner, ops1, ops2, ops3] { await store.close() }
    }

    @Test func runNowTakesOverARunnerThatOnlyWaitsAndACancelEndsItsLease() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let ops3 = try P.store(cluster, as: "ops3")
        let ops1 = try P.store(cluster, as: "ops1")
        let ops2 = try P.store(cluster, as: "ops2")
        let approved = try await Self.approved("m-00000002", requester: ops3, approver: ops1)
        let waiting = Self.lease(for: "ops1", lasting: 600)
        _ = try await Self.act(.claim(lease: waiting, note: "waits for the window"), on: approved.id, by: ops1)

        let now = Self.lease(for: "ops2", lasting: 600)
        let taken = try await Self.act(.claim(lease: now, note: "--now", takeOver: true), on: approved.id, by: ops2)
        #expect(taken.state == .approved && taken.lease == now)
        let renewal = await Self.refusal(of: .renewLease(waiting), on: approved.id, by: ops1)
        #expect(renewal?.reason == .notLeaseHolder)

        let cancelled = try await Self.act(.cancel(reason: "freeze"), on: approved.id, by: ops3)
        #expect(cancelled.state == .cancelled)
        #expect(try await ops3.migration(id: approved.id)?.lease == nil)
        for store in [owner, ops1, ops2, ops3] { await store.close() }
    }

    /// `locus_apply` as psql would send it: a journal in the name of the process `actor` names.
    static func forgedJournal(of migration: Migration, actor: String?) -> String {
        let lease = migration.lease.map {
            #", "lease": {"holder": "\#($0.holder)", "pid": \#($0.pid), "host": "\#($0.host)", "#
                + #""expires_at": \#(PostgresMigrationRows.millis($0.expiresAt) + 3_600_000)}"#
        }
        let payload =
            #"{"detail": "dns done", "next": {"state": "executing", "steps": [{"name": "dns", "state": "done", "#
            + #""detail": "forged"}]\#(lease ?? "")}\#(actor.map { #", "actor": \#($0)"# } ?? "")}"#
        return
            "SELECT locus_apply('\(migration.id)', 'journal', NULL, \(migration.version), '\(payload)', "
            + #"'{"uid": 0, "host": "h"}')"#
    }

    @Test func aJournalFromAProcessThatDoesNotHoldTheLeaseIsRefusedByTheDatabase() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let ops3 = try P.store(cluster, as: "ops3")
        let ops1 = try P.store(cluster, as: "ops1")
        let approved = try await Self.approved("m-00000001", requester: ops3, approver: ops1)
        let lease = Self.lease(for: "ops1", lasting: 600)
        _ = try await Self.act(.start(lease: lease), on: approved.id, by: ops1)
        let step = MigrationStep(name: "dns", state: .running, detail: "updating 2 records")
        let journaled = try await Self.act(.journal(step), on: approved.id, by: ops1)
        #expect(journaled.steps.map(\.name) == ["dns"] && journaled.lease == lease)
        #expect(try await ops3.auditEntries(since: nil).last?.detail == "dns running: updating 2 records")

        let host = ProcessInfo.processInfo.hostName
        let expected = "migration m-00000001: only its runner may do that; \(Self.holder(lease))"
        for (login, actor) in [
            ("ops1", #"{"pid": 1, "host": "\#(host)"}"#),  // the same login, another process
            ("ops1", #"{"pid": \#(getpid()), "host": "elsewhere"}"#),
            ("ops1", nil),
            ("ops2", #"{"pid": \#(getpid()), "host": "\#(host)"}"#),  // the holder's process, another login
        ] {
            let answer = try cluster.execute(as: login, Self.forgedJournal(of: journaled, actor: actor))
            let outcome = try JSONDecoder().decode([String: String].self, from: Data(answer.utf8))
            #expect(outcome == ["result": "refused", "reason": "notLeaseHolder", "message": expected], "\(login)")
        }
        #expect(try await ops3.migration(id: approved.id) == journaled, "nothing was changed")
        let refused = try await ops3.auditEntries(since: nil).suffix(4)
        #expect(refused.map(\.user) == ["ops1", "ops1", "ops1", "ops2"])
        #expect(refused.allSatisfy { $0.action == "step" && $0.outcome == "refused: \(expected)" })

        // The holder itself, over SQL: the database took the pid and host, not the client's code.
        let own = try cluster.execute(
            as: "ops1",
            Self.forgedJournal(of: journaled, actor: #"{"pid": \#(getpid()), "host": "\#(host)"}"#)
        )
        #expect(own.contains(#""result": "done""#), "\(own)")
        #expect(try await ops3.migration(id: approved.id)?.lease == lease, "a journal leaves the lease as it was")
        for store in [owner, ops1, ops3] { await store.close() }
    }

    @Test func anAbortRequestSurvivesARoundTripAndARollbackClearsIt() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let ops3 = try P.store(cluster, as: "ops3")
        let ops1 = try P.store(cluster, as: "ops1")
        let ops2 = try P.store(cluster, as: "ops2")
        let approved = try await Self.approved("m-00000001", requester: ops3, approver: ops1)
        _ = try await Self.act(.start(lease: Self.lease(for: "ops1", lasting: 600)), on: approved.id, by: ops1)
        let before = Date().addingTimeInterval(-1)
        let aborted = try await Self.act(.abort(reason: "the change window closed"), on: approved.id, by: ops2)
        let request = try #require(aborted.abortRequested)
        #expect(request.user == "ops2" && request.action == "abort")
        #expect(request.at > before && request.at < Date().addingTimeInterval(1), "the server's time")
        #expect(try await ops3.migration(id: approved.id) == aborted)
        #expect(try await ops3.auditEntries(since: nil).last?.detail == "the change window closed")

        // The runner's next step keeps it; its failure too; a rollback (a new run) clears it.
        let step = MigrationStep(name: "dns", state: .done)
        #expect(try await Self.act(.journal(step), on: approved.id, by: ops1).abortRequested == request)
        let failed = try await Self.act(.fail(reason: "aborted after dns"), on: approved.id, by: ops1)
        #expect(failed.state == .failed && failed.lease == nil && failed.abortRequested == request)
        let lease = Self.lease(for: "ops1", lasting: 600)
        let rolling = try await Self.act(.rollback(lease: lease), on: approved.id, by: ops1)
        #expect(rolling.state == .rollingBack && rolling.lease == lease && rolling.abortRequested == nil)
        #expect(try await ops3.migration(id: approved.id)?.abortRequested == nil)
        for store in [owner, ops1, ops2, ops3] { await store.close() }
    }

    @Test func aLeaseRenewalIsAHeartbeatNotAnAuditEntryButItsRefusalIs() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let ops3 = try P.store(cluster, as: "ops3")
        let ops1 = try P.store(cluster, as: "ops1")
        let ops2 = try P.store(cluster, as: "ops2")
        let approved = try await Self.approved("m-00000001", requester: ops3, approver: ops1)
        let lease = Self.lease(for: "ops1", lasting: 60)
        _ = try await Self.act(.claim(lease: lease), on: approved.id, by: ops1)
        let entries = try await ops3.auditEntries(since: nil).count

        let longer = Self.lease(for: "ops1", lasting: 120)
        let renewed = try await Self.act(.renewLease(longer), on: approved.id, by: ops1)
        #expect(renewed.state == .approved && renewed.lease == longer, "a waiting runner renews too")
        #expect(try await ops3.auditEntries(since: nil).count == entries)

        let refusal = await Self.refusal(
            of: .renewLease(Self.lease(for: "ops2", lasting: 600)),
            on: approved.id,
            by: ops2
        )
        #expect(refusal?.reason == .notLeaseHolder)
        let audit = try await ops3.auditEntries(since: nil)
        #expect(audit.count == entries + 1)
        #expect(
            audit.last?.outcome == "refused: migration m-00000001: only its runner may do that; \(Self.holder(longer))"
        )
        #expect(AuditChain.verify(audit) == .intact(count: audit.count, head: audit.last!.hash))
        for store in [owner, ops1, ops2, ops3] { await store.close() }
    }

    /// Holds `locus_action`, the first table `locus_apply` reads, until `count` calls wait behind it
    /// (or 10 s pass), then lets them go at once: without it two starts rarely meet in the database,
    /// and would count one after the other even without the advisory lock. True when they all queued.
    static func holdLocusAction(
        until count: Int,
        on owner: PostgresStore,
        signaling held: AsyncStream<Void>.Continuation
    ) async throws -> Bool {
        try await owner.withTransaction("holding locus_action") { connection in
            try await connection.run("LOCK TABLE locus_action IN ACCESS EXCLUSIVE MODE", logger: owner.logger)
            held.yield()
            held.finish()
            for _ in 0..<1000 {
                let waiting = try await connection.rows(
                    "SELECT count(*)::integer AS n FROM pg_locks WHERE relation = 'locus_action'::regclass AND NOT granted",
                    logger: owner.logger
                )[0].value("n", as: Int.self)
                if waiting >= count { return true }
                try await Task.sleep(for: .milliseconds(10))
            }
            return false
        }
    }

    @Test func twoConcurrentStartsTakeTheLastPlaceUnderMaxRunningOnlyOnce() async throws {
        let cluster = try P.cluster()
        let owner = try await P.initialized(cluster)
        let ops3 = try P.store(cluster, as: "ops3")
        let runners = [("ops1", try P.store(cluster, as: "ops1")), ("ops2", try P.store(cluster, as: "ops2"))]
        let ops1 = runners[0].1
        let running = try await Self.approved("m-00000100", workload: "db-01", requester: ops3, approver: ops1)
        _ = try await Self.act(.start(lease: Self.lease(for: "ops1", lasting: 600)), on: running.id, by: ops1)

        for round in 0..<10 {
            let ids = runners.indices.map { String(format: "m-%08x", 2 * round + $0) }
            for (index, id) in ids.enumerated() {
                _ = try await Self.approved(id, workload: "web-\(round)-\(index)", requester: ops3, approver: ops1)
            }
            // The one other cutover and these two: with max_running 2 only one of them may start.
            let (held, signal) = AsyncStream<Void>.makeStream()
            async let released = Self.holdLocusAction(until: runners.count, on: owner, signaling: signal)
            for await _ in held { break }
            let outcomes = await withTaskGroup(of: (Int, Result<Migration, MigrationStoreError>).self) { group in
                for (index, (login, store)) in runners.enumerated() {
                    group.addTask {
                        do {
                            let lease = Self.lease(for: login, lasting: 600)
                            let action = MigrationAction.start(lease: lease, maxRunning: 2)
                            return (index, .success(try await Self.act(action, on: ids[index], by: store)))
                        } catch let error as MigrationStoreError {
                            return (index, .failure(error))
                        } catch {
                            return (index, .failure(.storage("\(error)")))
                        }
                    }
                }
                return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            #expect(try await released, "round \(round): both starts met inside the database")
            let winners = outcomes.filter { (try? $0.value.get()) != nil }.map(\.key)
            #expect(winners.count == 1, "round \(round): \(outcomes)")
            for (index, outcome) in outcomes where !winners.contains(index) {
                guard case .failure(.refused(let refusal)) = outcome else {
                    Issue.record("round \(round): \(outcome)")
                    continue
                }
                #expect(refusal.reason == .busy)
                #expect(refusal.message == "migration \(ids[index]) waits its turn: 2 cutovers run (max_running 2)")
            }
            // The winner's cutover ends, so the next round starts with one other running again.
            for index in winners {
                _ = try await Self.act(.fail(reason: "round \(round) over"), on: ids[index], by: runners[index].1)
            }
        }
        let executing = try cluster.execute("SELECT count(*) FROM migration WHERE state = 'executing'")
        #expect(executing == "1\n")
        let audit = try await ops3.auditEntries(since: nil)
        #expect(audit.filter { $0.outcome.hasPrefix("refused: ") }.count == 10)
        #expect(AuditChain.verify(audit) == .intact(count: audit.count, head: audit.last!.hash))
        for store in [owner, ops3] + runners.map(\.1) { await store.close() }
    }
}
