import Foundation
import Testing

@testable import LocusCore

@Suite("nftables: reading rulesets and writing batches")
struct NFTRulesetTests {
    static let set = NFTSetReference(family: "inet", table: "filter", name: "web")

    static func rule(_ expressions: String, comment: String? = "web-07") throws -> NFTRule {
        let json = """
            {"nftables": [{"rule": {"family": "inet", "table": "filter", "chain": "input", "handle": 5,
              \(comment.map { "\"comment\": \"\($0)\"," } ?? "") "expr": [\(expressions)]}}]}
            """
        return try #require(try NFTRuleset(json: Array(json.utf8)).rules.first)
    }

    static let saddr =
        #"{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "10.1.0.7"}}"#

    @Test("elements: plain, prefix, range, and wrapped with a timeout; a set of ports holds no address")
    func elements() throws {
        let json = """
            {"nftables": [{"metainfo": {"json_schema_version": 1}},
              {"set": {"family": "inet", "name": "web", "table": "filter", "type": "ipv4_addr", "flags": ["interval", "timeout"],
               "elem": ["10.1.0.7", {"prefix": {"addr": "10.3.0.0", "len": 24}}, {"range": ["10.4.0.1", "10.4.0.9"]},
                        {"elem": {"val": "10.5.0.1", "timeout": 30, "expires": 12}}]}},
              {"set": {"family": "inet", "name": "ports", "table": "filter", "type": "inet_service", "elem": [22, 80]}},
              {"chain": {"family": "inet", "table": "filter", "name": "input", "handle": 1}}]}
            """
        let ruleset = try NFTRuleset(json: Array(json.utf8))
        let web = try #require(ruleset.set(Self.set))
        #expect(web.holdsAddresses)
        for address in ["10.1.0.7", "10.3.0.200", "10.4.0.9", "10.5.0.1"] {
            #expect(web.contains(IPAddress(address)!), "\(address)")
        }
        #expect(!web.contains(IPAddress("10.4.0.10")!))
        #expect(web.element(holding: IPAddress("10.3.0.1")!)?.description == "10.3.0.0/24")
        let ports = try #require(ruleset.set(NFTSetReference(family: "inet", table: "filter", name: "ports")))
        #expect(!ports.holdsAddresses)
        #expect(ports.elements == [.other("22"), .other("80")])
    }

    @Test("a set declared by typeof is read by the type of its expression, as plain type or as written")
    func typeofSets() throws {
        let json = """
            {"nftables": [
              {"set": {"family": "inet", "name": "a", "table": "t", "type": "ipv4_addr", "elem": ["10.1.0.1"]}},
              {"set": {"family": "inet", "name": "b", "table": "t",
                       "type": {"typeof": {"payload": {"protocol": "ip6", "field": "daddr"}}}, "elem": ["fd00::1"]}},
              {"set": {"family": "inet", "name": "c", "table": "t",
                       "type": {"typeof": {"meta": {"key": "mark"}}}, "elem": [1]}}]}
            """
        let ruleset = try NFTRuleset(json: Array(json.utf8))
        func type(_ name: String) -> String? {
            ruleset.set(NFTSetReference(family: "inet", table: "t", name: name))?.type
        }
        #expect(type("a") == "ipv4_addr")
        #expect(type("b") == "ipv6_addr")
        #expect(type("c") == "?")
    }

    @Test(
        "what is not a ruleset is refused naming what was expected",
        arguments: [
            ("nft: command not found", "not JSON (does the command have -j?)"),
            (#"{"rules": []}"#, "expected an object with an \"nftables\" array"),
            (#"{"nftables": [{"set": {"name": "web"}}]}"#, "nftables[0]: a set without family, table and name"),
            (
                #"{"nftables": [{"rule": {"family": "inet", "table": "t", "chain": "c"}}]}"#,
                "a rule without family, table, chain and handle"
            ),
            (
                #"{"nftables": [{"set": {"family": "inet", "table": "t", "name": "s", "elem": "10.1.0.7"}}]}"#,
                "\"elem\" is not a list"
            ),
        ]
    )
    func refused(text: String, reason: String) {
        #expect {
            _ = try NFTRuleset(json: Array(text.utf8))
        } throws: { error in
            (error as? NFTDecodingError)?.reason.contains(reason) == true
        }
    }

    @Test("address matches are read from saddr and daddr, sets included, negations not counted")
    func matches() throws {
        let rule = try Self.rule(
            Self.saddr + ","
                + #"{"match": {"op": "!=", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": {"prefix": {"addr": "10.9.0.0", "len": 16}}}},"#
                + #"{"match": {"op": "==", "left": {"payload": {"protocol": "ip6", "field": "daddr"}}, "right": {"set": ["fd00::7", "fd00::8"]}}},"#
                + #"{"accept": null}"#
        )
        #expect(rule.matchedAddresses.map(\.description) == ["10.1.0.7", "fd00::7", "fd00::8"])
        #expect(rule.matches(IPAddress("fd00::8")!))
        #expect(!rule.matches(IPAddress("10.9.0.1")!))
        #expect(rule.location == "inet filter input handle 5")
    }

    @Test("a set batch adds before it deletes, and either half may be absent")
    func setBatch() throws {
        let text = try NFTBatch.text(for: [
            .element(Self.set, add: IPAddress("10.2.0.7"), delete: IPAddress("10.1.0.7")),
            .element(Self.set, add: IPAddress("10.2.0.8"), delete: nil),
        ])
        #expect(
            text == """
                add element inet filter web { 10.2.0.7 }
                delete element inet filter web { 10.1.0.7 }
                add element inet filter web { 10.2.0.8 }

                """
        )
    }

