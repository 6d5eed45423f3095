import Crypto

/// A TSIG MAC algorithm (RFC 8945 §6).
public enum TSIGAlgorithm: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case hmacSHA256 = "hmac-sha256"
    /// For old servers only; RFC 8945 keeps it for compatibility.
    case hmacSHA1 = "hmac-sha1"

    /// The algorithm name carried in the TSIG record, e.g. `hmac-sha256.`.
    public var name: DNSName {
        switch self {
        case .hmacSHA256: return "hmac-sha256."
        case .hmacSHA1: return "hmac-sha1."
        }
    }

    /// Matches an algorithm name from a TSIG record or a key file (`hmac-sha256` or `hmac-sha256.`).
    public init?(name: DNSName) {
        guard let algorithm = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = algorithm
    }

    /// The full MAC length in bytes.
    public var macLength: Int {
        switch self {
        case .hmacSHA256: return 32
        case .hmacSHA1: return 20
        }
    }

    public var description: String { rawValue }

    func authenticationCode(for data: [UInt8], secret: [UInt8]) -> [UInt8] {
        let key = SymmetricKey(data: secret)
        switch self {
        case .hmacSHA256: return Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
        case .hmacSHA1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: key))
        }
    }
}

/// A shared TSIG key: its name (which the server looks up), algorithm and secret.
///
/// The description never shows the secret, so a key can appear in logs and error messages.
public struct TSIGKey: Hashable, Sendable, CustomStringConvertible {
    public var name: DNSName
    public var algorithm: TSIGAlgorithm
    public var secret: [UInt8]

    public init(name: DNSName, algorithm: TSIGAlgorithm = .hmacSHA256, secret: [UInt8]) {
        self.name = name
        self.algorithm = algorithm
        self.secret = secret
    }

    public var description: String { "TSIG key \(name) (\(algorithm), \(secret.count)-byte secret)" }
}
