import LocusCore
import Testing

/// Parsing a value recurses, so a file nesting without end would end the process on a stack overflow
/// instead of being refused. These inputs are what fuzzing found (a corpus input that overflowed the
/// stack of a debug build) and its relatives.
@Suite("TOML nesting is bounded")
struct TOMLNestingTests {
    static func refusal(_ bytes: [UInt8]) -> TOMLError? {
        do {
            _ = try TOML.parse(utf8: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func theInputFuzzingFoundIsRefusedAtItsLine() throws {
        let bytes = Array("int1 = +99\nint2 = 0\nflt1 = ".utf8) + Array(repeating: UInt8(ascii: "["), count: 3_780)
        let error = try #require(Self.refusal(bytes))
        #expect(error.line == 3)
        #expect(error.message == "arrays and inline tables nest deeper than 100 levels")
    }

    @Test func a100LevelsDeepArrayParsesAndOneMoreLevelIsRefused() throws {
        let deep = "a = " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try TOML.parse(deep)["a"] != nil)
        let deeper = "a = " + String(repeating: "[", count: 101) + String(repeating: "]", count: 101)
        #expect(Self.refusal(Array(deeper.utf8))?.message == "arrays and inline tables nest deeper than 100 levels")
    }

    @Test func endlessDottedKeysAndHeadersAreRefused() throws {
        let parts = (0..<20_000).map { "k\($0)" }.joined(separator: ".")
        #expect(Self.refusal(Array((parts + " = 1").utf8))?.message == "a key of more than 100 dotted parts")
        #expect(Self.refusal(Array(("[" + parts + "]").utf8))?.message == "a key of more than 100 dotted parts")
        // Dotted keys inside inline tables count against the same limit as the tables themselves.
        let nested =
            "a = " + String(repeating: "{b.c.d.e.f.g.h.i.j.k = ", count: 60) + "1" + String(repeating: "}", count: 60)
        #expect(Self.refusal(Array(nested.utf8))?.message == "keys and values nest deeper than 100 levels")
    }
}
