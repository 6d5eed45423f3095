import ArgumentParser
import Foundation
import LocusCore

/// `locus config check [--config FILE]`: validates `locus.toml` and the inventory files it names.
struct ConfigCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration and the inventory files it names.",
        discussion: """
            Every error is printed to stderr as FILE:LINE: message and the exit code is 1. \
            Warnings, such as a secret file readable by others, go to stderr with exit code 0. \
            A valid configuration prints a one-line summary to stdout.
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp("The configuration file.", discussion: "Default: $XDG_CONFIG_HOME/locus/locus.toml."),
        completion: .file(extensions: ["toml"])
    )
    var config: String?

    func run() throws {
        let directories = XDGDirectories(
            environment: ProcessInfo.processInfo.environment,
            home: FileManager.default.homeDirectoryForCurrentUser.path
        )
        let result = ConfigCheck.run(configFile: config ?? directories.defaultConfigFile, directories: directories)
        for line in result.diagnostics {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        if let summary = result.summary {
            print(summary)
        }
        if result.exitCode != 0 {
            throw ExitCode(result.exitCode)
        }
    }
}
