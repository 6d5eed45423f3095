import LISP

/// EID-prefixes as a binary trie per instance and address family, for the question a negative answer asks:
/// how many leading bits does an EID share with the nearest prefix held. A walk of at most 128 steps instead
/// of a scan of every registration.
struct PrefixTrie: Sendable {
    private struct Space: Hashable, Sendable {
        var instanceID: UInt32
        var isIPv6: Bool

        init(_ prefix: EIDPrefix) {
            instanceID = prefix.instanceID
            if case .v6 = prefix.address { isIPv6 = true } else { isIPv6 = false }
        }
    }

    private struct Node: Sendable {
        var zero: Int32 = -1
        var one: Int32 = -1
        /// Prefixes held in this node's subtree, this node included; a node at 0 is on the free list.
        var prefixes: Int32 = 0

        func child(_ bit: Bool) -> Int32 { bit ? one : zero }

        mutating func setChild(_ bit: Bool, _ index: Int32) {
            if bit { one = index } else { zero = index }
        }
    }

    private var roots: [Space: Int32] = [:]
    private var nodes: [Node] = []
    private var freeNodes: [Int32] = []

    init() {}

    init(_ prefixes: some Sequence<EIDPrefix>) {
        for prefix in prefixes { insert(prefix) }
    }

    /// Adds `prefix`; a prefix held twice is counted twice, as the caller inserts once per registration.
    mutating func insert(_ prefix: EIDPrefix) {
        let space = Space(prefix)
        var index = roots[space] ?? allocate()
        roots[space] = index
        nodes[Int(index)].prefixes += 1
        for depth in 0..<Int(prefix.length) {
            let bit = Self.bit(of: prefix.address, at: depth)
            var next = nodes[Int(index)].child(bit)
            if next < 0 {
                next = allocate()
                nodes[Int(index)].setChild(bit, next)
            }
            nodes[Int(next)].prefixes += 1
            index = next
        }
    }

    /// Removes one `prefix` inserted before; nodes no prefix passes through any more are freed.
    mutating func remove(_ prefix: EIDPrefix) {
        let space = Space(prefix)
        guard var index = roots[space] else { return }
        var path = [index]
        for depth in 0..<Int(prefix.length) {
            let next = nodes[Int(index)].child(Self.bit(of: prefix.address, at: depth))
            guard next >= 0 else { return }
            path.append(next)
            index = next
        }
        for (depth, node) in path.enumerated() {
            nodes[Int(node)].prefixes -= 1
            guard nodes[Int(node)].prefixes == 0 else { continue }
            // Everything below holds nothing either: unlink here and free the rest of the path.
            if depth == 0 {
                roots[space] = nil
            } else {
                nodes[Int(path[depth - 1])].setChild(Self.bit(of: prefix.address, at: depth - 1), -1)
            }
            for freed in path[depth...] {
                nodes[Int(freed)] = Node()
                freeNodes.append(freed)
            }
            return
        }
    }

    /// The most leading bits of `eid` that some held prefix of its instance and family matches (never more
    /// than `eid`'s or that prefix's length); nil when that space holds no prefix.
    func sharedLength(with eid: EIDPrefix) -> Int? {
        guard var index = roots[Space(eid)] else { return nil }
        var depth = 0
        while depth < Int(eid.length) {
            let next = nodes[Int(index)].child(Self.bit(of: eid.address, at: depth))
            guard next >= 0 else { break }
            index = next
            depth += 1
        }
        return depth
    }

    private mutating func allocate() -> Int32 {
        if let reused = freeNodes.popLast() { return reused }
        nodes.append(Node())
        return Int32(nodes.count - 1)
    }

    private static func bit(of address: IPAddress, at depth: Int) -> Bool {
        switch address {
        case .v4(let v4): return (v4.rawValue >> (31 - UInt32(depth))) & 1 == 1
        case .v6(let v6):
            return depth < 64 ? (v6.high >> (63 - UInt64(depth))) & 1 == 1 : (v6.low >> (127 - UInt64(depth))) & 1 == 1
        }
    }
}
