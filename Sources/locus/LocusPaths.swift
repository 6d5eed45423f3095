import Foundation

/// Where Locus finds its files, following the XDG base directory convention.
struct LocusPaths {
    var environment: [String: String]

    /// `$XDG_CONFIG_HOME`, or `~/.config` when unset or not absolute (as the XDG spec says).
    var configHome: String {
        if let value = environment["XDG_CONFIG_HOME"], value.hasPrefix("/") {
            return value
        }
        return home + "/.config"
    }

    var home: String {
        environment["HOME"] ?? NSHomeDirectory()
    }

    /// `$XDG_CONFIG_HOME/locus/locus.toml`.
    var defaultConfigFile: String { configHome + "/locus/locus.toml" }
}
