import Crypto
import Foundation

/// SHA-256 of the UTF-8 of `text`, as 64 lowercase hex digits.
func sha256Hex(_ text: String) -> String {
    SHA256.hash(data: Data(text.utf8)).map { byte in
        let digits = String(byte, radix: 16)
        return byte < 16 ? "0" + digits : digits
    }
    .joined()
}
