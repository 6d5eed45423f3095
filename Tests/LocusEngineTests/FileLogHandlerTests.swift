import Foundation
import LocusEngine
import Logging
import Testing

@Suite("Log file")
struct FileLogHandlerTests {
    @Test("lines go to the file, with level, label and metadata, and its directory is created")
    func writesLines() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("state/locus/locus.log")
        let file = try LogFile(path: path)
        var logger = Logger(label: "locus.test") { label in FileLogHandler(label: label, file: file) }
        logger[metadataKey: "mapping"] = "mr-1"
        logger.info("resolver down", metadata: ["error": "timed out"])
        logger.debug("below the level: not written")
        logger.warning("second line")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].contains("info locus.test[\(getpid())]: resolver down error=timed out mapping=mr-1"))
        #expect(lines[1].contains("warning locus.test[\(getpid())]: second line"))
    }

    @Test("a log file that cannot be created says where and why")
    func unwritable() throws {
        let directory = try TemporaryDirectory()
        try directory.write("not a directory", to: "plain")
        #expect(throws: LogFileError.self) { try LogFile(path: directory.file("plain/locus.log")) }
    }
}

@Suite("Log file rotation")
struct LogFileRotationTests {
    static func lines(in directory: TemporaryDirectory) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
            $0.hasPrefix("locus.log")
        }
        return try names.flatMap { name in
            try String(contentsOfFile: directory.file(name), encoding: .utf8).split(separator: "\n").map(String.init)
        }
    }

    @Test("past its size the log becomes locus.log.1, .2, .3 and the oldest goes")
    func rotates() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("locus.log")
        let file = try LogFile(path: path, maxBytes: 1000, keep: 3, checkEveryBytes: 0)
        let logger = Logger(label: "locus.test") { label in FileLogHandler(label: label, file: file) }
        for index in 0..<200 {
            logger.info("line \(index) of the rotation test")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["locus.log", "locus.log.1", "locus.log.2", "locus.log.3"])
        for name in names {
            let size = try #require(
                try FileManager.default.attributesOfItem(atPath: directory.file(name))[.size] as? Int
            )
            #expect(size < 1000 + 200, "\(name): \(size) bytes")
        }
        let newest = try String(contentsOfFile: path, encoding: .utf8)
        #expect(newest.hasSuffix("line 199 of the rotation test\n"))
        let older = try String(contentsOfFile: path + ".1", encoding: .utf8)
        #expect(!older.contains("line 199 "))
    }

    @Test("two writers of one log racing, as two processes, rotate each file once and lose no line while it is kept")
    func twoWriters() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("locus.log")
        let first = try LogFile(path: path, maxBytes: 2000, keep: 50, checkEveryBytes: 0)
        let second = try LogFile(path: path, maxBytes: 2000, keep: 50, checkEveryBytes: 0)
        let one = Logger(label: "one") { label in FileLogHandler(label: label, file: first) }
        let two = Logger(label: "two") { label in FileLogHandler(label: label, file: second) }
        // On two threads at once, so that the writers race for the rotation as two processes do.
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            for index in 0..<300 {
                if writer == 0 {
                    one.info("first writer line \(index)")
                } else {
                    two.info("second writer line \(index)")
                }
            }
        }
        let lines = try Self.lines(in: directory)
        #expect(lines.count == 600)
        #expect(lines.filter { $0.contains("first writer line") }.count == 300)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(names.count > 5 && names.count < 50, "\(names.sorted())")
        // Every rotated file is about the size asked: the two writers never rotated the same one twice.
        for name in names where name != "locus.log" {
            let size = try #require(
                try FileManager.default.attributesOfItem(atPath: directory.file(name))[.size] as? Int
            )
            #expect(size >= 2000, "\(name): \(size) bytes")
        }
    }
}
