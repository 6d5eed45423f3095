/// The dashboard shell: pure functions from state and input to state, and from state to a frame.
public enum Shell {}

extension Shell {
    /// The state after the keys of one read, each reduced by `reduceKey`. A question is answered only
    /// once it has been drawn: the keys typed ahead or pasted after the one that asked it are dropped,
    /// so no Enter confirms a decision the operator has not seen.
    static func reduce(_ state: UIState, keys: [Key], by reduceKey: (UIState, Key) -> UIState) -> UIState {
        var state = state
        var wasAsking = state.confirmation != nil
        for key in keys where key != .resize {
            if state.confirmation != nil, !wasAsking { break }
            wasAsking = state.confirmation != nil
            state = reduceKey(state, key)
        }
        return state
    }

    /// The state after `action`. Pure: no terminal, no clock, no I/O.
    public static func reduce(_ state: UIState, _ action: Action) -> UIState {
        var state = state
        state.message = nil
        switch action {
        // Another view starts on its list: focus left on one view's detail would land, unseen, on
        // the next view's (its dependencies, say).
        case .showView(let view):
            state.activeView = view
            state.focus = .list
        case .nextView:
            state.activeView = state.activeView.next
            state.focus = .list
        case .previousView:
            state.activeView = state.activeView.previous
            state.focus = .list
        case .toggleFocus:
            state.focus = state.focus.other
        case .openFilter:
            state.prompt = Prompt(.filter, text: state.filter)
        case .openCommandLine:
            state.prompt = Prompt(.command)
        case .edit(let edit):
            if var prompt = state.prompt {
                edit.apply(to: &prompt.line)
                state.prompt = prompt
            }
        case .submitPrompt:
            guard let prompt = state.prompt else { break }
            state.prompt = nil
            switch prompt.kind {
            case .filter:
                state.filter = prompt.text
            case .command:
                do {
                    state = reduce(state, try ShellCommand.parse(prompt.text).action)
                } catch {
                    state.message = StatusMessage(.error, error.description)
                }
            case .reason, .requestAddress, .requestReason:
                MigrationKeys.submit(prompt, to: &state)
            case .acknowledgeFor(let alert):
                AcknowledgementKeys.submit(prompt, about: alert, to: &state)
            }
        case .cancelPrompt:
            state.prompt = nil
        case .setFilter(let text):
            state.filter = text
        case .toggleHelp:
            state.isHelpOpen.toggle()
        case .closeOverlay:
            state.isHelpOpen = false
            state.prompt = nil
        case .cycleTheme:
            let names = state.themeNames
            let index = names.firstIndex(of: state.themeName).map { ($0 + 1) % names.count } ?? 0
            state.themeName = names[index]
            state.message = StatusMessage(.info, "theme \(state.themeName)")
        case .setTheme(let name):
            if let match = state.themeNames.first(where: { $0.lowercased() == name.lowercased() }) {
                state.themeName = match
                state.message = StatusMessage(.info, "theme \(match)")
            } else {
                let known = state.themeNames.joined(separator: ", ")
                state.message = StatusMessage(.error, "no theme called \(name); themes: \(known)")
            }
        case .confirm(let confirmation):
            state.confirmation = confirmation
        case .acceptConfirmation:
            guard let confirmation = state.confirmation else { break }
            state.confirmation = nil
            state = reduce(state, confirmation.onConfirm)
        case .rejectConfirmation:
            state.confirmation = nil
        case .quit:
            if state.runnersStarted.isEmpty {
                state.wantsToQuit = true
            } else {
                let ids = state.runnersStarted.keys.sorted().joined(separator: ", ")
                state.confirmation = PendingConfirmation(
                    action: "Quit Locus",
                    object: "while the cutover of \(ids) runs",
                    details: ["The cutover goes on without this screen: its runner is detached."],
                    onConfirm: .quitLeavingRunners
                )
            }
        case .quitLeavingRunners:
            state.wantsToQuit = true
        case .acknowledge(let id, let duration):
            state.requests.append(.acknowledge(id, for: duration))
            state.message = StatusMessage(.info, "acknowledging \(id)…")
        case .migration(let command):
            state.requests.append(.migration(command))
            state.message = StatusMessage(.info, MigrationKeys.progress(command))
        }
        return state
    }
}
