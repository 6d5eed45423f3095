import LocusCore
import LocusEngine
import LocusLab
import LocusStore
import Logging

/// `engine-pass`: complete engine passes (`locus snapshot`'s work) over the lab's own `locus.toml`: read the
/// inventory, resolve every EID, fetch the registration table, probe the dependencies, correlate, store.
/// The lab's servers answer in the same process, so their work is part of each pass's time.
enum EngineBenchmark {
    /// Runs up to `passes` passes (fewer when `budget` runs out), each by a new engine over the same store as consecutive `locus snapshot` runs
    /// would, and returns their timings with the last pass's snapshot.
    static func run(over lab: Lab, passes: Int, budget: Duration?, logger: Logger) async throws -> BenchResult {
        let directories = XDGDirectories(environment: ["HOME": lab.directory.path])
        let config: LocusConfig
        let store: any HistoryStore
        do {
            config = try EngineSetup.loadConfig(at: lab.configFile, directories: directories).config
            store = try EngineSetup.openStore(config.store, passwordFile: config.storePasswordFile)
        } catch {
            throw BenchError.engineFailed(reason: "cannot load the lab's \(lab.configFile): \(error)")
        }
        var last: Snapshot?
        let (elapsed, latencies) = try await BenchTimer.repeatedly(passes, budget: budget) { _ in
            last = try await Engine(config: config, store: store, logger: logger).runOnce()
        }
        let expected = lab.world.workloads.count
        guard let snapshot = last, snapshot.workloads.count == expected else {
            throw BenchError.engineFailed(
                reason: "the pass saw \(last?.workloads.count ?? 0) of the lab's \(expected) workloads"
            )
        }
        return BenchResult(
            name: BenchmarkName.enginePass.rawValue,
            operations: latencies.count,
            elapsed: elapsed,
            latencies: latencies,
            detail: "\(expected) workloads, lab in this process"
        )
    }
}
