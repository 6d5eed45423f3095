import CNcurses

/// Presents frames on the terminal through ncursesw.
///
/// Keeps the frame it showed last and writes only the runs `FrameDiff` reports, then one
/// `wnoutrefresh` + `doupdate`. When nothing changed it makes no curses call that writes,
/// so an idle dashboard sends nothing over a slow link. The whole screen is repainted only
/// after a resize; a theme change rewrites every cell.
@MainActor
public final class NcursesBackend {
    private let terminal: Terminal
    private var previous: Frame?
    private var theme: Theme
    /// Styles resolved for this terminal's colour depth, so a frame resolves each style once.
    private var resolved: [Style: (attributes: attr_t, pair: Int16)] = [:]
    private var pairs: [ColorPairKey: Int16] = [:]
    private var needsClear = false

    public init(terminal: Terminal, theme: Theme) {
        self.terminal = terminal
        self.theme = theme
    }

    public var size: Size { terminal.size }

    /// Changes how roles look; every cell is written again on the next frame.
    public func setTheme(_ theme: Theme) {
        guard theme != self.theme else { return }
        self.theme = theme
        resolved.removeAll()
        previous = nil
    }

    /// Forgets what the terminal shows: the next frame clears the screen and writes every
    /// cell. For a resize, where the terminal may have reflowed or dropped what was there.
    public func invalidate() {
        previous = nil
        needsClear = true
    }

    /// Writes what differs between the last frame and `frame`; nothing at all when they are equal.
    public func present(_ frame: Frame) {
        let runs = FrameDiff.changes(from: previous, to: frame)
        let cursorChanged = previous == nil || previous?.cursor != frame.cursor
        guard !runs.isEmpty || cursorChanged || needsClear else { return }
        let window = terminal.drawingWindow
        if needsClear {
            clearok(window, true)
            needsClear = false
        }
        for run in runs {
            write(run, to: window)
        }
        if let cursor = frame.cursor {
            wmove(window, Int32(cursor.y), Int32(cursor.x))
        }
        if cursorChanged {
            curs_set(frame.cursor == nil ? 0 : 1)
        }
        wnoutrefresh(window)
        doupdate()
        previous = frame
    }

    private func write(_ run: CellRun, to window: UnsafeMutablePointer<WINDOW>) {
        var characters: [cchar_t] = []
        characters.reserveCapacity(run.cells.count)
        for cell in run.cells where !cell.isContinuation {
            characters.append(character(for: cell))
        }
        characters.withUnsafeBufferPointer { buffer in
            _ = mvwadd_wchnstr(window, Int32(run.y), Int32(run.x), buffer.baseAddress, Int32(buffer.count))
        }
    }

    private func character(for cell: Cell) -> cchar_t {
        let (attributes, pair) = look(of: cell.style)
        // One base character plus up to four combining marks fit in a cchar_t.
        var wide: [wchar_t] = cell.text.unicodeScalars.prefix(Int(CCHARW_MAX)).map { wchar_t(bitPattern: $0.value) }
        if wide.isEmpty {
            wide = [wchar_t(32)]
        }
        wide.append(0)
        var result = cchar_t()
        _ = setcchar(&result, wide, attributes, pair, nil)
        return result
    }

    /// The curses attributes and colour pair for `style` under the theme at this terminal's depth.
    private func look(of style: Style) -> (attributes: attr_t, pair: Int16) {
        if let known = resolved[style] {
            return known
        }
        let resolution = theme.resolve(style, for: terminal.colorDepth)
        let look = (
            attributes: Self.cursesAttributes(resolution.attributes),
            pair: pairNumber(
                foreground: resolution.foreground.cursesNumber,
                background: resolution.background.cursesNumber
            )
        )
        resolved[style] = look
        return look
    }

    /// The colour pair for (foreground, background), allocated on first use; pair 0 (the
    /// terminal's defaults) when both are default or the terminal has run out of pairs.
    private func pairNumber(foreground: Int16, background: Int16) -> Int16 {
        guard terminal.colorDepth != .monochrome, foreground >= 0 || background >= 0 else { return 0 }
        let key = ColorPairKey(foreground: foreground, background: background)
        if let pair = pairs[key] {
            return pair
        }
        let next = pairs.count + 1
        guard next < min(Int(locus_color_pairs()), Int(Int16.max)) else { return 0 }
        let pair = Int16(next)
        guard init_pair(pair, foreground, background) == OK else { return 0 }
        pairs[key] = pair
        return pair
    }

    static func cursesAttributes(_ attributes: Attributes) -> attr_t {
        var result = locus_a_normal()
        if attributes.contains(.bold) { result |= locus_a_bold() }
        if attributes.contains(.reverse) { result |= locus_a_reverse() }
        if attributes.contains(.underline) { result |= locus_a_underline() }
        if attributes.contains(.dim) { result |= locus_a_dim() }
        return result
    }
}

extension NcursesBackend: @MainActor RenderBackend {}

private struct ColorPairKey: Hashable {
    var foreground: Int16
    var background: Int16
}
