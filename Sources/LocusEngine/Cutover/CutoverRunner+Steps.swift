import Foundation
import LISP
import LocusCore
import LocusStore

extension CutoverRunner {
    /// The steps of `migration` as the config and the inventory say now.
    func script(
        for migration: Migration,
        rollback began: Set<String>? = nil
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
        guard let began else {
            return .forward(
                mover: mover(for: migration, workload: workload),
                mapping: mapping,
                changes: changes,
                services: services
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

    func runSteps(
        of start: Migration,
        lease: RunnerLease,
        rerunMover: Bool
    ) async throws(CutoverRunError)
        -> Migration
    {
        if start.steps.contains(where: { $0.name.hasPrefix("rollback-") }) {
            return try await stop(
                start.id,
                failing: "it was rolling back when its runner stopped: `locus migrate rollback \(start.id)` goes on",
                rollback: false
            )
        }
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
            let skipMover = recorded?.state == .running && !rerunMover
            let outcome = try await perform(
                name,
                work,
                of: current,
                script: script,
                observedOnly: skipMover
            )
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
                + (rollback ? "" : "; `locus migrate rollback \(id)` puts back what the cutover changed")
        )
        return failed
    }

    // MARK: - Rollback

    func runRollback(of start: Migration, lease: RunnerLease) async throws(CutoverRunError) -> Migration {
        let began = Set(
            start.steps.filter { !$0.name.hasPrefix("rollback-") && ($0.state == .done || $0.state == .running) }
                .map(\.name)
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
            let outcome = try await perform(name, work, of: current, script: script, observedOnly: false)
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
        observedOnly: Bool
    ) async throws(CutoverRunError) -> StepOutcome {
        var step = migration.steps.first { $0.name == name } ?? MigrationStep(name: name)
        let id = migration.id
        step.state = .running
        step.startedAt = step.startedAt ?? Date()
        step.endedAt = nil
        try await apply(.journal(step), to: id)
        report("\(id): \(name) running")
        let outcome: StepOutcome
        switch work {
        case .mover(let mover):
            if observedOnly {
                outcome = StepOutcome(ok: true, detail: "not run again: the mapping is already at \(migration.toSite)")
            } else {
                outcome = await runMover(mover, step: step, id: id)
                step = (try? await read(id))?.steps.first { $0.name == name } ?? step
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
        case .change(let change):
            do {
                outcome = StepOutcome(ok: true, detail: try await change.run())
            } catch {
                outcome = StepOutcome(ok: false, detail: error.reason)
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

    /// Every probe of the workload green at the end state: the mapping, each change observed in
    /// place, each TCP service answering — asked again until `verify_deadline`.
    private func verify(_ script: CutoverScript) async -> StepOutcome {
        let deadline = ContinuousClock.now + verifyDeadline
        let probe = TCPProbe(timeout: .seconds(2), eventLoopGroup: eventLoopGroup)
        while true {
            var missing: [String] = []
            let mapping = await script.mapping.observe()
            if !mapping.arrived { missing.append("mapping: \(mapping.detail)") }
            for change in script.changes {
                switch await change.observe() {
                case .alreadyDone: break
                case .ready(let detail), .conflict(let detail): missing.append("\(change.name): \(detail)")
                }
            }
            for service in script.services {
                let result = await probe.probe(service)
                if case .connected = result { continue }
                missing.append("tcp \(service): \(result.detail)")
            }
            if missing.isEmpty {
                return StepOutcome(
                    ok: true,
                    detail: "green: \(mapping.detail); \(script.changes.count) changes in place; "
                        + "\(script.services.count) services answer"
                )
            }
            if ContinuousClock.now >= deadline {
                return StepOutcome(
                    ok: false,
                    detail: "not green within verify_deadline (\(verifyDeadline)): " + missing.joined(separator: "; ")
                )
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }
}

extension Migration {
    /// The same move the other way, for the mover's placeholders on rollback: `{site}` and
    /// `{from_site}`, `{address}` and `{from_address}` swapped, `{dest_host}` where it ran before.
    func reversedForMover(workload: InventoryWorkload, config: LocusConfig) -> Migration {
        var back = self
        back.fromSite = toSite
        back.toSite = fromSite
        back.fromAddress = toAddress
        back.toAddress = fromAddress
        back.destinationHost = workload.host ?? config.site(named: fromSite)?.hosts.first
        return back
    }
}
