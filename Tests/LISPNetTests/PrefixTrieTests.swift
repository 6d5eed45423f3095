import LISP
import LocusTestSupport
import Testing

@testable import LISPNet

/// The trie answers what a scan of every prefix would, through inserts and removals.
@Suite("Prefix trie")
struct PrefixTrieTests {
    /// The scan the trie replaced: the most leading bits `eid` shares with a held prefix of its space.
    static func scannedSharedLength(_ eid: EIDPrefix, among prefixes: [EIDPrefix]) -> Int? {
        let same = prefixes.filter { $0.instanceID == eid.instanceID && $0.address.isSameFamily(as: eid.address) }
        guard !same.isEmpty else { return nil }
        return same.map {
            min(eid.address.commonPrefixLength(with: $0.address), Int(eid.length), Int($0.length))
        }.max()
    }

    static func randomPrefix(_ random: inout SeededRandom) -> EIDPrefix {
        // Few distinct high bits, so that prefixes share long runs as registrations in one site do.
        let iid = UInt32.random(in: 0...1, using: &random)
        if Bool.random(using: &random) {
            let raw =
                0x0A00_0000 | UInt32.random(in: 0...7, using: &random) << 16
                | UInt32.random(in: 0...0xFF, using: &random)
            let length = Int.random(in: 8...32, using: &random)
            return EIDPrefix(instanceID: iid, address: .v4(IPv4Address(rawValue: raw)), length: length)
        }
        let high = 0x2001_0DB8_0000_0000 | UInt64.random(in: 0...3, using: &random) << 16
        let length = Int.random(in: 32...128, using: &random)
        let address = IPAddress.v6(IPv6Address(high: high, low: UInt64.random(in: 0...255, using: &random)))
        return EIDPrefix(instanceID: iid, address: address, length: length)
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func agreesWithAScanThroughInsertsAndRemovals(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var trie = PrefixTrie()
        var held: [EIDPrefix] = []
        for step in 0..<2_000 {
            if !held.isEmpty, Int.random(in: 0..<3, using: &random) == 0 {
                let removed = held.remove(at: Int.random(in: 0..<held.count, using: &random))
                trie.remove(removed)
            } else {
                let prefix = Self.randomPrefix(&random)
                if !held.contains(prefix) {
                    held.append(prefix)
                    trie.insert(prefix)
                }
            }
            let eid = Self.randomPrefix(&random)
            let expected = Self.scannedSharedLength(eid, among: held)
            #expect(
                trie.sharedLength(with: eid) == expected,
                "seed \(seed), step \(step): \(eid) among \(held.count) prefixes"
            )
        }
    }

    @Test func removingEverythingEmptiesEverySpace() {
        let prefixes = ["10.1.0.0/16", "10.1.0.7/32", "[7]10.1.0.0/24", "2001:db8::/48"].map { EIDPrefix($0)! }
        var trie = PrefixTrie(prefixes)
        for prefix in prefixes {
            #expect(trie.sharedLength(with: prefix) == Int(prefix.length))
            trie.remove(prefix)
        }
        for prefix in prefixes {
            #expect(trie.sharedLength(with: prefix) == nil)
        }
    }
}
