/// One line of the shell's key map: keys, what they do, and the action each key sends.
struct ShellBinding {
    var section: String
    var description: String
    var keys: [(key: Key, action: Action)]
}

extension Shell {
    /// The keys of the main screen. Both the key handling and the help overlay read this
    /// table, so help lists exactly the keys that work.
    static let bindings: [ShellBinding] = [
        ShellBinding(
            section: "Views",
            description: DashboardView.allCases.map(\.title).joined(separator: ", "),
            keys: DashboardView.allCases.map { (.character(Character("\($0.number)")), .showView($0)) }
        ),
        ShellBinding(
            section: "Views",
            description: "previous / next view",
            keys: [
                (.character("["), .previousView), (.character("]"), .nextView),
            ]
        ),
        ShellBinding(
            section: "Views",
            description: "move focus between list and detail",
            keys: [
                (.tab, .toggleFocus), (.backTab, .toggleFocus),
            ]
        ),
        ShellBinding(
            section: "Finding",
            description: "filter the list (Enter applies)",
            keys: [
                (.character("/"), .openFilter)
            ]
        ),
        ShellBinding(section: "Finding", description: "clear the filter", keys: [(.escape, .setFilter(""))]),
        ShellBinding(
            section: "Finding",
            description: "command: quit, theme NAME, filter TEXT, view NAME",
            keys: [(.character(":"), .openCommandLine)]
        ),
        ShellBinding(section: "Screen", description: "next theme", keys: [(.character("t"), .cycleTheme)]),
        ShellBinding(section: "Screen", description: "this help", keys: [(.character("?"), .toggleHelp)]),
        ShellBinding(
            section: "Screen",
            description: "quit (asks first while a cutover started here runs)",
            keys: [(.character("q"), .quit)]
        ),
    ]

    /// The active key map, for the help overlay.
    public static var keyMap: KeyMap {
        var sections: [KeyMapSection] = []
        for binding in bindings {
            let line = KeyBinding(binding.keys.map { $0.key.description }, binding.description)
            if let last = sections.indices.last, sections[last].title == binding.section {
                sections[last].bindings.append(line)
            } else {
                sections.append(KeyMapSection(binding.section, [line]))
            }
        }
        sections.append(
            KeyMapSection(
                "Editing a / or : line",
                [
                    KeyBinding("Enter", "apply"),
                    KeyBinding("Esc", "close without applying"),
                    KeyBinding(["←", "→", "Home", "End"], "move the cursor"),
                    KeyBinding(["Ctrl-U", "Ctrl-W"], "delete to the start / the word before"),
                ]
            )
        )
        return KeyMap(sections)
    }

    /// The hints on the bottom line.
    public static let keyHints: [KeyHint] = [
        KeyHint("?", "help"),
        KeyHint("1-5", "views"),
        KeyHint("Tab", "focus"),
        KeyHint("/", "filter"),
        KeyHint(":", "cmd"),
        KeyHint("t", "theme"),
        KeyHint("q", "quit"),
    ]

    /// What `key` does in `state`; nil when it does nothing there.
    ///
    /// An open confirmation takes every key first, then help, then a prompt being edited;
    /// only then do the main screen's keys apply.
    public static func action(for key: Key, in state: UIState) -> Action? {
        if state.confirmation != nil {
            switch key {
            case .enter, .character("y"), .character("Y"): return .acceptConfirmation
            case .escape, .character("n"), .character("N"): return .rejectConfirmation
            default: return nil
            }
        }
        if state.isHelpOpen {
            switch key {
            case .escape, .character("?"), .character("q"), .enter: return .closeOverlay
            default: return nil
            }
        }
        if state.prompt != nil {
            return promptAction(for: key)
        }
        if key == .escape && state.filter.isEmpty {
            return nil
        }
        for binding in bindings {
            if let match = binding.keys.first(where: { $0.key == key }) {
                return match.action
            }
        }
        return nil
    }

    /// One key of the live dashboard: the view's own keys first, then the shell's, else a notice.
    public static func press(_ key: Key, in state: UIState, live data: LiveData?, visibleRows: Int) -> UIState {
        if let data, let next = LiveKeys.reduce(state, key: key, data: data, visibleRows: visibleRows) {
            return next
        }
        if let action = action(for: key, in: state) {
            return reduce(state, action)
        }
        return unhandled(key, in: state)
    }

    /// A key nothing took: the status line says so, rather than the key seeming lost. Keys that do
    /// nothing on purpose (Esc with nothing to cancel, a resize, a dialog's other keys) stay silent.
    public static func unhandled(_ key: Key, in state: UIState) -> UIState {
        guard state.confirmation == nil, !state.isHelpOpen, state.prompt == nil else { return state }
        switch key {
        case .resize, .escape, .unknown: return state
        default: break
        }
        var next = state
        next.message = StatusMessage(.info, "\(key) does nothing in \(state.activeView.title); ? lists the keys")
        return next
    }

    private static func promptAction(for key: Key) -> Action? {
        switch key {
        case .enter: return .submitPrompt
        case .escape: return .cancelPrompt
        case .backspace: return .edit(.deleteBackward)
        case .delete, .control("d"): return .edit(.deleteForward)
        case .left, .control("b"): return .edit(.moveLeft)
        case .right, .control("f"): return .edit(.moveRight)
        case .home, .control("a"): return .edit(.moveToStart)
        case .end, .control("e"): return .edit(.moveToEnd)
        case .control("u"): return .edit(.deleteToStart)
        case .control("w"): return .edit(.deleteWordBackward)
        case .character(let character): return .edit(.insert(String(character)))
        default: return nil
        }
    }
}
