import Glibc
import LISP
import NIOCore
import Testing

@testable import LocusLab

@Suite struct RLOCProbeTests {
    @Test func everyRLOCAnswersABareProbeWithAProbeReply() async throws {
        try await withLab(workloads: 10, sites: 2) { lab in
            for xtr in lab.xtrs {
                let workload = try #require(lab.world.workloads.first { $0.site == xtr.site.name })
                for address in try await xtr.probeAddresses() {
                    let host = try #require(address.ipAddress)
                    let port = try #require(address.port)
                    var request = ByteBuffer()
                    try request.writeMapRequest(
                        MapRequest(
                            nonce: 0x1234_5678,
                            itrRLOCs: [LISPAddress(IPAddress("127.0.0.1"))],
                            records: [MapRequest.Record(prefix: workload.eidPrefix)],
                            isProbe: true
                        )
                    )
                    var reply = try #require(UDPExchange.send(Array(request.readableBytesView), to: host, port: port))
                    guard case .mapReply(let answer) = try LISPMessage.decode(from: &reply) else {
                        Issue.record("not a Map-Reply from \(host):\(port)")
                        continue
                    }
                    #expect(answer.nonce == 0x1234_5678)
                    #expect(answer.isProbeReply)
                    let record = try #require(answer.records.first)
                    #expect(record.isAuthoritative)
                    #expect(record.prefix == workload.eidPrefix)
                    #expect(
                        record.locators.compactMap { $0.locator.ip?.description } == xtr.site.rlocs.map(\.description)
                    )
                }
            }
        }
    }
}

/// One datagram out and one back over a plain loopback socket, as a prober that is not part of Locus would.
enum UDPExchange {
    static func send(_ bytes: [UInt8], to host: String, port: Int) -> ByteBuffer? {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(descriptor, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard sent == bytes.count else { return nil }
        var received = [UInt8](repeating: 0, count: 65_536)
        let count = recv(descriptor, &received, received.count, 0)
        guard count > 0 else { return nil }
        return ByteBuffer(bytes: received[0..<count])
    }
}
