import Foundation
import LocusCore

/// `kind = "file"`: an `inventory.toml`, re-read when its fingerprint changes.
public actor FileInventorySource: InventorySource {
    public nonisolated let name: String
    public nonisolated let path: String
    private let references: InventoryReferences
    /// The fingerprint of the version `load()` last read; nil before the first read.
    private var loadedFingerprint: FileFingerprint?

    public init(name: String, path: String, references: InventoryReferences) {
        self.name = name
        self.path = path
        self.references = references
    }

    /// The source for an `[[inventory]]` of kind `file`; nil for other kinds.
    public init?(config: InventorySourceConfig, references: InventoryReferences) {
        guard case .file(let path) = config.kind else { return nil }
        self.init(name: config.name, path: path, references: references)
    }

    public func hasChanged() async -> Bool {
        guard let loadedFingerprint else { return true }
        switch FileFingerprint.of(path) {
        case .success(let fingerprint): return fingerprint != loadedFingerprint
        case .failure: return true
        }
    }

    public func load() async throws(InventoryLoadError) -> [InventoryWorkload] {
        // Taken before reading: an edit during the read changes it again and is read next time.
        let fingerprint: FileFingerprint
        switch FileFingerprint.of(path) {
        case .success(let value):
            fingerprint = value
        case .failure(let failure):
            loadedFingerprint = nil
            throw .unreadable(source: path, reason: "cannot read the inventory: \(failure.reason)")
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            loadedFingerprint = nil
            throw .unreadable(source: path, reason: "cannot read the inventory: \(error.localizedDescription)")
        }
        loadedFingerprint = fingerprint
        do {
            return try InventoryFile.parse(text, file: path, references: references).workloads
        } catch {
            throw .invalid(error.errors)
        }
    }
}
