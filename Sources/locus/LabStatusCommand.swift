import ArgumentParser
import Foundation
import LocusLab

/// `locus lab status`: what a running lab's mover was asked, its sites and workloads.
struct LabStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a running lab's sites, workload count and the moves its mover was asked.",
        discussion: """
            Asks the lab listening at --control. The moves asked are counted per workload, failed ones and \
            ones with nothing to do included. --json prints one object (version 1): name, sites[] (name, \
            workloads), workloads, invocations[] (workload, count), unknown_workload_invocations, \
            move_delay_ms, fail_step, fail_step_taken.

            Exit status: 0 answered, 1 the lab did not answer within --timeout, 2 bad usage.
            """
    )

    @Option(help: ArgumentHelp("The lab's control port, from its locus.toml.", valueName: "HOST:PORT"))
    var control: String

    @Option(help: ArgumentHelp("How long to wait for the lab.", valueName: "DURATION"))
    var timeout = "10s"

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        _ = try LabControlOptions.address(control)
        _ = try TimeoutOption.parse(timeout)
    }

    func run() async throws {
        let reply = try await LabControlOptions.send(
            .status,
            control: control,
            timeout: timeout,
            command: "locus lab status"
        )
        guard let status = reply.status else {
            StandardError.write(["locus lab status: the lab answered without its status"])
            throw ExitCode(1)
        }
        if json {
            FileHandle.standardOutput.write(try LabControlCoding.document(status))
        } else {
            print(LabControlText.status(status), terminator: "")
        }
    }
}
