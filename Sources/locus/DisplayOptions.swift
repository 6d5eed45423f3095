import ArgumentParser

/// How the dashboard draws and what it lets the operator do: the options every command that opens the
/// screen shares.
struct DisplayOptions: ParsableArguments {
    @Option(help: "The theme to start with (see `locus themes list`); `t` cycles themes while running.")
    var theme: String?

    @Flag(help: "Draw lines with +-| instead of Unicode box characters.")
    var ascii = false

    @Flag(help: "Use no colours, only bold, reverse and underline (as NO_COLOR does).")
    var noColor = false

    @Flag(help: "Decide nothing from this screen: migrations are shown, never requested, approved or run.")
    var readOnly = false
}
