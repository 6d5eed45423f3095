import ArgumentParser
import Foundation
import LocusStore
import LocusTUI

struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the dashboard in this terminal (the default).",
        discussion: """
            The dashboard needs a terminal: stdout and stdin must be a tty and TERM a type \
            terminfo knows with cursor addressing. Otherwise Locus says so on one line and exits \
            with status 2. It exits 0 after q, and 128 + the signal number after SIGINT, SIGTERM \
            or SIGHUP, with the terminal restored in every case.
            """
    )

    @Option(help: ArgumentHelp("The configuration file.", valueName: "file"))
    var config: String?

    @OptionGroup
    var display: DisplayOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let paths = LocusPaths(environment: environment)
        let configFile = try ConfigFile.locate(explicitPath: config, paths: paths)
        let themes = ThemeSetup(environment: environment)
        let initialTheme = try themes.initialTheme(requested: display.theme)

        Terminal.prepareLocale()
        var state = UIState(themeName: initialTheme.name, themeNames: themes.catalog.names)
        state.isReadOnly = display.readOnly
        if let warning = initialTheme.warning {
            state.message = StatusMessage(.error, warning)
        }
        let setup = Dashboard.Setup(
            state: state,
            configName: configFile?.name ?? configFile.map { URL(fileURLWithPath: $0.path).lastPathComponent },
            world: configFile == nil ? .noConfig(path: paths.defaultConfigFile) : .empty,
            operatorName: LoginIdentity.currentUser(),
            options: Terminal.Options(forceASCII: display.ascii, noColor: display.noColor),
            environment: environment,
            themes: themes.catalog
        )
        let outcome: DashboardOutcome
        do {
            // A config the engine refuses still opens the dashboard, saying why nothing is watched.
            var engines: LiveDashboard.Engines?
            var setup = setup
            if let configFile {
                do {
                    engines = try LiveDashboard.makeEngine(configFile: configFile.path)
                } catch {
                    setup.state.message = StatusMessage(.error, error.summary)
                }
            }
            if let engines {
                outcome = try await LiveDashboard.run(engines, setup: setup)
            } else {
                let dashboard = await Dashboard(setup: setup)
                outcome = try await dashboard.run()
            }
        } catch let refusal as TerminalUnavailable {
            FileHandle.standardError.write(Data((refusal.description + "\n").utf8))
            throw ExitCode(TerminalUnavailable.exitStatus)
        }
        if outcome != .quit {
            throw ExitCode(outcome.exitStatus)
        }
    }
}
