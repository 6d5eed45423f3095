import ArgumentParser
import Foundation
import LocusCore
import LocusEngine
import LocusStore

/// `locus snapshot [--config FILE] [--json]`: one complete pass over every source, then the picture.
struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Read every source once and print what Locus sees.",
        discussion: """
            Reads every inventory, resolves every workload EID once, fetches every registration table,
            compares with what earlier runs stored, and prints workloads, alerts, sources and recent
            events: a table, or with --json the document described in CONFIG.md. Exits 0 whenever it
            printed the picture (critical alerts included), 1 when the configuration is invalid or the
            pass did not end within --timeout: it then prints what it had found and names on stderr
            what had not answered.
            """
    )

    @OptionGroup var options: EngineCommandOptions

    @Flag(name: .long, help: "Print the JSON document of CONFIG.md instead of a table.")
    var json = false

    @Option(
        name: .long,
        help: ArgumentHelp("End within this long whatever hangs, with what was found by then.", valueName: "DURATION")
    )
    var timeout = "60s"

    func validate() throws {
        _ = try TimeoutOption.parse(timeout)
    }

    func run() async throws {
        let deadline = try TimeoutOption.parse(timeout)
        let engine = OneShotDeadline.Slot<Engine>()
        let json = json
        let timeout = timeout
        let snapshot = try await OneShotDeadline.run(
            timeout: deadline,
            expired: {
                let missing = engine.value?.progress.missing ?? ["the store (opening it)"]
                StandardError.write([
                    "locus snapshot: no answer within \(timeout) from \(missing.joined(separator: ", ")); "
                        + "what was found by then follows"
                ])
                if let found = engine.value,
                    let partial = OneShotDeadline.ask(within: .seconds(2), { await found.snapshotSoFar() })
                {
                    try? Self.print(partial, json: json)
                }
                Foundation.exit(1)
            },
            operation: {
                let opened = try options.open()
                engine.fill(opened.engine)
                return try await opened.engine.runOnce()
            }
        )
        try Self.print(snapshot, json: json)
    }

    private static func print(_ snapshot: Snapshot, json: Bool) throws {
        if json {
            var data = try SnapshotDocument(snapshot).jsonData()
            data.append(UInt8(ascii: "\n"))
            FileHandle.standardOutput.write(data)
        } else {
            Swift.print(SnapshotTable(snapshot).render(), terminator: "")
            fflush(nil)
        }
    }
}

/// `--config FILE` and the one-shot run shared by `snapshot` and `check`.
struct EngineCommandOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The configuration file (default: $XDG_CONFIG_HOME/locus/locus.toml).", valueName: "FILE")
    )
    var config: String?

    /// Reads the config (errors `FILE:LINE: message` on stderr, exit 1), opens the store, runs one
    /// complete pass and returns its snapshot.
    func takeSnapshot() async throws -> Snapshot {
        let engine = try makeEngine()
        return try await engine.runOnce()
    }

    /// `--config FILE` by absolute path, for a process started from this one.
    var configArguments: [String] {
        guard let config else { return [] }
        return ["--config", config.hasPrefix("/") ? config : FileManager.default.currentDirectoryPath + "/" + config]
    }

    func makeEngine() throws -> Engine {
        try open().engine
    }

    /// The engine over the config's sources, and the store it writes to (for migrations).
    func open() throws -> (engine: Engine, store: any HistoryStore & MigrationStore) {
        let directories = EngineSetup.directories
        let file = EngineSetup.configFile(config, directories: directories)
        let loaded: (config: LocusConfig, warnings: [ConfigWarning])
        do {
            loaded = try EngineSetup.loadConfig(at: file, directories: directories)
        } catch {
            StandardError.write(error.errors.map(\.description))
            throw ExitCode(1)
        }
        StandardError.write(loaded.warnings.map { "warning: \($0)" })
        // Logs go to the log file; a log file that cannot be opened must not stop a one-shot run.
        try? EngineSetup.bootstrapLogging(directories: directories)
        let store: any HistoryStore & MigrationStore
        do {
            store = try EngineSetup.openStore(loaded.config.store, passwordFile: loaded.config.storePasswordFile)
        } catch {
            StandardError.write(["\(file): \(error)"])
            throw ExitCode(1)
        }
        return (Engine(config: loaded.config, store: store), store)
    }
}

enum StandardError {
    static func write(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
