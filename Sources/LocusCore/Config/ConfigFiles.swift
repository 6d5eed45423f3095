#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be read, with the system's reason (`No such file or directory`).
public struct FileReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String
    /// True when the file does not exist (as opposed to existing but being unreadable).
    public let isMissing: Bool

    public var description: String { "cannot read \(path): \(reason)" }
}

/// The little file access the config loader needs, on POSIX calls so the error names the cause.
public enum ConfigFiles {
    /// The whole file as UTF-8 text (invalid sequences replaced).
    public static func readText(at path: String) throws(FileReadError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw error(path: path) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw error(path: path)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The permission bits of a file (`0o644`), following symbolic links.
    public static func permissions(at path: String) throws(FileReadError) -> UInt32 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw error(path: path) }
        return UInt32(info.st_mode) & 0o7777
    }

    /// The current working directory, for making a relative `--config` path absolute.
    public static func currentDirectory() -> String? {
        guard let pointer = getcwd(nil, 0) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    private static func error(path: String) -> FileReadError {
        let code = errno
        return FileReadError(path: path, reason: String(cString: strerror(code)), isMissing: code == ENOENT)
    }
}
