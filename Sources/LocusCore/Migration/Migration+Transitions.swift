import Foundation

extension Migration {
    /// The migration after `action`, or the refusal naming why it cannot be taken.
    ///
    /// The one transition function: the table of legal moves is `MigrationAction.Kind.moves`; this
    /// adds who may act and what must hold (digest, expiry, four eyes). The result has its version
    /// counted up and names `actor` as the last change.
    ///
    /// - Parameter othersRunning: cutovers of other migrations running now, counted by the store in
    ///   the same transaction (only `start` reads it).
    public func applying(
        _ action: MigrationAction,
        by actor: MigrationActor,
        at now: Date,
        policy: ApprovalPolicy,
        othersRunning: Int = 0
    ) throws(MigrationRefusal) -> Migration {
        let kind = action.kind
        guard kind.moves.from.contains(state) else { throw .illegal(kind, on: self) }
        try checkRights(for: kind, actor: actor, policy: policy)
        if state.awaitsApproval, kind != .expire, kind != .cancel, kind != .reject, now >= expiresAt(policy: policy) {
            throw MigrationRefusal(
                .expired,
                "migration \(id) expired at \(RFC3339.string(from: expiresAt(policy: policy))), "
                    + "\(Self.hours(policy.expireAfterSeconds)) after its request without full approval"
            )
        }
        var next = self
        switch action {
        case .recordPreflight(let result):
            next.recordPreflight(result, at: now, policy: policy)
        case .approve(let digest):
            try next.approve(digest: digest, by: actor, at: now, policy: policy)
        case .reject(let reason):
            guard actor.user != requestedBy else {
                throw MigrationRefusal(
                    .ownRequest,
                    "\(actor.user) requested migration \(id) and cannot reject it; cancel it instead"
                )
            }
            next.state = .rejected
            next.outcome = try Self.required(reason, what: "a reason for rejecting")
        case .cancel(let reason):
            next.state = .cancelled
            next.outcome = reason.isEmpty ? "cancelled by \(actor.user)" : reason
        case .expire:
            guard now >= expiresAt(policy: policy) else {
                throw MigrationRefusal(
                    .invalid,
                    "migration \(id) does not expire before \(RFC3339.string(from: expiresAt(policy: policy)))"
                )
            }
            next.state = .expired
            next.outcome = "not fully approved within \(Self.hours(policy.expireAfterSeconds)) of the request"
        case .voidApprovals(let reason):
            next.state = .ready
            next.approvals = []
            next.outcome = reason
        case .claim(let lease, _, let takeOver):
            // An approved migration's runner only waits: an approver may replace it to start at once.
            if !takeOver { try checkNoOtherRunner(than: actor, at: now) }
            next.lease = lease
        case .start(let lease, let maxRunning, _):
            try checkNoOtherRunner(than: actor, at: now)
            if let reason = voidReason(at: now, policy: policy) {
                throw MigrationRefusal(.digestChanged, "migration \(id) cannot start: \(reason)")
            }
            if let maxRunning, othersRunning >= maxRunning {
                throw MigrationRefusal(
                    .busy,
                    "migration \(id) waits its turn: \(othersRunning) cutovers run (max_running \(maxRunning))"
                )
            }
            next.state = .executing
            next.lease = lease
        case .renewLease(let lease):
            try checkLease(held: actor, at: now)
            next.lease = lease
        case .journal(let step):
            try checkLease(held: actor, at: now)
            if let index = next.steps.firstIndex(where: { $0.name == step.name }) {
                next.steps[index] = step
            } else {
                next.steps.append(step)
            }
        case .abort:
            next.abortRequested = StateChange(user: actor.user, at: now, action: action.auditName)
        case .verify:
            try checkLease(held: actor, at: now)
            next.state = .verifying
        case .complete(let timeToGreen):
            try checkLease(held: actor, at: now)
            next.state = .completed
            next.timeToGreen = timeToGreen
            next.lease = nil
        case .fail(let reason), .failRollback(let reason):
            try checkLease(held: actor, at: now)
            next.state = kind.moves.to.first ?? state
            next.outcome = reason
            next.lease = nil
        case .interrupt(let reason):
            if let lease, lease.expiresAt > now {
                throw MigrationRefusal(
                    .illegalState,
                    "migration \(id) is running: \(lease.holder) (pid \(lease.pid) on \(lease.host)) holds it until "
                        + RFC3339.string(from: lease.expiresAt)
                )
            }
            next.state = .interrupted
            next.outcome = reason
            next.lease = nil
        case .resume(let lease):
            try checkNoOtherRunner(than: actor, at: now)
            next.state = .executing
            next.lease = lease
            next.abortRequested = nil
        case .rollback(let lease):
            try checkNoOtherRunner(than: actor, at: now)
            next.state = .rollingBack
            next.lease = lease
            next.abortRequested = nil
        case .finishRollback:
            try checkLease(held: actor, at: now)
            next.state = .rolledBack
            next.lease = nil
        }
        // A waiting runner's lease ends with the approval it waited on (voided, cancelled): a runner
        // started by the next approval must not find it in its way.
        if state == .approved, next.state != .approved, next.state != .executing { next.lease = nil }
        // A renewal is the runner's heartbeat, not a change anybody decides on: it leaves the version an
        // operator's compare-and-set is made against, and who made the last change, alone.
        guard kind != .renewLease else { return next }
        next.version += 1
        next.lastChange = StateChange(user: actor.user, at: now, action: action.auditName)
        return next
    }

