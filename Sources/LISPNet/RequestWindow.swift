import NIOCore

/// At most `limit` requests outstanding; the rest wait in arrival order.
///
/// A finishing request hands its slot straight to the next waiter, so a burst cannot overtake the queue.
struct RequestWindow {
    let limit: Int
    private(set) var inFlight = 0
    private var waiters = CircularBuffer<CheckedContinuation<Void, Never>>()

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    var queued: Int { waiters.count }

    /// Takes a slot if one is free.
    mutating func tryAcquire() -> Bool {
        guard inFlight < limit else { return false }
        inFlight += 1
        return true
    }

    /// Waits for a slot; the continuation is resumed by a later `release()`'s caller.
    mutating func enqueue(_ waiter: CheckedContinuation<Void, Never>) {
        waiters.append(waiter)
    }

    /// Frees a slot, or returns the waiter it now belongs to (the caller resumes it).
    mutating func release() -> CheckedContinuation<Void, Never>? {
        if let next = waiters.popFirst() {
            return next
        }
        inFlight -= 1
        return nil
    }
}
