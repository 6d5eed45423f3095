import Foundation
import LocusCore

/// The hash chain of the audit log: each entry's hash covers the one before, so an edit shows as
/// the first entry whose hash no longer matches, and a rewrite that recomputes every hash shows as
/// another chain head than the one operators recorded.
public enum AuditChain {
    /// SHA-256 (hex) of `previousHash`, a newline and the entry's canonical text.
    public static func hash(of entry: AuditEntry, previousHash: String) -> String {
        sha256Hex(previousHash + "\n" + entry.canonicalText)
    }

    /// The entry sealed onto the chain after `previousHash`.
    public static func seal(_ entry: AuditEntry, after previousHash: String) -> AuditEntry {
        var sealed = entry
        sealed.previousHash = previousHash
        sealed.hash = hash(of: sealed, previousHash: previousHash)
        return sealed
    }

    /// Walks `entries` (in sequence order) and names the first that does not match.
    public static func verify(_ entries: [AuditEntry]) -> AuditVerification {
        var previous = AuditEntry.genesisHash
        var expectedSequence: Int64 = 1
        for entry in entries {
            if entry.sequence != expectedSequence {
                return .broken(
                    at: entry,
                    reason: "entry \(entry.sequence) follows entry \(expectedSequence - 1): "
                        + "\(entry.sequence > expectedSequence ? "entries are missing" : "the order was changed")"
                )
            }
            if entry.previousHash != previous {
                return .broken(
                    at: entry,
                    reason: "entry \(entry.sequence) does not name the hash of the entry before it"
                )
            }
            let computed = hash(of: entry, previousHash: previous)
            if computed != entry.hash {
                return .broken(
                    at: entry,
                    reason:
                        "entry \(entry.sequence) was changed after it was written (its hash does not match its content)"
                )
            }
            previous = entry.hash
            expectedSequence += 1
        }
        return .intact(count: entries.count, head: previous)
    }
}

/// What `locus audit verify` found.
public enum AuditVerification: Sendable, Hashable {
    /// Every entry matches; `head` is the last entry's hash (the genesis hash for an empty log).
    case intact(count: Int, head: String)
    case broken(at: AuditEntry, reason: String)
}
