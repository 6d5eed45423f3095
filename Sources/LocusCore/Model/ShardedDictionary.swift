/// A dictionary split into many small copy-on-write shards.
///
/// A `Snapshot` shares the world's collections; with one big `Dictionary`, the first change after
/// publishing would copy all 100 000 workloads. Here a change copies only the shard it lands in
/// (a few hundred entries) and the array of shard references.
public struct ShardedDictionary<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// A power of two, so that the shard of a key is a mask of its hash.
    static var shardCount: Int { 256 }

    private var shards: [[Key: Value]]
    public private(set) var count: Int

    public init() {
        shards = Array(repeating: [:], count: Self.shardCount)
        count = 0
    }

    public init(_ elements: some Sequence<(Key, Value)>) {
        self.init()
        for (key, value) in elements {
            self[key] = value
        }
    }

    private static func shard(of key: Key) -> Int {
        key.hashValue & (shardCount - 1)
    }

    public var isEmpty: Bool { count == 0 }

    public subscript(key: Key) -> Value? {
        get { shards[Self.shard(of: key)][key] }
        set {
            let index = Self.shard(of: key)
            if let newValue {
                if shards[index].updateValue(newValue, forKey: key) == nil {
                    count += 1
                }
            } else if shards[index].removeValue(forKey: key) != nil {
                count -= 1
            }
        }
    }

    @discardableResult
    public mutating func removeValue(forKey key: Key) -> Value? {
        let removed = shards[Self.shard(of: key)].removeValue(forKey: key)
        if removed != nil {
            count -= 1
        }
        return removed
    }

    public var keys: [Key] { shards.flatMap(\.keys) }
    public var values: [Value] { shards.flatMap(\.values) }
}

extension ShardedDictionary: Sequence {
    public typealias Element = (key: Key, value: Value)

    public struct Iterator: IteratorProtocol {
        var shards: IndexingIterator<[[Key: Value]]>
        var current: Dictionary<Key, Value>.Iterator?

        public mutating func next() -> Element? {
            while true {
                if let element = current?.next() {
                    return element
                }
                guard let shard = shards.next() else { return nil }
                current = shard.makeIterator()
            }
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(shards: shards.makeIterator(), current: nil)
    }

    public var underestimatedCount: Int { count }
}

extension ShardedDictionary: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (Key, Value)...) {
        self.init(elements)
    }
}
