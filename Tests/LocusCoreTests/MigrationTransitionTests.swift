import Foundation
import LocusCore
import Testing

@Suite("Migration transitions")
struct MigrationTransitionTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let policy = ApprovalPolicy(
        approvers: ["ops1", "ops2", "@netops"],
        fourEyes: false,
        expireAfterSeconds: 4 * 3600
    )
    static let fourEyes = ApprovalPolicy(
        approvers: ["ops1", "ops2", "@netops"],
        fourEyes: true,
        expireAfterSeconds: 4 * 3600
    )
    /// The approver, in the process that runs the cutover (the lease names it).
    static let ops1 = MigrationActor(user: "ops1", pid: 4242, host: "jump-1")
    static let lease = MigrationLease(holder: "ops1", pid: 4242, host: "jump-1", expiresAt: at(1000))
    static let ops2 = MigrationActor(user: "ops2")
    static let requester = MigrationActor(user: "ops3")

    static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    static func preflight(digest: String = "d1", passed: Bool = true) -> PreflightResult {
        PreflightResult(
            digest: digest,
            checks: [PreflightCheck(name: "destination-rlocs", ok: passed, detail: "127.0.2.1 answered")],
            plan: [PlanChange(what: "mapping", target: "10.1.0.7/32", from: "dc-east", to: "dc-west")],
            at: at(1)
        )
    }

    static func requested() -> Migration {
        Migration(
            id: "m-00000001",
            workload: "web-07",
            fromSite: "dc-east",
            toSite: "dc-west",
            fromAddress: "10.1.0.7",
            toAddress: "10.1.0.7",
            reason: "rack retirement",
            requestedBy: "ops3",
            requestedAt: start
        )
    }

    /// A migration brought into `state` through legal moves only.
    static func migration(in state: MigrationState) throws -> Migration {
        var m = requested()
        func apply(_ action: MigrationAction, by actor: MigrationActor = ops1, at time: Double = 10) throws {
            m = try m.applying(action, by: actor, at: at(time), policy: policy)
        }
        switch state {
        case .requested: break
        case .ready: try apply(.recordPreflight(preflight()))
        case .blocked: try apply(.recordPreflight(preflight(passed: false)))
        case .approved:
            try apply(.recordPreflight(preflight()))
            try apply(.approve(digest: "d1"))
        case .rejected:
            try apply(.reject(reason: "not now"))
        case .cancelled:
            try apply(.cancel(reason: "changed my mind"), by: requester)
        case .expired:
            try apply(.expire, at: 5 * 3600)
        case .executing, .verifying, .completed, .failed, .interrupted, .rollingBack, .rolledBack, .rollbackFailed:
            m = try migration(in: .approved)
            try apply(.start(lease: lease))
            switch state {
            case .executing: break
            case .verifying: try apply(.verify)
            case .completed:
                try apply(.verify)
                try apply(.complete(timeToGreen: 42))
            case .failed: try apply(.fail(reason: "dns step failed"))
            case .interrupted: try apply(.interrupt(reason: "lease expired"), at: 1500)
            case .rollingBack, .rolledBack, .rollbackFailed:
                try apply(.fail(reason: "dns step failed"))
                try apply(.rollback(lease: lease))
                if state == .rolledBack { try apply(.finishRollback) }
                if state == .rollbackFailed { try apply(.failRollback(reason: "pool member moved")) }
            default: break
            }
        }
        #expect(m.state == state)
        return m
    }

    /// One action of each kind, valid in content, taken by an approver who is not the requester.
    static func sample(_ kind: MigrationAction.Kind) -> MigrationAction {
        switch kind {
        case .recordPreflight: .recordPreflight(preflight())
        case .approve: .approve(digest: "d1")
        case .reject: .reject(reason: "no")
        case .cancel: .cancel(reason: "no")
        case .expire: .expire
        case .voidApprovals: .voidApprovals(reason: "too old")
        case .claim: .claim(lease: lease)
        case .start: .start(lease: lease)
        case .renewLease: .renewLease(lease)
        case .journal: .journal(MigrationStep(name: "mover", state: .running))
        case .abort: .abort(reason: "stop")
        case .verify: .verify
        case .complete: .complete(timeToGreen: 1)
        case .fail: .fail(reason: "x")
        case .interrupt: .interrupt(reason: "lease expired")
        case .resume: .resume(lease: lease)
        case .rollback: .rollback(lease: lease)
        case .finishRollback: .finishRollback
        case .failRollback: .failRollback(reason: "x")
        }
    }

    static let pairs: [(MigrationState, MigrationAction.Kind)] = MigrationState.allCases.flatMap { state in
        MigrationAction.Kind.allCases.map { (state, $0) }
    }

    @Test(arguments: pairs)
    func everyStateAndActionIsEitherALegalMoveOrARefusalNamingTheState(
        state: MigrationState,
        kind: MigrationAction.Kind
    ) throws {
        let migration = try Self.migration(in: state)
        // Expiry is judged on time; every other action is taken well within expire_after.
        let time = kind == .expire ? Self.at(5 * 3600) : kind == .interrupt ? Self.at(1500) : Self.at(20)
        let legal = kind.moves.from.contains(state)
        do {
            let next = try migration.applying(Self.sample(kind), by: Self.ops1, at: time, policy: Self.policy)
            #expect(legal, "\(kind) from \(state) must be refused")
            #expect(kind.moves.to.contains(next.state), "\(kind) from \(state) led to \(next.state)")
            // A lease renewal is a heartbeat: the version and the last change stay.
            #expect(next.version == migration.version + (kind == .renewLease ? 0 : 1))
            #expect(kind == .renewLease || next.lastChange.user == "ops1")
        } catch {
            // An approved migration nobody has claimed has no lease to renew.
            #expect(
                !legal || state == .approved && [.recordPreflight, .renewLease].contains(kind),
                "\(kind) from \(state) refused: \(error)"
            )
            if !legal {
                #expect(error.reason == .illegalState)
                #expect(error.message.contains("is \(state)"))
                #expect(error.message.contains("by \(migration.lastChange.user) at"))
            }
        }
    }

    @Test func aRefusalNamesWhoPutTheMigrationInItsState() throws {
        let approved = try Self.migration(in: .approved)
        let error = #expect(throws: MigrationRefusal.self) {
            try approved.applying(.reject(reason: "late"), by: Self.ops2, at: Self.at(30), policy: Self.policy)
        }
        #expect(
            error?.message
                == "migration m-00000001 is approved (approved by ops1 at 2027-01-15T08:00:10Z): cannot reject it"
        )
    }

    @Test func theRequesterCannotApproveNorRejectButMayCancel() throws {
        let ready = try Self.migration(in: .ready)
        let policy = ApprovalPolicy(approvers: ["ops3", "ops1"], fourEyes: false, expireAfterSeconds: 3600)
        #expect(
            throws: MigrationRefusal(
                .ownRequest,
                "ops3 requested migration m-00000001 and cannot approve it: another approver must"
            )
        ) {
            try ready.applying(.approve(digest: "d1"), by: Self.requester, at: Self.at(30), policy: policy)
        }
        let rejected = #expect(throws: MigrationRefusal.self) {
            try ready.applying(.reject(reason: "x"), by: Self.requester, at: Self.at(30), policy: policy)
        }
        #expect(rejected?.reason == .ownRequest)
        let cancelled = try ready.applying(
            .cancel(reason: ""),
            by: Self.requester,
            at: Self.at(30),
            policy: Self.policy
        )
        #expect(cancelled.state == .cancelled)
    }

    @Test func aNonApproverIsRefusedAndToldWhoMay() throws {
        let ready = try Self.migration(in: .ready)
        let error = #expect(throws: MigrationRefusal.self) {
            try ready.applying(
                .approve(digest: "d1"),
                by: MigrationActor(user: "eve"),
                at: Self.at(30),
                policy: Self.policy
            )
        }
        #expect(error?.reason == .notApprover)
        #expect(error?.message.contains("approvers: ops1, ops2, @netops") == true)
        let cancel = #expect(throws: MigrationRefusal.self) {
            try ready.applying(
                .cancel(reason: ""),
                by: MigrationActor(user: "eve"),
                at: Self.at(30),
                policy: Self.policy
            )
        }
        #expect(cancel?.reason == .notRequesterOrApprover)
    }

    @Test func aMemberOfAnApproverGroupMayApprove() throws {
        let ready = try Self.migration(in: .ready)
        let member = MigrationActor(user: "nina", groups: ["netops", "users"])
        let approved = try ready.applying(.approve(digest: "d1"), by: member, at: Self.at(30), policy: Self.policy)
        #expect(approved.state == .approved)
        #expect(approved.approvals.map(\.user) == ["nina"])
        #expect(!Self.policy.allows(MigrationActor(user: "netops")))
    }

    @Test func fourEyesNeedTwoDistinctApprovers() throws {
        var m = Self.requested()
        m = try m.applying(.recordPreflight(Self.preflight()), by: Self.ops1, at: Self.at(1), policy: Self.fourEyes)
        m = try m.applying(.approve(digest: "d1"), by: Self.ops1, at: Self.at(2), policy: Self.fourEyes)
        #expect(m.state == .ready)
        #expect(m.approvalsMissing(policy: Self.fourEyes) == 1)
        let again = #expect(throws: MigrationRefusal.self) {
            try m.applying(.approve(digest: "d1"), by: Self.ops1, at: Self.at(3), policy: Self.fourEyes)
        }
        #expect(again?.reason == .alreadyApprovedByYou)
        m = try m.applying(.approve(digest: "d1"), by: Self.ops2, at: Self.at(4), policy: Self.fourEyes)
        #expect(m.state == .approved)
        #expect(m.approvals.map(\.user) == ["ops1", "ops2"])
    }

    @Test func anApprovalIsBoundToTheDigestItWasGivenOn() throws {
        let ready = try Self.migration(in: .ready)
        let stale = #expect(throws: MigrationRefusal.self) {
            try ready.applying(.approve(digest: "d0"), by: Self.ops1, at: Self.at(30), policy: Self.policy)
        }
        #expect(stale?.reason == .digestChanged)
        #expect(stale?.message.contains("digest is now d1") == true)
    }

    @Test func aChangedDigestVoidsTheApprovalAndAsksAgain() throws {
        let approved = try Self.migration(in: .approved)
        let same = try approved.applying(
            .recordPreflight(Self.preflight()),
            by: Self.requester,
            at: Self.at(40),
            policy: Self.policy
        )
        #expect(same.state == .approved)
        let changed = try approved.applying(
            .recordPreflight(Self.preflight(digest: "d2")),
            by: Self.requester,
            at: Self.at(40),
            policy: Self.policy
        )
        #expect(changed.state == .ready)
        #expect(changed.approvals.isEmpty)
        #expect(changed.outcome == "approval void: digest changed from d1 to d2")
        let failed = try approved.applying(
            .recordPreflight(Self.preflight(digest: "d3", passed: false)),
            by: Self.requester,
            at: Self.at(40),
            policy: Self.policy
        )
        #expect(failed.state == .ready)
        #expect(failed.outcome == "approval void: preflight failed: destination-rlocs")
    }

    @Test func aRequestNotApprovedWithinExpireAfterExpires() throws {
        let ready = try Self.migration(in: .ready)
        let late = Self.at(4 * 3600)
        let refused = #expect(throws: MigrationRefusal.self) {
            try ready.applying(.approve(digest: "d1"), by: Self.ops1, at: late, policy: Self.policy)
        }
        #expect(refused?.reason == .expired)
        let early = #expect(throws: MigrationRefusal.self) {
            try ready.applying(.expire, by: Self.requester, at: Self.at(3600), policy: Self.policy)
        }
        #expect(early?.reason == .invalid)
        let expired = try ready.applying(.expire, by: Self.requester, at: late, policy: Self.policy)
        #expect(expired.state == .expired)
    }

    @Test func anApprovalOlderThanExpireAfterCannotStartTheCutover() throws {
        let approved = try Self.migration(in: .approved)
        let started = try approved.applying(
            .start(lease: Self.lease),
            by: Self.ops1,
            at: Self.at(3600),
            policy: Self.policy
        )
        #expect(started.state == .executing)
        let tooLate = Self.at(10 + 4 * 3600)
        #expect(approved.voidReason(at: tooLate, policy: Self.policy)?.contains("older than 4h") == true)
        let refused = #expect(throws: MigrationRefusal.self) {
            try approved.applying(.start(lease: Self.lease), by: Self.ops1, at: tooLate, policy: Self.policy)
        }
        #expect(refused?.reason == .digestChanged)
        let void = try approved.applying(
            .voidApprovals(reason: "approval too old"),
            by: Self.ops1,
            at: tooLate,
            policy: Self.policy
        )
        #expect(void.state == .ready)
        #expect(void.approvals.isEmpty)
    }

    @Test func aRejectionNeedsAReason() throws {
        let ready = try Self.migration(in: .ready)
        let error = #expect(throws: MigrationRefusal.self) {
            try ready.applying(.reject(reason: "  "), by: Self.ops1, at: Self.at(30), policy: Self.policy)
        }
        #expect(error?.reason == .invalid)
    }

    @Test func theDigestTextLeavesOutTimesAndIsUnambiguous() {
        let a = PreflightResult.canonicalText(
            checks: [PreflightCheck(name: "a", ok: true, detail: "rtt 2 ms", compared: "x\u{1F}y")],
            plan: []
        )
        let b = PreflightResult.canonicalText(
            checks: [PreflightCheck(name: "a", ok: true, detail: "rtt 9 ms", compared: "x\u{1F}y")],
            plan: []
        )
        let c = PreflightResult.canonicalText(
            checks: [PreflightCheck(name: "a\u{1F}x", ok: true, detail: "", compared: "y")],
            plan: []
        )
        #expect(a == b)
        #expect(a != c)
    }

    @Test func onlyTheRunnerHoldingTheLeaseMovesARunningMigrationOn() throws {
        let executing = try Self.migration(in: .executing)
        let step = MigrationStep(name: "mover", state: .running, startedAt: Self.at(30))
        let journaled = try executing.applying(.journal(step), by: Self.ops1, at: Self.at(30), policy: Self.policy)
        #expect(journaled.steps == [step])
        var done = step
        done.state = .done
        let updated = try journaled.applying(.journal(done), by: Self.ops1, at: Self.at(31), policy: Self.policy)
        #expect(updated.steps == [done], "a step is journaled in place, before and after it acts")

        let otherProcess = MigrationActor(user: "ops1", pid: 99, host: "jump-1")
        let refused = #expect(throws: MigrationRefusal.self) {
            try executing.applying(.journal(step), by: otherProcess, at: Self.at(30), policy: Self.policy)
        }
        #expect(refused?.reason == .notLeaseHolder)
        #expect(refused?.message.contains("ops1 (pid 4242 on jump-1) holds it until") == true)
        let expired = #expect(throws: MigrationRefusal.self) {
            try executing.applying(.verify, by: Self.ops1, at: Self.at(1001), policy: Self.policy)
        }
        #expect(expired?.reason == .notLeaseHolder, "an expired lease is no lease")
    }

    @Test func aRunningMigrationIsInterruptedOnlyOnceItsLeaseExpired() throws {
        let executing = try Self.migration(in: .executing)
        let early = #expect(throws: MigrationRefusal.self) {
            try executing.applying(.interrupt(reason: "x"), by: Self.requester, at: Self.at(999), policy: Self.policy)
        }
        #expect(early?.message.contains("is running: ops1 (pid 4242 on jump-1) holds it until") == true)
        let interrupted = try executing.applying(
            .interrupt(reason: "the runner's lease expired"),
            by: Self.requester,
            at: Self.at(1000),
            policy: Self.policy
        )
        #expect(interrupted.state == .interrupted)
        #expect(interrupted.lease == nil)
    }

    @Test func aSecondRunnerIsRefused() throws {
        let executing = try Self.migration(in: .executing)
        let second = MigrationActor(user: "ops2", pid: 7, host: "jump-2")
        let lease = MigrationLease(holder: "ops2", pid: 7, host: "jump-2", expiresAt: Self.at(2000))
        let error = #expect(throws: MigrationRefusal.self) {
            try executing.applying(.start(lease: lease), by: second, at: Self.at(40), policy: Self.policy)
        }
        #expect(error?.reason == .illegalState)
    }

    @Test func aWaitingRunnerHoldsTheLeaseAndASecondOneIsRefused() throws {
        let approved = try Self.migration(in: .approved)
        let claimed = try approved.applying(
            .claim(lease: Self.lease, note: "waits for the maintenance window"),
            by: Self.ops1,
            at: Self.at(20),
            policy: Self.policy
        )
        #expect(claimed.state == .approved)
        #expect(claimed.lease == Self.lease)
        let second = MigrationActor(user: "ops2", pid: 7, host: "jump-2")
        let lease = MigrationLease(holder: "ops2", pid: 7, host: "jump-2", expiresAt: Self.at(2000))
        for action in [MigrationAction.claim(lease: lease), .start(lease: lease)] {
            let error = #expect(throws: MigrationRefusal.self) {
                try claimed.applying(action, by: second, at: Self.at(40), policy: Self.policy)
            }
            #expect(error?.reason == .notLeaseHolder)
            #expect(error?.message.contains("already has a runner: ops1 (pid 4242 on jump-1)") == true)
        }
        // Once the first runner's lease lapses, another may take over.
        let taken = try claimed.applying(.start(lease: lease), by: second, at: Self.at(1001), policy: Self.policy)
        #expect(taken.state == .executing)
        #expect(taken.lease?.holder == "ops2")
    }

    @Test func startWaitsWhileMaxRunningCutoversRun() throws {
        let approved = try Self.migration(in: .approved)
        let error = #expect(throws: MigrationRefusal.self) {
            try approved.applying(
                .start(lease: Self.lease, maxRunning: 2),
                by: Self.ops1,
                at: Self.at(20),
                policy: Self.policy,
                othersRunning: 2
            )
        }
        #expect(error?.reason == .busy)
        #expect(error?.message.contains("2 cutovers run (max_running 2)") == true)
        let started = try approved.applying(
            .start(lease: Self.lease, maxRunning: 2),
            by: Self.ops1,
            at: Self.at(20),
            policy: Self.policy,
            othersRunning: 1
        )
        #expect(started.state == .executing)
    }

    @Test func aWaitingRunnersLeaseEndsWithTheApprovalItWaitedOn() throws {
        let claimed = try Self.migration(in: .approved).applying(
            .claim(lease: Self.lease),
            by: Self.ops1,
            at: Self.at(20),
            policy: Self.policy
        )
        for action in [MigrationAction.cancel(reason: "freeze"), .voidApprovals(reason: "too old")] {
            let next = try claimed.applying(action, by: Self.ops1, at: Self.at(30), policy: Self.policy)
            #expect(next.lease == nil, "\(action.kind)")
        }
        let moved = try claimed.applying(
            .recordPreflight(Self.preflight(digest: "d2")),
            by: Self.ops1,
            at: Self.at(30),
            policy: Self.policy
        )
        #expect(moved.state == .ready)
        #expect(moved.lease == nil)
    }
}