    /// Why the approvals of an approved migration no longer hold (another digest, or older than
    /// `expire_after`), or nil when they do.
    public func voidReason(at now: Date, policy: ApprovalPolicy) -> String? {
        guard let digest = preflight?.digest else { return "it has no preflight" }
        if let other = approvals.first(where: { $0.digest != digest }) {
            return "the approval by \(other.user) was given on digest \(other.digest.prefix(8)), "
                + "the preflight's is now \(digest.prefix(8))"
        }
        if let old = approvals.first(where: { $0.expiresAt <= now }) {
            return "the approval by \(old.user) at \(RFC3339.string(from: old.at)) is older than "
                + Self.hours(policy.expireAfterSeconds)
        }
        if approvals.count < policy.requiredApprovals {
            return "it has \(approvals.count) of the \(policy.requiredApprovals) approvals it needs"
        }
        return nil
    }

    /// Only the runner holding an unexpired lease moves a running migration on.
    private func checkLease(held actor: MigrationActor, at now: Date) throws(MigrationRefusal) {
        guard actor.holds(lease, at: now) else {
            let holder = lease.map {
                "\($0.holder) (pid \($0.pid) on \($0.host)) holds it until \(RFC3339.string(from: $0.expiresAt))"
            }
            throw MigrationRefusal(
                .notLeaseHolder,
                "migration \(id): only its runner may do that; " + (holder ?? "no runner holds it")
            )
        }
    }

    /// A second runner is refused while another one's lease lasts.
    private func checkNoOtherRunner(than actor: MigrationActor, at now: Date) throws(MigrationRefusal) {
        guard let lease, lease.expiresAt > now, !actor.holds(lease, at: now) else { return }
        throw MigrationRefusal(
            .notLeaseHolder,
            "migration \(id) already has a runner: \(lease.holder) (pid \(lease.pid) on \(lease.host)) holds it until "
                + RFC3339.string(from: lease.expiresAt)
        )
    }

    private func checkRights(
        for kind: MigrationAction.Kind,
        actor: MigrationActor,
        policy: ApprovalPolicy
    ) throws(MigrationRefusal) {
        if kind.needsApprover, !policy.allows(actor) {
            let list =
                policy.approvers.isEmpty
                ? "nobody is ([approvals] approvers is empty)" : policy.approvers.joined(separator: ", ")
            throw MigrationRefusal(
                .notApprover,
                "\(actor.user) is not an approver (approvers: \(list)): cannot \(kind) migration \(id)"
            )
        }
        if kind == .cancel, actor.user != requestedBy, !policy.allows(actor) {
            throw MigrationRefusal(
                .notRequesterOrApprover,
                "\(actor.user) neither requested migration \(id) (\(requestedBy) did) nor is an approver: cannot cancel it"
            )
        }
    }

    private mutating func recordPreflight(_ result: PreflightResult, at now: Date, policy: ApprovalPolicy) {
        let previous = preflight?.digest
        preflight = result
        if state == .approved {
            if result.passed, approvals.allSatisfy({ $0.digest == result.digest }) { return }
            let why =
                result.passed
                ? "digest changed from \(previous?.prefix(8) ?? "none") to \(result.digest.prefix(8))"
                : "preflight failed: " + result.failures.map(\.name).joined(separator: ", ")
            outcome = "approval void: \(why)"
            approvals = []
            state = .ready
            return
        }
        approvals.removeAll { $0.digest != result.digest || $0.expiresAt <= now }
        state = result.passed ? .ready : .blocked
    }

    private mutating func approve(
        digest: String,
        by actor: MigrationActor,
        at now: Date,
        policy: ApprovalPolicy
    ) throws(MigrationRefusal) {
        guard actor.user != requestedBy else {
            throw MigrationRefusal(
                .ownRequest,
                "\(actor.user) requested migration \(id) and cannot approve it: another approver must"
            )
        }
        guard let current = preflight?.digest else {
            throw MigrationRefusal(
                .preflightMissing,
                "migration \(id) has no preflight yet: run `locus migrate preflight \(id)`"
            )
        }
        guard digest == current else {
            throw MigrationRefusal(
                .digestChanged,
                "migration \(id) changed since it was shown: its digest is now \(current.prefix(8)), not \(digest.prefix(8)); look at it again"
            )
        }
        var valid = approvals.filter { $0.digest == current && $0.expiresAt > now }
        if let mine = valid.first(where: { $0.user == actor.user }) {
            throw MigrationRefusal(
                .alreadyApprovedByYou,
                "\(actor.user) already approved migration \(id) at \(RFC3339.string(from: mine.at)); four eyes need another approver"
            )
        }
        valid.append(
            Approval(
                user: actor.user,
                at: now,
                digest: current,
                expiresAt: now.addingTimeInterval(policy.expireAfterSeconds)
            )
        )
        approvals = valid
        state = valid.count >= policy.requiredApprovals ? .approved : .ready
    }

    private static func required(_ text: String, what: String) throws(MigrationRefusal) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw MigrationRefusal(.invalid, "\(what) is required") }
        return trimmed
    }

    static func hours(_ seconds: Double) -> String {
        let whole = Int(seconds)
        if whole % 3600 == 0 { return "\(whole / 3600)h" }
        if whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole)s"
    }
}
