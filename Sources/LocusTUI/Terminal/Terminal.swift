import CNcurses

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's terminal while curses owns it.
///
/// Curses keeps global state, so every call happens on the main actor. `open`
/// refuses a terminal the dashboard cannot draw on before touching it; `close`
/// gives the terminal back exactly as it was (and is safe to call twice), so
/// every way out of the program calls it before printing anything.
@MainActor
public final class Terminal {
    /// How the operator asked the terminal to be used.
    public struct Options: Sendable {
        /// Draw lines with `+-|` even in a UTF-8 locale.
        public var forceASCII: Bool
        /// Use attributes only, no colours (`--no-color`, or `NO_COLOR` in the environment).
        public var noColor: Bool

        public init(forceASCII: Bool = false, noColor: Bool = false) {
            self.forceASCII = forceASCII
            self.noColor = noColor
        }
    }

    /// The colours the terminal shows, after `NO_COLOR` and `--no-color`.
    public let colorDepth: ColorDepth
    /// Unicode box drawing in a UTF-8 locale, ASCII otherwise or when asked.
    public let lineDrawing: LineDrawing
    /// The current size in cells; follows `refreshSize()`.
    public private(set) var size: Size

    private var screen: OpaquePointer?
    private let window: UnsafeMutablePointer<WINDOW>

    /// Takes over the terminal: checks it can be drawn on, then starts curses.
    ///
    /// Call after `setlocale(LC_ALL, "")`, which `prepareLocale()` does.
    public static func open(options: Options, environment: [String: String]) throws(TerminalUnavailable) -> Terminal {
        let probe = TerminalProbe.current(term: environment["TERM"])
        try probe.check()
        let noColor = options.noColor || !(environment["NO_COLOR"] ?? "").isEmpty
        return try Terminal(
            term: probe.term ?? "",
            output: locus_stdout(),
            input: locus_stdin(),
            options: options,
            noColor: noColor
        )
    }

    /// Starts curses on the given streams without the checks `open` makes; tests use it to
    /// run the real backend against a file and count the bytes it writes.
    convenience init(
        term: String,
        output: UnsafeMutablePointer<FILE>,
        input: UnsafeMutablePointer<FILE>,
        options: Options,
        noColor: Bool
    ) throws(TerminalUnavailable) {
        guard let screen = newterm(term, output, input) else {
            throw .cursesRefused(term)
        }
        self.init(screen: screen, options: options, noColor: noColor)
    }

    /// Sets the locale from the environment; without it wide characters are written as garbage.
    nonisolated public static func prepareLocale() {
        setlocale(LC_ALL, "")
    }

    /// Whether the locale's character set is UTF-8.
    public static var localeIsUTF8: Bool {
        guard let codeset = locus_codeset() else { return false }
        let name = String(cString: codeset).lowercased()
        return name == "utf-8" || name == "utf8"
    }

    private init(screen: OpaquePointer, options: Options, noColor: Bool) {
        self.screen = screen
        // newterm succeeded, so curses has a standard screen.
        self.window = locus_stdscr()!
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        locus_set_escdelay(25)
        leaveok(window, false)
        var colors = 0
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            colors = Int(locus_colors())
        }
        self.colorDepth = ColorDepth.detect(colors: colors, noColor: noColor)
        self.lineDrawing = options.forceASCII || !Terminal.localeIsUTF8 ? .ascii : .unicode
        self.size = Size(width: Int(locus_cols()), height: Int(locus_lines()))
        curs_set(0)
    }

    /// Whether curses still owns the terminal.
    public var isOpen: Bool { screen != nil }

    /// Gives the terminal back: leaves the alternate screen and restores the modes it had.
    public func close() {
        guard let screen else { return }
        curs_set(1)
        endwin()
        delscreen(screen)
        self.screen = nil
    }

    /// Reads the size from the kernel after SIGWINCH and tells curses about it.
    /// - Returns: whether the size changed.
    @discardableResult
    public func refreshSize() -> Bool {
        var rows: Int32 = 0
        var columns: Int32 = 0
        if locus_window_size(STDOUT_FILENO, &rows, &columns) == 0, rows > 0, columns > 0 {
            if is_term_resized(rows, columns) {
                resizeterm(rows, columns)
            }
        }
        let new = Size(width: Int(locus_cols()), height: Int(locus_lines()))
        defer { size = new }
        return new != size
    }

    /// Every key curses has buffered, decoded; empty when none is waiting.
    ///
    /// Never blocks (the window is in no-delay mode) except for the short Esc delay that
    /// tells a lone Esc from the start of an escape sequence.
    public func readKeys() -> [Key] {
        guard screen != nil else { return [] }
        var keys: [Key] = []
        while true {
            var code: wint_t = 0
            let status = wget_wch(window, &code)
            guard let key = KeyDecoder.decode(status: status, code: UInt32(code)) else { break }
            if key == .resize {
                refreshSize()
            }
            keys.append(key)
        }
        return keys
    }

    /// Whether stdin reports a hang-up or an error: the terminal is gone, so waiting for keys
    /// would spin on a source that is always readable.
    public func inputHungUp() -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) == 1 else { return false }
        return descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// The window frames are drawn into.
    var drawingWindow: UnsafeMutablePointer<WINDOW> { window }
}
