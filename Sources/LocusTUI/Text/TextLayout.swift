/// Horizontal placement of text in a wider space.
public enum Alignment: String, Hashable, Sendable {
    case leading
    case center
    case trailing
}

/// Fitting text into a number of terminal columns.
public enum TextLayout {
    /// `text` cut to at most `columns` columns; when it is cut, the last column shows `ellipsis`
    /// (one column). A wide character that would straddle the cut is left out, so the result may
    /// be one column narrower than asked; `padded` fills that column.
    public static func truncated(_ text: some StringProtocol, toColumns columns: Int, ellipsis: String = "…") -> String
    {
        guard columns > 0 else { return "" }
        if text.utf8.count <= columns && text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return String(text)
        }
        let total = text.terminalWidth
        if total <= columns {
            return sanitized(text)
        }
        let ellipsisWidth = ellipsis.terminalWidth
        guard columns >= ellipsisWidth else { return "" }
        let budget = columns - ellipsisWidth
        var result = ""
        var used = 0
        for character in text {
            let width = character.terminalWidth
            if used + width > budget {
                break
            }
            result += character.terminalSafe
            used += width
        }
        return result + ellipsis
    }

    /// `text` truncated (with `ellipsis`) and padded with spaces to exactly `columns` columns.
    public static func padded(
        _ text: some StringProtocol,
        toColumns columns: Int,
        alignment: Alignment = .leading,
        ellipsis: String = "…"
    ) -> String {
        guard columns > 0 else { return "" }
        let fitted = truncated(text, toColumns: columns, ellipsis: ellipsis)
        let gap = max(0, columns - fitted.terminalWidth)
        switch alignment {
        case .leading:
            return fitted + String(repeating: " ", count: gap)
        case .trailing:
            return String(repeating: " ", count: gap) + fitted
        case .center:
            let left = gap / 2
            return String(repeating: " ", count: left) + fitted + String(repeating: " ", count: gap - left)
        }
    }

    /// `text` broken into lines of at most `columns` columns at spaces; words longer than a line
    /// are broken inside. Newlines in `text` start new lines.
    public static func wrapped(_ text: some StringProtocol, toColumns columns: Int) -> [String] {
        guard columns > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ") {
                var word = sanitized(word)
                var wordWidth = word.terminalWidth
                if lineWidth > 0 && lineWidth + 1 + wordWidth <= columns {
                    line += " " + word
                    lineWidth += 1 + wordWidth
                    continue
                }
                if lineWidth > 0 {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                while wordWidth > columns {
                    let (head, rest) = split(word, atColumn: columns)
                    lines.append(head)
                    word = rest
                    wordWidth = word.terminalWidth
                }
                line = word
                lineWidth = wordWidth
            }
            lines.append(line)
        }
        return lines
    }

    /// The characters of `text` made safe to write to a terminal (see `Character.terminalSafe`).
    public static func sanitized(_ text: some StringProtocol) -> String {
        var result = ""
        for character in text {
            result += character.terminalSafe
        }
        return result
    }

    /// Splits `text` so that the head is at most `column` columns wide (and never empty when
    /// `column` is at least 2, so that wrapping always advances).
    private static func split(_ text: String, atColumn column: Int) -> (String, String) {
        var used = 0
        var index = text.startIndex
        while index < text.endIndex {
            let width = text[index].terminalWidth
            if used + width > column && used > 0 {
                break
            }
            used += width
            index = text.index(after: index)
        }
        return (String(text[..<index]), String(text[index...]))
    }
}
