import Foundation
import LISP
import LISPNet
import NIOCore
import Testing

@Suite("RLOC-probe responder of a simulated xTR")
struct RLOCProbeResponderTests {
    @Test(
        "an RLOC probe is answered with P set and A = 1 and a probe for an EID it does not serve gets a negative answer"
    )
    func answersProbes() async throws {
        let rloc = try SocketAddress(ipAddress: "127.0.1.1", port: 0)
        let responder = RLOCProbeResponder(
            address: rloc,
            records: [Fixture.record("10.1.0.0/24", rlocs: ["127.0.1.1"])]
        )
        let task = Task { try await responder.run() }
        defer { task.cancel() }
        let address = try await responder.localAddress()
        #expect(address.ipAddress == "127.0.1.1")

        let prober = try await RawUDPSocket()
        defer { Task { await prober.close() } }
        let probe = MapRequest(
            nonce: 0xABCD,
            itrRLOCs: [LISPAddress(IPAddress("127.0.0.1")!)],
            records: [MapRequest.Record(prefix: EIDPrefix("10.1.0.0/24")!)],
            isProbe: true
        )
        var bytes = ByteBuffer()
        try bytes.writeMapRequest(probe)
        try await prober.send(bytes, to: address)
        let answer = try #require(await prober.next())
        var data = answer.data
        guard case .mapReply(let reply) = try LISPMessage.decode(from: &data) else {
            Issue.record("expected a Map-Reply")
            return
        }
        #expect(reply.nonce == 0xABCD)
        #expect(reply.isProbeReply)
        #expect(reply.records.first?.isAuthoritative == true)
        #expect(reply.records.first?.prefix == EIDPrefix("10.1.0.0/24"))

        // A probe for an EID this xTR does not serve is answered too (the locator is alive), with a
        // negative record that claims nothing; a served one still gets its mapping.
        var other = probe
        other.records = [MapRequest.Record(prefix: EIDPrefix("10.9.0.1/32")!)]
        other.nonce = 1
        var otherBytes = ByteBuffer()
        try otherBytes.writeMapRequest(other)
        try await prober.send(otherBytes, to: address)
        var negative = try #require(await prober.next()).data
        guard case .mapReply(let unserved) = try LISPMessage.decode(from: &negative) else {
            Issue.record("expected a Map-Reply")
            return
        }
        #expect(unserved.nonce == 1)
        #expect(unserved.isProbeReply)
        #expect(unserved.records.first?.locators.isEmpty == true)
        #expect(unserved.records.first?.isAuthoritative == false)
        #expect(unserved.records.first?.action == .nativelyForward)
        try await prober.send(bytes, to: address)
        var next = try #require(await prober.next()).data
        guard case .mapReply(let second) = try LISPMessage.decode(from: &next) else {
            Issue.record("expected a Map-Reply")
            return
        }
        #expect(second.nonce == 0xABCD)
        #expect(await responder.answered == 3)
        await responder.shutdown()
    }
}
