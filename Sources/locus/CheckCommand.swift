import ArgumentParser
import Foundation
import LocusCore
import LocusEngine
import LocusStore

/// `locus check [--config FILE]`: one line for a monitoring system, with its exit code.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Print one monitoring line: LOCUS OK|WARNING|CRITICAL|UNKNOWN - summary | perfdata.",
        discussion: """
            Makes the same complete pass as `locus snapshot` and sums it up as a monitoring plugin
            does, with the migrations in the store: interrupted, failed and rollback-failed ones are
            CRITICAL, requests waiting for approval longer than half of expire_after a WARNING. Exit
            status 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (including an invalid configuration, whose
            errors go to stderr).
            """
    )

    @OptionGroup var options: EngineCommandOptions

    func run() async throws {
        let snapshot: Snapshot
        let concerns: [MigrationConcern]
        do {
            let opened = try options.open()
            snapshot = try await opened.engine.runOnce()
            concerns = await Self.migrationConcerns(
                MigrationDesk(config: opened.engine.config, store: opened.store)
            )
        } catch let exit as ExitCode where exit == ExitCode(1) {
            print("LOCUS UNKNOWN - the configuration is invalid (errors on stderr)")
            throw ExitCode(CheckStatus.unknown.exitCode)
        } catch {
            print("LOCUS UNKNOWN - \(error)")
            throw ExitCode(CheckStatus.unknown.exitCode)
        }
        let result = CheckResult(snapshot, migrations: concerns)
        print(result.line)
        throw ExitCode(result.exitCode)
    }

    /// Read as `migrate list` reads them, so a cutover whose runner died is recorded as interrupted
    /// here too; migrations that cannot be read are a warning, not silence.
    static func migrationConcerns(_ desk: MigrationDesk) async -> [MigrationConcern] {
        do {
            let migrations = try await desk.migrations(origin: LoginIdentity.currentOrigin())
            return MigrationConcern.concerns(in: migrations, policy: desk.policy, now: Date())
        } catch {
            return [MigrationConcern(migrationID: "", severity: .warning, text: "cannot read the migrations: \(error)")]
        }
    }
}
