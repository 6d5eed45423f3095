extension Shell {
    /// The screen for `state` in `context`, rebuilt whole every time (immediate mode); the
    /// backend compares it with the last frame and writes only what differs.
    ///
    /// Layout, top to bottom: the header on the box's top edge, the tab bar, the list and
    /// detail panes side by side, a status line (prompt or message), the key hints on the
    /// bottom edge. Below `MinimumSize.dashboard` the whole screen is a `too small` notice.
    ///
    /// With `live` data (a configuration is loaded and the engine runs), the header counts the
    /// snapshot and the body shows the active view; without, the views explain the empty world.
    public static func render(_ state: UIState, _ context: ShellContext, live: LiveData? = nil) -> Frame {
        var frame = Frame(size: context.size, lineDrawing: context.lineDrawing)
        if MinimumSize.dashboard.drawNoticeIfTooSmall(in: &frame) {
            return frame
        }
        let layout = ShellLayout(frame.bounds)
        frame.draw(box: frame.bounds)
        frame.render(header(context, live: live, lineDrawing: frame.lineDrawing), in: layout.header)
        frame.render(
            TabBar(
                titles: DashboardView.allCases.map { tabTitle($0, live: live) },
                active: state.activeView.rawValue - 1
            ),
            in: layout.tabs
        )
        frame.drawHorizontalLine(y: layout.upperDivider, from: 0, to: frame.width - 1)
        frame.drawHorizontalLine(y: layout.lowerDivider, from: 0, to: frame.width - 1)
        frame.render(layout.split, in: layout.body)
        let (list, detail) = layout.split.layout(layout.body)
        drawPaneTitles(state, list: list, detail: detail, dividerY: layout.upperDivider, frame: &frame)
        if let live {
            LiveScreen.draw(
                state.activeView.liveList,
                state: state.live,
                data: live,
                filter: state.filter,
                panes: LiveScreen.Panes(list: list, detail: detail, detailFocused: state.focus == .detail),
                frame: &frame
            )
        } else {
            drawEmptyWorld(state, context, list: list, detail: detail, frame: &frame)
        }
        drawStatusLine(state, in: layout.status, frame: &frame)
        let hints = live.map { LiveKeys.hintBar(state, data: $0, shell: keyHints) } ?? keyHints
        frame.render(KeyHintBar(hints), in: layout.hints)
        if state.isHelpOpen {
            let help = live == nil ? keyMap : KeyMap([LiveKeys.keyMapSection(for: state.activeView)] + keyMap.sections)
            frame.render(HelpOverlay(keyMap: help), in: layout.overlay)
        }
        if let picker = state.sitePicker {
            frame.render(SitePickerBox(picker: picker), in: layout.overlay)
        }
        if let confirmation = state.confirmation {
            frame.render(
                ConfirmationDialog(
                    action: confirmation.action,
                    object: confirmation.object,
                    details: confirmation.details
                ),
                in: layout.overlay
            )
        }
        return frame
    }

    private static func header(_ context: ShellContext, live: LiveData?, lineDrawing: LineDrawing) -> HeaderBar {
        HeaderBar(
            left: live.map { LiveHeader.segments($0, lineDrawing: lineDrawing) }
                ?? [" Locus", "·", HeaderBar.Segment(context.configName ?? "no config")],
            right: [HeaderBar.Segment(context.operatorName), HeaderBar.Segment(context.clock.description + " ")],
            separator: " "
        )
    }

    /// `Alerts (3)` counts the alerts not yet acknowledged.
    /// `Migrations (2 pending)` counts those awaiting a decision.
    private static func tabTitle(_ view: DashboardView, live: LiveData?) -> String {
        guard let live else { return view.title }
        switch view {
        case .alerts:
            let open = live.snapshot.alerts.values.filter { !$0.isAcknowledged }.count
            return open == 0 ? view.title : "\(view.title) (\(open))"
        case .migrations:
            let pending = live.migrations?.migrations.filter(\.state.awaitsApproval).count ?? 0
            return pending == 0 ? view.title : "\(view.title) (\(pending) pending)"
        default:
            return view.title
        }
    }

    private static func drawPaneTitles(_ state: UIState, list: Rect, detail: Rect, dividerY: Int, frame: inout Frame) {
        var listTitle = state.activeView.title
        if !state.filter.isEmpty {
            listTitle += "  /" + state.filter
        }
        let focused = Style(.tabActive, .bold)
        let unfocused = Style(.border, .bold)
        let listEdge = Rect(x: list.x - 1, y: dividerY, width: list.width + 2, height: 1)
        frame.drawTitle(listTitle, on: listEdge, style: state.focus == .list ? focused : unfocused)
        let detailEdge = Rect(x: detail.x - 1, y: dividerY, width: detail.width + 2, height: 1)
        frame.drawTitle("Detail", on: detailEdge, style: state.focus == .detail ? focused : unfocused)
    }

    private static func drawEmptyWorld(
        _ state: UIState,
        _ context: ShellContext,
        list: Rect,
        detail: Rect,
        frame: inout Frame
    ) {
        let inside = list.inset(by: Insets(top: 1, left: 2, right: 1))
        var lines = [EmptyWorldText.headline(for: state.activeView, world: context.world)]
        lines += EmptyWorldText.explanation(for: context.world)
        var y = inside.y
        for (index, paragraph) in lines.enumerated() {
            for line in TextLayout.wrapped(paragraph, toColumns: inside.width) {
                guard y < inside.maxY else { break }
                frame.put(line, in: inside.row(y - inside.y), style: index == 0 ? Style(.text, .bold) : .muted)
                y += 1
            }
            y += 1
        }
        let detailInside = detail.inset(by: Insets(top: 1, left: 2, right: 1))
        if !detailInside.isEmpty {
            frame.put("Nothing selected.", in: detailInside.row(0), style: .muted)
        }
    }

    private static func drawStatusLine(_ state: UIState, in line: Rect, frame: inout Frame) {
        if let prompt = state.prompt {
            frame.render(
                InputLine(prompt: prompt.leader, state: prompt.line, placeholder: prompt.placeholder),
                in: line
            )
        } else if let message = state.message {
            // Information reads as a sentence; only an error carries a sign (a leading "i" would read
            // as a word: "i acknowledged …").
            if message.severity == .error {
                frame.put(
                    StateMark.crit.symbol(frame.lineDrawing) + " " + message.text,
                    in: line,
                    style: StateMark.crit.style
                )
            } else {
                frame.put(message.text, in: line, style: StateMark.info.style)
            }
        }
    }
}

/// Where each part of the shell goes, for a frame at least `MinimumSize.dashboard`.
struct ShellLayout {
    let header: Rect
    let tabs: Rect
    let upperDivider: Int
    let body: Rect
    let split: SplitPane
    let lowerDivider: Int
    let status: Rect
    let hints: Rect
    let overlay: Rect

    init(_ bounds: Rect) {
        let inner = bounds.interior
        header = Rect(x: 1, y: 0, width: inner.width, height: 1)
        tabs = inner.row(0)
        upperDivider = 2
        lowerDivider = bounds.maxY - 3
        body = Rect(x: inner.x, y: upperDivider + 1, width: inner.width, height: lowerDivider - upperDivider - 1)
        split = SplitPane(axis: .horizontal, ratio: 0.55, joinsEnclosingBox: true)
        status = Rect(x: inner.x, y: lowerDivider + 1, width: inner.width, height: 1)
        hints = Rect(x: 1, y: bounds.maxY - 1, width: inner.width, height: 1)
        overlay = inner
    }
}
