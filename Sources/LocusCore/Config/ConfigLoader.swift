/// A `locus.toml` with the inventory files it names, checked as a whole.
public struct LoadedConfig: Sendable, Equatable {
    public var config: LocusConfig
    /// The parsed `inventory.toml` of every inventory source of kind `file`, by source name.
    public var inventories: [String: InventoryFile]
    /// Problems that do not stop Locus, such as secret files readable by others.
    public var warnings: [ConfigWarning]

    public init(config: LocusConfig, inventories: [String: InventoryFile], warnings: [ConfigWarning]) {
        self.config = config
        self.inventories = inventories
        self.warnings = warnings
    }

    /// Workloads over all file inventories.
    public var workloadCount: Int { inventories.values.reduce(0) { $0 + $1.workloads.count } }
}

/// Why a secret file could not be used; never holds the secret.
public struct SecretFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public let isMissing: Bool

    public var description: String { "\(path): \(reason)" }
}

/// The thin layer that reads files for the pure parsers: config, inventories, secrets.
public enum ConfigLoader {
    /// Reads and checks `locus.toml`, every secret file it names and every inventory file of a
    /// source of kind `file`.
    ///
    /// - Throws: all errors, those of `locus.toml` first, then those of each inventory file.
    public static func load(file: String, directories: XDGDirectories) throws(ConfigErrors) -> LoadedConfig {
        let text: String
        do {
            text = try ConfigFiles.readText(at: file)
        } catch {
            throw ConfigErrors([ConfigError(file: file, line: 0, message: "cannot read: \(error.reason)")])
        }
        let config = try LocusConfig.parse(text, file: file, directories: directories)
        let (secretErrors, warnings) = checkSecretFiles(config.secretFiles, namedIn: file)
        var errors = secretErrors
        var inventories: [String: InventoryFile] = [:]
        let references = InventoryReferences(config: config)
        for source in config.inventories {
            guard case .file(let path) = source.kind else { continue }
            let inventoryText: String
            do {
                inventoryText = try ConfigFiles.readText(at: path)
            } catch {
                // An unreadable inventory is a problem of the table that names it.
                errors.append(
                    ConfigError(file: file, line: source.line, message: "inventory \"\(source.name)\": \(error)")
                )
                continue
            }
            do {
                inventories[source.name] = try InventoryFile.parse(inventoryText, file: path, references: references)
            } catch {
                errors += error.errors
            }
        }
        guard errors.isEmpty else { throw ConfigErrors(errors) }
        return LoadedConfig(config: config, inventories: inventories, warnings: warnings)
    }

    /// Reads and parses one `inventory.toml`; what an inventory source calls on every re-read.
    public static func loadInventory(
        at path: String,
        references: InventoryReferences
    ) throws(ConfigErrors) -> InventoryFile {
        let text: String
        do {
            text = try ConfigFiles.readText(at: path)
        } catch {
            throw ConfigErrors([ConfigError(file: path, line: 0, message: "cannot read: \(error.reason)")])
        }
        return try InventoryFile.parse(text, file: path, references: references)
    }

    /// Reads and checks a `mapserver.toml` and the key files it names.
    public static func loadMapServer(file: String) throws(ConfigErrors) -> (MapServerConfig, [ConfigWarning]) {
        let text: String
        do {
            text = try ConfigFiles.readText(at: file)
        } catch {
            throw ConfigErrors([ConfigError(file: file, line: 0, message: "cannot read: \(error.reason)")])
        }
        let config = try MapServerConfig.parse(text, file: file)
        let (errors, warnings) = checkSecretFiles(config.secretFiles, namedIn: file)
        guard errors.isEmpty else { throw ConfigErrors(errors) }
        return (config, warnings)
    }

    /// Checks that every secret file exists, parses, and is not readable by others. A missing or
    /// malformed file is an error and a world-readable one a warning, both at the line naming it;
    /// group-readable is how operators on one host share a key, so it is fine.
    public static func checkSecretFiles(
        _ references: [SecretFileReference],
        namedIn file: String
    ) -> (errors: [ConfigError], warnings: [ConfigWarning]) {
        var errors: [ConfigError] = []
        var warnings: [ConfigWarning] = []
        for reference in references {
            do {
                switch reference.format {
                case .sharedKey: _ = try readSharedKey(at: reference.path)
                case .tsigKey: _ = try readTSIGKey(at: reference.path)
                case .password: _ = try readPassword(at: reference.path)
                }
            } catch {
                errors.append(ConfigError(file: file, line: reference.line, message: "secret file \(error)"))
                continue
            }
            if let mode = try? ConfigFiles.permissions(at: reference.path), mode & 0o004 != 0 {
                warnings.append(
                    ConfigWarning(
                        file: file,
                        line: reference.line,
                        message: "secret file \(reference.path) is readable by others (mode \(octal(mode))); "
                            + "run chmod o-r on it"
                    )
                )
            }
        }
        return (errors, warnings)
    }

    /// The LISP shared key in a `key_file`.
    public static func readSharedKey(at path: String) throws(SecretFileError) -> String {
        let text = try readSecretText(at: path)
        do {
            return try SecretText.sharedKey(text)
        } catch {
            throw SecretFileError(path: path, reason: error.reason, isMissing: false)
        }
    }

    /// The database password in a `store_password_file`: one line, surrounding whitespace trimmed.
    public static func readPassword(at path: String) throws(SecretFileError) -> String {
        try readSharedKey(at: path)
    }

    /// The TSIG key in a `tsig_key_file`: a bare base64 secret or a BIND key block.
    public static func readTSIGKey(at path: String) throws(SecretFileError) -> TSIGSecret {
        let text = try readSecretText(at: path)
        do {
            return try SecretText.tsigKey(text)
        } catch {
            throw SecretFileError(path: path, reason: error.reason, isMissing: false)
        }
    }

    private static func readSecretText(at path: String) throws(SecretFileError) -> String {
        do {
            return try ConfigFiles.readText(at: path)
        } catch {
            throw SecretFileError(path: path, reason: error.reason, isMissing: error.isMissing)
        }
    }

    static func octal(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
