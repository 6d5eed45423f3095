import Foundation

@testable import LocusCore

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct ConfigTestDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/locus-config-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `relativePath` (creating directories) with the given permissions.
    @discardableResult
    func write(_ text: String, to relativePath: String, mode: Int = 0o600) throws -> String {
        let file = path + "/" + relativePath
        let directory = (file as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
        return file
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// An environment whose XDG state directory is known, so the default store can be asserted.
let testDirectories = XDGDirectories(environment: ["HOME": "/home/op", "XDG_STATE_HOME": "/var/state/op"])

/// The errors a parse throws, or a failure message when it does not throw.
func parseErrors(_ body: () throws(ConfigErrors) -> Void) -> [ConfigError] {
    do {
        try body()
        return []
    } catch {
        return error.errors
    }
}
