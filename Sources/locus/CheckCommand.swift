import ArgumentParser
import Foundation
import LocusCore
import LocusEngine
import LocusStore

/// `locus check [--config FILE] [--timeout DURATION]`: one line for a monitoring system, with its
/// exit code, within the deadline whatever hangs.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Print one monitoring line: LOCUS OK|WARNING|CRITICAL|UNKNOWN - summary | perfdata.",
        discussion: """
            Makes the same complete pass as `locus snapshot` and sums it up as a monitoring plugin
            does, with the migrations in the store: interrupted, failed and rollback-failed ones are
            CRITICAL, requests waiting for approval longer than half of expire_after a WARNING. Exit
            status 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (including an invalid configuration, whose
            errors go to stderr, and a pass that did not end within --timeout, which names what had
            not answered).
            """
    )

    @OptionGroup var options: EngineCommandOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "End within this long whatever hangs, UNKNOWN naming what had not answered.",
            valueName: "DURATION"
        )
    )
    var timeout = "10s"

    func validate() throws {
        _ = try TimeoutOption.parse(timeout)
    }

    func run() async throws {
        let deadline = try TimeoutOption.parse(timeout)
        let engine = OneShotDeadline.Slot<Engine>()
        let result: CheckResult = try await OneShotDeadline.run(
            timeout: deadline,
            expired: {
                let missing = engine.value?.progress.missing ?? ["the store (opening it)"]
                print("LOCUS UNKNOWN - no answer within \(timeout) from \(missing.joined(separator: ", "))")
                fflush(nil)
                Foundation.exit(CheckStatus.unknown.exitCode)
            },
            operation: {
                let file = EngineSetup.configFile(options.config, directories: EngineSetup.directories)
                guard FileManager.default.fileExists(atPath: file) else {
                    print("LOCUS UNKNOWN - no configuration at \(file); give one with --config FILE")
                    throw ExitCode(CheckStatus.unknown.exitCode)
                }
                do {
                    let opened = try options.open()
                    engine.fill(opened.engine)
                    let snapshot = try await opened.engine.runOnce()
                    opened.engine.progress.waiting(on: "the store (reading the migrations)")
                    let concerns = await Self.migrationConcerns(
                        MigrationDesk(config: opened.engine.config, store: opened.store)
                    )
                    return CheckResult(snapshot, migrations: concerns)
                } catch let exit as ExitCode where exit == ExitCode(1) {
                    print("LOCUS UNKNOWN - the configuration or its store cannot be used (errors on stderr)")
                    throw ExitCode(CheckStatus.unknown.exitCode)
                } catch {
                    print("LOCUS UNKNOWN - \(error)")
                    throw ExitCode(CheckStatus.unknown.exitCode)
                }
            }
        )
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
