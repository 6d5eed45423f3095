import Testing

@testable import LocusCore

@Suite("Sharded dictionary")
struct ShardedDictionaryTests {
    @Test func behavesLikeADictionary() {
        var table = ShardedDictionary<String, Int>()
        var reference: [String: Int] = [:]
        for index in 0..<2000 {
            let key = "k\(index % 1500)"
            table[key] = index
            reference[key] = index
        }
        for index in stride(from: 0, to: 1500, by: 7) {
            table["k\(index)"] = nil
            reference["k\(index)"] = nil
        }
        #expect(table.removeValue(forKey: "k1") == reference.removeValue(forKey: "k1"))
        #expect(table.removeValue(forKey: "absent") == nil)
        #expect(table.count == reference.count)
        #expect(Dictionary(uniqueKeysWithValues: table.map { ($0.key, $0.value) }) == reference)
        #expect(Set(table.keys) == Set(reference.keys))
        #expect(table.values.sorted() == reference.values.sorted())
    }

    @Test func aCopyIsUnaffectedByChangesToTheOriginal() {
        var table: ShardedDictionary<String, Int> = ["a": 1, "b": 2]
        let copy = table
        table["a"] = 10
        table["c"] = 3
        #expect(copy["a"] == 1)
        #expect(copy["c"] == nil)
        #expect(copy.count == 2)
        #expect(table.count == 3)
    }
}
