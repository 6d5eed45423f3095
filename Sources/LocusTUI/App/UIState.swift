import LocusCore

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
        /// The reason a decision needs (reject); the command waits with an empty one.
        case reason(MigrationCommand)
        /// The address `workload` answers at after moving to `site` (empty keeps its own).
        case requestAddress(workload: String, site: String)
        /// Why `workload` moves to `site` (required).
        case requestReason(workload: String, site: String, address: String?)
        /// How long the acknowledgement of `alert` holds (empty: until it clears); `x` asks it.
        case acknowledgeFor(Alert)
    }

    public var kind: Kind
    public var line: InputLineState

    public init(_ kind: Kind, text: String = "") {
        self.kind = kind
        self.line = InputLineState(text: text)
    }

    public var text: String { line.text }

    /// The character or label shown before the text.
    public var leader: String {
        switch kind {
        case .filter: "/"
        case .command: ":"
        case .reason(let command): "reason to \(command.action.lowercased().split(separator: " ").first ?? ""): "
        case .requestAddress(let workload, let site): "address of \(workload) at \(site) (Enter keeps it): "
        case .requestReason(let workload, let site, _): "why \(workload) moves to \(site): "
        case .acknowledgeFor(let alert): "acknowledge \(alert.id) for (Enter: until it clears): "
        }
    }

    /// The grey text an empty line shows.
    public var placeholder: String {
        switch kind {
        case .filter: "text to filter by"
        case .command: "quit, theme NAME, filter TEXT, view NAME"
        case .reason: "required"
        case .requestAddress: "a new IP address, or nothing"
        case .requestReason: "required, e.g. rack retirement"
        case .acknowledgeFor: "a duration like 30m, 4h or 2d, or nothing"
        }
    }
}

/// `m` on a workload: the destination sites to choose from.
public struct SitePicker: Hashable, Sendable {
    public var workload: String
    public var fromSite: String
    /// Every other site, in configuration order.
    public var sites: [String]
    public var selection: Int

    public init(workload: String, fromSite: String, sites: [String]) {
        self.workload = workload
        self.fromSite = fromSite
        self.sites = sites
        self.selection = 0
    }
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
    /// What else the operator should know before answering.
    public var details: [String]
    /// Dispatched when the operator confirms.
    public var onConfirm: Action
    /// The alert occurrence the question is about, as it was when asked: if it clears or changes
    /// severity meanwhile, the question closes (see `LiveKeys.revisitConfirmation`).
    public var alert: Alert?

    public init(action: String, object: String, details: [String] = [], onConfirm: Action, alert: Alert? = nil) {
        self.action = action
        self.object = object
        self.details = details
        self.onConfirm = onConfirm
        self.alert = alert
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
    /// Selection, sort and detail scroll of the live views.
    public var live: LiveViewState
    /// Work for the event loop (acknowledgements), taken and cleared by it after each reduction.
    public var requests: [DashboardRequest]
    /// `m`'s list of destination sites, while open.
    public var sitePicker: SitePicker?
    /// The migrations whose detached runner this process started, while it runs: `q` asks first.
    public var runnersStarted: [String: Int32]
    /// `--read-only`: nobody decides from this screen.
    public var isReadOnly: Bool

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
        self.live = LiveViewState()
        self.requests = []
        self.sitePicker = nil
        self.runnersStarted = [:]
        self.isReadOnly = false
    }
}
