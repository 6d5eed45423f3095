import NIOCore

#if canImport(Glibc)
import Glibc
#endif

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
    /// A server socket could not be bound; `errno` says why.
    case cannotListen(address: String, protocol: String, errno: Int32)

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
        case .cannotListen(let address, let proto, let code):
            switch code {
            case EADDRINUSE:
                return "cannot listen on \(address) (\(proto)): another process already uses it; stop that process "
                    + "(another map-server or lab?) or choose another address"
            case EACCES:
                return "cannot listen on \(address) (\(proto)): ports below 1024 need root or CAP_NET_BIND_SERVICE; "
                    + "choose a port above 1023"
            case EADDRNOTAVAIL:
                return "cannot listen on \(address) (\(proto)): no interface of this host has that address"
            default:
                return "cannot listen on \(address) (\(proto)): \(String(cString: strerror(code)))"
            }
        }
    }
}
