import Foundation
import LISP
import LISPNet
import NIOCore
import NIOPosix
import Testing

@Suite("RLOC-probe client")
struct RLOCProbeClientTests {
    @Test func anETRThatAnswersIsReachableWithItsRoundTrip() async throws {
        let responder = RLOCProbeResponder(
            address: try SocketAddress(ipAddress: "127.0.1.1", port: 0),
            records: [Fixture.record("10.1.0.0/24", rlocs: ["127.0.1.1"])]
        )
        let task = Task { try await responder.run() }
        defer { task.cancel() }
        let port = try #require(try await responder.localAddress().port)
        // An EID the ETR serves, and one it does not: both prove the locator alive.
        for eid in ["10.1.0.7/32", "10.9.0.1/32"] {
            let result = await RLOCProbe.probe(IPAddress("127.0.1.1")!, port: port, eid: EIDPrefix(eid)!)
            #expect(result.answered, "\(eid): \(result.failure ?? "")")
            #expect(result.failure == nil)
        }
        await responder.shutdown()
    }

    @Test func aSilentLocatorIsNotReachableAndTheFailureSaysHowItWasAsked() async throws {
        // A bound socket that never answers.
        let silent = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.1.2", port: 0).get()
        defer { silent.close(promise: nil) }
        let port = try #require(silent.localAddress?.port)
        let result = await RLOCProbe.probe(
            IPAddress("127.0.1.2")!,
            port: port,
            eid: EIDPrefix("10.1.0.7/32")!,
            timeout: .milliseconds(100),
            attempts: 2
        )
        #expect(!result.answered)
        #expect(result.failure == "no probe reply from 127.0.1.2 port \(port) to 2 probes 0.1 seconds apart")
    }
}
