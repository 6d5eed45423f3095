import Foundation
import Logging

/// A swift-log handler writing `TIME LEVEL label[PID]: message key=value` lines to a `LogFile`.
///
/// A user's Locus processes (dashboards, labs, one-shot commands) share one log, so each line names the
/// process that wrote it. Bootstrap it once per process: `LoggingSystem.bootstrap { FileLogHandler(label: $0, file: file) }`.
public struct FileLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let file: LogFile
    private let processID = getpid()

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
        var line = "\(Date().formatted(.iso8601)) \(event.level) \(label)[\(processID)]: \(event.message)"
        for key in merged.keys.sorted() {
            line += " \(key)=\(merged[key].map { "\($0)" } ?? "")"
        }
        line += "\n"
        file.append(line)
    }
}
