import ArgumentParser
import LocusCore
import LocusEngine

/// `locus check [--config FILE]`: one line for a monitoring system, with its exit code.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Print one monitoring line: LOCUS OK|WARNING|CRITICAL|UNKNOWN - summary | perfdata.",
        discussion: """
            Makes the same complete pass as `locus snapshot` and sums it up as a monitoring plugin
            does. Exit status 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (including an invalid
            configuration, whose errors go to stderr).
            """
    )

    @OptionGroup var options: EngineCommandOptions

    func run() async throws {
        let snapshot: Snapshot
        do {
            snapshot = try await options.takeSnapshot()
        } catch let exit as ExitCode where exit == ExitCode(1) {
            print("LOCUS UNKNOWN - the configuration is invalid (errors on stderr)")
            throw ExitCode(CheckStatus.unknown.exitCode)
        } catch {
            print("LOCUS UNKNOWN - \(error)")
            throw ExitCode(CheckStatus.unknown.exitCode)
        }
        let result = CheckResult(snapshot)
        print(result.line)
        throw ExitCode(result.exitCode)
    }
}
