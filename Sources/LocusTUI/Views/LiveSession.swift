import Foundation
import LocusCore

/// The dashboard's side of a `LiveConnection`: the last update, the fetched history, and the
/// tasks that talk to the engine and the store off the main actor, reporting back as events.
@MainActor
final class LiveSession {
    private let connection: LiveConnection?
    private var latest: LiveUpdate?
    private var history: WorkloadHistory?
    private var board: MigrationBoard?
    /// The subject last asked for and the newest event time of it seen then, so that a new
    /// event about the selected workload fetches its history again.
    private var requested: (subject: String, newest: Date?)?
    /// The history fetch under way: one at a time, the one for the current selection.
    private var historyFetch: Task<Void, Never>?
    /// How long the selection must stay on a workload before its history is fetched: holding an
    /// arrow key down across a thousand rows asks the store once, not a thousand times.
    static let historySettle: Duration = .milliseconds(150)
    /// Source RTTs as shown, with the states and minute they were taken at.
    private var shownRTT: [String: Duration] = [:]
    private var shownStates: [String: SourceState] = [:]
    private var shownMinute: Date?

    init(connection: LiveConnection?) {
        self.connection = connection
    }

    /// What the views show; nil until the first snapshot. Ages count from the current minute.
    var data: LiveData? {
        guard let latest else { return nil }
        return LiveData(
            snapshot: latest.snapshot,
            registrations: latest.registrations,
            history: history,
            now: CoarseText.minute(of: Date()),
            shownRTT: shownRTT,
            migrations: board
        )
    }

    func receive(_ board: MigrationBoard) {
        self.board = board
    }

    /// Keeps a fetched history unless a newer request (another selection) is outstanding: fetches
    /// may finish out of order.
    func accept(_ fetched: WorkloadHistory) {
        guard fetched.subject == requested?.subject else { return }
        history = fetched
    }

    func receive(_ update: LiveUpdate) {
        latest = update
        steadyRTTs()
    }

    /// Takes new RTTs for sources whose state changed, and for all once a minute.
    func steadyRTTs() {
        guard let sources = latest?.snapshot.sources else { return }
        let minute = CoarseText.minute(of: Date())
        let refreshAll = minute != shownMinute
        shownMinute = minute
        for (name, source) in sources where refreshAll || shownStates[name] != source.state {
            shownStates[name] = source.state
            shownRTT[name] = source.rtt
        }
    }

    /// Forwards the engine's updates and the store's migration boards to the event loop until
    /// cancelled or the streams end.
    func start(sink: AsyncStream<DashboardEvent>.Continuation) -> Task<Void, Never>? {
        guard let connection else { return nil }
        let updates = connection.updates
        let boards = connection.migrations?.boards
        return Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await update in updates {
                        sink.yield(.live(update))
                    }
                }
                if let boards {
                    group.addTask {
                        for await board in boards {
                            sink.yield(.migrations(board))
                        }
                    }
                }
            }
        }
    }

    /// Runs the requests the reducer left, then clears them.
    func perform(
        _ requests: inout [DashboardRequest],
        operatorName: String,
        sink: AsyncStream<DashboardEvent>.Continuation
    ) {
        defer { requests.removeAll() }
        guard let connection else { return }
        for request in requests {
            switch request {
            case .acknowledge(let id, let duration):
                Task.detached {
                    do {
                        try await connection.acknowledge(id, operatorName, duration)
                        sink.yield(.acknowledged(id, error: nil))
                    } catch {
                        sink.yield(.acknowledged(id, error: String(describing: error)))
                    }
                }
            case .migration(let command):
                guard let migrations = connection.migrations else {
                    sink.yield(
                        .migrationDone(
                            command,
                            MigrationCommandOutcome(message: "this store keeps no migrations", isRefusal: true)
                        )
                    )
                    continue
                }
                Task.detached {
                    let outcome = await migrations.perform(command)
                    sink.yield(.migrationDone(command, outcome))
                    guard let pid = outcome.runner else { return }
                    let exit = await migrations.runnerEnded(pid, outcome.runnerLog ?? "")
                    sink.yield(.runnerEnded(command.migration?.id ?? "", pid: pid, exit))
                }
            }
        }
    }

    /// Asks the store for the selected workload's recent events when the selection changed or a
    /// new event about it arrived.
    func fetchHistoryIfNeeded(_ state: UIState, visibleRows: Int, sink: AsyncStream<DashboardEvent>.Continuation) {
        guard let connection, state.activeView == .workloads, let data,
            let subject = LiveKeys.selectedWorkload(state, data: data, visibleRows: visibleRows)
        else { return }
        let newest = data.snapshot.events.first { $0.subject == subject }?.time
        if let requested, requested.subject == subject, requested.newest == newest {
            return
        }
        requested = (subject, newest)
        historyFetch?.cancel()
        historyFetch = Task.detached {
            do {
                try await Task.sleep(for: Self.historySettle)
                let events = try await connection.recentEvents(subject)
                guard !Task.isCancelled else { return }
                sink.yield(.history(WorkloadHistory(subject: subject, events: events)))
            } catch {
                // Cancelled by a newer selection, or the store failed: the detail pane keeps waiting.
                if !(error is CancellationError) {
                    sink.yield(.history(WorkloadHistory(subject: subject, events: [])))
                }
            }
        }
    }
}
