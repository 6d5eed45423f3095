import ArgumentParser
import Foundation
import LISP
import LISPNet
import LocusCore
import LocusEngine
import NIOCore
import NIOPosix

/// `locus lig EID`: one lookup through a map-resolver, printed like RFC 6835 lig.
struct LigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lig",
        abstract: "Look an EID up through a LISP map-resolver and print the mapping.",
        discussion: """
            Sends an ECM Map-Request for EID to the resolver and prints the Map-Reply: the EID-prefix, its TTL \
            and, per RLOC, priority/weight, multicast priority/weight and the L/p/R flags.

            Exit status: 0 a mapping was returned, 1 a negative reply, 2 no reply (timeout), bad usage or a \
            configuration that cannot be used.
            """
    )

    @Argument(help: "The EID to look up: an address (10.1.0.7), a prefix (10.1.0.0/24), or [IID]EID.")
    var eid: String

    @Option(
        help: """
            The map-resolver, HOST or HOST:PORT ([V6]:PORT for IPv6; a HOST may be a name). Default: the first \
            [[mapping]] resolver of the configuration, else 127.0.0.1:4342.
            """
    )
    var resolver: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The configuration whose first [[mapping]] resolver to ask (default: $XDG_CONFIG_HOME/locus/locus.toml).",
            valueName: "FILE"
        )
    )
    var config: String?

    @Option(help: "How many Map-Requests to send before giving up.")
    var count: Int = 3

    @Option(help: "Milliseconds to wait for a reply to each Map-Request.")
    var timeout: Int = 1000

    @Flag(help: "Print one JSON object (version 1, snake_case) instead of text.")
    var json = false

    func run() async throws {
        guard let prefix = EIDPrefix(eid) else {
            throw usageError("'\(eid)' is not an EID: expected 10.1.0.7, 10.1.0.0/24 or [5]2001:db8::1")
        }
        guard count >= 1 else { throw usageError("--count must be at least 1 (got \(count))") }
        guard timeout >= 1 else { throw usageError("--timeout must be at least 1 ms (got \(timeout))") }
        let resolverAddress = try await resolverAddress()

        let retry = RetryPolicy(
            initialTimeout: .milliseconds(timeout),
            attempts: count,
            backoffMultiplier: 1,
            maximumTimeout: .milliseconds(timeout)
        )
        let client = ResolverClient(
            configuration: ResolverConfiguration(resolver: resolverAddress, retry: retry, inFlightLimit: 1)
        )
        let report = try await withThrowingTaskGroup(of: LigReport?.self) { group in
            group.addTask {
                try await client.run()
                return nil
            }
            defer { group.cancelAll() }
            do {
                let result = try await client.resolve(prefix)
                await client.shutdown()
                return LigReport(eid: prefix, result: result)
            } catch LISPNetError.timedOut {
                await client.shutdown()
                return LigReport(eid: prefix, resolver: resolverAddress, timedOutAfter: count)
            } catch {
                await client.shutdown()
                printError("locus lig: \(error)")
                throw ExitCode(2)
            }
        }
        FileHandle.standardOutput.write(Data((json ? try report.json() : report.text).utf8))
        if report.exitCode != 0 {
            throw ExitCode(report.exitCode)
        }
    }

    /// `--resolver`, else the config's first `[[mapping]]`, else the default; a name is resolved off the
    /// cooperative pool and within the time the lookup itself may take.
    private func resolverAddress() async throws -> SocketAddress {
        let (text, origin) = try chosenResolver()
        if let numeric = try? SocketAddress.parse(hostPort: text, defaultPort: 4342) {
            return numeric
        }
        let endpoint: Endpoint
        do {
            endpoint = try Endpoint(parsing: text.contains(":") ? text : text + ":4342")
        } catch {
            throw usageError("\(origin): \"\(text)\" is not HOST or HOST:PORT: \(error.reason)")
        }
        let deadline = Duration.milliseconds(timeout * count)
        // getaddrinfo cannot be cancelled: it runs on NIO's thread pool and is raced, not awaited, so the
        // deadline holds whatever it does.
        let answer = FirstResult<Result<SocketAddress, any Error>?>()
        let resolved = await withCheckedContinuation { continuation in
            answer.wait(continuation)
            Task {
                do {
                    let address = try await NIOThreadPool.singleton.runIfActive {
                        try SocketAddress.makeAddressResolvingHost(endpoint.host, port: Int(endpoint.port))
                    }
                    answer.resume(.success(address))
                } catch {
                    answer.resume(.failure(error))
                }
            }
            Task {
                try? await Task.sleep(for: deadline)
                answer.resume(nil)
            }
        }
        switch resolved {
        case .success(let address)?:
            return address
        case .failure(let error)?:
            printError("locus lig: \(origin): cannot resolve \(endpoint.host): \(error)")
        case nil:
            printError("locus lig: \(origin): no answer for \(endpoint.host) within \(deadline)")
        }
        throw ExitCode(2)
    }

    /// The resolver's text and where it came from, for messages.
    private func chosenResolver() throws -> (text: String, origin: String) {
        if let resolver { return (resolver, "--resolver") }
        let directories = EngineSetup.directories
        let file = EngineSetup.configFile(config, directories: directories)
        guard config != nil || FileManager.default.fileExists(atPath: file) else {
            return ("127.0.0.1:4342", "the default resolver")
        }
        let parsed: LocusConfig
        do {
            parsed = try LocusConfig.parse(try ConfigFiles.readText(at: file), file: file, directories: directories)
        } catch let errors as ConfigErrors {
            // 2, not 1: lig's 1 means a negative reply.
            StandardError.write(errors.errors.map(\.description))
            throw ExitCode(2)
        } catch {
            printError("locus lig: \(file): cannot read: \(error)")
            throw ExitCode(2)
        }
        guard let mapping = parsed.mappings.first else {
            throw usageError("\(file) has no [[mapping]]; give the resolver with --resolver HOST:PORT")
        }
        return (mapping.resolver.description, "\(file): [[mapping]] \(mapping.name)")
    }

    /// Bad usage exits 2 (CONFIG.md), not ArgumentParser's 64.
    private func usageError(_ message: String) -> ExitCode {
        printError("locus lig: \(message)")
        return ExitCode(2)
    }
}

private func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
