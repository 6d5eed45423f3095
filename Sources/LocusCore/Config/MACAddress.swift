/// A 48-bit MAC address written as six colon-separated hex pairs (`52:54:00:aa:00:07`).
///
/// Printed in lowercase so that records from different inventories join on equal text.
public struct MACAddress: Sendable, Hashable, CustomStringConvertible {
    /// The six bytes packed in the low 48 bits.
    public let value: UInt64

    public init(parsing text: String) throws(AddressSyntaxError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else {
            throw AddressSyntaxError(text: text, reason: "expected six hex pairs, like 52:54:00:aa:00:07")
        }
        var value: UInt64 = 0
        for part in parts {
            guard part.count == 2, part.allSatisfy(\.isHexDigit), let byte = UInt8(part, radix: 16) else {
                throw AddressSyntaxError(text: text, reason: "\"\(part)\" is not a hex pair, like 52:54:00:aa:00:07")
            }
            value = value << 8 | UInt64(byte)
        }
        self.value = value
    }

    public var bytes: [UInt8] {
        (0..<6).map { UInt8(truncatingIfNeeded: value >> (40 - 8 * UInt64($0))) }
    }

    public var description: String {
        bytes.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}
