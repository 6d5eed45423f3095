import ArgumentParser
import Foundation
import LocusCore
import LocusEngine
import LocusStore
import LocusTUI

/// Runs the dashboard over a running engine: the only place that knows both.
///
/// The engine runs in a task of its own; the dashboard reads its snapshots through a
/// `LiveConnection`, so a slow source never blocks a key. On every way out the engine is
/// cancelled and awaited before this returns.
enum LiveDashboard {
    struct Engines {
        var engine: Engine
        var store: any HistoryStore & MigrationStore
        /// Absolute, for the runners the dashboard starts.
        var configFile: String
    }

    /// Why no engine could be made: every line says `FILE:LINE: message` or names the store.
    struct SetupFailure: Error {
        var lines: [String]

        /// One line for the status bar.
        var summary: String {
            let more = lines.count > 1 ? " (and \(lines.count - 1) more; `locus config check` lists them)" : ""
            return (lines.first ?? "cannot start the engine") + more
        }
    }

    /// Loads `configFile`, opens its store and makes the engine.
    static func makeEngine(configFile: String) throws(SetupFailure) -> Engines {
        let directories = EngineSetup.directories
        let loaded: (config: LocusConfig, warnings: [ConfigWarning])
        do {
            loaded = try EngineSetup.loadConfig(at: configFile, directories: directories)
        } catch {
            throw SetupFailure(lines: error.errors.map(\.description))
        }
        // While curses owns the terminal, logs go to the log file or nowhere.
        try? EngineSetup.bootstrapLogging(directories: directories)
        let store: any HistoryStore & MigrationStore
        do {
            store = try EngineSetup.openStore(loaded.config.store, passwordFile: loaded.config.storePasswordFile)
        } catch {
            throw SetupFailure(lines: ["\(configFile): \(error)"])
        }
        let absolute =
            configFile.hasPrefix("/") ? configFile : FileManager.default.currentDirectoryPath + "/" + configFile
        return Engines(engine: Engine(config: loaded.config, store: store), store: store, configFile: absolute)
    }

    /// Runs `engines` and the dashboard of `setup` until the operator quits or a signal arrives.
    static func run(_ engines: Engines, setup: Dashboard.Setup) async throws -> DashboardOutcome {
        let engine = engines.engine
        let engineTask = Task { try await engine.run() }
        defer { engineTask.cancel() }
        var setup = setup
        setup.live = await EngineLiveConnection.make(
            engine: engine,
            store: engines.store,
            configFile: engines.configFile,
            isReadOnly: setup.state.isReadOnly
        )
        let outcome: DashboardOutcome
        do {
            let dashboard = await Dashboard(setup: setup)
            outcome = try await dashboard.run()
        } catch {
            engineTask.cancel()
            _ = await engineTask.result
            throw error
        }
        engineTask.cancel()
        _ = await engineTask.result
        return outcome
    }
}
