/// Reads TOML (v1.0) documents into values that remember their line numbers.
///
/// Locus reads operator-written files (config, inventory, map-server, themes)
/// and every error must name `FILE:LINE`, down to the key that is wrong, which
/// is why values carry the line they were defined on.
public enum TOML {
    /// Parses a whole document. The first syntax error ends parsing.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var parser = TOMLParser(bytes: Array(text.utf8))
        return try parser.parseDocument()
    }

    /// Parses a document from the bytes of a file. TOML is UTF-8: a byte sequence that is not
    /// is an error at its line, rather than being replaced and read as something else.
    public static func parse(utf8 bytes: [UInt8]) throws(TOMLError) -> TOMLTable {
        var parser = TOMLParser(bytes: bytes)
        return try parser.parseDocument()
    }
}
