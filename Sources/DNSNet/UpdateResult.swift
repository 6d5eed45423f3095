import DNS

/// What a server decided about an UPDATE, in words an operator can act on.
public struct UpdateResult: Hashable, Sendable, CustomStringConvertible {
    /// The server's response code: NOERROR, NOTAUTH, REFUSED, NXRRSET, YXRRSET, SERVFAIL…
    public var responseCode: DNSResponseCode
    /// The TSIG error the server reported (BADSIG, BADKEY, BADTIME), or nil when there was none.
    public var tsigError: DNSResponseCode?
    /// True when the answer carried a TSIG MAC that verified against the key.
    public var signatureVerified: Bool
    public var zone: DNSName
    public var keyName: DNSName?
    public var response: DNSResponse

    public init(response: DNSResponse, zone: DNSName, key: TSIGKey?, signatureVerified: Bool) {
        self.response = response
        self.responseCode = response.message.responseCode
        let error = response.message.tsig?.error
        self.tsigError = error == .noError ? nil : error
        self.signatureVerified = signatureVerified
        self.zone = zone
        self.keyName = key?.name
    }

    /// True when the server applied the update.
    public var isApplied: Bool { responseCode == .noError && tsigError == nil }

    /// The server's answer and what it means, e.g. `NOTAUTH/BADSIG: …`.
    public var description: String {
        let server = response.server
        let key = keyName.map { "key \($0)" } ?? "no key"
        if let tsigError {
            let code = "\(responseCode)/\(tsigError)"
            switch tsigError {
            case .badSignature:
                return "\(code): \(server) rejected the signature of \(key): the secret differs from the server's"
            case .badKey:
                return "\(code): \(server) does not know \(key) (or not with this algorithm)"
            case .badTime:
                return "\(code): the clocks of Locus and \(server) differ by more than the fudge: fix NTP"
            default:
                return "\(code): \(server) rejected the TSIG signature of \(key)"
            }
        }
        switch responseCode {
        case .noError:
            return "NOERROR: \(server) applied the update to \(zone)"
        case .notAuth:
            return "NOTAUTH: \(server) is not authoritative for \(zone), or \(key) may not update it"
        case .refused:
            return keyName == nil
                ? "REFUSED: \(server) does not accept unsigned updates to \(zone): configure a TSIG key"
                : "REFUSED: \(server)'s update policy does not allow \(key) to make this change in \(zone)"
        case .nxRRSet:
            return "NXRRSET: a prerequisite failed on \(server): an RRset that must exist does not"
        case .yxRRSet:
            return "YXRRSET: a prerequisite failed on \(server): an RRset that must not exist does"
        case .nameError:
            return "NXDOMAIN: a prerequisite failed on \(server): a name that must be in use is not"
        case .yxDomain:
            return "YXDOMAIN: a prerequisite failed on \(server): a name that must not be in use is"
        case .notZone:
            return "NOTZONE: a name in the update lies outside \(zone)"
        case .serverFailure:
            return "SERVFAIL: \(server) failed while applying the update: see its log"
        case .formatError:
            return "FORMERR: \(server) could not parse the update"
        case .notImplemented:
            return "NOTIMP: \(server) does not implement dynamic updates"
        default:
            return "\(responseCode): \(server) did not apply the update to \(zone)"
        }
    }
}
