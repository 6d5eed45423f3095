import CNcurses

/// Turns one `wget_wch` result into a `Key`.
///
/// A pure function of the two values curses returns, so every mapping is
/// unit-tested without a terminal.
public enum KeyDecoder {
    /// Decodes the status and the wide character `wget_wch` stored.
    ///
    /// - Parameters:
    ///   - status: `OK` for a character, `KEY_CODE_YES` for a function key, `ERR` for no input.
    ///   - code: the `wint_t` value written by `wget_wch`.
    /// - Returns: the key, or `nil` when there was no input (a timeout or an interrupted read).
    public static func decode(status: Int32, code: UInt32) -> Key? {
        switch status {
        case KEY_CODE_YES:
            return functionKey(Int32(truncatingIfNeeded: code))
        case OK:
            return character(code)
        default:
            return nil
        }
    }

    private static func functionKey(_ code: Int32) -> Key {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME, KEY_A1: return .home
        case KEY_END, KEY_C1: return .end
        case KEY_A3: return .pageUp
        case KEY_C3: return .pageDown
        case KEY_IC: return .insert
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_RESIZE: return .resize
        case locus_key_f(1)...locus_key_f(63): return .function(Int(code - locus_key_f(0)))
        default: return .unknown(code: UInt32(bitPattern: code))
        }
    }

    private static func character(_ code: UInt32) -> Key {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26:
            // Ctrl-A is 1; Tab (Ctrl-I), Enter (Ctrl-J, Ctrl-M) and Ctrl-H were taken above.
            let letter = Character(Unicode.Scalar(UInt8(code) + UInt8(ascii: "a") - 1))
            return .control(letter)
        case 0..<32, 128..<160:
            // Other C0 and C1 control codes have no printable meaning.
            return .unknown(code: code)
        default:
            guard let scalar = Unicode.Scalar(code) else {
                return .unknown(code: code)
            }
            return .character(Character(scalar))
        }
    }
}
