import Foundation

/// A min-heap of keys by due time, where a key appears at most once and can be moved or removed.
///
/// Rescheduling a key is O(log n), so the cost of the mapping watch grows with the answers that
/// arrive, not with the number of workloads.
public struct DueHeap<Key: Hashable & Sendable>: Sendable {
    public struct Entry: Sendable, Hashable {
        public var due: Date
        public var key: Key
    }

    private var entries: [Entry] = []
    private var positions: [Key: Int] = [:]

    public init() {}

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// The earliest entry, without removing it.
    public var first: Entry? { entries.first }

    public func due(of key: Key) -> Date? {
        positions[key].map { entries[$0].due }
    }

    public func contains(_ key: Key) -> Bool { positions[key] != nil }

    /// Sets the due time of `key`, adding it when absent.
    public mutating func schedule(_ key: Key, at due: Date) {
        if let index = positions[key] {
            let earlier = due < entries[index].due
            entries[index].due = due
            if earlier { siftUp(index) } else { siftDown(index) }
        } else {
            entries.append(Entry(due: due, key: key))
            positions[key] = entries.count - 1
            siftUp(entries.count - 1)
        }
    }

    /// Removes `key`; nothing happens when it is absent.
    public mutating func remove(_ key: Key) {
        guard let index = positions[key] else { return }
        removeEntry(at: index)
    }

    /// Removes and returns the earliest entry when it is due at `now` or before.
    public mutating func popDue(now: Date) -> Entry? {
        guard let first = entries.first, first.due <= now else { return nil }
        removeEntry(at: 0)
        return first
    }

    private mutating func removeEntry(at index: Int) {
        let removed = entries[index]
        positions[removed.key] = nil
        let last = entries.removeLast()
        guard index < entries.count else { return }
        entries[index] = last
        positions[last.key] = index
        if last.due < removed.due { siftUp(index) } else { siftDown(index) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].due < entries[parent].due else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count, entries[left].due < entries[smallest].due { smallest = left }
            if right < entries.count, entries[right].due < entries[smallest].due { smallest = right }
            guard smallest != parent else { return }
            swapAt(parent, smallest)
            parent = smallest
        }
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        entries.swapAt(a, b)
        positions[entries[a].key] = a
        positions[entries[b].key] = b
    }
}
