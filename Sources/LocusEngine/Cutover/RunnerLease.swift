import Foundation
import LocusCore
import LocusStore

/// The runner's hold on its migration: renewed every third of `runner_lease` while the runner
/// lives, so that a runner that dies (SIGKILL, a host gone) is found out within one lease.
///
/// An actor because the renewal task and the runner share whether the lease still holds.
actor RunnerLease {
    let id: String
    let store: any MigrationStore
    let policy: ApprovalPolicy
    let origin: AuditOrigin
    let duration: Duration
    private(set) var lost: String?
    /// Until when the store holds the lease for this runner, by the last claim or renewal that
    /// succeeded: past it another process may record the migration interrupted and take over.
    private var validUntil = Date.distantPast
    private var renewal: Task<Void, Never>?

    init(id: String, store: any MigrationStore, policy: ApprovalPolicy, origin: AuditOrigin, duration: Duration) {
        self.id = id
        self.store = store
        self.policy = policy
        self.origin = origin
        self.duration = duration
    }

    /// A lease for this process, lasting one `runner_lease` from `now`.
    nonisolated func lease(at now: Date = Date()) -> MigrationLease {
        MigrationLease(
            holder: origin.user,
            pid: getpid(),
            host: origin.host,
            expiresAt: now.addingTimeInterval(duration.timeInterval)
        )
    }

    /// - Parameter held: the lease the store just recorded for this runner.
    func startRenewing(held: MigrationLease?) {
        validUntil = held?.expiresAt ?? .distantPast
        guard renewal == nil else { return }
        let period = duration / 3
        renewal = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: period)
                guard let self, !Task.isCancelled else { return }
                await self.renew()
            }
        }
    }

    func stop() {
        renewal?.cancel()
        renewal = nil
    }

    /// Refuses to go on once the lease was lost or is about to lapse unrenewed (a third of it left).
    func checkHeld() throws(CutoverRunError) {
        if let lost { throw .leaseLost(lost) }
        let margin = duration.timeInterval / 3
        if Date().addingTimeInterval(margin) >= validUntil {
            throw .leaseLost(
                "it was not renewed in time (held until \(RFC3339.string(from: validUntil))): the store may be "
                    + "unreachable, or this process was paused"
            )
        }
    }

    private func renew() async {
        let renewed = lease()
        do {
            _ = try await store.apply(
                .renewLease(renewed),
                to: id,
                expectedVersion: nil,
                policy: policy,
                origin: origin,
                at: Date()
            )
            validUntil = renewed.expiresAt
        } catch {
            // A closed migration has no lease to renew: the runner is finishing.
            if case .refused(let refusal) = error, refusal.reason == .notLeaseHolder || refusal.reason == .illegalState
            {
                lost = refusal.message
                renewal?.cancel()
            }
            // A storage error is retried at the next period; the lease outlasts two of them.
        }
    }
}
