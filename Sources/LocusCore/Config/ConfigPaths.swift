/// Lexical path handling for paths named in config files: relative paths are relative to
/// the directory of the file that names them. No file system access.
enum ConfigPaths {
    /// The directory part of `file` (`"."` for a bare file name).
    static func directory(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        if slash == file.startIndex { return "/" }
        return String(file[..<slash])
    }

    /// `path` unchanged when absolute, otherwise joined to the directory of `file` and normalized.
    static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        return normalize(directory(of: file) + "/" + path)
    }

    /// Removes `.` components, empty components (so a trailing slash) and `dir/..` pairs.
    static func normalize(_ path: String) -> String {
        let isAbsolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".":
                continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !isAbsolute {
                    parts.append(part)
                }
            default:
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if isAbsolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}

/// The XDG base directories Locus uses, from an environment (so tests can pass their own).
public struct XDGDirectories: Sendable, Hashable {
    /// `$XDG_CONFIG_HOME`, or `~/.config`.
    public let configHome: String
    /// `$XDG_STATE_HOME`, or `~/.local/state`.
    public let stateHome: String

    /// Unset, empty or relative XDG variables fall back to their defaults under `$HOME`, as the
    /// XDG Base Directory specification asks; `home` is used when `HOME` is unset.
    public init(environment: [String: String], home: String? = nil) {
        let homeDirectory = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home ?? "/"
        func base(_ variable: String, _ fallback: String) -> String {
            if let value = environment[variable], value.hasPrefix("/") { return ConfigPaths.normalize(value) }
            return ConfigPaths.normalize(homeDirectory + "/" + fallback)
        }
        configHome = base("XDG_CONFIG_HOME", ".config")
        stateHome = base("XDG_STATE_HOME", ".local/state")
    }

    /// `$XDG_CONFIG_HOME/locus/locus.toml`, read when no `--config` is given.
    public var defaultConfigFile: String { configHome + "/locus/locus.toml" }
    /// `$XDG_STATE_HOME/locus/locus.sqlite`, the store when `store` is absent.
    public var defaultStore: StoreLocation { .sqlite(path: stateHome + "/locus/locus.sqlite") }
    /// `$XDG_STATE_HOME/locus/locus.log`.
    public var logFile: String { stateHome + "/locus/locus.log" }
}
