import ArgumentParser
import Dispatch
import Foundation
import LISPNet
import LocusCore

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
        let configuration: MapServerConfiguration
        let warnings: [ConfigWarning]
        do throws(ConfigErrors) {
            (configuration, warnings) = try MapServerConfiguration.load(file: config)
        } catch {
            for problem in error.errors {
                printError("locus mapserver: \(problem)")
            }
            throw ExitCode(1)
        }
        for warning in warnings {
            printError("locus mapserver: warning: \(warning)")
        }
        let server = MapServer(configuration: configuration)
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

private func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
