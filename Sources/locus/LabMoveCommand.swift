import ArgumentParser
import Foundation
import LocusCore
import LocusLab
import NIOCore

/// `locus lab move`: the mover a lab's locus.toml names, asking the running lab to move a workload.
struct LabMoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Ask a running lab to move a workload to another site (the lab's mover for cutovers).",
        discussion: """
            Asks the lab listening at --control to move WORKLOAD to SITE: the destination's xTR registers \
            its EID (confirmed by a Map-Notify), the source's withdraws it, and the lab's inventory file \
            learns where it is. With an --address other than the one it has, it answers there afterwards \
            and keeps its EID. DNS records and pool members are not touched: making them follow is the \
            cutover's job. A move to where it already is, with its address, does nothing and succeeds.

            Exit status: 0 done (or nothing to do), 1 refused or failed (unknown workload or site, already \
            there, bad address, the lab not answering within --timeout), 2 bad usage.
            """
    )

    @Argument(help: "The workload to move.")
    var workload: String

    @Argument(help: "The site to move it to.")
    var site: String

    @Option(help: "The address it answers at after the move (default: the one it has).")
    var address: String?

    @Option(help: ArgumentHelp("The lab's control port, from its locus.toml.", valueName: "HOST:PORT"))
    var control: String

    @Option(help: ArgumentHelp("How long to wait for the lab, connecting and moving.", valueName: "DURATION"))
    var timeout = "1m"

    func validate() throws {
        _ = try LabControlOptions.address(control)
        _ = try TimeoutOption.parse(timeout)
    }

    func run() async throws {
        let reply = try await LabControlOptions.send(
            .move(workload, to: site, address: address),
            control: control,
            timeout: timeout,
            command: "locus lab move"
        )
        guard let report = reply.move else {
            StandardError.write(["locus lab move: the lab answered without a move report"])
            throw ExitCode(1)
        }
        print(LabControlText.move(report), terminator: "")
    }
}

/// `--control`, as `locus lab move` and `locus lab status` take it, and their one exchange with the lab.
enum LabControlOptions {
    static func address(_ text: String) throws -> SocketAddress {
        do {
            return try LabControlClient.address(text)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The lab's reply, or its refusal (or silence) on stderr and exit status 1.
    static func send(
        _ request: LabControlRequest,
        control: String,
        timeout: String,
        command: String
    ) async throws -> LabControlReply {
        let reply: LabControlReply
        do {
            reply = try await LabControlClient.send(
                request,
                to: address(control),
                timeout: TimeoutOption.parse(timeout)
            )
        } catch let error as LabControlError {
            StandardError.write(["\(command): \(error)"])
            throw ExitCode(1)
        }
        guard reply.ok else {
            StandardError.write(["\(command): \(reply.error ?? "the lab refused without a reason")"])
            throw ExitCode(1)
        }
        return reply
    }
}
