import Foundation

/// The lab's directory and the files in it; every write replaces the file atomically, so a reader
/// (the engine re-reading `inventory.toml`) never sees half a file.
public struct LabDirectory: Sendable {
    /// Absolute path, without a trailing slash.
    public let path: String
    /// Whether the lab created it as a temporary directory, to be removed when the lab stops.
    public let isTemporary: Bool

    /// Uses `path` (created if missing), or a new temporary directory when `nil`.
    public init(path: String?) throws(LabError) {
        if let path {
            let absolute = Self.absolute(path)
            do {
                try FileManager.default.createDirectory(atPath: absolute, withIntermediateDirectories: true)
            } catch {
                throw .cannotCreateDirectory(path: absolute, reason: error.localizedDescription)
            }
            self.path = absolute
            self.isTemporary = false
        } else {
            let template = FileManager.default.temporaryDirectory.appendingPathComponent("locus-lab-XXXXXX").path
            var bytes = Array(template.utf8CString)
            guard let created = mkdtemp(&bytes) else {
                throw .cannotCreateDirectory(path: template, reason: String(cString: strerror(errno)))
            }
            self.path = Self.absolute(String(cString: created))
            self.isTemporary = true
        }
    }

    public func url(_ relative: String) -> String {
        path + "/" + relative
    }

    /// Writes `text` to `relative` with `permissions`, creating parent directories (0700).
    public func write(_ text: String, to relative: String, permissions: Int = 0o644) throws(LabError) {
        let destination = url(relative)
        let parent = (destination as NSString).deletingLastPathComponent
        let temporary = parent + "/." + (destination as NSString).lastPathComponent + ".tmp"
        do {
            try FileManager.default.createDirectory(
                atPath: parent,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            // Created with its final mode, so a secret is never readable by others even for a moment.
            guard
                FileManager.default.createFile(
                    atPath: temporary,
                    contents: Data(text.utf8),
                    attributes: [.posixPermissions: permissions]
                )
            else {
                throw LabError.cannotWrite(path: destination, reason: String(cString: strerror(errno)))
            }
            try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: temporary)
            guard rename(temporary, destination) == 0 else {
                throw LabError.cannotWrite(path: destination, reason: String(cString: strerror(errno)))
            }
        } catch let error as LabError {
            throw error
        } catch {
            throw .cannotWrite(path: destination, reason: error.localizedDescription)
        }
    }

    /// Removes the directory when the lab created it.
    public func removeIfTemporary() {
        guard isTemporary else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }
}
