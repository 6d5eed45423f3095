import Foundation

/// Where one value of a merged workload came from: which inventory source said it, and when that
/// source was last read.
public struct FieldOrigin: Sendable, Hashable {
    /// The `[[inventory]]` name.
    public var source: String
    /// The value as that source gives it, printed as in the inventory file.
    public var value: String
    /// When the source was read (its last health check); nil when it reported no health first.
    public var readAt: Date?

    public init(source: String, value: String, readAt: Date? = nil) {
        self.source = source
        self.value = value
        self.readAt = readAt
    }

    /// Same source and value, however recently read.
    func saysSame(as other: FieldOrigin) -> Bool {
        source == other.source && value == other.value
    }
}

extension Workload {
    /// The sources that disagree on the address, in priority order; empty when they agree.
    public var conflictingAddresses: [FieldOrigin] {
        let origins = provenance["address"] ?? []
        return Set(origins.map(\.value)).count > 1 ? origins : []
    }
}
