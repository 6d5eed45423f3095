import Testing

@testable import LocusTUI

@Suite("Display width")
struct DisplayWidthTests {
    @Test(
        arguments: [
            ("a", 1), ("é", 1), ("e\u{301}", 1), ("漢", 2), ("ｱ", 1), ("Ａ", 2), ("한", 2),
            ("😀", 2), ("👍🏽", 2), ("👩‍💻", 2), ("🇫🇷", 2), ("❤️", 2), ("❤", 1), ("1️⃣", 2),
            ("\u{301}", 0), ("\u{200D}", 0), ("\u{FE0F}", 0), ("\u{7}", 1), ("…", 1), ("─", 1),
        ]
    )
    func characterWidths(text: String, width: Int) {
        #expect(text.terminalWidth == width, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test func stringWidthSumsClusters() {
        #expect("web-07".terminalWidth == 6)
        #expect("東京 dc".terminalWidth == 7)
        #expect("👩‍👩‍👧 ok".terminalWidth == 5)
    }

    @Test func controlCharactersAreMadeSafe() {
        #expect(TextLayout.sanitized("a\u{1B}[31mb") == "a\u{FFFD}[31mb")
        #expect(TextLayout.sanitized("tab\there\r\n") == "tab here ")
        #expect(TextLayout.sanitized("x\u{202E}y") == "xy")
    }

    @Test(
        arguments: [
            ("hello world", 5, "hell…"), ("hello", 5, "hello"), ("hello", 1, "…"), ("hello", 0, ""),
            ("漢字漢字", 4, "漢…"), ("漢字漢字", 5, "漢字…"), ("a漢字", 3, "a…"), ("e\u{301}te\u{301}s", 3, "e\u{301}t…"),
        ]
    )
    func truncation(text: String, columns: Int, expected: String) {
        let result = TextLayout.truncated(text, toColumns: columns)
        #expect(result == expected)
        #expect(result.terminalWidth <= columns)
    }

    @Test func paddingAlwaysGivesTheExactWidth() {
        for columns in 0...9 {
            for text in ["漢字漢字", "abcdef", "😀x😀", ""] {
                for alignment in [Alignment.leading, .center, .trailing] {
                    let padded = TextLayout.padded(text, toColumns: columns, alignment: alignment)
                    #expect(padded.terminalWidth == columns, "\(text) \(columns) \(alignment)")
                }
            }
        }
        #expect(TextLayout.padded("ab", toColumns: 5, alignment: .trailing) == "   ab")
        #expect(TextLayout.padded("ab", toColumns: 5, alignment: .center) == " ab  ")
    }

    @Test func wrapping() {
        #expect(TextLayout.wrapped("one two three", toColumns: 7) == ["one two", "three"])
        #expect(TextLayout.wrapped("abcdefghij", toColumns: 4) == ["abcd", "efgh", "ij"])
        #expect(TextLayout.wrapped("a\nb", toColumns: 4) == ["a", "b"])
        #expect(TextLayout.wrapped("漢字漢字", toColumns: 5) == ["漢字", "漢字"])
    }
}
