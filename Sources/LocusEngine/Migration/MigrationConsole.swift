import Foundation
import LocusCore
import LocusStore

/// What the dashboard asks of migrations, carried out as the login of this process: decisions through
/// the desk, compared-and-set on the version the operator saw (an approval bound to the digest they
/// saw), and cutovers, rollbacks and resumes started as detached runners.
public struct MigrationConsole: Sendable {
    public let desk: MigrationDesk
    /// `--config FILE`, for the runners it starts.
    public let configArguments: [String]
    /// `--read-only`: every command is refused here, whoever asks.
    public let isReadOnly: Bool
    /// The engine's latest snapshot: where a workload is, for a request and its preflight.
    let snapshot: @Sendable () async -> Snapshot

    public init(
        desk: MigrationDesk,
        configArguments: [String],
        isReadOnly: Bool,
        snapshot: @escaping @Sendable () async -> Snapshot
    ) {
        self.desk = desk
        self.configArguments = configArguments
        self.isReadOnly = isReadOnly
        self.snapshot = snapshot
    }

    public func perform(_ command: MigrationCommand) async -> MigrationCommandOutcome {
        if isReadOnly {
            return MigrationCommandOutcome(message: "read-only (--read-only): nothing is decided here", isRefusal: true)
        }
        let origin = LoginIdentity.currentOrigin()
        do {
            return try await perform(command, origin: origin)
        } catch let error as MigrationStoreError {
            return MigrationCommandOutcome(message: Self.refusalText(error), isRefusal: true)
        } catch {
            return MigrationCommandOutcome(message: String(describing: error), isRefusal: true)
        }
    }

    private func perform(_ command: MigrationCommand, origin: AuditOrigin) async throws -> MigrationCommandOutcome {
        switch command {
        case .request(let workload, let site, let address, let reason):
            let snapshot = await checkedSnapshot(of: workload)
            let draft = try desk.draft(
                workload: workload,
                to: site,
                address: address,
                host: nil,
                reason: reason,
                snapshot: snapshot,
                requestedBy: origin.user,
                at: Date()
            )
            let recorded = try await desk.request(draft, snapshot: snapshot, origin: origin)
            let preflight = recorded.state == .ready ? "preflight passed" : "preflight failed, see its checklist"
            return MigrationCommandOutcome(message: "requested \(recorded.id) (\(recorded.summary)): \(preflight)")
        case .preflight(let read):
            let result = try await desk.preflight(read, snapshot: await checkedSnapshot(of: read.workload), at: Date())
            let recorded = try await desk.decide(.recordPreflight(result), on: read, origin: origin)
            return MigrationCommandOutcome(
                message: "preflight of \(read.id) \(result.passed ? "passed" : "failed"): it is \(recorded.state)"
            )
        case .approve(let read):
            let approved = try await desk.decide(
                .approve(digest: read.preflight?.digest ?? ""),
                on: read,
                origin: origin
            )
            guard approved.state == .approved else {
                let missing = approved.approvalsMissing(policy: desk.policy)
                return MigrationCommandOutcome(message: "approved \(read.id) as \(origin.user): \(missing) more needed")
            }
            guard desk.config.migration?.startsOnApproval ?? true else {
                return MigrationCommandOutcome(
                    message:
                        "approved \(read.id): [migration] start = \"manual\", `locus migrate run \(read.id)` runs it"
                )
            }
            var started = startRunner(
                ["migrate", "run", read.id],
                for: read.id,
                saying: "approved \(read.id): the cutover starts"
            )
            if started.isRefusal {
                started.message = "approved \(read.id), but its runner did not start: " + started.message
            }
            return started
        case .reject(let read, let reason):
            _ = try await desk.decide(.reject(reason: reason), on: read, origin: origin)
            return MigrationCommandOutcome(message: "rejected \(read.id) as \(origin.user)")
        case .cancel(let read, let reason):
            if read.state.isRunning {
                _ = try await desk.decide(.abort(reason: reason), on: read, origin: origin)
                return MigrationCommandOutcome(
                    message: "asked the runner of \(read.id) to stop after the step in progress; R then rolls back"
                )
            }
            _ = try await desk.decide(.cancel(reason: reason), on: read, origin: origin)
            return MigrationCommandOutcome(message: "cancelled \(read.id) as \(origin.user)")
        case .rollback(let read):
            try await checkUnchanged(read)
            return startRunner(
                ["migrate", "rollback", read.id, "--expect-version", String(read.version)],
                for: read.id,
                saying: "rolling \(read.id) back"
            )
        case .resume(let read):
            try await checkUnchanged(read)
            return startRunner(
                ["migrate", "resume", read.id, "--expect-version", String(read.version)],
                for: read.id,
                saying: "resuming \(read.id)"
            )
        case .runNow(let read):
            try await checkUnchanged(read)
            return startRunner(
                ["migrate", "run", read.id, "--now", "--expect-version", String(read.version)],
                for: read.id,
                saying: "starting \(read.id) now"
            )
        }
    }

