import LocusCore

/// A source of workloads: an inventory file today, OVF descriptors and libvirt later.
///
/// The engine polls each source every `poll_interval`: `hasChanged()` must be cheap, `load()` reads
/// everything. A source that cannot be parsed reports every problem as `FILE:LINE: message`; the
/// engine then keeps its last good workloads.
public protocol InventorySource: Sendable {
    /// The `[[inventory]]` name, as shown in `sources[]` and in the workloads' `sources`.
    var name: String { get }

    /// Whether `load()` may return something different from its last call (true before the first).
    func hasChanged() async -> Bool

    /// Reads the complete list of workloads.
    func load() async throws(InventoryLoadError) -> [InventoryWorkload]
}

/// Why an inventory source gave no workloads.
public enum InventoryLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// It was read but holds mistakes; each names its `FILE:LINE`.
    case invalid([ConfigError])
    /// It could not be read at all (missing file, no permission, connection refused).
    case unreadable(source: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let errors):
            errors.map(\.description).joined(separator: "\n")
        case .unreadable(let source, let reason):
            "\(source): \(reason)"
        }
    }
}
