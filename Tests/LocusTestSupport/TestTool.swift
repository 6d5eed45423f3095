import Foundation

/// Where the programs tests run are installed. A missing one fails the test with what to install:
/// tests never skip for a missing server (scripts/test installs every package they need).
public enum TestTool {
    /// The executable `name` on PATH, else in the sbin directories a non-root PATH lacks.
    public static func path(_ name: String) -> String? {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories =
            searchPath.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/local/sbin"]
        for directory in directories where !directory.isEmpty {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// The path of `name`, or an error telling which package to install.
    public static func require(_ name: String, package: String) throws -> String {
        if let path = path(name) { return path }
        throw TestServerError(
            "\(name) not found: run scripts/test, which installs \(package), or "
                + "`apt-get install -y --no-install-recommends \(package)`"
                + (ProcessInfo.processInfo.environment["CI"] != nil ? " (CI must install it)" : "")
        )
    }
}

/// A test server that could not be set up, with what the operator of the test run can do about it.
public struct TestServerError: Error, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
