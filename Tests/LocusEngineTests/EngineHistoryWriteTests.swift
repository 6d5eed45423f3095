import Foundation
import LocusCore
import LocusEngine
import LocusStore
import LocusTestSupport
import Testing

/// web-1 registered at dc-east, an xTR at dc-west ready to take it over, and a store of the test's own.
struct OneMoveScene {
    let directory: TemporaryDirectory
    let server: MapServerFixture
    let east: SimulatedXTR
    let west: SimulatedXTR
    let config: LocusConfig
    var path: String { directory.file("locus.sqlite") }

    init() async throws {
        directory = try TemporaryDirectory()
        server = try await MapServerFixture()
        east = try await SimulatedXTR.east(server)
        west = try await SimulatedXTR.west(server)
        try await east.register("10.1.0.1")
        config = try await EngineBehaviourTests.config(
            in: directory,
            server: server,
            workloads: 1,
            maxAge: .seconds(600)
        )
    }

    func engine(_ tuning: EngineTuning = fastTuning) throws -> Engine {
        Engine(config: config, store: try SQLiteHistoryStore(path: path), tuning: tuning)
    }

    /// Waits for web-1 at dc-east, then moves it to dc-west and returns the first snapshot showing it there.
    func waitForEastThenMove(_ engine: Engine, around lock: (() async throws -> Void)? = nil) async throws -> Snapshot {
        _ = try await snapshot(of: engine, "web-1 at dc-east") { $0.workload("web-1")?.mapping.site == "dc-east" }
        try await lock?()
        try await west.register("10.1.0.1")
        await engine.rescan()
        return try await snapshot(of: engine, within: .seconds(10), "web-1 at dc-west") {
            $0.workload("web-1")?.mapping.site == "dc-west"
        }
    }

    func storedMoves() async throws -> Int {
        try await SQLiteHistoryStore(path: path).moves(of: "web-1", limit: 10).count
    }

    func stop() async {
        await east.stop()
        await west.stop()
        await server.stop()
    }
}

/// A running engine's history goes to the store behind the screen.
@Suite("Engine history writes", .serialized)
struct EngineHistoryWriteTests {
    @Test("a store another process holds locked is slow, and the screen goes on showing moves meanwhile")
    func lockedStore() async throws {
        let scene = try await OneMoveScene()
        var tuning = fastTuning
        tuning.storeSlowAfter = .milliseconds(300)
        let engine = try scene.engine(tuning)
        try await running(engine) {
            var lock: SQLiteWriteLock?
            defer { lock?.release() }
            // The write of the move waits out the lock (SQLite's busy timeout is 30 s); the screen does not.
            let moved = try await scene.waitForEastThenMove(engine) { lock = try await SQLiteWriteLock(scene.path) }
            #expect(moved.moves(of: "web-1").count == 1)
            let slow = try await snapshot(of: engine, within: .seconds(10), "the store slow") {
                $0.sources["store"]?.state == .slow
            }
            #expect(slow.sources["store"]?.lastError?.contains("a write has taken longer than 300ms") == true)
            lock?.release()
            _ = try await snapshot(of: engine, within: .seconds(10), "the store ok again") {
                $0.sources["store"]?.state == .ok
            }
            #expect(try await scene.storedMoves() == 1, "the move waited and was written")
        }
        await scene.stop()
    }

    @Test("an engine stopped while the store is locked ends by its deadline, and what it saw is written later")
    func stoppedWhileLocked() async throws {
        let scene = try await OneMoveScene()
        var tuning = fastTuning
        tuning.finalWriteDeadline = .milliseconds(500)
        let engine = try scene.engine(tuning)
        let run = Task { try await engine.run() }
        var lock: SQLiteWriteLock?
        defer { lock?.release() }
        _ = try await scene.waitForEastThenMove(engine) { lock = try await SQLiteWriteLock(scene.path) }
        let stopping = ContinuousClock.now
        run.cancel()
        _ = await run.result
        // Not SQLite's 30 s busy timeout: the quit takes the deadline and what is left of the pass.
        #expect(ContinuousClock.now - stopping < .seconds(10))
        #expect(try await scene.storedMoves() == 0)
        lock?.release()
        try await eventually("the move seen before stopping is in the store") { try await scene.storedMoves() == 1 }
        await scene.stop()
    }

    @Test("what a stopping engine saw last is in the store once it has stopped")
    func stoppedEngineWroteItsLastMove() async throws {
        let scene = try await OneMoveScene()
        let engine = try scene.engine()
        try await running(engine) { _ = try await scene.waitForEastThenMove(engine) }
        #expect(try await scene.storedMoves() == 1)
        await scene.stop()
    }
}
