import ArgumentParser
import Dispatch
import Foundation

/// `locus bench [--only NAME[,NAME]] [--quick] [--json]`: Locus's own benchmarks, in this process and on
/// loopback, one row each.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Locus's lookups, queries, engine passes, JSON output and dashboard frames.",
        discussion: """
            Runs named benchmarks in this process. The network ones talk to a lab started on free \
            127.0.0.1 ports (a map-server, one simulated xTR per site, the lab's DNS), nothing else: \
            resolver (Map-Request lookups through the resolver client, many in flight), dns (A queries \
            to the lab's DNS), engine-pass (complete `locus snapshot` passes over the lab's own \
            locus.toml; the lab answers in the same process, so its work counts too). snapshot-json (the JSON document of a 100000-workload snapshot) and render \
            (whole dashboard frames of that snapshot into a text backend) need no network.

            Prints one row per benchmark: operations, wall time, rate, and latency p50/p99 of single \
            operations. engine-pass, snapshot-json and render stop after about 15 seconds (3 operations at \
            least), so a slow one still finishes. Numbers mean something only from a release build: \
            swift build -c release --product locus, then run that binary. A debug build says so on stderr. \
            With --json it prints {"build": "release"|"debug", "benchmarks": [{"name", "operations", \
            "seconds", "per_second", "p50_ms", "p99_ms"}]} instead, latencies in milliseconds.

            Exits 0 when every selected benchmark ran, 1 when one could not, 2 on bad usage, 130 when \
            interrupted (the lab is stopped and its directory removed first).
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Run only these benchmarks, comma-separated: \(BenchmarkName.list).",
            valueName: "NAME[,NAME]"
        )
    )
    var only: String?

    @Flag(name: .long, help: "Run a small size of each benchmark (a smoke run, not a measurement).")
    var quick = false

    @Flag(name: .long, help: "Print a JSON document instead of a table.")
    var json = false

    func validate() throws {
        _ = try selection()
    }

    func run() async throws {
        #if DEBUG
        StandardError.write([
            "warning: this is a debug build; its numbers are only meaningful in a release build "
                + "(swift build -c release --product locus)"
        ])
        #endif
        let date = Date()
        let runner = BenchRunner(
            selected: try selection(),
            sizes: quick ? .quick : .full,
            showsProgress: !json && isatty(STDERR_FILENO) == 1
        )
        let results: [BenchResult]
        do {
            results = try await Self.interruptible { try await runner.run() }
        } catch is CancellationError {
            StandardError.write(["locus bench: interrupted"])
            throw ExitCode(130)
        } catch {
            StandardError.write(["locus bench: \(error)"])
            throw ExitCode(1)
        }
        let report = BenchReport(
            build: BenchReport.currentBuild,
            cores: ProcessInfo.processInfo.activeProcessorCount,
            date: date,
            isQuick: quick,
            results: results
        )
        if json {
            FileHandle.standardOutput.write(try report.jsonData())
        } else {
            print(report.table(), terminator: "")
        }
    }

    /// Runs `body` in a task that SIGINT and SIGTERM cancel, so an interrupted run still stops the lab and
    /// removes its directory.
    private static func interruptible<T: Sendable>(
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let task = Task { try await body() }
        let signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            // A second signal does not wait for the benchmarks to notice the first.
            source.setEventHandler {
                if task.isCancelled { _exit(130) }
                task.cancel()
            }
            source.resume()
            return source
        }
        defer {
            for source in signals { source.cancel() }
        }
        do {
            return try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
        } catch {
            // Whatever a cancelled benchmark failed with, the run was interrupted.
            if task.isCancelled { throw CancellationError() }
            throw error
        }
    }

    /// The benchmarks `--only` names, in their usual order; all of them without it.
    func selection() throws -> [BenchmarkName] {
        guard let only else { return BenchmarkName.allCases }
        let names = only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let unknown = names.filter { BenchmarkName(rawValue: $0) == nil }
        guard unknown.isEmpty else {
            let quoted = unknown.map { "\"\($0)\"" }.joined(separator: ", ")
            throw ValidationError(
                "--only: unknown benchmark \(quoted); the benchmarks are \(BenchmarkName.list)"
            )
        }
        guard !names.isEmpty else {
            throw ValidationError("--only: name at least one benchmark: \(BenchmarkName.list)")
        }
        let chosen = Set(names.compactMap(BenchmarkName.init(rawValue:)))
        return BenchmarkName.allCases.filter(chosen.contains)
    }
}
