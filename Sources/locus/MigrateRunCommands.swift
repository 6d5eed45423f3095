import ArgumentParser
import Foundation
import LocusCore
import LocusEngine
import LocusStore

/// The runner in this process, printing its progress on stdout (the log, when detached).
func cutoverRunner(_ options: MigrationOptions) throws -> CutoverRunner {
    let desk = try options.desk()
    return CutoverRunner(
        desk: desk,
        origin: LoginIdentity.currentOrigin(),
        report: { line in
            // A full disk or a closed pipe must not stop a cutover: the store keeps what happened.
            try? FileHandle.standardOutput.write(contentsOf: Data("\(RFC3339.string(from: Date())) \(line)\n".utf8))
        }
    )
}

/// Runs `body` and turns the runner's errors into their message on stderr and exit status 1; a
/// migration that ends anywhere but `success` exits 1 too.
func runningCutover(success: MigrationState, _ body: () async throws(CutoverRunError) -> Migration) async throws {
    let migration: Migration
    do {
        migration = try await body()
    } catch {
        StandardError.write(["locus: \(error)"])
        throw ExitCode(1)
    }
    if migration.state != success { throw ExitCode(1) }
}

struct MigrateRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an approved migration's cutover in this process (approvers).",
        discussion: """
            The last approval starts this detached by itself; run it by hand for an approved migration that \
            shows "approved, not running". It waits for the maintenance window and for a place among \
            max_running, re-runs the preflight (a changed digest sends it back to ready), then runs each \
            step, journaled before and after it acts.
            """
    )
    @OptionGroup var options: MigrationOptions
    @Argument(help: "The migration id.") var id: String
    @Flag(name: .long, help: "Start now, outside the maintenance window (audited).") var now = false
    @OptionGroup var expected: ExpectedVersion

    func run() async throws {
        let runner = try cutoverRunner(options)
        try await runningCutover(success: .completed) { () async throws(CutoverRunError) in
            try await runner.run(id, now: now, expectedVersion: expected.version)
        }
    }
}

struct MigrateAbortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "abort",
        abstract: "Ask a running cutover to stop after the step in progress (approvers); rollback is then offered."
    )
    @OptionGroup var options: MigrationOptions
    @Argument(help: "The migration id.") var id: String
    @Option(name: .long, help: "Why.") var reason: String = ""

    func run() async throws {
        let desk = try options.desk()
        let migration = try await refusingWithExit1 {
            try await desk.decide(
                .abort(reason: reason),
                on: try await desk.existing(id),
                origin: LoginIdentity.currentOrigin()
            )
        }
        try options.print(migration, desk: desk)
    }
}

struct MigrateRollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Roll a completed, failed or interrupted migration back, in this process (approvers).",
        discussion: """
            Pool members back (after reading they still point at the new address), DNS back (prerequisite: \
            the new value), the mover back, the mapping back at the source, then verify.
            """
    )
    @OptionGroup var options: MigrationOptions
    @Argument(help: "The migration id.") var id: String
    @OptionGroup var expected: ExpectedVersion

    func run() async throws {
        let runner = try cutoverRunner(options)
        try await runningCutover(success: .rolledBack) { () async throws(CutoverRunError) in
            try await runner.rollback(id, expectedVersion: expected.version)
        }
    }
}

struct MigrateResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Resume an interrupted cutover in this process (approvers, audited).",
        discussion: """
            A step found running is observed first and marked done when its effect is already there. The \
            mover runs again only with --rerun-mover, and never while its process group still has processes.
            """
    )
    @OptionGroup var options: MigrationOptions
    @Argument(help: "The migration id.") var id: String
    @Flag(name: .long, help: "Run the mover again if it was running when the runner stopped.") var rerunMover = false
    @OptionGroup var expected: ExpectedVersion

    func run() async throws {
        let runner = try cutoverRunner(options)
        try await runningCutover(success: .completed) { () async throws(CutoverRunError) in
            try await runner.resume(id, rerunMover: rerunMover, expectedVersion: expected.version)
        }
    }
}

/// `--expect-version N`: what the dashboard passes for a decision the operator confirmed on version N.
struct ExpectedVersion: ParsableArguments {
    @Option(
        name: .customLong("expect-version"),
        help: ArgumentHelp(
            "Refuse unless the migration is still at this version (`migrate show --json`: migration_version).",
            valueName: "N"
        )
    )
    var version: Int?
}
