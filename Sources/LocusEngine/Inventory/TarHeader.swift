/// One 512-byte ustar (POSIX.1-1988) header block, enough to find an `.ova`'s first member.
struct TarHeader: Sendable, Hashable {
    static let blockSize = 512

    var name: String
    var size: Int
    /// `0` (or NUL) regular file, `x`/`g` pax extended headers, `L`/`K` GNU long names, …
    var type: UInt8

    var isRegularFile: Bool { type == UInt8(ascii: "0") || type == 0 }
    /// Headers that describe the next member rather than being one.
    var isMetadata: Bool {
        [UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K")].contains(type)
    }

    /// Blocks the member's data takes after its header.
    var dataBlocks: Int { (size + Self.blockSize - 1) / Self.blockSize }

    /// Parses a header block; nil for the all-zero block that ends an archive.
    static func parse(_ block: [UInt8]) throws(TarError) -> TarHeader? {
        guard block.count == blockSize else { throw .truncated }
        if block.allSatisfy({ $0 == 0 }) { return nil }
        guard let stored = octal(block[148..<156]) else { throw .malformed("the checksum field is not octal") }
        // The checksum is the sum of the header bytes with its own field counted as spaces.
        var sum = 0
        for (offset, byte) in block.enumerated() {
            sum += (148..<156).contains(offset) ? 32 : Int(byte)
        }
        guard sum == stored else { throw .malformed("checksum mismatch (not a tar archive?)") }
        guard let size = octal(block[124..<136]) else {
            throw .malformed("the size field is not octal")
        }
        var name = text(block[0..<100])
        if block[257..<262].elementsEqual("ustar".utf8) {
            let prefix = text(block[345..<500])
            if !prefix.isEmpty { name = prefix + "/" + name }
        }
        return TarHeader(name: name, size: size, type: block[156])
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func octal(_ bytes: ArraySlice<UInt8>) -> Int? {
        let digits = bytes.drop { $0 == UInt8(ascii: " ") }.prefix { $0 != 0 && $0 != UInt8(ascii: " ") }
        guard !digits.isEmpty else { return 0 }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 8)
            guard !overflow else { return nil }
            value = shifted + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }
}

enum TarError: Error, Sendable, Hashable, CustomStringConvertible {
    case truncated
    case malformed(String)

    var description: String {
        switch self {
        case .truncated: "the archive ends inside a header or member"
        case .malformed(let reason): reason
        }
    }
}
