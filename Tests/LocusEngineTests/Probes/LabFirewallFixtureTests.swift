import Foundation
import LISP
import LocusCore
import LocusLab
import LocusTestSupport
import Testing

/// The lab's simulated firewall must read like a real one: the same set made in a real nftables
/// (in a network namespace of the test's own) and listed with `nft -j` parses, with the same code, to
/// the same sets, field by field.
@Suite("Lab firewall: its listing matches real nft's")
struct LabFirewallFixtureTests {
    @Test(arguments: [["10.1.0.7", "10.1.0.12", "10.3.9.3"], []])
    func listingMatchesRealNFT(elements: [String]) async throws {
        let firewall = LabFirewall(site: "dc-east", elements: elements.compactMap { LISP.IPAddress($0) })
        let namespace = try NFTNamespace()
        try namespace.load(await firewall.nftScript())
        let real = try NFTRuleset(json: Array(try namespace.nft(["-j", "list", "ruleset"]).utf8))
        let simulated = try NFTRuleset(json: Array(await firewall.rulesetJSON().utf8))

        #expect(simulated.sets.count == 1)
        #expect(simulated.sets.map(\.reference) == real.sets.map(\.reference))
        #expect(simulated.sets.map(\.type) == real.sets.map(\.type))
        #expect(simulated.sets.map(\.flags) == real.sets.map(\.flags))
        #expect(simulated.sets.map { Set($0.elements) } == real.sets.map { Set($0.elements) })
        #expect(simulated.rules == real.rules)

        // What is passed over today (handles, metainfo) has the same shape too, for whoever reads it next.
        let realObjects = try Self.objects(try namespace.nft(["-j", "list", "ruleset"]))
        let simulatedObjects = try Self.objects(await firewall.rulesetJSON())
        #expect(simulatedObjects.map(\.key) == realObjects.map(\.key))
        for ((key, simulatedBody), (_, realBody)) in zip(simulatedObjects, realObjects) where key != "metainfo" {
            #expect(Set(simulatedBody.keys) == Set(realBody.keys), "\(key)")
            for field in ["family", "name", "table", "type", "handle"] {
                #expect("\(simulatedBody[field] ?? "")" == "\(realBody[field] ?? "")", "\(key).\(field)")
            }
        }
    }

    /// Each object of the `nftables` array as its key and body.
    static func objects(_ json: String) throws -> [(key: String, body: [String: Any])] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let objects = try #require(document["nftables"] as? [[String: [String: Any]]])
        return objects.compactMap { $0.first.map { ($0.key, $0.value) } }
    }
}
