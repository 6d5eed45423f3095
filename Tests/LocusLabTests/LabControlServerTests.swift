import Foundation
import NIOCore
import Testing

@testable import LocusLab

/// The control port against clients that are not `locus lab move`: garbage, too much, too little, too slow.
@Suite struct LabControlServerTests {
    @Test func garbageIsRefusedAndTheLabGoesOnAnswering() async throws {
        try await withLab(workloads: 5) { lab in
            let cases: [(String, String)] = [
                ("hello\n", "not a request"),
                ("{\"version\":1,\"request\":\"dance\"}\n", "unknown request \"dance\""),
                ("{\"version\":2,\"request\":\"status\"}\n", "unsupported version 2"),
                ("{\"version\":1,\"request\":\"move\",\"site\":\"dc-east\"}\n", "names its workload and site"),
                ("\u{FF}\u{00}\n", "not a request"),
            ]
            for (text, message) in cases {
                let answer = try await sendRaw(Array(text.utf8), to: lab.controlAddress)
                let reply = try #require(decodedReply(answer), "no reply to \(text): \(answer)")
                #expect(!reply.ok)
                #expect(reply.error?.contains(message) == true, "\(reply.error ?? "") for \(text)")
            }
            #expect(try await ask(lab, .status).status?.workloads == 5)
        }
    }

    @Test func anOversizedRequestIsRefusedWithoutBeingHeld() async throws {
        try await withServer(Limits(readDeadline: .seconds(10), maximumRequestBytes: 1024)) { address in
            let answer = try await sendRaw(
                Array(repeating: UInt8(ascii: "a"), count: 64 << 10),
                to: address,
                closeAfterSending: true
            )
            let reply = try #require(decodedReply(answer), "no refusal: \(answer)")
            #expect(reply.error?.contains("at most 1024 bytes") == true)
            // A long line with its newline past the limit is as long.
            let long = Array(repeating: UInt8(ascii: "b"), count: 2000) + [UInt8(ascii: "\n")]
            #expect(decodedReply(try await sendRaw(long, to: address))?.ok == false)
            #expect(try await LabControlClient.send(.status, to: address, timeout: .seconds(10)).ok)
        }
    }

    @Test func aClientThatSendsTooLittleIsCutOffAtTheReadDeadline() async throws {
        try await withServer(Limits(readDeadline: .milliseconds(300))) { address in
            let silent = try await sendRaw([], to: address)
            #expect(silent.isEmpty)
            let trickle = try await sendRaw(Array("{\"version\":1,".utf8), to: address)
            #expect(trickle.isEmpty)
            let status = try await LabControlClient.send(.status, to: address, timeout: .seconds(10))
            #expect(status.ok)
        }
    }

    @Test func withNothingListeningTheClientGivesUpWithinItsTimeout() async throws {
        // A port that was just free: a server bound it and went away.
        let address = try await withServer(Limits()) { $0 }
        await #expect {
            _ = try await LabControlClient.send(.status, to: address, timeout: .milliseconds(800))
        } throws: { error in
            guard case .notAnswering(let name, _, _) = error as? LabControlError else { return false }
            return name == address.hostPortDescription
                && (error as? LabControlError)?.description.contains("not answering") == true
        }
    }

    @Test func onlyLoopbackControlAddressesAreTaken() throws {
        #expect(try LabControlClient.address("127.0.0.1:4000").port == 4000)
        for text in ["192.0.2.1:4000", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:port", "localhost:4000"] {
            #expect(throws: LabControlError.self, "\(text)") { try LabControlClient.address(text) }
        }
    }
}

typealias Limits = LabControlServer.Limits

/// A control server on 127.0.0.1 that answers every request with a status, for `body`.
private func withServer<T>(_ limits: Limits, _ body: (SocketAddress) async throws -> T) async throws -> T {
    let server = LabControlServer(address: try SocketAddress(ipAddress: "127.0.0.1", port: 0), limits: limits) { _ in
        LabControlReply(
            status: LabStatusReport(
                version: 1,
                name: "test",
                sites: [],
                workloads: 0,
                invocations: [],
                unknownWorkloadInvocations: 0,
                moveDelayMs: 0,
                failStep: nil,
                failStepTaken: false
            )
        )
    }
    let task = Task { try await server.run() }
    do {
        let result = try await body(try await server.localAddress())
        await server.shutdown()
        try await task.value
        return result
    } catch {
        await server.shutdown()
        _ = try? await task.value
        throw error
    }
}
