import Foundation

extension Migration {
    /// Whether a runner holds the lease at `now`: one that stopped renewing it has gone, and what it
    /// was running counts as interrupted.
    public func hasLiveLease(at now: Date) -> Bool {
        guard let lease else { return false }
        return lease.expiresAt > now
    }
}
