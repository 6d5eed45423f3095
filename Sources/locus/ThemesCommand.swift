import ArgumentParser
import Foundation
import LocusTUI

struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes",
        abstract: "List and check themes.",
        discussion: """
            Themes are TOML files in the package's themes/ directory and in \
            $XDG_CONFIG_HOME/locus/themes/; a user theme replaces a package theme of the same name.
            """,
        subcommands: [List.self, Check.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show every theme: its name, where it comes from and its file."
        )

        func run() throws {
            let setup = ThemeSetup(environment: ProcessInfo.processInfo.environment)
            let themes = setup.catalog.names.map { setup.catalog.theme(named: $0) }
            let nameWidth = themes.map(\.name.count).max() ?? 4
            for theme in themes {
                let name = theme.name.padding(toLength: max(nameWidth, 4), withPad: " ", startingAt: 0)
                let source = setup.source(of: theme).padding(toLength: 8, withPad: " ", startingAt: 0)
                print("\(name)  \(source)  \(theme.path ?? "(compiled in)")")
            }
            for error in setup.catalog.errors {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate theme files.",
            discussion: """
                Prints FILE:LINE: message for the first error in each bad file and exits 1 when \
                any file is bad. Without FILE, checks every theme file Locus would load.
                """
        )

        @Argument(help: ArgumentHelp("Theme files to check.", valueName: "file"))
        var files: [String] = []

        func run() throws {
            var errors: [ThemeFileError] = []
            var checked: [(path: String, name: String)] = []
            if files.isEmpty {
                let setup = ThemeSetup(environment: ProcessInfo.processInfo.environment)
                errors = setup.catalog.errors
                checked = setup.catalog.themes.values.compactMap { theme in theme.path.map { ($0, theme.name) } }
            } else {
                for file in files {
                    do {
                        checked.append((file, try ThemeLoader.validate(file: file).name))
                    } catch {
                        errors.append(error)
                    }
                }
            }
            for (path, name) in checked.sorted(by: { $0.path < $1.path }) {
                print("\(path): ok (theme \(name))")
            }
            for error in errors {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
            }
            if !errors.isEmpty {
                throw ExitCode.failure
            }
        }
    }
}
