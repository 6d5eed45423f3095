import ArgumentParser
import Foundation

/// The configuration file the dashboard was started with, as far as the shell needs it.
struct ConfigFile {
    var path: String
    /// The top-level `name`, shown in the header.
    var name: String?

    /// The file at `explicitPath` (which must exist), else the default one if it exists.
    /// - Returns: nil when no config file is given and none exists at the default place.
    static func locate(explicitPath: String?, paths: LocusPaths) throws -> ConfigFile? {
        let path = explicitPath ?? paths.defaultConfigFile
        guard FileManager.default.fileExists(atPath: path) else {
            if let explicitPath {
                throw ValidationError("config file \(explicitPath) does not exist; give an existing file to --config")
            }
            return nil
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read config file \(path): \(error.localizedDescription)")
        }
        return ConfigFile(path: path, name: topLevelName(in: text))
    }

    /// The `name = "…"` key before the first table header: the one value the shell shows.
    /// The rest of the file is read by the engine.
    static func topLevelName(in text: String) -> String? {
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                return nil
            }
            guard line.hasPrefix("name"), let equals = line.firstIndex(of: "=") else { continue }
            guard line[..<equals].trimmingCharacters(in: .whitespaces) == "name" else { continue }
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard value.hasPrefix("\""), let close = value.dropFirst().firstIndex(of: "\"") else { return nil }
            return String(value[value.index(after: value.startIndex)..<close])
        }
        return nil
    }
}
