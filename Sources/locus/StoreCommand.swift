import ArgumentParser
import Foundation
import LocusEngine
import LocusStore

/// `locus store init`: create or upgrade the store's schema (and, on PostgreSQL, its roles, grants,
/// functions and policy), idempotently, saying what it did.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Prepare the store.",
        subcommands: [StoreInitCommand.self]
    )
}

struct StoreInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create or upgrade the store's schema; print what was done."
    )
    @OptionGroup var options: EngineCommandOptions

    func run() async throws {
        let opened = try options.open()
        let report = try await refusingWithExit1 {
            try await opened.store.initialize(
                approvals: opened.engine.config.approvals,
                historyKeep: opened.engine.config.historyKeep
            )
        }
        for line in report { print(line) }
    }
}
