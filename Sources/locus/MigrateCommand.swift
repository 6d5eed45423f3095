import ArgumentParser
import Foundation
import LocusCore
import LocusEngine
import LocusStore

/// `locus migrate …`: request, check, decide and read migrations.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Request, preflight, approve, reject, cancel and read migrations.",
        discussion: """
            Every decision is written to the store (one transaction, compare-and-set on the version read) \
            and to its audit log, as the login this process runs as. Exit status 0 done, 1 refused or \
            invalid (the reason on stderr), 2 bad usage.
            """,
        subcommands: [
            MigrateListCommand.self, MigrateShowCommand.self, MigratePlanCommand.self, MigrateRequestCommand.self,
            MigratePreflightCommand.self, MigrateApproveCommand.self, MigrateRejectCommand.self,
            MigrateCancelCommand.self, MigrateRunCommand.self, MigrateAbortCommand.self, MigrateRollbackCommand.self,
            MigrateResumeCommand.self,
        ]
    )
}

/// `--config FILE` and `--json`, and what every migrate command opens.
struct MigrationOptions: ParsableArguments {
    @OptionGroup var engine: EngineCommandOptions

    @Flag(name: .long, help: "Print the JSON document of CONFIG.md.")
    var json = false

    func desk() throws -> MigrationDesk {
        let opened = try engine.open()
        return MigrationDesk(config: opened.engine.config, store: opened.store)
    }

    /// The desk, and one complete pass over every source for drafting and preflight.
    func deskWithSnapshot() async throws -> (MigrationDesk, Snapshot) {
        let opened = try engine.open()
        let snapshot = try await opened.engine.runOnce()
        return (MigrationDesk(config: opened.engine.config, store: opened.store), snapshot)
    }

    func print(_ migration: Migration, desk: MigrationDesk, runner: RunnerConditions? = nil) throws {
        if json {
            FileHandle.standardOutput.write(
                try MigrationDocument.data(MigrationDocument.migration(migration, policy: desk.policy, runner: runner))
            )
        } else {
            Swift.print(
                MigrationText.show(migration, policy: desk.policy, now: Date(), runner: runner),
                terminator: ""
            )
        }
    }
}

/// Runs `body`, turning refusals into their message on stderr and exit status 1.
func refusingWithExit1<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as MigrationStoreError {
        StandardError.write(["locus: \(error)"])
        throw ExitCode(1)
    } catch let error as MigrationDeskError {
        StandardError.write(["locus: \(error)"])
        throw ExitCode(1)
    }
}

struct MigrateListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List migrations, newest first.")
    @OptionGroup var options: MigrationOptions

    func run() async throws {
        let desk = try options.desk()
        let migrations = try await refusingWithExit1 {
            try await desk.migrations(origin: LoginIdentity.currentOrigin())
        }
        let runner = desk.runnerConditions(among: migrations, at: Date())
        if options.json {
            FileHandle.standardOutput.write(
                try MigrationDocument.data(MigrationDocument.list(migrations, policy: desk.policy, runner: runner))
            )
        } else {
            print(MigrationText.list(migrations, policy: desk.policy, runner: runner), terminator: "")
        }
    }
}

struct MigrateShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a migration: its plan, preflight checklist, approvals and steps."
    )
    @OptionGroup var options: MigrationOptions
    @Argument(help: "The migration id (`locus migrate list`).") var id: String

    func run() async throws {
        let desk = try options.desk()
        let migration = try await refusingWithExit1 { try await desk.existing(id) }
        let runner = try await refusingWithExit1 { try await desk.runnerConditions(at: Date()) }
        try options.print(migration, desk: desk, runner: runner)
    }
}

/// `WORKLOAD --to SITE [--address NEW] [--host HOST]`, shared by `plan` and `request`.
struct MoveArguments: ParsableArguments {
    @Argument(help: "The workload to move.") var workload: String
    @Option(name: .long, help: ArgumentHelp("The destination site.", valueName: "SITE")) var to: String
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The address the workload answers at after the move (default: it keeps its own).",
            valueName: "NEW"
        )
    )
    var address: String?
    @Option(name: .long, help: ArgumentHelp("The hypervisor host to move to ({dest_host}).", valueName: "HOST"))
    var host: String?
}

struct MigratePlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the preflight and plan of a move without recording anything (a dry run)."
    )
    @OptionGroup var options: MigrationOptions
    @OptionGroup var move: MoveArguments

    func run() async throws {
        let (desk, snapshot) = try await options.deskWithSnapshot()
        let origin = LoginIdentity.currentOrigin()
        var draft = try await refusingWithExit1 {
            try desk.draft(
                workload: move.workload,
                to: move.to,
                address: move.address,
                host: move.host,
                reason: "dry run",
                snapshot: snapshot,
                requestedBy: origin.user,
                at: Date()
            )
        }
        draft.preflight = try await refusingWithExit1 {
            try await desk.preflight(draft, snapshot: snapshot, at: Date())
        }
        draft.state = draft.preflight?.passed == true ? .ready : .blocked
        try options.print(draft, desk: desk)
    }
}

