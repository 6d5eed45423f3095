import ArgumentParser
import Foundation
import LocusTUI

/// The themes available to this run: the package's and the operator's, and which to start with.
struct ThemeSetup {
    let loader: ThemeLoader
    let catalog: ThemeCatalog

    init(environment: [String: String]) {
        loader = ThemeLoader.standard(
            environment: environment,
            executablePath: Self.executablePath(),
            currentDirectory: FileManager.default.currentDirectoryPath
        )
        catalog = loader.load()
    }

    /// The theme to start with and, when a theme file could not be used, what to tell the
    /// operator (`FILE:LINE: message`, and that the default is used instead).
    func initialTheme(requested: String?) throws -> (name: String, warning: String?) {
        let fileWarning = catalog.errors.first.map { "theme left out: \($0)" }
        guard let requested else {
            return (Theme.default.name, fileWarning)
        }
        if let match = catalog.names.first(where: { $0.lowercased() == requested.lowercased() }) {
            return (match, fileWarning)
        }
        if let error = catalog.errors(forTheme: requested).first {
            return (Theme.default.name, "using the default theme: \(error)")
        }
        let known = catalog.names.joined(separator: ", ")
        throw ValidationError("no theme called '\(requested)'; themes: \(known) (see `locus themes list`)")
    }

    /// Where a theme came from, as `themes list` shows it.
    func source(of theme: Theme) -> String {
        guard let path = theme.path else { return "built-in" }
        if let user = loader.userDirectory, path.hasPrefix(user + "/") {
            return "user"
        }
        return "package"
    }

    /// The running executable, symlinks resolved, so the package's themes are found from it.
    private static func executablePath() -> String? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return path
        }
        return Bundle.main.executablePath
    }
}
