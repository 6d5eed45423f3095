import Testing

@testable import LocusCore

/// Backend and server names of `lb` dependencies become words of HAProxy Runtime API commands, so
/// anything HAProxy would not take as a name is refused at its line when the inventory is read.
@Suite("Inventory: HAProxy names")
struct InventoryHAProxyNameTests {
    /// Lines 6–11: an `lb` dependency; `backend` is on line 9 and `server` on line 10.
    static func inventory(backend: String = "\"be_web\"", server: String = "\"web07\"") -> String {
        ConfigErrorCase.workloadBase
            + "[[workload.depends]]\nkind = \"lb\"\nbalancer = \"edge\"\n"
            + "backend = \(backend)\nserver = \(server)\nport = 80\n"
    }

    static func errors(_ text: String) -> [String] {
        parseErrors { () throws(ConfigErrors) in
            _ = try InventoryFile.parse(text, file: "inventory.toml", references: ConfigErrorCase.references)
        }
        .map(\.description)
    }

    static let allowed = "use letters, digits, - _ . :"

    @Test(
        "a bad character in a backend name is refused at its line, naming the character",
        arguments: [
            ("space", "\"be web\"", #"backend "be web": character ' ' (U+0020)"#),
            ("semicolon", "\"be;disable\"", #"backend "be;disable": character ';' (U+003B)"#),
            ("newline", #""be\nshutdown sessions""#, #"backend "be\nshutdown sessions": character '\n' (U+000A)"#),
            ("tab", #""be\tweb""#, #"backend "be\tweb": character '\t' (U+0009)"#),
            ("hash", "\"be#web\"", #"backend "be#web": character '#' (U+0023)"#),
        ]
    )
    func badBackendName(kind: String, toml: String, expected: String) {
        #expect(
            Self.errors(Self.inventory(backend: toml))
                == ["inventory.toml:9: \(expected) is not allowed in an HAProxy name; \(Self.allowed)"],
            "\(kind)"
        )
    }

    @Test(
        "a bad character in a server name is refused at its line, naming the character",
        arguments: [
            ("space", "\"web 07\"", #"server "web 07": character ' ' (U+0020)"#),
            ("semicolon", "\"web07;enable server\"", #"server "web07;enable server": character ';' (U+003B)"#),
            ("newline", #""web07\n""#, #"server "web07\n": character '\n' (U+000A)"#),
            ("tab", #""web07\t""#, #"server "web07\t": character '\t' (U+0009)"#),
            ("hash", "\"web#07\"", #"server "web#07": character '#' (U+0023)"#),
            ("slash", "\"web07/x\"", #"server "web07/x": character '/' (U+002F)"#),
            ("not ASCII", "\"wéb07\"", #"server "wéb07": character 'é' (U+00E9)"#),
        ]
    )
    func badServerName(kind: String, toml: String, expected: String) {
        #expect(
            Self.errors(Self.inventory(server: toml))
                == ["inventory.toml:10: \(expected) is not allowed in an HAProxy name; \(Self.allowed)"],
            "\(kind)"
        )
    }

    @Test func everyCharacterHAProxyAllowsIsAccepted() throws {
        let name = "\"Be-web_01.prod:east\""
        let file = try InventoryFile.parse(
            Self.inventory(backend: name, server: name),
            file: "inventory.toml",
            references: ConfigErrorCase.references
        )
        let dependency = try #require(file.workloads.first?.dependencies.first)
        guard case .loadBalancer(let spec) = dependency else {
            Issue.record("expected an lb dependency, got \(dependency)")
            return
        }
        #expect(spec.backend == "Be-web_01.prod:east")
        #expect(spec.server == "Be-web_01.prod:east")
    }

    @Test func otherControlCharactersAreNamedByTheirCodeAlone() {
        #expect(HAProxyName.describe("\u{1B}") == "(U+001B)")
        #expect(HAProxyName.describe("\u{2028}") == "(U+2028)")
        #expect(HAProxyName.problem(with: "be_web", role: "backend") == nil)
    }
}
