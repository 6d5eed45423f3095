import DNS

/// Why a DNS exchange with a server failed. Each message names the server and what to check.
public enum DNSClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No answer within the timeout, after every attempt.
    case timeout(server: DNSServerAddress, attempts: Int)
    /// The server's host answered that nothing listens on the port (ICMP port unreachable, or TCP RST).
    case connectionRefused(server: DNSServerAddress)
    /// Bytes came back but are not a DNS message.
    case malformedResponse(server: DNSServerAddress, DNSDecodingError)
    /// Only answers with another ID arrived (spoofed, or from an unrelated exchange).
    case idMismatch(server: DNSServerAddress, expected: UInt16, received: UInt16)
    /// The answer to a signed request could not be verified.
    case tsigVerificationFailed(server: DNSServerAddress, TSIGVerificationError)
    /// Any other socket error, with the system's words.
    case network(server: DNSServerAddress, String)

    public var description: String {
        switch self {
        case .timeout(let server, let attempts):
            return "no answer from \(server) after \(attempts) attempt(s): is the server running and reachable?"
        case .connectionRefused(let server):
            return "connection refused by \(server): nothing listens on that port"
        case .malformedResponse(let server, let error):
            return "malformed answer from \(server): \(error)"
        case .idMismatch(let server, let expected, let received):
            return "answers from \(server) carried ID \(received) instead of \(expected): ignored as spoofed"
        case .tsigVerificationFailed(let server, let error):
            return "TSIG verification of the answer from \(server) failed: \(error)"
        case .network(let server, let message):
            return "network error talking to \(server): \(message)"
        }
    }
}

/// The address of an authoritative server, asked directly (never through the system resolver).
public struct DNSServerAddress: Hashable, Sendable, CustomStringConvertible {
    /// An IP address literal.
    public var host: String
    public var port: Int

    public init(host: String, port: Int = 53) {
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// How a message travels.
public enum DNSTransport: String, Hashable, Sendable {
    case udp
    case tcp
}
