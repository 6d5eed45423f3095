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
        #expect(lines[0].contains("info locus.test: resolver down error=timed out mapping=mr-1"))
        #expect(lines[1].contains("warning locus.test: second line"))
    }

    @Test("a log file that cannot be created says where and why")
    func unwritable() throws {
        let directory = try TemporaryDirectory()
        try directory.write("not a directory", to: "plain")
        #expect(throws: LogFileError.self) { try LogFile(path: directory.file("plain/locus.log")) }
    }
}
