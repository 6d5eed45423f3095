import Foundation

/// The hmac-sha256 key a test's BIND accepts RFC 2136 updates signed with, for every name of every zone.
public struct BINDKey: Sendable {
    public var name: String
    public var secret: [UInt8]

    public init(name: String, secret: [UInt8]) {
        self.name = name
        self.secret = secret
    }

    /// The key scripts/start-bind is given by the tests that use its zones.
    public static let scriptLab = BINDKey(name: "locus-key.", secret: Array("locus-lab-tsig-key-32-bytes-long".utf8))

    /// The key as a BIND `key { ... };` block, as tsig-keygen writes it.
    public var block: String {
        let base64 = Data(secret).base64EncodedString()
        return "key \"\(name)\" {\n\talgorithm hmac-sha256;\n\tsecret \"\(base64)\";\n};\n"
    }
}
