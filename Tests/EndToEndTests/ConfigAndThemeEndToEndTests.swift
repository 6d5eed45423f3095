import Foundation
import Testing

/// The dashboard and the `themes` commands with files an operator wrote.
@Suite("Config and themes from the operator's files")
struct ConfigAndThemeEndToEndTests {
    typealias Harness = DashboardEndToEndTests.Harness

    private func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func theHeaderNamesTheConfigAndViewsWaitForObservations() throws {
        let harness = try Harness()
        try write(
            "name = \"prod-east\"\n\n[[site]]\nname = \"dc-east\"\n",
            to: harness.scratch.file("config/locus/locus.toml")
        )
        try harness.startLocus()
        let screen = try harness.tmux.waitFor(text: "[1 Workloads]")
        #expect(screen.contains("Locus · prod-east"))
        #expect(screen.contains("No workloads observed yet."))
        #expect(!screen.contains("no config"))
        try harness.tmux.press("q")
        #expect(try harness.exitStatus() == 0)
        try harness.expectTerminalRestored()
    }

    @Test func asciiLinesOnRequest() throws {
        let harness = try Harness()
        try harness.startLocus(arguments: "--ascii --no-color")
        let screen = try harness.tmux.waitFor(text: "[1 Workloads]")
        #expect(screen.hasPrefix("+ Locus"))
        #expect(!screen.contains("─"))
        // No colour: attributes only (38/48 would set a foreground or background colour).
        let styled = try harness.tmux.screen(escapes: true)
        #expect(!styled.contains("[38;"))
        #expect(!styled.contains("[48;"))
        #expect(!styled.contains(";38;"))
        #expect(styled.contains("\u{1B}[1m") || styled.contains("\u{1B}[7m"))
        try harness.tmux.press("q")
        #expect(try harness.exitStatus() == 0)
    }

    @Test func coloursByDefault() throws {
        let harness = try Harness()
        try harness.startLocus()
        try harness.tmux.waitFor(text: "[1 Workloads]")
        let styled = try harness.tmux.screen(escapes: true)
        #expect(styled.contains("38;5;"), "\(styled.prefix(400).debugDescription)")
        try harness.tmux.press("q")
        #expect(try harness.exitStatus() == 0)
    }

    @Test func aMalformedThemeFallsBackToTheDefaultAndSaysWhere() throws {
        let harness = try Harness()
        let theme = harness.scratch.file("config/locus/themes/broken.toml")
        try write("name = \"broken\"\n\n[header]\nfg = \"not-a-colour\"\n", to: theme)
        try harness.startLocus(arguments: "--theme broken")
        // The notice is on the status line, the last the first frame draws.
        let screen = try harness.tmux.waitFor(text: "using the default theme")
        #expect(screen.contains("[1 Workloads]"))
        #expect(screen.contains("broken.toml:4:"))
        try harness.tmux.press("q")
        #expect(try harness.exitStatus() == 0)
    }

    @Test func themesCheckNamesFileAndLine() throws {
        let scratch = try ScratchDirectory()
        let good = scratch.file("good.toml")
        let bad = scratch.file("bad.toml")
        try write("name = \"good\"\n[text]\nfg = \"white\"\n", to: good)
        try write("name = \"bad\"\n[text]\nfg = [\n", to: bad)
        let result = try runLocus(["themes", "check", good, bad], home: scratch.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(good): ok"))
        // FILE:LINE: message, the line being where the parser stopped.
        #expect(result.stderr.hasPrefix("\(bad):"))
        #expect(result.stderr.dropFirst(bad.count + 1).first?.isNumber == true)
        #expect(result.stderr.split(separator: "\n").count == 1)
        let allGood = try runLocus(["themes", "check", good], home: scratch.path)
        #expect(allGood.status == 0)
    }

    @Test func themesListShowsPackageAndUserThemes() throws {
        let scratch = try ScratchDirectory()
        try write("name = \"mine\"\n[text]\nfg = \"white\"\n", to: scratch.file("config/locus/themes/mine.toml"))
        let result = try runLocus(["themes", "list"], home: scratch.path, configHome: scratch.file("config"))
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("default ") && $0.contains("package") })
        #expect(lines.contains { $0.hasPrefix("monochrome ") })
        #expect(lines.contains { $0.hasPrefix("mine ") && $0.contains("user") && $0.contains("mine.toml") })
    }

    @Test func aMissingFileIsCalledMissing() throws {
        let scratch = try ScratchDirectory()
        let check = try runLocus(["check"], home: scratch.path)
        #expect(check.status == 3)
        #expect(
            check.stdout.contains("LOCUS UNKNOWN - no configuration at \(scratch.path)/config/locus/locus.toml"),
            "\(check.stdout)"
        )
        let theme = try runLocus(["themes", "check", scratch.file("absent.toml")], home: scratch.path)
        #expect(theme.status == 1)
        #expect(
            theme.stderr.contains("\(scratch.file("absent.toml")):1: cannot read the file: no such file"),
            "\(theme.stderr)"
        )
    }

    @Test func aCopiedBinaryKeepsEveryThemeAndAnInstalledOneReadsItsShareDirectory() throws {
        let scratch = try ScratchDirectory()
        let files = FileManager.default
        // Alone in a directory, as after `cp .build/release/locus /somewhere`.
        try files.createDirectory(atPath: scratch.file("lone"), withIntermediateDirectories: true)
        try files.copyItem(atPath: LocusBinary.path, toPath: scratch.file("lone/locus"))
        let lone = try runLocus(
            ["themes", "list"],
            home: scratch.path,
            binary: scratch.file("lone/locus"),
            dataDirectories: scratch.file("nothing")
        )
        #expect(lone.status == 0)
        for name in ["default", "high-contrast", "light", "monochrome", "solarized-dark"] {
            #expect(lone.stdout.contains(name + " "), "\(name) missing from a lone binary's themes:\n\(lone.stdout)")
        }

        // Laid out as scripts/install does: PREFIX/bin/locus and PREFIX/share/locus/themes.
        try files.createDirectory(atPath: scratch.file("prefix/bin"), withIntermediateDirectories: true)
        try files.copyItem(atPath: LocusBinary.path, toPath: scratch.file("prefix/bin/locus"))
        try write("name = \"site\"\n[text]\nfg = \"white\"\n", to: scratch.file("prefix/share/locus/themes/site.toml"))
        let installed = try runLocus(
            ["themes", "list"],
            home: scratch.path,
            binary: scratch.file("prefix/bin/locus"),
            dataDirectories: scratch.file("nothing")
        )
        #expect(installed.status == 0)
        #expect(installed.stdout.split(separator: "\n").contains { $0.hasPrefix("site ") && $0.contains("package") })
    }

    private func runLocus(
        _ arguments: [String],
        home: String,
        configHome: String? = nil,
        binary: String = LocusBinary.path,
        dataDirectories: String? = nil
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        var environment = ["HOME": home, "XDG_CONFIG_HOME": configHome ?? home + "/config"]
        environment["XDG_DATA_DIRS"] = dataDirectories
        // From `home`, not the package: themes/ above the working directory would be found too.
        let result = try Subprocess.run(
            "/usr/bin/env",
            ["-C", home, binary] + arguments,
            environment: environment
        )
        return (result.status, result.stdout, result.stderr)
    }
}
