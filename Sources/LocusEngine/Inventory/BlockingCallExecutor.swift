import Foundation

/// Runs an actor's jobs on a thread of its own, for actors whose work blocks in C calls (a libvirt
/// connection to a host that does not answer waits for its ssh or keepalive timeout) and must not
/// hold one of the few threads of Swift's cooperative pool meanwhile.
///
/// A thread is started when work arrives and ends when there is none left, so an idle source (or
/// one that is gone) keeps no thread.
///
/// `@unchecked Sendable`: `jobs` and `isRunning` are only touched with `lock` held, and at most one
/// thread runs jobs at a time (the one that set `isRunning`), which makes it a serial executor.
final class BlockingCallExecutor: SerialExecutor, @unchecked Sendable {
    private let name: String
    private let lock = NSLock()
    private var jobs: [UnownedJob] = []
    private var isRunning = false

    init(name: String) {
        self.name = name
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        lock.lock()
        jobs.append(job)
        let start = !isRunning
        isRunning = true
        lock.unlock()
        if start {
            let thread = Thread { self.drain() }
            thread.name = name
            thread.start()
        }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    private func drain() {
        while true {
            lock.lock()
            guard !jobs.isEmpty else {
                isRunning = false
                lock.unlock()
                return
            }
            let job = jobs.removeFirst()
            lock.unlock()
            job.runSynchronously(on: asUnownedSerialExecutor())
        }
    }
}
