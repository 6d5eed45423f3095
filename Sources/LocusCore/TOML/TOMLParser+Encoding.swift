/// TOML documents are UTF-8; bytes handed to the parser may not be.
extension TOMLParser {
    /// Throws at the line and column of the first byte that does not start a valid UTF-8 sequence
    /// (including encoded surrogates and overlong forms, which Swift's decoder refuses too).
    func validateEncoding() throws(TOMLError) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        var errorLine = 1
        var lineStart = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                if scalar == "\n" {
                    errorLine += 1
                    lineStart = offset
                }
            case .emptyInput:
                return
            case .error:
                let byte = String(bytes[offset], radix: 16, uppercase: true)
                throw TOMLError(
                    line: errorLine,
                    column: offset - lineStart + 1,
                    message: "the file is not valid UTF-8 (byte 0x\(byte)); TOML files must be UTF-8"
                )
            }
        }
    }
}
