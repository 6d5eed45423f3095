import ArgumentParser
import Dispatch
import Foundation
import LocusCore
import LocusLab
import LocusTUI
import Logging

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
            locus.toml). snapshot-json (the JSON document of a 100000-workload snapshot) and render \
            (whole dashboard frames of that snapshot into a text backend) need no network.

            Prints one row per benchmark: operations, wall time, rate, and latency p50/p99 of single \
            operations. Numbers mean something only from a release build: \
            swift build -c release --product locus, then run that binary. A debug build says so on stderr. \
            Exits 0 when every selected benchmark ran, 1 when one could not, 2 on bad usage.
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

/// The benchmarks, in the order they run.
enum BenchmarkName: String, CaseIterable, Sendable {
    case resolver
    case dns
    case enginePass = "engine-pass"
    case snapshotJSON = "snapshot-json"
    case render

    static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Whether it talks to the loopback lab.
    var needsLab: Bool {
        switch self {
        case .resolver, .dns, .enginePass: true
        case .snapshotJSON, .render: false
        }
    }
}

/// How much each benchmark does: `full` for measurements, `quick` for a smoke run in tests.
struct BenchSizes: Sendable {
    var labWorkloads: Int
    var lookups: Int
    var queries: Int
    var inFlight: Int
    var enginePasses: Int
    var worldWorkloads: Int
    var encodings: Int
    var frames: Int
    var screen: Size

    static let full = BenchSizes(
        labWorkloads: 2000,
        lookups: 20_000,
        queries: 20_000,
        inFlight: 64,
        enginePasses: 5,
        worldWorkloads: 100_000,
        encodings: 5,
        frames: 100,
        screen: Size(width: 200, height: 60)
    )

    static let quick = BenchSizes(
        labWorkloads: 200,
        lookups: 400,
        queries: 400,
        inFlight: 16,
        enginePasses: 1,
        worldWorkloads: 5000,
        encodings: 2,
        frames: 10,
        screen: Size(width: 160, height: 48)
    )
}

/// Runs the selected benchmarks one after the other, so they do not compete for the cores, starting the
/// lab and building the large world only when a selected benchmark needs them.
struct BenchRunner {
    var selected: [BenchmarkName]
    var sizes: BenchSizes
    var showsProgress: Bool

    /// The lab's and the engine's logs would interleave with the table; a failure surfaces as an error.
    private let logger = Logger(label: "locus.bench") { _ in SwiftLogNoOpLogHandler() }

    func run() async throws -> [BenchResult] {
        var fixtures = BenchFixtures(sizes: sizes, logger: logger, progress: progress)
        var results: [BenchResult] = []
        do {
            for (position, name) in selected.enumerated() {
                results.append(try await measure(name, fixtures: &fixtures))
                // The lab's sockets and tasks are closed before benchmarks that do not need it.
                if !selected[(position + 1)...].contains(where: \.needsLab) {
                    await fixtures.stopLab()
                }
            }
        } catch {
            await fixtures.stopLab()
            progress(nil)
            throw error
        }
        progress(nil)
        return results
    }

    private func measure(_ name: BenchmarkName, fixtures: inout BenchFixtures) async throws -> BenchResult {
        switch name {
        case .resolver:
            let lab = try await fixtures.lab()
            progress("running \(name.rawValue)")
            return try await NetworkBenchmarks.resolver(
                lab: lab,
                lookups: sizes.lookups,
                inFlight: sizes.inFlight,
                logger: logger
            )
        case .dns:
            let lab = try await fixtures.lab()
            progress("running \(name.rawValue)")
            return try await NetworkBenchmarks.dns(lab: lab, queries: sizes.queries, inFlight: sizes.inFlight)
        case .enginePass:
            let lab = try await fixtures.lab()
            progress("running \(name.rawValue)")
            return try await EngineBenchmark.run(over: lab, passes: sizes.enginePasses, logger: logger)
        case .snapshotJSON:
            let snapshot = fixtures.snapshot()
            progress("running \(name.rawValue)")
            return try await SnapshotBenchmarks.json(snapshot, encodings: sizes.encodings)
        case .render:
            let snapshot = fixtures.snapshot()
            progress("running \(name.rawValue)")
            return try await SnapshotBenchmarks.render(snapshot, frames: sizes.frames, size: sizes.screen)
        }
    }

    /// One transient status line on a terminal's stderr, replaced by the next; nil clears it.
    private func progress(_ text: String?) {
        guard showsProgress else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + (text.map { $0 + "…" } ?? "")).utf8))
    }
}

/// What the benchmarks run against, made on first use: the loopback lab, and the large world in memory.
struct BenchFixtures {
    let sizes: BenchSizes
    let logger: Logger
    let progress: (String?) -> Void
    private var startedLab: Lab?
    private var builtSnapshot: Snapshot?

    init(sizes: BenchSizes, logger: Logger, progress: @escaping (String?) -> Void) {
        self.sizes = sizes
        self.logger = logger
        self.progress = progress
    }

    mutating func lab() async throws -> Lab {
        if let startedLab { return startedLab }
        progress("starting a lab of \(sizes.labWorkloads) workloads on 127.0.0.1")
        do {
            let lab = try await Lab.start(
                LabConfiguration(workloads: sizes.labWorkloads, seed: 1, probePort: 0, name: "bench"),
                logger: logger
            )
            startedLab = lab
            return lab
        } catch {
            throw BenchError.labFailed(reason: "\(error)")
        }
    }

    mutating func snapshot() -> Snapshot {
        if let builtSnapshot { return builtSnapshot }
        progress("building a world of \(sizes.worldWorkloads) workloads")
        let snapshot = BenchWorld.snapshot(workloads: sizes.worldWorkloads)
        builtSnapshot = snapshot
        return snapshot
    }

    /// Stops the lab, if one runs, closing its sockets and removing its directory.
    mutating func stopLab() async {
        await startedLab?.stop()
        startedLab = nil
    }
}
