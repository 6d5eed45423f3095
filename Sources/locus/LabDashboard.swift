import ArgumentParser
import Foundation
import LocusEngine
import LocusLab
import LocusStore
import LocusTUI

/// `locus lab` without `--headless`: the lab and the dashboard in one process, over the same
/// loopback sockets an external Locus would use. The lab stops (and its temporary directory goes)
/// on every way out: `q`, a signal, or an error.
enum LabDashboard {
    static func run(_ configuration: LabConfiguration, plan: Duration?, display: DisplayOptions) async throws {
        let environment = ProcessInfo.processInfo.environment
        let themes = ThemeSetup(environment: environment)
        let initialTheme = try themes.initialTheme(requested: display.theme)
        // Refuse an unusable terminal before starting anything.
        do {
            try TerminalProbe.current(term: environment["TERM"]).check()
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(TerminalUnavailable.exitStatus)
        }
        // The lab logs from its first moment; the terminal will belong to the dashboard.
        try? EngineSetup.bootstrapLogging(directories: EngineSetup.directories)
        let lab: Lab
        do {
            lab = try await Lab.start(configuration)
        } catch {
            StandardError.write(["locus lab: \(error)"])
            throw ExitCode(1)
        }
        let planner = plan.map { interval in
            Task { await LabPlanner(configFile: lab.configFile, interval: interval).run() }
        }
        defer { planner?.cancel() }
        let outcome: DashboardOutcome
        do {
            let engines: LiveDashboard.Engines
            do {
                engines = try LiveDashboard.makeEngine(configFile: lab.configFile)
            } catch {
                StandardError.write(error.lines)
                throw ExitCode(1)
            }
            Terminal.prepareLocale()
            var state = UIState(themeName: initialTheme.name, themeNames: themes.catalog.names)
            state.isReadOnly = display.readOnly
            if let warning = initialTheme.warning {
                state.message = StatusMessage(.error, warning)
            }
            let setup = Dashboard.Setup(
                state: state,
                configName: configuration.name,
                world: .empty,
                operatorName: LoginIdentity.currentUser(),
                options: Terminal.Options(forceASCII: display.ascii, noColor: display.noColor),
                environment: environment,
                themes: themes.catalog
            )
            outcome = try await LiveDashboard.run(engines, setup: setup)
        } catch let refusal as TerminalUnavailable {
            await lab.stop()
            FileHandle.standardError.write(Data((refusal.description + "\n").utf8))
            throw ExitCode(TerminalUnavailable.exitStatus)
        } catch {
            await lab.stop()
            throw error
        }
        await lab.stop()
        if !lab.directory.isTemporary {
            print("lab files kept in \(lab.directory.path)")
        }
        if outcome != .quit {
            throw ExitCode(outcome.exitStatus)
        }
    }
}
