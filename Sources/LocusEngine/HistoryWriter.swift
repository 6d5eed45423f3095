import Foundation
import LocusCore
import LocusStore
import Logging

/// Writes a running engine's history to the store behind the screen, so that a store that is busy
/// (another process holding SQLite's lock, a slow disk, a distant PostgreSQL) never holds back a
/// snapshot. Batches that arrive while a write is under way are merged and written together next.
/// A failed write is tried again with backoff, alone, up to `attempts` times, then dropped and
/// logged, so that a batch the store always refuses does not hold back the history after it. What
/// waits is bounded: past the limit the oldest events go first, counted and logged.
///
/// Each write runs in a task of its own, not a child of `run`: stopping the engine does not wait
/// for a store that does not answer, and `finish` gives what is left a deadline.
actor HistoryWriter {
    /// The store's health as the writer saw it: `slow` while a write has taken longer than
    /// `slowAfter`, `down` after a failed one, `ok` after one that succeeded.
    typealias Report = @Sendable (SourceState, _ error: String?) async -> Void

    static let attempts = 5

    private let store: any HistoryStore
    private let clock: EngineClock
    private let slowAfter: Duration
    private let backoff: Backoff
    private let limit: Int
    private let finalWriteDeadline: Duration
    private let logger: Logger
    private let wake: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
    private var unwritten = HistoryBatch()
    /// The write under way, numbered so that a late slow timer does not mark a finished one.
    private var inFlight: (number: Int, batch: HistoryBatch, task: Task<Void, any Error>)?
    private var writeNumber = 0
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

    /// Writes what is queued until cancelled; `finish` writes the rest.
    func run(reporting report: @escaping Report) async {
        for await _ in wake.stream {
            while !unwritten.isEmpty {
                var batch = unwritten
                unwritten = HistoryBatch()
                var failures = 0
                while true {
                    switch await write(batch, reporting: report) {
                    case .written:
                        break
                    case .stopped:
                        return
                    case .failed(let error):
                        failures += 1
                        guard failures < Self.attempts else {
                            logger.error(
                                "history dropped after \(failures) failed writes",
                                metadata: [
                                    "events": "\(batch.events.count)",
                                    "alert_changes": "\(batch.alertTransitions.count)", "error": "\(error)",
                                ]
                            )
                            break
                        }
                        do {
                            try await clock.sleep(backoff.delay(afterFailures: failures))
                        } catch {
                            // Stopping: `finish` tries it once more.
                            batch.append(unwritten)
                            unwritten = batch
                            return
                        }
                        continue
                    }
                    break
                }
            }
        }
    }

    /// The engine stopped (the operator quit): the write under way and what is queued still go to
    /// the store, but one that does not answer within `finalWriteDeadline` does not keep the
    /// process from ending.
    func finish() async {
        wake.continuation.finish()
        let deadline = clock.now().addingTimeInterval(finalWriteDeadline.seconds)
        if let (_, batch, task) = inFlight {
            inFlight = nil
            if case .failed = await Self.outcome(of: task, clock: clock, until: deadline) {
                var retry = batch
                retry.append(unwritten)
                unwritten = retry
            }
        }
        guard !unwritten.isEmpty else { return }
        let batch = unwritten
        unwritten = HistoryBatch()
        let store = self.store
        let outcome = await Self.outcome(of: Task { try await store.record(batch) }, clock: clock, until: deadline)
        guard case .written = outcome else {
            logger.error(
                "the store did not take the last history before stopping",
                metadata: [
                    "events": "\(batch.events.count)", "alert_changes": "\(batch.alertTransitions.count)",
                    "within": "\(finalWriteDeadline.configText)", "outcome": "\(outcome)",
                ]
            )
            return
        }
    }

    /// Waits until `deadline` even though the engine's task is cancelled: it is, when it stops.
    private static func outcome(
        of task: Task<Void, any Error>,
        clock: EngineClock,
        until deadline: Date
    ) async -> WriteOutcome {
        await Task { await WriteOutcome.of(task, clock: clock, until: deadline) }.value
    }

    private func write(_ batch: HistoryBatch, reporting report: @escaping Report) async -> WriteOutcome {
        writeNumber += 1
        let number = writeNumber
        let store = self.store
        let task = Task { try await store.record(batch) }
        inFlight = (number, batch, task)
        let slowTimer = Task { [clock, slowAfter] in
            try await clock.sleep(slowAfter)
            await self.reportSlow(number, reporting: report)
        }
        defer { slowTimer.cancel() }
        let outcome = await WriteOutcome.of(task, clock: clock, until: nil)
        if case .stopped = outcome { return outcome }
        inFlight = nil
        switch outcome {
        case .written:
            await report(.ok, nil)
        case .failed(let error):
            logger.error("cannot write to the store", metadata: ["error": "\(error)"])
            await report(.down, error)
        case .stopped:
            break
        }
        return outcome
    }

    private func reportSlow(_ number: Int, reporting report: Report) async {
        guard inFlight?.number == number else { return }
        await report(
            .slow,
            "a write has taken longer than \(slowAfter.configText); \(waitingRows) events and alert changes wait"
        )
    }

    /// Keeps the newest `limit` events and transitions; mappings and addresses are one per workload.
    /// Warns at the first drop and at every further `limit` dropped, not at every batch.
    private func trim() {
        let excessEvents = max(0, unwritten.events.count - limit)
        let excessTransitions = max(0, unwritten.alertTransitions.count - limit)
        guard excessEvents + excessTransitions > 0 else { return }
        unwritten.events.removeFirst(excessEvents)
        unwritten.alertTransitions.removeFirst(excessTransitions)
        let before = droppedRows
        droppedRows += excessEvents + excessTransitions
        guard before == 0 || before / limit != droppedRows / limit else { return }
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
