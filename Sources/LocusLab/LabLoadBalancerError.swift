/// Why the lab's HAProxy could not be started, with what HAProxy itself said when it said anything.
public enum LabLoadBalancerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A pool member that cannot be written into `haproxy.cfg` safely (whitespace, quotes, a host name…).
    case invalidMember(backend: String, server: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case noFreePort(reason: String)
    case cannotLaunch(executable: String, reason: String)
    /// HAProxy exited before its Runtime API answered: a configuration error, or a port taken every time.
    case exited(status: Int32, logFile: String, logTail: String)
    /// HAProxy kept running but its Runtime API did not answer `show info` in time; it has been stopped.
    case runtimeAPINotAnswering(
        runtimeAPI: String,
        after: Duration,
        lastError: String,
        logFile: String,
        logTail: String
    )
    /// The task starting HAProxy was cancelled; HAProxy has been stopped.
    case cancelled

    public var description: String {
        switch self {
        case .invalidMember(let backend, let server, let reason):
            return "load balancer pool member \(backend)/\(server): \(reason)"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .noFreePort(let reason):
            return "no free port on 127.0.0.1 for HAProxy's Runtime API: \(reason)"
        case .cannotLaunch(let executable, let reason):
            return "cannot run \(executable): \(reason)"
        case .exited(let status, let logFile, let logTail):
            return "haproxy exited during startup with status \(status); the end of \(logFile):\n"
                + Self.indented(logTail)
        case .runtimeAPINotAnswering(let runtimeAPI, let after, let lastError, let logFile, let logTail):
            return "haproxy's Runtime API at \(runtimeAPI) did not answer show info within \(after) (last attempt: "
                + "\(lastError)), so haproxy was stopped; the end of \(logFile):\n" + Self.indented(logTail)
        case .cancelled:
            return "starting haproxy was cancelled; it has been stopped"
        }
    }

    private static func indented(_ text: String) -> String {
        guard !text.isEmpty else { return "    (empty)" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }
}
