import NIOCore

/// Builds a buffer from hex text; whitespace and `|` separators are ignored so vectors can be laid out per field.
func bufferFromHex(_ text: String) -> ByteBuffer {
    let digits = text.filter { $0.isHexDigit }
    precondition(digits.count % 2 == 0, "odd number of hex digits in test vector")
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        bytes.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return ByteBuffer(bytes: bytes)
}

func hexString(_ buffer: ByteBuffer) -> String {
    buffer.readableBytesView.map {
        String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
    }
    .joined()
}
