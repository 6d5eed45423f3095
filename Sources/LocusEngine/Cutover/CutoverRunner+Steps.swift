import Foundation
import LISP
import LocusCore
import LocusStore

extension CutoverRunner {
    /// The steps of `migration` as the config and the inventory say now.
    func script(
        for migration: Migration,
        rollback began: [String: MigrationStep]? = nil
    ) async throws(CutoverRunError)
        -> CutoverScript
    {
        let snapshot = try await snapshot()
        guard let workload = snapshot.workloads[migration.workload]?.spec else {
            throw .notRunnable("workload \(migration.workload) is no longer in any inventory")
        }
        guard let from = config.site(named: migration.fromSite), let to = config.site(named: migration.toSite) else {
            throw .notRunnable("site \(migration.fromSite) or \(migration.toSite) is no longer in \(config.file)")
        }
        guard let address = LISP.IPAddress(workload.eid.address.description) else {
            throw .notRunnable("EID \(workload.eid) of \(migration.workload) is not an address")
        }
        let eid = EIDPrefix(instanceID: workload.iid, address: address, length: workload.eid.length)
        let mapping = MappingFollow(
            eid: eid,
            toward: to,
            awayFrom: from,
            resolvers: config.mappings.map(\.resolver),
            eventLoopGroup: eventLoopGroup
        )
        let changes: [any CutoverStep]
        do {
            changes = try await CutoverChanges(config: config, eventLoopGroup: eventLoopGroup)
                .steps(for: migration, workload: workload)
        } catch {
            throw .notRunnable("cannot prepare step \(error)")
        }
        var services: [Endpoint] = []
        for case .tcp(let spec) in workload.dependencies { services.append(spec.target) }
        let forward = CutoverScript.forward(
            mover: mover(for: migration, workload: workload),
            mapping: mapping,
            changes: changes,
            services: services
        )
        guard let began else { return forward }
        // What began must be undone: a step the config no longer describes cannot be, so say which.
        let known = Set(forward.steps.map(\.name))
        if let lost = began.keys.sorted().first(where: { !known.contains($0) }) {
            throw .notRunnable(
                "step \(lost) of migration \(migration.id) began, but \(config.file) and the inventory no longer "
                    + "describe it: undo it by hand, or put its dependency back, then roll back again"
            )
        }
        return .rollback(
            mover: mover(for: migration.reversedForMover(workload: workload, config: config), workload: workload),
            mapping: mapping,
            changes: changes,
            services: services,
            began: began
        )
    }

    private func mover(for migration: Migration, workload: InventoryWorkload) -> MoverProcess? {
        guard let settings = config.migration else { return nil }
        let values = MigrationPlan.placeholders(for: migration, workload: workload, config: config)
        return MoverProcess(arguments: settings.moverArguments(values), timeout: settings.moverTimeout)
    }

    /// Whether a mover that was running when its runner stopped has done its work: the mapping is at
    /// the destination.
    func moverEffectIsThere(_ migration: Migration) async throws(CutoverRunError) -> Bool {
        try await script(for: migration).mapping.observe().arrived
    }

    // MARK: - Forward

    func runSteps(of start: Migration, lease: RunnerLease) async throws(CutoverRunError) -> Migration {
        let script: CutoverScript
        do {
            script = try await self.script(for: start)
        } catch {
            return try await stop(start.id, failing: error.description, rollback: false)
        }
        var current = try await plan(script, on: start)
        for (name, work) in script.steps {
            let recorded = current.steps.first { $0.name == name }
            if recorded?.state == .done { continue }
            if let recorded, recorded.state == .failed {
                // Its runner stopped between journaling the failure and recording it.
                return try await stop(start.id, failing: "step \(name) failed: \(recorded.detail)", rollback: false)
            }
            current = try await read(start.id)
            if let lost = await lease.lost { throw .leaseLost(lost) }
            if let abort = current.abortRequested {
                let after = current.steps.last { $0.state == .done }?.name ?? "no step"
                return try await stop(
                    start.id,
                    failing: "aborted by \(abort.user) at \(RFC3339.string(from: abort.at)), after \(after)",
                    rollback: false
                )
            }
            if name == "verify", current.state == .executing { current = try await apply(.verify, to: start.id) }
            let outcome = try await perform(name, work, of: current, script: script, lease: lease)
            guard outcome.ok else {
                return try await stop(start.id, failing: "step \(name) failed: \(outcome.detail)", rollback: false)
            }
        }
        current = try await read(start.id)
        let lastApproval = current.approvals.map(\.at).max()
        let green = lastApproval.map { Date().timeIntervalSince($0) }
        current = try await apply(.complete(timeToGreen: green), to: start.id)
        report(
            "\(start.id): completed"
                + (green.map { String(format: ", green %.1f s after the last approval", $0) } ?? "")
        )
        return current
    }

    /// Journals every step not in the journal yet as planned, so that `migrate show` lists them all.
    private func plan(_ script: CutoverScript, on migration: Migration) async throws(CutoverRunError) -> Migration {
        var current = migration
        for (name, _) in script.steps where !current.steps.contains(where: { $0.name == name }) {
            current = try await apply(.journal(MigrationStep(name: name)), to: migration.id)
        }
        return current
    }

