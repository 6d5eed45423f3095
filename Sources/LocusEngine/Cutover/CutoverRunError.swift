import LocusStore

/// Why a runner did not run, or stopped, in words an operator acts on.
public enum CutoverRunError: Error, Sendable, CustomStringConvertible {
    /// The store refused or failed (a second runner, not an approver, …).
    case store(MigrationStoreError)
    /// The migration is not in a state this command works from.
    case notRunnable(String)
    /// The runner lost its lease (another process recorded it interrupted).
    case leaseLost(String)

    public var description: String {
        switch self {
        case .store(let error): error.description
        case .notRunnable(let reason): reason
        case .leaseLost(let reason): "the runner lost its lease and stopped: \(reason)"
        }
    }
}
