import LocusCore
import LocusStore
import Logging

/// Writes a running engine's history to the store behind the screen, so that a store that is busy
/// (another process holding SQLite's lock, a slow disk, a distant PostgreSQL) never holds back a
/// snapshot. Batches that arrive while a write is under way are merged and written together next;
/// a failed write is kept and tried again with backoff. What waits is bounded: past the limit the
/// oldest events and alert transitions are dropped, counted and logged.
actor HistoryWriter {
    /// The store's health as the writer saw it: `slow` while a write has taken longer than
    /// `slowAfter`, `down` after a failed one, `ok` after one that succeeded.
    typealias Report = @Sendable (SourceState, _ error: String?) async -> Void

    private let store: any HistoryStore
    private let clock: EngineClock
    private let slowAfter: Duration
    private let backoff: Backoff
    private let limit: Int
    private let finalWriteDeadline: Duration
    private let logger: Logger
    private let wake: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
    private var unwritten = HistoryBatch()
    /// Which write is under way, so that a late slow timer does not mark a finished one.
    private var writeNumber = 0
    private var isWriting = false
    private(set) var droppedRows = 0

    init(store: any HistoryStore, tuning: EngineTuning, clock: EngineClock, logger: Logger) {
        self.store = store
        self.clock = clock
        self.slowAfter = tuning.storeSlowAfter
        self.backoff = tuning.failureBackoff
        self.limit = tuning.unwrittenHistoryLimit
        self.finalWriteDeadline = tuning.finalWriteDeadline
        self.logger = logger
        self.wake = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a batch; it is written as soon as the writes before it are done.
    func enqueue(_ batch: HistoryBatch) {
        guard !batch.isEmpty else { return }
        unwritten.append(batch)
        trim()
        wake.continuation.yield()
    }

    /// How many events and alert transitions wait to be written.
    var waitingRows: Int { unwritten.events.count + unwritten.alertTransitions.count }

    /// Writes what is queued until cancelled, then what is left, for at most `finalWriteDeadline`.
    func run(reporting report: @escaping Report) async {
        var failures = 0
        for await _ in wake.stream {
            while !unwritten.isEmpty && !Task.isCancelled {
                let batch = unwritten
                unwritten = HistoryBatch()
                if await write(batch, reporting: report) {
                    failures = 0
                    continue
                }
                failures += 1
                var retry = batch
                retry.append(unwritten)
                unwritten = retry
                trim()
                do {
                    try await clock.sleep(backoff.delay(afterFailures: failures))
                } catch {
                    break
                }
            }
        }
        await writeBeforeStopping()
    }

    private func write(_ batch: HistoryBatch, reporting report: @escaping Report) async -> Bool {
        writeNumber += 1
        let number = writeNumber
        isWriting = true
        let slowTimer = Task { [clock, slowAfter] in
            try await clock.sleep(slowAfter)
            await self.reportSlow(number, reporting: report)
        }
        defer {
            isWriting = false
            slowTimer.cancel()
        }
        do {
            try await store.record(batch)
            await report(.ok, nil)
            return true
        } catch {
            logger.error("cannot write to the store", metadata: ["error": "\(error)"])
            await report(.down, error.description)
            return false
        }
    }

    private func reportSlow(_ number: Int, reporting report: @escaping Report) async {
        guard isWriting, writeNumber == number else { return }
        await report(
            .slow,
            "a write has taken longer than \(slowAfter.configText); \(waitingRows) events and alert changes wait"
        )
    }

    /// The engine stopped (the operator quit): what it saw last is still written, but a store that
    /// does not answer does not keep the process from ending.
    private func writeBeforeStopping() async {
        guard !unwritten.isEmpty else { return }
        let batch = unwritten
        unwritten = HistoryBatch()
        let store = self.store
        let clock = self.clock
        let deadline = finalWriteDeadline
        // Not a child of the cancelled run: a child would inherit its cancellation and write nothing.
        let written = await Task {
            await withTaskGroup(of: Bool?.self) { group in
                group.addTask {
                    do {
                        try await store.record(batch)
                        return true
                    } catch {
                        return false
                    }
                }
                group.addTask {
                    try? await clock.sleep(deadline)
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
        }.value
        if written != true {
            logger.error(
                "the store did not take the last history before stopping",
                metadata: [
                    "events": "\(batch.events.count)", "alert_changes": "\(batch.alertTransitions.count)",
                    "within": "\(deadline.configText)",
                ]
            )
        }
    }

    /// Keeps the newest `limit` events and transitions; mappings and addresses are one per workload.
    private func trim() {
        let excessEvents = unwritten.events.count - limit
        let excessTransitions = unwritten.alertTransitions.count - limit
        guard excessEvents > 0 || excessTransitions > 0 else { return }
        unwritten.events.removeFirst(max(0, excessEvents))
        unwritten.alertTransitions.removeFirst(max(0, excessTransitions))
        droppedRows += max(0, excessEvents) + max(0, excessTransitions)
        logger.warning(
            "history dropped while the store could not take it",
            metadata: ["dropped_in_total": "\(droppedRows)", "limit": "\(limit)"]
        )
    }
}

extension HistoryBatch {
    /// `later` after this batch: its mappings and addresses replace these, its events and
    /// transitions follow these.
    mutating func append(_ later: HistoryBatch) {
        mappings.merge(later.mappings) { _, newer in newer }
        addresses.merge(later.addresses) { _, newer in newer }
        events += later.events
        alertTransitions += later.alertTransitions
    }
}