    @Test("a rule is written back by its handle with only the old address changed")
    func ruleBatch() throws {
        let rule = try Self.rule(
            Self.saddr + ","
                + #"{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": {"set": [22, 443]}}},"#
                + #"{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}},"#
                + #"{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "eth 0"}},"#
                + #"{"counter": {"packets": 3, "bytes": 180}}, {"log": {"prefix": "web "}}, {"jump": {"target": "web_in"}}"#
        )
        let text = try NFTBatch.text(for: [.rule(rule, old: IPAddress("10.1.0.7")!, new: IPAddress("10.2.0.7")!)])
        #expect(
            text == "replace rule inet filter input handle 5 ip saddr == 10.2.0.7 tcp dport == { 22, 443 } "
                + "ct state established,related meta iifname == \"eth 0\" counter log prefix \"web \" jump web_in "
                + "comment \"web-07\"\n"
        )
    }

    @Test(
        "what cannot be written back faithfully is refused by name",
        arguments: [
            (#"{"limit": {"rate": 10, "per": "second"}}"#, "the limit statement"),
            (
                #"{"match": {"op": "==", "left": {"payload": {"base": "nh", "offset": 96, "len": 32}}, "right": 1}}"#,
                "a raw payload match"
            ),
            (
                #"{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "a\"; flush ruleset; \""}}"#,
                "text with a quote"
            ),
            (#"{"reject": {"type": "icmpx", "expr": "admin-prohibited"}}"#, "reject with a type or code"),
            (#"{"counter": "web"}"#, "a named counter"),
            (#"{"log": {"prefix": "web ", "group": 2}}"#, "a log with a level, group or flags"),
        ]
    )
    func unrenderable(statement: String, reason: String) throws {
        let rule = try Self.rule(Self.saddr + "," + statement)
        #expect {
            _ = try NFTBatch.text(for: [.rule(rule, old: IPAddress("10.1.0.7")!, new: IPAddress("10.2.0.7")!)])
        } throws: { error in
            (error as? NFTRenderError)?.reason.contains(reason) == true
        }
    }

    @Test("an exclusion of the old address stays; only the positive address match changes")
    func negationKept() throws {
        let rule = try Self.rule(
            Self.saddr + ","
                + #"{"match": {"op": "!=", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": "10.1.0.7"}},"#
                + #"{"accept": null}"#
        )
        let text = try NFTBatch.text(for: [.rule(rule, old: IPAddress("10.1.0.7")!, new: IPAddress("10.2.0.7")!)])
        #expect(
            text == "replace rule inet filter input handle 5 ip saddr == 10.2.0.7 ip daddr != 10.1.0.7 accept "
                + "comment \"web-07\"\n"
        )
    }

    @Test("a chain name that is not an nft identifier is never written into a batch")
    func chainNameChecked() throws {
        let json = """
            {"nftables": [{"rule": {"family": "inet", "table": "filter", "chain": "in handle 1 accept\\nflush ruleset\\n#",
              "handle": 5, "comment": "web-07", "expr": [\(Self.saddr), {"accept": null}]}}]}
            """
        let rule = try #require(try NFTRuleset(json: Array(json.utf8)).rules.first)
        #expect(rule.chain.contains("\n"))
        #expect {
            _ = try NFTBatch.text(for: [.rule(rule, old: IPAddress("10.1.0.7")!, new: IPAddress("10.2.0.7")!)])
        } throws: { error in
            (error as? NFTRenderError)?.reason.hasPrefix("a rule in a chain named") == true
        }
    }

    @Test("set references are three nft identifiers with a known family")
    func setReferences() {
        #expect(NFTSetReference(parsing: "inet filter web_backends")?.description == "inet filter web_backends")
        #expect(NFTSetReference(parsing: "  ip  nat  pool  ")?.name == "pool")
        for bad in ["filter web", "inet filter web extra", "inett filter web", "inet filter web;", "inet \"f\" web"] {
            #expect(NFTSetReference(parsing: bad) == nil, "\(bad)")
        }
    }
}
