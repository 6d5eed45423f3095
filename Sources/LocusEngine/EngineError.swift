/// Misuse of an engine.
public enum EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    case alreadyStarted

    public var description: String {
        switch self {
        case .alreadyStarted: "an engine runs once: run() or runOnce() was already called"
        }
    }
}
