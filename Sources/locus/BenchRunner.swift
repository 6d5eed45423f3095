import Foundation
import LocusCore
import LocusLab
import LocusTUI
import Logging

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
    /// How long engine-pass, snapshot-json and render may take before they stop early (after 3 operations).
    var budget: Duration?

    static let full = BenchSizes(
        labWorkloads: 2000,
        lookups: 20_000,
        queries: 20_000,
        inFlight: 64,
        enginePasses: 10,
        worldWorkloads: 100_000,
        encodings: 10,
        frames: 200,
        screen: Size(width: 200, height: 60),
        budget: .seconds(15)
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
        screen: Size(width: 160, height: 48),
        budget: nil
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
            return try await EngineBenchmark.run(
                over: lab,
                passes: sizes.enginePasses,
                budget: sizes.budget,
                logger: logger
            )
        case .snapshotJSON:
            let snapshot = fixtures.snapshot()
            progress("running \(name.rawValue)")
            return try await SnapshotBenchmarks.json(snapshot, encodings: sizes.encodings, budget: sizes.budget)
        case .render:
            let snapshot = fixtures.snapshot()
            progress("running \(name.rawValue)")
            return try await SnapshotBenchmarks.render(
                snapshot,
                frames: sizes.frames,
                size: sizes.screen,
                budget: sizes.budget
            )
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
            // No HAProxy: it is another program, installed or not, so the lab is the same on every machine.
            let lab = try await Lab.start(
                LabConfiguration(
                    workloads: sizes.labWorkloads,
                    seed: 1,
                    probePort: 0,
                    name: "bench",
                    loadBalancer: false
                ),
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
