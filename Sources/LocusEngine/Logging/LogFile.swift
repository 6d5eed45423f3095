import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A log file opened for appending, shared by every Locus process of a user; each line goes out in
/// one `write(2)`, so lines of concurrent writers (threads or processes) do not interleave.
///
/// It rotates: past `maxBytes` the file becomes `locus.log.1` (the one before `.2`, up to `keep`
/// files; the oldest goes) and a new one is started. The writer that notices takes an exclusive
/// `flock` on the file first, so that two processes never rotate it twice; the others see that the
/// path names another file and reopen it.
public final class LogFile: Sendable {
    public let path: String
    public let maxBytes: Int
    public let keep: Int
    /// How much this process writes, or how long it waits, between two looks at the file's size.
    private let checkEveryBytes: Int
    private let checkEverySeconds: TimeInterval
    private let state: Mutex<OpenFile>

    private struct OpenFile {
        var descriptor: Int32
        var inode: ino_t
        var writtenSinceCheck = 0
        var checkedAt = Date()
    }

    public static let defaultMaxBytes = 10 << 20
    public static let defaultKeep = 3

    /// Opens (creating it and its directory when needed, 0640) the file at `path`.
    public init(
        path: String,
        maxBytes: Int = LogFile.defaultMaxBytes,
        keep: Int = LogFile.defaultKeep,
        checkEveryBytes: Int = 64 << 10,
        checkEverySeconds: TimeInterval = 10
    ) throws(LogFileError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o750]
            )
        } catch {
            throw LogFileError(path: path, reason: "cannot create its directory: \(error.localizedDescription)")
        }
        guard let opened = Self.openFile(path) else {
            throw LogFileError(path: path, reason: String(cString: strerror(errno)))
        }
        self.path = path
        self.maxBytes = max(1, maxBytes)
        self.keep = max(1, keep)
        self.checkEveryBytes = max(0, checkEveryBytes)
        self.checkEverySeconds = checkEverySeconds
        self.state = Mutex(opened)
    }

    deinit {
        state.withLock { file in _ = close(file.descriptor) }
    }

    func append(_ line: String) {
        var line = line
        state.withLock { file in
            // Before the write: a process that logs rarely must not add its line to a file another
            // one rotated (and may have deleted) since.
            if file.writtenSinceCheck >= checkEveryBytes
                || Date().timeIntervalSince(file.checkedAt) >= checkEverySeconds
            {
                file.writtenSinceCheck = 0
                file.checkedAt = Date()
                rotateIfNeeded(&file)
            }
            line.withUTF8 { bytes in
                guard let base = bytes.baseAddress else { return }
                // A log line that cannot be written is dropped: there is nowhere else to report it
                // while the terminal belongs to the dashboard.
                _ = write(file.descriptor, base, bytes.count)
                file.writtenSinceCheck += bytes.count
            }
        }
    }

    /// Reopens the path when another process rotated it; rotates it when it is too large.
    private func rotateIfNeeded(_ file: inout OpenFile) {
        var current = stat()
        guard stat(path, &current) == 0, current.st_ino == file.inode else {
            reopen(&file)
            return
        }
        guard current.st_size >= maxBytes else { return }
        // Not waiting: a process stopped while it rotates must not freeze every other one's logging.
        // The next look tries again.
        guard flock(file.descriptor, LOCK_EX | LOCK_NB) == 0 else { return }
        defer { _ = flock(file.descriptor, LOCK_UN) }
        // Another process may have rotated it while this one waited for the lock.
        guard stat(path, &current) == 0, current.st_ino == file.inode, current.st_size >= maxBytes else {
            reopen(&file)
            return
        }
        for index in stride(from: keep - 1, through: 1, by: -1) {
            _ = rename("\(path).\(index)", "\(path).\(index + 1)")
        }
        _ = rename(path, "\(path).1")
        reopen(&file)
    }

    private func reopen(_ file: inout OpenFile) {
        guard let opened = Self.openFile(path) else { return }
        _ = flock(file.descriptor, LOCK_UN)
        _ = close(file.descriptor)
        file.descriptor = opened.descriptor
        file.inode = opened.inode
    }

    private static func openFile(_ path: String) -> OpenFile? {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            return nil
        }
        return OpenFile(descriptor: descriptor, inode: status.st_ino)
    }
}

public struct LogFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "cannot open the log file \(path): \(reason)" }
}