    /// How long a request or preflight waits for the engine to have checked the workload's dependencies.
    static let dependencyCheckWait: Duration = .seconds(10)

    /// The engine's snapshot once every dependency `workload` declares has been checked at least once,
    /// or at `dependencyCheckWait` whatever it holds then.
    ///
    /// The preflight works from one complete engine pass, as `locus migrate` and the runner have it
    /// (`Engine.runOnce`). A dashboard asked right after it started would otherwise give it a snapshot
    /// without the dependencies' states: a preflight that passes without their checks, and a digest the
    /// runner's own preflight never matches, so the approval is voided when the cutover starts.
    func checkedSnapshot(of workload: String) async -> Snapshot {
        let deadline = ContinuousClock.now + Self.dependencyCheckWait
        while true {
            let current = await snapshot()
            if Self.hasCheckedDependencies(of: workload, in: current) || ContinuousClock.now >= deadline {
                return current
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Whether the snapshot has a state for each declared dependency of `workload` that a check gave
    /// (the engine lists one not checked yet without a time); true for a workload it does not know.
    static func hasCheckedDependencies(of workload: String, in snapshot: Snapshot) -> Bool {
        guard let found = snapshot.workloads[workload], !found.spec.dependencies.isEmpty else { return true }
        return !found.dependencies.isEmpty && found.dependencies.allSatisfy { $0.checkedAt != nil }
    }

    /// The version the operator confirmed is compared here, for a refusal on the status line, and again
    /// by the runner's claim (`--expect-version`): a migration changed meanwhile (approvals voided and
    /// given again, interrupted at another step) is refused rather than run as it now is.
    private func checkUnchanged(_ read: Migration) async throws(MigrationStoreError) {
        let current = try await desk.existing(read.id)
        guard current.version == read.version else {
            throw .conflict(id: read.id, current: current, expectedVersion: read.version)
        }
    }

    /// A detached runner of this Locus: it records its own claim (and refuses as the store says).
    private func startRunner(_ arguments: [String], for id: String, saying what: String) -> MigrationCommandOutcome {
        do {
            let started = try DetachedRunner.start(
                executable: DetachedRunner.currentExecutable,
                arguments: arguments + configArguments,
                log: EngineSetup.directories.stateHome + "/locus/runs/\(id).log"
            )
            return MigrationCommandOutcome(
                message: "\(what): runner pid \(started.pid), detached; its log \(started.log)",
                runner: started.pid,
                runnerLog: started.log
            )
        } catch {
            return MigrationCommandOutcome(
                message: "\(error); `locus migrate \(arguments.joined(separator: " "))` starts it",
                isRefusal: true
            )
        }
    }

    /// Waits, without blocking a thread, for the runner `pid` this process started, then reads the last
    /// line of its log.
    public static func waitForRunner(_ pid: Int32, log: String) async -> (status: Int32, lastLine: String) {
        var status: Int32 = 0
        var known = true
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped == -1, errno != EINTR {
                // Not (or no longer) this process's child: reaped elsewhere, so its status is unknown.
                known = false
                break
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let last = text.split(separator: "\n").last.map(String.init) ?? ""
        return (known ? exitStatus(status) : -1, last)
    }

    /// A wait status as a shell gives it: the exit code, or 128 + the signal.
    static func exitStatus(_ status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// A refusal as the operator reads it on the status line.
    static func refusalText(_ error: MigrationStoreError) -> String {
        switch error {
        case .refused(let refusal): refusal.message
        default: error.description
        }
    }
}
