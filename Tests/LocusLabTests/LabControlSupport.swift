import Foundation
import LocusLab
import NIOCore
import NIOPosix

/// Asks the lab's control port, as `locus lab move` and `locus lab status` do.
func ask(_ lab: Lab, _ request: LabControlRequest, timeout: Duration = .seconds(30)) async throws -> LabControlReply {
    try await LabControlClient.send(request, to: lab.controlAddress, timeout: timeout)
}

/// Sends raw bytes to a control port as a client of any quality might, and returns whatever comes back
/// before the server closes: empty when it closed (or reset the connection) without answering.
func sendRaw(_ bytes: [UInt8], to address: SocketAddress, closeAfterSending: Bool = false) async throws -> String {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(to: address) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
    return try await channel.executeThenClose { inbound, outbound in
        if !bytes.isEmpty {
            try await outbound.write(ByteBuffer(bytes: bytes))
        }
        if closeAfterSending {
            outbound.finish()
        }
        var received: [UInt8] = []
        do {
            for try await buffer in inbound {
                received.append(contentsOf: buffer.readableBytesView)
            }
        } catch {
            // A reset after the answer still leaves what was read.
        }
        return String(decoding: received, as: UTF8.self)
    }
}

/// The reply in a raw answer, when there was one.
func decodedReply(_ text: String) -> LabControlReply? {
    guard let line = text.split(separator: "\n").first else { return nil }
    return try? LabControlCoding.decode(LabControlReply.self, from: Array(line.utf8))
}