    /// Marks the migration failed (or its rollback failed) with why, and says rollback is offered.
    private func stop(
        _ id: String,
        failing reason: String,
        rollback: Bool
    ) async throws(CutoverRunError)
        -> Migration
    {
        let action: MigrationAction = rollback ? .failRollback(reason: reason) : .fail(reason: reason)
        let failed = try await apply(action, to: id)
        report(
            "\(id): \(failed.state): \(reason)"
                + (rollback
                    ? "; `locus migrate rollback \(id)` tries again (each step looks before it acts)"
                    : "; `locus migrate rollback \(id)` puts back what the cutover changed")
        )
        return failed
    }

    // MARK: - Rollback

    func runRollback(of start: Migration, lease: RunnerLease) async throws(CutoverRunError) -> Migration {
        let began = Dictionary(
            start.steps.filter { !$0.name.hasPrefix("rollback-") && $0.state != .planned }.map { ($0.name, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        let script: CutoverScript
        do {
            script = try await self.script(for: start, rollback: began)
        } catch {
            return try await stop(start.id, failing: error.description, rollback: true)
        }
        var current = try await plan(script, on: start)
        for (name, work) in script.steps {
            if current.steps.first(where: { $0.name == name })?.state == .done { continue }
            current = try await read(start.id)
            if let lost = await lease.lost { throw .leaseLost(lost) }
            let outcome = try await perform(name, work, of: current, script: script, lease: lease)
            guard outcome.ok else {
                return try await stop(start.id, failing: "step \(name) failed: \(outcome.detail)", rollback: true)
            }
        }
        current = try await apply(.finishRollback, to: start.id)
        report("\(start.id): rolled back")
        return current
    }

    // MARK: - One step

    struct StepOutcome: Sendable {
        var ok: Bool
        var detail: String
        var output: String?
    }

    /// Journals the step running, does its work, journals it done or failed.
    private func perform(
        _ name: String,
        _ work: CutoverWork,
        of migration: Migration,
        script: CutoverScript,
        lease: RunnerLease
    ) async throws(CutoverRunError) -> StepOutcome {
        var step = migration.steps.first { $0.name == name } ?? MigrationStep(name: name)
        let id = migration.id
        step.state = .running
        step.startedAt = step.startedAt ?? Date()
        step.endedAt = nil
        // A plan journaled by a run that stopped while acting stays until this one knows better.
        let planned = step.detail.hasPrefix(MigrationStep.planPrefix) ? step.detail : nil
        step.detail = planned ?? ""
        step.output = nil
        // A runner paused past its lease (SIGSTOP, a frozen VM) must not act on what another took over.
        try await lease.checkHeld()
        try await apply(.journal(step), to: id)
        report("\(id): \(name) running")
        let outcome: StepOutcome
        switch work {
        case .mover(let mover, let effect):
            // Its effect already there (a resumed or repeated step): it is never run again.
            let found = await effect.observe()
            if found.arrived {
                outcome = StepOutcome(ok: true, detail: "not run: the workload is already there (\(found.detail))")
            } else {
                outcome = await runMover(mover, step: step, id: id)
                if let group = (try? await read(id))?.steps.first(where: { $0.name == name })?.processGroup {
                    step.processGroup = group
                }
            }
        case .mapping(let follow):
            let deadline = ContinuousClock.now + verifyDeadline
            let finding = await follow.wait(until: deadline)
            outcome = StepOutcome(
                ok: finding.arrived,
                detail: finding.arrived
                    ? finding.detail
                    : "the mapping did not follow within verify_deadline (\(verifyDeadline)): \(finding.detail)"
            )
        case .change(let change, let leavingConflicts):
            let found = await change.observe()
            if leavingConflicts, case .conflict(let found) = found {
                outcome = StepOutcome(ok: true, detail: "left alone, this cutover did not change it: \(found)")
            } else {
                if case .ready(let plan) = found {
                    // What it is about to change, in the journal before it acts: a rollback after a
                    // crash here knows what was already there.
                    step.detail = MigrationStep.planPrefix + plan
                    try await apply(.journal(step), to: id)
                }
                do {
                    let detail = try await change.run()
                    // Done by the run that stopped: what it planned is what a rollback undoes.
                    let resumed = planned.map { found.isReady ? detail : "\(detail) — \($0)" }
                    outcome = StepOutcome(ok: true, detail: resumed ?? detail)
                } catch {
                    outcome = StepOutcome(ok: false, detail: error.reason)
                }
            }
        case .verify:
            outcome = await verify(script)
        }
        step.state = outcome.ok ? .done : .failed
        step.endedAt = Date()
        step.detail = outcome.detail
        if let output = outcome.output { step.output = output }
        try await apply(.journal(step), to: id)
        report("\(id): \(name) \(step.state.rawValue): \(outcome.detail)")
        return outcome
    }

    var verifyDeadline: Duration { config.migration?.verifyDeadline ?? MigrationConfig.defaultVerifyDeadline }

    private func runMover(_ mover: MoverProcess, step: MigrationStep, id: String) async -> StepOutcome {
        let runner = self
        let outcome = await mover.run { group in
            var started = step
            started.processGroup = group
            started.detail = "process group \(group): " + mover.arguments.joined(separator: " ")
            _ = try? await runner.apply(.journal(started), to: id)
        }
        return StepOutcome(
            ok: outcome.succeeded,
            detail: outcome.summary,
            output: outcome.lastLines.joined(separator: "\n")
        )
    }
}
