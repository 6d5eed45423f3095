import Foundation
import LocusCore
import LocusStore
import Logging
import Synchronization

/// What every command that runs an engine does first: find and read the config, open the store,
/// send logs to the log file. Shared by `snapshot`, `check`, the dashboard and the lab.
public enum EngineSetup {
    /// `--config FILE`, or `$XDG_CONFIG_HOME/locus/locus.toml`.
    public static func configFile(_ option: String?, directories: XDGDirectories) -> String {
        option ?? directories.defaultConfigFile
    }

    /// The XDG directories of this process.
    public static var directories: XDGDirectories {
        XDGDirectories(environment: ProcessInfo.processInfo.environment, home: NSHomeDirectory())
    }

    /// Reads and checks `locus.toml` and the secret files it names. Inventories are not read here:
    /// the engine reads them, and reports a broken one as `inventory-invalid` naming the line.
    ///
    /// - Throws: every error of the file as `FILE:LINE: message`.
    public static func loadConfig(
        at file: String,
        directories: XDGDirectories
    ) throws(ConfigErrors) -> (config: LocusConfig, warnings: [ConfigWarning]) {
        let text: String
        do {
            text = try ConfigFiles.readText(at: file)
        } catch {
            throw ConfigErrors([ConfigError(file: file, line: 0, message: "cannot read: \(error.reason)")])
        }
        let config = try LocusConfig.parse(text, file: file, directories: directories)
        let (errors, warnings) = ConfigLoader.checkSecretFiles(config.secretFiles, namedIn: file)
        guard errors.isEmpty else { throw ConfigErrors(errors) }
        return (config, warnings)
    }

    /// Opens the store the config names; a PostgreSQL store connects on first use.
    public static func openStore(
        _ location: StoreLocation,
        passwordFile: SecretFileReference? = nil
    ) throws(EngineSetupError) -> any HistoryStore & MigrationStore {
        do {
            return try location.openHistoryStore(passwordFile: passwordFile?.path)
        } catch {
            throw .store(error.description)
        }
    }

    /// Sends every log of this process to `$XDG_STATE_HOME/locus/locus.log` (never to the terminal).
    /// Call before the first `Logger` is made; later calls do nothing, so every command may call it.
    /// When the file cannot be opened, logs are dropped (the terminal may belong to the dashboard)
    /// and the error says why.
    public static func bootstrapLogging(
        directories: XDGDirectories,
        level: Logger.Level = .info
    ) throws(LogFileError) {
        let first = loggingBootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        do {
            let file = try LogFile(path: directories.logFile)
            LoggingSystem.bootstrap { label in
                FileLogHandler(label: label, file: file, logLevel: level)
            }
        } catch {
            LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
            throw error
        }
    }

    private static let loggingBootstrapped = Mutex(false)
}

/// Why an engine could not be set up.
public enum EngineSetupError: Error, Sendable, Hashable, CustomStringConvertible {
    case store(String)

    public var description: String {
        switch self {
        case .store(let reason): reason
        }
    }
}
