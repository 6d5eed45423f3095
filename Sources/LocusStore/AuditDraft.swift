import Foundation
import LocusCore

/// An audit entry before it is sealed onto the chain (which gives it its sequence and hashes).
public struct AuditDraft: Sendable, Hashable {
    public var origin: AuditOrigin
    public var action: String
    public var object: String
    public var before: String?
    public var after: String?
    public var outcome: String
    public var digest: String?
    public var detail: String
    public var at: Date

    public init(
        origin: AuditOrigin,
        action: String,
        object: String,
        before: String?,
        after: String?,
        outcome: String,
        digest: String?,
        detail: String,
        at: Date
    ) {
        self.origin = origin
        self.action = action
        self.object = object
        self.before = before
        self.after = after
        self.outcome = outcome
        self.digest = digest
        self.detail = detail
        self.at = at
    }

    /// The entry with its time cut to the millisecond the stores keep, so the hash written is the
    /// hash read back.
    func entry(sequence: Int64) -> AuditEntry {
        let millis = (at.timeIntervalSince1970 * 1000).rounded()
        return AuditEntry(
            sequence: sequence,
            at: Date(timeIntervalSince1970: millis / 1000),
            origin: origin,
            action: action,
            object: object,
            before: before,
            after: after,
            outcome: outcome,
            digest: digest,
            detail: detail,
            previousHash: "",
            hash: ""
        )
    }
}
