import ArgumentParser
import Foundation
import LISP
import LISPNet
import NIOCore

/// `locus lig EID`: one lookup through a map-resolver, printed like RFC 6835 lig.
struct LigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lig",
        abstract: "Look an EID up through a LISP map-resolver and print the mapping.",
        discussion: """
            Sends an ECM Map-Request for EID to the resolver and prints the Map-Reply: the EID-prefix, its TTL \
            and, per RLOC, priority/weight, multicast priority/weight and the L/p/R flags.

            Exit status: 0 a mapping was returned, 1 a negative reply, 2 no reply (timeout) or bad usage.
            """
    )

    @Argument(help: "The EID to look up: an address (10.1.0.7), a prefix (10.1.0.0/24), or [IID]EID.")
    var eid: String

    @Option(help: "The map-resolver, HOST or HOST:PORT ([V6]:PORT for IPv6).")
    var resolver: String = "127.0.0.1:4342"

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
        let resolverAddress: SocketAddress
        do {
            resolverAddress = try SocketAddress.parse(hostPort: resolver, defaultPort: 4342)
        } catch {
            throw usageError("--resolver: \(error)")
        }

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

    /// Bad usage exits 2 (CONFIG.md), not ArgumentParser's 64.
    private func usageError(_ message: String) -> ExitCode {
        printError("locus lig: \(message)")
        return ExitCode(2)
    }
}

private func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
