import Foundation

/// Where a decision came from: the login and the terminal, as the process found them.
public struct AuditOrigin: Sendable, Hashable, Codable {
    public var user: String
    public var uid: UInt32
    public var host: String
    /// The controlling terminal (`/dev/pts/3`), or nil for none.
    public var tty: String?
    /// The ssh client's address, from `SSH_CONNECTION`, or nil outside ssh.
    public var sshClient: String?

    public init(user: String, uid: UInt32, host: String, tty: String? = nil, sshClient: String? = nil) {
        self.user = user
        self.uid = uid
        self.host = host
        self.tty = tty
        self.sshClient = sshClient
    }

    /// The client address of `SSH_CONNECTION` ("CLIENT-IP CLIENT-PORT SERVER-IP SERVER-PORT").
    public static func sshClient(fromConnection value: String?) -> String? {
        guard let first = value?.split(separator: " ").first, !first.isEmpty else { return nil }
        return String(first)
    }
}

/// One line of the append-only audit log (CONFIG.md `locus audit --json`).
public struct AuditEntry: Sendable, Hashable, Codable {
    /// Position in the chain, from 1.
    public var sequence: Int64
    public var at: Date
    public var user: String
    public var uid: UInt32
    public var host: String
    public var tty: String?
    public var sshClient: String?
    /// CONFIG.md's vocabulary: `request`, `approve`, …
    public var action: String
    /// The migration id (or alert id for `acknowledge`).
    public var object: String
    public var before: String?
    public var after: String?
    /// `done` or `refused: REASON`.
    public var outcome: String
    public var digest: String?
    /// What else an operator needs: a reason, why an approval was void, a step's result.
    public var detail: String
    /// SHA-256 (hex) of the entry before, or 64 zeros for the first.
    public var previousHash: String
    /// SHA-256 (hex) over `previousHash` and this entry's canonical text.
    public var hash: String

    public init(
        sequence: Int64,
        at: Date,
        origin: AuditOrigin,
        action: String,
        object: String,
        before: String?,
        after: String?,
        outcome: String,
        digest: String?,
        detail: String,
        previousHash: String,
        hash: String
    ) {
        self.sequence = sequence
        self.at = at
        self.user = origin.user
        self.uid = origin.uid
        self.host = origin.host
        self.tty = origin.tty
        self.sshClient = origin.sshClient
        self.action = action
        self.object = object
        self.before = before
        self.after = after
        self.outcome = outcome
        self.digest = digest
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }

    public static let genesisHash = String(repeating: "0", count: 64)

    /// The text the hash covers, after the previous hash: every field, escaped, in a fixed order;
    /// the time to the millisecond as the stores keep it.
    public var canonicalText: String {
        let millis = Int64((at.timeIntervalSince1970 * 1000).rounded())
        let fields: [String] = [
            String(sequence), String(millis), user, String(uid), host, tty ?? "", sshClient ?? "", action, object,
            before ?? "", after ?? "", outcome, digest ?? "", detail,
        ]
        return CanonicalText.line(fields)
    }
}
