/// Terminal column widths, computed from Unicode properties in Swift so that measuring does not
/// depend on the C locale or on the platform's `wcwidth` (which differs between libcs).
extension Character {
    /// Columns this grapheme cluster occupies in a terminal: 0, 1 or 2.
    ///
    /// - 0: a cluster made only of combining marks, joiners, variation selectors or other format
    ///   characters (it only appears on its own at the start of a string; `Frame.put` attaches it
    ///   to the previous cell).
    /// - 2: emoji presentation (including flags, keycaps and ZWJ sequences, and text emoji
    ///   followed by U+FE0F), East Asian Wide and Fullwidth characters.
    /// - 1: everything else, including control characters, which are shown as a replacement.
    public var terminalWidth: Int {
        let scalars = unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x7F && scalars.count == 1 {
            return 1
        }
        if first.isZeroWidth {
            return scalars.allSatisfy(\.isZeroWidth) ? 0 : 1
        }
        if first.properties.generalCategory == .control {
            return 1
        }
        if first.isEastAsianWide {
            return 2
        }
        var textSelector = false
        var emojiSelector = false
        var emojiPresentation = false
        for scalar in scalars {
            switch scalar.value {
            case 0xFE0E: textSelector = true
            case 0xFE0F: emojiSelector = true
            default: if scalar.properties.isEmojiPresentation { emojiPresentation = true }
            }
        }
        if emojiPresentation && !textSelector {
            return 2
        }
        if emojiSelector && first.properties.isEmoji {
            return 2
        }
        return 1
    }

    /// The cluster as it may be written to a terminal: control characters (C0, DEL, C1), which
    /// would move the cursor or start escape sequences, become a space (tab, newline, carriage
    /// return) or U+FFFD; bidirectional overrides, which would reorder what follows, are removed.
    public var terminalSafe: String {
        let scalars = unicodeScalars
        guard let first = scalars.first else { return "" }
        if first.value >= 0x20 && first.value < 0x7F && scalars.count == 1 {
            return String(self)
        }
        if first.properties.generalCategory == .control {
            switch first.value {
            case 0x09, 0x0A, 0x0D: return " "
            default: return "\u{FFFD}"
            }
        }
        guard scalars.contains(where: \.isBidiControl) else { return String(self) }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars.filter { !$0.isBidiControl })
        return String(result)
    }
}

extension StringProtocol {
    /// Columns the string occupies in a terminal (see `Character.terminalWidth`).
    public var terminalWidth: Int {
        var total = 0
        for character in self {
            total += character.terminalWidth
        }
        return total
    }
}

extension Unicode.Scalar {
    /// Combining marks, enclosing marks, format characters (ZWJ, ZWNJ, ...), variation
    /// selectors and Hangul medial/final jamo: drawn on top of the previous column.
    var isZeroWidth: Bool {
        switch value {
        case 0x1160...0x11FF, 0xD7B0...0xD7FF: return true  // Hangul medial vowels and final consonants
        case 0xFE00...0xFE0F, 0xE0100...0xE01EF: return true  // variation selectors
        default: break
        }
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return false
        }
    }

    var isBidiControl: Bool {
        switch value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: return true
        default: return false
        }
    }
}
