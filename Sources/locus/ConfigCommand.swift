import ArgumentParser

/// `locus config …`: commands about the configuration files.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Work with the configuration files.",
        subcommands: [ConfigCheckCommand.self]
    )
}
