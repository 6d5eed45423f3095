import Foundation
import LISP
import LocusCore
import LocusStore
import NIOCore
import NIOPosix

/// Runs one approved migration's cutover, step by step, each journaled in the store before and after
/// it acts; resumes an interrupted one and rolls one back.
///
/// Only the process holding the migration's lease acts, and the lease is renewed while it lives, so a
/// second runner is refused and a dead one is found out within one `runner_lease`. What it does is
/// decided by the journal and by observing the world, never by memory: a step whose effect is already
/// there is marked done without acting again.
public struct CutoverRunner: Sendable {
    public let desk: MigrationDesk
    let origin: AuditOrigin
    /// Progress, one line each: what `locus migrate run` prints and the detached runner logs.
    let report: @Sendable (String) -> Void
    let eventLoopGroup: any EventLoopGroup

    public init(
        desk: MigrationDesk,
        origin: AuditOrigin,
        report: @escaping @Sendable (String) -> Void,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.desk = desk
        self.origin = origin
        self.report = report
        self.eventLoopGroup = eventLoopGroup
    }

    var config: LocusConfig { desk.config }

    /// When `maintenance_window` next opens after `now`, or nil while it is open (or there is none).
    func windowOpening(_ now: Date) -> Date? {
        guard let window = config.approvals.maintenanceWindow, !window.isOpen(at: now) else { return nil }
        return window.nextOpening(after: now)
    }
    var store: any HistoryStore & MigrationStore { desk.store }
    var leaseDuration: Duration { config.migration?.runnerLease ?? MigrationConfig.defaultRunnerLease }

    // MARK: - Run

    /// Runs approved migration `id`: claims it, waits for the maintenance window (unless `now`) and
    /// for a place among `max_running`, re-runs the preflight, then the steps. With `expectedVersion`
    /// the claim is refused unless the migration is still at the version the operator decided on.
    public func run(_ id: String, now: Bool, expectedVersion: Int? = nil) async throws(CutoverRunError) -> Migration {
        var migration = try await read(id)
        guard migration.state == .approved else {
            throw .notRunnable(
                "migration \(id) is \(migration.state): only an approved migration runs"
                    + (migration.state == .interrupted ? "; `locus migrate resume \(id)` picks it up" : "")
            )
        }
        let lease = RunnerLease(id: id, store: store, policy: desk.policy, origin: origin, duration: leaseDuration)
        migration = try await apply(
            .claim(
                lease: lease.lease(),
                note: "runner pid \(getpid()) on \(origin.host)" + (now ? ", to start now (--now)" : ""),
                takeOver: now
            ),
            to: id,
            expectedVersion: expectedVersion
        )
        await lease.startRenewing(held: migration.lease)
        defer { Task { await lease.stop() } }
        report("\(id): runner pid \(getpid()) on \(origin.host) holds the lease")
        while true {
            try await waitForTurn(id, now: now, lease: lease)
            migration = try await read(id)
            if let stopped = try await recheckPreflight(migration) { return stopped }
            do {
                let note = now && windowOpening(Date()) != nil ? "run now (--now), outside the maintenance window" : ""
                migration = try await apply(
                    .start(lease: lease.lease(), maxRunning: config.migration?.maxRunning, note: note),
                    to: id
                )
                break
            } catch {
                guard case .store(.refused(let refusal)) = error, refusal.reason == .busy else { throw error }
                report("\(id): \(refusal.message)")
                try? await Task.sleep(for: .seconds(1))
            }
        }
        report("\(id): started \(migration.summary)")
        return try await runSteps(of: migration, lease: lease)
    }

