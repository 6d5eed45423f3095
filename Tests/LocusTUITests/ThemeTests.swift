import Foundation
import Testing

@testable import LocusTUI

/// The repository's `themes/` directory, found from this source file.
let packageThemesDirectory: String = {
    let here = URL(fileURLWithPath: #filePath)
    return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes").path
}()

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "locus-theme-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ text: String, to name: String) throws -> String {
        let file = path + "/" + name
        let directory = (file as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

@Suite("Themes")
struct ThemeTests {
    static let shippedThemes = ["default", "light", "monochrome", "high-contrast", "solarized-dark"]

    @Test func everyShippedThemeLoadsWithoutErrors() {
        let catalog = ThemeLoader(packageDirectory: packageThemesDirectory, userDirectory: nil).load()
        #expect(catalog.errors == [])
        #expect(Set(catalog.names) == Set(Self.shippedThemes))
    }

    @Test(arguments: shippedThemes, ColorDepth.allCases)
    func everyThemeResolvesEveryRoleAtEveryDepth(name: String, depth: ColorDepth) throws {
        let theme = try ThemeLoader.validate(file: packageThemesDirectory + "/\(name).toml")
        #expect(theme.name == name)
        let document = try String(contentsOfFile: packageThemesDirectory + "/\(name).toml", encoding: .utf8)
        for role in Role.allCases {
            #expect(document.contains("[\(role.rawValue)]"), "\(name) does not define \(role)")
            let resolved = theme.resolve(role: role, for: depth)
            if depth == .monochrome {
                #expect(resolved.foreground == .terminalDefault && resolved.background == .terminalDefault)
            } else {
                for color in [resolved.foreground, resolved.background] {
                    if case .indexed(let index) = color {
                        #expect(Int(index) < depth.colorCount, "\(name) \(role) at \(depth): \(color)")
                    }
                }
                let invisible = resolved.foreground == resolved.background && resolved.foreground != .terminalDefault
                #expect(!invisible, "\(name) \(role) at \(depth) has the same colour for text and background")
            }
        }
    }

    @Test(arguments: shippedThemes)
    func monochromeTellsStatesApartByAttributes(name: String) throws {
        let theme = try ThemeLoader.validate(file: packageThemesDirectory + "/\(name).toml")
        let text = theme.resolve(role: .text, for: .monochrome).attributes
        let selected = theme.resolve(role: .selected, for: .monochrome).attributes
        let crit = theme.resolve(role: .crit, for: .monochrome).attributes
        let warn = theme.resolve(role: .warn, for: .monochrome).attributes
        let header = theme.resolve(role: .header, for: .monochrome).attributes
        #expect(selected != text && !selected.isEmpty)
        #expect(crit != text && !crit.isEmpty)
        #expect(warn != text && !warn.isEmpty)
        #expect(header != text)
        #expect(
            theme.resolve(role: .tabActive, for: .monochrome).attributes
                != theme.resolve(role: .tab, for: .monochrome).attributes
        )
    }

    @Test func monochromeShowsStateWithoutColour() throws {
        let rows = ArrayRows([
            ["web-07", StateMark.ok.cell("up")],
            ["web-08", StateMark.crit.cell("locator mismatch")],
            ["web-09", StateMark.warn.cell("ttl low")],
        ])
        let table = Table(
            columns: [TableColumn("NAME", width: .fixed(8)), TableColumn("STATE", width: .flexible(min: 10))],
            rows: rows
        )
        let (lines, frame) = try render(width: 30, height: 4) { $0.render(table, in: $0.bounds) }
        #expect(lines[1].contains("▶web-07") && lines[1].contains("✓ up"))
        #expect(lines[2].contains("✗ locator mismatch"))
        #expect(lines[3].contains("! ttl low"))
        let theme = Theme.default
        let selected = theme.resolve(frame[1, 1].style, for: .monochrome)
        let crit = theme.resolve(frame[10, 2].style, for: .monochrome)
        let plain = theme.resolve(frame[1, 2].style, for: .monochrome)
        #expect(selected.attributes.contains(.reverse))
        #expect(!crit.attributes.isEmpty)
        #expect(plain.attributes.isEmpty)
        #expect(selected.foreground == .terminalDefault && crit.background == .terminalDefault)
    }

    @Test func resolvedRolesCoverEveryRole() {
        for depth in ColorDepth.allCases {
            let roles = Theme.default.resolvedRoles(for: depth)
            #expect(Set(roles.keys) == Set(Role.allCases))
            #expect(roles[.crit] == Theme.default.resolve(role: .crit, for: depth))
        }
    }

    @Test func builtInDefaultMatchesItsFile() throws {
        var file = try ThemeLoader.validate(file: packageThemesDirectory + "/default.toml")
        file.path = nil
        #expect(file == Theme.default)
    }

    @Test func colourDowngradeFindsTheNearestColour() {
        #expect(TerminalColor.indexed(196).downgraded(to: .c16) == .indexed(9))
        #expect(TerminalColor.indexed(196).downgraded(to: .c8) == .indexed(1))
        #expect(TerminalColor.indexed(9).downgraded(to: .c8) == .indexed(1))
        #expect(TerminalColor.indexed(231).downgraded(to: .c8) == .indexed(7))
        #expect(TerminalColor.indexed(16).downgraded(to: .c16) == .indexed(0))
        #expect(TerminalColor.indexed(4).downgraded(to: .c16) == .indexed(4))
        #expect(TerminalColor.terminalDefault.downgraded(to: .c8) == .terminalDefault)
        #expect(TerminalColor(name: "#ff0000") == .indexed(196))
        #expect(TerminalColor(name: "bright-blue") == .indexed(12))
        #expect(TerminalColor(name: "purple") == nil)
        #expect(TerminalColor(index: 256) == nil)
    }

    @Test func perDepthOverridesWinOverDowngrade() {
        let style = RoleStyle(
            foreground: .indexed(214),
            background: .indexed(24),
            attributes: [.bold],
            colors8: RoleStyle.Colors(foreground: .indexed(3)),
            monochrome: [.underline]
        )
        #expect(
            style.resolved(for: .c256)
                == ResolvedStyle(foreground: .indexed(214), background: .indexed(24), attributes: [.bold])
        )
        #expect(style.resolved(for: .c8).foreground == .indexed(3))
        #expect(style.resolved(for: .c8).attributes == [.bold])
        #expect(
            style.resolved(for: .monochrome)
                == ResolvedStyle(foreground: .terminalDefault, background: .terminalDefault, attributes: [.underline])
        )
    }

    @Test func noColorMeansMonochrome() {
        #expect(ColorDepth.detect(colors: 256, environment: ["NO_COLOR": "1"]) == .monochrome)
        #expect(ColorDepth.detect(colors: 256, environment: ["NO_COLOR": ""]) == .c256)
        #expect(ColorDepth.detect(colors: 256, environment: [:]) == .c256)
        #expect(ColorDepth.detect(colors: 88, environment: [:]) == .c16)
        #expect(ColorDepth.detect(colors: 8, environment: [:]) == .c8)
        #expect(ColorDepth.detect(colors: 2, environment: [:]) == .monochrome)
    }

    @Test(
        arguments: [
            ("[header\nfg = 1\n", 1, "expected"),
            ("name = \"x\"\n\n[headr]\nfg = 1\n", 3, "unknown role `headr`"),
            ("[header]\nfg = 300\n", 2, "not a colour 0–255"),
            ("[header]\nfg = \"purple\"\n", 2, "\"purple\" is not a colour"),
            ("[header]\nbg = 1\nattributes = [\"blink\"]\n", 3, "\"blink\""),
            ("[crit]\nforeground = 1\n", 2, "unknown key `foreground`"),
            ("[ok]\nc8 = 3\n", 2, "must be a table"),
            ("header = 3\n", 1, "must be a table"),
            ("name = 7\n", 1, "must be a string"),
        ]
    )
    func malformedThemesNameFileAndLine(text: String, line: Int, message: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(text, to: "broken.toml")
        #expect {
            try ThemeLoader.validate(file: path)
        } throws: { error in
            let description = String(describing: error)
            return description.hasPrefix("\(path):\(line): ") && description.contains(message)
        }
    }

    @Test func aMalformedThemeFallsBackToTheDefault() throws {
        let config = try TemporaryDirectory()
        defer { config.remove() }
        let path = try config.write("name = \"broken\"\n[selected]\nfg = \"nope\"\n", to: "locus/themes/broken.toml")
        let loader = ThemeLoader(packageDirectory: packageThemesDirectory, userDirectory: config.path + "/locus/themes")
        let catalog = loader.load()
        #expect(
            catalog.errors.map(\.description) == [
                "\(path):3: `selected.fg` = \"nope\" is not a colour (use 0–255, \"#rrggbb\", \"default\" or one of: black, red, green, yellow, blue, magenta, cyan, white, bright-black, bright-red, bright-green, bright-yellow, bright-blue, bright-magenta, bright-cyan, bright-white)"
            ]
        )
        #expect(catalog.theme(named: "broken") == Theme.default)
        #expect(catalog.errors(forTheme: "broken").count == 1)
        #expect(!catalog.names.contains("broken"))
    }

    @Test func aUserThemeReplacesThePackageThemeOfTheSameName() throws {
        let config = try TemporaryDirectory()
        defer { config.remove() }
        _ = try config.write(
            "name = \"light\"\ndescription = \"mine\"\n[header]\nfg = 1\nbg = 2\n",
            to: "locus/themes/my-light.toml"
        )
        _ = try config.write("[crit]\nfg = 9\n", to: "locus/themes/extra.toml")
        let loader = ThemeLoader.standard(
            environment: ["XDG_CONFIG_HOME": config.path, "LOCUS_THEMES_DIR": packageThemesDirectory],
            executablePath: nil
        )
        #expect(loader.userDirectory == config.path + "/locus/themes")
        let catalog = loader.load()
        #expect(catalog.errors == [])
        let light = catalog.theme(named: "light")
        #expect(light.description == "mine")
        #expect(light.resolve(role: .header, for: .c256).foreground == .indexed(1))
        // Roles a user theme leaves out come from the built-in default.
        #expect(light.roles[.crit] == Theme.default.roles[.crit])
        #expect(catalog.names == ["default", "extra", "high-contrast", "light", "monochrome", "solarized-dark"])
    }

    @Test func packageThemesAreFoundFromTheExecutableUpwards() throws {
        let root = try TemporaryDirectory()
        defer { root.remove() }
        _ = try root.write("// swift-tools-version:6.1\n", to: "Package.swift")
        _ = try root.write("[ok]\nfg = 2\n", to: "themes/green.toml")
        _ = try root.write("", to: ".build/debug/locus")
        let loader = ThemeLoader.standard(
            environment: ["HOME": "/home/op"],
            executablePath: root.path + "/.build/debug/locus"
        )
        let resolved = URL(fileURLWithPath: root.path + "/themes").resolvingSymlinksInPath().path
        #expect(loader.packageDirectory == resolved)
        #expect(loader.userDirectory == "/home/op/.config/locus/themes")
        let nowhere = ThemeLoader.standard(
            environment: ["XDG_DATA_DIRS": "/nonexistent/share"],
            executablePath: "/nonexistent/bin/locus"
        )
        #expect(nowhere.packageDirectory == nil)
        // A lone binary still has every theme the package ships, compiled in.
        let bundled = nowhere.load()
        #expect(bundled.names == ["default", "high-contrast", "light", "monochrome", "solarized-dark"])
        #expect(bundled.errors == [])
        #expect(bundled.themes.values.allSatisfy { $0.path == nil })
    }

    @Test func anInstallationsThemesAreFoundBesideItsBinaryAndInTheDataDirectories() throws {
        let prefix = try TemporaryDirectory()
        defer { prefix.remove() }
        _ = try prefix.write("", to: "bin/locus")
        _ = try prefix.write("[ok]\nfg = 2\n", to: "share/locus/themes/site.toml")
        let installed = ThemeLoader.standard(environment: [:], executablePath: prefix.path + "/bin/locus")
        let resolved = URL(fileURLWithPath: prefix.path + "/share/locus/themes").resolvingSymlinksInPath().path
        #expect(installed.packageDirectory == resolved)
        #expect(installed.load().names.contains("site"))

        let data = try TemporaryDirectory()
        defer { data.remove() }
        _ = try data.write("[ok]\nfg = 3\n", to: "share/locus/themes/shared.toml")
        let fromData = ThemeLoader.standard(
            environment: ["XDG_DATA_DIRS": "/nonexistent:" + data.path + "/share"],
            executablePath: "/nonexistent/bin/locus"
        )
        #expect(fromData.packageDirectory == data.path + "/share/locus/themes")
    }

    @Test func theCompiledInThemesAreThePackagesThemeFiles() throws {
        let files = ThemeLoader.themeFiles(in: packageThemesDirectory)
        let names = files.map { URL(fileURLWithPath: $0).lastPathComponent }
        #expect(BundledThemes.files.map(\.name) == names, "run scripts/bundle-themes")
        for (name, text) in BundledThemes.files {
            let file = try String(contentsOfFile: packageThemesDirectory + "/" + name, encoding: .utf8)
            #expect(
                text + "\n" == file || text == file,
                "\(name) differs from themes/\(name): run scripts/bundle-themes"
            )
        }
    }

    @Test func themeCycleGoesByNameAndWraps() {
        var cycle = ThemeCycle(names: ["light", "default", "Solarized-dark", "high-contrast"], current: "default")
        #expect(cycle.advance() == "high-contrast")
        #expect(cycle.advance() == "light")
        #expect(cycle.advance() == "Solarized-dark")
        #expect(cycle.advance() == "default")
        var unknown = ThemeCycle(names: ["a", "c"], current: "b")
        #expect(unknown.advance() == "c")
    }
}
