/// The text digests and the audit chain are taken over: fields separated by a unit separator and
/// escaped, so that no two different lists of fields give the same line.
enum CanonicalText {
    static func line(_ fields: [String]) -> String {
        fields.map { field in
            field.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\n", with: "\\n")
                .replacingOccurrences(of: "\u{1F}", with: "\\u")
        }
        .joined(separator: "\u{1F}")
    }
}
