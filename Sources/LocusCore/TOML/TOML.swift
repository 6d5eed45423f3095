/// Reads TOML (v1.0) documents into values that remember their line numbers.
///
/// Locus reads operator-written files (config, inventory, map-server, themes)
/// and every error must name `FILE:LINE`, down to the key that is wrong, which
/// is why values carry the line they were defined on.
public enum TOML {
    /// Parses a whole document. The first syntax error ends parsing.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var parser = TOMLParser(text: text)
        return try parser.parseDocument()
    }
}
