/// Why a DNS message could not be decoded.
///
/// Every case names the field that was being read and the byte offset from the start of the
/// message, so an operator can find the bad byte in a packet capture.
public enum DNSDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message ended while `field` was being read at `offset`.
    case truncated(field: String, offset: Int)
    /// A label length byte above 63 that is not a compression pointer.
    case reservedLabelType(byte: UInt8, offset: Int)
    /// A name longer than 255 bytes in wire form.
    case nameTooLong(offset: Int)
    /// A compression pointer at `offset` that does not point backwards, or points outside the message.
    case badPointer(target: Int, offset: Int)
    /// A compression pointer at `offset` that would revisit bytes already read for this name.
    case compressionLoop(target: Int, offset: Int)
    /// A section count in the header that promises more records than the message holds.
    case countOverrun(section: String, count: Int, offset: Int)
    /// Bytes left over after the last record the header announced.
    case trailingBytes(count: Int, offset: Int)
    /// A record whose RDLENGTH does not fit its type, or whose RDATA did not use exactly RDLENGTH bytes.
    case badRDataLength(type: DNSRecordType, length: Int, offset: Int)
    /// An OPT or TSIG record that is not where RFC 6891 / RFC 8945 allow it (or appears twice).
    case misplacedRecord(type: DNSRecordType, offset: Int)

    public var description: String {
        switch self {
        case .truncated(let field, let offset):
            return "DNS message truncated in \(field) at offset \(offset)"
        case .reservedLabelType(let byte, let offset):
            return "reserved label type 0x\(String(byte, radix: 16)) at offset \(offset)"
        case .nameTooLong(let offset):
            return "domain name longer than 255 bytes at offset \(offset)"
        case .badPointer(let target, let offset):
            return "compression pointer at offset \(offset) points forward or outside the message (to \(target))"
        case .compressionLoop(let target, let offset):
            return "compression loop: pointer at offset \(offset) jumps back into the same name (to \(target))"
        case .countOverrun(let section, let count, let offset):
            return "header announces \(count) \(section) records but the message ends at offset \(offset)"
        case .trailingBytes(let count, let offset):
            return "\(count) unexpected bytes after the last record, at offset \(offset)"
        case .badRDataLength(let type, let length, let offset):
            return "RDATA length \(length) is wrong for a \(type) record at offset \(offset)"
        case .misplacedRecord(let type, let offset):
            return "\(type) record not allowed where it appears, at offset \(offset)"
        }
    }
}
