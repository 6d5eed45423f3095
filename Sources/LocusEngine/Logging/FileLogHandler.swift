import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A log file opened for appending; each line goes out in one `write(2)`, so lines of concurrent
/// writers (threads or processes) do not interleave.
public final class LogFile: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Opens (creating it and its directory when needed, 0640) the file at `path`.
    public init(path: String) throws(LogFileError) {
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
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw LogFileError(path: path, reason: String(cString: strerror(errno)))
        }
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    func append(_ line: String) {
        var line = line
        line.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            // A log line that cannot be written is dropped: there is nowhere else to report it
            // while the terminal belongs to the dashboard.
            _ = write(descriptor, base, bytes.count)
        }
    }
}

public struct LogFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "cannot open the log file \(path): \(reason)" }
}

/// A swift-log handler writing `TIME LEVEL label: message key=value` lines to a `LogFile`.
///
/// Bootstrap it once per process: `LoggingSystem.bootstrap { FileLogHandler(label: $0, file: file) }`.
public struct FileLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let file: LogFile

    public init(label: String, file: LogFile, logLevel: Logger.Level = .info) {
        self.label = label
        self.file = file
        self.logLevel = logLevel
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let extra = event.metadata {
            merged.merge(extra) { _, new in new }
        }
        var line = "\(Date().formatted(.iso8601)) \(event.level) \(label): \(event.message)"
        for key in merged.keys.sorted() {
            line += " \(key)=\(merged[key].map { "\($0)" } ?? "")"
        }
        line += "\n"
        file.append(line)
    }
}