    /// Waits while the maintenance window is closed and while `max_running` other cutovers run.
    private func waitForTurn(_ id: String, now: Bool, lease: RunnerLease) async throws(CutoverRunError) {
        var said = ""
        while true {
            if let lost = await lease.lost { throw .leaseLost(lost) }
            var waitingFor: String?
            if !now, let opening = windowOpening(Date()) {
                waitingFor = "approved, starts in \(Self.span(opening.timeIntervalSinceNow)) (maintenance window)"
            } else if let max = config.migration?.maxRunning {
                let running = try await runningCutovers(besides: id)
                if running >= max { waitingFor = "waiting: \(running) cutovers running (max_running \(max))" }
            }
            guard let waitingFor else { return }
            if waitingFor != said {
                report("\(id): \(waitingFor)")
                said = waitingFor
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private func runningCutovers(besides id: String) async throws(CutoverRunError) -> Int {
        let now = Date()
        do {
            return try await store.migrations().filter {
                $0.id != id && $0.state.isRunning && ($0.lease?.expiresAt ?? .distantPast) > now
            }.count
        } catch {
            throw .store(error)
        }
    }

    /// The preflight again, just before the first step: a changed digest or approvals too old send the
    /// migration back to ready, and nothing is done.
    private func recheckPreflight(_ migration: Migration) async throws(CutoverRunError) -> Migration? {
        let snapshot = try await snapshot()
        let result: PreflightResult
        do {
            result = try await desk.preflight(migration, snapshot: snapshot, at: Date())
        } catch {
            throw .store(error)
        }
        var current = try await apply(.recordPreflight(result), to: migration.id)
        if current.state != .approved {
            report(
                "\(migration.id): back to \(current.state), nothing done: \(current.outcome ?? "the preflight changed")"
            )
            return current
        }
        if let reason = current.voidReason(at: Date(), policy: desk.policy) {
            current = try await apply(.voidApprovals(reason: "approval void: \(reason)"), to: migration.id)
            report("\(migration.id): back to ready, nothing done: \(reason)")
            return current
        }
        return nil
    }

    // MARK: - Resume and rollback

    /// Picks up an interrupted migration: each step found running is observed first and marked done
    /// when its effect is there. The mover runs again only with `rerunMover`, and never while its
    /// process group still has processes.
    public func resume(
        _ id: String,
        rerunMover: Bool,
        expectedVersion: Int? = nil
    ) async throws(CutoverRunError) -> Migration {
        var migration = try await read(id)
        guard migration.state == .interrupted else {
            throw .notRunnable("migration \(id) is \(migration.state): only an interrupted migration resumes")
        }
        if migration.steps.contains(where: { $0.name.hasPrefix("rollback-") }) {
            throw .notRunnable(
                "migration \(id) was rolling back when its runner stopped: `locus migrate rollback \(id)` goes on"
            )
        }
        try checkNoMoverRunning(migration)
        if let mover = migration.steps.first(where: { $0.name == "mover" }), mover.state == .running, !rerunMover,
            try await !moverEffectIsThere(migration)
        {
            throw .notRunnable(
                "migration \(id): the mover was running when its runner stopped and the mapping is not at "
                    + "\(migration.toSite): check where \(migration.workload) runs, then "
                    + "`locus migrate resume \(id) --rerun-mover` or `locus migrate rollback \(id)`"
            )
        }
        let lease = RunnerLease(id: id, store: store, policy: desk.policy, origin: origin, duration: leaseDuration)
        migration = try await apply(.resume(lease: lease.lease()), to: id, expectedVersion: expectedVersion)
        await lease.startRenewing(held: migration.lease)
        defer { Task { await lease.stop() } }
        report(
            "\(id): resumed by \(origin.user) (the approvals' digest is not compared again: the world is half-moved)"
        )
        return try await runSteps(of: migration, lease: lease)
    }

    /// Rolls a completed, failed or interrupted migration back: the compensating steps of what began,
    /// in reverse order, then verify at the source.
    public func rollback(_ id: String, expectedVersion: Int? = nil) async throws(CutoverRunError) -> Migration {
        var migration = try await read(id)
        try checkNoMoverRunning(migration)
        let lease = RunnerLease(id: id, store: store, policy: desk.policy, origin: origin, duration: leaseDuration)
        migration = try await apply(.rollback(lease: lease.lease()), to: id, expectedVersion: expectedVersion)
        await lease.startRenewing(held: migration.lease)
        defer { Task { await lease.stop() } }
        report("\(id): rolling back \(migration.summary)")
        return try await runRollback(of: migration, lease: lease)
    }

    /// Never a second mover while one runs: a killed runner's mover goes on in its own process group.
    ///
    /// The group is looked for on this host only; the journal does not say where it ran.
    private func checkNoMoverRunning(_ migration: Migration) throws(CutoverRunError) {
        for step in migration.steps where step.name.hasSuffix("mover") && step.state == .running {
            guard let group = step.processGroup, MoverProcess.groupIsAlive(group) else { continue }
            throw .notRunnable(
                "migration \(migration.id): the \(step.name) step's process group \(group) still has processes; "
                    + "wait for it to end (or stop it: kill -TERM -\(group)), then try again"
            )
        }
    }

    // MARK: - Store

    func read(_ id: String) async throws(CutoverRunError) -> Migration {
        do {
            return try await desk.existing(id)
        } catch {
            throw .store(error)
        }
    }

    /// The runner's own changes: the lease, not a version read, is what keeps another process out
    /// (its first claim may also name the version an operator decided on). A storage error (a busy or
    /// briefly unreachable store) is retried a few times, so that a journal entry is not lost to it.
    @discardableResult
    func apply(
        _ action: MigrationAction,
        to id: String,
        expectedVersion: Int? = nil
    ) async throws(CutoverRunError) -> Migration {
        var attempt = 0
        while true {
            do {
                return try await store.apply(
                    action,
                    to: id,
                    expectedVersion: expectedVersion,
                    policy: desk.policy,
                    origin: origin,
                    at: Date()
                )
            } catch {
                guard case .storage = error, attempt < 4 else { throw .store(error) }
                attempt += 1
                try? await Task.sleep(for: .milliseconds(250 << attempt))
            }
        }
    }

    /// One complete pass over every source, as `locus snapshot` makes it.
    func snapshot() async throws(CutoverRunError) -> Snapshot {
        do {
            return try await Engine(config: config, store: store, eventLoopGroup: eventLoopGroup).runOnce()
        } catch {
            throw .notRunnable("a pass over the sources failed: \(error)")
        }
    }

    static func span(_ seconds: TimeInterval) -> String {
        let minutes = max(0, Int((seconds / 60).rounded(.up)))
        return minutes >= 60 ? "\(minutes / 60)h \(minutes % 60)m" : "\(minutes)m"
    }
}
