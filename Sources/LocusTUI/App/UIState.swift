/// Which pane of the body receives movement keys.
public enum Focus: Hashable, Sendable {
    case list
    case detail

    public var other: Focus { self == .list ? .detail : .list }
}

/// A one-line prompt being edited at the bottom of the screen.
public struct Prompt: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// `/`: the text filters the active view.
        case filter
        /// `:`: the text is a command (`quit`, `theme NAME`, `filter TEXT`, `view NAME`).
        case command
    }

    public var kind: Kind
    public var line: InputLineState

    public init(_ kind: Kind, text: String = "") {
        self.kind = kind
        self.line = InputLineState(text: text)
    }

    public var text: String { line.text }

    /// The character shown before the text.
    public var leader: String { kind == .filter ? "/" : ":" }
}

/// A message on the status line, until the next key.
public struct StatusMessage: Hashable, Sendable {
    public enum Severity: Hashable, Sendable {
        case info
        case error
    }

    public var severity: Severity
    public var text: String

    public init(_ severity: Severity, _ text: String) {
        self.severity = severity
        self.text = text
    }
}

/// A question the operator must answer before an action runs; it names the action and the object.
public struct PendingConfirmation: Hashable, Sendable {
    /// What will happen, as a verb phrase ("Quit Locus").
    public var action: String
    /// What it happens to ("while migration web-07 is running").
    public var object: String
    /// Dispatched when the operator confirms.
    public var onConfirm: Action

    public init(action: String, object: String, onConfirm: Action) {
        self.action = action
        self.object = object
        self.onConfirm = onConfirm
    }
}

/// Everything the screen shows that is not the world: the operator's place in the UI.
///
/// A value, changed only by `Shell.reduce`, so every interaction is tested without a terminal.
public struct UIState: Hashable, Sendable {
    public var activeView: DashboardView
    public var focus: Focus
    /// The filter applied to the active view's list; stays shown after the prompt closes.
    public var filter: String
    /// The `/` or `:` line being edited, if any.
    public var prompt: Prompt?
    public var isHelpOpen: Bool
    public var confirmation: PendingConfirmation?
    /// The theme in use, and the names `t` cycles through (in that order).
    public var themeName: String
    public var themeNames: [String]
    public var message: StatusMessage?
    /// Set by `q`, `:quit` or a confirmed quit; the event loop ends when it sees it.
    public var wantsToQuit: Bool

    public init(
        activeView: DashboardView = .workloads,
        themeName: String = "default",
        themeNames: [String] = ["default"]
    ) {
        self.activeView = activeView
        self.focus = .list
        self.filter = ""
        self.prompt = nil
        self.isHelpOpen = false
        self.confirmation = nil
        self.themeName = themeName
        self.themeNames = themeNames.isEmpty ? [themeName] : themeNames
        self.message = nil
        self.wantsToQuit = false
    }
}
