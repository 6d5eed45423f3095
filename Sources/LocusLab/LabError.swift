/// Why the lab could not start or do what it was asked.
public enum LabError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidConfiguration(String)
    case cannotWrite(path: String, reason: String)
    case cannotCreateDirectory(path: String, reason: String)
    case registrationFailed(site: String, reason: String)
    case stopped
    /// A site service, the DNS responder or the mover's change to them failed.
    case serviceFailed(reason: String)
    /// The lab's store could not be prepared.
    case store(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message):
            return message
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .cannotCreateDirectory(let path, let reason):
            return "cannot create the lab directory \(path): \(reason)"
        case .registrationFailed(let site, let reason):
            return "site \(site): the first registration was not confirmed by a Map-Notify: \(reason)"
        case .stopped:
            return "the lab has been stopped"
        case .serviceFailed(let reason):
            return reason
        case .store(let reason):
            return "the lab's store: \(reason)"
        }
    }
}
