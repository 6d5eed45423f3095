import ArgumentParser
import Dispatch
import Foundation
import LISP
import LISPNet
import LocusCore
import NIOCore

/// `locus mapserver --config FILE`: a LISP map-server/map-resolver until SIGINT or SIGTERM.
struct MapServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapserver",
        abstract: "Run a LISP map-server and map-resolver (RFC 9301, RFC 9437 pub/sub).",
        discussion: """
            Accepts authenticated Map-Registers for the sites in FILE (mapserver.toml, see CONFIG.md), answers \
            ECM Map-Requests with proxy Map-Replies, publishes changes to subscribers and, with `api`, serves \
            the registration table as JSON at GET /registrations. Stops on SIGINT or SIGTERM.
            """
    )

    @Option(help: "The mapserver.toml to read.")
    var config: String

    func run() async throws {
        let loaded: MapServerConfigurationFile
        do {
            loaded = try MapServerConfigurationFile.load(path: config)
        } catch {
            printError("locus mapserver: \(error)")
            throw ExitCode(1)
        }
        for warning in loaded.warnings {
            printError("locus mapserver: warning: \(warning)")
        }
        let server = MapServer(configuration: loaded.configuration)
        let signals = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { Task { await server.shutdown() } }
            source.resume()
            return source
        }
        defer {
            for source in signals {
                source.cancel()
            }
        }
        do {
            try await server.run()
        } catch {
            printError("locus mapserver: \(error)")
            throw ExitCode(1)
        }
    }
}

/// `mapserver.toml` read into a `MapServerConfiguration`, with the warnings an operator should see.
struct MapServerConfigurationFile {
    var configuration: MapServerConfiguration
    var warnings: [String]

    struct Error: Swift.Error, CustomStringConvertible {
        var file: String
        var line: Int
        var message: String
        var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
    }

