import Foundation
import LocusCore
import LocusTestSupport
import Testing

/// The mover a lab's locus.toml names, run as a cutover runner would run it: its argv, placeholders filled,
/// as a process of its own against `locus lab --headless`.
@Suite(.serialized) struct LabMoverEndToEndTests {
    @Test func theLabsMoverMovesAWorkloadRefusesByNameAndIsCounted() async throws {
        let scratch = try ScratchDirectory()
        let lab = try LabSubprocess(
            arguments: ["lab", "--headless", "--workloads", "12", "--seed", "3", "--dir", scratch.file("lab")],
            scratch: scratch
        )
        defer { lab.kill() }
        let configFile = try await lab.firstLine(within: .seconds(60))
        let loaded = try ConfigLoader.load(
            file: configFile,
            directories: XDGDirectories(environment: [:], home: scratch.path)
        )
        let migration = try #require(loaded.config.migration, "the lab's locus.toml has a [migration] table")
        #expect(migration.moverTimeout == .seconds(120) && migration.maxRunning == 4)
        #expect(migration.verifyDeadline == .seconds(120))
        let executable = try #require(migration.mover.first)
        #expect(executable.hasPrefix("/") && FileManager.default.isExecutableFile(atPath: executable))
        #expect(URL(fileURLWithPath: executable).resolvingSymlinksInPath().path == resolved(LocusBinary.path))
        #expect(
            Array(migration.mover.dropFirst().prefix(6)) == [
                "lab", "move", "{workload}", "{site}", "--address", "{address}",
            ]
        )
        let control = try #require(migration.mover.last)
        #expect(control.hasPrefix("127.0.0.1:") && migration.mover.dropLast().last == "--control")

        let inventory = try #require(loaded.inventories.values.first)
        let workload = try #require(inventory.workloads.first)
        let eid = workload.eid.description
        let destination = try #require(loaded.config.sites.first { $0.name != workload.site })
        let resolver = try #require(loaded.config.mappings.first?.resolver.description)

