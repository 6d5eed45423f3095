import LocusCore

/// Reads a theme from the text of a TOML theme file:
///
/// ```toml
/// name = "default"                    # optional: the file name without .toml
/// description = "Dark terminals, 256 colours"
///
/// [header]                            # one table per role
/// fg = 255                            # a palette index, a name ("blue", "bright-red",
/// bg = "#005f87"                      #   "default") or "#rrggbb"
/// attributes = ["bold"]               # bold, reverse, underline, dim
/// c16 = { fg = "bright-white", bg = "blue" }   # optional, for 16-colour terminals
/// c8 = { fg = "white", bg = "blue" }           # optional, for 8-colour terminals
/// monochrome = ["reverse", "bold"]    # optional: attributes when there is no colour
/// ```
///
/// Roles left out are taken from the built-in default theme. Unknown roles and keys are errors,
/// so a misspelt key is reported instead of silently ignored.
public enum ThemeParser {
    /// Parses `text`, read from `path` (used in errors and for the default name).
    public static func parse(_ text: String, path: String) throws(ThemeFileError) -> Theme {
        let document: TOMLTable
        do {
            document = try TOML.parse(text)
        } catch {
            throw ThemeFileError(path: path, line: error.line, message: error.message)
        }
        var theme = Theme.default
        theme.name = defaultName(for: path)
        theme.description = ""
        theme.path = path
        for (key, value) in document.entries {
            switch key {
            case "name":
                theme.name = try string(value, key: key, path: path)
                guard !theme.name.isEmpty else {
                    throw ThemeFileError(path: path, line: value.line, message: "`name` is empty")
                }
            case "description":
                theme.description = try string(value, key: key, path: path)
            default:
                guard let role = role(named: key) else {
                    let known = Role.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ThemeFileError(
                        path: path,
                        line: value.line,
                        message: "unknown role `\(key)` (roles: \(known); other keys: name, description)"
                    )
                }
                guard let table = value.table else {
                    throw ThemeFileError(
                        path: path,
                        line: value.line,
                        message: "`\(key)` must be a table such as [\(key)], got \(value.typeName)"
                    )
                }
                theme.roles[role] = try roleStyle(table, role: key, path: path)
            }
        }
        return theme
    }

    /// The theme name a file gets when it has no `name`: its file name without `.toml`.
    public static func defaultName(for path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasSuffix(".toml") {
            name.removeLast(5)
        }
        return name
    }

    /// The role a theme file key names: `tabActive`, also written `tab-active` or `tab_active`.
    static func role(named key: String) -> Role? {
        if let role = Role(rawValue: key) {
            return role
        }
        let compact = key.lowercased().filter { $0 != "-" && $0 != "_" }
        return Role.allCases.first { $0.rawValue.lowercased() == compact }
    }

    private static func roleStyle(_ table: TOMLTable, role: String, path: String) throws(ThemeFileError) -> RoleStyle {
        var style = RoleStyle()
        for (key, value) in table.entries {
            switch key {
            case "fg": style.foreground = try color(value, key: "\(role).fg", path: path)
            case "bg": style.background = try color(value, key: "\(role).bg", path: path)
            case "attributes": style.attributes = try attributes(value, key: "\(role).attributes", path: path)
            case "monochrome": style.monochrome = try attributes(value, key: "\(role).monochrome", path: path)
            case "c16": style.colors16 = try colors(value, key: "\(role).c16", path: path)
            case "c8": style.colors8 = try colors(value, key: "\(role).c8", path: path)
            default:
                throw ThemeFileError(
                    path: path,
                    line: value.line,
                    message: "unknown key `\(key)` in [\(role)] (keys: fg, bg, attributes, c16, c8, monochrome)"
                )
            }
        }
        return style
    }

    private static func colors(_ value: TOMLValue, key: String, path: String) throws(ThemeFileError) -> RoleStyle.Colors
    {
        guard let table = value.table else {
            throw ThemeFileError(
                path: path,
                line: value.line,
                message: "`\(key)` must be a table such as { fg = \"white\", bg = \"blue\" }, got \(value.typeName)"
            )
        }
        var colors = RoleStyle.Colors()
        for (entry, entryValue) in table.entries {
            switch entry {
            case "fg": colors.foreground = try color(entryValue, key: "\(key).fg", path: path)
            case "bg": colors.background = try color(entryValue, key: "\(key).bg", path: path)
            case "attributes": colors.attributes = try attributes(entryValue, key: "\(key).attributes", path: path)
            default:
                throw ThemeFileError(
                    path: path,
                    line: entryValue.line,
                    message: "unknown key `\(entry)` in `\(key)` (keys: fg, bg, attributes)"
                )
            }
        }
        return colors
    }

    private static func color(_ value: TOMLValue, key: String, path: String) throws(ThemeFileError) -> TerminalColor {
        if let index = value.integer {
            guard let color = TerminalColor(index: Int(clamping: index)) else {
                throw ThemeFileError(path: path, line: value.line, message: "`\(key)` = \(index) is not a colour 0–255")
            }
            return color
        }
        if let name = value.string {
            guard let color = TerminalColor(name: name) else {
                throw ThemeFileError(
                    path: path,
                    line: value.line,
                    message:
                        "`\(key)` = \"\(name)\" is not a colour (use 0–255, \"#rrggbb\", \"default\" or one of: \(TerminalColor.names.joined(separator: ", ")))"
                )
            }
            return color
        }
        throw ThemeFileError(
            path: path,
            line: value.line,
            message: "`\(key)` must be a colour number or name, got \(value.typeName)"
        )
    }

    private static func attributes(_ value: TOMLValue, key: String, path: String) throws(ThemeFileError) -> Attributes {
        guard let array = value.array else {
            throw ThemeFileError(
                path: path,
                line: value.line,
                message: "`\(key)` must be a list such as [\"bold\"], got \(value.typeName)"
            )
        }
        var attributes: Attributes = []
        for element in array {
            switch element.string {
            case "bold": attributes.insert(.bold)
            case "reverse": attributes.insert(.reverse)
            case "underline": attributes.insert(.underline)
            case "dim": attributes.insert(.dim)
            default:
                let shown = element.string.map { "\"\($0)\"" } ?? element.typeName
                throw ThemeFileError(
                    path: path,
                    line: element.line,
                    message: "`\(key)` has \(shown); attributes are bold, reverse, underline, dim"
                )
            }
        }
        return attributes
    }

    private static func string(_ value: TOMLValue, key: String, path: String) throws(ThemeFileError) -> String {
        guard let string = value.string else {
            throw ThemeFileError(
                path: path,
                line: value.line,
                message: "`\(key)` must be a string, got \(value.typeName)"
            )
        }
        return string
    }
}
