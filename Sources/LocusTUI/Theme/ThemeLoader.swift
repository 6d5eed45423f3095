import Foundation

/// Finds and reads theme files: the package's (a source tree's `themes/`, an installation's
/// `share/locus/themes`, else those compiled in) and the operator's `$XDG_CONFIG_HOME/locus/themes/`
/// (a user theme replaces a package theme of the same name).
public struct ThemeLoader: Hashable, Sendable {
    /// The themes shipped with Locus, or nil when no directory of them was found; the copies compiled
    /// into the binary are there in any case, and a theme file of the same name replaces its copy.
    public var packageDirectory: String?
    /// The operator's own themes.
    public var userDirectory: String?

    public init(packageDirectory: String?, userDirectory: String?) {
        self.packageDirectory = packageDirectory
        self.userDirectory = userDirectory
    }

    /// The directories for an environment and executable. The package's themes are the first found of:
    /// `LOCUS_THEMES_DIR`; the `themes/` beside the `Package.swift` found from the executable's directory
    /// upwards, for a source tree; `../share/locus/themes` beside the executable, as `scripts/install`
    /// lays it out; `locus/themes` in each of `$XDG_DATA_DIRS` (default `/usr/local/share:/usr/share`);
    /// a source tree above `currentDirectory`. The operator's: `$XDG_CONFIG_HOME/locus/themes`, else
    /// `~/.config/locus/themes`.
    public static func standard(
        environment: [String: String],
        executablePath: String?,
        currentDirectory: String? = nil
    ) -> ThemeLoader {
        var package: String?
        if let override = environment["LOCUS_THEMES_DIR"], !override.isEmpty {
            package = override
        } else {
            let executableDirectory = executablePath.map {
                URL(fileURLWithPath: $0).resolvingSymlinksInPath().deletingLastPathComponent().path
            }
            package =
                executableDirectory.flatMap(packageThemes(above:))
                ?? installedThemes(executableDirectory: executableDirectory, environment: environment)
                ?? currentDirectory.flatMap(packageThemes(above:))
        }
        var user: String?
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            user = config + "/locus/themes"
        } else if let home = environment["HOME"], !home.isEmpty {
            user = home + "/.config/locus/themes"
        }
        return ThemeLoader(packageDirectory: package, userDirectory: user)
    }

    /// An installation's themes: `share/locus/themes` beside the executable's `bin/`, else in the XDG
    /// data directories.
    static func installedThemes(executableDirectory: String?, environment: [String: String]) -> String? {
        var candidates: [String] = []
        if let executableDirectory {
            candidates.append(
                URL(fileURLWithPath: executableDirectory).deletingLastPathComponent()
                    .appendingPathComponent("share/locus/themes").standardizedFileURL.path
            )
        }
        let dataDirectories =
            environment["XDG_DATA_DIRS"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/local/share:/usr/share"
        for directory in dataDirectories.split(separator: ":") where directory.hasPrefix("/") {
            candidates.append(directory + "/locus/themes")
        }
        return candidates.first { !themeFiles(in: $0).isEmpty }
    }

    /// The `themes` directory beside a `Package.swift` in `directory` or a directory above it.
    public static func packageThemes(above directory: String) -> String? {
        let files = FileManager.default
        var current = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath()
        while true {
            let themes = current.appendingPathComponent("themes").path
            var isDirectory: ObjCBool = false
            if files.fileExists(atPath: current.appendingPathComponent("Package.swift").path),
                files.fileExists(atPath: themes, isDirectory: &isDirectory), isDirectory.boolValue
            {
                return themes
            }
            let parent = current.deletingLastPathComponent()
            guard parent.path != current.path else { return nil }
            current = parent
        }
    }

    /// Reads every theme file of both directories. Unreadable or malformed files are reported
    /// in `errors` and left out; the built-in default is always there.
    public func load() -> ThemeCatalog {
        var themes: [String: Theme] = [Theme.default.name: Theme.default]
        var errors: [ThemeFileError] = []
        // The compiled-in copies first, so that a directory holding only some themes hides none of the
        // others; they are tested to parse, so a failure here would be a build defect.
        for (name, text) in BundledThemes.files {
            guard var theme = try? ThemeParser.parse(text, path: name) else { continue }
            theme.path = nil
            themes[theme.name] = theme
        }
        for directory in [packageDirectory, userDirectory].compactMap({ $0 }) {
            for path in Self.themeFiles(in: directory) {
                do {
                    let theme = try Self.read(file: path)
                    themes[theme.name] = theme
                } catch {
                    errors.append(error)
                }
            }
        }
        return ThemeCatalog(themes: themes, errors: errors)
    }

    /// Reads and checks one theme file (`locus themes check FILE`).
    public static func validate(file path: String) throws(ThemeFileError) -> Theme {
        try read(file: path)
    }

    static func read(file path: String) throws(ThemeFileError) -> Theme {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let reason = !exists ? "no such file" : isDirectory.boolValue ? "it is a directory" : "permission denied"
            throw ThemeFileError(path: path, line: 1, message: "cannot read the file: \(reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThemeFileError(path: path, line: 1, message: "cannot read the file: it is not UTF-8 text")
        }
        return try ThemeParser.parse(text, path: path)
    }

    /// The `.toml` files of `directory`, sorted by name; none when it does not exist.
    static func themeFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return names.filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }.sorted().map { base + "/" + $0 }
    }
}

/// The themes found, by name, and the files that could not be used.
public struct ThemeCatalog: Hashable, Sendable {
    public var themes: [String: Theme]
    public var errors: [ThemeFileError]

    public init(themes: [String: Theme], errors: [ThemeFileError] = []) {
        self.themes = themes
        self.errors = errors
    }

    /// Theme names in the order `t` cycles through them.
    public var names: [String] { ThemeCycle.ordered(Array(themes.keys)) }

    /// The theme called `name`, or the built-in default when there is none (the caller shows
    /// `errors`, which say why a theme file was left out).
    public func theme(named name: String) -> Theme {
        themes[name] ?? Theme.default
    }

    /// The errors about the file a theme named `name` would come from, for the message shown
    /// when falling back to the default.
    public func errors(forTheme name: String) -> [ThemeFileError] {
        errors.filter { ThemeParser.defaultName(for: $0.path) == name }
    }
}