        // As the runner runs it: the argv of [migration] with its placeholders filled, without a shell.
        let argv = migration.moverArguments([
            "workload": workload.name, "site": destination.name, "address": workload.address.description,
        ])
        let moved = try await run(argv, scratch: scratch)
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.stdout.contains("moved \(workload.name) from \(workload.site) to \(destination.name)"))
        let lig = try await LabSubprocess.run(["lig", eid, "--resolver", resolver], scratch: scratch)
        #expect(lig.status == 0, "\(lig.stderr)")
        for rloc in destination.rlocs { #expect(lig.stdout.contains(rloc.description), "\(lig.stdout)") }

        let again = try await run(argv, scratch: scratch)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("nothing to do"), "\(again.stdout)")

        let refusals = [
            (["no-such-vm", destination.name], "no workload named no-such-vm"),
            ([workload.name, "dc-mars"], "no site named dc-mars"),
            ([workload.name, workload.site, "--address", "10.9.9.300"], "bad address 10.9.9.300"),
        ]
        for (arguments, message) in refusals {
            let refused = try await LabSubprocess.run(
                ["lab", "move"] + arguments + ["--control", control],
                scratch: scratch
            )
            #expect(refused.status == 1, "\(arguments): \(refused.stderr)")
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
            #expect(refused.stdout.isEmpty)
        }
        let usage = try await LabSubprocess.run(["lab", "move", workload.name, destination.name], scratch: scratch)
        #expect(usage.status == 2, "no --control: \(usage.stderr)")
        let badTimeout = try await LabSubprocess.run(
            ["lab", "move", workload.name, destination.name, "--control", control, "--timeout", "soon"],
            scratch: scratch
        )
        #expect(badTimeout.status == 2, "\(badTimeout.stderr)")

        let status = try await LabSubprocess.run(["lab", "status", "--control", control, "--json"], scratch: scratch)
        #expect(status.status == 0, "\(status.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(document["version"] as? Int == 1)
        #expect(document["workloads"] as? Int == 12)
        #expect((document["sites"] as? [[String: Any]])?.count == loaded.config.sites.count)
        let invocations = document["invocations"] as? [[String: Any]] ?? []
        let counted = invocations.first { $0["workload"] as? String == workload.name }?["count"] as? Int
        #expect(counted == 4, "two moves and two refusals of \(workload.name): \(invocations)")
        #expect(document["unknown_workload_invocations"] as? Int == 1)
        let text = try await LabSubprocess.run(["lab", "status", "--control", control], scratch: scratch)
        #expect(text.status == 0 && text.stdout.contains(workload.name), "\(text.stdout)")

        lab.terminate()
        #expect(try await lab.exitStatus(within: .seconds(30)) == 0)
    }

    @Test func failStepMoverFailsTheFirstMoveThenTheMoverSucceeds() async throws {
        let scratch = try ScratchDirectory()
        let lab = try LabSubprocess(
            arguments: [
                "lab", "--headless", "--workloads", "6", "--seed", "5", "--no-haproxy", "--fail-step", "mover",
                "--move-delay", "200ms",
            ],
            scratch: scratch
        )
        defer { lab.kill() }
        let configFile = try await lab.firstLine(within: .seconds(60))
        let loaded = try ConfigLoader.load(
            file: configFile,
            directories: XDGDirectories(environment: [:], home: scratch.path)
        )
        let control = try #require(loaded.config.migration?.mover.last)
        let workload = try #require(loaded.inventories.values.first?.workloads.first)
        let destination = try #require(loaded.config.sites.first { $0.name != workload.site })
        let arguments = ["lab", "move", workload.name, destination.name, "--control", control]

        let failed = try await LabSubprocess.run(arguments, scratch: scratch)
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("failed on purpose"), "\(failed.stderr)")
        let succeeded = try await LabSubprocess.run(arguments, scratch: scratch)
        #expect(succeeded.status == 0, "\(succeeded.stderr)")
        let status = try await LabSubprocess.run(["lab", "status", "--control", control, "--json"], scratch: scratch)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(document["fail_step"] as? String == "mover" && document["fail_step_taken"] as? Bool == true)
        #expect(document["move_delay_ms"] as? Int == 200)

        let badStep = try await LabSubprocess.run(["lab", "--headless", "--fail-step", "coffee"], scratch: scratch)
        #expect(badStep.status == 2, "\(badStep.stderr)")
        lab.terminate()
        #expect(try await lab.exitStatus(within: .seconds(30)) == 0)
    }

    @Test func withNothingListeningTheMoverExits1WithinItsTimeout() async throws {
        let scratch = try ScratchDirectory()
        let port = try LoopbackSocket.freePort()
        let mover = try LabSubprocess(
            arguments: ["lab", "move", "web-01", "dc-west", "--control", "127.0.0.1:\(port)", "--timeout", "2s"],
            scratch: scratch
        )
        // Well past its own timeout, so only a mover that ignores it fails here.
        let status = try await mover.exitStatus(within: .seconds(60))
        #expect(status == 1)
        #expect(mover.stderr.contains("not answering at 127.0.0.1:\(port) within"), "\(mover.stderr)")
    }
}

/// Runs an argv whose first element is the program, as a runner does (no shell, no PATH).
private func run(
    _ argv: [String],
    scratch: ScratchDirectory
) async throws -> (status: Int32, stdout: String, stderr: String) {
    let subprocess = try LabSubprocess(arguments: Array(argv.dropFirst()), scratch: scratch, executable: argv[0])
    let status = try await subprocess.exitStatus(within: .seconds(120))
    return (status, subprocess.stdout, subprocess.stderr)
}

private func resolved(_ path: String) -> String {
    URL(fileURLWithPath: path).resolvingSymlinksInPath().path
}
