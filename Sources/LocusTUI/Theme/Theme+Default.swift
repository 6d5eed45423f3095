/// The default theme, built in so that Locus looks right with no theme files installed, and
/// the fallback when a theme file is malformed. `themes/default.toml` holds the same values
/// (a test keeps them equal) as the example to copy for a new theme.
extension Theme {
    public static let `default` = Theme(
        name: "default",
        description: "Dark terminals, 256 colours",
        roles: [
            .header: RoleStyle(
                foreground: .indexed(255),
                background: .indexed(24),
                attributes: [.bold],
                colors16: RoleStyle.Colors(foreground: .indexed(15), background: .indexed(4)),
                colors8: RoleStyle.Colors(foreground: .indexed(7), background: .indexed(4)),
                monochrome: [.reverse, .bold]
            ),
            .tab: RoleStyle(
                foreground: .indexed(250),
                colors16: RoleStyle.Colors(foreground: .indexed(7)),
                monochrome: []
            ),
            .tabActive: RoleStyle(
                foreground: .indexed(16),
                background: .indexed(75),
                attributes: [.bold],
                colors16: RoleStyle.Colors(foreground: .indexed(0), background: .indexed(14)),
                colors8: RoleStyle.Colors(foreground: .indexed(0), background: .indexed(6)),
                monochrome: [.bold, .underline]
            ),
            .border: RoleStyle(
                foreground: .indexed(240),
                colors16: RoleStyle.Colors(foreground: .indexed(8)),
                colors8: RoleStyle.Colors(foreground: .indexed(7)),
                monochrome: []
            ),
            .text: RoleStyle(monochrome: []),
            .muted: RoleStyle(
                foreground: .indexed(245),
                colors16: RoleStyle.Colors(foreground: .indexed(8)),
                colors8: RoleStyle.Colors(foreground: .indexed(7), attributes: [.dim]),
                monochrome: [.dim]
            ),
            .selected: RoleStyle(
                foreground: .indexed(16),
                background: .indexed(153),
                colors16: RoleStyle.Colors(foreground: .indexed(0), background: .indexed(6)),
                colors8: RoleStyle.Colors(foreground: .indexed(0), background: .indexed(6)),
                monochrome: [.reverse, .bold]
            ),
            .ok: RoleStyle(
                foreground: .indexed(77),
                colors16: RoleStyle.Colors(foreground: .indexed(10)),
                colors8: RoleStyle.Colors(foreground: .indexed(2)),
                monochrome: []
            ),
            .warn: RoleStyle(
                foreground: .indexed(214),
                attributes: [.bold],
                colors16: RoleStyle.Colors(foreground: .indexed(11)),
                colors8: RoleStyle.Colors(foreground: .indexed(3)),
                monochrome: [.bold]
            ),
            .crit: RoleStyle(
                foreground: .indexed(231),
                background: .indexed(160),
                attributes: [.bold],
                colors16: RoleStyle.Colors(foreground: .indexed(15), background: .indexed(1)),
                colors8: RoleStyle.Colors(foreground: .indexed(7), background: .indexed(1)),
                monochrome: [.bold, .reverse]
            ),
            .info: RoleStyle(
                foreground: .indexed(75),
                colors16: RoleStyle.Colors(foreground: .indexed(14)),
                colors8: RoleStyle.Colors(foreground: .indexed(6)),
                monochrome: []
            ),
            .dialog: RoleStyle(
                foreground: .indexed(255),
                background: .indexed(237),
                colors16: RoleStyle.Colors(foreground: .indexed(15), background: .indexed(4)),
                colors8: RoleStyle.Colors(foreground: .indexed(7), background: .indexed(4)),
                monochrome: []
            ),
        ]
    )
}
