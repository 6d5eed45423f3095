import Foundation
import LocusCore

/// `kind = "ovf"`: the `.ovf` descriptors and `.ova` archives of a directory, re-read when a file
/// appears, disappears or changes size or modification time.
///
/// A broken descriptor does not hide the others: their workloads are loaded and the broken one is
/// reported as a problem naming the file.
public actor OVFInventorySource: InventorySource {
    public nonisolated let name: String
    public nonisolated let directory: String
    private let siteOfNetwork: [String: String]
    private let addressProperty: String?
    /// The directory's descriptors as `read()` last saw them; nil before the first read.
    private var loadedListing: [String: FileFingerprint]?

    /// A descriptor larger than this is not a descriptor (and would be read into memory).
    static let maximumDescriptorSize = 16 << 20

    public init(name: String, directory: String, siteOfNetwork: [String: String], addressProperty: String?) {
        self.name = name
        self.directory = directory
        self.siteOfNetwork = siteOfNetwork
        self.addressProperty = addressProperty
    }

    /// The source for an `[[inventory]]` of kind `ovf`; nil for other kinds.
    public init?(config: InventorySourceConfig) {
        guard case .ovf(let directory, let siteOfNetwork, let addressProperty) = config.kind else { return nil }
        self.init(
            name: config.name,
            directory: directory,
            siteOfNetwork: siteOfNetwork,
            addressProperty: addressProperty
        )
    }

    public func hasChanged() async -> Bool {
        guard let loadedListing else { return true }
        guard case .success(let listing) = self.listing() else { return true }
        return listing != loadedListing
    }

    public func load() async throws(InventoryLoadError) -> [InventoryWorkload] {
        let reading = try await read()
        guard reading.problems.isEmpty else { throw .invalid(reading.problems) }
        return reading.workloads
    }

    public func read() async throws(InventoryLoadError) -> InventoryReading {
        let listing: [String: FileFingerprint]
        switch self.listing() {
        case .success(let value):
            listing = value
        case .failure(let failure):
            loadedListing = nil
            throw .unreadable(source: directory, reason: failure.reason)
        }
        loadedListing = listing
        var workloads: [InventoryWorkload] = []
        var problems: [ConfigError] = []
        for file in listing.keys.sorted() {
            let path = (directory as NSString).appendingPathComponent(file)
            let data: Data
            switch descriptorData(path) {
            case .success(let value): data = value
            case .failure(let error):
                problems.append(ConfigError(file: path, line: 0, message: "\(error.element): \(error.message)"))
                continue
            }
            let parsed = OVFParser.parse(data, file: path)
            var errors = parsed.errors
            if let descriptor = parsed.descriptor {
                let mapped = OVFWorkloads.workloads(
                    from: descriptor,
                    file: path,
                    siteOfNetwork: siteOfNetwork,
                    addressProperty: addressProperty
                )
                workloads.append(contentsOf: mapped.workloads)
                errors.append(contentsOf: mapped.errors)
            }
            problems.append(
                contentsOf: errors.map { ConfigError(file: $0.file, line: 0, message: "\($0.element): \($0.message)") }
            )
        }
        return InventoryReading(workloads: workloads, problems: problems)
    }

    /// `.ovf` and `.ova` files by name, with their fingerprints.
    private func listing() -> Result<[String: FileFingerprint], ListingFailure> {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            return .failure(ListingFailure(reason: "cannot list the OVF directory: \(error.localizedDescription)"))
        }
        var listing: [String: FileFingerprint] = [:]
        for name in names {
            let lowered = name.lowercased()
            guard lowered.hasSuffix(".ovf") || lowered.hasSuffix(".ova") else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            if case .success(let fingerprint) = FileFingerprint.of(path) {
                listing[name] = fingerprint
            }
        }
        return .success(listing)
    }

    /// The descriptor's bytes: the file itself, or an archive's first member.
    private func descriptorData(_ path: String) -> Result<Data, OVFError> {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(OVFError(file: path, element: "file", message: "cannot be opened"))
        }
        defer { try? handle.close() }
        do {
            if !path.lowercased().hasSuffix(".ova") {
                let data = try handle.read(upToCount: Self.maximumDescriptorSize + 1) ?? Data()
                guard data.count <= Self.maximumDescriptorSize else {
                    return .failure(
                        OVFError(file: path, element: "file", message: "larger than 16 MiB, not a descriptor")
                    )
                }
                return .success(data)
            }
            return try archiveDescriptor(handle, path: path)
        } catch {
            return .failure(
                OVFError(file: path, element: "file", message: "cannot be read: \(error.localizedDescription)")
            )
        }
    }

    private func archiveDescriptor(_ handle: FileHandle, path: String) throws -> Result<Data, OVFError> {
        func failure(_ message: String) -> Result<Data, OVFError> {
            .failure(OVFError(file: path, element: "tar", message: message))
        }
        while true {
            let block = [UInt8](try handle.read(upToCount: TarHeader.blockSize) ?? Data())
            let header: TarHeader
            do {
                guard let parsed = try TarHeader.parse(block) else {
                    return failure("the archive is empty")
                }
                header = parsed
            } catch {
                return failure("\(error)")
            }
            if header.isMetadata {
                try handle.seek(toOffset: try handle.offset() + UInt64(header.dataBlocks * TarHeader.blockSize))
                continue
            }
            guard header.isRegularFile, header.name.lowercased().hasSuffix(".ovf") else {
                return failure("the first member is \"\(header.name)\", but an OVA must start with its .ovf descriptor")
            }
            guard header.size <= Self.maximumDescriptorSize else {
                return failure("the descriptor \(header.name) is larger than 16 MiB")
            }
            let data = try handle.read(upToCount: header.size) ?? Data()
            guard data.count == header.size else { return failure(TarError.truncated.description) }
            return .success(data)
        }
    }

    struct ListingFailure: Error {
        var reason: String
    }
}
