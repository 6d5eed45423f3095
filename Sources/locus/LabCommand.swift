import ArgumentParser
import Dispatch
import Foundation
import LocusCore
import LocusEngine
import LocusLab

/// `locus lab`: the embedded lab on loopback with the dashboard over it (see `LabDashboard`);
/// `--headless`: the lab alone, until SIGINT or SIGTERM.
struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Run a LISP lab on loopback: a map-server, one xTR per site, workloads that move.",
        discussion: """
            Starts, in this process and on free loopback ports, a map-server with its registration API and \
            one simulated xTR per site that registers its workloads' EIDs with the site's RLOCs in \
            127.0.0.0/8 and answers RLOC probes. It writes keys (0600), mapserver.toml, inventory.toml and \
            locus.toml into the lab directory. Once every site's first registration is confirmed it prints \
            the absolute path of that locus.toml alone on the first line of stdout, so that \
            `locus snapshot --config PATH` and `locus check --config PATH` can watch it. It runs until \
            SIGINT or SIGTERM, then closes its sockets and removes a temporary lab directory.

            With --churn SECONDS a random workload moves every SECONDS (the destination xTR registers it, \
            the source withdraws it, the inventory is rewritten), and now and then something breaks on \
            purpose: an xTR stops registering for a while, a move the inventory does not learn about, \
            a workload that flaps between two sites, a site service that stops answering for a while. \
            Some moves re-address a workload: the lab then updates its DNS record and PTR (signed \
            UPDATEs to its own DNS responder) and its HAProxy pool member, but now and then leaves one \
            behind. The same --seed gives the same world.

            The lab's workloads depend on a DNS record each, the auth and storage services of their \
            site and, when haproxy is installed (and not --no-haproxy), a pool member of the web or api \
            backend of a real HAProxy the lab runs, and the set backends of their home site's firewall \
            (simulated in the lab, listed and changed with `locus lab nft`; churn sometimes leaves an old \
            address in it); locus.toml declares the DNS server, the balancer and one firewall per site.

            The lab listens on a control port (127.0.0.1, a free port) and its locus.toml's [migration]             mover is `locus lab move` against it, so a cutover moves the lab's workloads as it would real             ones; `locus lab status` shows what it was asked. --move-delay makes each such move wait             before it acts; --fail-step mover fails the lab's next move once, --fail-step dns has its DNS server refuse the next changing UPDATE once.
            """,
        subcommands: [LabMoveCommand.self, LabStatusCommand.self, LabNFTCommand.self]
    )

    @Option(help: "How many workloads.")
    var workloads = 300

    @Option(help: "How many sites (dc-east, dc-west, cloud-1, …).")
    var sites = 3

    @Option(help: "The seed of the world and of the churn.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Seconds between churn actions; 0 for none (the default).", valueName: "SECONDS"))
    var churn: Double = 0

    @Option(
        help: ArgumentHelp(
            "The lab directory, kept after the lab stops (default: a new temporary one).",
            valueName: "DIR"
        ),
        completion: .directory
    )
    var dir: String?

    @Flag(help: "Run the lab alone, without the dashboard.")
    var headless = false

    @Flag(name: .customLong("no-haproxy"), help: "Do not run HAProxy even when it is installed.")
    var withoutHAProxy = false

    @Option(
        name: .customLong("move-delay"),
        help: ArgumentHelp("How long each move asked through the control port waits first.", valueName: "DURATION")
    )
    var moveDelay: String?

    @Option(
        name: .customLong("dns-delay"),
        help: ArgumentHelp(
            "How long the lab's DNS server waits before each answer, like a distant one.",
            valueName: "DURATION"
        )
    )
    var dnsDelay: String?

    @Option(
        name: .customLong("fail-step"),
        help: ArgumentHelp(
            "A cutover step to fail once: mover (the next move exits 1) or dns (the next changing UPDATE is refused).",
            valueName: "NAME"
        )
    )
    var failStep: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Request a migration of one of the lab's workloads every SECONDS (requested by lab), for one "
                + "operator to approve; 0 never. Default: 120 in the dashboard, never with --headless.",
            valueName: "SECONDS"
        )
    )
    var plan: Double?

    @OptionGroup
    var display: DisplayOptions

    func validate() throws {
        guard churn >= 0, churn.isFinite else { throw ValidationError("--churn \(churn): give seconds, 0 or more") }
        guard (1...WorldGenerator.maximumSites).contains(sites) else {
            throw ValidationError("--sites \(sites): give 1 to \(WorldGenerator.maximumSites)")
        }
        guard workloads >= 0 else { throw ValidationError("--workloads \(workloads): give 0 or more") }
        _ = try parsedMoveDelay()
        _ = try parsedDNSDelay()
        if let plan, !(plan >= 0 && plan.isFinite) { throw ValidationError("--plan \(plan): give seconds, 0 or more") }
        if let failStep, !LabMover.isStep(failStep) {
            throw ValidationError(
                "--fail-step \(failStep): give one of \(LabMover.steps.joined(separator: ", "))"
            )
        }
    }

    /// `--plan` as a period, or nil for never.
    private func planInterval(default seconds: Double) -> Duration? {
        let value = plan ?? seconds
        return value > 0 ? .milliseconds(Int64((value * 1000).rounded())) : nil
    }

    private func parsedDNSDelay() throws -> Duration { try Self.delay(dnsDelay, flag: "--dns-delay") }

    private func parsedMoveDelay() throws -> Duration { try Self.delay(moveDelay, flag: "--move-delay") }

    /// A `--…-delay DURATION` option: zero when absent.
    private static func delay(_ text: String?, flag: String) throws -> Duration {
        guard let text else { return .zero }
        guard let duration = try? Duration(configText: text) else {
            throw ValidationError("\(flag) \(text): give a duration like \"500ms\", \"5s\" or \"1m\"")
        }
        return duration
    }

    func run() async throws {
        guard headless else {
            try await LabDashboard.run(labConfiguration, plan: planInterval(default: 120), display: display)
            return
        }
        try? EngineSetup.bootstrapLogging(directories: EngineSetup.directories)
        let (stopRequests, stopContinuation) = AsyncStream.makeStream(of: Int32.self)
        // Installed before the lab starts, so a signal during the start still stops it cleanly.
        let signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stopContinuation.yield(number) }
            source.resume()
            return source
        }
        defer {
            for source in signals { source.cancel() }
        }
        let lab: Lab
        do {
            lab = try await Lab.start(labConfiguration)
        } catch {
            StandardError.write(["locus lab: \(error)"])
            throw ExitCode(1)
        }
        FileHandle.standardOutput.write(Data((lab.configFile + "\n").utf8))
        let planner = planInterval(default: 0).map { interval in
            Task { await LabPlanner(configFile: lab.configFile, interval: interval).run() }
        }
        for await _ in stopRequests { break }
        planner?.cancel()
        await lab.stop()
    }

    private var labConfiguration: LabConfiguration {
        LabConfiguration(
            workloads: workloads,
            sites: sites,
            seed: seed,
            churnInterval: churn > 0 ? .milliseconds(Int64((churn * 1000).rounded())) : nil,
            directory: dir,
            loadBalancer: !withoutHAProxy,
            moveDelay: (try? parsedMoveDelay()) ?? .zero,
            failStep: failStep,
            dnsDelay: (try? parsedDNSDelay()) ?? .zero
        )
    }
}
