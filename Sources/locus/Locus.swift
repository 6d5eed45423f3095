import ArgumentParser

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
            ThemesCommand.self,
            LabCommand.self,
            SnapshotCommand.self,
            CheckCommand.self,
                // Further subcommands are listed here, in the order `locus --help` shows them:
                // LigCommand.self, MapServerCommand.self, and the lab, snapshot and check commands.
        ],
        defaultSubcommand: DashboardCommand.self
    )
}

enum LocusVersion {
    static let string = "locus 0.1.0"
}