struct MigrateRequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Request a migration; its preflight runs at once. Requesting changes nothing by itself."
    )
    @OptionGroup var options: MigrationOptions
    @OptionGroup var move: MoveArguments
    @Option(name: .long, help: "Why the workload moves (required).") var reason: String

    func validate() throws {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--reason must say why the workload moves")
        }
    }

    func run() async throws {
        let (desk, snapshot) = try await options.deskWithSnapshot()
        let origin = LoginIdentity.currentOrigin()
        let recorded = try await refusingWithExit1 {
            let draft = try desk.draft(
                workload: move.workload,
                to: move.to,
                address: move.address,
                host: move.host,
                reason: reason,
                snapshot: snapshot,
                requestedBy: origin.user,
                at: Date()
            )
            return try await desk.request(draft, snapshot: snapshot, origin: origin)
        }
        try options.print(recorded, desk: desk)
    }
}

struct MigratePreflightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preflight",
        abstract: "Re-run the preflight of a migration and record it (a changed digest voids its approvals)."
    )
    @OptionGroup var options: MigrationOptions
    @Argument(help: "The migration id.") var id: String

    func run() async throws {
        let (desk, snapshot) = try await options.deskWithSnapshot()
        let migration = try await refusingWithExit1 {
            try await desk.rerunPreflight(id, snapshot: snapshot, origin: LoginIdentity.currentOrigin())
        }
        try options.print(migration, desk: desk)
    }
}

struct MigrateApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a migration, bound to the digest of its current preflight.",
        discussion: """
            With --digest PREFIX the approval is refused unless the digest still starts with it. The last \
            approval a migration needs starts its runner, detached (its own session and process group, \
            output to $XDG_STATE_HOME/locus/runs/ID.log), as the approving user: closing this terminal never \
            interrupts the cutover. --wait stays and prints each step as the store records it.
            """
    )
    @OptionGroup var options: MigrationOptions
    @Argument(help: "The migration id.") var id: String
    @Option(name: .long, help: ArgumentHelp("The digest (or its first hex digits) you reviewed.", valueName: "PREFIX"))
    var digest: String?
    @Flag(name: .long, help: "Stay and print each step of the cutover until the migration ends.") var wait = false

    func run() async throws {
        let desk = try options.desk()
        let origin = LoginIdentity.currentOrigin()
        let approved = try await refusingWithExit1 {
            let read = try await desk.existing(id)
            var current = read.preflight?.digest ?? ""
            if let digest, !current.hasPrefix(digest.lowercased()) { current = digest }
            return try await desk.decide(.approve(digest: current), on: read, origin: origin)
        }
        try options.print(approved, desk: desk)
        fflush(nil)
        guard approved.state == .approved else { return }
        guard desk.config.migration?.startsOnApproval ?? true else {
            StandardError.write([
                "locus: \(id) is approved; [migration] start = \"manual\": `locus migrate run \(id)` runs it"
            ])
            return
        }
        let started: DetachedRunner.Started
        do {
            started = try DetachedRunner.start(
                executable: DetachedRunner.currentExecutable,
                arguments: ["migrate", "run", id] + options.engine.configArguments,
                log: EngineSetup.directories.stateHome + "/locus/runs/\(id).log"
            )
        } catch {
            StandardError.write(["locus: \(error); start it with `locus migrate run \(id)`"])
            throw ExitCode(1)
        }
        StandardError.write(["locus: runner pid \(started.pid) started for \(id), detached; its log: \(started.log)"])
        if wait {
            let ended = try await StepWatch(desk: desk, id: id, runner: started.pid, log: started.log).follow()
            if ended.state != .completed { throw ExitCode(1) }
        }
    }
}

struct MigrateRejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject a migration.")
    @OptionGroup var options: MigrationOptions
    @Argument(help: "The migration id.") var id: String
    @Option(name: .long, help: "Why (required).") var reason: String

    func run() async throws {
        let desk = try options.desk()
        let rejected = try await refusingWithExit1 {
            try await desk.decide(
                .reject(reason: reason),
                on: try await desk.existing(id),
                origin: LoginIdentity.currentOrigin()
            )
        }
        try options.print(rejected, desk: desk)
    }
}

struct MigrateCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a migration that has not started (the requester or an approver)."
    )
    @OptionGroup var options: MigrationOptions
    @Argument(help: "The migration id.") var id: String
    @Option(name: .long, help: "Why.") var reason: String = ""

    func run() async throws {
        let desk = try options.desk()
        let cancelled = try await refusingWithExit1 {
            try await desk.decide(
                .cancel(reason: reason),
                on: try await desk.existing(id),
                origin: LoginIdentity.currentOrigin()
            )
        }
        try options.print(cancelled, desk: desk)
    }
}
