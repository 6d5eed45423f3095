import Logging
import NIOCore

/// The lab's control port while it runs: the server, the task serving it and where it listens.
struct LabControl: Sendable {
    let mover: LabMover
    let address: SocketAddress
    private let server: LabControlServer
    private let task: Task<Void, Never>

    /// Listens on 127.0.0.1, on a port the kernel picks, and answers with `mover`.
    static func start(mover: LabMover, logger: Logger) async throws -> LabControl {
        let server = LabControlServer(
            address: try SocketAddress(ipAddress: "127.0.0.1", port: 0),
            logger: logger
        ) { request in
            await mover.answer(request)
        }
        let task = Task {
            do {
                try await server.run()
            } catch {
                logger.error("control port stopped", metadata: ["error": "\(error)"])
            }
        }
        do {
            let address = try await server.localAddress()
            return LabControl(mover: mover, address: address, server: server, task: task)
        } catch {
            await server.shutdown()
            await task.value
            throw LabError.serviceFailed(reason: "cannot open the lab's control port on 127.0.0.1: \(error)")
        }
    }

    /// Closes the port and ends the requests in progress.
    func stop() async {
        await server.shutdown()
        await task.value
    }
}