    static func load(path: String) throws -> MapServerConfigurationFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Error(file: path, line: 0, message: "cannot read: \(error.localizedDescription)")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try parse(text, file: path, directory: directory)
    }

    static func parse(_ text: String, file: String, directory: URL) throws -> MapServerConfigurationFile {
        let root: TOMLTable
        do {
            root = try TOML.parse(text)
        } catch {
            throw Error(file: file, line: error.line, message: error.message)
        }
        var reader = Reader(file: file)
        try reader.rejectUnknown(root, allowed: ["listen", "api", "registration_timeout", "site"])
        let listen = try reader.address(root, "listen", required: true, defaultPort: 4342)!
        let api = try reader.address(root, "api", required: false, defaultPort: 9442)
        let timeout = try reader.duration(root, "registration_timeout") ?? .seconds(180)
        guard let siteValues = root["site"] else {
            throw Error(file: file, line: root.line, message: "no [[site]]: nothing could register")
        }
        guard let siteArray = siteValues.array else {
            throw Error(file: file, line: siteValues.line, message: "site must be an array of tables ([[site]])")
        }
        var sites: [MapServerConfiguration.Site] = []
        for value in siteArray {
            guard let table = value.table else {
                throw Error(file: file, line: value.line, message: "each [[site]] must be a table")
            }
            let site = try reader.site(table, directory: directory)
            if sites.contains(where: { $0.name == site.name }) {
                throw Error(file: file, line: table.line, message: "site '\(site.name)' is defined twice")
            }
            sites.append(site)
        }
        let configuration = MapServerConfiguration(
            listen: listen,
            api: api,
            registrationTimeout: timeout,
            sites: sites
        )
        return MapServerConfigurationFile(configuration: configuration, warnings: reader.warnings)
    }

    /// Typed access to TOML values, every error naming FILE:LINE.
    private struct Reader {
        let file: String
        var warnings: [String] = []

        init(file: String) {
            self.file = file
        }

        func fail(_ line: Int, _ message: String) -> Error {
            Error(file: file, line: line, message: message)
        }

        func rejectUnknown(_ table: TOMLTable, allowed: Set<String>) throws {
            for (key, value) in table.entries where !allowed.contains(key) {
                let known = allowed.sorted().joined(separator: ", ")
                throw fail(value.line, "unknown key '\(key)' (known here: \(known))")
            }
        }

        func string(_ table: TOMLTable, _ key: String, required: Bool) throws -> (String, Int)? {
            guard let value = table[key] else {
                if required { throw fail(table.line, "missing '\(key)'") }
                return nil
            }
            guard let text = value.string else {
                throw fail(value.line, "'\(key)' must be a string, got \(value.typeName)")
            }
            return (text, value.line)
        }

        func address(_ table: TOMLTable, _ key: String, required: Bool, defaultPort: Int) throws -> SocketAddress? {
            guard let (text, line) = try string(table, key, required: required) else { return nil }
            // A bare port binds loopback: the API is for this host unless the operator says otherwise.
            let spelled = Int(text) != nil ? "127.0.0.1:\(text)" : text
            do {
                return try SocketAddress.parse(hostPort: spelled, defaultPort: defaultPort)
            } catch {
                throw fail(line, "'\(key)': \(error)")
            }
        }

        func duration(_ table: TOMLTable, _ key: String) throws -> Duration? {
            guard let (text, line) = try string(table, key, required: false) else { return nil }
            guard let duration = parseDuration(text) else {
                throw fail(
                    line,
                    "'\(key)' = \"\(text)\" is not a duration; write e.g. \"500ms\", \"5s\", \"3m\", \"4h\""
                )
            }
            return duration
        }

        func integer(
            _ table: TOMLTable,
            _ key: String,
            range: ClosedRange<Int64>,
            default fallback: Int64?
        ) throws
            -> Int64
        {
            guard let value = table[key] else {
                guard let fallback else { throw fail(table.line, "missing '\(key)'") }
                return fallback
            }
            guard let number = value.integer, range.contains(number) else {
                throw fail(value.line, "'\(key)' must be an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return number
        }

        mutating func site(_ table: TOMLTable, directory: URL) throws -> MapServerConfiguration.Site {
            try rejectUnknown(
                table,
                allowed: ["name", "key_id", "algorithm", "key_file", "iid", "prefixes", "accept_more_specifics"]
            )
            let (name, _) = try string(table, "name", required: true)!
            let keyID = UInt8(try integer(table, "key_id", range: 0...255, default: nil))
            let (algorithmName, algorithmLine) = try string(table, "algorithm", required: true)!
            guard let algorithm = LISPAuthAlgorithm(configurationName: algorithmName), algorithm != .none else {
                throw fail(algorithmLine, "algorithm '\(algorithmName)': use \"hmac-sha256\" or \"hmac-sha1\"")
            }
            let (keyFile, keyLine) = try string(table, "key_file", required: true)!
            let secret = try readSecret(keyFile, line: keyLine, directory: directory)
            let iid = UInt32(try integer(table, "iid", range: 0...0xFF_FFFF, default: 0))
            guard let prefixValue = table["prefixes"] else {
                throw fail(table.line, "site '\(name)': missing 'prefixes'")
            }
            guard let prefixArray = prefixValue.array else {
                throw fail(prefixValue.line, "'prefixes' must be an array of strings such as [\"10.1.0.0/16\"]")
            }
            var prefixes: [EIDPrefix] = []
            for element in prefixArray {
                guard let text = element.string, let prefix = EIDPrefix(text, defaultInstanceID: iid) else {
                    throw fail(element.line, "'prefixes': expected an EID-prefix such as \"10.1.0.0/16\"")
                }
                prefixes.append(prefix)
            }
            var acceptMoreSpecifics = false
            if let value = table["accept_more_specifics"] {
                guard let flag = value.boolean else {
                    throw fail(value.line, "'accept_more_specifics' must be true or false")
                }
                acceptMoreSpecifics = flag
            }
            return MapServerConfiguration.Site(
                name: name,
                keyID: keyID,
                algorithm: algorithm,
                secret: secret,
                instanceID: iid,
                prefixes: prefixes,
                acceptMoreSpecifics: acceptMoreSpecifics
            )
        }

        /// The shared secret: the file's first line, without surrounding whitespace.
        mutating func readSecret(_ path: String, line: Int, directory: URL) throws -> [UInt8] {
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
            let contents: String
            do {
                contents = try String(contentsOf: url, encoding: .utf8)
            } catch {
                throw fail(line, "key_file '\(url.path)': cannot read: \(error.localizedDescription)")
            }
            let secret = contents.split(whereSeparator: \.isNewline).first.map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard let secret, !secret.isEmpty else { throw fail(line, "key_file '\(url.path)' is empty") }
            if let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                let mode = attributes[.posixPermissions] as? Int, mode & 0o004 != 0
            {
                warnings.append("\(file):\(line): key_file '\(url.path)' is readable by everyone; chmod o-r it")
            }
            return Array(secret.utf8)
        }
    }
}

/// "500ms", "5s", "2m", "4h" (CONFIG.md durations).
private func parseDuration(_ text: String) -> Duration? {
    let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
    for unit in units where text.hasSuffix(unit.suffix) {
        let number = text.dropLast(unit.suffix.count)
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let value = Double(number)
        else { continue }
        return .milliseconds(Int64((value * unit.seconds * 1000).rounded()))
    }
    return nil
}

private func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
