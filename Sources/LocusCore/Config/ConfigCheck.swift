/// The outcome of `locus config check`: what goes to stdout, what to stderr, and the exit code.
public struct ConfigCheckResult: Sendable, Equatable {
    /// The one-line summary for stdout; nil when the configuration is invalid.
    public var summary: String?
    /// Errors and warnings, one `FILE:LINE: message` each, for stderr.
    public var diagnostics: [String]
    /// 0 valid (possibly with warnings), 1 invalid.
    public var exitCode: Int32

    public init(summary: String?, diagnostics: [String], exitCode: Int32) {
        self.summary = summary
        self.diagnostics = diagnostics
        self.exitCode = exitCode
    }
}

/// Validates a `locus.toml` with everything it names, as `locus config check` does.
public enum ConfigCheck {
    public static func run(configFile: String, directories: XDGDirectories) -> ConfigCheckResult {
        do {
            let loaded = try ConfigLoader.load(file: configFile, directories: directories)
            return ConfigCheckResult(
                summary: summary(of: loaded),
                diagnostics: loaded.warnings.map(\.description),
                exitCode: 0
            )
        } catch {
            return ConfigCheckResult(summary: nil, diagnostics: error.errors.map(\.description), exitCode: 1)
        }
    }

    /// `FILE: NAME: 2 sites, 1 mapping, 1 inventory, 300 workloads`.
    public static func summary(of loaded: LoadedConfig) -> String {
        let config = loaded.config
        let counts = [
            Plural.count(config.sites.count, "site"),
            Plural.count(config.mappings.count, "mapping"),
            Plural.count(config.inventories.count, "inventory", plural: "inventories"),
            Plural.count(loaded.workloadCount, "workload"),
        ]
        return "\(config.file): \(config.name): \(counts.joined(separator: ", "))"
    }
}
