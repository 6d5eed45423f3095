import NIOCore

/// Failures of the LISP network clients and servers, worded for the operator who has to act on them.
public enum LISPNetError: Error, Sendable, Hashable, CustomStringConvertible {
    case socketHasNoAddress
    case notRunning
    case alreadyRunning
    case shutDown
    /// No answer after every retransmission.
    case timedOut(destination: String, attempts: Int)
    case invalidAddress(String)
    case addressFamilyMismatch(local: String, remote: String)
    /// A Map-Notify arrived for our register but its MAC did not verify with our key.
    case mapNotifyAuthenticationFailed(nonce: UInt64)

    public var description: String {
        switch self {
        case .socketHasNoAddress:
            return "the UDP socket was bound but reports no local address"
        case .notRunning:
            return "the client is not running: call run() first (or it has stopped)"
        case .alreadyRunning:
            return "run() was called twice on the same instance"
        case .shutDown:
            return "the client has shut down"
        case .timedOut(let destination, let attempts):
            return "no answer from \(destination) after \(attempts) attempt(s); is it running and reachable?"
        case .invalidAddress(let text):
            return "'\(text)' is not an address: expected IPv4 or IPv6, optionally with :PORT ([V6]:PORT)"
        case .addressFamilyMismatch(let local, let remote):
            return "cannot reach \(remote) from a socket bound to \(local): address families differ"
        case .mapNotifyAuthenticationFailed(let nonce):
            return "the Map-Notify for nonce \(nonce) failed authentication: check key id and secret"
        }
    }
}
