/// The characters HAProxy accepts in proxy and server names.
///
/// Backend and server names end up as words of Runtime API commands, where a
/// space starts another argument and `;` or a newline another command; with
/// names kept to HAProxy's own set, no text from a file can become a command.
public enum HAProxyName {
    /// Said in every refusal, so the operator knows what to write instead.
    public static let allowedDescription = "use letters, digits, - _ . :"

    /// ASCII letters and digits, `-`, `_`, `.` and `:`, as HAProxy's `invalid_char()` allows.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", ":": return true
        default: return false
        }
    }

    /// The first character of `name` HAProxy would not accept, or nil when there is none.
    public static func firstDisallowed(in name: String) -> Unicode.Scalar? {
        name.unicodeScalars.first { !isAllowed($0) }
    }

    /// `backend "be web": character ' ' (U+0020) is not allowed in an HAProxy name; use letters, …`,
    /// or nil when `name` is fine. `role` says what the name is (`backend`, `server`).
    public static func problem(with name: String, role: String) -> String? {
        guard let scalar = firstDisallowed(in: name) else { return nil }
        return "\(role) \(name.debugDescription): character \(describe(scalar)) is not allowed in an HAProxy name; "
            + allowedDescription
    }

    /// `' ' (U+0020)`, `'\n' (U+000A)`; characters that would not print are given by code alone.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        let shown: String
        switch scalar {
        case "\n": shown = "'\\n' "
        case "\r": shown = "'\\r' "
        case "\t": shown = "'\\t' "
        default:
            let invisible =
                scalar.properties.generalCategory == .control
                || (scalar.properties.isWhitespace && scalar != " ")
            shown = invisible ? "" : "'\(scalar)' "
        }
        return shown + "(\(code))"
    }
}
