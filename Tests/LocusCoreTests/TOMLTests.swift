import LocusTestSupport
import Testing

@testable import LocusCore

@Suite("TOML")
struct TOMLTests {
    @Test func readsScalarsWithTheirLines() throws {
        let table = try TOML.parse(
            """
            # a comment
            name = "prod-east"   # trailing comment
            port = 4_342
            hex = 0xff
            ratio = 0.5
            on = true
            when = 1979-05-27T07:32:00Z
            literal = 'C:\\path'
            escaped = "tab\\there \\u00e9"
            """
        )
        #expect(table["name"]?.string == "prod-east")
        #expect(table["name"]?.line == 2)
        #expect(table["port"]?.integer == 4342)
        #expect(table["hex"]?.integer == 255)
        #expect(table["ratio"]?.float == 0.5)
        #expect(table["on"]?.boolean == true)
        #expect(table["when"]?.kind == .dateTime("1979-05-27T07:32:00Z"))
        #expect(table["literal"]?.string == "C:\\path")
        #expect(table["escaped"]?.string == "tab\there é")
        #expect(table.keys == ["name", "port", "hex", "ratio", "on", "when", "literal", "escaped"])
    }

    @Test func readsArraysOfTablesNestedAsInTheInventory() throws {
        let table = try TOML.parse(
            """
            [[workload]]
            name = "web-07"
              [[workload.depends]]
              kind = "dns"

              [[workload.depends]]
              kind = "lb"

            [[workload]]
            name = "web-08"
            tags = ["prod",
                    "web",   # a comment inside an array
            ]
            """
        )
        let workloads = try #require(table["workload"]?.array)
        #expect(workloads.count == 2)
        #expect(workloads[0].line == 1)
        #expect(workloads[1].line == 9)
        let first = try #require(workloads[0].table)
        let depends = try #require(first["depends"]?.array)
        #expect(depends.map { $0.table?["kind"]?.string } == ["dns", "lb"])
        #expect(depends.map(\.line) == [3, 6])
        #expect(workloads[1].table?["tags"]?.array?.compactMap(\.string) == ["prod", "web"])
    }

    @Test func readsInlineTablesDottedKeysAndQuotedKeys() throws {
        let table = try TOML.parse(
            """
            site_of_network = { "VM Network" = "dc-east", lab = "dc-west" }
            a.b.c = 1
            a.b.d = 2
            [theme."tab-active"]
            fg = 231
            """
        )
        #expect(table["site_of_network"]?.table?["VM Network"]?.string == "dc-east")
        #expect(table["site_of_network"]?.table?.keys == ["VM Network", "lab"])
        #expect(table["a"]?.table?["b"]?.table?["d"]?.integer == 2)
        #expect(table["theme"]?.table?["tab-active"]?.table?["fg"]?.integer == 231)
        #expect(table["theme"]?.table?["tab-active"]?.line == 4)
    }

    @Test func readsMultilineStrings() throws {
        let table = try TOML.parse(
            "basic = \"\"\"\nline one\nline two \\\n   continued\"\"\"\nliteral = '''\nraw \\n'''\n"
        )
        #expect(table["basic"]?.string == "line one\nline two continued")
        #expect(table["literal"]?.string == "raw \\n")
    }

    @Test(
        arguments: [
            ("name = \"unterminated", 1, "unterminated string"),
            ("a = 1\na = 2", 2, "defined more than once"),
            ("[t]\nx = 1\n[t]", 3, "defined more than once"),
            ("x = ", 1, "expected a value"),
            ("x = 1 2", 1, "expected the end of the line"),
            ("\n\nx = tru", 3, "invalid value `tru`"),
            ("x = [1, 2", 1, "expected `,` or `]`"),
            ("x = 012", 1, "invalid value"),
            ("= 1", 1, "expected a key"),
            ("[[a]]\n[a]", 2, "defined more than once"),
            ("a = 1\n[a.b]", 2, "is a value, not a table"),
            ("s = \"\\q\"", 1, "unknown escape"),
            ("\nd = 2023-02-29", 2, "invalid value `2023-02-29`: day 29 is out of range (1–28)"),
            ("t = 24:00:00", 1, "hour 24 is out of range (0–23)"),
            ("n = 1__000", 1, "an underscore must stand between two digits"),
            ("s = 'a\u{1}b'", 1, "control character U+0001 in a string"),
            ("site = dc-east", 1, "invalid value `dc-east`: a string needs quotes"),
        ]
    )
    func rejectsBadDocumentsNamingTheLine(text: String, line: Int, message: String) {
        #expect {
            _ = try TOML.parse(text)
        } throws: { error in
            guard let error = error as? TOMLError else { return false }
            return error.line == line && error.message.contains(message)
        }
    }

    @Test func readsEachKindOfDateAndTimeAsWritten() throws {
        let table = try TOML.parse(
            "odt = 1979-05-27 07:32:00-07:00\nldt = 1979-05-27T07:32:00.5\nld = 1979-05-27\nlt = 07:32:00\n"
        )
        #expect(table["odt"]?.kind == .dateTime("1979-05-27 07:32:00-07:00"))
        #expect(table["ldt"]?.kind == .localDateTime("1979-05-27T07:32:00.5"))
        #expect(table["ld"]?.kind == .localDate("1979-05-27"))
        #expect(table["lt"]?.kind == .localTime("07:32:00"))
        #expect(table["lt"]?.typeName == "local time")
    }

    @Test func refusesBytesThatAreNotUTF8AtTheirLine() {
        let bytes = Array("a = 1\ns = \"".utf8) + [0xC3, 0x28] + Array("\"\n".utf8)
        #expect(
            throws: TOMLError(
                line: 2,
                column: 6,
                message: "the file is not valid UTF-8 (byte 0xC3); TOML files must be UTF-8"
            )
        ) {
            _ = try TOML.parse(utf8: bytes)
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func neverTrapsOnArbitraryInput(seed: UInt64) {
        var generator = SeededRandom(seed: seed)
        let alphabet = Array("[]{}=\"'.,#\n\r\\ abc123_-+:eE\t".utf8)
        for _ in 0..<2000 {
            let length = Int.random(in: 0..<40, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            _ = try? TOML.parse(String(decoding: bytes, as: UTF8.self))
        }
    }
}
