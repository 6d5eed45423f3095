/// A server a test starts in a directory of its own, which goes when the server object does.
public protocol TestServer: Sendable {
    var directory: String { get }
    var process: ServerProcess { get }
}

extension TestServer {
    /// SIGTERM, then waits with a deadline for the end; SIGKILL after it.
    public func stop() async {
        await process.stop()
    }

    /// `stop()` for callers that cannot wait asynchronously, such as a `defer`; blocks the thread.
    public func stopBlocking() {
        process.stopBlocking()
    }
}
