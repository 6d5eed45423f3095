/// The text of a one-line input being edited (the `/` filter, the `:` command) and its cursor.
/// Editing works on grapheme clusters, so Backspace removes what the operator sees as one
/// character.
public struct InputLineState: Hashable, Sendable {
    public private(set) var characters: [Character]
    /// The insertion point, `0...characters.count`.
    public private(set) var cursor: Int

    public init(text: String = "") {
        self.characters = Array(text)
        self.cursor = characters.count
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    /// Inserts typed text at the cursor; control characters are ignored.
    public mutating func insert(_ text: String) {
        let typed = text.filter { $0.unicodeScalars.first?.properties.generalCategory != .control }
        characters.insert(contentsOf: typed, at: cursor)
        cursor += typed.count
    }

    /// Backspace: removes the character before the cursor.
    public mutating func deleteBackward() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    /// Delete: removes the character under the cursor.
    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    /// Ctrl-U: removes everything before the cursor.
    public mutating func deleteToStart() {
        characters.removeFirst(cursor)
        cursor = 0
    }

    /// Ctrl-W: removes the word before the cursor and the spaces after it.
    public mutating func deleteWordBackward() {
        var start = cursor
        while start > 0 && characters[start - 1] == " " {
            start -= 1
        }
        while start > 0 && characters[start - 1] != " " {
            start -= 1
        }
        characters.removeSubrange(start..<cursor)
        cursor = start
    }

    public mutating func moveLeft() {
        cursor = max(0, cursor - 1)
    }

    public mutating func moveRight() {
        cursor = min(characters.count, cursor + 1)
    }

    /// Home / Ctrl-A.
    public mutating func moveToStart() {
        cursor = 0
    }

    /// End / Ctrl-E.
    public mutating func moveToEnd() {
        cursor = characters.count
    }

    public mutating func clear() {
        characters = []
        cursor = 0
    }
}

/// A one-line input: a prompt (`/`, `:`) and the text being typed, scrolled horizontally so the
/// cursor is always visible; `…` at the left shows that text is scrolled away. Sets the frame's
/// cursor and reverses the cell under it, so the cursor shows whether or not the terminal's is on.
public struct InputLine: Widget {
    public var prompt: String
    public var state: InputLineState
    /// Shown muted while the text is empty.
    public var placeholder: String

    public init(prompt: String, state: InputLineState, placeholder: String = "") {
        self.prompt = prompt
        self.state = state
        self.placeholder = placeholder
    }

    public func draw(in area: Rect, frame: inout Frame) {
        guard !area.isEmpty else { return }
        let line = area.row(0)
        frame.fill(line, style: .text)
        let start = frame.put(prompt, at: line.origin, style: Style(.text, .bold), clip: line)
        let field = Rect(x: start, y: line.y, width: line.maxX - start, height: 1).intersection(line)
        guard !field.isEmpty else { return }
        if state.isEmpty && !placeholder.isEmpty {
            frame.put(placeholder, in: field, style: .muted)
        }
        let characters = state.characters
        let first = firstVisible(fieldWidth: field.width)
        var x = field.x
        if first > 0 {
            x = frame.put(frame.lineDrawing.ellipsis, at: field.origin, style: .muted, clip: field)
        }
        var cursorX = x
        for index in first..<characters.count {
            if index == state.cursor {
                cursorX = x
            }
            let width = characters[index].terminalWidth
            guard x + width <= field.maxX else { break }
            x = frame.put(String(characters[index]), at: Point(x: x, y: field.y), style: .text, clip: field)
        }
        if state.cursor >= characters.count {
            cursorX = x
        }
        let cursor = Point(x: min(cursorX, field.maxX - 1), y: field.y)
        let under = frame[cursor.x, cursor.y]
        frame.restyle(
            Rect(x: cursor.x, y: cursor.y, width: max(1, under.width), height: 1),
            style: Style(.text, .reverse)
        )
        frame.cursor = cursor
    }

    /// The first character shown: 0 when the text up to the cursor fits, else the one that lets
    /// the cursor sit in the last column, after a one-column `…`.
    private func firstVisible(fieldWidth: Int) -> Int {
        let characters = state.characters
        var used = 1  // the cursor's own cell
        for index in 0..<state.cursor {
            used += characters[index].terminalWidth
        }
        guard used > fieldWidth else { return 0 }
        var first = 0
        while first < state.cursor && used + 1 > fieldWidth {
            used -= characters[first].terminalWidth
            first += 1
        }
        return first
    }
}
