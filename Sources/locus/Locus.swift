import ArgumentParser
import Foundation

@main
struct Locus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locus",
        abstract: "A terminal dashboard for operators who migrate virtual machines.",
        discussion: """
            Without a subcommand, Locus opens the dashboard in this terminal. It reads its \
            configuration from $XDG_CONFIG_HOME/locus/locus.toml (or --config FILE); without one \
            it opens on an empty world. Press ? in the dashboard for its keys.

            Dashboard options (see `locus help dashboard`): --config FILE, --theme NAME, \
            --ascii, --no-color.
            """,
        version: LocusVersion.string,
        subcommands: [
            DashboardCommand.self,
            LabCommand.self,
            ThemesCommand.self,
            SnapshotCommand.self,
            CheckCommand.self,
            ConfigCommand.self,
            LigCommand.self,
            MapServerCommand.self,
            BenchCommand.self,
            MigrateCommand.self,
            AuditCommand.self,
            StoreCommand.self,
        ],
        defaultSubcommand: DashboardCommand.self
    )

    /// Bad usage exits 2, as scripts reading Locus's exit codes expect, rather than the parser's 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

enum LocusVersion {
    static let string = "locus 0.1.0"
}
