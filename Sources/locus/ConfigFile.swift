import ArgumentParser
import Foundation
import LocusCore

/// The configuration file the dashboard was started with, as far as the shell needs it.
struct ConfigFile {
    var path: String
    /// The top-level `name`, shown in the header.
    var name: String?

    /// The file at `explicitPath` (which must exist), else the default one if it exists.
    /// - Returns: nil when no config file is given and none exists at the default place.
    /// - Throws: `ConfigFileError` naming `FILE:LINE` when the file cannot be read or is not valid TOML.
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
            throw ConfigFileError(path: path, line: nil, message: "cannot read the file: \(error.localizedDescription)")
        }
        do {
            let document = try TOML.parse(text)
            return ConfigFile(path: path, name: document["name"]?.string)
        } catch {
            throw ConfigFileError(path: path, line: error.line, message: error.message)
        }
    }
}

/// A config file Locus cannot start with; printed as `FILE:LINE: message`, exit status 1.
struct ConfigFileError: Error, CustomStringConvertible {
    var path: String
    var line: Int?
    var message: String

    var description: String {
        line.map { "\(path):\($0): \(message)" } ?? "\(path): \(message)"
    }
}
