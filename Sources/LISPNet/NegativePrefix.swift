import LISP

/// What a map-resolver answers for an EID that no registration covers.
public struct NegativeAnswer: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Outside every configured site prefix: not a LISP destination, forward natively (TTL 15 minutes).
        case notConfigured
        /// Inside a site prefix but nothing registered there right now (TTL 1 minute).
        case notRegistered
    }

    public var kind: Kind
    /// The largest prefix covering the EID that holds no configured prefix (for `notConfigured`) or no
    /// registered prefix (for `notRegistered`), so the requester caches as much as is safe.
    public var prefix: EIDPrefix

    public var ttlMinutes: UInt32 {
        switch kind {
        case .notConfigured: return 15
        case .notRegistered: return 1
        }
    }
}

enum NegativePrefix {
    /// The negative answer for `eid`, which no prefix of `registered` covers.
    ///
    /// A prefix of length L around `eid` is free of some prefix `p` (that does not cover `eid`) exactly when L
    /// exceeds the bits `eid` and `p` share, so the largest free prefix is one bit longer than the longest such
    /// shared run — and never shorter than the configured prefix the EID is in. Registered prefixes outside
    /// that configured prefix share fewer bits with `eid` than it has, so they never decide.
    static func answer(for eid: EIDPrefix, configured: [EIDPrefix], registered: PrefixTrie) -> NegativeAnswer {
        let sameSpace = { (prefix: EIDPrefix) in
            prefix.instanceID == eid.instanceID && prefix.address.isSameFamily(as: eid.address)
        }
        let covering = configured.filter { sameSpace($0) && $0.contains(eid) }
        if let site = covering.max(by: { $0.length < $1.length }) {
            var length = Int(site.length)
            if let shared = registered.sharedLength(with: eid) {
                length = max(length, min(shared + 1, Int(eid.length)))
            }
            // More-specific configured prefixes inside this one belong to other sites' space: keep them out.
            for prefix in configured where sameSpace(prefix) && site.contains(prefix) && prefix != site {
                length = max(length, separatingLength(eid, prefix))
            }
            return NegativeAnswer(kind: .notRegistered, prefix: eid.truncated(to: length))
        }
        var length = 0
        for prefix in configured where sameSpace(prefix) {
            length = max(length, separatingLength(eid, prefix))
        }
        return NegativeAnswer(kind: .notConfigured, prefix: eid.truncated(to: length))
    }

    /// The shortest length at which a prefix around `eid` no longer overlaps `other` (which does not cover
    /// `eid`).
    private static func separatingLength(_ eid: EIDPrefix, _ other: EIDPrefix) -> Int {
        let shared = min(eid.address.commonPrefixLength(with: other.address), Int(eid.length), Int(other.length))
        return min(shared + 1, Int(eid.length))
    }
}
