import ArgumentParser

/// How the dashboard draws: the options every command that opens the screen shares.
struct DisplayOptions: ParsableArguments {
    @Option(help: "The theme to start with (see `locus themes list`); `t` cycles themes while running.")
    var theme: String?

    @Flag(help: "Draw lines with +-| instead of Unicode box characters.")
    var ascii = false

    @Flag(help: "Use no colours, only bold, reverse and underline (as NO_COLOR does).")
    var noColor = false
}
