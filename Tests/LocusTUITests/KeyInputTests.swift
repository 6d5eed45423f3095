import CNcurses
import Testing

@testable import LocusTUI

@Suite("Key decoding")
struct KeyInputTests {
    private func functionKey(_ code: Int32) -> Key? {
        KeyDecoder.decode(status: KEY_CODE_YES, code: UInt32(code))
    }

    private func character(_ code: UInt32) -> Key? {
        KeyDecoder.decode(status: OK, code: code)
    }

    @Test func noInputIsNoKey() {
        #expect(KeyDecoder.decode(status: ERR, code: 0) == nil)
        #expect(KeyDecoder.decode(status: ERR, code: 65) == nil)
    }

    @Test(
        arguments: [
            (KEY_UP, Key.up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right),
            (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown), (KEY_HOME, .home), (KEY_END, .end),
            (KEY_BTAB, .backTab), (KEY_ENTER, .enter), (KEY_BACKSPACE, .backspace),
            (KEY_DC, .delete), (KEY_IC, .insert), (KEY_RESIZE, .resize),
        ]
    )
    func functionKeys(code: Int32, key: Key) {
        #expect(functionKey(code) == key)
    }

    @Test func fKeys() {
        #expect(functionKey(locus_key_f(1)) == .function(1))
        #expect(functionKey(locus_key_f(12)) == .function(12))
    }

    @Test func unusedFunctionKeysAreKeptAsUnknown() {
        #expect(functionKey(KEY_PRINT) == .unknown(code: UInt32(KEY_PRINT)))
    }

    @Test func controlCharacters() {
        #expect(character(9) == .tab)
        #expect(character(10) == .enter)
        #expect(character(13) == .enter)
        #expect(character(27) == .escape)
        #expect(character(127) == .backspace)
        #expect(character(8) == .backspace)
        #expect(character(1) == .control("a"))
        #expect(character(3) == .control("c"))
        #expect(character(21) == .control("u"))
        #expect(character(23) == .control("w"))
        #expect(character(26) == .control("z"))
    }

    @Test func otherControlCodesAreNotPrintable() {
        #expect(character(0) == .unknown(code: 0))
        #expect(character(28) == .unknown(code: 28))
        #expect(character(0x85) == .unknown(code: 0x85))
    }

    @Test func printableCharacters() {
        #expect(character(UInt32(UInt8(ascii: "q"))) == .character("q"))
        #expect(character(UInt32(UInt8(ascii: " "))) == .character(" "))
        #expect(character(UInt32(UInt8(ascii: "/"))) == .character("/"))
        #expect(character(0xE9) == .character("é"))
        #expect(character(0x6F22) == .character("漢"))
        #expect(character(0x1F680) == .character("🚀"))
    }

    @Test func invalidScalarsAreUnknownNotACrash() {
        #expect(character(0xD800) == .unknown(code: 0xD800))
        #expect(character(0x11_0000) == .unknown(code: 0x11_0000))
    }

    @Test func keysAreNamedForHelp() {
        #expect(Key.backTab.description == "Shift-Tab")
        #expect(Key.control("u").description == "Ctrl-U")
        #expect(Key.character("?").description == "?")
    }
}
