import ArgumentParser
import Foundation
import LocusCore
import LocusLab

/// `locus lab`: a real LISP lab on loopback (map-server, simulated xTRs, churn) with the
/// dashboard on top, in one process; `--headless` runs only the lab, for another Locus to watch.
struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Run a LISP lab on loopback and watch it in the dashboard.",
        discussion: """
            Starts a map-server and one simulated xTR per site on 127.0.0.1, registers the \
            workloads' EIDs, moves some of them over time (--churn), writes locus.toml, \
            inventory.toml and the store into the lab directory, and opens the dashboard on it. \
            On exit (q or a signal) the lab stops and a temporary directory is removed; a \
            directory given with --dir is kept. With --headless the lab runs without the \
            dashboard and prints the path of its locus.toml.
            """
    )

    @Option(help: "Number of workloads.")
    var workloads = 300

    @Option(help: "Number of sites.")
    var sites = 3

    @Option(help: "Seed of the generated world and of the churn: the same seed, the same lab.")
    var seed: UInt64 = 1

    @Option(
        help: ArgumentHelp(
            "Time between moves: seconds (2) or a duration (500ms, 1m); 0 for none.",
            valueName: "interval"
        )
    )
    var churn = "0"

    @Option(help: ArgumentHelp("Keep the lab's files in this directory (default: a temporary one).", valueName: "dir"))
    var dir: String?

    @Flag(help: "Run the lab without the dashboard, until SIGINT or SIGTERM.")
    var headless = false

    @OptionGroup
    var display: DisplayOptions

    func validate() throws {
        guard workloads > 0 else { throw ValidationError("--workloads must be at least 1") }
        guard sites > 0 else { throw ValidationError("--sites must be at least 1") }
        _ = try churnInterval()
    }

    func churnInterval() throws -> Duration? {
        let interval: Duration
        if let seconds = Int(churn) {
            guard seconds >= 0 else { throw ValidationError("--churn must not be negative") }
            interval = .seconds(seconds)
        } else {
            do {
                interval = try Duration(configText: churn)
            } catch {
                throw ValidationError("--churn \(churn): \(error.reason)")
            }
        }
        return interval == .zero ? nil : interval
    }

    func run() async throws {
        let configuration = LabConfiguration(
            workloads: workloads,
            sites: sites,
            seed: seed,
            churnInterval: try churnInterval(),
            directory: dir
        )
        if headless {
            try await runHeadless(configuration)
        } else {
            try await LabDashboard.run(configuration, display: display)
        }
    }

    private func runHeadless(_ configuration: LabConfiguration) async throws {
        let lab = try await Lab.start(configuration)
        FileHandle.standardOutput.write(Data((lab.configFile + "\n").utf8))
        let (stopped, stop) = AsyncStream.makeStream(of: Void.self)
        let signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.yield() }
            source.resume()
            return source
        }
        defer {
            for source in signals {
                source.cancel()
            }
        }
        for await _ in stopped {
            break
        }
        await lab.stop()
    }
}
