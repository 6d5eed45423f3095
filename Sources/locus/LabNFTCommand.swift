import ArgumentParser
import Foundation
import LocusLab

/// `locus lab nft`: a lab site's simulated firewall, as the lab's locus.toml `[[firewall]]` commands run it.
struct LabNFTCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nft",
        abstract: "List or change a running lab site's firewall, as nft would (the lab's [[firewall]] commands).",
        discussion: """
            Each lab site has a firewall simulated in the lab, with table inet lab and set backends (ipv4_addr) \
            holding the address of every workload with dependencies at home there. `list` prints it as \
            `nft -j list ruleset` does; `apply` reads an nft batch on stdin (add element / delete element \
            lines on that set) and applies it whole or not at all, as `nft -f -` does.
            """,
        subcommands: [LabNFTListCommand.self, LabNFTApplyCommand.self]
    )
}

/// `--control`, `--timeout` and the site, as both `locus lab nft` commands take them.
struct LabNFTOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The lab's control port, from its locus.toml.", valueName: "HOST:PORT"))
    var control: String

    // Under the 5s the lab's locus.toml gives a firewall command, so the reason reaches the engine.
    @Option(help: ArgumentHelp("How long to wait for the lab.", valueName: "DURATION"))
    var timeout = "4s"

    @Argument(help: "The lab site whose firewall to ask.")
    var site: String

    func validate() throws {
        _ = try LabControlOptions.address(control)
        _ = try TimeoutOption.parse(timeout)
    }

    /// The ruleset the lab answered with, or the refusal on stderr and exit status 1.
    func ruleset(for request: LabControlRequest, command: String) async throws -> String {
        let reply = try await LabControlOptions.send(request, control: control, timeout: timeout, command: command)
        guard let ruleset = reply.ruleset else {
            StandardError.write(["\(command): the lab answered without a ruleset"])
            throw ExitCode(1)
        }
        return ruleset
    }
}

/// `locus lab nft list`: the `command` of a lab `[[firewall]]`.
struct LabNFTListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Print a lab site's firewall ruleset as `nft -j list ruleset` does.",
        discussion: "Exit status: 0 printed, 1 no such site or the lab did not answer within --timeout, 2 bad usage."
    )

    @OptionGroup
    var options: LabNFTOptions

    func run() async throws {
        let ruleset = try await options.ruleset(
            for: .listFirewall(site: options.site),
            command: "locus lab nft list"
        )
        FileHandle.standardOutput.write(Data(ruleset.utf8))
    }
}

/// `locus lab nft apply`: the `apply_command` of a lab `[[firewall]]`.
struct LabNFTApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply an nft batch read on stdin to a lab site's firewall, all or nothing, as `nft -f -` does.",
        discussion: """
            Takes `add element inet lab backends { ADDRESS, … }` and `delete element …` lines. A line it \
            cannot take (another command, another set, a bad address, an element to delete that is not \
            there) refuses the whole batch, naming the line.

            Exit status: 0 applied, 1 refused (the reason on stderr), no such site or the lab did not \
            answer within --timeout, 2 bad usage.
            """
    )

    /// The lab's control port reads requests of at most 8 KiB; a cutover's batch is a few lines.
    static let maximumBatchBytes = 6144

    @OptionGroup
    var options: LabNFTOptions

    func run() async throws {
        let batch = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        guard batch.utf8.count <= Self.maximumBatchBytes else {
            StandardError.write([
                "locus lab nft apply: a batch of \(batch.utf8.count) bytes; the lab takes at most "
                    + "\(Self.maximumBatchBytes): split it"
            ])
            throw ExitCode(1)
        }
        _ = try await options.ruleset(
            for: .applyFirewall(site: options.site, batch: batch),
            command: "locus lab nft apply"
        )
    }
}
