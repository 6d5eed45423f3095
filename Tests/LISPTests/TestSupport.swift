import LISP
import NIOCore
import Testing

func ip(_ text: String) -> IPAddress {
    guard let address = IPAddress(text) else {
        fatalError("bad address literal in test: \(text)")
    }
    return address
}

func address(_ text: String, instanceID: UInt32? = nil) -> LISPAddress {
    LISPAddress(ip(text), instanceID: instanceID)
}

/// Encodes `message` with the generic writer.
func encode(_ message: LISPMessage) throws -> ByteBuffer {
    var buffer = ByteBuffer()
    let written = try buffer.writeLISPMessage(message)
    #expect(written == buffer.readableBytes)
    return buffer
}

/// Decodes `buffer` with the generic decoder and checks the reader index rule.
func decode(_ buffer: ByteBuffer) throws -> LISPMessage {
    var copy = buffer
    let message = try LISPMessage.decode(from: &copy)
    #expect(copy.readableBytes == 0)
    return message
}

/// Decodes `vector`, re-encodes the result and expects the same bytes.
func expectByteExactRoundTrip(_ vector: ByteBuffer, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let message = try decode(vector)
    let encoded = try encode(message)
    #expect(hexString(encoded) == hexString(vector), sourceLocation: sourceLocation)
}
