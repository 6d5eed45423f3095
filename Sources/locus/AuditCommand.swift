import ArgumentParser
import Foundation
import LocusCore
import LocusStore

/// `locus audit [--since DURATION] [--json]` and `locus audit verify`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print the audit log of every decision, refusals included.",
        subcommands: [AuditListCommand.self, AuditVerifyCommand.self],
        defaultSubcommand: AuditListCommand.self
    )
}

struct AuditListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Print the audit log, oldest first.")
    @OptionGroup var options: MigrationOptions
    @Option(
        name: .long,
        help: ArgumentHelp("Only entries of the last DURATION (\"2h\", \"7d\").", valueName: "DURATION")
    )
    var since: String?

    func run() async throws {
        var start: Date?
        if let since {
            do {
                let duration = try Duration(configText: since)
                start = Date().addingTimeInterval(-Double(duration.components.seconds))
            } catch {
                throw ValidationError("--since \(since): \(error)")
            }
        }
        let desk = try options.desk()
        let entries = try await refusingWithExit1 { try await desk.store.auditEntries(since: start) }
        if options.json {
            FileHandle.standardOutput.write(try MigrationDocument.data(MigrationDocument.audit(entries)))
        } else {
            print(MigrationText.audit(entries), terminator: "")
        }
    }
}

struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Walk the audit hash chain; name the first entry that does not match (exit 1).",
        discussion: """
            Prints the chain head: record it elsewhere. A rewrite that recomputes every hash verifies, \
            but shows as another head than the one you recorded.
            """
    )
    @OptionGroup var options: MigrationOptions

    func run() async throws {
        let desk = try options.desk()
        let entries = try await refusingWithExit1 { try await desk.store.auditEntries(since: nil) }
        switch AuditChain.verify(entries) {
        case .intact(let count, let head):
            print("audit chain intact: \(count) entries, head \(head)")
        case .broken(let entry, let reason):
            StandardError.write([
                "audit chain broken at entry \(entry.sequence) (\(RFC3339.string(from: entry.at)) \(entry.user) "
                    + "\(entry.action) \(entry.object)): \(reason)"
            ])
            throw ExitCode(1)
        }
    }
}
